/* bench/inflate.c: raw inflate speed of one zlib (RFC 1950) stream, zlib vs
 * libdeflate.  A joblib file written with compress=3 (or compress=('zlib', N))
 * is exactly one such stream over the whole pickle, so this measures the
 * floor under any reader of that file.
 *
 *   inflate FILE [RUNS]      (RUNS default 5; best of RUNS is reported)
 *
 * Methods are measured round-robin (one run of each method per round, RUNS
 * rounds after a warm-up round) so a burst of load from other processes
 * hits all of them alike.  Prints one tab-separated line per method:
 *   method  out_bytes  in_bytes  best_s  median_s  MB/s-of-output(best)  best_cpu_s
 * (wall clock; cpu = this process's user+sys), MB = 10^6 bytes.  Methods:
 *   zlib-stream-256k    inflate() into a reused 256 KiB buffer (streaming
 *                       reader that hands each chunk on; output stays in cache)
 *   zlib-full           inflate() in one call into a reused whole-size buffer
 *   zlib-full-fresh     same into a fresh anonymous mapping each run (page
 *                       faults included, as a reader that decompresses the
 *                       whole file pays: this is how mc_buffer_reserve does it)
 *   libdeflate          libdeflate_zlib_decompress() into a reused buffer
 *   libdeflate-fresh    same into a fresh anonymous mapping each run (4 KiB pages)
 *   libdeflate-fresh-thp  same, the mapping madvise(MADV_HUGEPAGE)'d first
 *                       (transparent huge pages; THP mode "madvise" on Debian)
 *   libdeflate-fresh-prefault  same 4 KiB mapping, while a second thread
 *                       faults it in ahead of libdeflate with
 *                       madvise(MADV_POPULATE_WRITE) in 16 MiB steps (Linux
 *                       5.14+; the helper stops at the known output size)
 *   touch-4k            only the page faults: memset of a fresh mapping of the
 *                       output's size (4 KiB pages), no inflate
 *   touch-thp           the same with MADV_HUGEPAGE
 * For touch-* the MB/s column is MB faulted in per second.
 * Each method's output is checked against the first one (size and bytes);
 * the Adler-32 check of the stream is done by both libraries.
 *
 * Build: cc -O2 -pthread -o inflate bench/inflate.c -lz -ldeflate */
#define _GNU_SOURCE
#include <libdeflate.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <zlib.h>

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

static double cpu_now(void)
{
    return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

static void die(const char *msg)
{
    fprintf(stderr, "inflate: %s\n", msg);
    exit(1);
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open input");
    if (fseek(f, 0, SEEK_END) != 0)
        die("cannot seek input");
    long len = ftell(f);
    if (len < 0)
        die("cannot size input");
    rewind(f);
    unsigned char *buf = malloc((size_t)len ? (size_t)len : 1);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
        die("cannot read input");
    fclose(f);
    *n = (size_t)len;
    return buf;
}

/* zlib streaming into a small buffer; returns total output bytes. */
static size_t zlib_stream(const unsigned char *in, size_t n_in, unsigned char *chunk, size_t cap)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK)
        die("inflateInit failed");
    size_t total = 0, pos = 0;
    int ret;
    do {
        if (zs.avail_in == 0 && pos < n_in) {
            size_t take = n_in - pos > (1u << 30) ? (1u << 30) : n_in - pos;
            zs.next_in = (unsigned char *)(uintptr_t)(in + pos);
            zs.avail_in = (uInt)take;
            pos += take;
        }
        zs.next_out = chunk;
        zs.avail_out = (uInt)cap;
        ret = inflate(&zs, Z_NO_FLUSH);
        if (ret != Z_OK && ret != Z_STREAM_END)
            die(zs.msg ? zs.msg : "zlib inflate failed");
        total += cap - zs.avail_out;
    } while (ret != Z_STREAM_END);
    inflateEnd(&zs);
    return total;
}

/* zlib into one whole-size buffer. */
static void zlib_full(const unsigned char *in, size_t n_in, unsigned char *out, size_t n_out)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK)
        die("inflateInit failed");
    size_t pos_in = 0, pos_out = 0;
    int ret;
    do {
        /* uInt is 32 bits: feed at most 1 GiB at a time either way */
        if (zs.avail_in == 0 && pos_in < n_in) {
            size_t take = n_in - pos_in > (1u << 30) ? (1u << 30) : n_in - pos_in;
            zs.next_in = (unsigned char *)(uintptr_t)(in + pos_in);
            zs.avail_in = (uInt)take;
            pos_in += take;
        }
        if (zs.avail_out == 0) {
            size_t give = n_out - pos_out > (1u << 30) ? (1u << 30) : n_out - pos_out;
            if (give == 0)
                die("zlib output larger than expected");
            zs.next_out = out + pos_out;
            zs.avail_out = (uInt)give;
            pos_out += give;
        }
        ret = inflate(&zs, Z_NO_FLUSH);
        if (ret != Z_OK && ret != Z_STREAM_END)
            die(zs.msg ? zs.msg : "zlib inflate failed");
    } while (ret != Z_STREAM_END);
    if (zs.total_out != n_out)
        die("zlib output size differs");
    inflateEnd(&zs);
}

static void ld_full(struct libdeflate_decompressor *d, const unsigned char *in, size_t n_in,
                    unsigned char *out, size_t n_out)
{
    size_t got = 0;
    enum libdeflate_result r = libdeflate_zlib_decompress(d, in, n_in, out, n_out, &got);
    if (r != LIBDEFLATE_SUCCESS)
        die("libdeflate_zlib_decompress failed");
    if (got != n_out)
        die("libdeflate output size differs");
}

/* A fresh anonymous mapping, as src/core/mapfile.c's mc_buffer_reserve makes. */
static unsigned char *fresh_map(size_t n, int huge)
{
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (p == MAP_FAILED)
        die("mmap failed");
    if (huge)
        (void)madvise(p, n, MADV_HUGEPAGE); /* advisory: fine if THP is off */
    return p;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum { CHUNK = 256 * 1024, MAX_RUNS = 100 };

/* Everything a method needs. */
typedef struct bench {
    const unsigned char *in;
    size_t n_in, n_out;
    unsigned char *chunk, *out, *ref;
    struct libdeflate_decompressor *ld;
} bench;

static void check_same(const bench *b, const unsigned char *got, const char *what)
{
    if (memcmp(got, b->ref, b->n_out) != 0) {
        fprintf(stderr, "inflate: %s output differs from zlib's\n", what);
        exit(1);
    }
}

static void m_zlib_stream(bench *b)
{
    if (zlib_stream(b->in, b->n_in, b->chunk, CHUNK) != b->n_out)
        die("zlib output size changed");
}

static void m_zlib_full(bench *b)
{
    zlib_full(b->in, b->n_in, b->out, b->n_out);
}

static void m_zlib_fresh(bench *b)
{
    unsigned char *p = fresh_map(b->n_out, 0);
    zlib_full(b->in, b->n_in, p, b->n_out);
    munmap(p, b->n_out);
}

static void m_ld(bench *b)
{
    ld_full(b->ld, b->in, b->n_in, b->out, b->n_out);
}

static void ld_fresh(bench *b, int huge)
{
    unsigned char *p = fresh_map(b->n_out, huge);
    ld_full(b->ld, b->in, b->n_in, p, b->n_out);
    munmap(p, b->n_out);
}

static void m_ld_fresh(bench *b)
{
    ld_fresh(b, 0);
}

static void m_ld_fresh_thp(bench *b)
{
    ld_fresh(b, 1);
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
enum { PREFAULT_STEP = 16 << 20 };

typedef struct prefault {
    unsigned char *p;
    size_t n;
    atomic_int stop;
} prefault;

static void *prefault_main(void *arg)
{
    prefault *pf = arg;
    for (size_t off = 0; off < pf->n && !atomic_load(&pf->stop); off += PREFAULT_STEP) {
        size_t len = pf->n - off < PREFAULT_STEP ? pf->n - off : PREFAULT_STEP;
        if (madvise(pf->p + off, len, MADV_POPULATE_WRITE) != 0)
            break; /* old kernel: the decoder faults the rest itself */
    }
    return NULL;
}

static void m_ld_fresh_prefault(bench *b)
{
    size_t n = (b->n_out + 4095) & ~(size_t)4095;
    prefault pf = {fresh_map(n, 0), n, 0};
    pthread_t th;
    if (pthread_create(&th, NULL, prefault_main, &pf) != 0)
        die("pthread_create failed");
    ld_full(b->ld, b->in, b->n_in, pf.p, b->n_out);
    atomic_store(&pf.stop, 1);
    pthread_join(th, NULL);
    munmap(pf.p, n);
}

static void touch(bench *b, int huge)
{
    unsigned char *p = fresh_map(b->n_out, huge);
    memset(p, 1, b->n_out);
    munmap(p, b->n_out);
}

static void m_touch_4k(bench *b)
{
    touch(b, 0);
}

static void m_touch_thp(bench *b)
{
    touch(b, 1);
}

static const struct method {
    const char *name;
    void (*run)(bench *);
} methods[] = {
    {"zlib-stream-256k", m_zlib_stream},
    {"zlib-full", m_zlib_full},
    {"zlib-full-fresh", m_zlib_fresh},
    {"libdeflate", m_ld},
    {"libdeflate-fresh", m_ld_fresh},
    {"libdeflate-fresh-thp", m_ld_fresh_thp},
    {"libdeflate-fresh-prefault", m_ld_fresh_prefault},
    {"touch-4k", m_touch_4k},
    {"touch-thp", m_touch_thp},
};
enum { N_METHODS = sizeof methods / sizeof methods[0] };

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: inflate FILE [RUNS]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    if (runs < 1 || runs > MAX_RUNS)
        die("RUNS must be 1..100");
    bench b;
    memset(&b, 0, sizeof b);
    b.in = slurp(argv[1], &b.n_in);
    b.chunk = malloc(CHUNK);
    if (!b.chunk)
        die("out of memory");
    b.n_out = zlib_stream(b.in, b.n_in, b.chunk, CHUNK); /* finds the output size */
    b.ref = malloc(b.n_out);
    b.out = malloc(b.n_out);
    if (!b.ref || !b.out)
        die("out of memory");
    zlib_full(b.in, b.n_in, b.ref, b.n_out); /* the reference; faults ref in */
    memset(b.out, 0, b.n_out);               /* fault out in */
    b.ld = libdeflate_alloc_decompressor();
    if (!b.ld)
        die("libdeflate_alloc_decompressor failed");

    /* warm-up round, which also checks every whole-buffer output */
    m_zlib_full(&b);
    check_same(&b, b.out, "zlib");
    memset(b.out, 0, b.n_out);
    m_ld(&b);
    check_same(&b, b.out, "libdeflate");
    for (int k = 0; k < N_METHODS; k++)
        methods[k].run(&b);

    static double wall[N_METHODS][MAX_RUNS], cpu[N_METHODS][MAX_RUNS];
    for (int i = 0; i < runs; i++) {
        for (int k = 0; k < N_METHODS; k++) {
            double c0 = cpu_now(), t0 = now();
            methods[k].run(&b);
            wall[k][i] = now() - t0;
            cpu[k][i] = cpu_now() - c0;
        }
    }
    for (int k = 0; k < N_METHODS; k++) {
        qsort(wall[k], (size_t)runs, sizeof(double), cmp_double);
        qsort(cpu[k], (size_t)runs, sizeof(double), cmp_double);
        printf("%s\t%zu\t%zu\t%.4f\t%.4f\t%.1f\t%.4f\n", methods[k].name, b.n_out, b.n_in,
               wall[k][0], wall[k][runs / 2], (double)b.n_out / 1e6 / wall[k][0], cpu[k][0]);
    }
    libdeflate_free_decompressor(b.ld);
    free(b.out);
    free(b.ref);
    free(b.chunk);
    free((void *)b.in);
    return 0;
}
