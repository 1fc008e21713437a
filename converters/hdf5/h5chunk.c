/* Large datasets: chunk grid, parallel chunk writer, chunk decoder
 * (h5chunk.h). */
#define _POSIX_C_SOURCE 200809L
#include "hdf5/h5chunk.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/bytes.h"
#include "core/sizes.h"
#include "hdf5/h5common.h"

enum { MAX_THREADS = 8 };

/* ---- the grid ------------------------------------------------------------------ */

void mc_h5_grid_init(mc_h5_grid *g, uint32_t ndim, const hsize_t *dims, size_t itemsize)
{
    memset(g, 0, sizeof *g);
    g->ndim = ndim;
    g->itemsize = itemsize;
    memcpy(g->dims, dims, ndim * sizeof *dims);
    /* trailing dimensions stay whole while one index of the next one is
     * within the target; that one is split (the caller checked that
     * dims x itemsize fits in memory, so nothing here overflows) */
    uint64_t inner_bytes = itemsize, c = dims[0];
    uint32_t s = 0;
    for (uint32_t d = ndim; d-- > 0;) {
        if (inner_bytes * dims[d] > MC_H5_CHUNK_TARGET) {
            s = d;
            c = MC_H5_CHUNK_TARGET / inner_bytes;
            if (c == 0)
                c = 1;
            break;
        }
        if (d == 0)
            break;
        inner_bytes *= dims[d];
    }
    for (uint32_t d = 0; d < ndim; d++)
        g->chunk[d] = d < s ? 1 : d == s ? c : dims[d];
    g->split = s;
    g->inner = inner_bytes / itemsize;
    g->blocks = (dims[s] + c - 1) / c;
    uint64_t outer = 1;
    for (uint32_t d = 0; d < s; d++)
        outer *= dims[d];
    g->nchunks = outer * g->blocks;
    g->chunk_bytes = (size_t)(c * inner_bytes);
}

void mc_h5_grid_chunk(const mc_h5_grid *g, uint64_t j, uint64_t *start, uint64_t *len,
                      hsize_t *offset)
{
    uint32_t s = g->split;
    uint64_t o = j / g->blocks, b = j % g->blocks, c = g->chunk[s];
    uint64_t rows = g->dims[s] - b * c < c ? g->dims[s] - b * c : c;
    *start = (o * g->dims[s] + b * c) * g->inner;
    *len = rows * g->inner;
    for (uint32_t d = g->ndim; d-- > 0;) {
        if (d > s) {
            offset[d] = 0;
        } else if (d == s) {
            offset[d] = b * c;
        } else {
            offset[d] = o % g->dims[d];
            o /= g->dims[d];
        }
    }
}

void mc_h5_fill(const mc_h5_source *src, uint32_t ndim, const hsize_t *dims, uint64_t start,
                uint64_t len, uint8_t *dst)
{
    size_t is = src->itemsize;
    if (src->order != 'F' || ndim < 2) {
        memcpy(dst, src->data + start * is, len * is);
    } else {
        /* Fortran order: element (i0, i1, ...) is at i0 + i1*d0 + ... */
        uint64_t stride[MC_H5_MAX_RANK], idx[MC_H5_MAX_RANK], off = 0, k = start;
        for (uint32_t d = 0; d < ndim; d++)
            stride[d] = d ? stride[d - 1] * dims[d - 1] : 1;
        for (uint32_t d = ndim; d-- > 0;) {
            idx[d] = k % dims[d];
            k /= dims[d];
            off += idx[d] * stride[d];
        }
        for (uint64_t e = 0; e < len; e++) {
            memcpy(dst + e * is, src->data + off * is, is);
            for (uint32_t d = ndim; d-- > 0;) {
                off += stride[d];
                if (++idx[d] < dims[d])
                    break;
                off -= stride[d] * dims[d];
                idx[d] = 0;
            }
        }
    }
    if (src->swap)
        for (uint64_t e = 0; e < len; e++)
            mc_swap_bytes(dst + e * is, (unsigned)is);
}

/* ---- HDF5's filters -------------------------------------------------------------- */

#if defined(__SSE2__)
#include <emmintrin.h>
/* HDF5's shuffle of 8-byte items (most tensors), 16 items at a time: a
 * 16x8 byte transpose in registers.  Byte-identical to the plain loop. */
static size_t shuffle8_sse2(const uint8_t *in, uint8_t *out, size_t n)
{
    size_t j = 0;
    for (; j + 16 <= n; j += 16) {
        __m128i x[8], y[8];
        for (int k = 0; k < 8; k++)
            x[k] = _mm_loadu_si128((const __m128i *)(in + j * 8 + 16 * k));
        for (int round = 0; round < 4; round++) {
            for (int k = 0; k < 4; k++) {
                y[2 * k] = _mm_unpacklo_epi8(x[k], x[k + 4]);
                y[2 * k + 1] = _mm_unpackhi_epi8(x[k], x[k + 4]);
            }
            memcpy(x, y, sizeof x);
        }
        for (int i = 0; i < 8; i++)
            _mm_storeu_si128((__m128i *)(out + (size_t)i * n + j), x[i]);
    }
    return j;
}

static size_t unshuffle8_sse2(const uint8_t *in, uint8_t *out, size_t n)
{
    size_t j = 0;
    for (; j + 16 <= n; j += 16) {
        __m128i r[8];
        for (int i = 0; i < 8; i++)
            r[i] = _mm_loadu_si128((const __m128i *)(in + (size_t)i * n + j));
        __m128i a0 = _mm_unpacklo_epi8(r[0], r[1]), a1 = _mm_unpackhi_epi8(r[0], r[1]);
        __m128i a2 = _mm_unpacklo_epi8(r[2], r[3]), a3 = _mm_unpackhi_epi8(r[2], r[3]);
        __m128i a4 = _mm_unpacklo_epi8(r[4], r[5]), a5 = _mm_unpackhi_epi8(r[4], r[5]);
        __m128i a6 = _mm_unpacklo_epi8(r[6], r[7]), a7 = _mm_unpackhi_epi8(r[6], r[7]);
        __m128i b0 = _mm_unpacklo_epi16(a0, a2), b1 = _mm_unpackhi_epi16(a0, a2);
        __m128i b2 = _mm_unpacklo_epi16(a1, a3), b3 = _mm_unpackhi_epi16(a1, a3);
        __m128i b4 = _mm_unpacklo_epi16(a4, a6), b5 = _mm_unpackhi_epi16(a4, a6);
        __m128i b6 = _mm_unpacklo_epi16(a5, a7), b7 = _mm_unpackhi_epi16(a5, a7);
        __m128i *o = (__m128i *)(out + j * 8);
        _mm_storeu_si128(o + 0, _mm_unpacklo_epi32(b0, b4));
        _mm_storeu_si128(o + 1, _mm_unpackhi_epi32(b0, b4));
        _mm_storeu_si128(o + 2, _mm_unpacklo_epi32(b1, b5));
        _mm_storeu_si128(o + 3, _mm_unpackhi_epi32(b1, b5));
        _mm_storeu_si128(o + 4, _mm_unpacklo_epi32(b2, b6));
        _mm_storeu_si128(o + 5, _mm_unpackhi_epi32(b2, b6));
        _mm_storeu_si128(o + 6, _mm_unpacklo_epi32(b3, b7));
        _mm_storeu_si128(o + 7, _mm_unpackhi_epi32(b3, b7));
    }
    return j;
}
#endif

void mc_h5_shuffle(const uint8_t *in, uint8_t *out, size_t nbytes, size_t itemsize)
{
    size_t n = nbytes / itemsize, j0 = 0;
    if (itemsize <= 1 || n <= 1) { /* H5Zshuffle.c leaves these alone */
        memcpy(out, in, nbytes);
        return;
    }
#if defined(__SSE2__)
    if (itemsize == 8)
        j0 = shuffle8_sse2(in, out, n);
#endif
    for (size_t j = j0; j < n; j++)
        for (size_t i = 0; i < itemsize; i++)
            out[i * n + j] = in[j * itemsize + i];
    memcpy(out + n * itemsize, in + n * itemsize, nbytes % itemsize);
}

void mc_h5_unshuffle(const uint8_t *in, uint8_t *out, size_t nbytes, size_t itemsize)
{
    size_t n = nbytes / itemsize, j0 = 0;
    if (itemsize <= 1 || n <= 1) {
        memcpy(out, in, nbytes);
        return;
    }
#if defined(__SSE2__)
    if (itemsize == 8)
        j0 = unshuffle8_sse2(in, out, n);
#endif
    for (size_t i = 0; i < itemsize; i++)
        for (size_t j = j0; j < n; j++)
            out[j * itemsize + i] = in[i * n + j];
    memcpy(out + n * itemsize, in + n * itemsize, nbytes % itemsize);
}

/* H5_checksum_fletcher32 (H5checksum.c, HDF5 1.10): over big-endian 16-bit
 * words w_0..w_{N-1} (an odd last byte is a word of its own, byte << 8),
 * sum1 = sum of w_i and sum2 = sum of the running sums, both folded with
 * (s & 0xffff) + (s >> 16).  Folding keeps a value's residue mod 65535 and
 * never turns a positive value into 0, and the final folds leave at most
 * 0xffff: so each result is 0 when every word is 0 and otherwise the one
 * value in 1..65535 with the right residue.  That lets the words be summed
 * in any grouping: here four lanes of words 4g+j, a_j = sum of the lane's
 * words and b_j = sum of its running sums, with sum2 = 4 * sum b_j -
 * sum j * a_j over N = 4G words (a word at i = 4g + j is counted N - i =
 * 4(G - g) - j times).  Blocks of 128 groups keep the lanes below 2^31. */
uint32_t mc_h5_fletcher32(const uint8_t *data, size_t len)
{
    enum { GROUPS = 128 };
    uint32_t a[4] = {0}, b[4] = {0}, any = 0;
    size_t groups = len / 8;
    while (groups) {
        size_t t = groups > GROUPS ? GROUPS : groups;
        groups -= t;
        for (size_t g = 0; g < t; g++, data += 8) {
            for (int j = 0; j < 4; j++) {
                uint32_t w = (uint32_t)data[2 * j] << 8 | data[2 * j + 1];
                any |= w;
                a[j] += w;
                b[j] += a[j];
            }
        }
        for (int j = 0; j < 4; j++) {
            a[j] %= 65535;
            b[j] %= 65535;
        }
    }
    uint64_t s1 = (uint64_t)a[0] + a[1] + a[2] + a[3];
    uint64_t s2 = 4 * ((uint64_t)b[0] + b[1] + b[2] + b[3]) + 6 * 65535 -
                  ((uint64_t)a[1] + 2 * (uint64_t)a[2] + 3 * (uint64_t)a[3]);
    for (size_t rest = len % 8; rest; rest -= rest >= 2 ? 2 : 1) {
        uint32_t w = rest >= 2 ? (uint32_t)data[0] << 8 | data[1] : (uint32_t)data[0] << 8;
        data += rest >= 2 ? 2 : 1;
        any |= w;
        s1 += w;
        s2 += s1;
    }
    if (!any)
        return 0;
    uint32_t r1 = (uint32_t)(s1 % 65535), r2 = (uint32_t)(s2 % 65535);
    return (r2 ? r2 : 65535) << 16 | (r1 ? r1 : 65535);
}

/* ---- the writer's pool -------------------------------------------------------------- */

enum { FILTER_SHUFFLE_BIT = 1, FILTER_DEFLATE_BIT = 2 }; /* mask bits: filter skipped */

typedef struct slot {
    uint8_t *a, *b;        /* two buffers of cap bytes                        */
    size_t cap;
    uint64_t job;          /* chunk index                                     */
    const uint8_t *result; /* a or b                                          */
    size_t result_len;
    uint32_t mask;
    int state;             /* 0 free, 1 posted, 2 done                        */
} slot;

struct mc_h5_pool {
    int level;
    unsigned nthreads, nslots;
    pthread_t threads[MAX_THREADS];
    unsigned started;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    slot *slots;
    /* the dataset being written */
    const mc_h5_grid *g;
    const mc_h5_source *src;
    uint64_t posted, claimed;
    int stop, failed;
};

/* Fill chunk s->job, shuffle, deflate, append the checksum. */
static int encode(const mc_h5_grid *g, const mc_h5_source *src, slot *s,
                  struct libdeflate_compressor *c)
{
    uint64_t start, len;
    hsize_t offset[MC_H5_MAX_RANK];
    mc_h5_grid_chunk(g, s->job, &start, &len, offset);
    size_t n = g->chunk_bytes, used = (size_t)len * g->itemsize;
    mc_h5_fill(src, g->ndim, g->dims, start, len, s->a);
    memset(s->a + used, 0, n - used); /* the edge chunk's padding */
    mc_h5_shuffle(s->a, s->b, n, g->itemsize);
    /* H5Zdeflate.c: compress2 into a buffer the size of the input; a chunk
     * that does not fit is stored without deflate (the filter is optional) */
    size_t z = libdeflate_zlib_compress(c, s->b, n, s->a, n);
    uint8_t *out = z ? s->a : s->b;
    size_t outlen = z ? z : n;
    s->mask = z ? 0 : FILTER_DEFLATE_BIT;
    mc_store_u32le(out + outlen, mc_h5_fletcher32(out, outlen));
    s->result = out;
    s->result_len = outlen + 4;
    return 0;
}

static void *worker(void *arg)
{
    mc_h5_pool *p = arg;
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(p->level);
    pthread_mutex_lock(&p->mu);
    if (!c)
        p->failed = 1;
    for (;;) {
        while (!p->stop && p->claimed == p->posted)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop)
            break;
        slot *s = &p->slots[p->claimed++ % p->nslots];
        pthread_mutex_unlock(&p->mu);
        if (c)
            encode(p->g, p->src, s, c);
        pthread_mutex_lock(&p->mu);
        s->state = 2;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    libdeflate_free_compressor(c);
    return NULL;
}

mc_h5_pool *mc_h5_pool_new(int level)
{
    mc_h5_pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    p->level = level;
    p->nthreads = cpus < 1 ? 1 : cpus > MAX_THREADS ? MAX_THREADS : (unsigned)cpus;
    /* enough chunks in flight to keep every worker busy while the calling
     * thread writes */
    p->nslots = 2 * p->nthreads + 2;
    p->slots = calloc(p->nslots, sizeof *p->slots);
    if (!p->slots || pthread_mutex_init(&p->mu, NULL)) {
        free(p->slots);
        free(p);
        return NULL;
    }
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    return p;
}

void mc_h5_pool_free(mc_h5_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->started; i++)
        pthread_join(p->threads[i], NULL);
    for (unsigned i = 0; i < p->nslots; i++) {
        free(p->slots[i].a);
        free(p->slots[i].b);
    }
    free(p->slots);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

static int start_threads(mc_h5_pool *p)
{
    while (p->started < p->nthreads) {
        if (pthread_create(&p->threads[p->started], NULL, worker, p))
            return p->started ? 0 : -1; /* fewer workers still work */
        p->started++;
    }
    return 0;
}

/* Wait for slot s (holding job j) and write its chunk. */
static int write_done(mc_h5_pool *p, hid_t dset, slot *s, uint64_t *bytes,
                      mc_h5_progress_fn progress, void *ctx, char *why, size_t whysize)
{
    pthread_mutex_lock(&p->mu);
    while (s->state != 2)
        pthread_cond_wait(&p->done, &p->mu);
    int failed = p->failed;
    pthread_mutex_unlock(&p->mu);
    if (failed) {
        snprintf(why, whysize, "out of memory for a compressor");
        return -1;
    }
    uint64_t start, len;
    hsize_t offset[MC_H5_MAX_RANK];
    mc_h5_grid_chunk(p->g, s->job, &start, &len, offset);
    /* filters in the dataset's order: shuffle (0), deflate (1), fletcher32 (2) */
    if (H5Dwrite_chunk(dset, H5P_DEFAULT, s->mask, offset, s->result_len, s->result) < 0) {
        char h5[200];
        mc_h5_last_error(h5, sizeof h5);
        snprintf(why, whysize, "writing chunk %llu failed: %s", (unsigned long long)s->job, h5);
        return -1;
    }
    s->state = 0;
    *bytes += len * p->g->itemsize;
    if (progress)
        progress(ctx, *bytes);
    return 0;
}

int mc_h5_pool_write(mc_h5_pool *p, hid_t dset, const mc_h5_grid *g, const mc_h5_source *src,
                     mc_h5_progress_fn progress, void *ctx, char *why, size_t whysize)
{
    if (start_threads(p)) {
        snprintf(why, whysize, "cannot start compression threads");
        return -1;
    }
    size_t cap = g->chunk_bytes + 4; /* room for the checksum */
    pthread_mutex_lock(&p->mu);
    p->g = g;
    p->src = src;
    p->posted = p->claimed = 0;
    pthread_mutex_unlock(&p->mu);
    uint64_t bytes = 0;
    int rc = 0;
    uint64_t j = 0;
    for (; j < g->nchunks && rc == 0; j++) {
        slot *s = &p->slots[j % p->nslots];
        if (j >= p->nslots)
            rc = write_done(p, dset, s, &bytes, progress, ctx, why, whysize);
        if (rc)
            break;
        if (s->cap < cap) {
            free(s->a);
            free(s->b);
            s->a = malloc(cap);
            s->b = malloc(cap);
            s->cap = s->a && s->b ? cap : 0;
            if (!s->cap) {
                snprintf(why, whysize, "out of memory for chunk buffers");
                rc = -1;
                break;
            }
        }
        pthread_mutex_lock(&p->mu);
        s->job = j;
        s->state = 1;
        p->posted++;
        pthread_cond_signal(&p->work);
        pthread_mutex_unlock(&p->mu);
    }
    /* drain what is in flight, in order (also after a failure: the workers
     * must be done with src before the caller lets it go) */
    uint64_t first = j > p->nslots ? j - p->nslots : 0;
    for (uint64_t k = first; k < j; k++) {
        slot *s = &p->slots[k % p->nslots];
        if (rc == 0) {
            rc = write_done(p, dset, s, &bytes, progress, ctx, why, whysize);
        } else {
            pthread_mutex_lock(&p->mu);
            while (s->state == 1)
                pthread_cond_wait(&p->done, &p->mu);
            s->state = 0;
            pthread_mutex_unlock(&p->mu);
        }
    }
    return rc;
}

int mc_h5_write_plain(hid_t dset, hid_t type, const mc_h5_grid *g, const mc_h5_source *src,
                      mc_h5_progress_fn progress, void *ctx, char *why, size_t whysize)
{
    char h5[200];
    if (src->order != 'F' && !src->swap) {
        if (H5Dwrite(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, src->data) < 0)
            goto fail;
        if (progress) {
            uint64_t n = g->itemsize;
            for (uint32_t d = 0; d < g->ndim; d++)
                n *= g->dims[d];
            progress(ctx, n);
        }
        return 0;
    }
    uint8_t *buf = malloc(g->chunk_bytes);
    hid_t fspace = H5Dget_space(dset);
    if (!buf || fspace < 0) {
        free(buf);
        if (fspace >= 0)
            mc_h5_close(H5Sclose, fspace);
        snprintf(why, whysize, "out of memory");
        return -1;
    }
    uint64_t bytes = 0;
    int rc = 0;
    for (uint64_t j = 0; j < g->nchunks && rc == 0; j++) {
        uint64_t start, len;
        hsize_t offset[MC_H5_MAX_RANK], count[MC_H5_MAX_RANK];
        mc_h5_grid_chunk(g, j, &start, &len, offset);
        mc_h5_fill(src, g->ndim, g->dims, start, len, buf);
        for (uint32_t d = 0; d < g->ndim; d++)
            count[d] = d == g->split ? len / g->inner : g->chunk[d];
        hsize_t n = len;
        hid_t mspace = H5Screate_simple(1, &n, NULL);
        rc = mspace < 0 ||
                     H5Sselect_hyperslab(fspace, H5S_SELECT_SET, offset, NULL, count, NULL) < 0 ||
                     H5Dwrite(dset, type, mspace, fspace, H5P_DEFAULT, buf) < 0
                 ? -1
                 : 0;
        if (mspace >= 0)
            mc_h5_close(H5Sclose, mspace);
        bytes += len * g->itemsize;
        if (rc == 0 && progress)
            progress(ctx, bytes);
    }
    free(buf);
    mc_h5_close(H5Sclose, fspace);
    if (rc == 0)
        return 0;
fail:
    mc_h5_last_error(h5, sizeof h5);
    snprintf(why, whysize, "writing data failed: %s", h5);
    return -1;
}

/* ---- the reader's decoder --------------------------------------------------------------- */

typedef struct pipeline {
    int n;
    H5Z_filter_t id[3];
} pipeline;

static int read_pipeline(hid_t dcpl, size_t itemsize, pipeline *pl, char *why, size_t whysize)
{
    int n = H5Pget_nfilters(dcpl);
    if (n < 0 || n > 3) {
        snprintf(why, whysize, "%d filters (modelconv reads shuffle, deflate and fletcher32)", n);
        return -1;
    }
    pl->n = n;
    for (int i = 0; i < n; i++) {
        unsigned flags, cd[8];
        size_t ncd = 8;
        char name[64];
        H5Z_filter_t id = H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncd, cd, sizeof name, name,
                                         NULL);
        if (id != H5Z_FILTER_SHUFFLE && id != H5Z_FILTER_DEFLATE && id != H5Z_FILTER_FLETCHER32) {
            snprintf(why, whysize, "filter %d ('%.40s') is not one modelconv reads (shuffle, "
                                   "deflate, fletcher32)",
                     (int)id, id < 0 ? "?" : name);
            return -1;
        }
        for (int k = 0; k < i; k++)
            if (pl->id[k] == id) {
                snprintf(why, whysize, "filter '%.40s' appears twice", name);
                return -1;
            }
        if (id == H5Z_FILTER_SHUFFLE && (ncd < 1 || cd[0] != itemsize)) {
            snprintf(why, whysize, "the shuffle filter's element size is not the type's (%zu)",
                     itemsize);
            return -1;
        }
        pl->id[i] = id;
    }
    return 0;
}

/* Undo the filters on a chunk of `len` stored bytes in *cur (cap bytes
 * each in *cur and *tmp); the result, exactly want bytes, ends in *cur —
 * or, when `direct` is given and the last filter undone writes (deflate or
 * shuffle), in direct (want bytes), which saves copying the chunk again;
 * *placed says which. */
static int decode(const pipeline *pl, uint32_t mask, uint8_t **cur, uint8_t **tmp, size_t len,
                  size_t cap, size_t want, size_t itemsize, struct libdeflate_decompressor *d,
                  uint8_t *direct, int *placed, char *why, size_t whysize)
{
    int last = -1; /* the last filter to undo */
    for (int i = pl->n; i-- > 0;)
        if (!(mask & (1u << i)))
            last = i;
    *placed = 0;
    for (int i = pl->n; i-- > 0;) {
        if (mask & (1u << i))
            continue;
        /* the last step writes straight into direct when it can */
        uint8_t *out_buf = *tmp;
        size_t out_cap = cap;
        if (direct && i == last && pl->id[i] != H5Z_FILTER_FLETCHER32) {
            if (pl->id[i] != H5Z_FILTER_DEFLATE && len != want) {
                snprintf(why, whysize, "a chunk holds %zu bytes, its shape needs %zu", len, want);
                return -1;
            }
            out_buf = direct;
            out_cap = want;
            *placed = 1;
        }
        if (pl->id[i] == H5Z_FILTER_FLETCHER32) {
            if (len < 4) {
                snprintf(why, whysize, "a chunk too short for its checksum");
                return -1;
            }
            len -= 4;
            uint32_t stored = mc_load_u32le(*cur + len), sum = mc_h5_fletcher32(*cur, len);
            /* H5Zfletcher32.c also accepts the sum with the bytes of each
             * half swapped (files of HDF5 < 1.6.3) */
            uint32_t swapped = (sum & 0xff00ff00u) >> 8 | (sum & 0x00ff00ffu) << 8;
            if (stored != sum && stored != swapped) {
                snprintf(why, whysize, "a chunk fails its Fletcher-32 checksum (damaged file)");
                return -1;
            }
        } else {
            size_t out = 0;
            if (pl->id[i] == H5Z_FILTER_DEFLATE) {
                enum libdeflate_result r =
                    libdeflate_zlib_decompress(d, *cur, len, out_buf, out_cap, &out);
                if (r != LIBDEFLATE_SUCCESS) {
                    snprintf(why, whysize, r == LIBDEFLATE_INSUFFICIENT_SPACE
                                               ? "a chunk inflates beyond its size"
                                               : "a chunk is not valid deflate data");
                    return -1;
                }
            } else {
                mc_h5_unshuffle(*cur, out_buf, len, itemsize);
                out = len;
            }
            if (out_buf == *tmp) {
                uint8_t *t = *cur;
                *cur = *tmp;
                *tmp = t;
            }
            len = out;
        }
    }
    if (len != want) {
        snprintf(why, whysize, "a chunk holds %zu bytes, its shape needs %zu", len, want);
        return -1;
    }
    return 0;
}

/* Copy the part of chunk buf (at grid offset `offset`) inside the dataset
 * into dst. */
static void place(const uint8_t *buf, uint8_t *dst, uint32_t ndim, const hsize_t *dims,
                  const hsize_t *cdims, const hsize_t *offset, size_t itemsize)
{
    hsize_t ext[MC_H5_MAX_RANK], idx[MC_H5_MAX_RANK] = {0};
    for (uint32_t d = 0; d < ndim; d++)
        ext[d] = dims[d] - offset[d] < cdims[d] ? dims[d] - offset[d] : cdims[d];
    uint32_t last = ndim - 1;
    size_t run = (size_t)ext[last] * itemsize;
    for (;;) {
        uint64_t s = 0, t = 0;
        for (uint32_t d = 0; d < ndim; d++) {
            s = s * cdims[d] + idx[d];
            t = t * dims[d] + offset[d] + idx[d];
        }
        memcpy(dst + t * itemsize, buf + s * itemsize, run);
        uint32_t d = last;
        while (d-- > 0) {
            if (++idx[d] < ext[d])
                break;
            idx[d] = 0;
        }
        if (d == UINT32_MAX)
            return;
    }
}

/* ---- decoding chunks on every CPU --------------------------------------------------
 *
 * The reading thread fetches raw chunks in order (H5Dread_chunk) into a ring
 * of slots; workers inflate, check and unshuffle them and place them in the
 * destination, as the writer compresses them on every CPU. */
typedef struct rslot {
    uint8_t *a, *b;
    size_t size;
    uint32_t mask;
    hsize_t offset[MC_H5_MAX_RANK];
    int state; /* 0 free, 1 posted */
} rslot;

typedef struct rpool {
    pthread_mutex_t mu;
    pthread_cond_t work, freed;
    rslot *slots;
    unsigned nslots;
    uint64_t posted, claimed;
    int stop, failed;
    char why[200];
    const pipeline *pl;
    uint32_t ndim;
    const hsize_t *dims, *cdims;
    size_t want, cap, itemsize;
    uint8_t *dst;
} rpool;

/* Where in dst a chunk at `offset` can be decoded in place: when it lies
 * wholly inside the dataset and is one contiguous run of dst (it spans
 * every dimension but the first); NULL otherwise. */
static uint8_t *direct_place(const rpool *p, const hsize_t *offset)
{
    if (!p->dst || offset[0] + p->cdims[0] > p->dims[0])
        return NULL;
    uint64_t row = p->itemsize;
    for (uint32_t d = 1; d < p->ndim; d++) {
        if (p->cdims[d] != p->dims[d])
            return NULL;
        row *= p->dims[d];
    }
    return p->dst + offset[0] * row;
}

static void *rworker(void *arg)
{
    rpool *p = arg;
    struct libdeflate_decompressor *dz = libdeflate_alloc_decompressor();
    pthread_mutex_lock(&p->mu);
    if (!dz) {
        p->failed = 1;
        snprintf(p->why, sizeof p->why, "out of memory");
    }
    for (;;) {
        while (!p->stop && p->claimed == p->posted)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->claimed == p->posted && p->stop)
            break;
        rslot *s = &p->slots[p->claimed++ % p->nslots];
        int failed = p->failed;
        pthread_mutex_unlock(&p->mu);
        char why[200];
        int rc = 0;
        if (!failed && dz) {
            uint8_t *cur = s->a, *tmp = s->b;
            int placed;
            rc = decode(p->pl, s->mask, &cur, &tmp, s->size, p->cap, p->want, p->itemsize, dz,
                        direct_place(p, s->offset), &placed, why, sizeof why);
            if (rc == 0 && !placed && p->dst)
                place(cur, p->dst, p->ndim, p->dims, p->cdims, s->offset, p->itemsize);
            s->a = cur;
            s->b = tmp;
        }
        pthread_mutex_lock(&p->mu);
        if (rc && !p->failed) {
            p->failed = 1;
            memcpy(p->why, why, sizeof why);
        }
        s->state = 0;
        pthread_cond_broadcast(&p->freed);
    }
    pthread_mutex_unlock(&p->mu);
    libdeflate_free_decompressor(dz);
    return NULL;
}

static int read_parallel(hid_t dset, const pipeline *pl, uint32_t ndim, const hsize_t *dims,
                         const hsize_t *cdims, uint64_t nchunks, size_t want, size_t cap,
                         size_t itemsize, uint8_t *dst, char *why, size_t whysize)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned nthreads = cpus < 1 ? 1 : cpus > MAX_THREADS ? MAX_THREADS : (unsigned)cpus;
    if (nthreads > nchunks)
        nthreads = (unsigned)nchunks;
    rpool p;
    memset(&p, 0, sizeof p);
    p.nslots = 2 * nthreads + 2;
    p.slots = calloc(p.nslots, sizeof *p.slots);
    p.pl = pl;
    p.ndim = ndim;
    p.dims = dims;
    p.cdims = cdims;
    p.want = want;
    p.cap = cap;
    p.itemsize = itemsize;
    p.dst = dst;
    int rc = p.slots ? 0 : -1;
    for (unsigned i = 0; rc == 0 && i < p.nslots; i++) {
        p.slots[i].a = malloc(cap);
        p.slots[i].b = malloc(cap);
        if (!p.slots[i].a || !p.slots[i].b)
            rc = -1;
    }
    if (rc) {
        snprintf(why, whysize, "out of memory");
        goto out;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.work, NULL);
    pthread_cond_init(&p.freed, NULL);
    pthread_t th[MAX_THREADS];
    unsigned started = 0;
    while (started < nthreads && pthread_create(&th[started], NULL, rworker, &p) == 0)
        started++;
    if (!started) {
        snprintf(why, whysize, "cannot start threads");
        rc = -1;
    }
    hsize_t offset[MC_H5_MAX_RANK] = {0};
    for (uint64_t j = 0; j < nchunks && rc == 0; j++) {
        uint64_t k = j;
        for (uint32_t d = ndim; d-- > 0;) {
            uint64_t per = (dims[d] + cdims[d] - 1) / cdims[d];
            offset[d] = (k % per) * cdims[d];
            k /= per;
        }
        rslot *s = &p.slots[j % p.nslots];
        pthread_mutex_lock(&p.mu);
        while (s->state != 0)
            pthread_cond_wait(&p.freed, &p.mu);
        if (p.failed)
            rc = -1;
        pthread_mutex_unlock(&p.mu);
        if (rc)
            break;
        hsize_t size = 0;
        uint32_t mask = 0;
        if (H5Dget_chunk_storage_size(dset, offset, &size) < 0 || size == 0 || size > cap) {
            snprintf(why, whysize, "chunk %llu is missing or stores %llu bytes for %zu of data",
                     (unsigned long long)j, (unsigned long long)size, want);
            rc = -1;
            break;
        }
        if (H5Dread_chunk(dset, H5P_DEFAULT, offset, &mask, s->a) < 0) {
            char h5[200];
            mc_h5_last_error(h5, sizeof h5);
            snprintf(why, whysize, "chunk %llu cannot be read: %s", (unsigned long long)j, h5);
            rc = -1;
            break;
        }
        s->size = (size_t)size;
        s->mask = mask;
        memcpy(s->offset, offset, ndim * sizeof *offset);
        pthread_mutex_lock(&p.mu);
        s->state = 1;
        p.posted++;
        pthread_cond_signal(&p.work);
        pthread_mutex_unlock(&p.mu);
    }
    pthread_mutex_lock(&p.mu);
    p.stop = 1;
    pthread_cond_broadcast(&p.work);
    pthread_mutex_unlock(&p.mu);
    for (unsigned i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    if (rc == 0 && p.failed) {
        snprintf(why, whysize, "%s", p.why);
        rc = -1;
    }
    pthread_cond_destroy(&p.work);
    pthread_cond_destroy(&p.freed);
    pthread_mutex_destroy(&p.mu);
out:
    for (unsigned i = 0; p.slots && i < p.nslots; i++) {
        free(p.slots[i].a);
        free(p.slots[i].b);
    }
    free(p.slots);
    return rc;
}

int mc_h5_read_chunked(hid_t dset, hid_t dcpl, size_t itemsize, uint32_t ndim,
                       const hsize_t *dims, uint8_t *dst, char *why, size_t whysize)
{
    hsize_t cdims[MC_H5_MAX_RANK];
    pipeline pl;
    if (ndim == 0 || ndim > MC_H5_MAX_RANK || H5Pget_chunk(dcpl, (int)ndim, cdims) != (int)ndim) {
        snprintf(why, whysize, "the chunk shape does not match the dataset's");
        return -1;
    }
    if (read_pipeline(dcpl, itemsize, &pl, why, whysize))
        return -1;
    uint64_t chunk_elems = 1, nchunks = 1, bytes;
    for (uint32_t d = 0; d < ndim; d++) {
        if (cdims[d] == 0 || mc_mul_u64(chunk_elems, cdims[d], &chunk_elems) ||
            mc_mul_u64(nchunks, (dims[d] + cdims[d] - 1) / cdims[d], &nchunks)) {
            snprintf(why, whysize, "a chunk shape out of range");
            return -1;
        }
    }
    if (mc_mul_u64(chunk_elems, itemsize, &bytes) || bytes > UINT32_MAX) {
        snprintf(why, whysize, "chunks of more than 4 GiB");
        return -1;
    }
    if (nchunks == 0)
        return 0;
    /* every chunk must be stored: the count first, so a dataset that
     * declares more chunks than the file can hold fails at once */
    hsize_t stored = 0;
    hid_t space = H5Dget_space(dset); /* HDF5 1.10 refuses H5S_ALL here */
    herr_t counted = space < 0 ? -1 : H5Dget_num_chunks(dset, space, &stored);
    if (space >= 0)
        mc_h5_close(H5Sclose, space);
    if (counted < 0 || stored != nchunks) {
        snprintf(why, whysize, "%llu of its %llu chunks are stored", (unsigned long long)stored,
                 (unsigned long long)nchunks);
        return -1;
    }
    size_t want = (size_t)bytes, cap = want + 4;
    return read_parallel(dset, &pl, ndim, dims, cdims, nchunks, want, cap, itemsize, dst, why,
                         whysize);
}
