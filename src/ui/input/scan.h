/*
 * scan: switch access as a pure state machine (no SDL, time passed in), so
 * every timing rule is testable without a display.
 *
 * The highlight walks the current screen's targets in their order, from the
 * one the app says comes first (the first answer), wrapping round. Three
 * ways to drive it, by access_settings.method:
 *  - ACCESS_SCAN: it moves by itself every scan_interval_ms, staying
 *    scan_first_pause_ms longer on the first item of each round; after
 *    scan_rounds rounds with no press it rests (hidden). A press chooses the
 *    highlighted target; a press while resting only wakes it.
 *  - ACCESS_TAP_HOLD: a press released before switch_hold_ms moves it on;
 *    a press held switch_hold_ms chooses, at that moment (not on release).
 *  - ACCESS_TWO_SWITCH: switch 1 moves it on, switch 2 chooses.
 * In the one-switch ways either switch is "the switch".
 *
 * Fresh presses only: a switch held down when a new screen comes does
 * nothing on it (no step when it is let go, no hold that chooses) until it
 * is released and pressed again; a second "down" of a switch already down
 * (a bouncing contact, a repeat) is not a press.
 *
 * Repeats: steps are never filtered, so a fast two-switch user is never
 * slowed; a choice within repeat_ms of the last choice is ignored, so a
 * tremor or a bouncing switch does not answer the next question too.
 */
#ifndef TELLUS_SCAN_H
#define TELLUS_SCAN_H

#include <stdbool.h>
#include <stdint.h>
#include "config/access.h"

typedef struct scan_state {
	int n;                /* targets on screen; -1: a new screen, not yet counted */
	int first;            /* where each round starts */
	int index;            /* the highlighted target */
	int steps;            /* auto-scan: steps taken in this run of rounds */
	bool resting;         /* auto-scan stopped; the highlight is hidden */
	int64_t moved_ms;     /* when the highlight last moved (or woke) */
	bool down;            /* tap-hold: the switch is held */
	int down_sw;          /* ... which one (0 or 1) */
	bool hold_done;       /* that hold already chose */
	int64_t down_ms;
	bool held[2];         /* switch 1 and 2 are down now */
	bool stale[2];        /* ... and were down when this screen came: not a fresh press */
	bool has_choice;
	int64_t last_choice_ms;
	int64_t repeat_ms;
} scan_state;

void scan_init(scan_state *s, int64_t repeat_ms);
/* The screen changed: the count is taken again at the next scan_count, and
 * a switch still held is stale until it is let go. */
void scan_new_screen(scan_state *s);
/* Every switch let go, without acting: the way of answering changed (a
 * switch's release would now go elsewhere), or the window lost focus (its
 * release may never come). The next press is a fresh one. */
void scan_release_all(scan_state *s);
/* The screen has n targets, the first answer at `first`. On a new screen
 * the highlight starts at first; on the same screen it stays where it is
 * (a Done button appearing must not move it). Returns true if it moved. */
bool scan_count(scan_state *s, int n, int first, int64_t now);
/* Auto-scan has not yet offered every target once since this screen came
 * (or since the last choice, or a wake from rest): the person is still
 * being shown their choices. */
bool scan_first_round(const scan_state *s);
/* The highlighted target, or -1 when none shows (resting, no targets). */
int scan_highlight(const scan_state *s);
/* Put the highlight on ti (a keyboard user moved the focus). */
void scan_set(scan_state *s, int ti, int64_t now);

/* A switch went down or up (sw 1 or 2). Returns the target to choose, or
 * -1; *redraw is set when the look changed. */
int scan_switch(scan_state *s, const access_settings *a, int sw, bool down,
                int64_t now, bool *redraw);
/* Time moved on: auto-scan steps, a tap-hold press reaches its hold time.
 * Returns the target to choose, or -1. */
int scan_tick(scan_state *s, const access_settings *a, int64_t now, bool *redraw);
/* When scan_tick next has something to do (or a hold's progress should be
 * drawn again); INT64_MAX for never. */
int64_t scan_next_deadline(const scan_state *s, const access_settings *a, int64_t now);
/* Tap-hold: how far the held press is towards choosing, 0..1 (in quarters
 * with reduced motion); 0 when nothing is held. */
float scan_hold_progress(const scan_state *s, const access_settings *a, int64_t now);

#endif
