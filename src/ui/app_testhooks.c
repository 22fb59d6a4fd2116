/*
 * app_testhooks: two hooks of the real binary for the crash-loop test
 * (tests/crash), off unless their environment variables are set. Neither
 * changes what the kiosk does with a person's input.
 *
 * TELLUS_TEST_DRAWN_LOG=FILE appends "drawn SESSION SEQ" to FILE (one
 * write(2) each, O_APPEND, so a SIGKILL never leaves half a line of a
 * finished write) for every answer given before a frame, straight after
 * that frame was presented: from outside, the answers whose next screen a
 * person could see. After those lines, whenever what a presented frame
 * offers differs from the last frame logged, one line says what it offers:
 * "shown SESSION QUESTION" ("-" for none: welcome, thank-you...) then
 * "a:ID" for each answer picture on it, "k:ID" for each sort column, and
 * "skip", "decline", "done" for those buttons. An answer's "drawn" line
 * thus follows the "shown" line of the frame it was given on (the touch
 * storm, tests/test_ui_storm.c, checks every answer against it).
 *
 * TELLUS_TEST_AUTOPLAY=SEED makes the kiosk tap its own screen: every few
 * ms a random target of the screen showing (answers, Done, Skip, Back,
 * Start, Finish... never the staff, language or access controls) gets a
 * left-button press and release, pushed as real SDL events through the
 * loop like any mouse.
 */
#include "app_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
app_testhooks_open(app *a)
{
	const char *log = getenv("TELLUS_TEST_DRAWN_LOG");
	if (log && *log)
		a->testlog_fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	const char *seed = getenv("TELLUS_TEST_AUTOPLAY");
	if (seed && *seed) {
		a->autoplay_rng = strtoull(seed, NULL, 10) * 6364136223846793005ull + 1442695040888963407ull;
		if (!a->autoplay_rng)
			a->autoplay_rng = 1;
		a->autoplay_at = tl_mono(tl_clock_system()) + 50;
	}
}

void
app_testhooks_close(app *a)
{
	if (a->testlog_fd >= 0)
		close(a->testlog_fd);
	a->testlog_fd = -1;
}

void
app_testlog_answer(app *a, const char *session_id, int seq)
{
	if (a->testlog_fd < 0 || a->testlog_n >= (int)(sizeof a->testlog_pending / sizeof a->testlog_pending[0]))
		return;
	struct app_testlog_rec *r = &a->testlog_pending[a->testlog_n++];
	snprintf(r->sid, sizeof r->sid, "%s", session_id);
	r->seq = seq;
}

static void
log_line(app *a, const char *line, size_t n)
{
	while (write(a->testlog_fd, line, n) < 0 && errno == EINTR)
		;
}

/* What the frame just presented offers a person, as one "shown" line. */
static size_t
shown_line(const app *a, char *buf, size_t cap)
{
	const session_view *v = a->ctx.view;
	const flow_question *q = v && v->screen == SCREEN_QUESTION ? v->question : NULL;
	const char *sid = v && v->session_id && *v->session_id ? v->session_id : "-";
	size_t n = (size_t)snprintf(buf, cap, "shown %s %s", sid, q ? q->id : "-");
	for (int i = 0; q && i < a->ctx.n_targets && n < cap; i++) {
		const ui_target *t = &a->ctx.targets[i];
		const char *word = NULL, *pre = "";
		if (t->action == ACT_ANSWER && t->arg >= 0 && (size_t)t->arg < q->n_answers) {
			pre = "a:";
			word = q->answers[t->arg].id;
		} else if (t->action == ACT_SORT_COLUMN && t->arg >= 0 && (size_t)t->arg < q->n_columns) {
			pre = "k:";
			word = q->columns[t->arg].id;
		} else if (t->action == ACT_SKIP) {
			word = "skip";
		} else if (t->action == ACT_DECLINE) {
			word = "decline";
		} else if (t->action == ACT_DONE) {
			word = "done";
		}
		if (word)
			n += (size_t)snprintf(buf + n, cap - n, " %s%s", pre, word);
	}
	if (n >= cap - 1)
		n = cap - 2;   /* cut: the checker then finds what is missing */
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

void
app_testhooks_presented(app *a)
{
	if (a->testlog_fd < 0)
		return;
	for (int i = 0; i < a->testlog_n; i++) {
		char line[96];
		int n = snprintf(line, sizeof line, "drawn %s %d\n", a->testlog_pending[i].sid,
		                 a->testlog_pending[i].seq);
		log_line(a, line, (size_t)n);
	}
	a->testlog_n = 0;
	char line[sizeof a->testlog_shown];
	size_t n = shown_line(a, line, sizeof line);
	if (strcmp(line, a->testlog_shown) != 0) {
		log_line(a, line, n);
		memcpy(a->testlog_shown, line, n + 1);
	}
}

static uint64_t
rnd(app *a)
{
	/* xorshift64*: any sequence will do, as long as a seed repeats it */
	uint64_t x = a->autoplay_rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	a->autoplay_rng = x;
	return x * 2685821657736338717ull;
}

static bool
playable(int action)
{
	switch (action) {
	case ACT_START: case ACT_ANSWER: case ACT_DONE: case ACT_SKIP: case ACT_DECLINE:
	case ACT_BACK: case ACT_FINISH: case ACT_STILL_HERE:
		return true;
	default:
		return false;
	}
}

static void
push_button(app *a, Uint32 type, int x, int y)
{
	SDL_Event ev = { 0 };
	ev.type = type;
	ev.button.windowID = SDL_GetWindowID(a->win);
	ev.button.button = SDL_BUTTON_LEFT;
	ev.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
	ev.button.clicks = 1;
	ev.button.x = x;
	ev.button.y = y;
	SDL_PushEvent(&ev);
}

void
app_autoplay_tick(app *a)
{
	if (!a->autoplay_rng)
		return;
	int64_t now = tl_mono(tl_clock_system());
	if (now < a->autoplay_at)
		return;
	/* past the double-tap guard, with some spread */
	a->autoplay_at = now + a->opt.config->double_tap_ms + 5 + (int64_t)(rnd(a) % 40);
	int pick[UI_MAX_TARGETS], n = 0;
	for (int i = 0; i < a->ctx.n_targets; i++)
		if (playable(a->ctx.targets[i].action))
			pick[n++] = i;
	if (n == 0)
		return;
	const ui_rect *r = &a->ctx.targets[pick[rnd(a) % (uint64_t)n]].r;
	int x = r->x + r->w / 2, y = r->y + r->h / 2;
	push_button(a, SDL_MOUSEBUTTONDOWN, x, y);
	push_button(a, SDL_MOUSEBUTTONUP, x, y);
}

int64_t
app_autoplay_deadline(const app *a)
{
	return a->autoplay_rng ? a->autoplay_at : INT64_MAX;
}
