/* The C side of bench/predict: time modelconv's C API on one model.
 *
 *   predict_bench MODEL ROWS.npy METHOD RUNS
 *
 * ROWS.npy: float64, C order, (n, n_features).  Prints one JSON object:
 * load (mc_model_load), prepare (mc_predictor_new), batch (mc_predict on
 * all rows) and single (mc_predict on row 0), each the best of RUNS timed
 * runs after one warm-up, plus every raw time.  Nothing here is part of the
 * library or its tests. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "modelconv/model.h"
#include "modelconv/predict.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A float64 C-order 2-d .npy (version 1 or 2 header), as written by numpy. */
static double *read_rows(const char *path, long *rows, long *cols)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char pre[12];
    double *x = NULL;
    if (fread(pre, 1, 10, f) == 10 && memcmp(pre, "\x93NUMPY", 6) == 0) {
        size_t hlen = pre[6] == 1 ? (size_t)(pre[8] | pre[9] << 8) : 0;
        if (pre[6] >= 2 && fread(pre + 10, 1, 2, f) == 2)
            hlen = (size_t)pre[8] | (size_t)pre[9] << 8 | (size_t)pre[10] << 16 |
                   (size_t)pre[11] << 24;
        char *h = calloc(hlen + 1, 1);
        if (h && fread(h, 1, hlen, f) == hlen && strstr(h, "'<f8'") &&
            strstr(h, "'fortran_order': False") &&
            sscanf(strstr(h, "'shape': (") + 10, "%ld, %ld", rows, cols) == 2) {
            size_t n = (size_t)*rows * (size_t)*cols;
            x = malloc(n * sizeof *x);
            if (x && fread(x, sizeof *x, n, f) != n) {
                free(x);
                x = NULL;
            }
        }
        free(h);
    }
    fclose(f);
    return x;
}

static int fail(const char *what, const mc_error *err)
{
    fprintf(stderr, "predict_bench: %s: %s %s\n", what, err->where, err->message);
    return 1;
}

/* Best of `runs` timings of mc_predict on n rows (one warm-up first). */
static int time_predict(const mc_predictor *p, mc_method m, const double *x, long n, long cols,
                        int runs, double *best, double *all)
{
    mc_outputs out;
    mc_error err;
    *best = 1e30;
    for (int r = -1; r < runs; r++) {
        double t0 = now();
        if (mc_predict(p, m, x, (uint64_t)n, (uint64_t)cols, &out, &err))
            return fail("predict", &err);
        double t = now() - t0;
        mc_outputs_free(&out);
        if (r < 0)
            continue;
        all[r] = t;
        *best = t < *best ? t : *best;
    }
    return 0;
}

static void print_list(const char *name, const double *v, int n)
{
    printf("\"%s\": [", name);
    for (int i = 0; i < n; i++)
        printf("%s%.9f", i ? ", " : "", v[i]);
    printf("]");
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: predict_bench MODEL ROWS.npy METHOD RUNS\n");
        return 2;
    }
    long rows, cols;
    double *x = read_rows(argv[2], &rows, &cols);
    mc_method method;
    int runs = atoi(argv[4]);
    if (!x || mc_method_from_name(argv[3], &method) || runs < 1 || runs > 1000) {
        fprintf(stderr, "predict_bench: bad rows file, method or run count\n");
        return 2;
    }
    mc_error err;
    mc_model *m;
    mc_predictor *p;
    double t0 = now();
    if (mc_model_load(argv[1], &m, &err))
        return fail("load", &err);
    double t1 = now();
    if (mc_predictor_new(m, &p, &err))
        return fail("prepare", &err);
    double t2 = now();
    double *batch = calloc((size_t)runs, sizeof *batch), *single = calloc((size_t)runs, sizeof *single);
    double best_batch, best_single;
    if (!batch || !single || time_predict(p, method, x, rows, cols, runs, &best_batch, batch) ||
        time_predict(p, method, x, 1, cols, runs, &best_single, single))
        return 1;
    printf("{\"rows\": %ld, \"load\": %.9f, \"prepare\": %.9f, \"batch\": %.9f, \"single\": %.9f, ",
           rows, t1 - t0, t2 - t1, best_batch, best_single);
    print_list("batch_runs", batch, runs);
    printf(", ");
    print_list("single_runs", single, runs);
    printf("}\n");
    mc_predictor_free(p);
    mc_model_free(m);
    free(batch);
    free(single);
    free(x);
    return 0;
}
