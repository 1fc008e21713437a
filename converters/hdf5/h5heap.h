/* Variable-length strings (private): the global heap checked before HDF5
 * reads it.
 *
 * HDF5 keeps every variable-length string of a file in "global heap
 * collections" and trusts what a collection says about its objects.
 * HDF5 1.10 (Debian's 1.10.8) loops forever on an object of size 0
 * (H5HG__cache_heap_deserialize), and H5HG_read copies an object's size
 * (as the collection states it) into a buffer sized by the string's own
 * length before comparing the two: a heap buffer overflow, read and write
 * (both found by tests/fuzz/fuzz_hdf5.c).  So before the reader lets HDF5
 * read strings, it reads their descriptors raw (through a conversion to an
 * opaque type that copies the file's bytes, registered once with HDF5) and
 * checks here, against the file's bytes, that every collection they name
 * parses as HDF5 would parse it, finitely and inside itself, and that each
 * string's object is there with exactly the string's length. */
#ifndef MC_HDF5_H5HEAP_H
#define MC_HDF5_H5HEAP_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mc_h5_heap mc_h5_heap;

/* A checker for an open file whose bytes are data[0..size) (the whole
 * file).  Collections parsed are cached; their bytes together may be at
 * most `limit`.  NULL when out of memory, or with why filled when the file's
 * address sizes are not ones HDF5 writes. */
mc_h5_heap *mc_h5_heap_new(hid_t file, const uint8_t *data, uint64_t size, uint64_t limit,
                           char *why, size_t whysize);
void mc_h5_heap_free(mc_h5_heap *h);

/* Check the n variable-length strings of attribute a / dataset d (whose
 * type the caller checked is a variable-length string).  0, or -1 with why
 * filled ("out of memory" when that is the reason). */
int mc_h5_heap_check_attr(mc_h5_heap *h, hid_t a, uint64_t n, char *why, size_t whysize);
int mc_h5_heap_check_dataset(mc_h5_heap *h, hid_t d, uint64_t n, char *why, size_t whysize);

#endif
