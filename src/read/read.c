/* Reading a pickle or joblib file into a document: detect the container by
 * content, decompress once, run the VM, check nesting, note provenance. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "joblib/container.h"
#include "pickle/vm.h"
#include "read/document.h"

void mc_read_options_init(mc_read_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->max_expand_ratio = 200;
    opts->max_expand_floor = 64u << 20;
    opts->max_nesting = 1000; /* CPython's pickler cannot write deeper */
    opts->max_stack = 1u << 24;
    opts->node_budget_ratio = 32;
    opts->node_budget_floor = 64u << 20;
}

static uint64_t scaled(uint64_t ratio, uint64_t bytes, uint64_t floor)
{
    uint64_t v;
    if (__builtin_mul_overflow(ratio, bytes, &v))
        return UINT64_MAX;
    return v > floor ? v : floor;
}

/* Name what a non-pickle file looks like, for the error. */
static const char *looks_like(const uint8_t *p, size_t n)
{
    if (n >= 8 && memcmp(p, "\x89HDF\r\n\x1a\n", 8) == 0)
        return " (an HDF5 file)";
    if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0)
        return " (a zip archive, e.g. .skops or .npz)";
    if (n >= 6 && memcmp(p, "\x93NUMPY", 6) == 0)
        return " (a .npy array)";
    if (n >= 2 && p[0] == 0x08 && p[1] < 0x20)
        return " (perhaps an ONNX model)";
    return "";
}

/* A pickle starts with PROTO (protocol 2+) or, for 0 and 1, with an opcode
 * that can begin a stream. */
static int starts_like_pickle(const uint8_t *p, size_t n)
{
    return n > 0 && p[0] != 0 && (p[0] == 0x80 || strchr("(]}).NIJKLMFGSTUVXcdlt", p[0]) != NULL);
}

/* Greatest nesting below root, each value visited once (heights memoised),
 * without recursion so deep hostile graphs cannot exhaust the C stack.
 * Back edges (cycles) do not add depth. */
static mc_status check_nesting(mc_document *doc, mc_error *err)
{
    uint32_t n = doc->nvalues;
    if (!doc->root || n == 0)
        return MC_OK;
    uint32_t *height = calloc(n, sizeof *height); /* 0 = unvisited */
    uint8_t *onpath = calloc(n, 1);
    struct frame {
        const mc_value *v;
        size_t next;
    } *stack = malloc((size_t)(doc->opts.max_nesting + 2) * sizeof *stack);
    if (!height || !onpath || !stack) {
        free(height);
        free(onpath);
        free(stack);
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    }
    mc_status st = MC_OK;
    size_t sp = 0;
    stack[sp++] = (struct frame){doc->root, 0};
    onpath[doc->root->id] = 1;
    while (sp && !st) {
        struct frame *f = &stack[sp - 1];
        const mc_value *child = NULL;
        size_t count = mc_value_child_count(f->v);
        while (f->next < count && !child) {
            const mc_value *c = mc_value_child(f->v, f->next++);
            if (!c || onpath[c->id])
                continue;
            if (height[c->id]) {
                if (height[c->id] + 1 > height[f->v->id])
                    height[f->v->id] = height[c->id] + 1;
                continue;
            }
            child = c;
        }
        if (child) {
            if (sp > doc->opts.max_nesting) {
                st = mc_error_set(err, MC_E_INPUT, child->offset,
                                  "values nest more than %u levels deep", doc->opts.max_nesting);
                break;
            }
            onpath[child->id] = 1;
            stack[sp++] = (struct frame){child, 0};
            continue;
        }
        /* all children done */
        if (height[f->v->id] == 0)
            height[f->v->id] = 1;
        onpath[f->v->id] = 0;
        uint32_t h = height[f->v->id];
        sp--;
        if (sp && h + 1 > height[stack[sp - 1].v->id])
            height[stack[sp - 1].v->id] = h + 1;
    }
    free(height);
    free(onpath);
    free(stack);
    return st;
}

/* The outermost scikit-learn object, breadth first from the root. */
static const mc_value *outer_estimator(const mc_document *doc)
{
    const mc_value *found = NULL;
    uint32_t n = doc->nvalues;
    const mc_value **queue = malloc((size_t)n * sizeof *queue);
    uint8_t *seen = calloc(n ? n : 1, 1);
    if (!queue || !seen || !doc->root) {
        free(queue);
        free(seen);
        return NULL;
    }
    size_t head = 0, tail = 0;
    queue[tail++] = doc->root;
    seen[doc->root->id] = 1;
    while (head < tail && !found) {
        const mc_value *v = queue[head++];
        if (v->kind == MC_OBJECT && v->u.object.cls &&
            strncmp(v->u.object.cls->u.global.module, "sklearn.", 8) == 0 && mc_object_state(v)) {
            found = v;
            break;
        }
        for (size_t i = 0, k = mc_value_child_count(v); i < k; i++) {
            const mc_value *c = mc_value_child(v, i);
            if (c && !seen[c->id]) {
                seen[c->id] = 1;
                queue[tail++] = c;
            }
        }
    }
    free(queue);
    free(seen);
    return found;
}

static void fill_provenance(mc_document *doc, mc_compressor comp)
{
    mc_provenance *p = &doc->prov;
    int legacy = comp == MC_COMP_ZFILE || doc->saw_legacy_wrapper;
    snprintf(p->format, sizeof p->format, "%s",
             legacy ? "joblib-legacy"
                    : (doc->saw_joblib_wrapper || comp != MC_COMP_NONE) ? "joblib" : "pickle");
    snprintf(p->compressor, sizeof p->compressor, "%s",
             comp == MC_COMP_ZFILE ? "zlib" : mc_compressor_name(comp));
    const mc_value *est = outer_estimator(doc);
    if (est) {
        size_t n;
        const char *v = mc_value_text(mc_object_get(est, "_sklearn_version"), &n);
        /* sklearn's own default when the key is missing (base.py __setstate__) */
        snprintf(p->sklearn_version, sizeof p->sklearn_version, "%.*s", v ? (int)n : 8,
                 v ? v : "pre-0.18");
    }
    snprintf(p->numpy_hint, sizeof p->numpy_hint, "%s",
             doc->saw_numpy_2core ? "2.x" : doc->saw_numpy_core ? "1.x" : "");
    const char *jl = "";
    if (legacy)
        jl = "<0.10";
    else if (doc->saw_joblib_wrapper && doc->saw_joblib_align_key)
        jl = doc->max_nested_protocol >= 5 ? ">=1.5"
             : doc->max_nested_protocol > 0 ? "1.2-1.4" : ">=1.2";
    else if (doc->saw_joblib_wrapper)
        jl = "0.10-1.1";
    snprintf(p->joblib_hint, sizeof p->joblib_hint, "%s", jl);
    p->python2 = doc->saw_py2_strings;
}

static mc_status read_doc(mc_document *doc, const uint8_t *data, size_t len, mc_error *err)
{
    doc->prov.input_bytes = len;
    mc_compressor comp = mc_detect_compressor(data, len);
    const uint8_t *stream = data;
    size_t slen = len;
    mc_status st;
    if (comp != MC_COMP_NONE) {
        mc_buffer buf;
        uint64_t cap = scaled(doc->opts.max_expand_ratio, len, doc->opts.max_expand_floor);
        if ((st = mc_decompress(comp, data, len, cap, &buf, err)))
            return st;
        stream = buf.data;
        slen = buf.len;
        if ((st = mc_doc_adopt_buffer(doc, &buf, err)))
            return st;
        /* The budget grows with the stream, but only as far as real pickles
         * compress (opcode streams rarely shrink more than a few times): a
         * small file that inflates to a stream of one-byte opcodes would
         * otherwise be allowed ratio x the inflated size. */
        uint64_t counted = slen;
        if (counted / 16 > len)
            counted = (uint64_t)len * 16;
        doc->arena.budget =
            scaled(doc->opts.node_budget_ratio, counted, doc->opts.node_budget_floor);
    }
    doc->prov.stream_bytes = slen;
    if (!starts_like_pickle(stream, slen)) {
        if (slen == 0)
            return mc_error_set(err, MC_E_INPUT, 0, "empty %s", comp ? "stream" : "file");
        if (err)
            err->offset_is_decompressed = comp != MC_COMP_NONE;
        mc_error_set(err, MC_E_INPUT, 0,
                     "not a pickle or joblib file: expected a pickle opcode, found bytes "
                     "%02x %02x %02x %02x%s",
                     stream[0], slen > 1 ? stream[1] : 0, slen > 2 ? stream[2] : 0,
                     slen > 3 ? stream[3] : 0, looks_like(stream, slen));
        return MC_E_INPUT;
    }
    size_t end;
    if ((st = mc_pickle_run(doc, stream, slen, 0, 0, comp != MC_COMP_NONE, &doc->root, &end, err)))
        return st;
    if ((st = check_nesting(doc, err))) {
        if (err)
            err->offset_is_decompressed = comp != MC_COMP_NONE;
        return st;
    }
    fill_provenance(doc, comp);
    return MC_OK;
}

static mc_document *new_document(const mc_read_options *opts, const char *name, size_t len)
{
    mc_document *doc = calloc(1, sizeof *doc);
    if (!doc)
        return NULL;
    if (opts)
        doc->opts = *opts;
    else
        mc_read_options_init(&doc->opts);
    mc_arena_init(&doc->arena,
                  scaled(doc->opts.node_budget_ratio, len, doc->opts.node_budget_floor));
    doc->prov.protocol = -1;
    if (name) {
        doc->path = mc_arena_strndup(&doc->arena, name, strlen(name));
        const char *slash = strrchr(name, '/');
        doc->dir = slash ? mc_arena_strndup(&doc->arena, name, (size_t)(slash - name))
                         : mc_arena_strndup(&doc->arena, ".", 1);
        if (slash == name)
            doc->dir = "/";
    }
    return doc;
}

static mc_status finish(mc_document *doc, mc_status st, const char *name, mc_document **out,
                        mc_error *err)
{
    if (st) {
        if (err && !err->file[0] && name)
            mc_error_set_file(err, name);
        if (doc->opts.scan && st == MC_E_INPUT) {
            /* a scan lists what it saw before the file went wrong */
            doc->root = NULL;
            *out = doc;
            return st;
        }
        mc_document_free(doc);
        *out = NULL;
        return st;
    }
    *out = doc;
    return MC_OK;
}

mc_status mc_read_file(const char *path, const mc_read_options *opts, mc_document **out,
                       mc_error *err)
{
    mc_error_clear(err);
    mc_document *doc = new_document(opts, path, 0);
    if (!doc)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    mc_status st = mc_mapfile_open(&doc->input, path, err);
    if (!st) {
        doc->arena.budget =
            scaled(doc->opts.node_budget_ratio, doc->input.size, doc->opts.node_budget_floor);
        st = read_doc(doc, doc->input.data, doc->input.size, err);
    }
    return finish(doc, st, path, out, err);
}

mc_status mc_read_memory(const uint8_t *data, size_t len, const char *name,
                         const mc_read_options *opts, mc_document **out, mc_error *err)
{
    mc_error_clear(err);
    mc_document *doc = new_document(opts, NULL, len);
    if (!doc)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    if (name)
        doc->path = mc_arena_strndup(&doc->arena, name, strlen(name));
    return finish(doc, read_doc(doc, data, len, err), name, out, err);
}
