/*
 * speech: reading questions and answers aloud, behind one header.
 *
 * What it promises:
 * - Nothing here blocks the caller on synthesis or on the disk. speech_say
 *   and speech_play_clip hand a request to a worker thread and return.
 * - A new request supersedes whatever is being said: audio already queued
 *   to the device is dropped and synthesis of the old text stops.
 * - Speech and recorded clips share one SDL audio device, opened once.
 * - With no sound device the object still exists: speech_available() is
 *   false, every call is a harmless no-op, and speech_status() says so in
 *   plain words for the staff menu.
 * - All espeak-ng calls happen on the worker thread (espeak-ng is global
 *   state), so only one speech object should speak at a time.
 *
 * The backend is espeak-ng (speech_espeak.c); the silent fallback (no
 * device, or opt->silent) lives in speech.c.
 */
#ifndef TELLUS_SPEECH_H
#define TELLUS_SPEECH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/error.h"

typedef struct speech speech;

/* One row of the per-language voice table: the flow's language code, the
 * espeak-ng voice to use for it, and its rate in words per minute (0 = the
 * options' default_rate_wpm). Use voice names as espeak-ng-data names them
 * ("en", "pl", "ur", "ar", "bn"). */
typedef struct speech_voice {
  const char *lang;
  const char *voice;
  int rate_wpm;
} speech_voice;

typedef struct speech_options {
  const speech_voice *voices; /* copied; may be NULL when n_voices is 0 */
  size_t n_voices;
  int default_rate_wpm;       /* 0 = 150, gentle for young listeners */
  const char *espeak_data;    /* NULL = espeak-ng's built-in path */
  bool silent;                /* speech switched off: never open a device */
} speech_options;

/* opt may be NULL (defaults). 0 and *out (caller frees with speech_destroy);
 * fails (-1, err filled) only when memory or a lock cannot be had; a
 * missing sound device is not a failure. */
int speech_create(const speech_options *opt, speech **out, tl_error *err);
void speech_destroy(speech *sp);

/* Says text (UTF-8) in lang's voice, cancelling what is being said. lang is
 * looked up in the table (exactly, then by its primary subtag); a language
 * not in the table is read by the espeak voice of that name; NULL: the first
 * row's voice, else "en". Empty text only cancels. */
void speech_say(speech *sp, const char *text, const char *lang);
/* Plays a recorded WAV clip in place of the voice, cancelling what is being
 * said. The file is read on the worker thread; a clip that cannot be read is
 * counted in speech_clip_failures and nothing is heard. */
void speech_play_clip(speech *sp, const char *wav_path);
/* Stops speech and clips at once. */
void speech_stop(speech *sp);

/* False when there is no sound device (or speech is switched off). */
bool speech_available(const speech *sp);
/* Plain words for staff; borrowed for the object's life. */
const char *speech_status(const speech *sp);
/* True while a request is waiting, being synthesized or still playing. */
bool speech_busy(speech *sp);
/* The device's sample rate (16-bit mono); 0 without a device. */
int speech_sample_rate(const speech *sp);
/* Microseconds from the last speech_say/speech_play_clip call to its first
 * samples reaching the device queue; -1 until something has been heard. */
int64_t speech_last_start_latency_us(speech *sp);
/* Clips that could not be loaded or converted since creation. */
int speech_clip_failures(speech *sp);

/*
 * The synthesis backend, for speech.c only. All three are called on the
 * speech worker thread and nowhere else.
 */
/* Returns 0 and the engine's sample rate (16-bit mono), or -1. */
int speech_engine_open(const char *data_path, int *sample_rate);
/* Receives each block of samples; return nonzero to stop synthesis. */
typedef int (*speech_engine_sink)(const int16_t *samples, int n, void *ctx);
/* Synthesizes text with voice at rate_wpm, pushing samples into sink.
 * Returns 0, or -1 when the voice is unknown or synthesis failed. */
int speech_engine_say(const char *text, const char *voice, int rate_wpm,
                      speech_engine_sink sink, void *ctx);
void speech_engine_close(void);

#endif
