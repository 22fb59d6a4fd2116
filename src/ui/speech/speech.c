/*
 * speech: the public side of speech.h, the worker thread and the silent
 * fallback.
 *
 * One SDL audio device, opened once at the engine's sample rate as 16-bit
 * mono, carries both synthetic speech and recorded clips (clips are
 * converted to that format). The caller's thread only swaps a pending
 * request and clears the device queue; the worker thread does everything
 * slow (synthesis, reading clips).
 *
 * The device is open only while there is something to play: a running SDL
 * audio device wakes its thread every 23 ms even when paused or silent, so
 * an idle kiosk would never sleep. The worker closes it after IDLE_CLOSE_MS
 * with nothing queued and opens it again (same format) for the next job's
 * first samples; `dev` changes only under `mu`, and `spec` says whether a
 * device could be opened at all.
 *
 * Cancelling without races: every request bumps `generation` under `mu`, and
 * the worker queues samples under `mu` only while its job's generation is
 * still current. So once speech_say has cleared the device queue, no sample
 * of the old text can reach the device afterwards, and the engine is told to
 * stop at its next block.
 */
#include <stdlib.h>
#include <string.h>
#include <SDL.h>
#include "speech/speech.h"
#include "base/util.h"

#define DEFAULT_RATE_WPM 150
/* 512 frames at 22050 Hz is 23 ms: the device's share of start latency. */
#define DEVICE_FRAMES 512
/* Silence this long closes the device (a new request opens it again). */
#define IDLE_CLOSE_MS 3000

enum req_kind { REQ_NONE, REQ_SAY, REQ_CLIP };

struct speech {
	/* Fixed after speech_create returns. */
	bool audio_subsystem;  /* we hold a reference on SDL's audio */
	bool has_device;       /* a device opened at start: speech is possible */
	SDL_AudioSpec spec;    /* the format it was opened with */
	int rate;
	const char *status;
	speech_voice *voices; /* deep copy of the options' table */
	size_t n_voices;
	int default_rate;
	char *espeak_data;
	SDL_Thread *thread;
	SDL_mutex *mu;
	SDL_cond *cv;

	/* Guarded by mu. */
	SDL_AudioDeviceID dev; /* 0 = closed (idle, or silent) */
	uint64_t last_sound_us; /* when samples were last queued */
	enum req_kind pending;
	char *pending_text; /* text to say, or clip path */
	char *pending_lang;
	uint64_t pending_t0;
	uint64_t generation;
	bool working;
	bool quit;
	int engine_state; /* 0 starting, 1 ready, -1 failed */
	int engine_rate;
	int64_t last_latency_us;
	int clip_failures;
};

/* What the worker is doing now, for the sink. */
struct job {
	speech *sp;
	uint64_t generation;
	uint64_t t0;
	bool started;
};

static uint64_t
now_us(void)
{
	uint64_t c = SDL_GetPerformanceCounter();
	uint64_t f = SDL_GetPerformanceFrequency();
	return (c / f) * 1000000u + (c % f) * 1000000u / f;
}

/* The voice and rate for lang: the table's exact row, then its row for the
 * primary subtag ("ur" for "ur-PK"), then the subtag itself as an espeak
 * voice name, so an unlisted language is still read in its own voice rather
 * than in English. No lang at all: the first row, else "en". */
static void
pick_voice(const speech *sp, const char *lang, char *voice, size_t vlen, int *rate)
{
	*rate = sp->default_rate;
	if (!lang || !*lang) {
		if (sp->n_voices) {
			SDL_snprintf(voice, vlen, "%s", sp->voices[0].voice);
			if (sp->voices[0].rate_wpm > 0)
				*rate = sp->voices[0].rate_wpm;
		} else {
			SDL_snprintf(voice, vlen, "en");
		}
		return;
	}
	size_t primary = strcspn(lang, "-_");
	const speech_voice *hit = NULL;
	for (size_t i = 0; i < sp->n_voices && !hit; i++)
		if (strcmp(sp->voices[i].lang, lang) == 0)
			hit = &sp->voices[i];
	for (size_t i = 0; i < sp->n_voices && !hit; i++)
		if (strlen(sp->voices[i].lang) == primary &&
		    strncmp(sp->voices[i].lang, lang, primary) == 0)
			hit = &sp->voices[i];
	if (hit) {
		SDL_snprintf(voice, vlen, "%s", hit->voice);
		if (hit->rate_wpm > 0)
			*rate = hit->rate_wpm;
	} else {
		SDL_snprintf(voice, vlen, "%.*s", (int)primary, lang);
	}
}

/* Opens the device again after an idle close. Only the worker opens and
 * closes it (after speech_create), and never under mu: opening a real
 * device (PulseAudio, ALSA) can take a tenth of a second, and the app's
 * thread takes mu on every frame (speech_speaking). 0 when none opened. */
static SDL_AudioDeviceID
reopen_device(const speech *sp)
{
	SDL_AudioSpec have;
	SDL_AudioDeviceID dev = SDL_OpenAudioDevice(NULL, 0, &sp->spec, &have, 0);
	if (dev)
		SDL_PauseAudioDevice(dev, 0);
	return dev;
}

/* Queues samples if the job is still the current one; nonzero = stop. */
static int
queue_samples(const int16_t *samples, int n, void *ctx)
{
	struct job *j = ctx;
	speech *sp = j->sp;
	SDL_LockMutex(sp->mu);
	bool closed = !sp->quit && sp->generation == j->generation && !sp->dev;
	SDL_UnlockMutex(sp->mu);
	/* Closed since the last sound: open it outside the lock (the worker is
	 * the only one that sets dev, so it is still 0 when we come back). */
	SDL_AudioDeviceID opened = closed ? reopen_device(sp) : 0;
	int stop = 0;
	SDL_LockMutex(sp->mu);
	if (opened)
		sp->dev = opened;
	if (sp->quit || sp->generation != j->generation) {
		stop = 1;
	} else if (!sp->dev || SDL_QueueAudio(sp->dev, samples, (Uint32)n * 2u) != 0) {
		stop = 1;
	} else if ((sp->last_sound_us = now_us()), !j->started) {
		j->started = true;
		sp->last_latency_us = (int64_t)(now_us() - j->t0);
	}
	SDL_UnlockMutex(sp->mu);
	return stop;
}

/* Reads a WAV and converts it to the device's format; 0 or -1. SDL_AudioCVT
 * rather than SDL_AudioStream: in SDL 2.26 the stream's resampler keeps its
 * last ~30 ms back even after a flush, which would clip every recording. */
static int
load_clip(const speech *sp, const char *path, Uint8 **out, int *out_len)
{
	SDL_AudioSpec spec;
	Uint8 *wav = NULL;
	Uint32 wav_len = 0;
	if (!SDL_LoadWAV(path, &spec, &wav, &wav_len))
		return -1;
	SDL_AudioCVT cvt;
	int rc = -1;
	int need = SDL_BuildAudioCVT(&cvt, spec.format, spec.channels, spec.freq, AUDIO_S16SYS, 1,
	                             sp->rate);
	if (need >= 0 && wav_len > 0 && wav_len <= (Uint32)(INT32_MAX / 8)) {
		cvt.len = (int)wav_len;
		size_t cap = (size_t)wav_len * (size_t)(cvt.len_mult > 0 ? cvt.len_mult : 1);
		cvt.buf = malloc(cap);
		if (cvt.buf) {
			memcpy(cvt.buf, wav, wav_len);
			if (need == 0) {
				cvt.len_cvt = cvt.len;
			} else if (SDL_ConvertAudio(&cvt) != 0) {
				cvt.len_cvt = 0;
			}
			if (cvt.len_cvt >= 2) {
				*out = cvt.buf;
				*out_len = cvt.len_cvt;
				rc = 0;
			} else {
				free(cvt.buf);
			}
		}
	}
	SDL_FreeWAV(wav);
	return rc;
}

static int
worker(void *arg)
{
	speech *sp = arg;
	int rate = 0;
	bool engine = speech_engine_open(sp->espeak_data, &rate) == 0;
	SDL_LockMutex(sp->mu);
	sp->engine_state = engine ? 1 : -1;
	sp->engine_rate = rate;
	SDL_CondBroadcast(sp->cv);
	SDL_UnlockMutex(sp->mu);

	for (;;) {
		SDL_LockMutex(sp->mu);
		while (!sp->quit && sp->pending == REQ_NONE) {
			if (!sp->dev) {
				SDL_CondWait(sp->cv, sp->mu);
				continue;
			}
			/* Open: close it once everything queued has played and
			 * IDLE_CLOSE_MS more have passed. */
			SDL_CondWaitTimeout(sp->cv, sp->mu, 500);
			if (sp->pending == REQ_NONE && SDL_GetQueuedAudioSize(sp->dev) == 0 &&
			    now_us() - sp->last_sound_us > (uint64_t)IDLE_CLOSE_MS * 1000) {
				/* Closed outside the lock, as it is opened: once dev
				 * is 0 nobody else touches the old one. */
				SDL_AudioDeviceID old = sp->dev;
				sp->dev = 0;
				SDL_UnlockMutex(sp->mu);
				SDL_CloseAudioDevice(old);
				SDL_LockMutex(sp->mu);
			}
		}
		if (sp->quit) {
			SDL_UnlockMutex(sp->mu);
			break;
		}
		enum req_kind kind = sp->pending;
		char *text = sp->pending_text;
		char *lang = sp->pending_lang;
		struct job j = { sp, sp->generation, sp->pending_t0, false };
		sp->pending = REQ_NONE;
		sp->pending_text = NULL;
		sp->pending_lang = NULL;
		sp->working = true;
		SDL_UnlockMutex(sp->mu);

		if (kind == REQ_SAY && engine) {
			char voice[64];
			int wpm;
			pick_voice(sp, lang, voice, sizeof voice, &wpm);
			speech_engine_say(text, voice, wpm, queue_samples, &j);
		} else if (kind == REQ_CLIP) {
			Uint8 *pcm = NULL;
			int len = 0;
			if (load_clip(sp, text, &pcm, &len) == 0) {
				queue_samples((const int16_t *)(void *)pcm, len / 2, &j);
				free(pcm);
			} else {
				SDL_LockMutex(sp->mu);
				sp->clip_failures++;
				SDL_UnlockMutex(sp->mu);
			}
		}
		free(text);
		free(lang);

		SDL_LockMutex(sp->mu);
		sp->working = false;
		SDL_UnlockMutex(sp->mu);
	}
	if (engine)
		speech_engine_close();
	return 0;
}

/* Stops the worker and waits for it; safe when it never started. */
static void
stop_worker(speech *sp)
{
	if (!sp->thread)
		return;
	SDL_LockMutex(sp->mu);
	sp->quit = true;
	sp->generation++;
	SDL_CondBroadcast(sp->cv);
	SDL_UnlockMutex(sp->mu);
	SDL_WaitThread(sp->thread, NULL);
	sp->thread = NULL;
}

static int
copy_options(speech *sp, const speech_options *opt)
{
	sp->default_rate = DEFAULT_RATE_WPM;
	if (!opt)
		return 0;
	if (opt->default_rate_wpm > 0)
		sp->default_rate = opt->default_rate_wpm;
	if (opt->espeak_data && !(sp->espeak_data = tl_strdup(opt->espeak_data)))
		return -1;
	if (opt->n_voices) {
		sp->voices = calloc(opt->n_voices, sizeof *sp->voices);
		if (!sp->voices)
			return -1;
		for (size_t i = 0; i < opt->n_voices; i++) {
			const speech_voice *v = &opt->voices[i];
			sp->n_voices = i + 1;
			sp->voices[i].rate_wpm = v->rate_wpm;
			sp->voices[i].lang = tl_strdup(v->lang ? v->lang : "");
			sp->voices[i].voice = tl_strdup(v->voice ? v->voice : "en");
			if (!sp->voices[i].lang || !sp->voices[i].voice)
				return -1;
		}
	}
	return 0;
}

/* Opens the one audio device. On any failure the object stays silent. */
static void
open_device(speech *sp)
{
	if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
		sp->status = "No sound device: the kiosk is silent";
		return;
	}
	sp->audio_subsystem = true;

	/* The engine's sample rate decides the device's, so start the worker
	 * first and wait for espeak-ng to come up (it reads its data once). */
	sp->thread = SDL_CreateThread(worker, "tellus-speech", sp);
	if (!sp->thread) {
		sp->status = "Speech could not start: the kiosk is silent";
		return;
	}
	SDL_LockMutex(sp->mu);
	while (sp->engine_state == 0)
		SDL_CondWait(sp->cv, sp->mu);
	bool engine = sp->engine_state > 0;
	int rate = engine ? sp->engine_rate : 22050;
	SDL_UnlockMutex(sp->mu);

	SDL_AudioSpec want, have;
	SDL_zero(want);
	want.freq = rate;
	want.format = AUDIO_S16SYS;
	want.channels = 1;
	want.samples = DEVICE_FRAMES;
	/* No allowed changes: SDL converts for the hardware, so everything we
	 * queue is in exactly this format. */
	SDL_AudioDeviceID dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
	if (dev == 0) {
		stop_worker(sp);
		sp->status = "No sound device: the kiosk is silent";
		return;
	}
	sp->rate = rate;
	sp->spec = want;
	sp->has_device = true;
	SDL_PauseAudioDevice(dev, 0);
	/* The worker watches it from now on, and closes it when idle. */
	SDL_LockMutex(sp->mu);
	sp->dev = dev;
	sp->last_sound_us = now_us();
	SDL_CondBroadcast(sp->cv);
	SDL_UnlockMutex(sp->mu);
	sp->status =
	        engine ? "Speech is on" : "The voice could not start: only recorded clips play";
}

int
speech_create(const speech_options *opt, speech **out, tl_error *err)
{
	*out = NULL;
	speech *sp = calloc(1, sizeof *sp);
	if (!sp)
		return tl_err_nomem(err);
	sp->last_latency_us = -1;
	sp->status = "Speech is off";
	if (copy_options(sp, opt) != 0) {
		speech_destroy(sp);
		return tl_err_nomem(err);
	}
	sp->mu = SDL_CreateMutex();
	sp->cv = SDL_CreateCond();
	if (!sp->mu || !sp->cv) {
		speech_destroy(sp);
		return tl_err(err, TL_E_NOMEM, "cannot create a lock for speech");
	}
	if (!(opt && opt->silent))
		open_device(sp);
	*out = sp;
	return 0;
}

void
speech_destroy(speech *sp)
{
	if (!sp)
		return;
	stop_worker(sp);
	if (sp->dev)
		SDL_CloseAudioDevice(sp->dev);
	if (sp->audio_subsystem)
		SDL_QuitSubSystem(SDL_INIT_AUDIO);
	free(sp->pending_text);
	free(sp->pending_lang);
	if (sp->cv)
		SDL_DestroyCond(sp->cv);
	if (sp->mu)
		SDL_DestroyMutex(sp->mu);
	for (size_t i = 0; i < sp->n_voices; i++) {
		free((char *)sp->voices[i].lang);
		free((char *)sp->voices[i].voice);
	}
	free(sp->voices);
	free(sp->espeak_data);
	free(sp);
}

/* Replaces the pending request; a NULL text only cancels. */
static void
request(speech *sp, enum req_kind kind, const char *text, const char *lang)
{
	if (!sp || !sp->has_device)
		return;
	uint64_t t0 = now_us();
	char *t = tl_strdup(text);
	char *l = tl_strdup(lang);
	SDL_LockMutex(sp->mu);
	sp->generation++;
	if (sp->dev)
		SDL_ClearQueuedAudio(sp->dev);
	free(sp->pending_text);
	free(sp->pending_lang);
	sp->pending_text = t;
	sp->pending_lang = l;
	sp->pending_t0 = t0;
	/* Out of memory turns a request into a plain stop, never a crash. */
	sp->pending = (kind != REQ_NONE && t) ? kind : REQ_NONE;
	if (sp->pending == REQ_NONE) {
		free(sp->pending_text);
		free(sp->pending_lang);
		sp->pending_text = NULL;
		sp->pending_lang = NULL;
	}
	SDL_CondBroadcast(sp->cv);
	SDL_UnlockMutex(sp->mu);
}

void
speech_say(speech *sp, const char *text, const char *lang)
{
	if (text && *text)
		request(sp, REQ_SAY, text, lang);
	else
		request(sp, REQ_NONE, NULL, NULL);
}

void
speech_play_clip(speech *sp, const char *wav_path)
{
	request(sp, wav_path ? REQ_CLIP : REQ_NONE, wav_path, NULL);
}

void
speech_stop(speech *sp)
{
	request(sp, REQ_NONE, NULL, NULL);
}

bool
speech_available(const speech *sp)
{
	return sp && sp->has_device;
}

const char *
speech_status(const speech *sp)
{
	return sp ? sp->status : "Speech is off";
}

bool
speech_busy(speech *sp)
{
	if (!sp || !sp->has_device)
		return false;
	SDL_LockMutex(sp->mu);
	bool busy = sp->pending != REQ_NONE || sp->working ||
	            (sp->dev && SDL_GetQueuedAudioSize(sp->dev) > 0);
	SDL_UnlockMutex(sp->mu);
	return busy;
}

int
speech_sample_rate(const speech *sp)
{
	return sp ? sp->rate : 0;
}

int64_t
speech_last_start_latency_us(speech *sp)
{
	if (!sp || !sp->mu)
		return -1;
	SDL_LockMutex(sp->mu);
	int64_t v = sp->last_latency_us;
	SDL_UnlockMutex(sp->mu);
	return v;
}

int
speech_clip_failures(speech *sp)
{
	if (!sp || !sp->mu)
		return 0;
	SDL_LockMutex(sp->mu);
	int v = sp->clip_failures;
	SDL_UnlockMutex(sp->mu);
	return v;
}
