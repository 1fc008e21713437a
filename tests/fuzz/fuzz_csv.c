/* libFuzzer harness: the input matrices of `modelconv predict`
 * (src/io/matrix.c, mc_matrix_read), mostly its CSV parser.
 *
 * Each input is written to a memfd and read by its /proc/self/fd path as
 * the CLI reads INPUT: .npy when it starts with the .npy magic (so the
 * conversion of parsed .npy arrays to float64 rows is covered too; the
 * header parser itself is fuzz_npy's), CSV otherwise.  A failure must be
 * MC_E_INPUT or MC_E_NOMEM with a message and no matrix; a matrix that
 * reads is touched whole, and, when it is not empty, written back as CSV
 * with mc_outputs_write_csv (what `predict` prints) and read again: the
 * same shape and the same numbers, bit for bit (NaN as NaN).
 *
 * Seeds: tests/data/predict's CSV and .npy inputs and a few CSVs made by
 * tests/fuzz/run.sh (header, CRLF, quotes, blanks, nan/inf, hex floats).
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "io/matrix.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                          \
    do {                                                                                  \
        if (!(c)) {                                                                       \
            fprintf(stderr, "fuzz: invariant failed at %s:%d: %s\n", __FILE__, __LINE__, \
                    #c);                                                                  \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

enum { ROUND_TRIP_MAX = 1 << 16 };

static int in_fd = -1, out_fd = -1;
static char in_path[64], out_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    in_fd = memfd_create("fuzz_csv_in", 0);
    out_fd = memfd_create("fuzz_csv_out", 0);
    if (in_fd < 0 || out_fd < 0)
        abort();
    snprintf(in_path, sizeof in_path, "/proc/self/fd/%d", in_fd);
    snprintf(out_path, sizeof out_path, "/proc/self/fd/%d", out_fd);
    return 0;
}

static void put(int fd, const void *data, size_t size)
{
    if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
        abort();
}

static mc_status read_matrix(const char *path, mc_matrix *m)
{
    mc_error err;
    m->data = (double *)(uintptr_t)1;
    mc_status st = mc_matrix_read(path, m, &err);
    CHECK(st == MC_OK || st == MC_E_INPUT || st == MC_E_NOMEM);
    if (st != MC_OK) {
        CHECK(m->data == NULL && m->rows == 0 && m->cols == 0);
        CHECK(memchr(err.message, '\0', sizeof err.message) && err.message[0]);
        return st;
    }
    uint64_t n;
    CHECK(!__builtin_mul_overflow(m->rows, m->cols, &n));
    CHECK(m->data != NULL);
    volatile double sink = 0;
    for (uint64_t i = 0; i < n; i++)
        sink += m->data[i];
    (void)sink;
    return MC_OK;
}

static int same_number(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    put(in_fd, data, size);
    mc_matrix m;
    if (read_matrix(in_path, &m) != MC_OK)
        return 0;
    int is_npy = size >= 6 && memcmp(data, "\x93NUMPY", 6) == 0;
    /* CSV has at least one row and one column */
    CHECK(is_npy || (m.rows >= 1 && m.cols >= 1));
    if (m.rows && m.cols && m.rows * m.cols <= ROUND_TRIP_MAX) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        CHECK(f != NULL);
        mc_output part = {MC_ELEM_F64, 2, {(int64_t)m.rows, (int64_t)m.cols}, m.data};
        mc_outputs o = {1, &part};
        mc_error err;
        CHECK(mc_outputs_write_csv(f, &o, &err) == MC_OK);
        CHECK(fclose(f) == 0);
        put(out_fd, buf, len);
        free(buf);
        mc_matrix back;
        if (read_matrix(out_path, &back) != MC_OK) {
            fprintf(stderr, "fuzz: a %llu x %llu matrix written as CSV does not read back\n",
                    (unsigned long long)m.rows, (unsigned long long)m.cols);
            abort();
        }
        CHECK(back.rows == m.rows && back.cols == m.cols);
        for (uint64_t i = 0; i < m.rows * m.cols; i++) {
            if (!same_number(m.data[i], back.data[i])) {
                fprintf(stderr, "fuzz: element %llu was %.17g, reads back as %.17g\n",
                        (unsigned long long)i, m.data[i], back.data[i]);
                abort();
            }
        }
        mc_matrix_free(&back);
    }
    mc_matrix_free(&m);
    return 0;
}
