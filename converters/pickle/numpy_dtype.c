/* numpy.dtype as pickles hold it: REDUCE dtype(typestr, align, copy), then
 * BUILD with the state tuple of numpy's arraydescr_setstate
 * (numpy/_core/src/multiarray/descriptor.c; reference/pickle-notes.md §2.3):
 *   9: (version, endian, subarray, names, fields, elsize, alignment, flags, metadata)
 *   8: (version, endian, subarray, names, fields, elsize, alignment, flags)
 *   7: (version, endian, subarray, names, fields, elsize, alignment)
 *   6: (version, endian, subarray, fields, elsize, alignment)
 *   5: (endian, subarray, fields, elsize, alignment)              version 0
 * Field dtypes are themselves pickled dtypes, usually shared via the memo. */
#include <stdlib.h>
#include <string.h>

#include "core/sizes.h"
#include "io/npy.h"
#include "pickle/handlers.h"

/* Structs of structs may share field dtypes through the memo, so a dtype is
 * a DAG: its size counts every path.  Bounding depth and size bounds every
 * walk over a dtype (printing, has-object checks). */
enum { MAX_DTYPE_DEPTH = 32, MAX_DTYPE_SIZE = 4096, MAX_SUBARRAY_DIMS = 64 };

/* Every MC_DTYPE value comes from mc_np_dtype, wrapped with what the VM
 * needs to keep dtype graphs finite. */
typedef struct np_dtype {
    mc_dtype dt;
    int frozen;       /* used inside another dtype: its state is final  */
    uint32_t depth;   /* 1 for a plain dtype                            */
    uint32_t size;    /* dtypes reachable, counting each path           */
} np_dtype;

static np_dtype *wrapper(const mc_dtype *dt)
{
    return (np_dtype *)dt; /* dt is the first member */
}

mc_status mc_np_dtype(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out)
{
    (void)callable;
    size_t n;
    const char *s = args->u.seq.len ? mc_value_text(args->u.seq.items[0], &n) : NULL;
    if (!s)
        return mc_vm_fail(vm, "numpy.dtype called without a type string (user-defined dtypes "
                              "are not supported)");
    np_dtype *w = mc_doc_alloc(vm->doc, sizeof *w);
    if (!w)
        return mc_vm_nomem(vm);
    w->depth = w->size = 1;
    mc_dtype *dt = &w->dt;
    if (mc_dtype_parse_str(s, n, dt))
        return mc_vm_fail(vm, "numpy.dtype('%.*s'): not a numpy type string", (int)(n > 40 ? 40 : n),
                          s);
    mc_value *v = mc_vm_value(vm, MC_DTYPE);
    if (!v)
        return mc_vm_nomem(vm);
    v->u.dtype = dt;
    *out = v;
    return MC_OK;
}

static int get_int(const mc_value *v, int64_t *out)
{
    return mc_value_to_int64(v, out);
}

static int is_none(const mc_value *v)
{
    return v && v->kind == MC_NONE;
}

/* A completed dtype from a value: built by REDUCE, and not still being built
 * (a field that refers back to the dtype being set would be a cycle). */
static mc_status want_dtype(mc_vm *vm, const mc_value *v, const mc_dtype *self, const char *what,
                            const mc_dtype **out)
{
    if (!v || v->kind != MC_DTYPE)
        return mc_vm_fail(vm, "dtype state: %s must be a dtype, found %s", what,
                          v ? mc_kind_name(v->kind) : "nothing");
    if (v->u.dtype == self)
        return mc_vm_fail(vm, "dtype state: %s refers to the dtype itself", what);
    np_dtype *child = wrapper(v->u.dtype), *parent = wrapper(self);
    child->frozen = 1;
    if (child->depth + 1 > parent->depth)
        parent->depth = child->depth + 1;
    parent->size += child->size;
    if (parent->depth > MAX_DTYPE_DEPTH || parent->size > MAX_DTYPE_SIZE)
        return mc_vm_fail(vm, "dtype state: nested dtypes beyond %d levels or %d parts",
                          MAX_DTYPE_DEPTH, MAX_DTYPE_SIZE);
    *out = v->u.dtype;
    return MC_OK;
}

static mc_status set_subarray(mc_vm *vm, mc_dtype *dt, const mc_value *sub)
{
    if (sub->kind != MC_TUPLE || sub->u.seq.len != 2)
        return mc_vm_fail(vm, "dtype state: subarray must be (dtype, shape)");
    const mc_dtype *base;
    mc_status st = want_dtype(vm, sub->u.seq.items[0], dt, "the subarray base", &base);
    if (st)
        return st;
    const mc_value *shape = sub->u.seq.items[1];
    size_t nd = shape->kind == MC_TUPLE ? shape->u.seq.len : 1;
    if (nd > MAX_SUBARRAY_DIMS)
        return mc_vm_fail(vm, "dtype state: subarray has %zu dimensions", nd);
    int64_t *dims = mc_doc_alloc(vm->doc, (nd ? nd : 1) * sizeof *dims);
    if (!dims)
        return mc_vm_nomem(vm);
    for (size_t i = 0; i < nd; i++) {
        const mc_value *d = shape->kind == MC_TUPLE ? shape->u.seq.items[i] : shape;
        if (get_int(d, &dims[i]) || dims[i] < 0)
            return mc_vm_fail(vm, "dtype state: subarray shape must be non-negative integers");
    }
    uint64_t count, bytes;
    if (mc_shape_product(dims, (uint32_t)nd, &count) || mc_mul_u64(count, base->itemsize, &bytes) ||
        bytes > UINT32_MAX)
        return mc_vm_fail(vm, "dtype state: subarray size overflows");
    dt->subarray_base = base;
    dt->subarray_ndim = (uint32_t)nd;
    dt->subarray_shape = dims;
    if (dt->itemsize == 0)
        dt->itemsize = (uint32_t)bytes;
    if (dt->itemsize != bytes)
        return mc_vm_fail(vm, "dtype state: subarray of %llu bytes in an item of %u bytes",
                          (unsigned long long)bytes, dt->itemsize);
    return MC_OK;
}

/* FNV-1a of a field name, for the lookup table of set_fields. */
static uint32_t name_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

/* The fields dict entry named text: the last one, as Python's dict keeps
 * the last of repeated keys.  `slots` (a power of two, holding index + 1 of
 * each key) is NULL for small dicts, which are scanned. */
static const mc_value *field_entry(const mc_value *fields, const uint32_t *slots, size_t mask,
                                   const char *text, size_t len)
{
    if (!slots) {
        for (size_t k = fields->u.dict.len; k-- > 0;) {
            size_t kl;
            const char *kt = mc_value_text(fields->u.dict.keys[k], &kl);
            if (kt && kl == len && memcmp(kt, text, len) == 0)
                return fields->u.dict.vals[k];
        }
        return NULL;
    }
    for (size_t j = name_hash(text, len) & mask; slots[j]; j = (j + 1) & mask) {
        size_t kl;
        const char *kt = mc_value_text(fields->u.dict.keys[slots[j] - 1], &kl);
        if (kl == len && memcmp(kt, text, len) == 0)
            return fields->u.dict.vals[slots[j] - 1];
    }
    return NULL;
}

static mc_status set_fields(mc_vm *vm, mc_dtype *dt, const mc_value *names,
                            const mc_value *fields)
{
    if (fields->kind != MC_DICT)
        return mc_vm_fail(vm, "dtype state: fields must be a dict, found %s",
                          mc_kind_name(fields->kind));
    size_t n = names ? names->u.seq.len : fields->u.dict.len;
    /* each field adds at least one part; a field with a title has a second
     * key (the title) in the dict */
    if (n > MAX_DTYPE_SIZE || fields->u.dict.len > 2 * (size_t)MAX_DTYPE_SIZE)
        return mc_vm_fail(vm, "dtype state: %zu names and %zu fields (at most %d)", n,
                          fields->u.dict.len, MAX_DTYPE_SIZE);
    mc_dtype_field *f = mc_doc_alloc(vm->doc, (n ? n : 1) * sizeof *f);
    if (!f)
        return mc_vm_nomem(vm);
    /* names are looked up in a hash of the dict's keys: a scan per name
     * would be quadratic in what the file claims */
    uint32_t *slots = NULL;
    size_t mask = 0;
    if (fields->u.dict.len > 8) {
        size_t cap = 16;
        while (cap < 2 * fields->u.dict.len)
            cap *= 2;
        slots = calloc(cap, sizeof *slots);
        if (!slots)
            return mc_vm_nomem(vm);
        mask = cap - 1;
        for (size_t k = 0; k < fields->u.dict.len; k++) {
            size_t kl;
            const char *kt = mc_value_text(fields->u.dict.keys[k], &kl);
            if (!kt)
                continue;
            size_t j = name_hash(kt, kl) & mask;
            for (; slots[j]; j = (j + 1) & mask) {
                size_t ol;
                const char *ot = mc_value_text(fields->u.dict.keys[slots[j] - 1], &ol);
                if (ol == kl && memcmp(ot, kt, kl) == 0)
                    break; /* a repeated key: the later one wins */
            }
            slots[j] = (uint32_t)k + 1;
        }
    }
    mc_status st = MC_OK;
    for (size_t i = 0; i < n && !st; i++) {
        const mc_value *name = names ? names->u.seq.items[i] : fields->u.dict.keys[i];
        size_t len;
        const char *text = mc_value_text(name, &len);
        if (!text) {
            st = mc_vm_fail(vm, "dtype state: field names must be strings");
            break;
        }
        const mc_value *entry = field_entry(fields, slots, mask, text, len);
        if (!entry || entry->kind != MC_TUPLE || entry->u.seq.len < 2 || entry->u.seq.len > 3) {
            st = mc_vm_fail(vm, "dtype state: field '%.*s' has no (dtype, offset[, title])",
                            (int)(len > 64 ? 64 : len), text);
            break;
        }
        int64_t off;
        if ((st = want_dtype(vm, entry->u.seq.items[0], dt, "a field", &f[i].dtype)))
            break;
        if (get_int(entry->u.seq.items[1], &off) || off < 0 ||
            (uint64_t)off + f[i].dtype->itemsize > dt->itemsize) {
            st = mc_vm_fail(vm, "dtype state: field '%.*s' at offset %lld (%u bytes) does not "
                                "fit in a record of %u bytes",
                            (int)(len > 64 ? 64 : len), text, (long long)off,
                            f[i].dtype->itemsize, dt->itemsize);
            break;
        }
        f[i].name = mc_doc_strndup(vm->doc, text, len);
        if (!f[i].name) {
            st = mc_vm_nomem(vm);
            break;
        }
        f[i].offset = off;
        f[i].title = entry->u.seq.len == 3 ? entry->u.seq.items[2] : NULL;
    }
    free(slots);
    if (st)
        return st;
    dt->fields = f;
    dt->nfields = (uint32_t)n;
    return MC_OK;
}

/* numpy 1.7+ datetime metadata: (dict or None, (unit, num, den, events)) */
static mc_status set_metadata(mc_vm *vm, mc_dtype *dt, const mc_value *meta)
{
    if (is_none(meta))
        return MC_OK;
    if (dt->kind != 'M' && dt->kind != 'm') {
        if (meta->kind != MC_DICT)
            return mc_vm_fail(vm, "dtype state: metadata must be a dict");
        dt->metadata = meta;
        return MC_OK;
    }
    if (meta->kind != MC_TUPLE || meta->u.seq.len != 2 || meta->u.seq.items[1]->kind != MC_TUPLE ||
        meta->u.seq.items[1]->u.seq.len < 2)
        return mc_vm_fail(vm, "dtype state: datetime metadata must be (dict, (unit, num, den, "
                              "events))");
    if (!is_none(meta->u.seq.items[0]))
        dt->metadata = meta->u.seq.items[0];
    const mc_value *info = meta->u.seq.items[1];
    const mc_value *unit = info->u.seq.items[0];
    int64_t num;
    if ((unit->kind != MC_BYTES && unit->kind != MC_STR) || get_int(info->u.seq.items[1], &num) ||
        num < 1 || num > INT32_MAX)
        return mc_vm_fail(vm, "dtype state: datetime unit must be (bytes, count)");
    size_t ulen = unit->kind == MC_STR ? unit->u.str.len : unit->u.bytes.len;
    const uint8_t *u = unit->kind == MC_STR ? (const uint8_t *)unit->u.str.data : unit->u.bytes.data;
    if (ulen == 0 || ulen >= sizeof dt->datetime_unit)
        return mc_vm_fail(vm, "dtype state: datetime unit of %zu characters", ulen);
    for (size_t i = 0; i < ulen; i++) {
        if (!((u[i] >= 'a' && u[i] <= 'z') || (u[i] >= 'A' && u[i] <= 'Z')))
            return mc_vm_fail(vm, "dtype state: datetime unit is not letters");
        dt->datetime_unit[i] = (char)u[i];
    }
    dt->datetime_unit[ulen] = '\0';
    dt->datetime_count = (int32_t)num;
    return MC_OK;
}

mc_status mc_np_dtype_setstate(mc_vm *vm, mc_value *target, mc_value *state)
{
    np_dtype *w = wrapper(target->u.dtype);
    mc_dtype *dt = &w->dt;
    /* numpy's pickler builds a field's dtype completely before the record
     * that holds it; refusing later changes keeps dtype graphs acyclic */
    if (w->frozen || dt->state_version != -1)
        return mc_vm_fail(vm, "dtype state set twice, or after the dtype was used in another");
    if (state->kind != MC_TUPLE || state->u.seq.len < 5 || state->u.seq.len > 9)
        return mc_vm_fail(vm, "dtype state must be a tuple of 5 to 9 items");
    mc_value **it = state->u.seq.items;
    size_t n = state->u.seq.len;
    int64_t version = 0, elsize, alignment, flags = 0;
    const mc_value *endian, *subarray, *names = NULL, *fields, *meta = NULL;
    size_t i = 0;
    if (n >= 6 && get_int(it[i++], &version))
        return mc_vm_fail(vm, "dtype state: version must be an integer");
    endian = it[i++];
    subarray = it[i++];
    if (n >= 7)
        names = it[i++];
    fields = it[i++];
    if (get_int(it[i++], &elsize) || get_int(it[i++], &alignment))
        return mc_vm_fail(vm, "dtype state: elsize and alignment must be integers");
    if (n >= 8 && get_int(it[i++], &flags))
        return mc_vm_fail(vm, "dtype state: flags must be an integer");
    if (n == 9)
        meta = it[i++];
    if (version < 0 || version > 4)
        return mc_vm_fail(vm, "dtype state version %lld (numpy writes 0 to 4)", (long long)version);

    size_t el;
    const char *e = mc_value_text(endian, &el);
    if (!e || el != 1 || !strchr("<>|=", e[0]))
        return mc_vm_fail(vm, "dtype state: byte order must be one of < > | =");
    dt->byteorder = e[0] == '=' ? '<' : e[0]; /* '=' is the writer's native: x86 and arm64 */
    /* flexible kinds take their size from the state */
    if ((dt->kind == 'V' || dt->kind == 'S' || dt->kind == 'U') && elsize >= 0) {
        if (elsize > INT32_MAX)
            return mc_vm_fail(vm, "dtype state: item size %lld", (long long)elsize);
        dt->itemsize = (uint32_t)elsize;
    }
    dt->alignment = alignment < INT32_MIN || alignment > INT32_MAX ? -1 : (int32_t)alignment;
    dt->flags = (int32_t)flags;
    dt->state_version = (int32_t)version;

    mc_status st;
    if (!is_none(subarray) && (st = set_subarray(vm, dt, subarray)))
        return st;
    if (names && !is_none(names) && names->kind != MC_TUPLE)
        return mc_vm_fail(vm, "dtype state: names must be a tuple");
    if (!is_none(fields)) {
        if (dt->kind != 'V')
            return mc_vm_fail(vm, "dtype state: fields on a non-void dtype");
        if ((st = set_fields(vm, dt, names && !is_none(names) ? names : NULL, fields)))
            return st;
    }
    if (meta && (st = set_metadata(vm, dt, meta)))
        return st;
    return MC_OK;
}
