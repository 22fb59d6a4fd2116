/*
 * cli: the subcommands. Each takes argc/argv after the subcommand's name
 * (argv[0] is the subcommand) and returns the process's exit code; main.c
 * keeps the sorted table of them.
 */
#ifndef TELLUS_CLI_H
#define TELLUS_CLI_H

#include <stdio.h>

/* tellus check FILE...: 0 all valid, 1 a problem found, 2 usage. */
int cli_check(int argc, char **argv);
/* tellus set-pin [--db FILE]: 0 set, 1 a problem, 2 usage. */
int cli_set_pin(int argc, char **argv);

/* tellus export [--db FILE] --to DIR [--all]: 0 written (or nothing new),
 * 1 failed, 2 usage. */
int cli_export(int argc, char **argv);
/* tellus merge --into MASTER.db EXPORT_DIR...: 0 all merged, 1 one or more
 * refused, 2 usage. */
int cli_merge(int argc, char **argv);
/* tellus report [--db FILE] --out FILE.html: 0 written, 1 failed, 2 usage. */
int cli_report(int argc, char **argv);

#endif
