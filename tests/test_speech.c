/*
 * test_speech: the speech module with real espeak-ng and a real SDL audio
 * device. SDL's "disk" driver writes what the device plays to a file, so we
 * measure the audio that would have been heard: its length (first to last
 * non-zero sample; the driver writes silence as zeros around it) and its
 * loudness. An invalid driver name stands in for a kiosk with no sound card.
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
#include <SDL.h>

#include "speech/speech.h"

static char tmpdir[256];
static int audio_file_no;
static char audio_file[300];

static const speech_voice voices[] = {
	{ "en", "en", 160 },
	{ "pl", "pl", 0 },
	{ "ur", "ur", 140 },
	{ "ar", "ar", 0 },
	{ "bn", "bn", 0 },
};

/* Points the disk driver at a fresh file. 2 ms per 512-frame buffer plays
 * about ten times faster than real time, so the tests stay quick. */
static void
use_disk_driver(void)
{
	snprintf(audio_file, sizeof audio_file, "%s/audio%d.raw", tmpdir, audio_file_no++);
	setenv("SDL_AUDIODRIVER", "disk", 1);
	setenv("SDL_DISKAUDIOFILE", audio_file, 1);
	setenv("SDL_DISKAUDIODELAY", "2", 1);
}

static speech *
make_speech(void)
{
	speech_options opt = { voices, sizeof voices / sizeof voices[0], 0, NULL, false };
	speech *sp = NULL;
	assert_int_equal(speech_create(&opt, &sp, NULL), 0);
	assert_non_null(sp);
	return sp;
}

/* Waits (up to 20 s) until everything asked for has been played, then a
 * little more so the device's own buffer reaches the file. */
static void
wait_quiet(speech *sp)
{
	for (int i = 0; i < 2000 && speech_busy(sp); i++)
		SDL_Delay(10);
	assert_false(speech_busy(sp));
	SDL_Delay(80);
}

typedef struct heard {
	double seconds; /* first to last non-zero sample */
	double rms;     /* over that span */
} heard;

/* Reads the disk driver's file (16-bit mono at rate) after the device is
 * closed, so it is complete. */
static heard
measure(int rate)
{
	heard h = { 0, 0 };
	FILE *f = fopen(audio_file, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	assert_true(size >= 0);
	size_t n = (size_t)size / 2;
	int16_t *s = malloc(n ? n * 2 : 2);
	assert_non_null(s);
	assert_int_equal(fread(s, 2, n, f), n);
	fclose(f);
	size_t first = n, last = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != 0) {
			if (first == n)
				first = i;
			last = i;
		}
	}
	if (first < n) {
		double sum = 0;
		for (size_t i = first; i <= last; i++)
			sum += (double)s[i] * s[i];
		h.seconds = (double)(last - first + 1) / rate;
		h.rms = sqrt(sum / (double)(last - first + 1));
	}
	free(s);
	if (!getenv("KEEP_AUDIO"))
		unlink(audio_file);
	return h;
}

/* Says text alone on a fresh device and measures what came out. */
static heard
say_alone(const char *text, const char *lang, int64_t *latency_us)
{
	use_disk_driver();
	speech *sp = make_speech();
	assert_true(speech_available(sp));
	assert_string_equal(speech_status(sp), "Speech is on");
	int rate = speech_sample_rate(sp);
	assert_true(rate >= 8000);
	assert_int_equal(speech_last_start_latency_us(sp), -1);
	speech_say(sp, text, lang);
	wait_quiet(sp);
	if (latency_us)
		*latency_us = speech_last_start_latency_us(sp);
	speech_destroy(sp);
	return measure(rate);
}

static const char *short_text = "How was today?";
static const char *long_text =
	"Thank you for telling us about your day at school. Next, we would like "
	"to know which room you liked best, and who helped you when things felt hard.";

static void
test_short_prompt(void **state)
{
	int64_t lat = -1;
	heard h = say_alone(short_text, "en", &lat);
	printf("# \"%s\": %.2f s of audio, rms %.0f, start latency %.1f ms\n",
	       short_text, h.seconds, h.rms, (double)lat / 1000.0);
	assert_true(h.seconds > 0.5);
	assert_true(h.seconds < 4.0);
	assert_true(h.rms > 300.0); /* a voice, not near-silence */
	assert_true(lat >= 0);
	assert_true(lat < 2000000); /* sanity; the benchmark judges the target */
}

static void
test_longer_text_longer_audio(void **state)
{
	heard s = say_alone(short_text, "en", NULL);
	heard l = say_alone(long_text, "en", NULL);
	printf("# short %.2f s, long %.2f s\n", s.seconds, l.seconds);
	assert_true(l.seconds > s.seconds * 2.0);
	assert_true(l.seconds < 20.0);
}

static void
test_rate_from_table(void **state)
{
	/* The same words at 80 wpm take clearly longer than at 300 wpm. */
	double secs[2];
	int rates[2] = { 80, 300 };
	for (int i = 0; i < 2; i++) {
		use_disk_driver();
		speech_voice v = { "en", "en", rates[i] };
		speech_options opt = { &v, 1, 0, NULL, false };
		speech *sp = NULL;
		assert_int_equal(speech_create(&opt, &sp, NULL), 0);
		assert_non_null(sp);
		int rate = speech_sample_rate(sp);
		speech_say(sp, long_text, "en-GB"); /* found by its primary subtag */
		wait_quiet(sp);
		speech_destroy(sp);
		secs[i] = measure(rate).seconds;
	}
	printf("# 80 wpm %.2f s, 300 wpm %.2f s\n", secs[0], secs[1]);
	assert_true(secs[1] > 1.0);
	assert_true(secs[0] > secs[1] * 2.0);
}

static void
test_second_cancels_first(void **state)
{
	heard s = say_alone(short_text, "en", NULL);
	heard l = say_alone(long_text, "en", NULL);

	/* Real-time playback here, so how much of the long text is heard
	 * before the interruption does not depend on how busy the machine is. */
	use_disk_driver();
	setenv("SDL_DISKAUDIODELAY", "23", 1);
	speech *sp = make_speech();
	int rate = speech_sample_rate(sp);
	speech_say(sp, long_text, "en");
	/* Wait until the long text is really playing, then interrupt it. */
	for (int i = 0; i < 500 && speech_last_start_latency_us(sp) < 0; i++)
		SDL_Delay(2);
	assert_true(speech_last_start_latency_us(sp) >= 0);
	SDL_Delay(30);
	speech_say(sp, short_text, "en");
	wait_quiet(sp);
	speech_destroy(sp);
	heard both = measure(rate);
	printf("# long alone %.2f s, short alone %.2f s, long cut by short %.2f s\n",
	       l.seconds, s.seconds, both.seconds);
	/* All of the short text, and only a little of the long one. */
	assert_true(both.seconds >= s.seconds * 0.9);
	assert_true(both.seconds < l.seconds);
	assert_true(both.seconds < l.seconds + s.seconds);
}

static void
test_stop_silences(void **state)
{
	use_disk_driver();
	speech *sp = make_speech();
	int rate = speech_sample_rate(sp);
	speech_say(sp, long_text, "en");
	for (int i = 0; i < 500 && speech_last_start_latency_us(sp) < 0; i++)
		SDL_Delay(2);
	speech_stop(sp);
	wait_quiet(sp);
	speech_destroy(sp);
	heard h = measure(rate);
	printf("# stopped after %.2f s\n", h.seconds);
	assert_true(h.seconds < 2.0);
}

static void
test_other_languages(void **state)
{
	struct {
		const char *lang, *text;
	} cases[] = {
		{ "pl", "Jak ci minął dzień?" },
		{ "ur", "آج کا دن کیسا رہا؟" },
		{ "ar", "كيف كان يومك؟" },
		{ "bn", "আজকের দিনটা কেমন ছিল?" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		heard h = say_alone(cases[i].text, cases[i].lang, NULL);
		printf("# %s: %.2f s, rms %.0f\n", cases[i].lang, h.seconds, h.rms);
		assert_true(h.seconds > 0.4);
		assert_true(h.seconds < 5.0);
		assert_true(h.rms > 300.0);
	}
}

/* A 16-bit mono RIFF WAV of a 440 Hz sine, written by hand. */
static void
write_sine_wav(const char *path, int rate, double seconds)
{
	uint32_t frames = (uint32_t)(rate * seconds);
	uint32_t data = frames * 2;
	uint8_t hdr[44];
	memcpy(hdr, "RIFF", 4);
	uint32_t v32;
	uint16_t v16;
#define PUT32(off, x) (v32 = (x), hdr[off] = v32 & 0xFF, hdr[off + 1] = (v32 >> 8) & 0xFF, \
	hdr[off + 2] = (v32 >> 16) & 0xFF, hdr[off + 3] = (v32 >> 24) & 0xFF)
#define PUT16(off, x) (v16 = (x), hdr[off] = v16 & 0xFF, hdr[off + 1] = (v16 >> 8) & 0xFF)
	PUT32(4, 36 + data);
	memcpy(hdr + 8, "WAVEfmt ", 8);
	PUT32(16, 16);
	PUT16(20, 1);            /* PCM */
	PUT16(22, 1);            /* mono */
	PUT32(24, (uint32_t)rate);
	PUT32(28, (uint32_t)rate * 2);
	PUT16(32, 2);
	PUT16(34, 16);
	memcpy(hdr + 36, "data", 4);
	PUT32(40, data);
#undef PUT32
#undef PUT16
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(hdr, 1, 44, f), 44);
	for (uint32_t i = 0; i < frames; i++) {
		/* Phase offset so no sample is exactly zero at either end. */
		double x = sin(2.0 * M_PI * 440.0 * i / rate + 0.5);
		int16_t s = (int16_t)(x * 12000.0);
		uint8_t b[2] = { (uint8_t)(s & 0xFF), (uint8_t)((uint16_t)s >> 8) };
		assert_int_equal(fwrite(b, 1, 2, f), 2);
	}
	fclose(f);
}

static void
test_clip_plays(void **state)
{
	char wav[300];
	snprintf(wav, sizeof wav, "%s/clip.wav", tmpdir);
	/* 16 kHz on purpose: the clip must be converted to the device's rate. */
	write_sine_wav(wav, 16000, 0.5);

	use_disk_driver();
	speech *sp = make_speech();
	int rate = speech_sample_rate(sp);
	speech_play_clip(sp, wav);
	wait_quiet(sp);
	assert_int_equal(speech_clip_failures(sp), 0);
	assert_true(speech_last_start_latency_us(sp) >= 0);
	speech_destroy(sp);
	heard h = measure(rate);
	printf("# clip: %.3f s at %d Hz, rms %.0f\n", h.seconds, rate, h.rms);
	assert_true(fabs(h.seconds - 0.5) < 0.03);
	/* A sine of amplitude 12000 has an rms of about 8485. */
	assert_true(h.rms > 7500.0 && h.rms < 9500.0);
	unlink(wav);
}

static void
test_clip_missing_or_garbage(void **state)
{
	char bad[300];
	snprintf(bad, sizeof bad, "%s/bad.wav", tmpdir);
	FILE *f = fopen(bad, "wb");
	assert_non_null(f);
	fputs("RIFF not really a wave", f);
	fclose(f);

	use_disk_driver();
	speech *sp = make_speech();
	int rate = speech_sample_rate(sp);
	speech_play_clip(sp, "/nonexistent/clip.wav");
	wait_quiet(sp);
	speech_play_clip(sp, bad);
	wait_quiet(sp);
	assert_int_equal(speech_clip_failures(sp), 2);
	speech_destroy(sp);
	assert_true(measure(rate).seconds == 0.0);
	unlink(bad);
}

static void
test_no_sound_device(void **state)
{
	setenv("SDL_AUDIODRIVER", "tellus-no-such-driver", 1);
	speech *sp = make_speech();
	assert_false(speech_available(sp));
	assert_string_equal(speech_status(sp), "No sound device: the kiosk is silent");
	assert_int_equal(speech_sample_rate(sp), 0);
	uint64_t t0 = SDL_GetTicks64();
	for (int i = 0; i < 100; i++) {
		speech_say(sp, long_text, "en");
		speech_play_clip(sp, "/nonexistent/clip.wav");
	}
	speech_stop(sp);
	assert_true(SDL_GetTicks64() - t0 < 50);
	assert_false(speech_busy(sp));
	assert_int_equal(speech_last_start_latency_us(sp), -1);
	speech_destroy(sp);
}

static void
test_switched_off(void **state)
{
	use_disk_driver();
	speech_options opt = { NULL, 0, 0, NULL, true };
	speech *sp = NULL;
	assert_int_equal(speech_create(&opt, &sp, NULL), 0);
	assert_non_null(sp);
	assert_false(speech_available(sp));
	assert_string_equal(speech_status(sp), "Speech is off");
	speech_say(sp, short_text, NULL);
	assert_false(speech_busy(sp));
	speech_destroy(sp);
	speech_destroy(NULL);
	/* No device was opened, so the driver never made its file. */
	assert_int_equal(access(audio_file, F_OK), -1);
}

static void
test_default_options_latency(void **state)
{
	/* NULL options: English at the default rate. Several prompts in a row,
	 * as a flow would say them; report the worst start latency. */
	use_disk_driver();
	speech *sp = NULL;
	assert_int_equal(speech_create(NULL, &sp, NULL), 0);
	assert_non_null(sp);
	assert_true(speech_available(sp));
	int rate = speech_sample_rate(sp);
	const char *prompts[] = { "How was today?", "Who helped you?", "What did you like?",
		                  "Was anything hard?", "Thank you!" };
	int64_t worst = 0;
	for (size_t i = 0; i < sizeof prompts / sizeof prompts[0]; i++) {
		speech_say(sp, prompts[i], NULL);
		wait_quiet(sp);
		int64_t l = speech_last_start_latency_us(sp);
		assert_true(l >= 0);
		if (l > worst)
			worst = l;
	}
	speech_destroy(sp);
	printf("# start latency, worst of 5 prompts: %.1f ms\n", (double)worst / 1000.0);
	assert_true(measure(rate).seconds > 2.0);
}

/* The device closes itself after 3 s of quiet (so an idle kiosk sleeps)
 * and opens again, off the app's thread and outside the lock the app's
 * thread takes each frame, for the next words: they are heard, on the
 * device opened anew (the disk driver takes the file named when it opens,
 * so the second file has sound only if the device was opened again). */
static void
test_speaks_again_after_idle_close(void **state)
{
	(void)state;
	use_disk_driver();
	speech *sp = make_speech();
	int rate = speech_sample_rate(sp);
	speech_say(sp, short_text, "en");
	wait_quiet(sp);
	SDL_Delay(3700);   /* past IDLE_CLOSE_MS and the worker's 500 ms look */
	heard first = measure(rate);
	assert_true(first.seconds > 0.3);
	use_disk_driver();
	speech_say(sp, short_text, "en");
	wait_quiet(sp);
	speech_destroy(sp);
	heard again = measure(rate);
	printf("# after the idle close: %.2f s of audio\n", again.seconds);
	assert_true(again.seconds > 0.3);
}

int
main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/tellus-speech-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_prompt),
		cmocka_unit_test(test_longer_text_longer_audio),
		cmocka_unit_test(test_rate_from_table),
		cmocka_unit_test(test_second_cancels_first),
		cmocka_unit_test(test_stop_silences),
		cmocka_unit_test(test_other_languages),
		cmocka_unit_test(test_clip_plays),
		cmocka_unit_test(test_clip_missing_or_garbage),
		cmocka_unit_test(test_no_sound_device),
		cmocka_unit_test(test_switched_off),
		cmocka_unit_test(test_default_options_latency),
		cmocka_unit_test(test_speaks_again_after_idle_close),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	SDL_Quit();
	rmdir(tmpdir);
	return rc;
}
