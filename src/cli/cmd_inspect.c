/* modelconv inspect FILE [--json]: the object tree of a pickle or joblib
 * file — estimator classes, parameters, fitted arrays (dtype and shape),
 * nested estimators, with forests summarised — and its provenance.
 *
 * scikit-learn's naming convention splits an estimator's state: names
 * ending in '_' are fitted attributes, names starting with '_' private, the
 * rest constructor parameters.  Each value is expanded once; a value the
 * pickle shares is shown again only as a reference. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/format.h"
#include "cli/json_writer.h"
#include "modelconv/read.h"
#include "modelconv/scan.h"

enum { INLINE_LIST = 16, SHOWN_ITEMS = 8, SHOWN_KEYS = 64, ARRAY_VALUES = 16 };

/* Deepest level printed.  The reader refuses values nested more than 1000
 * levels deep, but it measures one walk of the graph: with cycles, a walk
 * in another order (estimator sections print params before fitted values)
 * can find a longer simple path, so the printers bound their own
 * recursion. */
enum { MAX_SHOWN_DEPTH = 1100 };

/* The keys tree_nodes() looks up, found in one pass over a state dict and
 * remembered per dict: objects that share a state (or a tree) cost one
 * pass, not one per reference. */
typedef struct dict_keys {
    const mc_value *tree_, *nodes, *node_count;
    uint8_t done;
} dict_keys;

typedef struct inspect {
    uint8_t *shown; /* per value id */
    dict_keys *keys; /* per value id, allocated on first use; NULL if none */
    uint32_t nvalues;
    FILE *out;
    json_writer json;
} inspect;

void help_inspect(void)
{
    printf("usage: modelconv inspect FILE [--json]\n\n"
           "Show what a pickle or joblib file holds without running it: the estimator\n"
           "classes and their parameters, fitted arrays (dtype, shape), nested estimators\n"
           "(pipeline steps; forest members summarised), and provenance (format, protocol,\n"
           "compressor, the scikit-learn version that wrote it, numpy/joblib hints).\n\n"
           "  --json   one JSON object; top-level keys include format, estimator (the\n"
           "           full class path, or null for plain data) and sklearn_version\n\n"
           "exit: 0 ok, 2 usage, 3 unreadable, hostile or corrupt file\n");
}

/* ---- helpers shared by both outputs ------------------------------------ */

static const char *class_path(const mc_value *v, char *buf, size_t size)
{
    return mc_value_class_path(v, buf, size);
}

static int is_sklearn_estimator(const mc_value *v)
{
    return v->kind == MC_OBJECT && v->u.object.cls &&
           strncmp(v->u.object.cls->u.global.module, "sklearn.", 8) == 0 &&
           (v->u.object.ctor == MC_CTOR_NEWOBJ || v->u.object.ctor == MC_CTOR_RECONSTRUCTOR) &&
           mc_object_state(v);
}

/* Items of a sequence-like value (list, tuple, set, object ndarray). */
static const mc_value *const *items_of(const mc_value *v, size_t *n)
{
    if (v->kind == MC_LIST || v->kind == MC_TUPLE || v->kind == MC_SET || v->kind == MC_FROZENSET) {
        *n = v->u.seq.len;
        return (const mc_value *const *)v->u.seq.items;
    }
    if (v->kind == MC_NDARRAY && v->u.array.objects) {
        *n = (size_t)v->u.array.count;
        return v->u.array.objects;
    }
    *n = 0;
    return NULL;
}

/* The class shared by every item when all are objects of one class
 * ("forest members"), or NULL. */
static const mc_value *uniform_class(const mc_value *const *items, size_t n)
{
    if (n < 3 || !items[0] || items[0]->kind != MC_OBJECT)
        return NULL;
    const mc_value *c0 = items[0]->u.object.cls;
    for (size_t i = 1; i < n; i++) {
        const mc_value *c = items[i] ? items[i]->u.object.cls : NULL;
        if (items[i]->kind != MC_OBJECT || !c || strcmp(c->u.global.module, c0->u.global.module) ||
            strcmp(c->u.global.name, c0->u.global.name))
            return NULL;
    }
    return c0;
}

/* tree_, nodes and node_count of an object's state (last one wins, as in
 * mc_dict_get), from the per-dict cache. */
static const dict_keys *object_keys(inspect *in, const mc_value *obj)
{
    static const dict_keys none;
    const mc_value *d = mc_object_state(obj);
    if (!d)
        return &none;
    if (!in->keys) {
        in->keys = calloc(in->nvalues ? in->nvalues : 1, sizeof *in->keys);
        if (!in->keys)
            return &none; /* out of memory: show no node counts */
    }
    dict_keys *k = &in->keys[d->id];
    if (!k->done) {
        for (size_t i = 0; i < d->u.dict.len; i++) {
            const mc_value *key = d->u.dict.keys[i], *val = d->u.dict.vals[i];
            if (mc_value_is_str(key, "tree_"))
                k->tree_ = val;
            else if (mc_value_is_str(key, "nodes"))
                k->nodes = val;
            else if (mc_value_is_str(key, "node_count"))
                k->node_count = val;
        }
        k->done = 1;
    }
    return k;
}

/* Tree nodes held by a value: a fitted tree estimator (tree_.node_count),
 * a HistGradientBoosting TreePredictor (nodes), or lists of them.
 * *via_tree says the count came from tree_. */
static uint64_t tree_nodes_via(inspect *in, const mc_value *v, int depth, int *via_tree)
{
    if (via_tree)
        *via_tree = 0;
    if (!v || depth > 3)
        return 0;
    if (v->kind == MC_OBJECT) {
        const dict_keys *k = object_keys(in, v);
        int64_t n;
        if (k->tree_ && via_tree)
            *via_tree = 1;
        if (k->tree_ && mc_value_to_int64(object_keys(in, k->tree_)->node_count, &n) == 0 &&
            n > 0)
            return (uint64_t)n;
        if (k->nodes && k->nodes->kind == MC_NDARRAY)
            return k->nodes->u.array.count;
        return 0;
    }
    size_t n;
    const mc_value *const *items = items_of(v, &n);
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += tree_nodes_via(in, items[i], depth + 1, NULL);
    return total;
}

static uint64_t tree_nodes(inspect *in, const mc_value *v, int depth)
{
    return tree_nodes_via(in, v, depth, NULL);
}

static const char *storage_name(mc_array_origin o)
{
    switch (o) {
    case MC_ARR_RECONSTRUCT: return "pickle";
    case MC_ARR_FROMBUFFER: return "pickle-buffer";
    case MC_ARR_JOBLIB: return "joblib";
    case MC_ARR_JOBLIB_LEGACY: return "joblib-companion-file";
    case MC_ARR_NPY: return "npy";
    }
    return "?";
}

/* state key classes by scikit-learn's naming convention */
enum { KEY_PARAM, KEY_FITTED, KEY_PRIVATE };

static int key_class(const char *k, size_t n)
{
    if (n && k[0] == '_')
        return KEY_PRIVATE;
    if (n && k[n - 1] == '_')
        return KEY_FITTED;
    return KEY_PARAM;
}

static int is_expandable(const mc_value *v)
{
    return v->kind == MC_LIST || v->kind == MC_TUPLE || v->kind == MC_SET ||
           v->kind == MC_FROZENSET || v->kind == MC_DICT || v->kind == MC_NDARRAY ||
           v->kind == MC_OBJECT;
}

/* ---- text -------------------------------------------------------------- */

static void text_value(inspect *in, const mc_value *v, int indent, const char *label);

static void pad(inspect *in, int indent)
{
    fprintf(in->out, "%*s", indent * 2, "");
}

/* Scalars, and arrays without objects, fit on one line. */
static int one_line(const mc_value *v, char *buf, size_t size)
{
    if (fmt_scalar(buf, size, v) == 0)
        return 1;
    if (v->kind == MC_NDARRAY && !v->u.array.objects) {
        fmt_array(buf, size, &v->u.array, ARRAY_VALUES);
        return 1;
    }
    return 0;
}

/* A short list of scalars: "[1, 2, 3]". */
static int inline_list(const mc_value *v, char *buf, size_t size)
{
    if (v->kind != MC_LIST && v->kind != MC_TUPLE)
        return 0;
    if (v->u.seq.len > INLINE_LIST)
        return 0;
    size_t o = 0;
    o += (size_t)snprintf(buf, size, "%c", v->kind == MC_LIST ? '[' : '(');
    for (size_t i = 0; i < v->u.seq.len; i++) {
        char item[96];
        if (fmt_scalar(item, sizeof item, v->u.seq.items[i]))
            return 0;
        if (o < size)
            o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", item);
    }
    if (o < size)
        snprintf(buf + o, size - o, "%s%c", v->kind == MC_TUPLE && v->u.seq.len == 1 ? "," : "",
                 v->kind == MC_LIST ? ']' : ')');
    return o < size;
}

/* What fmt_scalar or inline_list would print on one line, decided without
 * formatting anything (printing a dict visits every entry). */
static int is_scalar_kind(const mc_value *v)
{
    switch (v->kind) {
    case MC_LIST:
    case MC_TUPLE:
    case MC_SET:
    case MC_FROZENSET:
    case MC_DICT:
    case MC_NDARRAY:
    case MC_OBJECT:
        return 0;
    default:
        return 1;
    }
}

static int fits_line(const mc_value *v)
{
    if (is_scalar_kind(v))
        return 1;
    if ((v->kind != MC_LIST && v->kind != MC_TUPLE) || v->u.seq.len > INLINE_LIST)
        return 0;
    for (size_t i = 0; i < v->u.seq.len; i++)
        if (!is_scalar_kind(v->u.seq.items[i]))
            return 0;
    return 1;
}

/* Items one per line, or for forest-like lists only the first. */
static void text_items(inspect *in, const mc_value *v, int indent)
{
    size_t n;
    const mc_value *const *items = items_of(v, &n);
    if (uniform_class(items, n)) {
        text_value(in, items[0], indent, "[0] ");
        return;
    }
    size_t show = n > SHOWN_ITEMS ? SHOWN_ITEMS : n;
    for (size_t i = 0; i < show; i++) {
        char label[32];
        snprintf(label, sizeof label, "[%zu] ", i);
        text_value(in, items[i], indent, label);
    }
    if (show < n) {
        pad(in, indent);
        fprintf(in->out, "... %zu more\n", n - show);
    }
}

static void text_key(const mc_value *k, char *buf, size_t size)
{
    size_t n;
    const char *t = mc_value_text(k, &n);
    if (t)
        snprintf(buf, size, "%.*s", (int)(n > 120 ? 120 : n), t);
    else if (fmt_scalar(buf, size, k))
        snprintf(buf, size, "<%s>", mc_kind_name(k->kind));
}

static void text_dict_entries(inspect *in, const mc_value *d, int indent, int only_class,
                              const char *section)
{
    int printed_header = 0;
    char line[1024];
    size_t o = 0;
    line[0] = '\0';
    /* scalars of this section on one line, the rest one per line below */
    for (size_t i = 0; i < d->u.dict.len && i < 4096; i++) {
        char key[128], val[256];
        size_t kn;
        const char *kt = mc_value_text(d->u.dict.keys[i], &kn);
        if (only_class >= 0 && (!kt || key_class(kt, kn) != only_class))
            continue;
        text_key(d->u.dict.keys[i], key, sizeof key);
        if (fmt_scalar(val, sizeof val, d->u.dict.vals[i]) == 0 ||
            inline_list(d->u.dict.vals[i], val, sizeof val)) {
            if (o < sizeof line)
                o += (size_t)snprintf(line + o, sizeof line - o, "%s%s=%s", o ? " " : "", key, val);
            if (o > 100) {
                pad(in, indent);
                if (section[0])
                    fprintf(in->out, "%-8s ", printed_header ? "" : section);
                fprintf(in->out, "%s\n", line);
                printed_header = 1;
                o = 0;
                line[0] = '\0';
            }
        }
    }
    if (o) {
        pad(in, indent);
        if (section[0])
            fprintf(in->out, "%-8s ", printed_header ? "" : section);
        fprintf(in->out, "%s\n", line);
        printed_header = 1;
    }
    for (size_t i = 0, shown = 0; i < d->u.dict.len; i++) {
        char key[160];
        size_t kn;
        const char *kt = mc_value_text(d->u.dict.keys[i], &kn);
        const mc_value *v = d->u.dict.vals[i];
        if (only_class >= 0 && (!kt || key_class(kt, kn) != only_class))
            continue;
        if (fits_line(v))
            continue;
        if (only_class < 0 && ++shown > SHOWN_KEYS) {
            pad(in, indent);
            fprintf(in->out, "... %zu more keys\n", d->u.dict.len - i);
            break;
        }
        if (!printed_header && section[0]) {
            pad(in, indent);
            fprintf(in->out, "%s\n", section);
        }
        printed_header = 1;
        text_key(d->u.dict.keys[i], key, sizeof key - 3);
        strcat(key, " = ");
        text_value(in, v, indent + 1, key);
    }
}

static void text_object(inspect *in, const mc_value *v, int indent, const char *label)
{
    char path[512];
    class_path(v, path, sizeof path);
    pad(in, indent);
    fprintf(in->out, "%s%s (%s)", label, short_name(path), path);
    int via_tree;
    uint64_t nodes = tree_nodes_via(in, v, 0, &via_tree);
    if (nodes && !via_tree)
        fprintf(in->out, " %llu nodes", (unsigned long long)nodes);
    fputc('\n', in->out);
    const mc_value *state = mc_object_state(v);
    /* a state dict shared by several objects is printed once */
    int shared = state && in->shown[state->id];
    if (state)
        in->shown[state->id] = 1;
    if (!shared && is_sklearn_estimator(v)) {
        text_dict_entries(in, state, indent + 1, KEY_PARAM, "params");
        text_dict_entries(in, state, indent + 1, KEY_FITTED, "fitted");
        text_dict_entries(in, state, indent + 1, KEY_PRIVATE, "private");
        return;
    }
    if (v->u.object.args && v->u.object.args->u.seq.len && v->u.object.ctor != MC_CTOR_PYX_UNPICKLE)
        text_value(in, v->u.object.args, indent + 1, "args = ");
    if (shared) {
        pad(in, indent + 1);
        fprintf(in->out, "state    (the same dict as above)\n");
    } else if (state) {
        text_dict_entries(in, state, indent + 1, -1, "state");
    } else if (v->u.object.state)
        text_value(in, v->u.object.state, indent + 1, "state = ");
    if (v->u.object.listitems)
        text_value(in, v->u.object.listitems, indent + 1, "items = ");
    if (v->u.object.dictitems)
        text_value(in, v->u.object.dictitems, indent + 1, "items = ");
}

static void text_value(inspect *in, const mc_value *v, int indent, const char *label)
{
    char buf[1024];
    if (one_line(v, buf, sizeof buf) || inline_list(v, buf, sizeof buf)) {
        pad(in, indent);
        fprintf(in->out, "%s%s\n", label, buf);
        return;
    }
    if (is_expandable(v) && in->shown[v->id]) {
        pad(in, indent);
        fprintf(in->out, "%s(the same %s as above)\n", label, mc_kind_name(v->kind));
        return;
    }
    if (indent > MAX_SHOWN_DEPTH) {
        pad(in, indent);
        fprintf(in->out, "%s(%s nested too deep to show)\n", label, mc_kind_name(v->kind));
        return;
    }
    in->shown[v->id] = 1;
    size_t n;
    switch (v->kind) {
    case MC_OBJECT:
        text_object(in, v, indent, label);
        return;
    case MC_DICT:
        pad(in, indent);
        fprintf(in->out, "%s%s of %zu\n", label,
                v->u.dict.cls ? v->u.dict.cls->u.global.name : "dict", v->u.dict.len);
        text_dict_entries(in, v, indent + 1, -1, "");
        return;
    case MC_NDARRAY:
        fmt_array(buf, sizeof buf, &v->u.array, 0);
        break;
    default:
        items_of(v, &n);
        snprintf(buf, sizeof buf, "%s of %zu", mc_kind_name(v->kind), n);
        break;
    }
    const mc_value *const *items = items_of(v, &n);
    const mc_value *cls = uniform_class(items, n);
    pad(in, indent);
    fprintf(in->out, "%s%s", label, buf);
    if (cls) {
        char path[512];
        uint64_t nodes = tree_nodes(in, v, 0);
        fprintf(in->out, " x %s", short_name(class_path(cls, path, sizeof path)));
        if (nodes)
            fprintf(in->out, " (%llu tree nodes in all)", (unsigned long long)nodes);
        fprintf(in->out, "; the first:");
    }
    fputc('\n', in->out);
    text_items(in, v, indent + 1);
}

static void text_report(inspect *in, const char *path, const mc_document *doc)
{
    const mc_provenance *p = mc_document_provenance(doc);
    const mc_value *root = mc_document_root(doc);
    FILE *o = in->out;
    char cls[512];
    fprintf(o, "file        %s\n", path);
    fprintf(o, "format      %s", p->format);
    if (strcmp(p->compressor, "none") != 0)
        fprintf(o, " (%s)", p->compressor);
    fprintf(o, ", pickle protocol %d%s\n", p->protocol, p->python2 ? ", written by Python 2" : "");
    fprintf(o, "written by  scikit-learn %s", p->sklearn_version[0] ? p->sklearn_version : "-");
    if (p->numpy_hint[0])
        fprintf(o, ", numpy %s", p->numpy_hint);
    if (p->joblib_hint[0])
        fprintf(o, ", joblib %s", p->joblib_hint);
    fputc('\n', o);
    fprintf(o, "estimator   %s\n",
            root->kind == MC_OBJECT ? class_path(root, cls, sizeof cls) : "(plain data)");
    fprintf(o, "size        %llu bytes", (unsigned long long)p->input_bytes);
    if (p->stream_bytes != p->input_bytes)
        fprintf(o, " (%llu decompressed)", (unsigned long long)p->stream_bytes);
    fputc('\n', o);
    size_t ng;
    const mc_global_use *g = mc_document_globals(doc, &ng);
    for (size_t i = 0; i < ng; i++)
        if (g[i].verdict != MC_VERDICT_SAFE)
            fprintf(o, "note        %s.%s is %s: %s\n", g[i].module, g[i].name,
                    mc_verdict_name(g[i].verdict), g[i].reason);
    fputc('\n', o);
    text_value(in, root, 0, "");
}

/* ---- JSON -------------------------------------------------------------- */

static void json_value(inspect *in, const mc_value *v, int depth);

static void json_shape(json_writer *w, const mc_ndarray *a)
{
    json_array_begin(w);
    for (uint32_t i = 0; i < a->ndim; i++)
        json_int(w, a->shape[i]);
    json_array_end(w);
}

static void json_items(inspect *in, const mc_value *v, int depth)
{
    json_writer *w = &in->json;
    size_t n;
    const mc_value *const *items = items_of(v, &n);
    const mc_value *cls = uniform_class(items, n);
    char path[512];
    json_key(w, "length");
    json_uint(w, n);
    if (cls) {
        uint64_t nodes = tree_nodes(in, v, 0);
        json_key(w, "of");
        json_string(w, class_path(cls, path, sizeof path));
        if (nodes) {
            json_key(w, "tree_nodes");
            json_uint(w, nodes);
        }
        json_key(w, "first");
        json_value(in, items[0], depth + 1);
        return;
    }
    size_t show = n > INLINE_LIST ? SHOWN_ITEMS : n;
    json_key(w, "items");
    json_array_begin(w);
    for (size_t i = 0; i < show; i++)
        json_value(in, items[i], depth + 1);
    json_array_end(w);
}

static void json_dict_section(inspect *in, const mc_value *d, int only_class, int depth)
{
    json_writer *w = &in->json;
    json_object_begin(w);
    for (size_t i = 0, shown = 0; i < d->u.dict.len; i++) {
        size_t kn;
        const char *kt = mc_value_text(d->u.dict.keys[i], &kn);
        char key[160];
        if (only_class >= 0 && (!kt || key_class(kt, kn) != only_class))
            continue;
        if (only_class < 0 && ++shown > SHOWN_KEYS)
            break;
        text_key(d->u.dict.keys[i], key, sizeof key);
        json_key(w, key);
        json_value(in, d->u.dict.vals[i], depth + 1);
    }
    json_object_end(w);
}

static void json_array_values(json_writer *w, const mc_ndarray *a)
{
    json_key(w, "values");
    json_array_begin(w);
    for (uint64_t i = 0; i < a->count; i++) {
        double d;
        if (mc_array_get_f64(a, i, &d) == 0) {
            if (a->dtype->kind == 'f')
                json_double(w, d);
            else if (a->dtype->kind == 'b')
                json_bool(w, d != 0);
            else
                json_double(w, d);
        } else if (a->dtype->kind == 'U') {
            char buf[512];
            fmt_ucs4(buf, sizeof buf, a, i);
            json_string(w, buf);
        }
    }
    json_array_end(w);
}

static void json_value(inspect *in, const mc_value *v, int depth)
{
    json_writer *w = &in->json;
    char buf[512], dts[32];
    double d;
    int64_t i64;
    switch (v->kind) {
    case MC_NONE: json_null(w); return;
    case MC_BOOL: json_bool(w, v->u.boolean); return;
    case MC_INT: json_int(w, v->u.i); return;
    case MC_FLOAT: json_double(w, v->u.f); return;
    case MC_STR: json_string_n(w, v->u.str.data, v->u.str.len); return;
    case MC_BIGINT:
        fmt_bigint(buf, sizeof buf, v->u.bytes.data, v->u.bytes.len);
        json_object_begin(w);
        json_key(w, "type");
        json_string(w, "int");
        json_key(w, "value");
        json_string(w, buf);
        json_object_end(w);
        return;
    case MC_BYTES:
    case MC_BYTEARRAY:
        if (v->u.bytes.py2_str) {
            json_string_n(w, (const char *)v->u.bytes.data, v->u.bytes.len);
            return;
        }
        json_object_begin(w);
        json_key(w, "type");
        json_string(w, mc_kind_name(v->kind));
        json_key(w, "length");
        json_uint(w, v->u.bytes.len);
        json_object_end(w);
        return;
    case MC_COMPLEX:
    case MC_DTYPE:
    case MC_GLOBAL:
        fmt_scalar(buf, sizeof buf, v);
        json_object_begin(w);
        json_key(w, "type");
        json_string(w, mc_kind_name(v->kind));
        json_key(w, "value");
        json_string(w, buf);
        json_object_end(w);
        return;
    case MC_SCALAR:
        json_object_begin(w);
        json_key(w, "type");
        json_string(w, "numpy scalar");
        json_key(w, "dtype");
        json_string(w, mc_dtype_str(v->u.scalar.dtype, dts, sizeof dts));
        json_key(w, "value");
        if (v->u.scalar.dtype->kind != 'f' && mc_value_to_int64(v, &i64) == 0)
            json_int(w, i64);
        else if (mc_value_to_double(v, &d) == 0)
            json_double(w, d);
        else if (v->u.scalar.object)
            json_value(in, v->u.scalar.object, depth + 1);
        else
            json_null(w);
        json_object_end(w);
        return;
    default:
        break;
    }
    if (in->shown[v->id]) {
        json_object_begin(w);
        json_key(w, "type");
        json_string(w, "shared");
        json_key(w, "kind");
        json_string(w, mc_kind_name(v->kind));
        json_object_end(w);
        return;
    }
    if (depth > MAX_SHOWN_DEPTH) {
        json_object_begin(w);
        json_key(w, "type");
        json_string(w, "too_deep");
        json_key(w, "kind");
        json_string(w, mc_kind_name(v->kind));
        json_object_end(w);
        return;
    }
    in->shown[v->id] = 1;
    json_object_begin(w);
    json_key(w, "type");
    switch (v->kind) {
    case MC_OBJECT: {
        json_string(w, "object");
        json_key(w, "class");
        json_string(w, class_path(v, buf, sizeof buf));
        int via_tree;
        uint64_t nodes = tree_nodes_via(in, v, 0, &via_tree);
        if (nodes && !via_tree) {
            json_key(w, "nodes");
            json_uint(w, nodes);
        }
        const mc_value *state = mc_object_state(v);
        /* a state dict shared by several objects is written once */
        int shared = state && in->shown[state->id];
        if (state)
            in->shown[state->id] = 1;
        if (!shared && is_sklearn_estimator(v)) {
            static const char *const sections[] = {"params", "fitted", "private"};
            for (int c = KEY_PARAM; c <= KEY_PRIVATE; c++) {
                json_key(w, sections[c]);
                json_dict_section(in, state, c, depth);
            }
            break;
        }
        if (v->u.object.args && v->u.object.args->u.seq.len &&
            v->u.object.ctor != MC_CTOR_PYX_UNPICKLE) {
            json_key(w, "args");
            json_value(in, v->u.object.args, depth + 1);
        }
        if (shared) {
            json_key(w, "state");
            json_object_begin(w);
            json_key(w, "type");
            json_string(w, "shared");
            json_key(w, "kind");
            json_string(w, "dict");
            json_object_end(w);
        } else if (state) {
            json_key(w, "state");
            json_dict_section(in, state, -1, depth);
        } else if (v->u.object.state) {
            json_key(w, "state");
            json_value(in, v->u.object.state, depth + 1);
        }
        if (v->u.object.listitems) {
            json_key(w, "list_items");
            json_value(in, v->u.object.listitems, depth + 1);
        }
        if (v->u.object.dictitems) {
            json_key(w, "dict_items");
            json_value(in, v->u.object.dictitems, depth + 1);
        }
        break;
    }
    case MC_DICT:
        json_string(w, v->u.dict.cls ? class_path(v->u.dict.cls, buf, sizeof buf) : "dict");
        json_key(w, "length");
        json_uint(w, v->u.dict.len);
        json_key(w, "items");
        json_dict_section(in, v, -1, depth);
        break;
    case MC_NDARRAY: {
        const mc_ndarray *a = &v->u.array;
        json_string(w, "ndarray");
        if (!a->dtype)
            break;
        json_key(w, "dtype");
        json_string(w, mc_dtype_str(a->dtype, dts, sizeof dts));
        json_key(w, "shape");
        json_shape(w, a);
        json_key(w, "order");
        json_string_n(w, &a->order, 1);
        json_key(w, "storage");
        json_string(w, storage_name(a->origin));
        if (a->dtype->nfields) {
            json_key(w, "fields");
            json_array_begin(w);
            for (uint32_t f = 0; f < a->dtype->nfields; f++)
                json_string(w, a->dtype->fields[f].name);
            json_array_end(w);
        }
        if (a->objects)
            json_items(in, v, depth);
        else if (a->count <= ARRAY_VALUES && !a->dtype->nfields &&
                 (a->ndim <= 1 || a->order == 'C') &&
                 (mc_dtype_is_plain_number(a->dtype) || a->dtype->kind == 'U'))
            json_array_values(w, a);
        break;
    }
    default:
        json_string(w, mc_kind_name(v->kind));
        json_items(in, v, depth);
        break;
    }
    json_object_end(w);
}

static void json_report(inspect *in, const char *path, const mc_document *doc)
{
    json_writer *w = &in->json;
    const mc_provenance *p = mc_document_provenance(doc);
    const mc_value *root = mc_document_root(doc);
    char cls[512];
    json_object_begin(w);
    json_key(w, "file");
    json_string(w, path);
    json_key(w, "format");
    json_string(w, p->format);
    json_key(w, "compressor");
    json_string(w, p->compressor);
    json_key(w, "protocol");
    json_int(w, p->protocol);
    json_key(w, "estimator");
    if (root->kind == MC_OBJECT)
        json_string(w, class_path(root, cls, sizeof cls));
    else
        json_null(w);
    json_key(w, "sklearn_version");
    if (p->sklearn_version[0])
        json_string(w, p->sklearn_version);
    else
        json_null(w);
    json_key(w, "numpy");
    json_string(w, p->numpy_hint);
    json_key(w, "joblib");
    json_string(w, p->joblib_hint);
    json_key(w, "python2");
    json_bool(w, p->python2);
    json_key(w, "input_bytes");
    json_uint(w, p->input_bytes);
    json_key(w, "stream_bytes");
    json_uint(w, p->stream_bytes);
    json_key(w, "model");
    json_value(in, root, 0);
    json_object_end(w);
    json_finish(w);
}

int cmd_inspect(int argc, char **argv)
{
    const char *path = NULL;
    int as_json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            as_json = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage("inspect", "unknown option '%s'", argv[i]);
        else if (path)
            return cli_usage("inspect", "one FILE only");
        else
            path = argv[i];
    }
    if (!path)
        return cli_usage("inspect", "FILE is missing");
    mc_error err;
    mc_document *doc;
    if (mc_read_file(path, NULL, &doc, &err))
        return cli_fail(&err);
    inspect in = {calloc(mc_document_value_count(doc) + 1, 1), NULL,
                  mc_document_value_count(doc), stdout, {0}};
    if (!in.shown) {
        mc_document_free(doc);
        mc_error_set(&err, MC_E_NOMEM, -1, "out of memory");
        return cli_fail(&err);
    }
    json_init(&in.json, stdout);
    if (as_json)
        json_report(&in, path, doc);
    else
        text_report(&in, path, doc);
    free(in.shown);
    free(in.keys);
    mc_document_free(doc);
    return 0;
}
