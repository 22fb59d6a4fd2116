/*
 * cli_set_pin: `tellus set-pin [--db FILE]`, sets the staff PIN.
 *
 * Promises: the PIN is read twice, from the terminal without echo (or, when
 * stdin is not a terminal, as two lines of stdin, for scripts and tests);
 * only its argon2id hash is stored (pin.h); the PIN's bytes are wiped from
 * memory when done; the wrong-try back-off starts afresh. Exit 0 set, 1 a
 * problem (PINs differ, not 4-8 digits, the database failed), 2 usage.
 */
#include "cli.h"
#include "pin/pin.h"
#include "store/store.h"
#include "base/util.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

void
cli_set_pin_usage(FILE *out)
{
	fputs("Usage: tellus set-pin [--db FILE]\n"
	      "Sets the staff PIN (4 to 8 digits) that opens the kiosk's staff menu.\n"
	      "Asks for it twice without showing it. Only a hash of it is stored.\n"
	      "--db FILE  the kiosk's database (default $XDG_DATA_HOME/tellus/tellus.db)\n", out);
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
			restore = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
		}
	}
	bool ok = fgets(buf, (int)len, stdin) != NULL;
	if (restore)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
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
	const char *db = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			db = argv[++i];
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_set_pin_usage(stdout);
			return 0;
		} else {
			return tl_err(err, TL_E_USAGE, "unknown option '%s'", argv[i]);
		}
	}
	char *db_alloc = NULL;
	if (!db && !(db = db_alloc = tl_default_db_path()))
		return tl_err_nomem(err);

	int rc = -1;
	bool tty = isatty(STDIN_FILENO);
	char a[64] = "", b[64] = "";
	store *st = NULL;
	if (!read_pin("New staff PIN (4 to 8 digits): ", tty, a, sizeof a) ||
	    !read_pin("The same PIN again: ", tty, b, sizeof b)) {
		tl_err(err, TL_E_INVALID, "no PIN was given; nothing changed");
	} else if (strcmp(a, b) != 0) {
		tl_err(err, TL_E_INVALID, "the two PINs are not the same; nothing changed");
	} else if (!pin_valid(a)) {
		tl_err(err, TL_E_INVALID, "a PIN is %d to %d digits (0-9); nothing changed",
		       PIN_MIN_DIGITS, PIN_MAX_DIGITS);
	} else if (store_open(db, NULL, &st, err) != 0) {
		/* err says why */
	} else if (pin_set(st, a, err) == 0) {   /* else err says why */
		printf("The staff PIN is set for %s.\n", db);
		rc = 0;
	}
	sodium_memzero(a, sizeof a);
	sodium_memzero(b, sizeof b);
	store_close(st);
	free(db_alloc);
	return rc;
}
