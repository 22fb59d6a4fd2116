-- A Tellus answers database at schema version 1, as Tellus made it before
-- chosen answers got their own rows (answers.answer_ids "play art",
-- answers.answer_labels "Playing | Art"). Made-up data only, for
-- tests/test_store.c (test_migrate_v1_keeps_every_answer). The schema is
-- version 1's exactly, from src/core/store/store_schema.c; do not edit it.
CREATE TABLE meta(  key TEXT PRIMARY KEY,  value TEXT NOT NULL);
CREATE TABLE flows(  hash TEXT PRIMARY KEY,  id TEXT NOT NULL,  version INTEGER NOT NULL,  source TEXT);
CREATE TABLE sessions(  id TEXT PRIMARY KEY,  kiosk_id TEXT NOT NULL,  flow_id TEXT NOT NULL,  flow_version INTEGER NOT NULL,  flow_hash TEXT NOT NULL,  started_at TEXT NOT NULL,  ended_at TEXT,  status TEXT NOT NULL    CHECK(status IN ('in_progress','completed','unfinished')),  language TEXT NOT NULL,  presentation TEXT NOT NULL,  event TEXT,  exported_at TEXT);
CREATE TABLE answers(  id INTEGER PRIMARY KEY,  session_id TEXT NOT NULL REFERENCES sessions(id),  seq INTEGER NOT NULL,  question_id TEXT NOT NULL,  question_index INTEGER NOT NULL,  question_text TEXT NOT NULL,  kind TEXT NOT NULL CHECK(kind IN ('chosen','skipped','declined')),  answer_ids TEXT NOT NULL,  answer_labels TEXT NOT NULL,  given_at TEXT NOT NULL,  time_taken_ms INTEGER NOT NULL,  input_method TEXT NOT NULL,  UNIQUE(session_id, seq));
CREATE INDEX answers_by_session ON answers(session_id);
CREATE INDEX sessions_by_exported ON sessions(exported_at);
CREATE INDEX sessions_by_started ON sessions(started_at);
PRAGMA application_id = 1413827660;
PRAGMA user_version = 1;

INSERT INTO meta VALUES('kiosk_id', 'kiosk-0ld0ne01');
-- The flow the first two sessions used. One English label holds " | ".
INSERT INTO flows VALUES('hash-club-2', 'club-day', 2, 'id: club-day
version: 2
title: Club day
languages: [en, ur]
questions:
  - id: things
    type: choose-many
    prompt:
      en: What did you do?
      ur: آپ نے کیا کیا؟
    symbol: school
    answers:
      - { id: play, label: { en: Playing, ur: کھیل }, symbol: football }
      - { id: art, label: { en: "Art | Craft", ur: فن }, symbol: painting }
      - { id: music, label: { en: Music, ur: موسیقی }, symbol: music }
  - id: lunch
    type: yes-no
    prompt: Did you like lunch?
    symbol: lunch
');
INSERT INTO sessions VALUES('s1-en', 'kiosk-0ld0ne01', 'club-day', 2, 'hash-club-2', '2026-03-02T10:00:00.000Z', '2026-03-02T10:01:00.000Z', 'completed', 'en', 'easy-read', NULL, NULL);
INSERT INTO sessions VALUES('s2-ur', 'kiosk-0ld0ne01', 'club-day', 2, 'hash-club-2', '2026-03-02T11:00:00.000Z', '2026-03-02T11:01:00.000Z', 'completed', 'ur', 'easy-read', NULL, NULL);
-- No flows row for this one's hash: its labels cannot be looked up again.
INSERT INTO sessions VALUES('s3-gone', 'kiosk-0ld0ne01', 'club-day', 1, 'hash-club-1', '2026-03-02T12:00:00.000Z', NULL, 'unfinished', 'en', 'large-symbol', 'open day', '2026-03-03T09:00:00.000Z');

-- labels cut cleanly at " | "
INSERT INTO answers VALUES(1, 's1-en', 1, 'things', 0, 'What did you do?', 'chosen', 'play music', 'Playing | Music', '2026-03-02T10:00:10.000Z', 4100, 'touch');
-- a label holding " | ": three pieces for two ids, found again in the flow
INSERT INTO answers VALUES(2, 's1-en', 2, 'things', 0, 'What did you do?', 'chosen', 'play art', 'Playing | Art | Craft', '2026-03-02T10:00:20.000Z', 2200, 'switch');
INSERT INTO answers VALUES(3, 's1-en', 3, 'lunch', 1, 'Did you like lunch?', 'skipped', '', '', '2026-03-02T10:00:30.000Z', 900, 'touch');
-- an id the flow does not have: the joined text stays whole on the first
INSERT INTO answers VALUES(4, 's1-en', 4, 'things', 0, 'What did you do?', 'chosen', 'art music mystery', 'Art | Craft | Music | Myst', '2026-03-02T10:00:40.000Z', 3000, 'dwell');
-- cut short by the old buffer: found again in the flow, in Urdu
INSERT INTO answers VALUES(5, 's2-ur', 1, 'things', 0, 'آپ نے کیا کیا؟', 'chosen', 'play art music', 'کھیل | فن', '2026-03-02T11:00:10.000Z', 5000, 'touch');
INSERT INTO answers VALUES(6, 's2-ur', 2, 'lunch', 1, 'Did you like lunch?', 'declined', '', '', '2026-03-02T11:00:20.000Z', 800, 'keyboard');
-- no flow stored: kept whole on the first choice
INSERT INTO answers VALUES(7, 's3-gone', 1, 'things', 0, 'What did you do?', 'chosen', 'a b', 'A | B | C', '2026-03-02T12:00:10.000Z', 1000, 'touch');
INSERT INTO answers VALUES(8, 's3-gone', 2, 'things', 0, 'What did you do?', 'chosen', 'solo', 'Only | one', '2026-03-02T12:00:20.000Z', 1000, 'touch');
-- one id with an empty label
INSERT INTO answers VALUES(9, 's3-gone', 3, 'lunch', 1, 'Did you like lunch?', 'chosen', 'yes', '', '2026-03-02T12:00:30.000Z', 700, 'mouse');
