/* numpy dtypes in an HDF5 archive (private; schemas/hdf5-layout.md "numpy
 * dtypes"): the HDF5 type that holds a dtype's elements, numpy's descr text,
 * and @dtype_state, a JSON description that rebuilds the dtype exactly
 * (byte order, item size, fields and offsets, subarrays, the pickled
 * version, alignment and flags). */
#ifndef MC_HDF5_H5DTYPE_H
#define MC_HDF5_H5DTYPE_H

#include <hdf5.h>
#include <stddef.h>

#include "modelconv/dtype.h"
#include "read/document.h"

/* A growable NUL-terminated text; `failed` is set when out of memory. */
typedef struct mc_h5_text {
    char *buf;
    size_t len, cap;
    int failed;
} mc_h5_text;

void mc_h5_text_add(mc_h5_text *t, const char *s, size_t n);
void mc_h5_text_addf(mc_h5_text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void mc_h5_text_free(mc_h5_text *t);

/* Append dt's @dtype_state.  Returns 0, or -1 with why filled when the
 * layout cannot hold the dtype (metadata beyond strings and integers, a
 * title that is not a string). */
int mc_h5_dtype_json(const mc_dtype *dt, mc_h5_text *out, char *why, size_t whysize);

/* Build the dtype a @dtype_state describes, in doc.  Returns 0, or -1 with
 * why filled (not JSON, an unknown key, sizes that do not add up, ...);
 * doc's allocation failures also give -1 ("out of memory"). */
int mc_h5_dtype_parse(const char *text, size_t len, mc_document *doc, const mc_dtype **out,
                      char *why, size_t whysize);

/* The HDF5 type of dt's elements (close with H5Tclose): numbers and bool
 * as themselves in dt's byte order, complex as {r, i}, S as fixed strings,
 * U as arrays of UCS-4 code units (uint32), datetimes as int64, structured
 * dtypes as compounds with numpy's names and offsets, subarrays as HDF5
 * arrays, and anything else HDF5 has no type for as opaque bytes (empty
 * tag, as h5py).  -1 for object dtypes and item size 0. */
hid_t mc_h5_dtype_type(const mc_dtype *dt);

/* numpy's descr for dt: dtype.str, or the field list of a structured
 * dtype ("[('a', '<i8'), ('', '|V4')]"). */
void mc_h5_dtype_descr(const mc_dtype *dt, mc_h5_text *out);

#endif
