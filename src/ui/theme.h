/*
 * theme: colours and proportions, in one place so every screen is calm and
 * consistent and a high-contrast theme can replace the whole set at once.
 * Text colours are chosen for at least 7:1 contrast on their backgrounds.
 */
#ifndef TELLUS_THEME_H
#define TELLUS_THEME_H

#include <stdint.h>

typedef struct ui_color { uint8_t r, g, b, a; } ui_color;

typedef struct ui_theme {
	const char *name;
	ui_color bg;            /* screen background */
	ui_color text;          /* main text on bg and on cards */
	ui_color card;          /* answer and button faces */
	ui_color card_border;
	ui_color card_pressed;  /* a face while a finger is on it */
	ui_color selected;      /* chosen pictures (choose-many), thick border */
	ui_color primary;       /* Start, Done, Yes: the one thing to press */
	ui_color primary_text;
	ui_color focus_outer;   /* keyboard focus ring: two bands, visible on anything */
	ui_color focus_inner;
	ui_color dot;           /* progress dots */
	ui_color dot_done;
	ui_color muted_text;    /* secondary text, still >= 7:1 */
} ui_theme;

const ui_theme *theme_default(void);

#endif
