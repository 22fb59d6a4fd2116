/*
 * switches: switch interfaces. A switch is a key (keyboard.c maps the
 * switch keys here), a joystick button or a game controller button; the
 * first two buttons are switches 1 and 2. What a press does is scan.c's
 * state machine's to decide for the person's method; what it chooses goes
 * to actions.c as a switch press.
 */
#include "app_internal.h"

void
switches_press(app *a, int sw, bool down)
{
	int64_t now = tl_mono(a->clock);
	if (down) {
		enum screen_id before = session_get_view(a->s)->screen;
		actions_activity(a);
		if (before == SCREEN_STILL_THERE)
			return;  /* that press was "I'm here", not a choice */
	}
	bool redraw = false;
	int ti = scan_switch(&a->scan, &a->acc, sw, down, now, &redraw);
	if (redraw)
		a->dirty = true;
	actions_run(a, ti, INPUT_SWITCH);
}

/* Many switch interfaces are joysticks to SDL: open each as it comes (as a
 * game controller when SDL knows its layout, so its buttons arrive once). */
static void
open_device(int index)
{
	if (SDL_IsGameController(index))
		SDL_GameControllerOpen(index);
	else
		SDL_JoystickOpen(index);
}

static void
close_device(SDL_JoystickID id)
{
	SDL_Joystick *j = SDL_JoystickFromInstanceID(id);
	SDL_GameController *gc = SDL_GameControllerFromInstanceID(id);
	if (gc)
		SDL_GameControllerClose(gc);
	else if (j)
		SDL_JoystickClose(j);
}

static void
button(app *a, int b, bool down)
{
	if (!input_mode_switching(a) || b < 0 || b > 1)
		return;
	switches_press(a, b + 1, down);
}

void
switches_event(app *a, const SDL_Event *ev)
{
	switch (ev->type) {
	case SDL_JOYDEVICEADDED:
		open_device(ev->jdevice.which);
		break;
	case SDL_JOYDEVICEREMOVED:
		close_device(ev->jdevice.which);
		break;
	case SDL_CONTROLLERBUTTONDOWN:
	case SDL_CONTROLLERBUTTONUP:
		button(a, ev->cbutton.button, ev->type == SDL_CONTROLLERBUTTONDOWN);
		break;
	case SDL_JOYBUTTONDOWN:
	case SDL_JOYBUTTONUP:
		/* A game controller's buttons come again as controller events. */
		if (!SDL_GameControllerFromInstanceID(ev->jbutton.which))
			button(a, ev->jbutton.button, ev->type == SDL_JOYBUTTONDOWN);
		break;
	default:
		break;
	}
}
