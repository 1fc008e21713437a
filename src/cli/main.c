/* modelconv: git-style subcommands.  Exit codes: 0 ok, 1 a check found a
 * problem, 2 usage, 3 unreadable/hostile/unsupported input, 4 output or I/O. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const cli_command commands[] = {
    {"inspect", "show what a model file holds: classes, parameters, arrays, provenance",
     cmd_inspect, help_inspect},
    {"scan", "list every global a pickle names, with a safety verdict", cmd_scan, help_scan},
    {"predict", "run a model's predict / predict_proba / transform ... in C", cmd_predict,
     help_predict},
    {"validate", "prove a conversion faithful: structure and predictions", cmd_validate,
     help_validate},
    {"convert", "convert a model between pickle, joblib, HDF5 and ONNX", cmd_convert,
     help_convert},
};

int cli_fail(const mc_error *err)
{
    char line[2048];
    mc_error_format(err, line, sizeof line);
    fprintf(stderr, "modelconv: %s\n", line);
    return mc_status_exit_code(err->status);
}

int cli_usage(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "modelconv %s: ", command);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'modelconv %s --help')\n", command);
    return 2;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: modelconv <command> [options]\n\n"
                 "Read, check and convert scikit-learn models without Python.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'modelconv <command> --help' describes a command.\n"
                 "exit codes: 0 ok, 1 a check found a problem, 2 usage, 3 input unreadable,\n"
                 "corrupt, hostile or unsupported, 4 output or I/O failure.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("modelconv %s\n", MC_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        for (int k = 2; k < argc; k++) {
            if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
                commands[i].help();
                return 0;
            }
        }
        return commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "modelconv: unknown command '%s' (see 'modelconv --help')\n", argv[1]);
    return 2;
}
