/* What the HDF5 writer and reader share (private): the layout's names and
 * limits, the session that keeps HDF5 quiet, HDF5 types of the layout,
 * name escaping and the path used in messages. */
#ifndef MC_HDF5_H5COMMON_H
#define MC_HDF5_H5COMMON_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#include "modelconv/error.h"

/* schemas/hdf5-layout.md */
#define MC_H5_FORMAT_NAME "modelconv model archive"
enum { MC_H5_MAJOR = 1, MC_H5_MINOR = 0 };

enum {
    /* datasets up to this many bytes are compact, larger ones chunked */
    MC_H5_COMPACT_MAX = 4096,
    /* target bytes per chunk */
    MC_H5_CHUNK_TARGET = 1 << 20,
    /* str values longer than this are datasets, not attributes */
    MC_H5_STR_ATTR_MAX = 16384,
    /* Python ints beyond int64 are kept up to this many bytes (two's
     * complement); converting to and from decimal is quadratic */
    MC_H5_BIGINT_MAX = 16384,
    /* value nesting, as Python's default recursion limit */
    MC_H5_MAX_DEPTH = 1000,
    /* dtype descriptions (@dtype_state) and other JSON-ish texts */
    MC_H5_TEXT_MAX = 1 << 20
};

/* ---- the session: one per read or write ------------------------------- */

typedef struct mc_h5_session {
    H5E_auto2_t saved_func;   /* the calling thread's error printer     */
    void *saved_data;
    int locked;               /* holds the fallback mutex              */
} mc_h5_session;

/* Start using HDF5: silence its error printing (for this thread in a
 * thread-safe library) and, when the library is not thread-safe, take the
 * process-wide mutex.  End restores both. */
void mc_h5_begin(mc_h5_session *s);
void mc_h5_end(mc_h5_session *s);

/* The most specific message on HDF5's error stack (e.g. "truncated file:
 * eof = 1024, ..."), or "" if none; clears the stack. */
void mc_h5_last_error(char *buf, size_t size);

/* ---- paths for messages and links ------------------------------------- */

typedef struct mc_h5_path {
    char *buf;                /* NUL-terminated, "/" for the root       */
    size_t len, cap;
} mc_h5_path;

int mc_h5_path_init(mc_h5_path *p);
void mc_h5_path_free(mc_h5_path *p);
/* Append "/name" (no slash doubling at the root); returns the old length to
 * pass to mc_h5_path_pop, or (size_t)-1 when out of memory. */
size_t mc_h5_path_push(mc_h5_path *p, const char *name);
void mc_h5_path_pop(mc_h5_path *p, size_t len);

/* ---- names ---------------------------------------------------------- */

/* A value's name as an HDF5 link or attribute name (layout "Values"):
 * '%' -> %25, '/' -> %2F, a NUL byte -> %00, a leading '@' -> %40, "." ->
 * %2E, "" -> "%".  Returns a malloc'd string, NULL when out of memory. */
char *mc_h5_escape(const char *s, size_t len);

/* ---- HDF5 types of the layout --------------------------------------- */

/* Each returns a new type id (close with H5Tclose), or -1. */
hid_t mc_h5_type_vlen_str(void);              /* variable-length UTF-8   */
hid_t mc_h5_type_fixed_str(size_t len, int utf8); /* NULLPAD, len >= 1    */
hid_t mc_h5_type_bool(void);                  /* enum int8 FALSE/TRUE    */
hid_t mc_h5_type_complex(hid_t part);         /* compound {r, i}         */
hid_t mc_h5_type_f16(int big_endian);         /* IEEE half, as h5py      */

/* ---- property lists ------------------------------------------------- */

/* The creation property lists every object of an archive uses: creation
 * order of links tracked and indexed, object times off, UTF-8 names. */
typedef struct mc_h5_plists {
    hid_t fcpl, fapl, gcpl, lcpl, acpl;
} mc_h5_plists;

int mc_h5_plists_open(mc_h5_plists *p);
void mc_h5_plists_close(mc_h5_plists *p);
/* A dataset creation list with the archive's settings (caller closes). */
hid_t mc_h5_dcpl(void);

/* ---- attributes ------------------------------------------------------- */

/* Write an attribute of obj; 0 on success, -1 on failure (HDF5's stack
 * says why). */
int mc_h5_attr_str(hid_t obj, const char *name, const char *s, hid_t acpl);
int mc_h5_attr_i64(hid_t obj, const char *name, int64_t v, hid_t acpl);
int mc_h5_attr_f64(hid_t obj, const char *name, double v, hid_t acpl);
int mc_h5_attr_bool(hid_t obj, const char *name, int v, hid_t acpl);
int mc_h5_attr_null(hid_t obj, const char *name, hid_t acpl);
int mc_h5_attr_complex(hid_t obj, const char *name, double re, double im, hid_t acpl);
int mc_h5_attr_i64_list(hid_t obj, const char *name, const int64_t *v, size_t n, hid_t acpl);
int mc_h5_attr_str_list(hid_t obj, const char *name, const char *const *s, size_t n, hid_t acpl);

#endif

/* ---- Python ints beyond int64 --------------------------------------------- */

/* Decimal digits (with a leading '-') of the little-endian two's complement
 * integer b[0..n); n <= MC_H5_BIGINT_MAX.  malloc'd; NULL when out of
 * memory. */
char *mc_h5_bigint_to_decimal(const uint8_t *b, size_t n);

/* The minimal little-endian two's complement bytes (as pickle's LONG
 * opcodes hold them) of decimal text s[0..len): into out (room for
 * MC_H5_BIGINT_MAX bytes), *n set.  -1 when s is not an optional '-' and
 * digits without leading zeros, or does not fit. */
int mc_h5_bigint_from_decimal(const char *s, size_t len, uint8_t *out, size_t *n);

/* Close an HDF5 id (close is H5Aclose, H5Dclose, H5Gclose, H5Pclose,
 * H5Sclose or H5Tclose) without losing the error stack a failed call left:
 * every HDF5 call clears it on entry. */
void mc_h5_close(herr_t (*close)(hid_t), hid_t id);
