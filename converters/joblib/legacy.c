/* joblib < 0.10 arrays in companion files (joblib/numpy_pickle_compat.py):
 *   NDArrayWrapper(filename, subclass, allow_mmap): the array is the .npy
 *       file `filename` beside the pickle (np.save format);
 *   ZNDArrayWrapper(filename, init_args, state): `filename` is a ZF file of
 *       the raw data; the array is _reconstruct(*init_args) with
 *       __setstate__(state + (data,)).
 * Companion names come from the file, so they must be plain names in the
 * pickle's own folder: no separators, no '..'.
 *
 * Each companion is read once per document and shared by every wrapper that
 * names it: an object-array companion may name other companions (or
 * itself), and reading each reference again would be exponential in the
 * nesting.  A companion named again while it is being read is a cycle. */
#include <stdio.h>
#include <string.h>

#include "core/mapfile.h"
#include "io/npy.h"
#include "joblib/container.h"
#include "pickle/handlers.h"

struct mc_companion {
    mc_companion *next;
    const char *name;      /* the plain file name (arena copy)              */
    size_t len;
    int busy;              /* being read                                    */
    mc_value *array;       /* .npy: the array read                          */
    const uint8_t *data;   /* Z-file: the decompressed bytes (owned by doc) */
    size_t nbytes;
};

enum { COMPANION_BUCKETS = 256 };

/* The record of companion `name`, made (not busy, nothing read) if new. */
static mc_companion *companion_entry(mc_vm *vm, const char *name, size_t n)
{
    mc_document *doc = vm->doc;
    if (!doc->companions) {
        doc->companions = mc_doc_alloc(doc, COMPANION_BUCKETS * sizeof *doc->companions);
        if (!doc->companions)
            return NULL;
    }
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)name[i]) * 16777619u;
    mc_companion **bucket = &doc->companions[h % COMPANION_BUCKETS];
    for (mc_companion *c = *bucket; c; c = c->next)
        if (c->len == n && memcmp(c->name, name, n) == 0)
            return c;
    mc_companion *c = mc_doc_alloc(doc, sizeof *c);
    char *copy = mc_doc_strndup(doc, name, n);
    if (!c || !copy)
        return NULL;
    c->name = copy;
    c->len = n;
    c->next = *bucket;
    *bucket = c;
    return c;
}

static mc_status companion_path(mc_vm *vm, const mc_value *state, char *path, size_t size,
                                mc_companion **entry)
{
    size_t n;
    const char *name = mc_value_text(mc_dict_get(state, "filename"), &n);
    if (!name)
        return mc_vm_fail(vm, "joblib array wrapper state has no filename");
    if (n == 0 || n > 255 || memchr(name, '/', n) || memchr(name, '\\', n) ||
        memchr(name, '\0', n) || (n == 1 && name[0] == '.') ||
        (n == 2 && name[0] == '.' && name[1] == '.'))
        return mc_vm_fail(vm, "joblib companion file name '%.*s' is not a plain file name",
                          (int)(n > 64 ? 64 : n), name);
    if (!vm->doc->dir)
        return mc_vm_fail(vm, "joblib companion file '%.*s' cannot be found without the pickle's "
                              "folder", (int)n, name);
    if ((size_t)snprintf(path, size, "%s/%.*s", vm->doc->dir, (int)n, name) >= size)
        return mc_vm_fail(vm, "joblib companion file path too long");
    *entry = companion_entry(vm, name, n);
    if (!*entry)
        return mc_vm_nomem(vm);
    if ((*entry)->busy)
        return mc_vm_fail(vm, "joblib companion file '%.*s' refers back to itself (directly or "
                              "through other companion files)",
                          (int)(n > 255 ? 255 : n), name);
    return MC_OK;
}

/* Map a companion file and keep it as long as the document. */
static mc_status open_companion(mc_vm *vm, const char *path, mc_mapfile *m)
{
    mc_error sub;
    mc_error_clear(&sub);
    if (mc_mapfile_open(m, path, &sub))
        return mc_vm_fail(vm, "joblib companion file %s: %s", path, sub.message);
    if (m->maplen == 0)
        return MC_OK;
    mc_buffer b = {(uint8_t *)m->data, m->size, m->maplen};
    return mc_doc_adopt_buffer(vm->doc, &b, vm->err);
}

/* Errors inside a companion name that file and its own offsets (unless a
 * companion it names already claimed the error). */
static mc_status in_companion(mc_vm *vm, const char *path, mc_status st)
{
    if (st && vm->err && !vm->err->file[0]) {
        mc_error_set_file(vm->err, path);
        vm->err->offset_is_decompressed = 0;
    }
    return st;
}

static mc_status read_npy_companion(mc_vm *vm, const char *path, mc_value **out)
{
    mc_mapfile m;
    mc_status st = open_companion(vm, path, &m);
    if (st)
        return st;
    mc_npy_header h;
    if ((st = mc_npy_parse(m.data, m.size, &vm->doc->arena, &h, vm->err)))
        return in_companion(vm, path, st);
    if (h.has_object) {
        /* np.save pickles object arrays after the header */
        if (vm->nest + 1 > MC_MAX_NESTED_STREAMS)
            return mc_vm_fail(vm, "joblib companion files nested too deep");
        size_t end;
        st = mc_pickle_run(vm->doc, m.data, m.size, h.data_offset, vm->nest + 1, 0, out, &end,
                           vm->err);
        if (st)
            return in_companion(vm, path, st);
        if ((*out)->kind != MC_NDARRAY)
            return mc_vm_fail(vm, "joblib companion %s holds a %s, not an array", path,
                              mc_kind_name((*out)->kind));
        return MC_OK;
    }
    mc_value *arr = mc_vm_value(vm, MC_NDARRAY);
    int64_t *shape = mc_doc_alloc(vm->doc, (h.ndim ? h.ndim : 1) * sizeof *shape);
    if (!arr || !shape)
        return mc_vm_nomem(vm);
    memcpy(shape, h.shape, h.ndim * sizeof *shape);
    mc_ndarray *a = &arr->u.array;
    a->dtype = h.dtype;
    a->ndim = h.ndim;
    a->shape = shape;
    a->count = h.count;
    a->order = h.fortran_order ? 'F' : 'C';
    a->data = m.data + h.data_offset;
    a->nbytes = h.nbytes;
    a->joblib_alignment = -1;
    *out = arr;
    return MC_OK;
}

static mc_status read_zfile_companion(mc_vm *vm, const char *path, const mc_value *state,
                                      mc_companion *entry, mc_value **out)
{
    const mc_value *init = mc_dict_get(state, "init_args");
    const mc_value *astate = mc_dict_get(state, "state");
    if (!init || init->kind != MC_TUPLE || !astate || astate->kind != MC_TUPLE ||
        astate->u.seq.len != 4)
        return mc_vm_fail(vm, "joblib ZNDArrayWrapper needs init_args and a 4-item array state");
    mc_status st;
    if (!entry->data) {
        mc_mapfile m;
        if ((st = open_companion(vm, path, &m)))
            return st;
        uint64_t cap = vm->doc->opts.max_expand_ratio * (uint64_t)m.size;
        if (cap < vm->doc->opts.max_expand_floor)
            cap = vm->doc->opts.max_expand_floor;
        mc_buffer data;
        if ((st = mc_decompress(MC_COMP_ZFILE, m.data, m.size, cap, &data, vm->err)))
            return in_companion(vm, path, st);
        const uint8_t *bytes = data.data ? data.data : (const uint8_t *)"";
        size_t len = data.len;
        if ((st = mc_doc_adopt_buffer(vm->doc, &data, vm->err)))
            return st;
        entry->data = bytes;
        entry->nbytes = len;
    }
    const uint8_t *bytes = entry->data;
    size_t len = entry->nbytes;
    /* _reconstruct(*init_args) then __setstate__(state + (data,)) */
    mc_value *arr, *raw = mc_vm_value(vm, MC_BYTES), *full = mc_vm_value(vm, MC_TUPLE);
    mc_value **items = mc_doc_alloc(vm->doc, 5 * sizeof *items);
    if (!raw || !full || !items)
        return mc_vm_nomem(vm);
    raw->u.bytes.data = bytes;
    raw->u.bytes.len = len;
    memcpy(items, astate->u.seq.items, 4 * sizeof *items);
    items[4] = raw;
    full->u.seq.items = items;
    full->u.seq.len = full->u.seq.cap = 5;
    if ((st = mc_np_reconstruct(vm, NULL, (mc_value *)init, &arr)) ||
        (st = mc_np_array_setstate(vm, arr, full)))
        return st;
    *out = arr;
    return MC_OK;
}

mc_status mc_joblib_legacy_build(mc_vm *vm, mc_value *obj, mc_value *state, mc_value **replace)
{
    if (state->kind != MC_DICT)
        return mc_vm_fail(vm, "joblib array wrapper state must be a dict");
    obj->u.object.state = state;
    char path[4096];
    mc_companion *entry = NULL;
    mc_status st = companion_path(vm, state, path, sizeof path, &entry);
    if (st)
        return st;
    mc_value *arr;
    if (strcmp(obj->u.object.cls->u.global.name, "ZNDArrayWrapper") == 0) {
        st = read_zfile_companion(vm, path, state, entry, &arr);
    } else if (entry->array) {
        arr = entry->array; /* read before: shared */
    } else {
        entry->busy = 1;
        st = read_npy_companion(vm, path, &arr);
        entry->busy = 0;
        if (!st)
            entry->array = arr;
    }
    if (st)
        return st;
    const mc_value *subclass = mc_dict_get(state, "subclass");
    arr->u.array.origin = MC_ARR_JOBLIB_LEGACY;
    if (subclass && subclass->kind == MC_GLOBAL)
        arr->u.array.subclass = subclass;
    vm->doc->saw_legacy_wrapper = 1;
    *replace = arr;
    return MC_OK;
}
