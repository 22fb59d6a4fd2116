/*
 * dwell: choosing by resting the pointer (a head pointer, eye gaze) on a
 * target, as a pure state machine (no SDL, time passed in).
 *
 * Rules: resting dwell_ms on one target chooses it; moving off it, or onto
 * another, starts again from nothing. After a choice the same target cannot
 * be chosen again until the pointer has left it or the screen has changed,
 * so a pointer left lying on a picture never answers twice. Progress is
 * 0..1, in quarters with reduced motion.
 */
#ifndef TELLUS_DWELL_H
#define TELLUS_DWELL_H

#include <stdbool.h>
#include <stdint.h>
#include "config/access.h"

typedef struct dwell_state {
	int target;        /* under the pointer, -1 none */
	int64_t since_ms;  /* resting there since */
	int blocked;       /* chosen and not yet left, -1 none */
} dwell_state;

void dwell_init(dwell_state *d);
/* A new screen: a pointer lying still starts a fresh dwell on it. */
void dwell_new_screen(dwell_state *d);
/* The pointer is over target `hit` (-1 for none) at now. Returns true when
 * the look changed (the ring starts or goes). */
bool dwell_pointer(dwell_state *d, int hit, int64_t now);
/* Returns the target to choose now, or -1. */
int dwell_tick(dwell_state *d, const access_settings *a, int64_t now);
/* The target whose ring shows, or -1, and how full it is. */
int dwell_showing(const dwell_state *d);
float dwell_progress(const dwell_state *d, const access_settings *a, int64_t now);
/* When to wake next: the choice, or the ring's next step; INT64_MAX when
 * nothing is filling. */
int64_t dwell_next_deadline(const dwell_state *d, const access_settings *a, int64_t now);

#endif
