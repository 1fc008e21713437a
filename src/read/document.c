#define _DEFAULT_SOURCE
#include "read/document.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct mc_owned_buffer {
    mc_owned_buffer *next;
    mc_buffer buf;
};

mc_document *mc_document_new(void)
{
    mc_document *doc = calloc(1, sizeof *doc);
    if (!doc)
        return NULL;
    mc_read_options_init(&doc->opts);
    mc_arena_init(&doc->arena, UINT64_MAX);
    doc->prov.protocol = -1;
    return doc;
}

mc_value *mc_doc_value(mc_document *doc, mc_kind kind, int64_t offset)
{
    mc_value *v = mc_arena_alloc(&doc->arena, sizeof *v);
    if (!v)
        return NULL;
    v->kind = kind;
    v->id = doc->nvalues++;
    v->offset = offset;
    return v;
}

void *mc_doc_alloc(mc_document *doc, size_t size)
{
    return mc_arena_alloc(&doc->arena, size);
}

char *mc_doc_strndup(mc_document *doc, const char *s, size_t n)
{
    return mc_arena_strndup(&doc->arena, s, n);
}

mc_status mc_doc_alloc_error(mc_document *doc, mc_error *err, int64_t offset)
{
    if (doc->arena.over_budget)
        return mc_error_set(err, MC_E_INPUT, offset,
                            "the file needs more than %llu bytes of memory for its "
                            "objects (limit: %llu x its size); refusing to go on",
                            (unsigned long long)doc->arena.budget,
                            (unsigned long long)doc->opts.node_budget_ratio);
    return mc_error_set(err, MC_E_NOMEM, offset, "out of memory");
}

void mc_doc_release_input(const mc_document *doc, const void *data, uint64_t len)
{
    const uint8_t *p = data, *base = doc->input.data;
    long page = sysconf(_SC_PAGESIZE);
    if (!doc->input.maplen || page <= 0 || p < base || len > doc->input.size ||
        (uint64_t)(p - base) > doc->input.size - len)
        return;
    /* whole pages inside the range only */
    uintptr_t lo = ((uintptr_t)p + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t hi = ((uintptr_t)p + len) & ~((uintptr_t)page - 1);
    if (hi > lo)
        madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

mc_status mc_doc_adopt_buffer(mc_document *doc, mc_buffer *buf, mc_error *err)
{
    mc_owned_buffer *o = malloc(sizeof *o);
    if (!o) {
        mc_buffer_free(buf);
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    }
    o->buf = *buf;
    o->next = doc->buffers;
    doc->buffers = o;
    memset(buf, 0, sizeof *buf);
    return MC_OK;
}

/* FNV-1a of module '\0' name: globals are found through a hash, since a
 * file may name tens of thousands of distinct ones (each a few bytes). */
static size_t global_hash(const char *module, const char *name)
{
    uint64_t h = 14695981039346656037ull;
    for (const char *p = module; *p; p++)
        h = (h ^ (uint8_t)*p) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (const char *p = name; *p; p++)
        h = (h ^ (uint8_t)*p) * 1099511628211ull;
    return (size_t)(h ^ (h >> 29));
}

static mc_global_use *find_global(mc_document *doc, const char *module, const char *name,
                                  size_t *slot)
{
    if (!doc->global_slots_cap)
        return NULL;
    size_t mask = doc->global_slots_cap - 1;
    size_t j = global_hash(module, name) & mask;
    for (; doc->global_slots[j]; j = (j + 1) & mask) {
        mc_global_use *g = &doc->globals[doc->global_slots[j] - 1];
        if (strcmp(g->module, module) == 0 && strcmp(g->name, name) == 0)
            return g;
    }
    if (slot)
        *slot = j;
    return NULL;
}

mc_status mc_doc_note_global(mc_document *doc, const char *module, const char *name,
                             mc_verdict verdict, const char *reason, int64_t offset,
                             unsigned use, mc_error *err)
{
    mc_global_use *found = find_global(doc, module, name, NULL);
    if (found) {
        found->count++;
        found->uses |= use;
        return MC_OK;
    }
    if (doc->nglobals == doc->globals_cap) {
        size_t cap = doc->globals_cap ? doc->globals_cap * 2 : 32;
        mc_global_use *g = realloc(doc->globals, cap * sizeof *g);
        if (!g)
            return mc_error_set(err, MC_E_NOMEM, offset, "out of memory");
        doc->globals = g;
        doc->globals_cap = cap;
    }
    /* keep the hash at most half full */
    if (2 * (doc->nglobals + 1) > doc->global_slots_cap) {
        size_t cap = doc->global_slots_cap ? 2 * doc->global_slots_cap : 64;
        uint32_t *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return mc_error_set(err, MC_E_NOMEM, offset, "out of memory");
        for (size_t i = 0; i < doc->nglobals; i++) {
            size_t j = global_hash(doc->globals[i].module, doc->globals[i].name) & (cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = (uint32_t)i + 1;
        }
        free(doc->global_slots);
        doc->global_slots = slots;
        doc->global_slots_cap = cap;
    }
    mc_global_use *g = &doc->globals[doc->nglobals];
    g->module = mc_doc_strndup(doc, module, strlen(module));
    g->name = mc_doc_strndup(doc, name, strlen(name));
    g->reason = reason ? reason : "";
    if (!g->module || !g->name)
        return mc_doc_alloc_error(doc, err, offset);
    g->verdict = verdict;
    g->first_offset = offset;
    g->count = 1;
    g->uses = use;
    size_t slot;
    find_global(doc, module, name, &slot);
    doc->global_slots[slot] = (uint32_t)doc->nglobals + 1;
    doc->nglobals++;
    return MC_OK;
}

void mc_doc_note_use(mc_document *doc, const char *module, const char *name, unsigned use)
{
    mc_global_use *g = find_global(doc, module, name, NULL);
    if (g)
        g->uses |= use;
}

/* Grow an arena-backed pointer array to hold at least need entries. */
static int grow(mc_document *doc, mc_value ***items, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 4;
    while (ncap < need)
        ncap *= 2;
    mc_value **n = mc_doc_alloc(doc, ncap * sizeof *n);
    if (!n)
        return -1;
    if (*cap)
        memcpy(n, *items, *cap * sizeof *n);
    *items = n;
    *cap = ncap;
    return 0;
}

mc_status mc_seq_append(mc_document *doc, mc_value *seq, mc_value *item, mc_error *err)
{
    size_t cap = seq->u.seq.cap;
    if (grow(doc, &seq->u.seq.items, &cap, seq->u.seq.len + 1))
        return mc_doc_alloc_error(doc, err, item->offset);
    seq->u.seq.cap = cap;
    seq->u.seq.items[seq->u.seq.len++] = item;
    return MC_OK;
}

/* Keys are not deduplicated: Python's pickler never repeats a key, and a
 * file that does gets "last one wins" from mc_dict_get, as in Python.  This
 * keeps building a dict linear in its size. */
mc_status mc_dict_set(mc_document *doc, mc_value *dict, mc_value *key, mc_value *val,
                      mc_error *err)
{
    size_t len = dict->u.dict.len;
    size_t kcap = dict->u.dict.cap, vcap = dict->u.dict.cap;
    if (grow(doc, &dict->u.dict.keys, &kcap, len + 1) ||
        grow(doc, &dict->u.dict.vals, &vcap, len + 1))
        return mc_doc_alloc_error(doc, err, key->offset);
    dict->u.dict.cap = kcap;
    dict->u.dict.keys[len] = key;
    dict->u.dict.vals[len] = val;
    dict->u.dict.len = len + 1;
    return MC_OK;
}

const mc_value *mc_document_root(const mc_document *doc)
{
    return doc->root;
}

const mc_provenance *mc_document_provenance(const mc_document *doc)
{
    return &doc->prov;
}

uint32_t mc_document_value_count(const mc_document *doc)
{
    return doc->nvalues;
}

const mc_global_use *mc_document_globals(const mc_document *doc, size_t *count)
{
    *count = doc->nglobals;
    return doc->globals;
}

void mc_document_free(mc_document *doc)
{
    if (!doc)
        return;
    mc_owned_buffer *o = doc->buffers;
    while (o) {
        mc_owned_buffer *next = o->next;
        mc_buffer_free(&o->buf);
        free(o);
        o = next;
    }
    mc_mapfile_close(&doc->input);
    free(doc->globals);
    free(doc->global_slots);
    mc_arena_free(&doc->arena);
    free(doc);
}

const char *mc_verdict_name(mc_verdict v)
{
    switch (v) {
    case MC_VERDICT_SAFE: return "safe";
    case MC_VERDICT_UNKNOWN: return "unknown";
    case MC_VERDICT_UNSAFE: return "unsafe";
    }
    return "?";
}
