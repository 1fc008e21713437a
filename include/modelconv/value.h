/* modelconv — the value graph: what a pickle can safely hold.
 *
 * Readers (the pickle VM, the joblib container) build a graph of mc_value
 * nodes inside an mc_document; the document owns every node, string and
 * array it points to, and frees them all at once.  Values are read-only for
 * everyone else.  A value referenced twice in the pickle (through the memo)
 * is one node referenced twice; cycles are possible in principle, so walkers
 * mark what they visit (mc_value.id is a dense index for that).
 *
 * Array data of uncompressed inputs points straight into the mapped file
 * (zero copy); it is not aligned and is in the byte order of its dtype: read
 * it with the mc_array_* helpers or mc_load_* (bytes.h), never by casting.
 */
#ifndef MODELCONV_VALUE_H
#define MODELCONV_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "modelconv/dtype.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mc_kind {
    MC_NONE,
    MC_BOOL,
    MC_INT,        /* fits in int64                                        */
    MC_BIGINT,     /* Python int beyond int64: little-endian two's complement */
    MC_FLOAT,
    MC_COMPLEX,    /* builtins.complex                                      */
    MC_STR,        /* text, UTF-8                                           */
    MC_BYTES,      /* bytes; also Python 2 `str` (see mc_bytes.py2_str)     */
    MC_BYTEARRAY,
    MC_LIST,
    MC_TUPLE,
    MC_SET,
    MC_FROZENSET,
    MC_DICT,       /* also collections.OrderedDict etc. (mc_dict.cls)       */
    MC_NDARRAY,
    MC_SCALAR,     /* numpy scalar, e.g. numpy.float64(0.5)                 */
    MC_DTYPE,      /* numpy.dtype                                           */
    MC_GLOBAL,     /* a reference to a class or function (module.name)      */
    MC_OBJECT      /* an instance of an allowed class, kept symbolically    */
} mc_kind;

typedef struct mc_value mc_value;

/* How an object was constructed in the pickle. */
typedef enum mc_ctor {
    MC_CTOR_NEWOBJ,        /* cls.__new__(cls, *args)  (NEWOBJ)            */
    MC_CTOR_NEWOBJ_EX,     /* cls.__new__(cls, *args, **kwargs)            */
    MC_CTOR_REDUCE,        /* callable(*args)          (REDUCE)            */
    MC_CTOR_RECONSTRUCTOR, /* copyreg._reconstructor(cls, base, state)     */
    MC_CTOR_PYX_UNPICKLE,  /* Cython __pyx_unpickle_X(cls, checksum, state) */
    MC_CTOR_INST           /* INST / OBJ (protocol 0/1 old-style classes)  */
} mc_ctor;

/* How an ndarray was stored. */
typedef enum mc_array_origin {
    MC_ARR_RECONSTRUCT,    /* numpy _reconstruct + __setstate__            */
    MC_ARR_FROMBUFFER,     /* protocol-5 numpy _frombuffer                  */
    MC_ARR_JOBLIB,         /* joblib NumpyArrayWrapper, raw bytes in stream */
    MC_ARR_JOBLIB_LEGACY,  /* joblib < 0.10 NDArrayWrapper/ZNDArrayWrapper  */
    MC_ARR_NPY             /* a .npy file                                  */
} mc_array_origin;

typedef struct mc_ndarray {
    const mc_dtype *dtype;
    uint32_t ndim;
    const int64_t *shape;        /* ndim entries                            */
    uint64_t count;              /* product of shape                         */
    char order;                  /* memory order of `data`: 'C' or 'F'       */
    const uint8_t *data;         /* count * itemsize bytes (not object dtype) */
    uint64_t nbytes;
    const mc_value *const *objects; /* object dtype: count values, in `order` */
    const mc_value *subclass;    /* the array type (numpy.ndarray, matrix…)  */
    mc_array_origin origin;
    /* joblib >= 1.2 aligns raw data; -1 = no alignment key, 0 = None */
    int32_t joblib_alignment;
    int data_in_input;           /* 1 when data points into the mapped input */
} mc_ndarray;

struct mc_value {
    mc_kind kind;
    uint32_t id;                 /* dense per-document index, 0..count-1     */
    int64_t offset;              /* byte offset of the opcode that made it   */
    union {
        int boolean;
        int64_t i;
        double f;
        struct { double re, im; } complex;
        struct {
            const char *data;    /* NUL-terminated copy, UTF-8               */
            size_t len;          /* bytes, excluding the NUL                 */
        } str;
        struct {
            const uint8_t *data; /* may point into the input                 */
            size_t len;
            int py2_str;         /* a Python 2 `str` (BINSTRING, STRING)     */
        } bytes;                 /* also MC_BIGINT (two's complement) and    */
                                 /* MC_BYTEARRAY                             */
        struct {
            mc_value **items;
            size_t len;
            size_t cap;          /* private to the builder                   */
        } seq;                   /* MC_LIST, MC_TUPLE, MC_SET, MC_FROZENSET  */
        struct {
            mc_value **keys;
            mc_value **vals;
            size_t len;
            size_t cap;          /* private to the builder                   */
            const mc_value *cls; /* MC_GLOBAL (OrderedDict…) or NULL          */
        } dict;
        mc_ndarray array;
        struct {
            const mc_dtype *dtype;
            const uint8_t *data; /* dtype->itemsize bytes                    */
            const mc_value *object; /* object-dtype scalar, else NULL        */
        } scalar;
        const mc_dtype *dtype;
        struct {
            const char *module;
            const char *name;
            int verdict;         /* mc_verdict (scan.h)                      */
        } global;
        struct {
            const mc_value *cls;     /* MC_GLOBAL: the class instantiated;
                                        NULL only in scan mode, for what
                                        calling an unsafe global's result
                                        gave (an object of no known class) */
            const mc_value *via;     /* MC_GLOBAL reconstructor, or NULL      */
            mc_value *args;          /* MC_TUPLE, or NULL                     */
            mc_value *kwargs;        /* MC_DICT (NEWOBJ_EX), or NULL          */
            mc_value *state;         /* the BUILD argument, or NULL           */
            mc_value *listitems;     /* MC_LIST appended to it, or NULL       */
            mc_value *dictitems;     /* MC_DICT set into it, or NULL          */
            mc_ctor ctor;
        } object;
    } u;
};

/* ---- walking --------------------------------------------------------- */

const char *mc_kind_name(mc_kind kind);

/* Every value v refers to, for generic walks: items, dict keys and values,
 * an object's class, reconstructor, args, kwargs, state and list/dict parts,
 * an array's subclass and object elements, an object scalar's object.
 * Children may be NULL (skip those). */
size_t mc_value_child_count(const mc_value *v);
const mc_value *mc_value_child(const mc_value *v, size_t i);

/* Items of MC_LIST/MC_TUPLE/MC_SET/MC_FROZENSET; 0 for other kinds. */
size_t mc_value_len(const mc_value *v);
const mc_value *mc_value_item(const mc_value *v, size_t i);

/* True when v is text equal to s: MC_STR, or a Python 2 str (MC_BYTES with
 * py2_str).  Keys of Python 2 pickles are such bytes. */
int mc_value_is_str(const mc_value *v, const char *s);

/* Text of an MC_STR or Python-2 str value (not NUL-terminated for the
 * latter); NULL for other kinds. */
const char *mc_value_text(const mc_value *v, size_t *len);

/* Dict lookup by text key; NULL when absent or v is not a dict. */
const mc_value *mc_dict_get(const mc_value *dict, const char *key);

/* The state dict of an object (its BUILD argument, or the dict part of a
 * (dict, slots) state tuple); NULL when it has none. */
const mc_value *mc_object_state(const mc_value *obj);

/* Lookup in an object's state dict; NULL when absent. */
const mc_value *mc_object_get(const mc_value *obj, const char *key);

/* True when v is an MC_OBJECT of class module.name. */
int mc_object_is(const mc_value *v, const char *module, const char *name);

/* "module.name" of an MC_OBJECT's class or an MC_GLOBAL into buf. */
const char *mc_value_class_path(const mc_value *v, char *buf, size_t bufsize);

/* Numbers: MC_BOOL, MC_INT, or an integer/bool numpy scalar.  Returns 0 on
 * success, -1 when v is not such a number (or is out of range). */
int mc_value_to_int64(const mc_value *v, int64_t *out);
/* MC_INT, MC_BOOL, MC_FLOAT or a numeric (non-complex) numpy scalar. */
int mc_value_to_double(const mc_value *v, double *out);

/* Element i (in memory order) of a numeric array as a double; handles byte
 * order and unaligned data.  Returns -1 if the dtype is not a plain number or
 * i is out of range. */
int mc_array_get_f64(const mc_ndarray *a, uint64_t i, double *out);

#ifdef __cplusplus
}
#endif
#endif
