/* Large datasets (private): the chunk grid of the layout ("Storage"), the
 * writer's chunk pipeline, and the reader's chunk decoder.
 *
 * The writer fills, shuffles, deflates and checksums chunks on worker
 * threads (one per CPU, at most 8) and writes them in order from the
 * calling thread with H5Dwrite_chunk, so the bytes do not depend on
 * timing.  Its filters are bit-compatible with HDF5's own (H5Zshuffle.c,
 * H5Zdeflate.c, H5Zfletcher32.c / H5checksum.c): a chunk HDF5's deflate
 * would not shrink is stored without it and its bit set in the filter mask,
 * as HDF5 does.  The workers never call HDF5. */
#ifndef MC_HDF5_H5CHUNK_H
#define MC_HDF5_H5CHUNK_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

enum { MC_H5_MAX_RANK = 32 }; /* H5S_MAX_RANK */

/* Where a dataset's elements come from. */
typedef struct mc_h5_source {
    const uint8_t *data;   /* the elements in memory order (may be unaligned) */
    size_t itemsize;
    char order;            /* 'C' or 'F'                                   */
    int swap;              /* reverse each element's bytes (2, 4 or 8)     */
} mc_h5_source;

/* The layout's chunks: whole trailing dimensions of about 1 MiB, split
 * along one dimension; chunk j holds elements [start, start + len) in C
 * order (zero-padded to a full chunk at the edge). */
typedef struct mc_h5_grid {
    uint32_t ndim;
    hsize_t dims[MC_H5_MAX_RANK];
    hsize_t chunk[MC_H5_MAX_RANK];
    size_t itemsize;
    uint32_t split;        /* the dimension chunks divide                  */
    uint64_t inner;        /* elements in one index of `split`             */
    uint64_t blocks;       /* chunks along `split`                         */
    uint64_t nchunks;
    size_t chunk_bytes;    /* bytes of a full chunk                        */
} mc_h5_grid;

/* ndim >= 1, every dim >= 1, ndim <= MC_H5_MAX_RANK. */
void mc_h5_grid_init(mc_h5_grid *g, uint32_t ndim, const hsize_t *dims, size_t itemsize);
/* Chunk j: its first element (C order), element count, and grid offset. */
void mc_h5_grid_chunk(const mc_h5_grid *g, uint64_t j, uint64_t *start, uint64_t *len,
                      hsize_t *offset);

/* Copy elements [start, start + len) in C order of an array of shape
 * dims from src into dst, in C order and file byte order. */
void mc_h5_fill(const mc_h5_source *src, uint32_t ndim, const hsize_t *dims, uint64_t start,
                uint64_t len, uint8_t *dst);

/* HDF5's filters, exposed for the tests that check them against the
 * library. */
void mc_h5_shuffle(const uint8_t *in, uint8_t *out, size_t nbytes, size_t itemsize);
void mc_h5_unshuffle(const uint8_t *in, uint8_t *out, size_t nbytes, size_t itemsize);
uint32_t mc_h5_fletcher32(const uint8_t *data, size_t len);

/* ---- writing ------------------------------------------------------------ */

/* Reports bytes of data written so far (for mc_save_options.progress). */
typedef void (*mc_h5_progress_fn)(void *ctx, uint64_t bytes);

typedef struct mc_h5_pool mc_h5_pool;

/* A pool compressing at deflate `level` (1-9); threads start on first use. */
mc_h5_pool *mc_h5_pool_new(int level);
void mc_h5_pool_free(mc_h5_pool *p);

/* Write every chunk of dset (chunked as g, filters shuffle, deflate,
 * fletcher32) from src.  0, or -1 with why filled. */
int mc_h5_pool_write(mc_h5_pool *p, hid_t dset, const mc_h5_grid *g, const mc_h5_source *src,
                     mc_h5_progress_fn progress, void *ctx, char *why, size_t whysize);

/* Write a contiguous, unfiltered dataset of type `type` from src: in one
 * call when src is already C order and file byte order, else in slabs of
 * g's chunks.  0, or -1 with why filled. */
int mc_h5_write_plain(hid_t dset, hid_t type, const mc_h5_grid *g, const mc_h5_source *src,
                      mc_h5_progress_fn progress, void *ctx, char *why, size_t whysize);

/* ---- reading ------------------------------------------------------------ */

/* Read every chunk of a chunked dataset through modelconv's own decoder:
 * filters may be shuffle, deflate and fletcher32 (each at most once, any
 * order; checksums verified, each chunk inflated into exactly its size, so
 * no chunk can expand beyond it), every chunk must be stored, and no chunk
 * may be bigger than its data plus a checksum.  The elements land in dst
 * in C order (file byte order); dst NULL only checks the chunks.  0, or -1
 * with why filled. */
int mc_h5_read_chunked(hid_t dset, hid_t dcpl, size_t itemsize, uint32_t ndim,
                       const hsize_t *dims, uint8_t *dst, char *why, size_t whysize);

#endif
