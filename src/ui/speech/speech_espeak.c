/*
 * speech_espeak: the espeak-ng synthesis backend behind speech.h.
 *
 * espeak-ng keeps its voice, rate and output buffers in globals, so these
 * functions are called only from the speech worker thread. We run it in
 * synchronous mode: espeak_Synth returns when the text is done or when the
 * sink asked it to stop, which is how a newer request cancels an older one
 * without espeak_Cancel's cross-thread races.
 *
 * espeak-ng 1.51 is initialized once per process and never terminated:
 * espeak_Terminate followed by a second espeak_Initialize leaves its internal
 * fifo thread waiting forever, and the next espeak_Terminate hangs with it.
 * A kiosk that turns speech off and on again (or a test making several
 * speech objects) must not freeze, so the engine stays up; its memory is
 * still reachable from espeak's globals, so LeakSanitizer does not count it.
 * Calls still come from one thread at a time: only one speech object's
 * worker runs at once.
 */
#include <stdbool.h>
#include <string.h>
#include <espeak-ng/speak_lib.h>
#include "speech/speech.h"

static bool initialized;
static int engine_rate;

/* The voice last loaded: loading one reads its dictionary from disk, which
 * would cost most of the latency budget on every utterance. */
static char current_voice[64];

struct synth_ctx {
	speech_engine_sink sink;
	void *ctx;
};

static int
on_samples(short *wav, int numsamples, espeak_EVENT *events)
{
	/* espeak passes the user_data given to espeak_Synth in every event. */
	struct synth_ctx *sc = events ? events->user_data : NULL;
	if (!sc)
		return 0;
	if (!wav || numsamples <= 0)
		return 0; /* end of text or an event-only block */
	return sc->sink(wav, numsamples, sc->ctx) ? 1 : 0;
}

int
speech_engine_open(const char *data_path, int *sample_rate)
{
	if (initialized) {
		*sample_rate = engine_rate;
		return 0;
	}
	/* 100 ms blocks: small enough that the first samples arrive quickly
	 * (latency), large enough not to call back for every phoneme. The
	 * DONT_EXIT flag stops espeak-ng calling exit() when its data is missing:
	 * the kiosk must carry on silently. */
	int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 100, data_path,
	                             espeakINITIALIZE_DONT_EXIT);
	if (rate <= 0)
		return -1;
	espeak_SetSynthCallback(on_samples);
	current_voice[0] = '\0';
	initialized = true;
	engine_rate = rate;
	*sample_rate = rate;
	return 0;
}

int
speech_engine_say(const char *text, const char *voice, int rate_wpm, speech_engine_sink sink,
                  void *ctx)
{
	if (strcmp(voice, current_voice) != 0) {
		if (espeak_SetVoiceByName(voice) != EE_OK) {
			current_voice[0] = '\0';
			return -1;
		}
		size_t n = strlen(voice);
		if (n >= sizeof current_voice)
			n = sizeof current_voice - 1;
		memcpy(current_voice, voice, n);
		current_voice[n] = '\0';
	}
	if (rate_wpm < espeakRATE_MINIMUM)
		rate_wpm = espeakRATE_MINIMUM;
	if (rate_wpm > espeakRATE_MAXIMUM)
		rate_wpm = espeakRATE_MAXIMUM;
	espeak_SetParameter(espeakRATE, rate_wpm, 0);

	struct synth_ctx sc = { sink, ctx };
	espeak_ERROR e = espeak_Synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
	                              NULL, &sc);
	return e == EE_OK ? 0 : -1;
}

void
speech_engine_close(void)
{
	/* Deliberately empty: see the note at the top of the file. */
}
