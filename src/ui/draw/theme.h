/*
 * theme: colours and proportions, in one place so every screen is calm and
 * consistent and a high-contrast theme can replace the whole set at once.
 *
 * Promise: every pair of colours a screen draws text in (text on bg, card
 * and card_pressed; muted_text on bg, card and card_pressed; primary_text on primary and,
 * pressed, on text) reaches the theme's min_contrast: 7:1 (WCAG AAA) for
 * the default, 15:1 for high contrast. theme_check() proves it from the
 * table and tests/test_ui_contrast.c measures it again from screenshots.
 */
#ifndef TELLUS_THEME_H
#define TELLUS_THEME_H

#include <stdint.h>
#include "config/access.h"

typedef struct ui_color { uint8_t r, g, b, a; } ui_color;

typedef struct ui_theme {
	const char *name;
	double min_contrast;    /* what every text pair must reach */
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
	ui_color muted_text;    /* secondary text, still at min_contrast */
	/* Pictures are drawn with dark outlines: on a dark theme they sit on
	 * a light tile of this colour (alpha 0: no tile). */
	ui_color symbol_back;
	int border_scale;       /* card edges this many times the usual width */
} ui_theme;

const ui_theme *theme_default(void);
/* The theme for an id; the default for an unknown one. Never NULL. */
const ui_theme *theme_get(enum theme_id id);

/* WCAG 2 contrast ratio of two opaque colours, 1 to 21. */
double theme_contrast(ui_color a, ui_color b);
/* The lowest contrast over every text pair the screens use; *which (may be
 * NULL) names that pair, e.g. "muted_text on card". */
double theme_check(const ui_theme *th, const char **which);

#endif
