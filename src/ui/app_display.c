/*
 * app_display: the display going away under the kiosk. When the X server
 * or the Wayland compositor dies, or the connection to it breaks, nothing
 * can be shown again: the person's session ends as unfinished, everything
 * queued is committed, and the kiosk exits with status 1, so the service
 * manager sees a failure and starts it again (tellus-kiosk.service:
 * Restart=always).
 *
 * X11: on a broken connection Xlib calls its I/O error handler and then
 * exit(1), from inside whichever call noticed; it was its default one, so
 * the session stayed in progress and the writer's queue was never drained.
 * Ours does both first, on the UI thread (the only one that draws; Xlib
 * has let go of the display's lock by then), and then lets Xlib exit.
 * SDL keeps a second connection to the server, for waking the loop from
 * other threads; it breaks too, so once the display is gone the writer's
 * commits wake nobody (app_store.c). In the rare case that a wake-up from
 * the writer's thread is the first to find the connection broken, that
 * thread only marks the display gone and Xlib exits from there, as before:
 * the record it had just committed is on disk.
 * Wayland: SDL sends SDL_QUIT when the compositor's connection breaks,
 * which a kiosk otherwise ignores; wl_display_get_error tells the two
 * apart, and the loop ends as for a signal, but app_run returns 1.
 */
#include "app_internal.h"
#include "tellus_build.h"

#include <SDL_syswm.h>

#ifdef TELLUS_HAVE_X11
#include <X11/Xlib.h>
#endif
#ifdef TELLUS_HAVE_WAYLAND
#include <wayland-client.h>
#endif

#ifdef TELLUS_HAVE_X11
/* Xlib's handler is one per process, as is the kiosk. */
static app *watched;
static pthread_t ui_thread;

static int
x_io_error(Display *dpy)
{
	(void)dpy;
	app *a = watched;
	bool first = a && !atomic_exchange(&a->display_lost, true);
	if (first && pthread_equal(pthread_self(), ui_thread)) {
		SDL_LogError(SDL_LOG_CATEGORY_APPLICATION,
		             "tellus: the X display went away; saving and ending the kiosk");
		if (a->s && a->writer)
			app_store_end_live(a);
		store_writer_destroy(a->writer);   /* commits everything queued */
		a->writer = NULL;
	}
	return 0;   /* then Xlib calls exit(1) */
}
#endif

void
app_display_watch(app *a)
{
	SDL_SysWMinfo info;
	SDL_VERSION(&info.version);
	if (!a->win || !SDL_GetWindowWMInfo(a->win, &info))
		return;
#ifdef TELLUS_HAVE_X11
	if (info.subsystem == SDL_SYSWM_X11) {
		watched = a;
		ui_thread = pthread_self();
		XSetIOErrorHandler(x_io_error);
	}
#endif
#ifdef TELLUS_HAVE_WAYLAND
	if (info.subsystem == SDL_SYSWM_WAYLAND)
		a->wl_display = info.info.wl.display;
#endif
}

void
app_display_unwatch(app *a)
{
#ifdef TELLUS_HAVE_X11
	if (watched == a) {
		XSetIOErrorHandler(NULL);
		watched = NULL;
	}
#else
	(void)a;
#endif
}

bool
app_display_check(app *a)
{
#ifdef TELLUS_HAVE_WAYLAND
	if (a->wl_display && !atomic_load(&a->display_lost) &&
	    wl_display_get_error(a->wl_display) != 0) {
		SDL_LogError(SDL_LOG_CATEGORY_APPLICATION,
		             "tellus: the Wayland compositor went away; saving and ending the kiosk");
		atomic_store(&a->display_lost, true);
	}
#endif
	return atomic_load(&a->display_lost);
}
