/*
 * main: picks the kiosk or a subcommand, and is the only place that turns
 * a tl_error into words and an exit code: 0 ok, 1 a problem (a broken
 * flow, config or database, a failed export, a refused merge), 2 wrong
 * usage (exit_code below).
 */
#include "app.h"
#include "cli.h"
#include "keys/kiosk_key.h"
#include "config/config.h"
#include "cards/cards.h"
#include "intake/intake.h"
#include "flow/flow_helper.h"
#include "flow/flow.h"
#include "base/util.h"
#include "tellus_build.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv, tl_error *err);
	void (*usage)(FILE *out);
	const char *summary;
} subcommand;

/* Sorted by name. */
static const subcommand subcommands[] = {
	{ "check", cli_check, cli_check_usage, "check flow files and say what to mend" },
	{ "export", cli_export, cli_export_usage, "write a verified export to a folder or USB stick" },
	{ "keys", cli_keys, cli_keys_usage, "make the office's key pair for sealed exports; show this kiosk's key" },
	{ "merge", cli_merge, cli_merge_usage, "merge kiosks' exports into one database" },
	{ "open", cli_open, cli_open_usage, "write the plain files of a sealed export (needs office.key)" },
	{ "report", cli_report, cli_report_usage, "write the easy-read report (HTML) for a database" },
	{ "set-pin", cli_set_pin, cli_set_pin_usage, "set the staff PIN (asked twice, stored only as a hash)" },
};

/* The exit code for a failure. */
static int
exit_code(const tl_error *e)
{
	return e->code == TL_E_USAGE ? 2 : 1;
}

/* "WHO: message" on stderr; nothing when the words were said already. */
static void
say(const char *who, const tl_error *e)
{
	if (e->msg[0])
		fprintf(stderr, "%s: %s\n", who, e->msg);
}

static int
run_subcommand(const subcommand *c, int argc, char **argv)
{
	tl_error e;
	tl_err_clear(&e);
	if (c->run(argc, argv, &e) == 0)
		return 0;
	char who[64];
	snprintf(who, sizeof who, "tellus %s", c->name);
	say(who, &e);
	if (e.code == TL_E_USAGE)
		c->usage(stderr);
	return exit_code(&e);
}

static void
usage(FILE *out)
{
	fprintf(out,
	        "Usage: tellus [--db FILE] [--config FILE] [--flow FILE]... [--windowed] [--size WxH]\n"
	        "       tellus COMMAND [ARGS]\n"
	        "\n"
	        "Tellus is a touch-first kiosk that asks children and young people with SEND,\n"
	        "and their families, what they think, and keeps every answer on disk at once.\n"
	        "\n"
	        "Kiosk options:\n"
	        "  --db FILE         the database (default $XDG_DATA_HOME/tellus/tellus.db)\n"
	        "  --config FILE     kiosk settings (YAML; see config/kiosk.yaml)\n"
	        "  --flow FILE       a flow to run (default: the bundled demo flows)\n"
	        "  --windowed        a window instead of fullscreen kiosk mode; quits normally\n"
	        "  --size WxH        the window's size with --windowed (default 1280x800)\n"
	        "  --exit-after-first-frame  show the first welcome frame and exit (benchmarks)\n"
	        "  --help, --version\n"
	        "\n"
	        "Commands:\n");
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		fprintf(out, "  %-10s %s\n", subcommands[i].name, subcommands[i].summary);
}

/* Loads and checks one flow; a broken one is reported and skipped, so a
 * kiosk with a good flow keeps running. */
static flow *
load_flow(const char *path, const char *data_dir)
{
	diag_list d = { 0 };
	flow *f = NULL;
	if (flow_load(path, &f, &d) == 0 && flow_check(f, data_dir, &d) > 0) {
		flow_destroy(f);
		f = NULL;
	}
	if (!f)
		cli_check_print_diags(&d);
	diag_list_finish(&d);
	return f;
}

/* The symbols, fonts and demo flows are installed with the program; a
 * build tree names its source tree through TELLUS_DATA_DIR instead. Says
 * so in words when they are not there, rather than failing on the first
 * font. */
static bool
have_data(const char *data_dir)
{
	char *fonts = tl_asprintf("%s/fonts", data_dir);
	DIR *d = fonts ? opendir(fonts) : NULL;
	free(fonts);
	if (d) {
		closedir(d);
		return true;
	}
	fprintf(stderr,
	        "tellus: the symbols and fonts are not in %s; install Tellus (meson install),\n"
	        "or run a build tree with TELLUS_DATA_DIR=/path/to/the/source (scripts/kiosk does)\n",
	        data_dir);
	return false;
}

static const char *demo_flows[] = { "school-day.yaml", "clinic-visit.yaml", "co-production.yaml" };

struct key_job {
	const char *db;
};

/* The kiosk's signing key, made on its first start (its database is there
 * by then); without one its exports would say why. Run once the first frame
 * is on screen: the welcome screen does not need it, and making one ends in
 * an fsync. */
static void
kiosk_key(void *ctx)
{
	const struct key_job *kj = ctx;
	minisign_key key;
	bool made_key = false;
	tl_error e;
	if (kiosk_key_load(kj->db, true, &key, &made_key, &e) != 0) {
		say("tellus", &e);
		return;
	}
	char id[MINISIGN_ID_TEXT];
	minisign_key_id(&key.pub, id);
	minisign_key_wipe(&key);
	if (made_key)
		fprintf(stderr, "tellus: this kiosk's signing key %s was made, beside %s\n", id, kj->db);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && argv[1][0] != '-') {
		for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
			if (strcmp(argv[1], subcommands[i].name) == 0)
				return run_subcommand(&subcommands[i], argc - 1, argv + 1);
		fprintf(stderr, "tellus: unknown command '%s'\n\n", argv[1]);
		usage(stderr);
		return 2;
	}

	const char *db = NULL, *config_path = NULL;
	const char *flow_paths[CONFIG_MAX_FLOWS];
	int n_flow_paths = 0;
	bool windowed = false, first_frame = false;
	int width = 0, height = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_next = i + 1 < argc;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			printf("tellus %s\n", TELLUS_VERSION);
			return 0;
		} else if (strcmp(a, "--db") == 0 && has_next) {
			db = argv[++i];
		} else if (strcmp(a, "--config") == 0 && has_next) {
			config_path = argv[++i];
		} else if (strcmp(a, "--flow") == 0 && has_next) {
			if (n_flow_paths == CONFIG_MAX_FLOWS) {
				fprintf(stderr, "tellus: at most %d flows\n", CONFIG_MAX_FLOWS);
				return 2;
			}
			flow_paths[n_flow_paths++] = argv[++i];
		} else if (strcmp(a, "--windowed") == 0) {
			windowed = true;
		} else if (strcmp(a, "--size") == 0 && has_next) {
			if (sscanf(argv[++i], "%dx%d", &width, &height) != 2 || width < 320 || height < 240) {
				fprintf(stderr, "tellus: --size wants WIDTHxHEIGHT, for example 1280x800\n");
				return 2;
			}
		} else if (strcmp(a, "--exit-after-first-frame") == 0) {
			first_frame = true;
		} else {
			fprintf(stderr, "tellus: unknown option '%s'\n\n", a);
			usage(stderr);
			return 2;
		}
	}

	/* From here on a Ctrl+C or SIGTERM waits for the kiosk's signal
	 * thread: it ends the kiosk cleanly, however early it came. */
	if (!first_frame)
		app_signals_block();
	int rc = 1;
	const char *data_dir = tl_data_dir();
	if (!have_data(data_dir))
		return 1;
	kiosk_config cfg;
	config_default(&cfg);
	char *db_alloc = NULL;
	flow *flows[CONFIG_MAX_FLOWS] = { 0 };
	int n_flows = 0;
	app *a = NULL;
	card_set *cards = NULL;

	if (config_path) {
		diag_list d = { 0 };
		int cr = config_load(config_path, &cfg, &d);
		cli_check_print_diags(&d);
		diag_list_finish(&d);
		if (cr != 0) {
			fprintf(stderr, "tellus: the settings in %s need mending (see above)\n", config_path);
			goto out;
		}
	}

	if (!db && !(db = db_alloc = tl_default_db_path())) {
		fprintf(stderr, "tellus: out of memory\n");
		goto out;
	}
	/* Flows: --flow, else the config's, else the bundled demo flows. */
	char *paths[CONFIG_MAX_FLOWS];
	int n_paths = 0;
	if (n_flow_paths) {
		for (int i = 0; i < n_flow_paths; i++)
			paths[n_paths++] = tl_strdup(flow_paths[i]);
	} else if (cfg.n_flows) {
		for (int i = 0; i < cfg.n_flows; i++)
			paths[n_paths++] = tl_strdup(cfg.flows[i]);
	} else {
		for (size_t i = 0; i < sizeof demo_flows / sizeof demo_flows[0]; i++)
			paths[n_paths++] = tl_asprintf("%s/config/flows/%s", data_dir, demo_flows[i]);
	}
	/* Then, unless --flow named them all, the flows staff took in from a
	 * stick ("Load from the stick"), kept beside the database. */
	if (!n_flow_paths) {
		char *taken_dir = intake_dir(db, INTAKE_FLOW);
		char **taken = NULL;
		size_t n_taken = 0;
		if (taken_dir && intake_list(taken_dir, &taken, &n_taken, NULL) != 0)
			n_taken = 0;
		for (size_t i = 0; i < n_taken; i++) {
			if (n_paths < CONFIG_MAX_FLOWS)
				paths[n_paths++] = taken[i];
			else
				free(taken[i]);
		}
		free(taken);
		free(taken_dir);
	}
	for (int i = 0; i < n_paths; i++) {
		flow *f = paths[i] ? load_flow(paths[i], data_dir) : NULL;
		/* After the check: the helper question is the kiosk's, not the
		 * file's, and its symbols are bundled. */
		tl_error e;
		if (f && cfg.helper_question && flow_add_helper_question(f, &e) < 0) {
			say("tellus", &e);
			flow_destroy(f);
			f = NULL;
		}
		if (f)
			flows[n_flows++] = f;
		else
			fprintf(stderr, "tellus: skipping the flow %s (see above)\n", paths[i] ? paths[i] : "?");
		free(paths[i]);
	}
	/* One flow per id: a taken flow of a higher version stands in for the
	 * settings' one, in its place. */
	for (int i = 0; i < n_flows; i++)
		for (int j = i + 1; j < n_flows; j++) {
			if (strcmp(flows[i]->id, flows[j]->id) != 0)
				continue;
			if (flows[j]->version > flows[i]->version) {
				flow *t = flows[i];
				flows[i] = flows[j];
				flows[j] = t;
			}
			flow_destroy(flows[j]);
			memmove(&flows[j], &flows[j + 1], (size_t)(n_flows - j - 1) * sizeof flows[0]);
			flows[--n_flows] = NULL;
			j--;
		}
	if (n_flows == 0) {
		fprintf(stderr, "tellus: no flow to run; mend the problems above (tellus check FILE says more)\n");
		goto out;
	}

	/* "You said, we did": the settings' card file, then those taken in
	 * from a stick; a broken one is said and left out. */
	if (!(cards = cards_create())) {
		fprintf(stderr, "tellus: out of memory\n");
		goto out;
	}
	diag_list cd = { 0 };
	intake_load_cards(cards, cfg.you_said_we_did, db, data_dir, &cd);
	cli_check_print_diags(&cd);
	diag_list_finish(&cd);
	app_options opt = {
		.cards = cards,
		.db_path = db,
		.config = &cfg,
		.flow = flows[0],
		.flows = (const flow *const *)flows,
		.n_flows = n_flows,
		.offer_setup = true,
		.data_dir = data_dir,
		.windowed = windowed || !cfg.fullscreen,
		.width = width,
		.height = height,
		.handle_signals = !first_frame,
	};
	struct key_job kj = { db };
	opt.started = kiosk_key;
	opt.started_ctx = &kj;
	tl_error e;
	tl_err_clear(&e);
	if (app_create(&opt, &a, &e) != 0) {
		say("tellus", &e);
		goto out;
	}
	if (first_frame) {
		app_draw(a);
		rc = 0;
	} else {
		rc = app_run(a);
	}
out:
	app_destroy(a);
	cards_destroy(cards);
	for (int i = 0; i < n_flows; i++)
		flow_destroy(flows[i]);
	free(db_alloc);
	config_finish(&cfg);
	return rc;
}
