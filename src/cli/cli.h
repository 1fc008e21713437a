/* The modelconv command line: one function per subcommand. */
#ifndef MC_CLI_H
#define MC_CLI_H

#include "modelconv/error.h"

typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);   /* argv[0] is the subcommand */
    void (*help)(void);
} cli_command;

int cmd_inspect(int argc, char **argv);
void help_inspect(void);
int cmd_scan(int argc, char **argv);
void help_scan(void);
int cmd_predict(int argc, char **argv);
void help_predict(void);
int cmd_validate(int argc, char **argv);
void help_validate(void);
int cmd_convert(int argc, char **argv);
void help_convert(void);

/* Print err as one line on stderr ("modelconv: FILE: byte N: ...") and
 * return its exit code. */
int cli_fail(const mc_error *err);

/* Print a usage error for `command` and return 2. */
int cli_usage(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
