/*
 * theme: the default and the high-contrast theme, and the WCAG contrast
 * arithmetic that keeps them honest.
 *
 * Default: a warm off-white background and near-black text (about 15:1),
 * soft cards, one strong colour for the main action; every text pair at
 * least 7:1. High contrast: white and yellow on black, thick white edges,
 * pictures on white tiles so their dark outlines still show; every text
 * pair at least 15:1. Screens draw text only in these pairs, and the
 * contrast test measures them again from screenshots.
 */
#include "draw/theme.h"

#include <math.h>
#include <stddef.h>

static const ui_theme themes[THEME_COUNT] = {
	[THEME_DEFAULT] = {
		.name = "default",
		.min_contrast = 7.0,
		.bg = { 0xFB, 0xF7, 0xEE, 0xFF },
		.text = { 0x1B, 0x1F, 0x2A, 0xFF },
		.card = { 0xFF, 0xFF, 0xFF, 0xFF },
		.card_border = { 0x85, 0x7D, 0x6E, 0xFF },   /* 3.8:1 on bg, 4.1:1 on card */
		.card_pressed = { 0xE3, 0xEC, 0xFA, 0xFF },
		.selected = { 0x1F, 0x6F, 0x3A, 0xFF },
		.primary = { 0x16, 0x4B, 0x8C, 0xFF },
		.primary_text = { 0xFF, 0xFF, 0xFF, 0xFF },
		.focus_outer = { 0x00, 0x00, 0x00, 0xFF },
		.focus_inner = { 0xFF, 0xD4, 0x00, 0xFF },
		.dot = { 0x85, 0x7D, 0x6E, 0xFF },           /* 3.8:1 on bg */
		.dot_done = { 0x16, 0x4B, 0x8C, 0xFF },
		.muted_text = { 0x3A, 0x3F, 0x4B, 0xFF },
		.symbol_back = { 0, 0, 0, 0 },
		.border_scale = 1,
	},
	[THEME_HIGH_CONTRAST] = {
		.name = "high-contrast",
		.min_contrast = 15.0,
		.bg = { 0x00, 0x00, 0x00, 0xFF },
		.text = { 0xFF, 0xFF, 0xFF, 0xFF },          /* 21:1 on black */
		.card = { 0x00, 0x00, 0x00, 0xFF },
		.card_border = { 0xFF, 0xFF, 0xFF, 0xFF },
		.card_pressed = { 0x12, 0x12, 0x12, 0xFF },  /* white on it 18.1:1, yellow 15.4:1 */
		.selected = { 0xFF, 0xEE, 0x58, 0xFF },
		.primary = { 0xFF, 0xEE, 0x58, 0xFF },       /* black on it: 17.6:1 */
		.primary_text = { 0x00, 0x00, 0x00, 0xFF },
		.focus_outer = { 0xFF, 0xFF, 0xFF, 0xFF },
		.focus_inner = { 0x00, 0x77, 0xDD, 0xFF },   /* 4.5:1 on the white band */
		.dot = { 0x76, 0x76, 0x76, 0xFF },           /* 4.6:1 on black */
		.dot_done = { 0xFF, 0xEE, 0x58, 0xFF },
		.muted_text = { 0xFF, 0xEE, 0x58, 0xFF },    /* yellow on black: 17.6:1 */
		.symbol_back = { 0xFF, 0xFF, 0xFF, 0xFF },
		.border_scale = 2,
	},
};

const ui_theme *
theme_default(void)
{
	return &themes[THEME_DEFAULT];
}

const ui_theme *
theme_get(enum theme_id id)
{
	return (unsigned)id < THEME_COUNT ? &themes[id] : &themes[THEME_DEFAULT];
}

static double
channel(uint8_t v)
{
	double c = v / 255.0;
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double
luminance(ui_color c)
{
	return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double
theme_contrast(ui_color a, ui_color b)
{
	double la = luminance(a), lb = luminance(b);
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

double
theme_check(const ui_theme *th, const char **which)
{
	/* Every pair layout.c and the screens draw words in. A pressed
	 * primary button swaps its face to the text colour. */
	const struct { const char *name; size_t fg, bg; } pairs[] = {
		{ "text on bg", offsetof(ui_theme, text), offsetof(ui_theme, bg) },
		{ "text on card", offsetof(ui_theme, text), offsetof(ui_theme, card) },
		{ "text on card_pressed", offsetof(ui_theme, text), offsetof(ui_theme, card_pressed) },
		{ "muted_text on bg", offsetof(ui_theme, muted_text), offsetof(ui_theme, bg) },
		{ "muted_text on card", offsetof(ui_theme, muted_text), offsetof(ui_theme, card) },
		{ "muted_text on card_pressed", offsetof(ui_theme, muted_text), offsetof(ui_theme, card_pressed) },
		{ "primary_text on primary", offsetof(ui_theme, primary_text), offsetof(ui_theme, primary) },
		{ "primary_text on text (pressed)", offsetof(ui_theme, primary_text), offsetof(ui_theme, text) },
	};
	double lo = 21.0;
	if (which)
		*which = NULL;
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		const ui_color *fg = (const ui_color *)(const void *)((const char *)th + pairs[i].fg);
		const ui_color *bg = (const ui_color *)(const void *)((const char *)th + pairs[i].bg);
		double c = theme_contrast(*fg, *bg);
		if (c < lo) {
			lo = c;
			if (which)
				*which = pairs[i].name;
		}
	}
	return lo;
}
