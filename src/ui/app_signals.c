/*
 * app_signals: SIGINT and SIGTERM end the kiosk cleanly (everything queued
 * is committed first). A thread of its own waits for them with sigwait and
 * turns each into the app's wake event, so no handler ever runs inside the
 * loop or the writer. SIGUSR1 is how app_destroy asks that thread to stop.
 */
#include "app_internal.h"

#include <signal.h>

static void
signal_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGUSR1);
}

void
app_signals_block(void)
{
	sigset_t set;
	signal_set(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
}

static void *
signal_thread(void *ud)
{
	app *a = ud;
	sigset_t set;
	signal_set(&set);
	for (;;) {
		int sig;
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGUSR1)
			return NULL;  /* app_destroy asks us to stop */
		SDL_Event ev = { 0 };
		ev.type = a->wake_event;
		ev.user.code = APP_WAKE_SIGNAL;
		SDL_PushEvent(&ev);
	}
}

bool
app_signals_start(app *a)
{
	a->sig_thread_started = pthread_create(&a->sig_thread, NULL, signal_thread, a) == 0;
	return a->sig_thread_started;
}

void
app_signals_stop(app *a)
{
	if (!a->sig_thread_started)
		return;
	pthread_kill(a->sig_thread, SIGUSR1);
	pthread_join(a->sig_thread, NULL);
	a->sig_thread_started = false;
}
