/* Helpers family mappings use to build models from scikit-learn state. */
#include "model/mapper.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"
#include "core/sizes.h"
#include "core/utf8.h"
#include "model/model_box.h"

mc_status mc_map_fail(mc_mapper *mp, const char *sub, const char *fmt, ...)
{
    if (!mp->err)
        return MC_E_INPUT;
    char where[sizeof mp->err->where];
    snprintf(where, sizeof where, "%.200s%s%.50s", mp->path[0] ? mp->path : "(estimator)",
             sub && sub[0] != '[' ? "." : "", sub ? sub : "");
    va_list ap;
    va_start(ap, fmt);
    mc_error_vset(mp->err, MC_E_INPUT, -1, fmt, ap);
    va_end(ap);
    mc_error_set_where(mp->err, where);
    return MC_E_INPUT;
}

mc_status mc_map_nomem(mc_mapper *mp)
{
    return mc_error_set(mp->err, MC_E_NOMEM, -1, "out of memory");
}

int mc_map_version_at_least(const mc_mapper *mp, int major, int minor)
{
    return mp->sk_major > major || (mp->sk_major == major && mp->sk_minor >= minor);
}

mc_value *mc_map_new_value(mc_mapper *mp, mc_kind kind)
{
    return mc_doc_value(mp->doc, kind, -1);
}

const mc_value *mc_map_get(mc_mapper *mp, const mc_value *est, const char *key, int required)
{
    const mc_value *v = mc_object_get(est, key);
    if (!v && required)
        mc_map_fail(mp, key, "missing (the estimator's state has no '%s')", key);
    return v;
}

mc_status mc_map_int(mc_mapper *mp, const mc_value *v, const char *what, int64_t *out)
{
    if (!v || mc_value_to_int64(v, out))
        return mc_map_fail(mp, what, "expected an integer, found %s",
                           v ? mc_kind_name(v->kind) : "nothing");
    return MC_OK;
}

mc_status mc_map_double(mc_mapper *mp, const mc_value *v, const char *what, double *out)
{
    if (!v || mc_value_to_double(v, out))
        return mc_map_fail(mp, what, "expected a number, found %s",
                           v ? mc_kind_name(v->kind) : "nothing");
    return MC_OK;
}

const char *mc_map_text(mc_mapper *mp, const mc_value *v, const char *what)
{
    size_t n;
    const char *t = mc_value_text(v, &n);
    if (!t) {
        mc_map_fail(mp, what, "expected a string, found %s", v ? mc_kind_name(v->kind) : "nothing");
        return NULL;
    }
    if (v->kind == MC_STR)
        return t; /* already NUL-terminated */
    char *c = mc_doc_strndup(mp->doc, t, n);
    if (!c)
        mc_map_nomem(mp);
    return c;
}

/* ---- tensors ---------------------------------------------------------- */

mc_tensor *mc_map_new_tensor(mc_mapper *mp, mc_model *m, const char *name, uint32_t ndim,
                             const int64_t *shape)
{
    const mc_tensor_spec *spec = mc_family_spec(mp->family, name);
    if (!spec) {
        mc_map_fail(mp, name, "internal: family '%s' has no tensor '%s' in its table",
                    mp->family->name, name);
        return NULL;
    }
    if (mc_model_tensor(m, name)) {
        mc_map_fail(mp, name, "internal: tensor made twice");
        return NULL;
    }
    if (ndim > MC_TENSOR_MAX_DIMS) {
        mc_map_fail(mp, name, "%u dimensions (at most %d)", ndim, MC_TENSOR_MAX_DIMS);
        return NULL;
    }
    uint64_t count;
    if (mc_shape_product(shape, ndim, &count)) {
        mc_map_fail(mp, name, "shape overflows");
        return NULL;
    }
    if (!m->tensors) {
        m->tensors = mc_doc_alloc(mp->doc, (mp->family->nspecs + 1) * sizeof *m->tensors);
        if (!m->tensors) {
            mc_map_nomem(mp);
            return NULL;
        }
    }
    mc_tensor *t = &m->tensors[m->ntensors];
    memset(t, 0, sizeof *t);
    t->name = spec->name;
    t->elem = spec->elem;
    t->ndim = ndim;
    if (ndim) /* shape may be NULL for a scalar */
        memcpy(t->shape, shape, ndim * sizeof *shape);
    t->count = count;
    uint64_t bytes;
    if (mc_mul_u64(count, mc_elem_size(t->elem), &bytes) || bytes > SIZE_MAX) {
        mc_map_fail(mp, name, "tensor too large");
        return NULL;
    }
    t->data.ptr = mc_doc_alloc(mp->doc, bytes ? (size_t)bytes : 1);
    if (!t->data.ptr) {
        mc_map_nomem(mp);
        return NULL;
    }
    m->ntensors++;
    return t;
}

static int elem_of_dtype(const mc_dtype *dt, mc_elem *out)
{
    if (!mc_dtype_is_plain_number(dt))
        return -1;
    switch (dt->kind) {
    case 'f':
        *out = dt->itemsize == 4 ? MC_ELEM_F32 : MC_ELEM_F64;
        return dt->itemsize == 2 ? -1 : 0;
    case 'i':
        *out = dt->itemsize == 8 ? MC_ELEM_I64 : MC_ELEM_I32;
        return dt->itemsize == 8 || dt->itemsize == 4 ? 0 : -1;
    case 'u':
        *out = dt->itemsize == 4 ? MC_ELEM_U32 : MC_ELEM_U8;
        return dt->itemsize == 4 || dt->itemsize == 1 ? 0 : -1;
    case 'b':
        *out = MC_ELEM_U8;
        return 0;
    }
    return -1;
}

/* Store number d (read from the source) as element i of t; -1 if it does
 * not fit the type exactly. */
static int store(mc_tensor *t, uint64_t i, double d, int64_t iv, int is_int)
{
    switch (t->elem) {
    case MC_ELEM_F64: t->data.f64[i] = is_int ? (double)iv : d; return 0;
    case MC_ELEM_F32:
        if (!is_int && !isnan(d) && (double)(float)d != d)
            return -1;
        t->data.f32[i] = (float)(is_int ? (double)iv : d);
        return 0;
    case MC_ELEM_I64:
        if (!is_int)
            return -1;
        t->data.i64[i] = iv;
        return 0;
    case MC_ELEM_I32:
        if (!is_int || iv < INT32_MIN || iv > INT32_MAX)
            return -1;
        t->data.i32[i] = (int32_t)iv;
        return 0;
    case MC_ELEM_U32:
        if (!is_int || iv < 0 || iv > UINT32_MAX)
            return -1;
        t->data.u32[i] = (uint32_t)iv;
        return 0;
    case MC_ELEM_U8:
        if (!is_int || iv < 0 || iv > 255)
            return -1;
        t->data.u8[i] = (uint8_t)iv;
        return 0;
    case MC_ELEM_STR: return -1;
    }
    return -1;
}

/* Element k in C order of a (possibly Fortran-ordered) array: its offset in
 * elements. */
static uint64_t c_index_to_memory(const mc_ndarray *a, uint64_t k)
{
    if (a->order != 'F' || a->ndim < 2)
        return k;
    uint64_t off = 0, stride = 1, idx[64];
    for (uint32_t d = a->ndim; d-- > 0;) {
        idx[d] = k % (uint64_t)a->shape[d];
        k /= (uint64_t)a->shape[d];
    }
    for (uint32_t d = 0; d < a->ndim; d++) {
        off += idx[d] * stride;
        stride *= (uint64_t)a->shape[d];
    }
    return off;
}

/* Read element at memory offset `at` of a plain-number array. */
static void load_number(const mc_ndarray *a, uint64_t at, double *d, int64_t *iv, int *is_int)
{
    const mc_dtype *dt = a->dtype;
    uint8_t b[8];
    memcpy(b, a->data + at * dt->itemsize, dt->itemsize);
    if (mc_dtype_needs_swap(dt))
        mc_swap_bytes(b, dt->itemsize);
    *is_int = dt->kind != 'f';
    switch (dt->kind) {
    case 'f':
        if (dt->itemsize == 8)
            memcpy(d, b, 8);
        else {
            float f;
            memcpy(&f, b, 4);
            *d = f;
        }
        return;
    case 'b': *iv = b[0] != 0; return;
    case 'u':
        if (dt->itemsize == 8) {
            uint64_t u;
            memcpy(&u, b, 8);
            *iv = u > INT64_MAX ? -1 : (int64_t)u;
            if (u > INT64_MAX)
                *is_int = 0, *d = NAN; /* does not fit any integer tensor */
        } else if (dt->itemsize == 4) {
            uint32_t u;
            memcpy(&u, b, 4);
            *iv = u;
        } else if (dt->itemsize == 2) {
            uint16_t u;
            memcpy(&u, b, 2);
            *iv = u;
        } else {
            *iv = b[0];
        }
        return;
    case 'i':
        if (dt->itemsize == 8) {
            memcpy(iv, b, 8);
        } else if (dt->itemsize == 4) {
            int32_t x;
            memcpy(&x, b, 4);
            *iv = x;
        } else if (dt->itemsize == 2) {
            int16_t x;
            memcpy(&x, b, 2);
            *iv = x;
        } else {
            *iv = (int8_t)b[0];
        }
        return;
    }
}

/* Store number value v (int, bool, float or numeric numpy scalar) as
 * element i of t. */
static mc_status store_value(mc_mapper *mp, mc_tensor *t, uint64_t i, const mc_value *v,
                             const char *name)
{
    double d = 0;
    int64_t iv = 0;
    int is_int = mc_value_to_int64(v, &iv) == 0 && v->kind != MC_FLOAT;
    if (!is_int && mc_value_to_double(v, &d))
        return mc_map_fail(mp, name, "expected numbers, found %s", mc_kind_name(v->kind));
    if (store(t, i, d, iv, is_int))
        return mc_map_fail(mp, name, "value does not fit %s", mc_elem_name(t->elem));
    return MC_OK;
}

/* An object ndarray whose elements are all numbers (e.g. SimpleImputer's
 * statistics_ for strategy='constant' since scikit-learn 1.8). */
static mc_status tensor_from_objects(mc_mapper *mp, mc_model *m, const char *name,
                                     const mc_ndarray *a, mc_tensor **out)
{
    if (a->ndim > MC_TENSOR_MAX_DIMS)
        return mc_map_fail(mp, name, "array of %u dimensions", a->ndim);
    mc_tensor *t = mc_map_new_tensor(mp, m, name, a->ndim, a->shape);
    if (!t)
        return mp->err ? mp->err->status : MC_E_INPUT;
    for (uint64_t k = 0; k < a->count; k++) {
        mc_status st = store_value(mp, t, k, a->objects[c_index_to_memory(a, k)], name);
        if (st)
            return st;
    }
    *out = t;
    return MC_OK;
}

static mc_status tensor_from_ndarray(mc_mapper *mp, mc_model *m, const char *name,
                                     const mc_ndarray *a, mc_tensor **out)
{
    if (a->objects)
        return tensor_from_objects(mp, m, name, a, out);
    const mc_tensor_spec *spec = mc_family_spec(mp->family, name);
    if (!spec)
        return mc_map_fail(mp, name, "internal: family '%s' has no tensor '%s'", mp->family->name,
                           name);
    mc_elem src;
    char dts[32] = "none";
    if (!a->dtype || elem_of_dtype(a->dtype, &src))
        return mc_map_fail(mp, name, "expected a numeric array, found dtype %s",
                           a->dtype ? mc_dtype_str(a->dtype, dts, sizeof dts) : dts);
    if (a->ndim > MC_TENSOR_MAX_DIMS)
        return mc_map_fail(mp, name, "array of %u dimensions", a->ndim);
    size_t isz = mc_elem_size(spec->elem);
    int aligned = ((uintptr_t)a->data % isz) == 0;
    int c_order = a->order == 'C' || a->ndim < 2;
    if (src == spec->elem && aligned && c_order && !mc_dtype_needs_swap(a->dtype) &&
        a->dtype->kind != 'b') {
        /* zero copy: the array already is what the tensor needs */
        mc_tensor *t = mc_map_new_tensor(mp, m, name, 0, NULL);
        if (!t)
            return mp->err ? mp->err->status : MC_E_INPUT;
        t->ndim = a->ndim;
        memcpy(t->shape, a->shape, a->ndim * sizeof *a->shape);
        t->count = a->count;
        t->data.ptr = (void *)a->data;
        *out = t;
        return MC_OK;
    }
    mc_tensor *t = mc_map_new_tensor(mp, m, name, a->ndim, a->shape);
    if (!t)
        return mp->err ? mp->err->status : MC_E_INPUT;
    for (uint64_t k = 0; k < a->count; k++) {
        double d = 0;
        int64_t iv = 0;
        int is_int;
        load_number(a, c_index_to_memory(a, k), &d, &iv, &is_int);
        if (store(t, k, d, iv, is_int))
            return mc_map_fail(mp, name, "element %llu does not fit %s",
                               (unsigned long long)k, mc_elem_name(t->elem));
    }
    *out = t;
    return MC_OK;
}

mc_status mc_map_array(mc_mapper *mp, mc_model *m, const char *name, const mc_value *arr,
                       mc_tensor **out)
{
    if (!arr)
        return mc_map_fail(mp, name, "missing");
    if (arr->kind == MC_NDARRAY)
        return tensor_from_ndarray(mp, m, name, &arr->u.array, out);
    /* a number or a list/tuple of numbers */
    size_t n = arr->kind == MC_LIST || arr->kind == MC_TUPLE ? arr->u.seq.len : 1;
    int64_t shape[1] = {(int64_t)n};
    int is_seq = arr->kind == MC_LIST || arr->kind == MC_TUPLE;
    mc_tensor *t = mc_map_new_tensor(mp, m, name, is_seq ? 1 : 0, shape);
    if (!t)
        return mp->err ? mp->err->status : MC_E_INPUT;
    for (size_t i = 0; i < n; i++) {
        mc_status st = store_value(mp, t, i, is_seq ? arr->u.seq.items[i] : arr, name);
        if (st)
            return st;
    }
    *out = t;
    return MC_OK;
}

int mc_map_array_exact(const mc_value *arr, const mc_tensor *t)
{
    mc_elem e;
    return arr && arr->kind == MC_NDARRAY && arr->u.array.dtype && !arr->u.array.objects &&
           elem_of_dtype(arr->u.array.dtype, &e) == 0 && e == t->elem &&
           arr->u.array.dtype->kind != 'b' && !mc_dtype_needs_swap(arr->u.array.dtype);
}

mc_status mc_map_attr_tensors(mc_mapper *mp, mc_model *m, const mc_value *est,
                              const mc_attr_tensor *list, size_t n, const char **consumed)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const mc_value *v = mc_map_get(mp, est, list[i].attr, 0);
        if (!v || v->kind == MC_NONE) {
            if (list[i].required)
                return mc_map_fail(mp, list[i].attr, "missing (needed for tensor '%s')",
                                   list[i].tensor);
            continue;
        }
        mc_tensor *t;
        mc_status st = mc_map_array(mp, m, list[i].tensor, v, &t);
        if (st)
            return st;
        if (mc_map_array_exact(v, t))
            consumed[k++] = list[i].attr;
    }
    consumed[k] = NULL;
    return MC_OK;
}

/* ---- classes ------------------------------------------------------------- */

static mc_status class_set(mc_mapper *mp, const mc_value *arr, mc_tensor *t, const char *what)
{
    if (!arr || arr->kind != MC_NDARRAY || !arr->u.array.dtype || arr->u.array.ndim != 1)
        return mc_map_fail(mp, what, "expected a 1-d array of class labels");
    const mc_ndarray *a = &arr->u.array;
    t->name = what;
    t->ndim = 1;
    t->shape[0] = (int64_t)a->count;
    t->count = a->count;
    const mc_dtype *dt = a->dtype;
    if (dt->kind == 'U' || a->objects) {
        t->elem = MC_ELEM_STR;
        t->data.str = mc_doc_alloc(mp->doc, (a->count ? a->count : 1) * sizeof(char *));
        if (!t->data.str)
            return mc_map_nomem(mp);
        int all_int = a->objects != NULL, all_num = a->objects != NULL;
        for (uint64_t i = 0; a->objects && i < a->count; i++) {
            mc_kind k = a->objects[i]->kind;
            all_int &= k == MC_INT || k == MC_BOOL;
            all_num &= k == MC_INT || k == MC_BOOL || k == MC_FLOAT;
        }
        if (all_num) {
            /* an object array of numbers: labels are those numbers */
            t->elem = all_int ? MC_ELEM_I64 : MC_ELEM_F64;
            t->data.ptr = mc_doc_alloc(mp->doc, (a->count ? a->count : 1) * 8);
            if (!t->data.ptr)
                return mc_map_nomem(mp);
            for (uint64_t i = 0; i < a->count; i++) {
                if (all_int)
                    mc_value_to_int64(a->objects[i], &t->data.i64[i]);
                else
                    mc_value_to_double(a->objects[i], &t->data.f64[i]);
            }
            return MC_OK;
        }
        for (uint64_t i = 0; i < a->count; i++) {
            if (a->objects) {
                size_t n;
                const char *s = mc_value_text(a->objects[i], &n);
                if (!s)
                    return mc_map_fail(mp, what, "label %llu is a %s; labels must be all "
                                                 "numbers or all strings",
                                       (unsigned long long)i, mc_kind_name(a->objects[i]->kind));
                t->data.str[i] = mc_doc_strndup(mp->doc, s, n);
            } else {
                /* UCS-4 to UTF-8 */
                size_t chars = dt->itemsize / 4;
                char *s = mc_doc_alloc(mp->doc, chars * 4 + 1);
                if (!s)
                    return mc_map_nomem(mp);
                for (size_t c = 0; c < chars; c++) {
                    const uint8_t *u = a->data + i * dt->itemsize + 4 * c;
                    if ((dt->byteorder == '>' ? mc_load_u32be(u) : mc_load_u32le(u)) > 0x10ffff)
                        return mc_map_fail(mp, what, "label %llu is not unicode",
                                           (unsigned long long)i);
                }
                mc_ucs4_to_utf8(a->data + i * dt->itemsize, chars, dt->byteorder == '>', s);
                t->data.str[i] = s;
            }
            if (!t->data.str[i])
                return mc_map_nomem(mp);
        }
        return MC_OK;
    }
    mc_elem src;
    if (elem_of_dtype(dt, &src))
        return mc_map_fail(mp, what, "class labels of an unsupported dtype");
    t->elem = dt->kind == 'f' ? MC_ELEM_F64 : MC_ELEM_I64;
    t->data.ptr = mc_doc_alloc(mp->doc, (a->count ? a->count : 1) * 8);
    if (!t->data.ptr)
        return mc_map_nomem(mp);
    for (uint64_t i = 0; i < a->count; i++) {
        double d = 0;
        int64_t iv = 0;
        int is_int;
        load_number(a, i, &d, &iv, &is_int);
        if (t->elem == MC_ELEM_F64)
            t->data.f64[i] = d;
        else
            t->data.i64[i] = iv;
    }
    return MC_OK;
}

mc_status mc_map_classes(mc_mapper *mp, mc_model *m, const mc_value *classes)
{
    if (!classes)
        return mc_map_fail(mp, "classes_", "missing");
    int list = classes->kind == MC_LIST;
    size_t n = list ? classes->u.seq.len : 1;
    if (n == 0 || n > UINT32_MAX)
        return mc_map_fail(mp, "classes_", "no class labels");
    m->classes = mc_doc_alloc(mp->doc, n * sizeof *m->classes);
    if (!m->classes)
        return mc_map_nomem(mp);
    for (size_t k = 0; k < n; k++) {
        char *what = mc_doc_alloc(mp->doc, 32);
        if (!what)
            return mc_map_nomem(mp);
        if (list)
            snprintf(what, 32, "classes_[%zu]", k);
        else
            snprintf(what, 32, "classes_");
        mc_status st = class_set(mp, list ? classes->u.seq.items[k] : classes, &m->classes[k], what);
        if (st)
            return st;
    }
    m->n_class_sets = (uint32_t)n;
    return MC_OK;
}

/* ---- parameters and state ---------------------------------------------- */

static int in_list(const char *key, const char *const *list)
{
    for (; list && *list; list++)
        if (strcmp(key, *list) == 0)
            return 1;
    return 0;
}

static mc_status add_entry(mc_mapper *mp, mc_entry **arr, uint32_t *n, const char *name,
                           const mc_value *v)
{
    /* arena-backed, grown by doubling at powers of two */
    uint32_t len = *n;
    if ((len & (len - 1)) == 0) {
        uint32_t cap = len ? len * 2 : 8;
        mc_entry *e = mc_doc_alloc(mp->doc, cap * sizeof *e);
        if (!e)
            return mc_map_nomem(mp);
        if (len)
            memcpy(e, *arr, len * sizeof *e);
        *arr = e;
    }
    (*arr)[len].name = name;
    (*arr)[len].value = v;
    *n = len + 1;
    return MC_OK;
}

mc_status mc_map_add_state(mc_mapper *mp, mc_model *m, const char *name, const mc_value *v)
{
    return add_entry(mp, &m->state, &m->nstate, name, v);
}

mc_status mc_map_split_state(mc_mapper *mp, mc_model *m, const mc_value *est,
                             const char *const *consumed)
{
    const mc_value *state = mc_object_state(est);
    if (!state)
        return mc_map_fail(mp, NULL, "the estimator has no state dict");
    for (size_t i = 0; i < state->u.dict.len; i++) {
        const char *key = mc_map_text(mp, state->u.dict.keys[i], "(state key)");
        if (!key)
            return mp->err ? mp->err->status : MC_E_INPUT;
        if (in_list(key, consumed))
            continue;
        size_t n = strlen(key);
        int param = n && key[0] != '_' && key[n - 1] != '_';
        mc_status st = param ? add_entry(mp, &m->params, &m->nparams, key, state->u.dict.vals[i])
                             : add_entry(mp, &m->state, &m->nstate, key, state->u.dict.vals[i]);
        if (st)
            return st;
    }
    return MC_OK;
}

mc_status mc_map_object_without(mc_mapper *mp, const mc_value *obj, const char *const *drop,
                                mc_value **out)
{
    mc_value *o = mc_map_new_value(mp, MC_OBJECT);
    if (!o)
        return mc_map_nomem(mp);
    o->u.object = obj->u.object;
    const mc_value *state = mc_object_state(obj);
    if (state) {
        mc_value *d = mc_map_new_value(mp, MC_DICT);
        if (!d)
            return mc_map_nomem(mp);
        for (size_t i = 0; i < state->u.dict.len; i++) {
            size_t n;
            const char *k = mc_value_text(state->u.dict.keys[i], &n);
            char key[128];
            if (k && n < sizeof key) {
                memcpy(key, k, n);
                key[n] = '\0';
                if (in_list(key, drop))
                    continue;
            }
            mc_status st = mc_dict_set(mp->doc, d, state->u.dict.keys[i], state->u.dict.vals[i],
                                       mp->err);
            if (st)
                return st;
        }
        o->u.object.state = d;
    }
    *out = o;
    return MC_OK;
}

/* ---- estimators ------------------------------------------------------------ */

static void parse_version(mc_mapper *mp, const mc_value *est)
{
    size_t n;
    const char *v = mc_value_text(mc_object_get(est, "_sklearn_version"), &n);
    mp->sk_major = mp->sk_minor = 0;
    if (!v)
        return; /* scikit-learn < 0.18 wrote no version */
    char buf[32];
    snprintf(buf, sizeof buf, "%.*s", (int)(n < 31 ? n : 31), v);
    sscanf(buf, "%d.%d", &mp->sk_major, &mp->sk_minor);
}

/* Shapes of all tensors must agree on every symbol of the family table
 * (mc_family_check_tensors, shared with the HDF5 reader). */
static mc_status check_shapes(mc_mapper *mp, const mc_model *m)
{
    const char *tensor;
    char msg[300];
    if (mc_family_check_tensors(mp->family, m, &tensor, msg, sizeof msg))
        return mc_map_fail(mp, tensor, "%s", msg);
    return MC_OK;
}

mc_status mc_map_estimator(mc_mapper *mp, const mc_value *est, mc_model **out)
{
    if (!est || est->kind != MC_OBJECT)
        return mc_map_fail(mp, NULL, "expected an estimator object, found %s",
                           est ? mc_kind_name(est->kind) : "nothing");
    char cls[512];
    mc_value_class_path(est, cls, sizeof cls);
    mc_model *m = mc_model_new_in(mp->doc, 0);
    if (!m)
        return mc_map_nomem(mp);
    m->estimator = mc_doc_strndup(mp->doc, cls, strlen(cls));
    m->provenance = mp->doc->prov;
    m->source = est;
    if (!m->estimator)
        return mc_map_nomem(mp);

    /* the family and version of this estimator; restored for the parent */
    const mc_family *saved_family = mp->family;
    int saved_major = mp->sk_major, saved_minor = mp->sk_minor;
    mp->family = mc_family_for_class(cls);
    m->family = mp->family->name;
    parse_version(mp, est);
    if (!mc_object_state(est) && mp->family->classes)
        return mc_map_fail(mp, NULL, "%s has no state (not fitted?)", cls);
    int64_t nf;
    if (mc_value_to_int64(mc_object_get(est, "n_features_in_"), &nf) == 0)
        m->n_features = nf;
    mc_status st = mp->family->map(mp, est, m);
    if (!st)
        st = check_shapes(mp, m);
    mp->family = saved_family;
    mp->sk_major = saved_major;
    mp->sk_minor = saved_minor;
    if (st)
        return st;
    *out = m;
    return MC_OK;
}

mc_status mc_map_child(mc_mapper *mp, mc_model *parent, const char *name, const char *path_part,
                       const mc_value *child)
{
    size_t len = strlen(mp->path);
    snprintf(mp->path + len, sizeof mp->path - len, "%s", path_part);
    mc_model *c;
    mc_status st = mc_map_estimator(mp, child, &c);
    mp->path[len] = '\0';
    if (st)
        return st;
    uint32_t n = parent->nchildren;
    if ((n & (n - 1)) == 0) {
        uint32_t cap = n ? n * 2 : 4;
        mc_model **kids = mc_doc_alloc(mp->doc, cap * sizeof *kids);
        const char **names = mc_doc_alloc(mp->doc, cap * sizeof *names);
        if (!kids || !names)
            return mc_map_nomem(mp);
        if (n) {
            memcpy(kids, parent->children, n * sizeof *kids);
            memcpy(names, parent->child_names, n * sizeof *names);
        }
        parent->children = kids;
        parent->child_names = names;
    }
    parent->children[n] = c;
    parent->child_names[n] = mc_doc_strndup(mp->doc, name, strlen(name));
    if (!parent->child_names[n])
        return mc_map_nomem(mp);
    parent->nchildren = n + 1;
    return MC_OK;
}
