/* The .npy format (numpy/lib/format.py): read a header, write a file.
 *
 *   "\x93NUMPY" major minor  hlen (u16le for 1.0, u32le for 2.0/3.0)
 *   header: a Python dict literal {'descr': ..., 'fortran_order': ...,
 *           'shape': (...)} padded with spaces and '\n' (latin-1 for 1.0 and
 *           2.0, utf-8 for 3.0)
 *   data:   count * itemsize bytes, or a pickle for object dtypes.
 */
#ifndef MC_IO_NPY_H
#define MC_IO_NPY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/arena.h"
#include "modelconv/dtype.h"
#include "modelconv/error.h"

#define MC_NPY_MAX_NDIM 32
#define MC_NPY_MAX_HEADER ((uint32_t)1 << 20) /* header length cap, bytes */

typedef struct mc_npy_header {
    const mc_dtype *dtype;     /* allocated in the caller's arena                        */
    int fortran_order;
    uint32_t ndim;
    int64_t shape[MC_NPY_MAX_NDIM];
    uint64_t count;            /* product of shape (overflow-checked)                    */
    uint64_t nbytes;           /* count * itemsize (overflow-checked); 0 for object dtype */
    size_t data_offset;        /* where the array data begins                            */
    int has_object;            /* object dtype: data is a pickle (allow_pickle)          */
    uint8_t version_major;     /* 1, 2 or 3                                              */
    uint8_t version_minor;
} mc_npy_header;

/* Parse the header of a .npy file held in data[0..len).  Versions 1.0, 2.0,
 * 3.0.  Checks the magic, the header length against len and against a 1 MiB
 * cap, parses the Python-literal dict {'descr': ..., 'fortran_order': ...,
 * 'shape': (...)} exactly (keys in any order, trailing commas, spaces), and
 * for non-object dtypes checks data_offset + nbytes <= len.  descr may be a
 * type string ('<f8', '|u1', '<U5', '|S3', '|b1', '<c16', '<M8[ns]', '|O') or
 * a structured descr list [('name', '<f8'), ('name2', '<i4', (2,)),
 * (('title', 'name'), '<f8'), ('nested', [...])] with numpy's implicit packed
 * offsets ('' + void entries are padding); '|V8'-style void too.  The dtype
 * (and its fields, names, subarray shapes) live in `arena`; nothing else is
 * kept, and field titles are not (mc_dtype_field.title stays NULL).
 * Errors: MC_E_INPUT with the byte offset in data; MC_E_NOMEM. */
mc_status mc_npy_parse(const uint8_t *data, size_t len, mc_arena *arena, mc_npy_header *h,
                       mc_error *err);

/* Parse a numpy type string like "<f8", "f8", "=i4", "|b1", "U5", "V56",
 * "<M8[ns]", "m8[5s]", "|O" (and numpy's one-letter codes: "d", "?", ...)
 * from s[0..n) into *out (no allocation: fields/subarray stay empty).  '=' and
 * no prefix mean native ('<' here); the result uses numpy's byte order rules:
 * '|' for 1-byte numbers and for S, V, O; 'U' is '<' or '>'.  'U' itemsize is
 * 4*n.  Returns 0, or -1 if it is not a valid type string. */
int mc_dtype_parse_str(const char *s, size_t n, mc_dtype *out);

/* Write a complete .npy (version 1.0, or 2.0 if the header needs it) with
 * numpy's header layout and padding (to a multiple of 64 bytes), byte for byte
 * what np.save writes for the same array; descr is a type string such as "<f8"
 * or "<U7" (not object), data in C order, nbytes = product(shape) * itemsize.
 * Errors: MC_E_IO (write failed), MC_E_USAGE (bad descr, shape or nbytes). */
mc_status mc_npy_write(FILE *f, const char *descr, const int64_t *shape, uint32_t ndim,
                       const void *data, size_t nbytes, mc_error *err);

#endif
