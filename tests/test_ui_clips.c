/*
 * test_ui_clips: recorded clips by language in the real kiosk, through the
 * real app loop with real SDL events. A question's clip plays for a person
 * reading in the clip's language; a person in a language with no clip
 * hears the voice in their own language, never another language's
 * recording.
 *
 * Sound goes to SDL's disk audio driver, so what a person would hear is
 * measured: each clip is a sine of its own length (0.3 s English, 0.7 s
 * Urdu), found again as a stretch of non-zero samples in the file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "speech/speech.h"
#include "ui_harness.h"

#define W 1280
#define H 800

static char tmpdir[64];
static char audio_file[128];
static char clip_en[128], clip_ur[128];

/* A 16-bit mono RIFF WAV of a 440 Hz sine, written by hand. */
static void
write_sine_wav(const char *path, int rate, double seconds)
{
	uint32_t frames = (uint32_t)(rate * seconds), data = frames * 2;
	uint8_t hdr[44] = { 0 };
	const uint32_t v32[][2] = { { 4, 36 + data }, { 16, 16 }, { 24, (uint32_t)rate },
	                            { 28, (uint32_t)rate * 2 }, { 40, data } };
	const uint16_t v16[][2] = { { 20, 1 }, { 22, 1 }, { 32, 2 }, { 34, 16 } };
	memcpy(hdr, "RIFF", 4);
	memcpy(hdr + 8, "WAVEfmt ", 8);
	memcpy(hdr + 36, "data", 4);
	for (size_t i = 0; i < sizeof v32 / sizeof v32[0]; i++)
		for (int b = 0; b < 4; b++)
			hdr[v32[i][0] + (uint32_t)b] = (uint8_t)(v32[i][1] >> (8 * b));
	for (size_t i = 0; i < sizeof v16 / sizeof v16[0]; i++)
		for (int b = 0; b < 2; b++)
			hdr[v16[i][0] + (uint16_t)b] = (uint8_t)(v16[i][1] >> (8 * b));
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(hdr, 1, 44, f), 44);
	for (uint32_t i = 0; i < frames; i++) {
		/* A phase offset, so no sample is exactly zero at either end. */
		int16_t s = (int16_t)(sin(2.0 * M_PI * 440.0 * i / rate + 0.5) * 12000.0);
		uint8_t b[2] = { (uint8_t)(s & 0xFF), (uint8_t)((uint16_t)s >> 8) };
		assert_int_equal(fwrite(b, 1, 2, f), 2);
	}
	fclose(f);
}

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/tellus-clips-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(audio_file, sizeof audio_file, "%s/audio.raw", tmpdir);
	snprintf(clip_en, sizeof clip_en, "%s/feeling-en.wav", tmpdir);
	snprintf(clip_ur, sizeof clip_ur, "%s/feeling-ur.wav", tmpdir);
	write_sine_wav(clip_en, 16000, 0.3);
	write_sine_wav(clip_ur, 16000, 0.7);
	setenv("SDL_AUDIODRIVER", "disk", 1);
	setenv("SDL_DISKAUDIOFILE", audio_file, 1);
	setenv("SDL_DISKAUDIODELAY", "2", 1);  /* about ten times real time */
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(audio_file);
	unlink(clip_en);
	unlink(clip_ur);
	rmdir(tmpdir);
	return 0;
}

static void
wait_quiet(harness *h)
{
	speech *sp = app_speech(h->app);
	for (int i = 0; i < 3000 && speech_busy(sp); i++)
		SDL_Delay(5);
	assert_false(speech_busy(sp));
	SDL_Delay(60);  /* the device's own buffer reaches the file */
}

/* Seconds of sound (first to last non-zero sample) written since *off. */
static double
heard_since(long *off, int rate)
{
	FILE *f = fopen(audio_file, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long end = ftell(f) & ~1L;
	long n = (end - *off) / 2;
	double secs = 0;
	if (n > 0) {
		int16_t *s = malloc((size_t)n * 2);
		assert_non_null(s);
		fseek(f, *off, SEEK_SET);
		assert_int_equal(fread(s, 2, (size_t)n, f), (size_t)n);
		long first = -1, last = -1;
		for (long i = 0; i < n; i++)
			if (s[i] != 0) {
				if (first < 0)
					first = i;
				last = i;
			}
		if (first >= 0)
			secs = (double)(last - first + 1) / rate;
		free(s);
	}
	fclose(f);
	*off = end;
	return secs;
}

/* The first question's clips, as a flow file's 'clip: { en: ..., ur: ... }'
 * would give them (a model built by hand: flow_destroy frees it). */
static void
give_clips(flow *f, bool ur)
{
	flow_question *q = &f->questions[0];
	assert_int_equal(q->n_clips, 0);
	q->clips = calloc(2, sizeof *q->clips);
	assert_non_null(q->clips);
	q->clips[q->n_clips++] = (flow_clip){ .lang = strdup("en"), .path = strdup(clip_en) };
	if (ur)
		q->clips[q->n_clips++] = (flow_clip){ .lang = strdup("ur"), .path = strdup(clip_ur) };
}

static int
lang_index(const harness *h, const char *lang)
{
	for (size_t i = 0; i < h->flow->n_languages; i++)
		if (strcmp(h->flow->languages[i], lang) == 0)
			return (int)i;
	fail_msg("the flow has no '%s'", lang);
	return -1;
}

/* A person in lang starts; what the first question says, and how long. */
static double
first_question_heard(harness *h, const char *lang, char *said, size_t len)
{
	speech *sp = app_speech(h->app);
	int rate = speech_sample_rate(sp);
	long off = 0;
	wait_quiet(h);
	if (strcmp(lang, "en") != 0) {
		h_click(h, APP_ACT_OPEN_LANGUAGE, 0);
		h_click(h, APP_ACT_SET_LANGUAGE, lang_index(h, lang));
		assert_string_equal(app_view(h->app)->language, lang);
		wait_quiet(h);
	}
	heard_since(&off, rate);   /* the welcome's words */
	h_click(h, APP_ACT_START, 0);
	assert_int_equal(app_view(h->app)->screen, SCREEN_QUESTION);
	assert_int_equal(app_view(h->app)->question_index, 0);
	snprintf(said, len, "%s", app_last_spoken(h->app));
	wait_quiet(h);
	assert_int_equal(speech_clip_failures(sp), 0);
	return heard_since(&off, rate);
}

/* Each language with its own recording hears its own. */
static void
each_language_its_clip(void **state)
{
	(void)state;
	static const struct { const char *lang; const char *clip; double secs; } cases[] = {
		{ "ur", clip_ur, 0.7 },
		{ "en", clip_en, 0.3 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		harness h;
		h_open(&h, "school-day.yaml", W, H, true);
		assert_true(app_access(h.app)->speech);
		give_clips(h.flow, true);
		char said[512];
		double secs = first_question_heard(&h, cases[i].lang, said, sizeof said);
		printf("# %s: said %s, heard %.3f s\n", cases[i].lang, said, secs);
		assert_string_equal(said, cases[i].clip);
		assert_true(fabs(secs - cases[i].secs) < 0.05);
		h_close(&h);
	}
}

/* English has a clip and Urdu has none: an Urdu speaker hears the
 * question in the Urdu voice, not the English recording. Polish the same. */
static void
missing_clip_is_the_voice(void **state)
{
	(void)state;
	static const char *const langs[] = { "ur", "pl" };
	for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++) {
		harness h;
		h_open(&h, "school-day.yaml", W, H, true);
		give_clips(h.flow, false);
		char said[512];
		double secs = first_question_heard(&h, langs[i], said, sizeof said);
		printf("# %s: said %s, heard %.3f s\n", langs[i], said, secs);
		assert_null(strstr(said, ".wav"));
		assert_string_equal(said, tstr_get(&h.flow->questions[0].prompt, langs[i], NULL));
		assert_true(secs > 0.2);   /* the voice spoke it */
		h_close(&h);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_language_its_clip),
		cmocka_unit_test(missing_clip_is_the_voice),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
