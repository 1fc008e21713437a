/* Read-only accessors of the value graph (include/modelconv/value.h). */
#include "modelconv/value.h"

#include <stdio.h>
#include <string.h>

#include "core/bytes.h"

const char *mc_kind_name(mc_kind kind)
{
    static const char *const names[] = {
        [MC_NONE] = "None",        [MC_BOOL] = "bool",       [MC_INT] = "int",
        [MC_BIGINT] = "int",       [MC_FLOAT] = "float",     [MC_COMPLEX] = "complex",
        [MC_STR] = "str",          [MC_BYTES] = "bytes",     [MC_BYTEARRAY] = "bytearray",
        [MC_LIST] = "list",        [MC_TUPLE] = "tuple",     [MC_SET] = "set",
        [MC_FROZENSET] = "frozenset", [MC_DICT] = "dict",    [MC_NDARRAY] = "ndarray",
        [MC_SCALAR] = "numpy scalar", [MC_DTYPE] = "dtype",  [MC_GLOBAL] = "global",
        [MC_OBJECT] = "object",
    };
    if ((unsigned)kind < sizeof names / sizeof names[0] && names[kind])
        return names[kind];
    return "?";
}

static int is_seq(const mc_value *v)
{
    return v && (v->kind == MC_LIST || v->kind == MC_TUPLE || v->kind == MC_SET ||
                 v->kind == MC_FROZENSET);
}

size_t mc_value_len(const mc_value *v)
{
    return is_seq(v) ? v->u.seq.len : 0;
}

const mc_value *mc_value_item(const mc_value *v, size_t i)
{
    return is_seq(v) && i < v->u.seq.len ? v->u.seq.items[i] : NULL;
}

size_t mc_value_child_count(const mc_value *v)
{
    if (!v)
        return 0;
    switch (v->kind) {
    case MC_LIST:
    case MC_TUPLE:
    case MC_SET:
    case MC_FROZENSET: return v->u.seq.len;
    case MC_DICT: return 2 * v->u.dict.len + 1;
    case MC_OBJECT: return 7;
    case MC_NDARRAY: return 1 + (v->u.array.objects ? v->u.array.count : 0);
    case MC_SCALAR: return 1;
    default: return 0;
    }
}

const mc_value *mc_value_child(const mc_value *v, size_t i)
{
    if (i >= mc_value_child_count(v))
        return NULL;
    switch (v->kind) {
    case MC_DICT:
        if (i == 0)
            return v->u.dict.cls;
        i--;
        return i % 2 ? v->u.dict.vals[i / 2] : v->u.dict.keys[i / 2];
    case MC_OBJECT: {
        const mc_value *parts[7] = {v->u.object.cls,    v->u.object.via,       v->u.object.args,
                                    v->u.object.kwargs, v->u.object.state,     v->u.object.listitems,
                                    v->u.object.dictitems};
        return parts[i];
    }
    case MC_NDARRAY:
        return i == 0 ? v->u.array.subclass : v->u.array.objects[i - 1];
    case MC_SCALAR:
        return v->u.scalar.object;
    default:
        return v->u.seq.items[i];
    }
}

const char *mc_value_text(const mc_value *v, size_t *len)
{
    if (!v)
        return NULL;
    if (v->kind == MC_STR) {
        if (len)
            *len = v->u.str.len;
        return v->u.str.data;
    }
    if (v->kind == MC_BYTES && v->u.bytes.py2_str) {
        if (len)
            *len = v->u.bytes.len;
        return (const char *)v->u.bytes.data;
    }
    return NULL;
}

int mc_value_is_str(const mc_value *v, const char *s)
{
    size_t len;
    const char *t = mc_value_text(v, &len);
    return t && len == strlen(s) && memcmp(t, s, len) == 0;
}

const mc_value *mc_dict_get(const mc_value *dict, const char *key)
{
    if (!dict || dict->kind != MC_DICT)
        return NULL;
    /* Backwards: with repeated keys the last one wins, as in Python. */
    for (size_t i = dict->u.dict.len; i-- > 0;)
        if (mc_value_is_str(dict->u.dict.keys[i], key))
            return dict->u.dict.vals[i];
    return NULL;
}

const mc_value *mc_object_state(const mc_value *obj)
{
    if (!obj || obj->kind != MC_OBJECT || !obj->u.object.state)
        return NULL;
    const mc_value *s = obj->u.object.state;
    if (s->kind == MC_DICT)
        return s;
    /* (dict, slots) as object.__reduce_ex__ gives for classes with slots */
    if (s->kind == MC_TUPLE && s->u.seq.len == 2 && s->u.seq.items[0]->kind == MC_DICT)
        return s->u.seq.items[0];
    return NULL;
}

const mc_value *mc_object_get(const mc_value *obj, const char *key)
{
    return mc_dict_get(mc_object_state(obj), key);
}

int mc_object_is(const mc_value *v, const char *module, const char *name)
{
    return v && v->kind == MC_OBJECT && v->u.object.cls &&
           strcmp(v->u.object.cls->u.global.module, module) == 0 &&
           strcmp(v->u.object.cls->u.global.name, name) == 0;
}

const char *mc_value_class_path(const mc_value *v, char *buf, size_t bufsize)
{
    const mc_value *g = NULL;
    if (v && v->kind == MC_GLOBAL)
        g = v;
    else if (v && v->kind == MC_OBJECT)
        g = v->u.object.cls;
    if (!g || bufsize == 0) {
        if (bufsize)
            buf[0] = '\0';
        return buf;
    }
    snprintf(buf, bufsize, "%s.%s", g->u.global.module, g->u.global.name);
    return buf;
}

/* A numpy scalar's bytes in host order, for plain-number dtypes. */
static int scalar_bytes(const mc_dtype *dt, const uint8_t *src, uint8_t out[16])
{
    if (!mc_dtype_is_plain_number(dt))
        return -1;
    memcpy(out, src, dt->itemsize);
    if (mc_dtype_needs_swap(dt))
        mc_swap_bytes(out, dt->itemsize);
    return 0;
}

/* Decode one plain-number element to double (and to int64 when integral). */
static int decode_number(const mc_dtype *dt, const uint8_t *src, double *d, int64_t *i,
                         int *is_int)
{
    uint8_t b[16];
    if (scalar_bytes(dt, src, b))
        return -1;
    *is_int = 1;
    switch (dt->kind) {
    case 'b':
        *i = b[0] != 0;
        *d = (double)*i;
        return 0;
    case 'i':
        switch (dt->itemsize) {
        case 1: { int8_t x; memcpy(&x, b, 1); *i = x; break; }
        case 2: { int16_t x; memcpy(&x, b, 2); *i = x; break; }
        case 4: { int32_t x; memcpy(&x, b, 4); *i = x; break; }
        case 8: { int64_t x; memcpy(&x, b, 8); *i = x; break; }
        default: return -1;
        }
        *d = (double)*i;
        return 0;
    case 'u':
        switch (dt->itemsize) {
        case 1: { uint8_t x; memcpy(&x, b, 1); *i = x; *d = x; break; }
        case 2: { uint16_t x; memcpy(&x, b, 2); *i = x; *d = x; break; }
        case 4: { uint32_t x; memcpy(&x, b, 4); *i = x; *d = x; break; }
        case 8: {
            uint64_t x;
            memcpy(&x, b, 8);
            *d = (double)x;
            if (x > INT64_MAX)
                *is_int = 0; /* representable only as double */
            else
                *i = (int64_t)x;
            break;
        }
        default: return -1;
        }
        return 0;
    case 'f':
        *is_int = 0;
        if (dt->itemsize == 8) {
            memcpy(d, b, 8);
        } else if (dt->itemsize == 4) {
            float f;
            memcpy(&f, b, 4);
            *d = f;
        } else if (dt->itemsize == 2) {
            uint16_t h = mc_load_u16le(b);
            if (!mc_host_is_le())
                h = (uint16_t)((h >> 8) | (h << 8));
            int e = (h >> 10) & 0x1f, m = h & 0x3ff;
            double v = e == 0 ? m * 0x1p-24 : e == 31 ? (m ? __builtin_nan("") : __builtin_inf())
                                                      : (1024 + m) * __builtin_ldexp(1.0, e - 25);
            *d = (h & 0x8000) ? -v : v;
        } else {
            return -1;
        }
        return 0;
    }
    return -1;
}

int mc_value_to_int64(const mc_value *v, int64_t *out)
{
    if (!v)
        return -1;
    if (v->kind == MC_INT) {
        *out = v->u.i;
        return 0;
    }
    if (v->kind == MC_BOOL) {
        *out = v->u.boolean;
        return 0;
    }
    if (v->kind == MC_SCALAR && v->u.scalar.data) {
        const mc_dtype *dt = v->u.scalar.dtype;
        double d;
        int is_int;
        if (dt->kind == 'f' || decode_number(dt, v->u.scalar.data, &d, out, &is_int) || !is_int)
            return -1;
        return 0;
    }
    return -1;
}

int mc_value_to_double(const mc_value *v, double *out)
{
    if (!v)
        return -1;
    switch (v->kind) {
    case MC_INT: *out = (double)v->u.i; return 0;
    case MC_BOOL: *out = v->u.boolean; return 0;
    case MC_FLOAT: *out = v->u.f; return 0;
    case MC_SCALAR: {
        if (!v->u.scalar.data)
            return -1;
        int64_t i;
        int is_int;
        return decode_number(v->u.scalar.dtype, v->u.scalar.data, out, &i, &is_int);
    }
    default: return -1;
    }
}

int mc_array_get_f64(const mc_ndarray *a, uint64_t i, double *out)
{
    if (!a->data || i >= a->count)
        return -1;
    int64_t iv;
    int is_int;
    return decode_number(a->dtype, a->data + i * a->dtype->itemsize, out, &iv, &is_int);
}
