/* Test support: the committed corpus (samples/corpus/manifest.tsv) and the
 * array fingerprints its generator wrote (samples/README.md "arrays.txt"). */
#ifndef MC_TEST_CORPUS_H
#define MC_TEST_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "modelconv/value.h"

typedef struct corpus_entry {
    char path[256];      /* relative to samples/corpus */
    char kind[16];       /* model | data | legacy */
    char format[16];
    int protocol;
    char compressor[8];
    char cls[160];
    char sklearn_version[16];
    char numpy_version[16];
    char joblib_version[16];
    char dir[200];
} corpus_entry;

/* All manifest entries (malloc'd array); NULL if the manifest is missing. */
corpus_entry *corpus_load(size_t *count);

/* Absolute path of a corpus-relative path (static buffer per call site
 * is not used: writes into buf). */
const char *corpus_path(char *buf, size_t size, const char *rel);

/* FNV-1a 64 of an array's elements in C order with every number
 * little-endian (the generator's rule). */
uint64_t array_fnv(const mc_ndarray *a);

/* Visit every ndarray reachable from v in the generator's depth-first
 * pre-order (list/tuple items, dict values, object-array elements; not
 * sets, not objects' internals beyond dict-like values). */
typedef void (*array_visit)(const mc_ndarray *a, void *ctx);
void visit_arrays(const mc_value *v, array_visit fn, void *ctx);

/* Read a whole file into memory (malloc'd); NULL on failure. */
uint8_t *read_whole(const char *path, size_t *len);

#endif
