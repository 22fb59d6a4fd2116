/*
 * config: the kiosk's settings, from an optional YAML file people edit
 * (config/kiosk.yaml documents every key). Missing keys keep their defaults;
 * unknown keys and bad values are reported as FILE:LINE:COL problems.
 */
#ifndef TELLUS_CONFIG_H
#define TELLUS_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include "base/diag.h"
#include "flow/flow.h"
#include "session/session.h"
#include "config/access.h"
#include "kiosk/kiosk_setup.h"

#define CONFIG_MAX_FLOWS 16
#define CONFIG_MAX_VOICES 16

/* The voice for one language: an espeak-ng voice name and a rate in words
 * a minute (0: the kiosk's speech_rate). */
typedef struct config_voice {
	char lang[16];
	char voice[32];
	int rate;
} config_voice;

/* How the screen is drawn: auto picks SDL's software renderer when the
 * only OpenGL is a software rasteriser (llvmpipe, softpipe, swrast) and the
 * GPU renderer on real hardware. */
enum config_renderer { RENDERER_AUTO, RENDERER_SOFTWARE, RENDERER_GPU };

typedef struct kiosk_config {
	char *kiosk_id;              /* NULL: the database makes and keeps one */
	char *flows[CONFIG_MAX_FLOWS]; /* flow files to offer (first is the default);
	                                  none: the bundled demo flows */
	int n_flows;
	char event[KIOSK_EVENT_MAX]; /* the event to run ("": none); kiosk_setup.h says when it applies */
	enum presentation presentation; /* default when the flow does not say */
	session_timing timing;
	int64_t double_tap_ms;       /* a second tap within this is not a second answer (300) */
	double dpi;                  /* 0: ask SDL; used when SDL does not know */
	double min_target_mm;        /* 20 */
	bool fullscreen;             /* true: kiosk mode */
	char *language;              /* default language, NULL: the flow's first */
	access_settings access;      /* how people answer, unless they choose otherwise */
	bool ask_access;             /* ask "How do you like to answer?" after Start (false) */
	bool helper_question;        /* end with "How did you answer today?" (false) */
	config_voice voices[CONFIG_MAX_VOICES]; /* none: each language's own espeak voice */
	int n_voices;
	int pin_min_digits;          /* a new staff PIN has at least this many (6; 6 to 12) */
	int keep_days_after_export;  /* exported sessions kept this long, then deleted (30) */
	char *office_key;            /* office.pub: exports sealed to it; NULL: plain exports */
	char stick_folder[1024];     /* a folder taken as a USB stick (tests, demonstrations); "": none */
	enum config_renderer renderer; /* auto */
	char you_said_we_did[1024];  /* "You said, we did" card file (docs/you-said-we-did.md); "": none */
	int room_min_count;          /* "Show the room": fewer answers than this show as "a few" (3) */
} kiosk_config;

void config_default(kiosk_config *c);
/* Reads path over the defaults. 0 ok, -1 with errors in diags. */
int config_load(const char *path, kiosk_config *c, diag_list *diags);
void config_finish(kiosk_config *c);

#endif
