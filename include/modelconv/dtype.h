/* modelconv — numpy data types, as the pickle or .npy header describes them.
 *
 * A dtype is immutable once its reader has built it, and lives as long as the
 * mc_document (or other owner) that built it.
 */
#ifndef MODELCONV_DTYPE_H
#define MODELCONV_DTYPE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mc_value;

typedef struct mc_dtype_field {
    const char *name;                /* UTF-8, NUL-terminated              */
    const struct mc_dtype *dtype;
    int64_t offset;                  /* byte offset inside the record      */
    const struct mc_value *title;    /* numpy field title, or NULL         */
} mc_dtype_field;

typedef struct mc_dtype {
    /* numpy kind: 'b' bool, 'i' signed, 'u' unsigned, 'f' float, 'c' complex,
     * 'S' bytes, 'U' unicode (UCS-4), 'V' void/structured, 'O' object,
     * 'M' datetime64, 'm' timedelta64 */
    char kind;
    char byteorder;                  /* '<', '>' or '|' (byte order n/a)   */
    uint32_t itemsize;               /* bytes per element                  */
    int32_t alignment;               /* as pickled; -1 when not recorded   */
    int32_t flags;                   /* numpy's dtype flags, as pickled    */
    int32_t state_version;           /* numpy setstate version (0..4), -1  */

    uint32_t nfields;                /* structured dtypes: fields in       */
    const mc_dtype_field *fields;    /* declaration (`names`) order        */

    const struct mc_dtype *subarray_base;   /* subarray dtype, or NULL     */
    uint32_t subarray_ndim;
    const int64_t *subarray_shape;

    char datetime_unit[8];           /* 'M'/'m': "ns", "s", "D", ... or "" */
    int32_t datetime_count;          /* the multiplier, e.g. 1             */
    const struct mc_value *metadata; /* numpy dtype metadata dict, or NULL */
} mc_dtype;

/* numpy's dtype.str, e.g. "<f8", "|u1", "<U5", "|V56", "<M8[ns]".
 * Writes at most bufsize bytes including the NUL; returns buf. */
char *mc_dtype_str(const mc_dtype *dt, char *buf, unsigned bufsize);

/* True when values of this dtype need swapping to be read on this machine. */
int mc_dtype_needs_swap(const mc_dtype *dt);

/* True when elements hold Python objects (kind 'O', or a field or subarray
 * that does): numpy pickles such arrays as lists of their elements. */
int mc_dtype_has_object(const mc_dtype *dt);

/* True for 'b','i','u','f' dtypes of a size C has (1,2,4,8; floats 2,4,8). */
int mc_dtype_is_plain_number(const mc_dtype *dt);

#ifdef __cplusplus
}
#endif
#endif
