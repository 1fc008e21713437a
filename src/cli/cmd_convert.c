/* modelconv convert IN OUT [--to FORMAT] [--force] [--compress none|deflate[:LEVEL]]:
 * read any supported file into the neutral model and write it out in the
 * format OUT's extension (or --to) names.  The write goes to a temporary
 * file renamed into place on success; the input is never overwritten, and an
 * existing OUT only with --force.  A progress bar shows on a terminal when
 * the work takes more than a moment. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "modelconv/formats.h"

void help_convert(void)
{
    printf("usage: modelconv convert IN OUT [--to FORMAT] [--force] "
           "[--compress none|deflate[:LEVEL]]\n\n"
           "Convert a model between formats through modelconv's neutral model.\n\n"
           "  IN          a pickle, joblib or HDF5 file (detected by content)\n"
           "  OUT         .h5/.hdf5 (HDF5 archive), .pkl/.pickle, .joblib, .onnx\n"
           "  --to F      the output format when OUT's extension does not say: hdf5, pickle,\n"
           "              joblib, onnx\n"
           "  --force     replace OUT if it exists (never the input itself)\n"
           "  --compress  HDF5 datasets: none, or deflate with LEVEL 1-9 (default deflate:4);\n"
           "              levels above 6 cost many times the time for a few %% smaller file\n"
           "              (524 MB forest: deflate:9 takes 11x deflate:4's time, 2.9%% smaller)\n\n"
           "Writing .pkl/.pickle, .joblib and .onnx is not implemented yet (exit 2).\n\n"
           "exit: 0 ok, 2 usage, 3 unreadable input, 4 output failure\n");
}

typedef struct progress {
    struct timespec start;
    int shown;
} progress;

static double elapsed(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A bar on stderr, drawn only after half a second of work. */
static void show_progress(void *ctx, uint64_t done, uint64_t total)
{
    progress *p = ctx;
    if (total == 0 || (!p->shown && elapsed(&p->start) < 0.5))
        return;
    int width = 40, filled = (int)((double)done / (double)total * width);
    if (filled > width)
        filled = width;
    fprintf(stderr, "\r[%.*s%*s] %3d%% %llu/%llu MB", filled,
            "########################################", width - filled, "",
            (int)(100.0 * (double)done / (double)total), (unsigned long long)(done >> 20),
            (unsigned long long)(total >> 20));
    fflush(stderr);
    p->shown = 1;
}

static int parse_compress(const char *s, int *level)
{
    if (strcmp(s, "none") == 0) {
        *level = 0;
        return 0;
    }
    if (strcmp(s, "deflate") == 0) {
        *level = 4;
        return 0;
    }
    if (strncmp(s, "deflate:", 8) == 0 && s[8] >= '1' && s[8] <= '9' && s[9] == '\0') {
        *level = s[8] - '0';
        return 0;
    }
    return -1;
}

int cmd_convert(int argc, char **argv)
{
    const char *in = NULL, *out = NULL, *to = NULL;
    int force = 0;
    mc_save_options opts;
    mc_save_options_init(&opts);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--force") == 0) {
            force = 1;
        } else if (strcmp(argv[i], "--to") == 0 || strcmp(argv[i], "--compress") == 0) {
            if (i + 1 >= argc)
                return cli_usage("convert", "%s needs a value", argv[i]);
            if (argv[i][2] == 't')
                to = argv[++i];
            else if (parse_compress(argv[++i], &opts.compress_level))
                return cli_usage("convert", "--compress takes none, deflate or deflate:1..9");
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage("convert", "unknown option '%s'", argv[i]);
        } else if (!in) {
            in = argv[i];
        } else if (!out) {
            out = argv[i];
        } else {
            return cli_usage("convert", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!in || !out)
        return cli_usage("convert", "IN and OUT are required");
    const char *format = to ? to : mc_format_for_path(out);
    if (!format)
        return cli_usage("convert", "cannot tell the format of '%s' from its name; use --to", out);
    struct stat si, so;
    if (stat(out, &so) == 0) {
        if (stat(in, &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino)
            return cli_usage("convert", "OUT is the input file; refusing to overwrite it");
        if (!force)
            return cli_usage("convert", "'%s' exists; use --force to replace it", out);
    }

    progress prog = {{0, 0}, 0};
    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    if (isatty(STDERR_FILENO)) {
        opts.progress = show_progress;
        opts.progress_ctx = &prog;
    }
    mc_error err;
    mc_model *m;
    mc_status st = mc_model_load(in, &m, &err);
    if (st)
        return cli_fail(&err);
    st = mc_model_save(m, out, format, &opts, &err);
    if (prog.shown)
        fputc('\n', stderr);
    mc_model_free(m);
    return st ? cli_fail(&err) : 0;
}
