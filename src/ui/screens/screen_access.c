/*
 * screen_access: "How do you like to answer?", an overlay a person opens
 * from the round button that sits in a top corner of every screen they see
 * (welcome, question, thanks), or that comes up once after Start when the
 * kiosk asks for it.
 *
 * It is made of pictures with one or two words each: Read aloud, Bigger
 * words, High contrast, then one of Touch, Switch and Dwell, then Language
 * and a big Done. Each option is a toggle whose chosen state is a tick, not
 * colour alone. The options change the person's own settings only; the app
 * puts the kiosk's back when the next person starts. Nothing here is an
 * answer and nothing here is stored. Every word is in the person's
 * language (words_access.c), shaped and spoken as that language.
 */
#include "app.h"
#include "ui.h"

#include <stdio.h>

static const char *const symbols[ACCESS_OPT_COUNT] = {
	[ACCESS_OPT_SPEECH] = "speaker",
	[ACCESS_OPT_LARGE_TEXT] = "books",
	[ACCESS_OPT_CONTRAST] = "idea",
	[ACCESS_OPT_TOUCH] = "start",
	[ACCESS_OPT_SWITCH] = "skip",
	[ACCESS_OPT_DWELL] = "still-there",
};

static bool
switching(const access_settings *acc)
{
	return acc->method == ACCESS_SCAN || acc->method == ACCESS_TAP_HOLD ||
	       acc->method == ACCESS_TWO_SWITCH;
}

bool
screen_access_chosen(const access_settings *acc, int opt)
{
	switch (opt) {
	case ACCESS_OPT_SPEECH: return acc->speech;
	case ACCESS_OPT_LARGE_TEXT: return acc->large_text;
	case ACCESS_OPT_CONTRAST: return acc->theme == THEME_HIGH_CONTRAST;
	case ACCESS_OPT_TOUCH: return acc->method == ACCESS_TOUCH;
	case ACCESS_OPT_SWITCH: return switching(acc);
	case ACCESS_OPT_DWELL: return acc->method == ACCESS_DWELL;
	default: return false;
	}
}

void
screen_access_apply(access_settings *acc, int opt)
{
	switch (opt) {
	case ACCESS_OPT_SPEECH:
		acc->speech = !acc->speech;
		break;
	case ACCESS_OPT_LARGE_TEXT:
		acc->large_text = !acc->large_text;
		break;
	case ACCESS_OPT_CONTRAST:
		acc->theme = acc->theme == THEME_HIGH_CONTRAST ? THEME_DEFAULT : THEME_HIGH_CONTRAST;
		break;
	case ACCESS_OPT_TOUCH:
		acc->method = ACCESS_TOUCH;
		break;
	case ACCESS_OPT_SWITCH:
		/* A switch user who came with tap-hold or two switches keeps it;
		 * anyone else starts with one switch and automatic scanning. */
		if (!switching(acc))
			acc->method = ACCESS_SCAN;
		break;
	case ACCESS_OPT_DWELL:
		acc->method = ACCESS_DWELL;
		break;
	default:
		break;
	}
}

const char *
screen_access_title(const char *lang, const char **said)
{
	const ui_access_words *aw = ui_access_words_for(lang);
	if (said)
		*said = aw->lang;
	return aw->title;
}

const char *
screen_access_label(const char *lang, int opt, const char **said)
{
	const ui_access_words *aw = ui_access_words_for(lang);
	if (said)
		*said = aw->lang;
	return opt >= 0 && opt < ACCESS_OPT_COUNT ? aw->options[opt] : "";
}

int
screen_access_button_size(const ui_ctx *c)
{
	return ui_max(c->min_target, ui_min(c->h / 9, c->w / 7));
}

ui_rect
screen_access_button(ui_ctx *c)
{
	int m = ui_margin(c), s = screen_access_button_size(c);
	ui_rect r = { c->w - m - s, m, s, s };
	char sym[1024];
	int ti = ui_add_target(c, r, ACT_OPEN_ACCESS, 0);
	ui_draw_target(c, ti, STYLE_ROUND, ui_symbol(c, "settings-hand", sym, sizeof sym), NULL,
	               false, false);
	return r;
}

void
screen_access_build(ui_ctx *c)
{
	const access_settings *acc = c->acc;
	const ui_words *wd = ui_words_for(c->view->language);
	const ui_access_words *aw = ui_access_words_for(c->view->language);
	int m = ui_margin(c), gap = m;
	char sym[1024];
	const char *lang = c->dl->lang;
	c->dl->lang = aw->lang;

	/* Title: the same raised hand as the button that opened this. */
	int th = ui_max(c->min_target * 3 / 4, c->h / 9);
	ui_image(c, (ui_rect){ m, m, th, th }, ui_symbol(c, "settings-hand", sym, sizeof sym));
	ui_text(c, (ui_rect){ m + th + gap, m, c->w - 2 * (m + th + gap), th }, aw->title, th * 6 / 10,
	        FONT_BOLD, ALIGN_CENTER, c->th->text);

	int done_h = ui_max(c->min_target, ui_min(c->h / 8, c->w / 6));
	int done_w = ui_max(c->min_target * 3, c->w / 3);
	ui_rect done = { (c->w - done_w) / 2, c->h - m - done_h, done_w, done_h };
	/* A new way of answering on trial: Keep, pressed that way, keeps it;
	 * the seconds left show on it. It is the first thing the new way
	 * reaches (the scan starts on it). Done comes back once it is kept. */
	if (c->trial_left_s > 0) {
		char keep[64];
		snprintf(keep, sizeof keep, "%s %d", aw->keep, c->trial_left_s);
		int ki = ui_add_target(c, done, ACT_ACCESS_KEEP, 0);
		ui_draw_target(c, ki, STYLE_PRIMARY, ui_symbol(c, "done", sym, sizeof sym), keep, false,
		               true);
	}

	/* Six toggles and Language, as big as the room allows. */
	enum { N = ACCESS_OPT_COUNT + 1 };
	ui_rect area = { m, m + th + gap, c->w - 2 * m, done.y - gap - (m + th + gap) };
	ui_rect cells[N];
	ui_grid_min(area, N, 1.15, gap, c->min_target, false, cells);
	/* Every card's words at one size, Language's too: alone it took the
	 * largest its short word allowed, and in large text stood out from
	 * the rest (51 px beside 38 at 1280x800). "Language" is in the
	 * person's own language, as the welcome screen says it. */
	c->dl->lang = wd->lang;
	int px = ui_card_label_px(c, cells[N - 1], STYLE_ANSWER, true, false, wd->language);
	c->dl->lang = aw->lang;
	for (int i = 0; i < ACCESS_OPT_COUNT; i++) {
		int p = ui_card_label_px(c, cells[i], STYLE_ANSWER, true, false, aw->options[i]);
		px = p < px ? p : px;
	}
	c->label_px = px;
	for (int i = 0; i < ACCESS_OPT_COUNT; i++) {
		int ti = ui_add_target(c, cells[i], ACT_ACCESS_OPTION, i);
		ui_draw_target(c, ti, STYLE_ANSWER, ui_symbol(c, symbols[i], sym, sizeof sym),
		               aw->options[i], screen_access_chosen(acc, i), false);
	}
	c->dl->lang = wd->lang;
	int ti = ui_add_target(c, cells[N - 1], ACT_OPEN_LANGUAGE, 0);
	ui_draw_target(c, ti, STYLE_ANSWER, ui_symbol(c, "language", sym, sizeof sym), wd->language,
	               false, false);
	c->label_px = 0;
	c->dl->lang = lang;

	if (c->trial_left_s == 0) {
		ti = ui_add_target(c, done, ACT_CLOSE_OVERLAY, 0);
		ui_draw_target(c, ti, STYLE_PRIMARY, ui_symbol(c, "done", sym, sizeof sym), wd->done,
		               false, true);
	}
}

_Static_assert(ACT_OPEN_ACCESS == (int)APP_ACT_OPEN_ACCESS &&
               ACT_ACCESS_OPTION == (int)APP_ACT_ACCESS_OPTION &&
               ACT_CLOSE_OVERLAY == (int)APP_ACT_CLOSE_OVERLAY &&
               ACT_OPEN_LANGUAGE == (int)APP_ACT_OPEN_LANGUAGE &&
               ACT_SET_LANGUAGE == (int)APP_ACT_SET_LANGUAGE &&
               ACT_ACCESS_KEEP == (int)APP_ACT_ACCESS_KEEP,
               "app.h's action names follow ui.h");
