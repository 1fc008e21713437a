/* HDF5 archives: the neutral model as an HDF5 file (schemas/hdf5-layout.md,
 * format version 1.0), written and read through the HDF5 C library.
 *
 * Threads: every call runs its HDF5 work in one "session" (h5common.h) that
 * silences HDF5's error printing for the calling thread only and restores
 * it afterwards.  Debian's libhdf5 1.10.8 is built thread-safe (one global
 * lock inside the library: HDF5 calls of different threads run one at a
 * time, and error stacks are per thread); with a library built without
 * thread safety the session serializes modelconv's own HDF5 use with a
 * mutex, but other code of the process must not call HDF5 at the same time.
 * The writer's compression threads never call HDF5. */
#ifndef MC_HDF5_HDF5_H
#define MC_HDF5_HDF5_H

#include <stddef.h>
#include <stdint.h>

#include "modelconv/formats.h"
#include "modelconv/model.h"

/* 100 when head[0..n) holds the HDF5 signature at offset 0, 512, 1024, ...
 * (where a userblock may put it, as far as n reaches); 0 otherwise. */
int mc_hdf5_bid(const uint8_t *head, size_t n);

/* Read an archive into a new model (free with mc_model_free).  Every
 * failure about the file's content is MC_E_INPUT with the HDF5 path in
 * err->where and what was expected and found in the message. */
mc_status mc_hdf5_read(const char *path, mc_load_purpose purpose, mc_model **out,
                       mc_error *err);

/* Write m to path (created or truncated) in the layout of
 * schemas/hdf5-layout.md; o may be NULL (deflate level 4).  MC_E_INPUT when
 * the model holds something the layout cannot (a cyclic value, a dtype with
 * metadata), MC_E_IO when writing fails. */
mc_status mc_hdf5_write(const mc_model *m, const char *path, const mc_save_options *o,
                        mc_error *err);

#endif
