/*
 * staff_keep: what the kiosk still holds, for the menu ("212 sessions on
 * this kiosk, the oldest from 3 March, all exported."), and "Clear this
 * kiosk" (store_keep.h), offered only once every session is exported.
 *
 * The holdings are read on the worker by the jobs that lead to the menu
 * (the PIN check, the first PIN, an export, a clear), never on the frame
 * path. Clearing asks first, on its own screen, and its "Yes" takes no
 * press for STAFF_CLEAR_ARM_MS, so the tap that opened the question (or a
 * second one of a double tap) cannot answer it; the core then checks again
 * that nothing unexported would go.
 */
#include "staff/staff_internal.h"
#include "keys/kiosk_key.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void
staff_keep_read(staff *s, store *st)
{
	s->j.held_ok = store_keep_holdings(st, &s->j.held, NULL) == 0;
	/* And the signing key's id for About: read here, after the login,
	 * because the key is made only once the first frame is on screen
	 * (main.c), so a new kiosk's key does not exist at staff_create. */
	minisign_key key;
	s->j.key_id[0] = '\0';
	if (kiosk_key_load(s->opt.db_path, false, &key, NULL, NULL) == 0) {
		minisign_key_id(&key.pub, s->j.key_id);
		minisign_key_wipe(&key);
	}
}

/* "2026-03-03T09:15:00.123Z" as "3 March" (with the year when it is not
 * this year's), the day in the kiosk's own time zone. */
static void
say_day(const char *iso, int64_t now_wall_ms, char *buf, size_t len)
{
	static const char *const months[12] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December",
	};
	struct tm tm = { 0 };
	buf[0] = '\0';
	if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	           &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm), now = (time_t)(now_wall_ms / 1000);
	struct tm day, today;
	if (!localtime_r(&t, &day) || !localtime_r(&now, &today) || day.tm_mon < 0 || day.tm_mon > 11)
		return;
	if (day.tm_year == today.tm_year)
		snprintf(buf, len, "%d %s", day.tm_mday, months[day.tm_mon]);
	else
		snprintf(buf, len, "%d %s %d", day.tm_mday, months[day.tm_mon], day.tm_year + 1900);
}

void
staff_keep_take(staff *s)
{
	if (!s->j.held_ok)
		return;
	staff_view *v = &s->v;
	if (s->j.key_id[0])
		snprintf(v->key_id, sizeof v->key_id, "%s", s->j.key_id);
	v->held_known = true;
	v->held_sessions = s->j.held.sessions;
	v->held_not_exported = s->j.held.not_exported;
	say_day(s->j.held.oldest_started, tl_wall(s->opt.clock), v->held_oldest,
	        sizeof v->held_oldest);
	s->j.held_ok = false;
}

void
staff_holdings_words(const staff_view *v, char *buf, size_t len)
{
	buf[0] = '\0';
	if (!v->held_known)
		return;
	if (v->held_sessions == 0) {
		snprintf(buf, len, "No sessions on this kiosk.");
		return;
	}
	char left[64] = "all exported";
	if (v->held_not_exported == v->held_sessions)
		snprintf(left, sizeof left, "none exported yet");
	else if (v->held_not_exported > 0)
		snprintf(left, sizeof left, "%lld not exported yet", (long long)v->held_not_exported);
	const char *s = v->held_sessions == 1 ? "" : "s";
	if (v->held_oldest[0])
		snprintf(buf, len, "%lld session%s on this kiosk, the oldest from %s, %s.",
		         (long long)v->held_sessions, s, v->held_oldest, left);
	else
		snprintf(buf, len, "%lld session%s on this kiosk, %s.", (long long)v->held_sessions, s,
		         left);
}

bool
staff_clear_offered(const staff_view *v)
{
	return v->held_known && v->held_sessions > 0 && v->held_not_exported == 0;
}

bool
staff_clear_press(staff *s, int arg)
{
	staff_view *v = &s->v;
	if (arg == 0) {
		/* From the menu: ask. */
		if (v->screen != STAFF_MENU || v->busy || !staff_clear_offered(v))
			return false;
		v->screen = STAFF_CLEAR;
		v->clear_state = CLEAR_ASK;
		v->clear_armed = false;
		v->error[0] = '\0';
		s->clear_arm_mono = staff_now(s) + STAFF_CLEAR_ARM_MS;
		return true;
	}
	/* "Yes": only once armed, and only on the question. */
	if (v->screen != STAFF_CLEAR || v->clear_state != CLEAR_ASK || !v->clear_armed || v->busy)
		return false;
	v->clear_state = CLEAR_RUNNING;
	if (!staff_worker_start(s, JOB_CLEAR)) {
		v->clear_state = CLEAR_FAILED;
		snprintf(v->error, sizeof v->error, "Clearing could not start. Nothing was deleted.");
	}
	return true;
}

void
staff_clear_done(staff *s)
{
	staff_view *v = &s->v;
	if (s->j.rc == 0) {
		v->clear_state = CLEAR_DONE;
		v->cleared = s->j.cleared;
	} else {
		v->clear_state = CLEAR_FAILED;
		snprintf(v->error, sizeof v->error, "Nothing was deleted: %.400s.",
		         s->j.err[0] ? s->j.err : "the sessions could not be cleared");
	}
}

bool
staff_clear_tick(staff *s, int64_t now)
{
	if (s->v.screen != STAFF_CLEAR || s->v.clear_armed || now < s->clear_arm_mono)
		return false;
	s->v.clear_armed = true;
	return true;
}
