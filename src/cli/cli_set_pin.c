/*
 * cli_set_pin: `tellus set-pin [--db FILE] [--config FILE]`, sets the staff
 * PIN. This, at the kiosk's console, is the one way to make a PIN once the
 * database is no longer new (pin.h).
 *
 * Promises: the PIN is read twice, from the terminal without echo (or, when
 * stdin is not a terminal, as two lines of stdin, for scripts and tests);
 * only its argon2id hash is stored (pin.h); the PIN's bytes are wiped from
 * memory when done; the wrong-try back-off starts afresh. Ctrl+C (or any
 * signal that ends the program) while the PIN is asked gives the terminal
 * its echo back before the program ends. Exit 0 set, 1 a problem (PINs
 * differ, too short, the database failed), 2 usage.
 */
#include "cli.h"
#include "config/config.h"
#include "pin/pin.h"
#include "store/store.h"
#include "base/util.h"

#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

void
cli_set_pin_usage(FILE *out)
{
	fputs("Usage: tellus set-pin [--db FILE] [--config FILE]\n"
	      "Sets the staff PIN (at least 6 digits, or the settings' pin_min_digits;\n"
	      "at most 12) that opens the kiosk's staff menu. Asks for it twice without\n"
	      "showing it. Only a hash of it is stored.\n"
	      "--db FILE      the kiosk's database (default $XDG_DATA_HOME/tellus/tellus.db)\n"
	      "--config FILE  the kiosk's settings, for pin_min_digits\n", out);
}

/* The terminal as it was before echo went off, for the signal handler:
 * Ctrl+C must not leave a shell that shows nothing typed. */
static struct termios saved_tty;
static volatile sig_atomic_t tty_quiet;

static void
on_signal(int sig)
{
	if (tty_quiet)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
	/* Then die of the same signal, as the shell expects. */
	signal(sig, SIG_DFL);
	raise(sig);
}

/* One line from stdin into buf, without its newline; echo off on a
 * terminal. false at end of input or when the line is too long. */
static bool
read_pin(const char *prompt, bool tty, char *buf, size_t len)
{
	struct termios old, quiet;
	bool restore = false;
	if (tty) {
		fputs(prompt, stderr);
		fflush(stderr);
		if (tcgetattr(STDIN_FILENO, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= (tcflag_t)~ECHO;
			quiet.c_lflag |= ECHONL;
			saved_tty = old;
			tty_quiet = 1;
			restore = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
			if (!restore)
				tty_quiet = 0;
		}
	}
	bool ok = fgets(buf, (int)len, stdin) != NULL;
	if (restore) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		tty_quiet = 0;
	}
	if (!ok)
		return false;
	size_t n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && n + 1 >= len)
		return false;   /* no newline in a full buffer: far too long */
	buf[n] = '\0';
	return true;
}

int
cli_set_pin(int argc, char **argv, tl_error *err)
{
	const char *db = NULL, *config_path = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			db = argv[++i];
		} else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			config_path = argv[++i];
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_set_pin_usage(stdout);
			return 0;
		} else {
			return tl_err(err, TL_E_USAGE, "unknown option '%s'", argv[i]);
		}
	}
	int min_digits = PIN_MIN_DIGITS;
	if (config_path) {
		kiosk_config cfg;
		config_default(&cfg);
		diag_list d = { 0 };
		int cr = config_load(config_path, &cfg, &d);
		cli_check_print_diags(&d);
		diag_list_finish(&d);
		min_digits = cfg.pin_min_digits;
		config_finish(&cfg);
		if (cr != 0)
			return tl_err(err, TL_E_INVALID, "the settings in %s need mending (see above)",
			              config_path);
	}
	char *db_alloc = NULL;
	if (!db && !(db = db_alloc = tl_default_db_path()))
		return tl_err_nomem(err);

	int rc = -1;
	bool tty = isatty(STDIN_FILENO);
	char a[64] = "", b[64] = "", prompt[80];
	store *st = NULL;
	snprintf(prompt, sizeof prompt, "New staff PIN (%d to %d digits): ", min_digits,
	         PIN_MAX_DIGITS);
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term, old_hup, old_quit;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	sigaction(SIGQUIT, &sa, &old_quit);
	bool got = read_pin(prompt, tty, a, sizeof a) &&
	           read_pin("The same PIN again: ", tty, b, sizeof b);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (!got) {
		tl_err(err, TL_E_INVALID, "no PIN was given; nothing changed");
	} else if (strcmp(a, b) != 0) {
		tl_err(err, TL_E_INVALID, "the two PINs are not the same; nothing changed");
	} else if (!pin_valid(a, min_digits)) {
		tl_err(err, TL_E_INVALID, "a PIN is %d to %d digits (0-9); nothing changed",
		       min_digits, PIN_MAX_DIGITS);
	} else if (store_open(db, NULL, &st, err) != 0) {
		/* err says why */
	} else if (pin_set(st, a, min_digits, err) == 0) {   /* else err says why */
		printf("The staff PIN is set for %s.\n", db);
		rc = 0;
	}
	sodium_memzero(a, sizeof a);
	sodium_memzero(b, sizeof b);
	store_close(st);
	free(db_alloc);
	return rc;
}
