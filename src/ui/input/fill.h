/*
 * fill: how far a filling ring has got (a dwell, a switch held down), the
 * one rule both use: elapsed over total, kept within 0..1, and in four
 * steps instead of smoothly when the person asked for reduced motion.
 */
#ifndef TELLUS_INPUT_FILL_H
#define TELLUS_INPUT_FILL_H

#include <stdbool.h>
#include <stdint.h>

static inline float
input_fill(int64_t elapsed_ms, int64_t total_ms, bool reduced_motion)
{
	float p = (float)elapsed_ms / (float)total_ms;
	if (p > 1.0f)
		p = 1.0f;
	if (p < 0.0f)
		p = 0.0f;
	if (reduced_motion)
		p = (float)(int)(p * 4.0f) / 4.0f;
	return p;
}

#endif
