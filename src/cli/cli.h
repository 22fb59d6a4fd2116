/*
 * cli: the subcommands. Each takes argc/argv after the subcommand's name
 * (argv[0] is the subcommand), prints its results, and returns 0, or -1
 * with *err filled: TL_E_USAGE for a wrong call, another code for a
 * failure. main.c keeps the sorted table of them and alone turns an error
 * into words on stderr ("tellus CMD: message"; an empty message was said
 * already) and an exit code (0 ok, 1 a problem, 2 wrong usage). Each
 * command's usage function prints its help.
 */
#ifndef TELLUS_CLI_H
#define TELLUS_CLI_H

#include <stdio.h>
#include "base/diag.h"
#include "base/error.h"

/* tellus check FILE...: each file's problems on stderr, "FILE: ok" on
 * stdout; fails (TL_E_INVALID, said already) when any file has an error. */
int cli_check(int argc, char **argv, tl_error *err);
void cli_check_usage(FILE *out);
/* Each problem in d on stderr, one a line, as FILE:LINE:COL: error|warning:
 * message; also what the kiosk says of its flows and settings (main.c). */
void cli_check_print_diags(const diag_list *d);
/* tellus set-pin [--db FILE] */
int cli_set_pin(int argc, char **argv, tl_error *err);
void cli_set_pin_usage(FILE *out);
/* tellus export [--db FILE] --to DIR [--all] */
int cli_export(int argc, char **argv, tl_error *err);
void cli_export_usage(FILE *out);
/* tellus merge --into MASTER.db EXPORT_DIR...: fails (TL_E_REFUSED, said
 * already) when one or more exports were refused. */
int cli_merge(int argc, char **argv, tl_error *err);
void cli_merge_usage(FILE *out);
/* tellus keys new --out DIR | tellus keys show [--db FILE] */
int cli_keys(int argc, char **argv, tl_error *err);
void cli_keys_usage(FILE *out);
/* tellus open [--key office.key] EXPORT_DIR --to DIR */
int cli_open(int argc, char **argv, tl_error *err);
void cli_open_usage(FILE *out);
/* tellus report [--db FILE] --out FILE.html [--title TEXT] */
int cli_report(int argc, char **argv, tl_error *err);
void cli_report_usage(FILE *out);

#endif
