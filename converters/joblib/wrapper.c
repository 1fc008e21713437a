/* joblib's NumpyArrayWrapper (joblib >= 0.10, joblib/numpy_pickle.py).
 *
 * joblib pickles a wrapper in place of each ndarray; right after the
 * wrapper's BUILD the raw array follows in the stream, outside any pickle
 * frame (reference/pickle-notes.md §1.2):
 *   - joblib >= 1.2 (state key numpy_array_alignment_bytes not None): one pad
 *     length byte n, then n pad bytes, so the data starts aligned;
 *   - then count * itemsize bytes in the wrapper's order ('C' or 'F');
 *   - object arrays instead hold a complete nested pickle of the array
 *     (protocol 2 before joblib 1.5, 5 after), with its own memo.
 * Data is left where it lies (zero copy). */
#include <string.h>

#include "core/sizes.h"
#include "pickle/handlers.h"

static mc_status nested_object_array(mc_vm *vm, const mc_value *shape_v, mc_value **out)
{
    if (vm->nest + 1 > MC_MAX_NESTED_STREAMS)
        return mc_vm_fail(vm, "joblib object arrays nested more than %d deep",
                          MC_MAX_NESTED_STREAMS);
    mc_value *arr;
    size_t end;
    mc_status st = mc_pickle_run(vm->doc, vm->buf, vm->len, vm->pos, vm->nest + 1,
                                 vm->offsets_decompressed, &arr, &end, vm->err);
    if (st)
        return st;
    if (arr->kind != MC_NDARRAY || !arr->u.array.dtype)
        return mc_vm_fail(vm, "joblib object array: the nested pickle holds a %s, not an array",
                          mc_kind_name(arr->kind));
    size_t nd = mc_value_len(shape_v);
    if (shape_v->kind != MC_TUPLE || nd != arr->u.array.ndim)
        return mc_vm_fail(vm, "joblib object array: the nested array's shape differs from the "
                              "wrapper's");
    for (size_t i = 0; i < nd; i++) {
        int64_t d;
        if (mc_value_to_int64(shape_v->u.seq.items[i], &d) || d != arr->u.array.shape[i])
            return mc_vm_fail(vm, "joblib object array: the nested array's shape differs from "
                                  "the wrapper's");
    }
    vm->pos = end;
    *out = arr;
    return MC_OK;
}

mc_status mc_joblib_wrapper_build(mc_vm *vm, mc_value *obj, mc_value *state, mc_value **replace)
{
    static const char who[] = "joblib NumpyArrayWrapper";
    if (state->kind != MC_DICT)
        return mc_vm_fail(vm, "%s state must be a dict", who);
    obj->u.object.state = state;
    const mc_value *dtype_v = mc_dict_get(state, "dtype");
    const mc_value *shape_v = mc_dict_get(state, "shape");
    const mc_value *order_v = mc_dict_get(state, "order");
    const mc_value *subclass = mc_dict_get(state, "subclass");
    const mc_value *align_v = mc_dict_get(state, "numpy_array_alignment_bytes");
    if (!dtype_v || dtype_v->kind != MC_DTYPE || !shape_v || !order_v)
        return mc_vm_fail(vm, "%s state lacks dtype, shape or order", who);
    size_t olen;
    const char *order = mc_value_text(order_v, &olen);
    if (!order || olen != 1 || (order[0] != 'C' && order[0] != 'F'))
        return mc_vm_fail(vm, "%s order must be 'C' or 'F'", who);
    vm->doc->saw_joblib_wrapper = 1;

    mc_value *arr = NULL;
    const mc_dtype *dt = dtype_v->u.dtype;
    int32_t alignment = -1;
    if (align_v) {
        int64_t a = 0;
        if (align_v->kind != MC_NONE && (mc_value_to_int64(align_v, &a) || a < 0 || a > 4096))
            return mc_vm_fail(vm, "%s alignment must be None or a small integer", who);
        alignment = (int32_t)a;
        vm->doc->saw_joblib_align_key = 1; /* joblib >= 1.2 writes the key */
    }
    if (mc_dtype_has_object(dt)) {
        mc_status st = nested_object_array(vm, shape_v, &arr);
        if (st)
            return st;
    } else {
        arr = mc_vm_value(vm, MC_NDARRAY);
        if (!arr)
            return mc_vm_nomem(vm);
        mc_ndarray *a = &arr->u.array;
        size_t nd = shape_v->kind == MC_TUPLE ? shape_v->u.seq.len : 0;
        if (shape_v->kind != MC_TUPLE || nd > 64)
            return mc_vm_fail(vm, "%s shape must be a tuple of at most 64 integers", who);
        int64_t *shape = mc_doc_alloc(vm->doc, (nd ? nd : 1) * sizeof *shape);
        if (!shape)
            return mc_vm_nomem(vm);
        for (size_t i = 0; i < nd; i++)
            if (mc_value_to_int64(shape_v->u.seq.items[i], &shape[i]) || shape[i] < 0)
                return mc_vm_fail(vm, "%s shape must be non-negative integers", who);
        uint64_t count, nbytes;
        if (mc_shape_product(shape, (uint32_t)nd, &count) ||
            mc_mul_u64(count, dt->itemsize, &nbytes))
            return mc_vm_fail(vm, "%s shape x item size overflows", who);
        if (alignment > 0) {
            /* one byte giving the pad length, then the pad (joblib >= 1.2) */
            if (vm->pos >= vm->len)
                return mc_vm_fail(vm, "truncated: %s alignment byte is missing", who);
            size_t pad = vm->buf[vm->pos];
            if (pad > vm->len - vm->pos - 1)
                return mc_vm_fail(vm, "truncated: %s alignment padding runs past the end", who);
            vm->pos += 1 + pad;
        }
        if (nbytes > vm->len - vm->pos)
            return mc_vm_fail(vm, "truncated: %s of %llu elements needs %llu bytes of data, "
                                  "only %zu remain",
                              who, (unsigned long long)count, (unsigned long long)nbytes,
                              vm->len - vm->pos);
        a->dtype = dt;
        a->ndim = (uint32_t)nd;
        a->shape = shape;
        a->count = count;
        a->order = order[0];
        a->data = vm->buf + vm->pos;
        a->nbytes = nbytes;
        a->data_in_input = 1;
        vm->pos += (size_t)nbytes;
    }
    arr->u.array.origin = MC_ARR_JOBLIB;
    arr->u.array.joblib_alignment = alignment;
    arr->u.array.subclass = subclass && subclass->kind == MC_GLOBAL ? subclass : NULL;
    *replace = arr;
    return MC_OK;
}
