/*
 * input: turns pointers (fingers and mouse, one path) and keys into
 * "press this target". No SDL here: touch.c and keyboard.c translate SDL
 * events into these calls, which keeps every rule below testable without a
 * display.
 *
 * Rules: the pressed look shows on the next frame; a choice counts on
 * release inside the target it started on (sliding off cancels, sliding
 * back re-arms); while one pointer is down every other is ignored, so two
 * fingers never choose two things; an activation within double_tap_ms of
 * the last is ignored, so a second tap is not a second answer. A pointer
 * whose release never came does not hold the screen for ever: after
 * INPUT_LOST_MS another may press. Filters per
 * person: a touch released sooner than min_hold_ms after it went down is
 * ignored (a brush is not a choice); with select_on_press the choice counts
 * as the pointer goes down (min_hold_ms then does not apply: there is no
 * release to measure) and its release does nothing. Arrows move
 * the focus to the nearest target that way, Tab and Shift+Tab go in order,
 * Enter or Space press the focused target.
 */
#ifndef TELLUS_INPUT_H
#define TELLUS_INPUT_H

#include <stdbool.h>
#include <stdint.h>
#include "ui.h"

/* A pointer down this long with no release is taken for lost (its up, or
 * a touch cancel, never came) once another pointer goes down. Longer than
 * the staff gesture's hold, so a second finger cannot cut that short. */
#define INPUT_LOST_MS 4000

enum ui_key { KEY_NONE = 0, KEY_LEFT, KEY_RIGHT, KEY_UP, KEY_DOWN, KEY_NEXT,
              KEY_PREV, KEY_SELECT };

typedef struct input_state {
	bool active;          /* a pointer is down */
	int64_t ptr;          /* which one */
	int pressed;          /* target it went down on, or -1 */
	bool inside;          /* still inside that target */
	int focus;            /* -1: none yet */
	bool show_focus;      /* keyboard in use: draw the ring */
	bool has_activation;
	int64_t last_activation_ms;
	int64_t double_tap_ms;
	int64_t min_hold_ms;  /* set by the app from the person's settings */
	bool select_on_press;
	int64_t down_ms;      /* when the active pointer went down */
} input_state;

void input_init(input_state *in, int64_t double_tap_ms);
/* A new screen: nothing pressed, focus back to the start. */
void input_new_screen(input_state *in);
/* The target index pressed now (for drawing): pressed and still inside. */
int input_pressed(const input_state *in);

/* Each returns the target index to activate, or -1; *redraw is set when the
 * look changed. now is monotonic ms. */
int input_pointer_down(input_state *in, const ui_target *t, int n,
                       int64_t ptr, int x, int y, int64_t now, bool *redraw);
int input_pointer_move(input_state *in, const ui_target *t, int n,
                       int64_t ptr, int x, int y, bool *redraw);
int input_pointer_up(input_state *in, const ui_target *t, int n,
                     int64_t ptr, int x, int y, int64_t now, bool *redraw);
/* The window lost the pointer (focus lost, touch cancelled). */
void input_pointer_cancel(input_state *in, bool *redraw);
int input_key(input_state *in, const ui_target *t, int n, enum ui_key k,
              int64_t now, bool *redraw);
/* Which target is at (x, y), or -1. */
int input_hit(const ui_target *t, int n, int x, int y);

#endif
