/*
 * ui: what the screens, the input code and the app loop share inside the
 * front end. Not for use outside src/ui (app.h is the public face).
 *
 * A screen is a function that lays out its targets (the things a person can
 * press) and appends draw commands for them, given the session's view and
 * the pressed and focused target from the input state. Targets keep the same
 * index for the same view, so pressed and focus survive a rebuild.
 */
#ifndef TELLUS_UI_H
#define TELLUS_UI_H

#include <stdbool.h>
#include <stdint.h>
#include "draw/draw.h"
#include "draw/text.h"
#include "draw/theme.h"
#include "session/session.h"
#include "flow/flow.h"
#include "config/access.h"

struct staff_view;
struct card_set;
struct card;

/* A flow's symbol references resolved to paths once (symbol_paths.c): the
 * path of sym (a bundled name or a path relative to the flow), borrowed for
 * the cache's life, or NULL when sym is NULL or memory ran out. Screens use
 * it so a frame does not allocate a path per picture. */
typedef struct symbol_paths {
	const char **keys;   /* the flow's own reference strings */
	char **paths;
	size_t n, cap;
} symbol_paths;
const char *symbol_paths_get(symbol_paths *sp, const flow *f, const char *sym,
                             const char *data_dir);
void symbol_paths_finish(symbol_paths *sp);

enum ui_action {
	ACT_NONE = 0,
	ACT_START,
	ACT_ANSWER,      /* arg: answer index */
	ACT_DONE,
	ACT_SKIP,
	ACT_DECLINE,
	ACT_BACK,
	ACT_FINISH,
	ACT_STILL_HERE,
	ACT_FINISH_EARLY,    /* "I've finished" on a question: the turn ends now */
	/* a person's own settings: "How do you like to answer?" and languages */
	ACT_OPEN_ACCESS,     /* the always-there button: open the settings overlay */
	ACT_ACCESS_OPTION,   /* arg: which option (screen_access.c defines them) */
	ACT_CLOSE_OVERLAY,   /* back to what the person was doing */
	ACT_OPEN_LANGUAGE,
	ACT_SET_LANGUAGE,    /* arg: index into the flow's languages */
	ACT_SORT_COLUMN,     /* a sort mat's column: put the picture held there; arg: column */
	ACT_KEY,             /* an on-screen key: arg a letter (osk.c), UI_OSK_SPACE or UI_OSK_DELETE */
	ACT_DRAW_COLOUR,     /* a drawing's swatch: arg the colour (UI_DRAW_ERASER: the rubber) */
	ACT_DRAW_CLEAR,      /* "Start again": an empty page */
	ACT_DRAW_STAMP,      /* the page, chosen without a finger on it: arg the place (a cell) */
	ACT_ACCESS_KEEP,     /* keeps a new way of answering on trial (pressed that way) */
	/* staff mode (staff.c) */
	ACT_STAFF_DIGIT,     /* arg: 0-9 */
	ACT_STAFF_DELETE,
	ACT_STAFF_OK,
	ACT_STAFF_CLOSE,     /* back to the kiosk */
	ACT_STAFF_MENU,      /* back to the staff menu */
	ACT_STAFF_EXPORT,    /* arg: 1 for everything again */
	ACT_STAFF_RETRY,
	ACT_STAFF_TODAY,
	ACT_STAFF_PAGE,      /* arg: -1 or +1 */
	ACT_STAFF_ABOUT,
	ACT_STAFF_QUIT,
	ACT_STAFF_CLEAR,     /* arg: 0 asks "Clear this kiosk?", 1 is its "Yes" */
	ACT_STAFF_LOAD,      /* Load from the stick: flows and cards */
	/* "You said, we did" cards (screen_card.c) */
	ACT_CARD_HEAR,       /* arg: which card from the one showing (0, or 1 on thank-you) */
	ACT_CARD_MORE,       /* the next card */
	/* who reads the answers (screen_audience.c) */
	ACT_CARRY_ON,        /* on to the first question */
	ACT_AUDIENCE_HEAR,   /* arg: which person: read them aloud */
	/* the set-up (staff_setup.c) */
	ACT_STAFF_SETUP,     /* open the set-up; arg: enum staff_setup_step */
	ACT_STAFF_KEY,       /* the set-up's keyboard; arg: a character, or STAFF_KEY_DELETE */
	ACT_STAFF_TOGGLE,    /* offer a flow or not; arg: its index */
	ACT_STAFF_NEXT,      /* arg: +1 OK (on to the next step), -1 back */
	ACT_STAFF_END_EVENT,
	ACT_STAFF_ROOM,      /* "Show the room" (staff.c's presses) */
	ACT_COUNT
};

enum target_style {
	STYLE_ANSWER = 0,   /* a picture card: symbol, words under (or right in easy-read) */
	STYLE_BUTTON,       /* a quieter control: Back, Skip, I don't want to say */
	STYLE_PRIMARY,      /* the one thing to press: Start, Done, Yes */
	STYLE_ROUND,        /* a small round button, a picture alone (the access button) */
};

#define UI_MAX_TARGETS 96   /* the on-screen keyboard, in Bengali, has the most */
#define UI_MAX_FLOWS 16     /* config.h's CONFIG_MAX_FLOWS */

/* Screens a person opens over the session's screen; the session machine
 * does not know about them (its idle timers still run). */
enum ui_overlay { OVERLAY_NONE = 0, OVERLAY_ACCESS, OVERLAY_LANGUAGE, OVERLAY_COUNT };

typedef struct ui_target {
	ui_rect r;
	enum ui_action action;
	int arg;
} ui_target;

/* The thank-you screen's rows: still on their way, on disk, or late. */
enum ui_saving { UI_SAVED = 0, UI_SAVING, UI_SAVE_LATE };

typedef struct ui_ctx {
	/* set by the app before a screen builds */
	draw_list *dl;
	text_cache *tc;
	const ui_theme *th;
	const char *data_dir;
	const flow *flow;        /* the flow on screen (the session's) */
	/* The flows offered now, in the settings' order; welcome shows a card
	 * for each when there is more than one (its ACT_START arg is flow_arg). */
	const flow *flows[UI_MAX_FLOWS];
	int flow_arg[UI_MAX_FLOWS];
	int n_flows;
	symbol_paths *symbols;   /* the flow's symbol paths (symbol_paths_get) */
	const session_view *view;
	int w, h;
	int min_target;      /* px: 20 mm (or the configured size) at the panel's dpi */
	int pressed;         /* target index under a finger, or -1 */
	int focus;           /* keyboard/switch focus, or -1 */
	bool show_focus;
	int dwell_target;    /* target whose filling ring shows (dwell, a switch held), or -1 */
	float dwell_progress;  /* 0..1 */
	int label_px;        /* > 0: every card's words at this size (set by a screen) */
	const struct staff_view *staff;  /* staff mode's view, for the staff screens */
	const access_settings *acc;      /* this person's way of answering and seeing */
	enum ui_overlay overlay;
	/* A new way of answering on trial (input_mode.c): the seconds left
	 * before the old way returns, 0 when none is. */
	int trial_left_s;
	bool rtl;                        /* the language is written right to left */
	/* Large text: every text size (and the room cards give words) times
	 * this; 1 normally. Reduced motion is acc->reduced_motion. */
	double text_scale;
	bool words_first;    /* sideways cards: words left, a small picture right (text-first) */
	/* The answers' disk (app_store.c): store_writer.h's enum store_health;
	 * resting: the rest screen covers the session's (the store cannot take
	 * records now); saving: how far the thank-you's rows have got. */
	int store_health;
	bool store_full;     /* the writer's queue is full: no answer is taken */
	bool resting;
	enum ui_saving saving;
	int64_t anim_ms;     /* monotonic ms, for the calm waiting animation */
	const struct card_set *cards;  /* "You said, we did" cards, or NULL */
	size_t card_index;   /* which card, newest first, the welcome shows now */
	const char *composing;   /* text: what an input method is still composing ("" none) */
	struct draw_canvas *canvas;  /* draw: the page (the app owns it; screens only show it) */
	int draw_colour;         /* draw: the swatch in use (UI_DRAW_ERASER: the rubber) */
	int osk_page;            /* text: the keyboard's page of letters (wraps round) */
	/* filled by the screen */
	ui_target targets[UI_MAX_TARGETS];
	int n_targets;
	/* The last build's targets in focus order (ui_focus_order): pressed,
	 * focus and dwell_target index these, so a screen asks ui_is. */
	ui_target before[UI_MAX_TARGETS];
	int n_before;
} ui_ctx;

typedef void (*screen_build_fn)(ui_ctx *c);
/* The table of screens (screens.c): the builder for what c shows now
 * (staff mode, else an overlay, else the session's screen); NULL for an
 * empty screen. c's view, staff and overlay must be set. */
screen_build_fn screens_pick(const ui_ctx *c);
/* Staff mode is showing (its screens are never mirrored). */
bool screens_staff(const ui_ctx *c);
/* The screens the kiosk itself puts up, over any person's: the rest screen
 * while the answers' disk cannot take records. */
enum kiosk_screen { KIOSK_REST = 0, KIOSK_SCREEN_COUNT };
/* One screen of the table: a session screen (enum screen_id), an overlay
 * (enum ui_overlay, never OVERLAY_NONE), a staff screen (enum
 * staff_screen, never STAFF_OFF) or a kiosk screen (enum kiosk_screen),
 * and its builder (NULL: drawn empty). */
enum screens_kind { SCREENS_SESSION = 0, SCREENS_OVERLAY, SCREENS_STAFF, SCREENS_KIOSK };
typedef struct screen_ref {
	enum screens_kind kind;
	int id;
	screen_build_fn build;
} screen_ref;
/* The n-th screen of the table (0, 1, ...); false past the last. */
bool screens_nth(int n, screen_ref *out);
void screen_welcome_build(ui_ctx *c);
void screen_question_build(ui_ctx *c);
void screen_sort_build(ui_ctx *c);     /* a sort question (screen_sort.c) */
void screen_text_build(ui_ctx *c);     /* a text question (screen_text.c) */
void screen_draw_build(ui_ctx *c);     /* a draw question (screen_draw.c) */
/* What every question screen has around its answers (question_chrome.c):
 * the top bar (Back when the view can go back, the progress dots, "I've
 * finished", the access button) and the bottom bar (Skip, "I don't want to
 * say", and Done when with_done), built and drawn. Returns the bars and the
 * body between them (a margin from each) for the screen's own content. */
typedef struct question_chrome_rects {
	ui_rect top, bottom, body;
	int bar_h;
} question_chrome_rects;
question_chrome_rects question_chrome(ui_ctx *c, bool with_done);
/* The question on screen in one line r: its symbol (when it has one) a
 * square at the start, its words bold and centred in the person's
 * language (the flow's first as fallback); the sort, text and draw
 * screens' heading. */
void question_prompt(ui_ctx *c, ui_rect r);

/* The on-screen keyboard (osk.c), for any screen that takes typing: one
 * target per key, of action act, its arg a letter's index or one of these. */
#define UI_OSK_SPACE 1000
#define UI_OSK_DELETE 1001
/* The key to the keyboard's next page of letters, when they need more than
 * one page at the minimum key size (ctx osk_page says which shows). */
#define UI_OSK_PAGE 1002
/* The letters' language for lang (its own, or "en" when there is no set). */
const char *ui_osk_lang(const char *lang);
int ui_osk_n_keys(const char *lang);
/* The text a key types: a letter (static), " " for UI_OSK_SPACE; NULL for
 * UI_OSK_DELETE or no such key. */
const char *ui_osk_key(const char *lang, int arg);
/* How tall the keyboard is in a w x h area (h 0: unbounded, all the
 * letters on one page). */
int ui_osk_height(const ui_ctx *c, int w, int h, const char *lang);
/* Lays the keys into area and draws them; the rectangle they took. */
ui_rect ui_osk_build(ui_ctx *c, ui_rect area, const char *lang, const char *delete_word,
                     const char *space_word, enum ui_action act);

/* The words of the text and draw questions (words_types.c). */
#define UI_DRAW_COLOURS 5
#define UI_DRAW_ERASER UI_DRAW_COLOURS
typedef struct ui_type_words {
	const char *lang, *no_names, *del, *space;
	const char *colours[UI_DRAW_COLOURS];
	const char *eraser, *start_again, *draw_here;
	const char *more_letters;   /* the keyboard's page key, said aloud */
} ui_type_words;
const ui_type_words *ui_type_words_for(const char *lang);
void screen_thanks_build(ui_ctx *c);
void screen_still_there_build(ui_ctx *c);
/* "These people will read what you say" (screen_audience.c). */
void screen_audience_build(ui_ctx *c);
/* "This kiosk is having a rest." (screen_rest.c): shown instead of welcome
 * while the answers' disk cannot take records. */
void screen_rest_build(ui_ctx *c);
/* The words about the disk (screen_rest.c), in lang or English. */
enum ui_disk_words { UI_W_REST_TITLE, UI_W_REST_BODY, UI_W_SAVING, UI_W_SAVE_LATE,
                     UI_W_DISK_COUNT };
const char *screen_rest_words(const char *lang, enum ui_disk_words w);
/* The calm waiting mark: three dots that brighten in turn (screen_rest.c). */
void screen_rest_dots(ui_ctx *c, ui_rect r);
/* What is wrong with the disk, in plain words for staff; NULL when nothing. */
const char *screen_rest_staff_words(int store_health, bool queue_full);
/* Staff screens (screen_staff_*.c), chosen by staff_view.screen. */
void screen_staff_pin_build(ui_ctx *c);
void screen_staff_menu_build(ui_ctx *c);
void screen_staff_export_build(ui_ctx *c);
void screen_staff_today_build(ui_ctx *c);
void screen_staff_about_build(ui_ctx *c);
void screen_staff_clear_build(ui_ctx *c);
void screen_staff_setup_build(ui_ctx *c);
void screen_staff_room_build(ui_ctx *c);
/* The room's own words (screen_staff_room.c), in lang or English; what
 * it reads aloud for the chart showing, into buf (NULL: nothing to say);
 * *said_lang the language it is in. */
const char *screen_staff_room_say(ui_ctx *c, char *buf, size_t len, const char **said_lang);
void screen_staff_load_build(ui_ctx *c);

/* Layout and widgets (layout.c). */
int ui_margin(const ui_ctx *c);
/* Adds a target; returns its index or -1 when full. */
int ui_add_target(ui_ctx *c, ui_rect r, enum ui_action a, int arg);
/* Focus order, the same for the keyboard's Tab and for switch scanning:
 * the screen's main action first (Start or the flows' cards, the answers,
 * Done, Finish, the options of an overlay), then Back, Skip and "I don't
 * want to say", then "I've finished", then the quieter extras (Language,
 * the "You said, we did" card), and the access button last. After a build
 * the app puts the targets in this order (stably: a screen's own order
 * holds within each rank), whatever order the screen added them in. */
int ui_focus_rank(enum ui_action a);
void ui_focus_order(ui_ctx *c);
/* Target ti of the build under way is target idx (pressed, focus,
 * dwell_target) of the build before: the same action and arg. */
bool ui_is(const ui_ctx *c, int ti, int idx);
/* Where a chosen card of rect r wears its tick badge, with the badge's
 * halo: what the card's own drawing must keep clear of. */
ui_rect ui_tick_badge_rect(const ui_ctx *c, ui_rect r);
/* Draws a pressable card for target ti with an optional symbol and label. */
void ui_draw_target(ui_ctx *c, int ti, enum target_style style,
                    const char *symbol_path, const char *label, bool selected,
                    bool horizontal);
/* The size the words of a card of rect r would get; screens take the
 * smallest over a row of cards so their words match. */
int ui_card_label_px(ui_ctx *c, ui_rect r, enum target_style style, bool has_sym,
                     bool horizontal, const char *label);
/* A symbol fitted into r, on a light tile when the theme asks for one. */
void ui_image(ui_ctx *c, ui_rect r, const char *path);
/* Text fitted into r: largest size up to max_px (at least min_px). */
void ui_text(ui_ctx *c, ui_rect r, const char *s, int max_px,
             enum font_face face, enum text_align align, ui_color col);
/* Path of a bundled symbol by name; into buf. */
const char *ui_symbol(const ui_ctx *c, const char *name, char *buf, size_t len);
/* Lays n cells of aspect (w/h) into area with gap; fills rects. Returns the
 * number of columns used. Cells are as large as they can be. */
int ui_grid(ui_rect area, int n, double aspect, int gap, ui_rect *cells);
/* The same, preferring layouts whose cells are at least min px both ways;
 * one_line keeps the cells in one row or one column (scales keep order). */
int ui_grid_min(ui_rect area, int n, double aspect, int gap, int min, bool one_line,
                ui_rect *cells);
/* Right to left: the built screen as in a mirror (targets and draw list).
 * Words are not mirrored (the renderer aligns them to the start of their
 * own language); symbols that point the way the words read are flipped. */
void ui_mirror(ui_ctx *c);
/* The progress dots and "2 of 5" in r. */
void ui_progress(ui_ctx *c, ui_rect r, int number, int total);
static inline int ui_min(int a, int b) { return a < b ? a : b; }
static inline int ui_max(int a, int b) { return a > b ? a : b; }

/* Words the kiosk itself says, in each language it knows (words.c). */
typedef struct ui_words {
	const char *lang;      /* the language these words are really in */
	const char *name;      /* the language's own name in its own script */
	const char *language;  /* "Language", for the button that opens the screen */
	const char *start, *back, *skip, *decline, *done, *thanks_title,
	           *thanks_body, *finish, *still_there, *yes_here, *tap_anywhere,
	           *progress_of,  /* "2 of 5" */
	           *choose_flow,  /* the welcome screen's question when it offers several flows */
	           *finished,     /* "I've finished", on every question */
	           *audience_title, /* "These people will read what you say" */
	           *carry_on;     /* leaves the audience screen */
	bool total_first;      /* "5 of 2" order: "5 میں سے 2" */
} ui_words;
/* Never NULL: English words (lang "en") for a language it does not know. */
const ui_words *ui_words_for(const char *lang);
/* The kiosk's own tables of words are arrays of structs with a language
 * code in them, English first: the index of lang's entry, an exact match
 * first, then the same primary language ("pl" for "pl-PL"), else 0.
 * first_lang is &table[0].lang, stride sizeof table[0]. */
size_t ui_lang_index(const char *const *first_lang, size_t n, size_t stride, const char *lang);
/* The entry itself, of a table declared as an array. */
#define UI_LANG_ENTRY(table, lang)                                                         \
	(&(table)[ui_lang_index(&(table)[0].lang, sizeof(table) / sizeof((table)[0]),            \
	                        sizeof((table)[0]), (lang))])
/* "You said, we did" (screen_card.c). The kiosk's words for a card, in
 * lang (English for a language it does not know). */
typedef struct ui_card_words {
	const char *lang, *you_said, *we_did, *not_yet, *more;
} ui_card_words;
const ui_card_words *ui_card_words_for(const char *lang);
/* The card offset after c->card_index, or NULL when there are none. */
const struct card *screen_card_current(const ui_ctx *c, int offset);
/* Draws that card into r, touch to hear (ACT_CARD_HEAR, arg offset), and
 * with more, a quiet "More" under it when there are other cards. */
void screen_card_build(ui_ctx *c, ui_rect r, int offset, bool more);
/* What the card says aloud, into buf; *said_lang is its language. */
const char *screen_card_say(const struct card *cd, const char *lang, char *buf, size_t len,
                            const char **said_lang);

/* The language screen (screen_language.c), an overlay. */
void screen_language_build(ui_ctx *c);

/* "How do you like to answer?" (screen_access.c), an overlay; options are
 * app.h's ACCESS_OPT_*. */
void screen_access_build(ui_ctx *c);
/* The round button that opens it, top corner at the end of the line;
 * screens keep a square of screen_access_button_size() clear there. */
ui_rect screen_access_button(ui_ctx *c);
int screen_access_button_size(const ui_ctx *c);
bool screen_access_chosen(const access_settings *acc, int opt);
/* Toggles option opt in acc (Touch, Switch and Dwell: picks that one). */
void screen_access_apply(access_settings *acc, int opt);
/* Its words in the person's language (lang): the title and option opt's
 * label; *said (may be NULL) gets the language they are really in. */
const char *screen_access_title(const char *lang, const char **said);
const char *screen_access_label(const char *lang, int opt, const char **said);
/* The words of "How do you like to answer?" (words_access.c), options
 * indexed by app.h's ACCESS_OPT_*. Never NULL: English (lang "en") for a
 * language it does not know. */
#define UI_ACCESS_OPTS 6
typedef struct ui_access_words {
	const char *lang, *title, *options[UI_ACCESS_OPTS], *keep, *on, *off;
} ui_access_words;
const ui_access_words *ui_access_words_for(const char *lang);

#endif
