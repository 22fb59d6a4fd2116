/*
 * store_sql: SQL for tests that compare an answer's choices with one string.
 *
 * Schema version 2 keeps each chosen answer as its own answer_choices row.
 * Tests written against version 1 compared answers.answer_ids ("sport art")
 * and answers.answer_labels ("Sport | Art"); these expressions give the same
 * strings from the rows, in position order ("" when nothing was chosen), so
 * those assertions keep their meaning. Use them in a query over `answers`:
 *     "SELECT " SQL_ANSWER_IDS " FROM answers WHERE question_id = 'x'"
 * Only tests join strings like this; the code never does.
 */
#ifndef TELLUS_TEST_STORE_SQL_H
#define TELLUS_TEST_STORE_SQL_H

#define SQL_ANSWER_JOINED_(col, sep) \
	"(SELECT ifnull(group_concat(" col ", '" sep "'), '') FROM" \
	" (SELECT " col " FROM answer_choices c WHERE c.session_id = answers.session_id" \
	"  AND c.seq = answers.seq ORDER BY c.position))"

/* The chosen ids joined by single spaces. */
#define SQL_ANSWER_IDS SQL_ANSWER_JOINED_("answer_id", " ")
/* Their labels joined by " | ". */
#define SQL_ANSWER_LABELS SQL_ANSWER_JOINED_("answer_label", " | ")

#endif
