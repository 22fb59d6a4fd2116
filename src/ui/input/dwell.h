/*
 * dwell: choosing by resting the pointer (a head pointer, eye gaze) on a
 * target, as a pure state machine (no SDL, time passed in).
 *
 * Rules: resting dwell_ms on one target chooses it; moving off it, or onto
 * another, starts again from nothing. After a choice the same target cannot
 * be chosen again until the pointer has left it or the screen has changed,
 * so a pointer left lying on a picture never answers twice. Progress is
 * 0..1, in quarters with reduced motion.
 *
 * Fresh intent only: a new screen, an overlay or a changed layout disarms
 * dwell. The place the pointer was when it appeared is the anchor; no ring
 * starts, and nothing is chosen, until the pointer has moved at least
 * dwell_move_px from it. A pointer left lying where the next screen puts an
 * answer (or "Yes, I'm here") therefore chooses nothing, however long it
 * lies there.
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
	bool armed;        /* moved a clear distance since the screen appeared */
	bool have_anchor;  /* the pointer's place when the screen appeared is known */
	int anchor_x, anchor_y;
	uint64_t layout;   /* the targets' shape dwell was armed for (dwell_layout) */
} dwell_state;

void dwell_init(dwell_state *d);
/* A new screen or overlay: disarmed, anchored at the pointer's next
 * reported place. */
void dwell_new_screen(dwell_state *d);
/* The screen was built with targets whose shape hashes to `layout`; a
 * change (cards moved, a button appeared) disarms as a new screen does. */
void dwell_layout(dwell_state *d, uint64_t layout);
/* The pointer is at (x, y), over target `hit` (-1 for none), at now.
 * Returns true when the look changed (the ring starts or goes). */
bool dwell_pointer(dwell_state *d, const access_settings *a, int hit, int x, int y,
                   int64_t now);
/* The pointer has moved a clear distance since the screen appeared (a
 * motion before that is not a fresh act of the person). */
bool dwell_armed(const dwell_state *d);
/* Returns the target to choose now, or -1. */
int dwell_tick(dwell_state *d, const access_settings *a, int64_t now);
/* The target whose ring shows, or -1, and how full it is. */
int dwell_showing(const dwell_state *d);
float dwell_progress(const dwell_state *d, const access_settings *a, int64_t now);
/* When to wake next: the choice, or the ring's next step; INT64_MAX when
 * nothing is filling. */
int64_t dwell_next_deadline(const dwell_state *d, const access_settings *a, int64_t now);

#endif
