/*
 * app_display: the display going away under the kiosk. When the X server
 * or the Wayland compositor dies, or the connection to it breaks, nothing
 * can be shown again: the person's session ends as unfinished, everything
 * queued is committed, and the kiosk exits with status 1, so the service
 * manager sees a failure and starts it again (tellus-kiosk.service:
 * Restart=always).
 *
 * X11: on a broken connection Xlib calls its I/O error handler and then
 * exit(1), from inside whichever call noticed, on whichever thread; it was
 * its default one, so the session stayed in progress and the writer's
 * queue was never drained. Ours makes sure that nothing queued is lost,
 * whichever thread finds the break first, and that the kiosk always ends:
 * - SDL keeps a second connection to the server, through which
 *   SDL_PushEvent wakes the loop (under SDL's wakeup_lock, which the
 *   finder then holds for good): from the writer's thread after each
 *   commit (app_store.c), from the signal, device-watch and staff-job
 *   threads, and from the UI thread itself while it takes in X input. So
 *   any of them may be the first to find the break, and none of them may
 *   wait for another thread without a bound: the UI thread may be waiting
 *   for that lock, the writer's thread too.
 * - The UI thread (the only one that draws; Xlib has let go of the
 *   display's lock by then): the person's session ends as unfinished, and
 *   it waits for the writer to commit everything queued, for at most
 *   STORE_WRITER_STOP_MS (a writer stuck behind the lock would otherwise
 *   hold it for ever); then Xlib exits.
 * - The writer's thread, in a commit's wake-up: it commits everything
 *   still queued itself (store_writer_drain_here) and lets Xlib exit from
 *   there. The session stays in progress on disk with every answer given;
 *   the next start closes it as interrupted, at its last answer's time
 *   (store_close_interrupted in app_store_open). tests/e2e/display_lost.py
 *   makes the writer go first and checks both.
 * - Another thread: it waits for the writer as the UI thread does.
 * - A second finder waits for the first to end the process (bounded, in
 *   case the first is stuck), rather than let Xlib exit under its drain;
 *   the writer's thread commits its queue first all the same (a first UI
 *   thread may be waiting for it).
 * - Every answer drawn as given is on disk: when the writer's thread
 *   found the break first, it closes the writer as it drains
 *   (store_writer_close_here), and an answer the UI thread gives after
 *   that waits in its submit, before its frame is drawn, until Xlib's exit.
 *   When it was second, it keeps committing what comes while it waits, so
 *   the first finder's end of the session is saved too.
 * Once the display is gone the writer's commits wake nobody (app_store.c).
 * Wayland: SDL sends SDL_QUIT when the compositor's connection breaks,
 * which a kiosk otherwise ignores; wl_display_get_error tells the two
 * apart, and the loop ends as for a signal, but app_run returns 1.
 */
#include "app_internal.h"
#include "tellus_build.h"

#include <SDL_syswm.h>
#include <time.h>

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
/* Who found the display gone first. */
enum { FOUND_NONE, FOUND_UI, FOUND_WRITER, FOUND_OTHER };
static atomic_int found_by;

/* A second finder's wait for the first to end the process: longer than
 * the first's own wait for the writer. */
#define SECOND_WAIT_MS (STORE_WRITER_STOP_MS + 5000)

static void
wait_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
}

static int
x_io_error(Display *dpy)
{
	(void)dpy;
	app *a = watched;
	if (!a)
		return 0;
	bool ui = pthread_equal(pthread_self(), ui_thread);
	/* Off the UI thread the writer is alive: app_destroy frees it only
	 * after joining every other thread that wakes the loop. Only inside a
	 * commit's wake-up is this the writer's thread. */
	bool writer = !ui && store_writer_drain_here(a->writer);
	int first = FOUND_NONE;
	atomic_compare_exchange_strong(&found_by, &first,
	                               ui ? FOUND_UI : writer ? FOUND_WRITER : FOUND_OTHER);
	atomic_store(&a->display_lost, true);
	if (first == FOUND_NONE) {
		/* the writer first: whatever came since its drain is committed
		 * too, and a later answer waits for the exit instead of being
		 * drawn as given */
		if (writer)
			store_writer_close_here(a->writer);
		SDL_LogError(SDL_LOG_CATEGORY_APPLICATION, "%s",
		             writer ? "tellus: the X display went away (found by the answer writer's "
		                      "wake-up); saving and ending the kiosk"
		                    : "tellus: the X display went away; saving and ending the kiosk");
		if (ui && a->s && a->writer)
			app_store_end_live(a);
		if (!writer && !store_writer_flush_within(a->writer, STORE_WRITER_STOP_MS))
			SDL_LogError(SDL_LOG_CATEGORY_APPLICATION,
			             "tellus: the answer writer did not finish in time; "
			             "%llu records were not saved",
			             (unsigned long long)store_writer_queued(a->writer));
	} else if (writer) {
		/* the first ends the process; meanwhile this thread is the only
		 * one that can commit, and the first may be waiting for the end
		 * of the person's session it has just queued */
		for (int waited = 0; waited < SECOND_WAIT_MS; waited += 10) {
			store_writer_drain_here(a->writer);
			wait_ms(10);
		}
	} else {
		wait_ms(SECOND_WAIT_MS);   /* the first ends the process */
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
