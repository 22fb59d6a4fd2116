/*
 * keyboard: keys as moves of the focus and presses of the focused target
 * (input.c's rules), through one key map. While a switch method is on, the
 * switch keys (Space and Enter unless the settings name others) are
 * switches instead. Escape quits a windowed kiosk; in kiosk mode it does
 * nothing. Held keys do not repeat (but Backspace, while a name is typed).
 * On a text question, typed letters (SDL's text input, an input method's
 * too) go into the answer; on the set-up screen, into its field.
 */
#include "app_internal.h"

#include <stdio.h>
#include <string.h>

typedef struct key_map { SDL_Keycode sym; enum ui_key key; } key_map;
static const key_map keys[] = {
	{ SDLK_LEFT, KEY_LEFT }, { SDLK_RIGHT, KEY_RIGHT }, { SDLK_UP, KEY_UP },
	{ SDLK_DOWN, KEY_DOWN }, { SDLK_TAB, KEY_NEXT }, { SDLK_RETURN, KEY_SELECT },
	{ SDLK_KP_ENTER, KEY_SELECT }, { SDLK_SPACE, KEY_SELECT },
};

/* Which switch (1 or 2) the key is, or 0. An unknown key name in the
 * settings falls back to the default. */
static int
switch_key(const app *a, SDL_Keycode sym)
{
	if (!input_mode_switching(a))
		return 0;
	for (int i = 0; i < 2; i++) {
		SDL_Keycode k = SDL_GetKeyFromName(a->acc.switch_keys[i]);
		if (k == SDLK_UNKNOWN)
			k = i == 0 ? SDLK_SPACE : SDLK_RETURN;
		if (sym == k || (k == SDLK_RETURN && sym == SDLK_KP_ENTER))
			return i + 1;
	}
	return 0;
}

static enum ui_key
key_of(const SDL_Keysym *ks)
{
	enum ui_key k = KEY_NONE;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (keys[i].sym == ks->sym)
			k = keys[i].key;
	if (k == KEY_NEXT && (ks->mod & KMOD_SHIFT))
		k = KEY_PREV;
	return k;
}

static void
key_down(app *a, const SDL_KeyboardEvent *ev)
{
	if (ev->keysym.sym == SDLK_ESCAPE) {
		if (!a->kiosk)
			a->quit = true;
		return;
	}
	if (keyboard_text_entry(a) && !switch_key(a, ev->keysym.sym)) {
		/* Typing: letters and Space come as text (keyboard_text), and
		 * Backspace takes the last letter away; Tab, the arrows and
		 * Enter still move and press as everywhere. */
		if (ev->keysym.sym == SDLK_BACKSPACE) {
			actions_activity(a);
			if (!a->composing[0] && session_text_delete(a->s))
				a->dirty = true;
			return;
		}
		if (ev->keysym.sym == SDLK_SPACE)
			return;
	}
	if (ev->repeat) {
		/* held keys do not repeat, but Backspace while a name is typed */
		if (ev->keysym.sym == SDLK_BACKSPACE && staff_text_key(a->staff, SDLK_BACKSPACE))
			a->dirty = true;
		return;
	}
	/* Typing a name on the set-up screen: Backspace deletes, Space is a
	 * space there (Enter and Tab still choose and move). */
	if (staff_text_key(a->staff, ev->keysym.sym)) {
		a->dirty = true;
		return;
	}
	int sw = switch_key(a, ev->keysym.sym);
	if (sw) {
		switches_press(a, sw, true);
		return;
	}
	enum ui_key k = key_of(&ev->keysym);
	if (k == KEY_NONE)
		return;
	actions_activity(a);
	bool redraw = false;
	int ti = input_key(&a->in, a->ctx.targets, a->ctx.n_targets, k, tl_mono(a->clock), &redraw);
	if (redraw)
		a->dirty = true;
	if (input_mode_switching(a))
		scan_set(&a->scan, a->in.focus, tl_mono(a->clock));  /* arrows move the highlight */
	actions_run(a, ti, INPUT_KEYBOARD);
}

bool
keyboard_text_entry(const app *a)
{
	return app_question_showing(a, QT_TEXT);
}

void
keyboard_text(app *a, const SDL_Event *ev)
{
	/* the set-up screen's field, while staff type a name there */
	if (ev->type == SDL_TEXTINPUT && staff_text(a->staff, ev->text.text)) {
		a->dirty = true;
		return;
	}
	if (!keyboard_text_entry(a)) {
		a->composing[0] = '\0';
		return;
	}
	if (ev->type == SDL_TEXTEDITING) {
		/* an input method's word still being made: shown, not typed */
		snprintf(a->composing, sizeof a->composing, "%s", ev->edit.text);
		a->dirty = true;
		return;
	}
	a->composing[0] = '\0';
	a->dirty = true;
	/* a switch's key (Space, or whatever the settings name) is a press of
	 * the switch, not a letter */
	if (switch_key(a, SDL_GetKeyFromName(ev->text.text)))
		return;
	actions_activity(a);
	session_text_type(a->s, ev->text.text);
}

void
keyboard_event(app *a, const SDL_Event *ev)
{
	if (ev->type == SDL_KEYDOWN) {
		key_down(a, &ev->key);
		return;
	}
	int sw = switch_key(a, ev->key.keysym.sym);
	if (sw)
		switches_press(a, sw, false);
}
