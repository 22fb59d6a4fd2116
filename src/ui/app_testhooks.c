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
 *
 * TELLUS_TEST_FRAME_LOG=FILE appends one JSON line for every presented
 * frame that differs from the last one logged, read off what went to the
 * renderer (the draw list) and what a press there would find (the
 * targets): {"screen": "welcome", "staff": "off", "overlay": 0,
 * "targets": [["start", ARG, X, Y, W, H], ...], "texts": [[X, Y, W, H,
 * "words"], ...], "images": [[X, Y, W, H, "path"], ...]}. The end-to-end
 * test of an event day (tests/e2e/event_day.py) finds its buttons there,
 * as a person finds them by looking, and reads what each screen said.
 */
#include "app_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A frame's line: the draw list holds at most a few hundred commands. */
#define FRAMELOG_CAP (256 << 10)

void
app_testhooks_open(app *a)
{
	const char *log = getenv("TELLUS_TEST_DRAWN_LOG");
	if (log && *log)
		a->testlog_fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	const char *frames = getenv("TELLUS_TEST_FRAME_LOG");
	if (frames && *frames && (a->framelog_buf = malloc(FRAMELOG_CAP)) != NULL) {
		a->framelog_cap = FRAMELOG_CAP;
		a->framelog_fd = open(frames, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	}
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
	if (a->framelog_fd >= 0)
		close(a->framelog_fd);
	a->framelog_fd = -1;
	free(a->framelog_buf);
	a->framelog_buf = NULL;
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
write_all(int fd, const char *line, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, line, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		line += w;
		n -= (size_t)w;
	}
}

static void
log_line(app *a, const char *line, size_t n)
{
	write_all(a->testlog_fd, line, n);
}

/* ---- the frame log ---------------------------------------------------- */

static const char *const action_names[ACT_COUNT] = {
	[ACT_NONE] = "none", [ACT_START] = "start", [ACT_ANSWER] = "answer", [ACT_DONE] = "done",
	[ACT_SKIP] = "skip", [ACT_DECLINE] = "decline", [ACT_BACK] = "back",
	[ACT_FINISH] = "finish", [ACT_STILL_HERE] = "still-here",
	[ACT_FINISH_EARLY] = "finish-early", [ACT_OPEN_ACCESS] = "open-access",
	[ACT_ACCESS_OPTION] = "access-option", [ACT_CLOSE_OVERLAY] = "close-overlay",
	[ACT_OPEN_LANGUAGE] = "open-language", [ACT_SET_LANGUAGE] = "set-language",
	[ACT_SORT_COLUMN] = "sort-column", [ACT_KEY] = "key", [ACT_DRAW_COLOUR] = "draw-colour",
	[ACT_DRAW_CLEAR] = "draw-clear", [ACT_DRAW_STAMP] = "draw-stamp",
	[ACT_ACCESS_KEEP] = "access-keep", [ACT_STAFF_DIGIT] = "staff-digit",
	[ACT_STAFF_DELETE] = "staff-delete", [ACT_STAFF_OK] = "staff-ok",
	[ACT_STAFF_CLOSE] = "staff-close", [ACT_STAFF_MENU] = "staff-menu",
	[ACT_STAFF_EXPORT] = "staff-export", [ACT_STAFF_RETRY] = "staff-retry",
	[ACT_STAFF_TODAY] = "staff-today", [ACT_STAFF_PAGE] = "staff-page",
	[ACT_STAFF_ABOUT] = "staff-about", [ACT_STAFF_QUIT] = "staff-quit",
	[ACT_STAFF_CLEAR] = "staff-clear", [ACT_STAFF_LOAD] = "staff-load",
	[ACT_CARD_HEAR] = "card-hear", [ACT_CARD_MORE] = "card-more",
	[ACT_CARRY_ON] = "carry-on", [ACT_AUDIENCE_HEAR] = "audience-hear",
	[ACT_STAFF_SETUP] = "staff-setup", [ACT_STAFF_KEY] = "staff-key",
	[ACT_STAFF_TOGGLE] = "staff-toggle", [ACT_STAFF_NEXT] = "staff-next",
	[ACT_STAFF_END_EVENT] = "staff-end-event", [ACT_STAFF_ROOM] = "staff-room",
};

static const char *const screen_names[SCREEN_COUNT] = {
	[SCREEN_WELCOME] = "welcome", [SCREEN_QUESTION] = "question", [SCREEN_THANKS] = "thanks",
	[SCREEN_STILL_THERE] = "still-there", [SCREEN_RESETTING] = "resetting",
	[SCREEN_AUDIENCE] = "audience",
};

static const char *const staff_names[] = {
	[STAFF_OFF] = "off", [STAFF_PIN] = "pin", [STAFF_MENU] = "menu",
	[STAFF_EXPORT] = "export", [STAFF_TODAY] = "today", [STAFF_ABOUT] = "about",
	[STAFF_CLEAR] = "clear", [STAFF_SETUP] = "setup", [STAFF_ROOM] = "room",
	[STAFF_LOAD] = "load",
};

static const char *
name_of(const char *const *names, size_t n, int i)
{
	return i >= 0 && (size_t)i < n && names[i] ? names[i] : "?";
}

typedef struct framebuf { char *p; size_t n, cap; bool full; } framebuf;

static void
fb_add(framebuf *b, const char *fmt, ...)
{
	if (b->full)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= b->cap - b->n)
		b->full = true;
	else
		b->n += (size_t)k;
}

/* A JSON string: the words are UTF-8 already; quotes, backslashes and
 * control characters escaped. */
static void
fb_str(framebuf *b, const char *s)
{
	fb_add(b, "\"");
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && !b->full; p++) {
		if (*p == '"' || *p == '\\')
			fb_add(b, "\\%c", *p);
		else if (*p < 0x20)
			fb_add(b, "\\u%04x", *p);
		else if (b->n + 1 < b->cap)
			b->p[b->n++] = (char)*p;
		else
			b->full = true;
	}
	fb_add(b, "\"");
}

static void
frame_line(app *a, framebuf *b)
{
	const session_view *v = a->ctx.view;
	const staff_view *sv = a->ctx.staff;
	fb_add(b, "{\"screen\": \"%s\", \"staff\": \"%s\", \"overlay\": %d, \"targets\": [",
	       v ? name_of(screen_names, SCREEN_COUNT, (int)v->screen) : "?",
	       sv ? name_of(staff_names, sizeof staff_names / sizeof staff_names[0], (int)sv->screen)
	          : "off",
	       (int)a->overlay);
	for (int i = 0; i < a->ctx.n_targets; i++) {
		const ui_target *t = &a->ctx.targets[i];
		fb_add(b, "%s[\"%s\", %d, %d, %d, %d, %d]", i ? ", " : "",
		       name_of(action_names, ACT_COUNT, (int)t->action), t->arg, t->r.x, t->r.y,
		       t->r.w, t->r.h);
	}
	fb_add(b, "], \"texts\": [");
	int k = 0;
	for (size_t i = 0; i < a->dl.n; i++) {
		const draw_cmd *d = &a->dl.cmds[i];
		if (d->kind != DRAW_TEXT)
			continue;
		fb_add(b, "%s[%d, %d, %d, %d, ", k++ ? ", " : "", d->r.x, d->r.y, d->r.w, d->r.h);
		fb_str(b, draw_str(&a->dl, d->text_off));
		fb_add(b, "]");
	}
	fb_add(b, "], \"images\": [");
	k = 0;
	for (size_t i = 0; i < a->dl.n; i++) {
		const draw_cmd *d = &a->dl.cmds[i];
		if (d->kind != DRAW_IMAGE)
			continue;
		fb_add(b, "%s[%d, %d, %d, %d, ", k++ ? ", " : "", d->r.x, d->r.y, d->r.w, d->r.h);
		fb_str(b, draw_str(&a->dl, d->path_off));
		fb_add(b, "]");
	}
	fb_add(b, "]}\n");
}

static void
framelog_presented(app *a)
{
	if (a->framelog_fd < 0)
		return;
	framebuf b = { a->framelog_buf, 0, a->framelog_cap, false };
	frame_line(a, &b);
	if (b.full) {
		/* Never half a line: say so instead, the test then fails on it. */
		b.n = 0;
		b.full = false;
		fb_add(&b, "{\"screen\": \"?\", \"error\": \"frame too big to log\"}\n");
	}
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */
	for (size_t i = 0; i < b.n; i++)
		h = (h ^ (unsigned char)b.p[i]) * 1099511628211ull;
	if (h == a->framelog_last)
		return;
	a->framelog_last = h;
	write_all(a->framelog_fd, b.p, b.n);
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
	framelog_presented(a);
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
