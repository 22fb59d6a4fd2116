/*
 * config: the kiosk's settings from an optional YAML file (config/kiosk.yaml
 * documents every key).
 *
 * Promises: config_load changes nothing unless the whole file is good, so a
 * kiosk never runs on half a settings file; every problem is reported as
 * FILE:LINE:COL with how to mend it (YAML syntax errors too, collected from
 * libfyaml rather than printed); a key left out, or left empty, keeps the
 * value it had. Flow paths are resolved against the settings file's folder,
 * so the file means the same wherever the kiosk is started from.
 */
#include "config/config.h"
#include "base/yaml_util.h"
#include "base/util.h"
#include "pin/pin.h"

#include <math.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfyaml.h>

/* The rule for "are you still there?" (WCAG 2.2.1, timing adjustable):
 * people get at least 20 seconds to say they need more time. */
enum { STILL_THERE_MIN_S = 20 };

void
config_default(kiosk_config *c)
{
	memset(c, 0, sizeof *c);
	c->presentation = PRES_LARGE_SYMBOL;
	session_timing_default(&c->timing);   /* the one copy of those numbers */
	c->double_tap_ms = 300;
	c->dpi = 0;
	c->min_target_mm = 20;
	c->fullscreen = true;
	access_default(&c->access);
	c->pin_min_digits = PIN_MIN_DIGITS;
	c->keep_days_after_export = 30;
	c->room_min_count = 3;
}

void
config_finish(kiosk_config *c)
{
	if (!c)
		return;
	free(c->kiosk_id);
	for (int i = 0; i < c->n_flows && i < CONFIG_MAX_FLOWS; i++)
		free(c->flows[i]);
	free(c->language);
	free(c->office_key);
	config_default(c);
}

/* ---- reporting --------------------------------------------------------- */

struct cctx {
	const char *file;
	diag_list *diags;
	int errors;
};

__attribute__((format(printf, 4, 5)))
static void
err(struct cctx *c, int line, int col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_add(c->diags, DIAG_ERROR, c->file, line, col, "%s", msg);
	c->errors++;
}

/* ---- nodes ------------------------------------------------------------- */


/* A scalar's text into buf; false (after reporting) for anything else. */
static bool
text_of(struct cctx *c, struct fy_node *n, flow_pos at, const char *key, char *buf, size_t len)
{
	if (fy_node_is_alias(n)) {
		err(c, at.line, at.col, "'%s' uses an alias (*name); write the value out in full", key);
		return false;
	}
	if (fy_node_get_type(n) != FYNT_SCALAR) {
		err(c, at.line, at.col, "'%s' must be a single value, not a %s", key,
		    fy_node_get_type(n) == FYNT_MAPPING ? "map" : "list");
		return false;
	}
	size_t n_len;
	const char *s = fy_node_get_scalar(n, &n_len);
	if (!s || n_len >= len || memchr(s, '\0', n_len)) {
		err(c, at.line, at.col, "'%s' is too long or not text; write a short value", key);
		return false;
	}
	memcpy(buf, s, n_len);
	buf[n_len] = '\0';
	return true;
}

/* A whole number in digits, as the settings take one (at most a billion). */
static bool
parse_long(const char *s, long *out)
{
	return yaml_whole_number(s, 0, 1000000000, out);
}

static bool
parse_real(const char *s, double *out)
{
	char *end;
	if (!*s)
		return false;
	double v = strtod(s, &end);
	if (*end || !isfinite(v))
		return false;
	*out = v;
	return true;
}


/* ---- keys -------------------------------------------------------------- */

enum {
	K_KIOSK_ID, K_FLOWS, K_PRESENTATION, K_IDLE, K_STILL_THERE, K_THANKS,
	K_DOUBLE_TAP, K_DPI, K_MIN_TARGET, K_FULLSCREEN, K_LANGUAGE,
	K_ACCESS, K_SCAN_INTERVAL, K_SCAN_FIRST_PAUSE, K_SCAN_ROUNDS, K_SWITCH_HOLD,
	K_DWELL, K_MIN_HOLD, K_SELECT_ON_PRESS, K_SPEECH, K_TOUCH_TO_HEAR, K_SCAN_SPEAK,
	K_THEME, K_LARGE_TEXT, K_DYSLEXIC, K_REDUCED_MOTION, K_SPEECH_RATE,
	K_ASK_ACCESS, K_HELPER_QUESTION, K_SWITCH_KEYS, K_VOICES, K_PIN_MIN_DIGITS,
	K_KEEP_DAYS, K_RENDERER,
	K_DWELL_MOVE,
	K_YOU_SAID_WE_DID, K_ROOM_MIN_COUNT, K_OFFICE_KEY, K_EVENT,
	K_STICK_FOLDER, K_COUNT
};
static const char *const key_names[K_COUNT] = {
	"kiosk_id", "flows", "presentation", "idle_seconds", "still_there_seconds",
	"thanks_seconds", "double_tap_ms", "dpi", "min_target_mm", "fullscreen", "language",
	"access", "scan_interval_ms", "scan_first_pause_ms", "scan_rounds", "switch_hold_ms",
	"dwell_ms", "min_hold_ms", "select_on_press", "speech", "touch_to_hear", "scan_speak",
	"theme", "large_text", "dyslexic_font", "reduced_motion", "speech_rate",
	"ask_access", "helper_question", "switch_keys", "voices", "pin_min_digits",
	"keep_days_after_export", "renderer",
	"dwell_move_px",
	"you_said_we_did", "room_min_count", "office_key", "event",
	"stick_folder",
};

/* Numeric settings: key, range and where the value goes (an offset into
 * kiosk_config, so one reader serves them all). */
typedef struct num_key {
	int key;
	long min, max;
	const char *hint;
	size_t off;
	bool is_int;   /* int, else int64_t */
} num_key;
static const num_key num_keys[] = {
	{ K_SCAN_INTERVAL, 750, 5000, "2000 suits most people", offsetof(kiosk_config, access.scan_interval_ms), false },
	{ K_SCAN_FIRST_PAUSE, 0, 5000, "1000 suits most people", offsetof(kiosk_config, access.scan_first_pause_ms), false },
	{ K_SCAN_ROUNDS, 1, 20, "3 suits most people", offsetof(kiosk_config, access.scan_rounds), true },
	{ K_SWITCH_HOLD, 200, 5000, "800 suits most people", offsetof(kiosk_config, access.switch_hold_ms), false },
	{ K_DWELL, 300, 5000, "1000 suits most people", offsetof(kiosk_config, access.dwell_ms), false },
	{ K_DWELL_MOVE, 5, 400, "20 suits most people", offsetof(kiosk_config, access.dwell_move_px), true },
	{ K_MIN_HOLD, 0, 2000, "0 turns it off", offsetof(kiosk_config, access.min_hold_ms), false },
	{ K_SPEECH_RATE, 80, 400, "150 suits most people", offsetof(kiosk_config, access.speech_rate), true },
	{ K_PIN_MIN_DIGITS, PIN_MIN_DIGITS, PIN_MAX_DIGITS, "6 suits most kiosks", offsetof(kiosk_config, pin_min_digits), true },
	{ K_KEEP_DAYS, 1, 3650, "30 suits most kiosks", offsetof(kiosk_config, keep_days_after_export), true },
	{ K_ROOM_MIN_COUNT, 1, 100, "3 suits most rooms", offsetof(kiosk_config, room_min_count), true },
};

/* On/off settings. */
typedef struct bool_key { int key; size_t off; } bool_key;
static const bool_key bool_keys[] = {
	{ K_FULLSCREEN, offsetof(kiosk_config, fullscreen) },
	{ K_SELECT_ON_PRESS, offsetof(kiosk_config, access.select_on_press) },
	{ K_SPEECH, offsetof(kiosk_config, access.speech) },
	{ K_TOUCH_TO_HEAR, offsetof(kiosk_config, access.touch_to_hear) },
	{ K_SCAN_SPEAK, offsetof(kiosk_config, access.scan_speak) },
	{ K_LARGE_TEXT, offsetof(kiosk_config, access.large_text) },
	{ K_DYSLEXIC, offsetof(kiosk_config, access.dyslexic_font) },
	{ K_REDUCED_MOTION, offsetof(kiosk_config, access.reduced_motion) },
	{ K_ASK_ACCESS, offsetof(kiosk_config, ask_access) },
	{ K_HELPER_QUESTION, offsetof(kiosk_config, helper_question) },
};

/* What a good file changes; moved into the config only when all is well. */
struct staged {
	kiosk_config v;       /* numbers and flags; its strings are not used */
	bool set_kiosk_id, set_flows, set_language, set_office_key;
	char *kiosk_id;
	char *office_key;
	char *flows[CONFIG_MAX_FLOWS];
	int n_flows;
	char *language;
};

static void
staged_finish(struct staged *s)
{
	free(s->kiosk_id);
	for (int i = 0; i < s->n_flows; i++)
		free(s->flows[i]);
	free(s->language);
	free(s->office_key);
}

/* A whole number of seconds in [min, max], stored as milliseconds. */
static void
read_seconds(struct cctx *c, const char *key, const char *text, flow_pos p, long min, long max,
             const char *why, int64_t *out)
{
	long v;
	if (!parse_long(text, &v)) {
		err(c, p.line, p.col, "%s '%s' must be a whole number of seconds, at least %ld", key, text, min);
		return;
	}
	if (v < min) {
		err(c, p.line, p.col, "%s is %ld, below %ld%s; use %ld or more", key, v, min, why, min);
		return;
	}
	if (v > max) {
		err(c, p.line, p.col, "%s is %ld, more than %ld; use a smaller number", key, v, max);
		return;
	}
	*out = (int64_t)v * 1000;
}

static void
read_flows(struct cctx *c, struct fy_node *v, flow_pos kp, const char *dir, struct staged *s)
{
	s->set_flows = true;
	bool list = fy_node_get_type(v) == FYNT_SEQUENCE;
	if (list && fy_node_sequence_item_count(v) > CONFIG_MAX_FLOWS) {
		err(c, kp.line, kp.col, "'flows' lists %d files; a kiosk offers at most %d, so remove some",
		    fy_node_sequence_item_count(v), CONFIG_MAX_FLOWS);
		return;
	}
	void *it = NULL;
	struct fy_node *item = list ? fy_node_sequence_iterate(v, &it) : v;
	for (; item; item = list ? fy_node_sequence_iterate(v, &it) : NULL) {
		flow_pos ip = yaml_node_pos(item, kp);
		char text[4096];
		if (yaml_is_null(item)) {
			err(c, ip.line, ip.col, "a flow in 'flows' is empty; write the path of a flow file");
			continue;
		}
		if (fy_node_get_type(item) == FYNT_MAPPING) {
			err(c, ip.line, ip.col, "'flows' must be a list of flow file paths, e.g. "
			    "'flows: [flows/school-day.yaml]'");
			continue;
		}
		if (!text_of(c, item, ip, "flows", text, sizeof text))
			continue;
		char *path = tl_path_join(dir, text);
		if (!path) {
			err(c, ip.line, ip.col, "out of memory while reading 'flows'");
			continue;
		}
		s->flows[s->n_flows++] = path;
	}
}

/* switch_keys: [Space, Return] - the keys that act as switch 1 and 2.
 * Names are checked by the kiosk (SDL knows them); here only their shape. */
static void
read_switch_keys(struct cctx *c, struct fy_node *v, flow_pos kp, struct staged *s)
{
	if (fy_node_get_type(v) != FYNT_SEQUENCE || fy_node_sequence_item_count(v) < 1 ||
	    fy_node_sequence_item_count(v) > 2) {
		err(c, kp.line, kp.col, "switch_keys must list one or two key names, e.g. "
		    "'switch_keys: [Space, Return]'");
		return;
	}
	void *it = NULL;
	struct fy_node *item;
	for (int i = 0; (item = fy_node_sequence_iterate(v, &it)); i++) {
		flow_pos ip = yaml_node_pos(item, kp);
		char text[64];
		if (!text_of(c, item, ip, "switch_keys", text, sizeof text))
			continue;
		if (!*text || strlen(text) >= sizeof s->v.access.switch_keys[i]) {
			err(c, ip.line, ip.col, "switch key '%s' is not a key name such as Space, Return "
			    "or F1", text);
			continue;
		}
		snprintf(s->v.access.switch_keys[i], sizeof s->v.access.switch_keys[i], "%s", text);
	}
}

/* voices: { ur: "ur 130", en: en } - per language an espeak-ng voice and,
 * if wanted, its rate in words a minute. */
static void
read_voices(struct cctx *c, struct fy_node *v, flow_pos kp, struct staged *s)
{
	if (fy_node_get_type(v) != FYNT_MAPPING) {
		err(c, kp.line, kp.col, "voices must map languages to voices, e.g. "
		    "'voices: { en: en, ur: \"ur 130\" }'");
		return;
	}
	s->v.n_voices = 0;
	void *it = NULL;
	struct fy_node_pair *pair;
	while ((pair = fy_node_mapping_iterate(v, &it))) {
		struct fy_node *k = fy_node_pair_key(pair), *val = fy_node_pair_value(pair);
		flow_pos lp = yaml_node_pos(k, kp), vp = yaml_node_pos(val, lp);
		char lang[64], text[64], voice[64];
		if (!text_of(c, k, lp, "voices", lang, sizeof lang) || yaml_is_null(val) ||
		    !text_of(c, val, vp, "voices", text, sizeof text))
			continue;
		if (!tl_is_slug(lang) || strlen(lang) >= sizeof s->v.voices[0].lang) {
			err(c, lp.line, lp.col, "'%s' in voices is not a language code such as en or ur", lang);
			continue;
		}
		/* The whole value, or it is refused: "en fast" must not quietly
		 * become en at the kiosk's rate. */
		long rate = 0;
		int used = 0;
		int n = sscanf(text, "%63s%n %ld%n", voice, &used, &rate, &used);
		if (n < 1 || text[used + strspn(text + used, " \t")] != '\0' ||
		    strlen(voice) >= sizeof s->v.voices[0].voice ||
		    (n == 2 && (rate < 80 || rate > 400))) {
			err(c, vp.line, vp.col, "voice '%s' for %s must be an espeak-ng voice name, "
			    "then if you like a rate from 80 to 400 words a minute, e.g. \"ur 130\"",
			    text, lang);
			continue;
		}
		if (s->v.n_voices == CONFIG_MAX_VOICES) {
			err(c, lp.line, lp.col, "voices lists more than %d languages", CONFIG_MAX_VOICES);
			return;
		}
		config_voice *cv = &s->v.voices[s->v.n_voices++];
		snprintf(cv->lang, sizeof cv->lang, "%s", lang);
		snprintf(cv->voice, sizeof cv->voice, "%s", voice);
		cv->rate = (int)rate;
	}
}

static void
read_key(struct cctx *c, int k, struct fy_node *v, flow_pos kp, const char *dir, struct staged *s)
{
	const char *key = key_names[k];
	flow_pos p = yaml_node_pos(v, kp);
	if (yaml_is_null(v))
		return; /* empty: keep what it was */
	if (k == K_FLOWS) {
		read_flows(c, v, kp, dir, s);
		return;
	}
	if (k == K_SWITCH_KEYS) {
		read_switch_keys(c, v, kp, s);
		return;
	}
	if (k == K_VOICES) {
		read_voices(c, v, kp, s);
		return;
	}
	char text[256];
	if (!text_of(c, v, p, key, text, sizeof text))
		return;
	char sl[64];
	long n;
	double d;
	switch (k) {
	case K_YOU_SAID_WE_DID: {
		/* Relative to the settings file, like the flows. */
		char *path = tl_path_join(dir, text);
		if (!path)
			err(c, p.line, p.col, "out of memory");
		else if (strlen(path) >= sizeof s->v.you_said_we_did)
			err(c, p.line, p.col, "you_said_we_did: the path is too long; use a shorter one");
		else
			snprintf(s->v.you_said_we_did, sizeof s->v.you_said_we_did, "%s", path);
		free(path);
		break;
	}
	case K_STICK_FOLDER: {
		/* Relative to the settings file too. */
		char *path = tl_path_join(dir, text);
		if (!path)
			err(c, p.line, p.col, "out of memory");
		else if (strlen(path) >= sizeof s->v.stick_folder)
			err(c, p.line, p.col, "stick_folder: the path is too long; use a shorter one");
		else
			snprintf(s->v.stick_folder, sizeof s->v.stick_folder, "%s", path);
		free(path);
		return;
	}
	case K_KIOSK_ID:
		if (!tl_is_slug(text)) {
			yaml_suggest_slug(text, sl, sizeof sl);
			err(c, p.line, p.col, "kiosk_id '%s' is not a slug; use only a-z, 0-9, '-' and '_' "
			    "(e.g. '%s')", text, *sl ? sl : "front-desk");
			return;
		}
		s->set_kiosk_id = true;
		if (!(s->kiosk_id = tl_strdup(text)))
			err(c, p.line, p.col, "out of memory");
		return;
	case K_EVENT:
		if (!kiosk_event_valid(text)) {
			err(c, p.line, p.col, "event '%s' is not a usable name; write 1 to %d letters, "
			    "digits or spaces, e.g. 'Spring drop-in'", text, KIOSK_EVENT_MAX - 1);
			return;
		}
		memcpy(s->v.event, text, strlen(text) + 1);  /* kiosk_event_valid: it fits */
		return;
	case K_LANGUAGE:
		if (!yaml_is_lang_code(text)) {
			yaml_suggest_slug(text, sl, sizeof sl);
			err(c, p.line, p.col, "language '%s' is not a language code; use a lower-case code "
			    "such as '%s'", text, *sl ? sl : "en");
			return;
		}
		s->set_language = true;
		if (!(s->language = tl_strdup(text)))
			err(c, p.line, p.col, "out of memory");
		return;
	case K_OFFICE_KEY:
		s->set_office_key = true;
		if (!(s->office_key = tl_path_join(dir, text)))
			err(c, p.line, p.col, "out of memory");
		return;
	case K_PRESENTATION: {
		int pr = presentation_parse(text);
		if (pr < 0)
			err(c, p.line, p.col, "unknown presentation '%s'; use large-symbol or easy-read", text);
		else
			s->v.presentation = (enum presentation)pr;
		return;
	}
	case K_IDLE:
		read_seconds(c, key, text, p, 5, 3600, "", &s->v.timing.idle_ms);
		return;
	case K_STILL_THERE:
		read_seconds(c, key, text, p, STILL_THERE_MIN_S, 3600,
		             ", too short for people to say they need more time (WCAG 2.2.1)",
		             &s->v.timing.still_there_ms);
		return;
	case K_THANKS:
		read_seconds(c, key, text, p, 1, 600, "", &s->v.timing.thanks_ms);
		return;
	case K_DOUBLE_TAP:
		if (!parse_long(text, &n) || n > 5000)
			err(c, p.line, p.col, "double_tap_ms '%s' must be a whole number of milliseconds "
			    "from 0 to 5000 (300 suits most people)", text);
		else
			s->v.double_tap_ms = n;
		return;
	case K_DPI:
		if (!parse_real(text, &d) || d < 0 || d > 2000)
			err(c, p.line, p.col, "dpi '%s' must be a number from 0 to 2000 (0 asks the "
			    "screen)", text);
		else
			s->v.dpi = d;
		return;
	case K_MIN_TARGET:
		if (!parse_real(text, &d) || d < 5 || d > 100)
			err(c, p.line, p.col, "min_target_mm '%s' must be a number of millimetres from 5 to "
			    "100 (20 suits most people)", text);
		else
			s->v.min_target_mm = d;
		return;
	case K_ACCESS: {
		int m = access_method_parse(text);
		if (m < 0)
			err(c, p.line, p.col, "unknown access '%s'; use one of touch, scan, tap-hold, "
			    "two-switch, dwell", text);
		else
			s->v.access.method = (enum access_method)m;
		return;
	}
	case K_RENDERER: {
		static const char *const names[] = { "auto", "software", "gpu" };
		for (int i = 0; i < 3; i++)
			if (!strcmp(text, names[i])) {
				s->v.renderer = (enum config_renderer)i;
				return;
			}
		err(c, p.line, p.col, "unknown renderer '%s'; use auto, software or gpu", text);
		return;
	}
	case K_THEME: {
		int t = theme_id_parse(text);
		if (t < 0)
			err(c, p.line, p.col, "unknown theme '%s'; use default or high-contrast", text);
		else
			s->v.access.theme = (enum theme_id)t;
		return;
	}
	default:
		break;
	}
	for (size_t i = 0; i < sizeof num_keys / sizeof num_keys[0]; i++) {
		const num_key *nk = &num_keys[i];
		if (nk->key != k)
			continue;
		if (!parse_long(text, &n) || n < nk->min || n > nk->max) {
			err(c, p.line, p.col, "%s '%s' must be a whole number from %ld to %ld (%s)",
			    key, text, nk->min, nk->max, nk->hint);
			return;
		}
		char *dst = (char *)&s->v + nk->off;
		if (nk->is_int)
			*(int *)(void *)dst = (int)n;
		else
			*(int64_t *)(void *)dst = n;
		return;
	}
	for (size_t i = 0; i < sizeof bool_keys / sizeof bool_keys[0]; i++) {
		if (bool_keys[i].key != k)
			continue;
		bool *dst = (bool *)(void *)((char *)&s->v + bool_keys[i].off);
		if (!strcmp(text, "true") || !strcmp(text, "yes") || !strcmp(text, "on"))
			*dst = true;
		else if (!strcmp(text, "false") || !strcmp(text, "no") || !strcmp(text, "off"))
			*dst = false;
		else
			err(c, p.line, p.col, "%s '%s' must be true or false", key, text);
		return;
	}
}

static void
read_root(struct cctx *c, struct fy_node *root, const char *dir, struct staged *s)
{
	if (yaml_is_null(root))
		return; /* an empty file: all defaults */
	if (fy_node_get_type(root) != FYNT_MAPPING) {
		flow_pos p = yaml_node_pos(root, (flow_pos){ 1, 1 });
		err(c, p.line, p.col, "the kiosk settings must be a map of keys such as 'idle_seconds: 60' "
		    "(see config/kiosk.yaml)");
		return;
	}
	flow_pos first[K_COUNT] = { { 0, 0 } };
	void *it = NULL;
	struct fy_node_pair *pair;
	while ((pair = fy_node_mapping_iterate(root, &it))) {
		struct fy_node *k = fy_node_pair_key(pair);
		struct fy_node *v = fy_node_pair_value(pair);
		flow_pos kp = yaml_node_pos(k, yaml_node_pos(v, (flow_pos){ 1, 1 }));
		char name[128];
		if (!k || fy_node_get_type(k) != FYNT_SCALAR || fy_node_is_alias(k) ||
		    !text_of(c, k, kp, "key", name, sizeof name)) {
			if (k && fy_node_get_type(k) != FYNT_SCALAR)
				err(c, kp.line, kp.col, "keys must be plain words such as 'idle_seconds'");
			continue;
		}
		int i = 0;
		while (i < K_COUNT && strcmp(key_names[i], name) != 0)
			i++;
		if (i == K_COUNT) {
			const char *best = NULL;
			size_t nl = strlen(name);
			/* Closer than this is a likely typo; further is another word. */
			size_t best_d = nl <= 3 ? 2 : nl <= 6 ? 3 : 4;
			for (int j = 0; j < K_COUNT; j++) {
				size_t dd = yaml_edit_distance(name, key_names[j]);
				if (dd < best_d) {
					best_d = dd;
					best = key_names[j];
				}
			}
			if (best)
				err(c, kp.line, kp.col, "unknown key '%s' in the kiosk settings; did you mean '%s'?",
				    name, best);
			else
				err(c, kp.line, kp.col, "unknown key '%s' in the kiosk settings; see "
				    "config/kiosk.yaml for the keys", name);
			continue;
		}
		if (first[i].line) {
			err(c, kp.line, kp.col, "key '%s' appears twice (first at line %d); keep one",
			    name, first[i].line);
			continue;
		}
		first[i] = kp;
		read_key(c, i, v, kp, dir, s);
	}
}

int
config_load(const char *path, kiosk_config *cfg, diag_list *diags)
{
	struct cctx c = { .file = path, .diags = diags };
	char *data = NULL;
	size_t len = 0;
	tl_error e;
	if (tl_read_file(path, &data, &len, &e) != 0) {
		diag_add(diags, DIAG_ERROR, path, 0, 0, "cannot read the kiosk settings: %s; check the path",
		         e.code == TL_E_NOMEM ? e.msg : strerror(e.sys));
		return -1;
	}
	char *dir = tl_dir_of(path);
	struct staged s = { .v = *cfg };

	struct fy_parser *p = NULL;
	struct fy_document *doc = NULL;
	bool oom = !dir;
	if (dir)
		doc = yaml_parse(path, data, len, "a second YAML document starts here; remove the '---' "
		                 "line and what follows", diags, &c.errors, &oom, &p);
	if (oom)
		err(&c, 0, 0, "out of memory while reading the kiosk settings");
	if (doc && !c.errors)
		read_root(&c, fy_document_root(doc), dir, &s);
	if (doc)
		fy_parse_document_destroy(p, doc);
	fy_parser_destroy(p);
	free(dir);
	free(data);

	if (c.errors) {
		staged_finish(&s);
		return -1;
	}
	/* All good: move the staged values in, freeing what they replace. */
	char *kiosk_id = cfg->kiosk_id, *language = cfg->language;
	char *office = cfg->office_key;
	char *flows[CONFIG_MAX_FLOWS];
	int n_flows = cfg->n_flows;
	memcpy(flows, cfg->flows, sizeof flows);
	*cfg = s.v;
	cfg->kiosk_id = kiosk_id;
	cfg->language = language;
	cfg->office_key = office;
	memcpy(cfg->flows, flows, sizeof flows);
	cfg->n_flows = n_flows;
	if (s.set_kiosk_id) {
		free(cfg->kiosk_id);
		cfg->kiosk_id = s.kiosk_id;
	}
	if (s.set_language) {
		free(cfg->language);
		cfg->language = s.language;
	}
	if (s.set_office_key) {
		free(cfg->office_key);
		cfg->office_key = s.office_key;
	}
	if (s.set_flows) {
		for (int i = 0; i < cfg->n_flows; i++)
			free(cfg->flows[i]);
		memset(cfg->flows, 0, sizeof cfg->flows);
		memcpy(cfg->flows, s.flows, (size_t)s.n_flows * sizeof s.flows[0]);
		cfg->n_flows = s.n_flows;
	}
	return 0;
}
