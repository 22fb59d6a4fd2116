/*
 * e2e_plan: works out where the end-to-end test must click, by walking a
 * flow through the real app headless (ui_harness: dummy video driver,
 * software renderer, mouse events) at the size the real window will have.
 *
 * Usage: e2e_plan FLOW.yaml WIDTH HEIGHT   (FLOW is under config/flows/)
 *
 * Prints one JSON object on stdout: the clicks in order, each with its
 * target's centre and the row counts the database must reach after it, and
 * the answer rows the whole walk leaves (read back from the harness's own
 * database, so the expectation comes from the program, not from us). The
 * layout is a pure function of flow, window size and DPI, so the same
 * centres hit the same targets in a real X window of that size.
 *
 * The walk uses every kind of press a child can make: an answer, several
 * pictures and Done, Skip, Back and a changed answer, "I don't want to say",
 * and Finish on the thank-you screen. Exits 1 if the flow cannot be walked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "ui_harness.h"
#include "store_sql.h"

#define MAX_STEPS 64

static const char *const action_names[] = {
	[APP_ACT_START] = "start", [APP_ACT_ANSWER] = "answer", [APP_ACT_DONE] = "done",
	[APP_ACT_SKIP] = "skip", [APP_ACT_DECLINE] = "decline", [APP_ACT_BACK] = "back",
	[APP_ACT_FINISH] = "finish", [APP_ACT_STILL_HERE] = "still-here",
};

static const char *const screen_names[] = {
	[SCREEN_WELCOME] = "welcome", [SCREEN_QUESTION] = "question",
	[SCREEN_THANKS] = "thanks", [SCREEN_STILL_THERE] = "still-there",
	[SCREEN_RESETTING] = "resetting",
	[SCREEN_AUDIENCE] = "audience",
};

/* Flow ids and labels are plain, but a JSON string must survive anything. */
static void
json_str(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static int n_steps;

/* Clicks the target through the harness, lets the writer catch up, and
 * prints the step with the counts it leaves on disk. */
static int
step(harness *h, int action, int arg, const char *why)
{
	int x, y;
	const session_view *v = app_view(h->app);
	const char *qid = v->screen == SCREEN_QUESTION && v->question ? v->question->id : "";
	if (!h_center(h, action, arg, &x, &y)) {
		fprintf(stderr, "e2e_plan: no %s target on the %s screen\n", action_names[action],
		        screen_names[v->screen]);
		return -1;
	}
	char before[64];
	snprintf(before, sizeof before, "%s", screen_names[v->screen]);
	char question[128];
	snprintf(question, sizeof question, "%s", qid);
	h_click(h, action, arg);
	app_flush(h->app);
	h_step(h);
	v = app_view(h->app);
	printf("%s\n    {\"action\": ", n_steps++ ? "," : "");
	json_str(action_names[action]);
	printf(", \"arg\": %d, \"x\": %d, \"y\": %d, \"why\": ", arg, x, y);
	json_str(why);
	printf(", \"screen_before\": ");
	json_str(before);
	printf(", \"question\": ");
	json_str(question);
	printf(", \"screen_after\": ");
	json_str(screen_names[v->screen]);
	printf(", \"sessions_after\": %lld, \"answers_after\": %lld}",
	       (long long)h_sql_int(h, "SELECT count(*) FROM sessions"),
	       (long long)h_sql_int(h, "SELECT count(*) FROM answers"));
	return n_steps > MAX_STEPS ? -1 : 0;
}

static int
answer_index(const flow_question *q, const char *id)
{
	for (size_t i = 0; i < q->n_answers; i++)
		if (strcmp(q->answers[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* One question screen: what a made-up child does on it. */
static int
answer_question(harness *h, int visit, int *went_back)
{
	const session_view *v = app_view(h->app);
	const flow_question *q = v->question;
	if (v->can_back && v->question_number >= 4 && !*went_back && visit >= 4) {
		*went_back = 1;
		return step(h, APP_ACT_BACK, 0, "go back to change the last answer");
	}
	if (q->type == QT_CHOOSE_MANY && q->n_answers >= 3) {
		if (step(h, APP_ACT_ANSWER, 0, "first picture") || step(h, APP_ACT_ANSWER, 2, "another picture"))
			return -1;
		return step(h, APP_ACT_DONE, 0, "done with the pictures");
	}
	if (visit == 2)
		return step(h, APP_ACT_SKIP, 0, "skip this one");
	if (q->type == QT_YES_NO) {
		/* "no" first (it leads on to more questions), then, after going
		 * back, "not sure": the changed answer must be a new row. */
		int i = answer_index(q, *went_back ? "not-sure" : "no");
		return step(h, APP_ACT_ANSWER, i >= 0 ? i : 1, *went_back ? "change the answer" : "answer no");
	}
	if (*went_back)
		return step(h, APP_ACT_DECLINE, 0, "I don't want to say");
	return step(h, APP_ACT_ANSWER, (int)(q->n_answers > 3 ? 3 : q->n_answers - 1), "pick an answer");
}

static int
print_rows(harness *h)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	if (sqlite3_open_v2(h->db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT question_id, kind, " SQL_ANSWER_IDS ", input_method "
	                           "FROM answers ORDER BY seq", -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "e2e_plan: %s\n", sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	printf("\n  ],\n  \"answers\": [");
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		printf("%s\n    [", n++ ? "," : "");
		for (int c = 0; c < 4; c++) {
			if (c)
				printf(", ");
			json_str((const char *)sqlite3_column_text(st, c));
		}
		printf("]");
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}

int
main(int argc, char **argv)
{
	int w, hp;
	if (argc != 4 || (w = atoi(argv[2])) < 320 || (hp = atoi(argv[3])) < 240) {
		fprintf(stderr, "usage: e2e_plan FLOW.yaml WIDTH HEIGHT\n");
		return 2;
	}
	harness h;
	h_open(&h, argv[1], w, hp, true);
	printf("{\n  \"flow\": ");
	json_str(h.flow->id);
	printf(",\n  \"width\": %d, \"height\": %d, \"min_target_px\": %d,\n  \"steps\": [",
	       w, hp, app_min_target_px(h.app));
	int rc = step(&h, APP_ACT_START, 0, "start");
	int visit = 0, went_back = 0;
	while (rc == 0 && app_view(h.app)->screen == SCREEN_QUESTION)
		rc = answer_question(&h, visit++, &went_back);
	if (rc == 0 && app_view(h.app)->screen != SCREEN_THANKS) {
		fprintf(stderr, "e2e_plan: the walk ended on the %s screen, not thank you\n",
		        screen_names[app_view(h.app)->screen]);
		rc = -1;
	}
	char status[32];
	if (rc == 0)
		rc = step(&h, APP_ACT_FINISH, 0, "finish");
	if (rc == 0)
		rc = print_rows(&h);
	if (rc == 0) {
		h_sql_text(&h, "SELECT status FROM sessions", status, sizeof status);
		printf("\n  ],\n  \"status\": ");
		json_str(status);
		printf(",\n  \"final_screen\": ");
		json_str(screen_names[app_view(h.app)->screen]);
		printf("\n}\n");
	}
	h_close(&h);
	return rc == 0 ? 0 : 1;
}
