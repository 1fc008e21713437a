/* numpy arrays and scalars as pickles hold them (reference/pickle-notes.md §2):
 *   _reconstruct(subtype, (0,), b'b') + BUILD (version, shape, dtype,
 *       is_fortran, rawdata)    — numpy/_core/src/multiarray/methods.c
 *   _frombuffer(buffer, dtype, shape, order[, axis_order])   — protocol 5
 *   scalar(dtype, raw bytes) / scalar(dtype, object)
 * Raw data stays where it lies in the stream (zero copy); sizes are checked
 * against the bytes actually present before anything is allocated. */
#include <string.h>

#include "core/sizes.h"
#include "pickle/handlers.h"

enum { MAX_NDIM = 64 }; /* numpy 2.x NPY_MAXDIMS */

/* shape from a tuple (or a single integer) of non-negative ints */
static mc_status read_shape(mc_vm *vm, const mc_value *v, mc_ndarray *a, const char *who)
{
    size_t nd = v->kind == MC_TUPLE || v->kind == MC_LIST ? v->u.seq.len : 1;
    if (v->kind != MC_TUPLE && v->kind != MC_LIST && v->kind != MC_INT)
        return mc_vm_fail(vm, "%s: shape must be a tuple of integers, found %s", who,
                          mc_kind_name(v->kind));
    if (nd > MAX_NDIM)
        return mc_vm_fail(vm, "%s: %zu dimensions (numpy allows %d)", who, nd, MAX_NDIM);
    int64_t *shape = mc_doc_alloc(vm->doc, (nd ? nd : 1) * sizeof *shape);
    if (!shape)
        return mc_vm_nomem(vm);
    for (size_t i = 0; i < nd; i++) {
        const mc_value *d = v->kind == MC_INT ? v : v->u.seq.items[i];
        if (mc_value_to_int64(d, &shape[i]) || shape[i] < 0)
            return mc_vm_fail(vm, "%s: shape must be non-negative integers", who);
    }
    uint64_t count;
    if (mc_shape_product(shape, (uint32_t)nd, &count))
        return mc_vm_fail(vm, "%s: the shape's element count overflows", who);
    a->ndim = (uint32_t)nd;
    a->shape = shape;
    a->count = count;
    return MC_OK;
}

/* Point the array at raw bytes after checking they are exactly its size. */
static mc_status attach_bytes(mc_vm *vm, mc_ndarray *a, const mc_value *raw, const char *who)
{
    uint64_t nbytes;
    if (mc_mul_u64(a->count, a->dtype->itemsize, &nbytes))
        return mc_vm_fail(vm, "%s: shape x item size overflows", who);
    if (raw->kind != MC_BYTES && raw->kind != MC_BYTEARRAY)
        return mc_vm_fail(vm, "%s: data must be bytes, found %s", who, mc_kind_name(raw->kind));
    if (raw->u.bytes.len != nbytes)
        return mc_vm_fail(vm, "%s: the shape needs %llu bytes of data, the pickle holds %zu", who,
                          (unsigned long long)nbytes, raw->u.bytes.len);
    a->data = raw->u.bytes.data;
    a->nbytes = nbytes;
    a->data_in_input = a->data >= vm->buf && a->data < vm->buf + vm->len;
    return MC_OK;
}

mc_status mc_np_reconstruct(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out)
{
    (void)callable;
    if (args->u.seq.len != 3 || args->u.seq.items[0]->kind != MC_GLOBAL)
        return mc_vm_fail(vm, "numpy _reconstruct needs (array type, shape, typecode)");
    mc_value *v = mc_vm_value(vm, MC_NDARRAY);
    if (!v)
        return mc_vm_nomem(vm);
    /* an empty shell until BUILD gives it shape, dtype and data */
    v->u.array.subclass = args->u.seq.items[0];
    v->u.array.origin = MC_ARR_RECONSTRUCT;
    v->u.array.order = 'C';
    v->u.array.joblib_alignment = -1;
    *out = v;
    return MC_OK;
}

mc_status mc_np_array_setstate(mc_vm *vm, mc_value *target, mc_value *state)
{
    static const char who[] = "ndarray state";
    if (state->kind != MC_TUPLE || (state->u.seq.len != 5 && state->u.seq.len != 4))
        return mc_vm_fail(vm, "%s must be (version, shape, dtype, is_fortran, data)", who);
    mc_value **it = state->u.seq.items;
    if (state->u.seq.len == 5) {
        int64_t version;
        if (mc_value_to_int64(it[0], &version) || (version != 0 && version != 1))
            return mc_vm_fail(vm, "%s version must be 0 or 1", who);
        it++;
    }
    mc_ndarray a = target->u.array;
    mc_status st = read_shape(vm, it[0], &a, who);
    if (st)
        return st;
    if (it[1]->kind != MC_DTYPE)
        return mc_vm_fail(vm, "%s: dtype must be a numpy dtype, found %s", who,
                          mc_kind_name(it[1]->kind));
    a.dtype = it[1]->u.dtype;
    int64_t fortran;
    if (mc_value_to_int64(it[2], &fortran))
        return mc_vm_fail(vm, "%s: is_fortran must be a bool", who);
    a.order = fortran ? 'F' : 'C';
    const mc_value *raw = it[3];
    if (mc_dtype_has_object(a.dtype)) {
        /* object arrays pickle their elements as a list */
        if (raw->kind != MC_LIST || raw->u.seq.len != a.count)
            return mc_vm_fail(vm, "%s: an object array of %llu elements needs a list of as many, "
                                  "found %s of %zu",
                              who, (unsigned long long)a.count, mc_kind_name(raw->kind),
                              mc_value_len(raw));
        a.objects = (const mc_value *const *)raw->u.seq.items;
        a.data = NULL;
        a.nbytes = 0;
    } else if ((st = attach_bytes(vm, &a, raw, who))) {
        return st;
    }
    target->u.array = a;
    return MC_OK;
}

/* numpy >= 2.3 'K' order: the buffer is C order for shape, then transposed
 * by axis_order.  Reversal is plain Fortran order; other permutations are
 * copied into C order. */
static mc_status transpose_copy(mc_vm *vm, mc_ndarray *a, const int64_t *perm)
{
    uint32_t nd = a->ndim;
    int reversal = 1;
    for (uint32_t i = 0; i < nd; i++)
        reversal &= perm[i] == (int64_t)(nd - 1 - i);
    int64_t *shape = mc_doc_alloc(vm->doc, (nd ? nd : 1) * sizeof *shape);
    if (!shape)
        return mc_vm_nomem(vm);
    for (uint32_t i = 0; i < nd; i++)
        shape[i] = a->shape[perm[i]];
    if (reversal) {
        a->shape = shape;
        a->order = 'F';
        return MC_OK;
    }
    /* strides of the source (C order over the untransposed shape) */
    uint64_t src_stride[MAX_NDIM], idx[MAX_NDIM] = {0};
    uint64_t s = a->dtype->itemsize;
    for (uint32_t i = nd; i-- > 0;) {
        src_stride[i] = s;
        s *= (uint64_t)a->shape[i];
    }
    uint8_t *dst = mc_doc_alloc(vm->doc, a->nbytes ? a->nbytes : 1);
    if (!dst)
        return mc_vm_nomem(vm);
    size_t item = a->dtype->itemsize;
    for (uint64_t k = 0; k < a->count; k++) {
        uint64_t off = 0;
        for (uint32_t i = 0; i < nd; i++)
            off += idx[i] * src_stride[perm[i]];
        memcpy(dst + k * item, a->data + off, item);
        for (uint32_t i = nd; i-- > 0;) {
            if (++idx[i] < (uint64_t)shape[i])
                break;
            idx[i] = 0;
        }
    }
    a->shape = shape;
    a->data = dst;
    a->data_in_input = 0;
    a->order = 'C';
    return MC_OK;
}

mc_status mc_np_frombuffer(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out)
{
    (void)callable;
    static const char who[] = "numpy _frombuffer";
    size_t n = args->u.seq.len;
    if (n != 4 && n != 5)
        return mc_vm_fail(vm, "%s needs (buffer, dtype, shape, order[, axis_order])", who);
    mc_value **it = args->u.seq.items;
    if (it[1]->kind != MC_DTYPE)
        return mc_vm_fail(vm, "%s: dtype must be a numpy dtype, found %s", who,
                          mc_kind_name(it[1]->kind));
    size_t olen;
    const char *order = mc_value_text(it[3], &olen);
    if (!order || olen != 1 || !strchr("CFK", order[0]))
        return mc_vm_fail(vm, "%s: order must be 'C', 'F' or 'K'", who);
    mc_value *v = mc_vm_value(vm, MC_NDARRAY);
    if (!v)
        return mc_vm_nomem(vm);
    mc_ndarray *a = &v->u.array;
    a->dtype = it[1]->u.dtype;
    a->origin = MC_ARR_FROMBUFFER;
    a->joblib_alignment = -1;
    a->order = order[0] == 'F' ? 'F' : 'C';
    if (mc_dtype_has_object(a->dtype) || a->dtype->itemsize == 0)
        return mc_vm_fail(vm, "%s: numpy never writes object or empty dtypes this way", who);
    mc_status st = read_shape(vm, it[2], a, who);
    if (!st)
        st = attach_bytes(vm, a, it[0], who);
    if (st)
        return st;
    if (order[0] == 'K' && n == 5 && it[4]->kind != MC_NONE) {
        const mc_value *ax = it[4];
        if (ax->kind != MC_TUPLE || ax->u.seq.len != a->ndim)
            return mc_vm_fail(vm, "%s: axis_order must have one entry per dimension", who);
        int64_t perm[MAX_NDIM];
        uint64_t seen = 0;
        for (uint32_t i = 0; i < a->ndim; i++) {
            if (mc_value_to_int64(ax->u.seq.items[i], &perm[i]) || perm[i] < 0 ||
                perm[i] >= (int64_t)a->ndim || (seen >> perm[i] & 1))
                return mc_vm_fail(vm, "%s: axis_order is not a permutation", who);
            seen |= (uint64_t)1 << perm[i];
        }
        if ((st = transpose_copy(vm, a, perm)))
            return st;
    }
    v->u.array.subclass = NULL;
    *out = v;
    return MC_OK;
}

mc_status mc_np_scalar(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out)
{
    (void)callable;
    if (args->u.seq.len != 2 || args->u.seq.items[0]->kind != MC_DTYPE)
        return mc_vm_fail(vm, "numpy scalar needs (dtype, data)");
    const mc_dtype *dt = args->u.seq.items[0]->u.dtype;
    const mc_value *raw = args->u.seq.items[1];
    mc_value *v = mc_vm_value(vm, MC_SCALAR);
    if (!v)
        return mc_vm_nomem(vm);
    v->u.scalar.dtype = dt;
    if (mc_dtype_has_object(dt)) {
        v->u.scalar.object = raw;
    } else {
        if (raw->kind != MC_BYTES || raw->u.bytes.len != dt->itemsize)
            return mc_vm_fail(vm, "numpy scalar: a %u-byte dtype with %zu bytes of data",
                              dt->itemsize, raw->kind == MC_BYTES ? raw->u.bytes.len : 0);
        v->u.scalar.data = raw->u.bytes.data;
    }
    *out = v;
    return MC_OK;
}
