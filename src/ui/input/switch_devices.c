/*
 * switch_devices: SDL's joystick subsystem (switch interfaces are often
 * joysticks) only while a joystick is plugged in.
 *
 * Why: with the subsystem up, SDL 2 wakes the loop every 3 s to look for
 * new joysticks even when there are none (SDL_WaitEventTimeout's periodic
 * poll), which is CPU a kiosk idling on its welcome screen should not use.
 * So the subsystem starts after the first frame, stays up if a joystick is
 * there, and is shut again if none is. A thread of its own then waits,
 * asleep in poll(2), for a change in /dev/input (inotify: a device node made
 * or removed) and turns it into the app's wake event; the loop then looks
 * again. Once a joystick has been seen the subsystem stays up and SDL's own
 * hot-plug events take over. Without /dev/input (a container) or without
 * inotify nothing watches: a switch plugged in later needs a restart, which
 * the log says.
 */
#include "app_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#define INPUT_DIR "/dev/input"

/* Starts the subsystem and keeps it only if a joystick is there; true when
 * it is up now. */
static bool
look(app *a)
{
	if (a->joysticks_on)
		return true;
	if (SDL_InitSubSystem(SDL_INIT_GAMECONTROLLER | SDL_INIT_JOYSTICK) != 0)
		return false;
	if (SDL_NumJoysticks() > 0) {
		a->joysticks_on = true;
		return true;
	}
	SDL_QuitSubSystem(SDL_INIT_GAMECONTROLLER | SDL_INIT_JOYSTICK);
	return false;
}

static void *
watch_thread(void *ud)
{
	app *a = ud;
	struct pollfd p[2] = { { a->devwatch_fd, POLLIN, 0 }, { a->devwatch_stop, POLLIN, 0 } };
	char buf[4096];
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		if (p[1].revents)
			return NULL;  /* switch_devices_stop */
		if (!(p[0].revents & POLLIN))
			return NULL;
		/* Drain every event queued; one wake-up is enough for them all. */
		while (read(a->devwatch_fd, buf, sizeof buf) > 0) {
		}
		SDL_Event ev = { 0 };
		ev.type = a->wake_event;
		ev.user.code = APP_WAKE_DEVICES;
		SDL_PushEvent(&ev);
	}
}

void
switch_devices_start(app *a)
{
	a->devwatch_fd = -1;
	a->devwatch_stop = -1;
	if (look(a))
		return;
	a->devwatch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (a->devwatch_fd >= 0 &&
	    inotify_add_watch(a->devwatch_fd, INPUT_DIR, IN_CREATE | IN_DELETE | IN_ATTRIB) >= 0 &&
	    (a->devwatch_stop = eventfd(0, EFD_CLOEXEC)) >= 0 &&
	    pthread_create(&a->devwatch_thread, NULL, watch_thread, a) == 0) {
		a->devwatch_started = true;
		return;
	}
	SDL_LogInfo(SDL_LOG_CATEGORY_APPLICATION, "tellus: no joystick now and %s cannot be "
	            "watched: a switch interface plugged in later is seen after a restart", INPUT_DIR);
	switch_devices_stop(a);
}

void
switch_devices_changed(app *a)
{
	if (look(a))
		switch_devices_stop(a);  /* SDL's hot-plug events take over */
}

void
switch_devices_stop(app *a)
{
	if (a->devwatch_started) {
		uint64_t one = 1;
		if (write(a->devwatch_stop, &one, sizeof one) == (ssize_t)sizeof one)
			pthread_join(a->devwatch_thread, NULL);
		else
			pthread_detach(a->devwatch_thread);
		a->devwatch_started = false;
	}
	if (a->devwatch_stop >= 0)
		close(a->devwatch_stop);
	if (a->devwatch_fd >= 0)
		close(a->devwatch_fd);
	a->devwatch_stop = -1;
	a->devwatch_fd = -1;
}
