/* numpy dtypes in HDF5 archives (h5dtype.h). */
#include "hdf5/h5dtype.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sizes.h"
#include "core/utf8.h"
#include "hdf5/h5common.h"
#include "io/npy.h"

/* as the pickle VM bounds dtype graphs (converters/pickle/numpy_dtype.c) */
enum { MAX_DTYPE_DEPTH = 32, MAX_DTYPE_PARTS = 4096, MAX_SUBARRAY_DIMS = 32 };

/* ---- text -------------------------------------------------------------------- */

void mc_h5_text_add(mc_h5_text *t, const char *s, size_t n)
{
    if (t->failed)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 128;
        while (t->len + n + 1 > cap)
            cap *= 2;
        char *b = cap > MC_H5_TEXT_MAX ? NULL : realloc(t->buf, cap);
        if (!b) {
            t->failed = 1;
            return;
        }
        t->buf = b;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

void mc_h5_text_addf(mc_h5_text *t, const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf)
        t->failed = 1;
    else
        mc_h5_text_add(t, buf, (size_t)n);
}

void mc_h5_text_free(mc_h5_text *t)
{
    free(t->buf);
    memset(t, 0, sizeof *t);
}

/* ---- writing @dtype_state ------------------------------------------------------------ */

static void json_string(mc_h5_text *t, const char *s, size_t n)
{
    mc_h5_text_add(t, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        mc_h5_text_add(t, s + run, i - run);
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            mc_h5_text_add(t, e, 2);
        } else {
            mc_h5_text_addf(t, "\\u%04x", c);
        }
        run = i + 1;
    }
    mc_h5_text_add(t, s + run, n - run);
    mc_h5_text_add(t, "\"", 1);
}

static int fail_why(char *why, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int fail_why(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return -1;
}

/* numpy dtype metadata: a dict of strings to strings, integers, booleans
 * or None is all the layout keeps. */
static int metadata_json(const mc_value *meta, mc_h5_text *t, char *why, size_t whysize)
{
    if (meta->kind != MC_DICT)
        return fail_why(why, whysize, "dtype metadata is a %s, not a dict",
                        mc_kind_name(meta->kind));
    mc_h5_text_add(t, "{", 1);
    for (size_t i = 0; i < meta->u.dict.len; i++) {
        const mc_value *k = meta->u.dict.keys[i], *v = meta->u.dict.vals[i];
        if (k->kind != MC_STR)
            return fail_why(why, whysize, "dtype metadata keys must be strings");
        if (i)
            mc_h5_text_add(t, ",", 1);
        json_string(t, k->u.str.data, k->u.str.len);
        mc_h5_text_add(t, ":", 1);
        switch (v->kind) {
        case MC_STR: json_string(t, v->u.str.data, v->u.str.len); break;
        case MC_INT: mc_h5_text_addf(t, "%lld", (long long)v->u.i); break;
        case MC_BOOL: mc_h5_text_add(t, v->u.boolean ? "true" : "false", v->u.boolean ? 4 : 5); break;
        case MC_NONE: mc_h5_text_add(t, "null", 4); break;
        default:
            return fail_why(why, whysize,
                            "dtype metadata holds a %s (the archive keeps strings, integers, "
                            "booleans and None there)",
                            mc_kind_name(v->kind));
        }
    }
    mc_h5_text_add(t, "}", 1);
    return 0;
}

static int dtype_json(const mc_dtype *dt, mc_h5_text *t, uint32_t depth, char *why, size_t whysize)
{
    if (depth > MAX_DTYPE_DEPTH)
        return fail_why(why, whysize, "dtype nested deeper than %d levels", MAX_DTYPE_DEPTH);
    char str[64];
    mc_dtype_str(dt, str, sizeof str);
    mc_h5_text_add(t, "{\"str\":", 7);
    json_string(t, str, strlen(str));
    mc_h5_text_addf(t, ",\"version\":%d,\"alignment\":%d,\"flags\":%d", dt->state_version,
                    dt->alignment, dt->flags);
    if (dt->nfields) {
        mc_h5_text_add(t, ",\"fields\":[", 11);
        for (uint32_t i = 0; i < dt->nfields; i++) {
            const mc_dtype_field *f = &dt->fields[i];
            mc_h5_text_add(t, i ? ",{\"name\":" : "{\"name\":", i ? 9 : 8);
            json_string(t, f->name, strlen(f->name));
            mc_h5_text_addf(t, ",\"offset\":%lld,\"dtype\":", (long long)f->offset);
            if (dtype_json(f->dtype, t, depth + 1, why, whysize))
                return -1;
            if (f->title) {
                if (f->title->kind != MC_STR)
                    return fail_why(why, whysize, "field '%.64s' has a title that is a %s, not a "
                                                  "string",
                                    f->name, mc_kind_name(f->title->kind));
                mc_h5_text_add(t, ",\"title\":", 9);
                json_string(t, f->title->u.str.data, f->title->u.str.len);
            }
            mc_h5_text_add(t, "}", 1);
        }
        mc_h5_text_add(t, "]", 1);
    }
    if (dt->subarray_base) {
        mc_h5_text_add(t, ",\"subarray\":{\"dtype\":", 21);
        if (dtype_json(dt->subarray_base, t, depth + 1, why, whysize))
            return -1;
        mc_h5_text_add(t, ",\"shape\":[", 10);
        for (uint32_t i = 0; i < dt->subarray_ndim; i++)
            mc_h5_text_addf(t, i ? ",%lld" : "%lld", (long long)dt->subarray_shape[i]);
        mc_h5_text_add(t, "]}", 2);
    }
    if (dt->metadata) {
        mc_h5_text_add(t, ",\"metadata\":", 12);
        if (metadata_json(dt->metadata, t, why, whysize))
            return -1;
    }
    mc_h5_text_add(t, "}", 1);
    return 0;
}

int mc_h5_dtype_json(const mc_dtype *dt, mc_h5_text *out, char *why, size_t whysize)
{
    if (dtype_json(dt, out, 0, why, whysize))
        return -1;
    if (out->failed)
        return fail_why(why, whysize, "out of memory");
    return 0;
}

/* ---- parsing @dtype_state: a small JSON reader ---------------------------------------- */

typedef struct jv {
    char type;                  /* o object, a array, s string, i integer,
                                   b boolean, z null                        */
    const char *str;            /* 's': decoded, NUL-terminated           */
    size_t len;
    int64_t num;                /* 'i', 'b'                               */
    const char *key;            /* name of an object member               */
    size_t keylen;
    struct jv *first, *next;
} jv;

typedef struct jparse {
    const char *p, *end;
    mc_document *doc;           /* the nodes live in the document's arena */
    uint32_t depth;
    char *why;
    size_t whysize;
} jparse;

static int jfail(jparse *j, const char *what)
{
    return fail_why(j->why, j->whysize, "@dtype_state is not valid: %s", what);
}

static void skip_ws(jparse *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static int hex4(const char *p, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (uint32_t)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

/* A string at j->p (the opening quote), decoded into the arena. */
static int jstring(jparse *j, const char **out, size_t *outlen)
{
    const char *p = j->p + 1, *start = p;
    while (p < j->end && *p != '"')
        p += *p == '\\' && p + 1 < j->end ? 2 : 1;
    if (p >= j->end)
        return jfail(j, "a string does not end");
    /* escapes only shrink: the raw length bounds the decoded one */
    char *s = mc_doc_alloc(j->doc, (size_t)(p - start) + 1), *o = s;
    if (!s)
        return fail_why(j->why, j->whysize, "out of memory");
    for (const char *q = start; q < p;) {
        unsigned char c = (unsigned char)*q;
        if (c < 0x20)
            return jfail(j, "a control character in a string");
        if (c != '\\') {
            *o++ = *q++;
            continue;
        }
        char e = q[1];
        q += 2;
        const char *simple = strchr("\"\\/bfnrt", e);
        if (e && simple) {
            static const char map[] = "\"\\/\b\f\n\r\t";
            *o++ = map[simple - "\"\\/bfnrt"];
            continue;
        }
        uint32_t cp, lo;
        if (e != 'u' || p - q < 4 || hex4(q, &cp))
            return jfail(j, "a bad escape in a string");
        q += 4;
        if (cp >= 0xd800 && cp < 0xdc00) {
            if (p - q < 6 || q[0] != '\\' || q[1] != 'u' || hex4(q + 2, &lo) || lo < 0xdc00 ||
                lo > 0xdfff)
                return jfail(j, "a lone surrogate in a string");
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            q += 6;
        } else if (cp >= 0xdc00 && cp < 0xe000) {
            return jfail(j, "a lone surrogate in a string");
        }
        o += mc_utf8_put(cp, o);
    }
    *o = '\0';
    *out = s;
    *outlen = (size_t)(o - s);
    j->p = p + 1;
    return 0;
}

static int jvalue(jparse *j, jv **out);

static int jcontainer(jparse *j, jv *v, char close)
{
    jv **tail = &v->first;
    j->p++;
    skip_ws(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        return 0;
    }
    for (;;) {
        const char *key = NULL;
        size_t keylen = 0;
        if (close == '}') {
            skip_ws(j);
            if (j->p >= j->end || *j->p != '"')
                return jfail(j, "an object key must be a string");
            if (jstring(j, &key, &keylen))
                return -1;
            skip_ws(j);
            if (j->p >= j->end || *j->p != ':')
                return jfail(j, "':' expected after an object key");
            j->p++;
        }
        jv *item;
        if (jvalue(j, &item))
            return -1;
        item->key = key;
        item->keylen = keylen;
        *tail = item;
        tail = &item->next;
        skip_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == close) {
            j->p++;
            return 0;
        }
        return jfail(j, close == '}' ? "',' or '}' expected" : "',' or ']' expected");
    }
}

static int jvalue(jparse *j, jv **out)
{
    skip_ws(j);
    if (j->p >= j->end)
        return jfail(j, "a value is missing");
    jv *v = mc_doc_alloc(j->doc, sizeof *v);
    if (!v)
        return fail_why(j->why, j->whysize, "out of memory");
    *out = v;
    char c = *j->p;
    if (c == '{' || c == '[') {
        if (++j->depth > 2 * MAX_DTYPE_DEPTH + 8)
            return jfail(j, "nested too deeply");
        v->type = c == '{' ? 'o' : 'a';
        int rc = jcontainer(j, v, c == '{' ? '}' : ']');
        j->depth--;
        return rc;
    }
    if (c == '"') {
        v->type = 's';
        return jstring(j, &v->str, &v->len);
    }
    static const struct { const char *word; char type; int64_t num; } words[] = {
        {"true", 'b', 1}, {"false", 'b', 0}, {"null", 'z', 0}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i].word);
        if ((size_t)(j->end - j->p) >= n && memcmp(j->p, words[i].word, n) == 0) {
            v->type = words[i].type;
            v->num = words[i].num;
            j->p += n;
            return 0;
        }
    }
    /* integers only: a dtype has no fractional numbers */
    int neg = c == '-';
    const char *q = j->p + neg;
    uint64_t u = 0;
    if (q >= j->end || *q < '0' || *q > '9' || (*q == '0' && q + 1 < j->end && q[1] >= '0' && q[1] <= '9'))
        return jfail(j, "a value that is not an integer, string, object or array");
    for (; q < j->end && *q >= '0' && *q <= '9'; q++) {
        if (u > (UINT64_C(1) << 62))
            return jfail(j, "an integer out of range");
        u = u * 10 + (uint64_t)(*q - '0');
    }
    if (q < j->end && (*q == '.' || *q == 'e' || *q == 'E'))
        return jfail(j, "a fractional number");
    v->type = 'i';
    v->num = neg ? -(int64_t)u : (int64_t)u;
    j->p = q;
    return 0;
}

/* ---- building a dtype from the parsed description -------------------------------------- */

typedef struct dbuild {
    mc_document *doc;
    uint32_t parts;
    char *why;
    size_t whysize;
} dbuild;

static int int32_of(const jv *v, int64_t lo, int32_t *out)
{
    if (!v || v->type != 'i' || v->num < lo || v->num > INT32_MAX)
        return -1;
    *out = (int32_t)v->num;
    return 0;
}

static int build_dtype(dbuild *b, const jv *o, uint32_t depth, const mc_dtype **out);

static int build_fields(dbuild *b, mc_dtype *dt, const jv *list, uint32_t depth)
{
    if (list->type != 'a')
        return fail_why(b->why, b->whysize, "\"fields\" must be a list");
    size_t n = 0;
    for (const jv *f = list->first; f; f = f->next)
        n++;
    if (n == 0 || n > MAX_DTYPE_PARTS || dt->kind != 'V')
        return fail_why(b->why, b->whysize, "%zu fields on a dtype of kind '%c'", n, dt->kind);
    mc_dtype_field *fields = mc_doc_alloc(b->doc, n * sizeof *fields);
    if (!fields)
        return fail_why(b->why, b->whysize, "out of memory");
    size_t i = 0;
    for (const jv *f = list->first; f; f = f->next, i++) {
        const jv *name = NULL, *offset = NULL, *type = NULL, *title = NULL;
        if (f->type != 'o')
            return fail_why(b->why, b->whysize, "a field must be an object");
        for (const jv *m = f->first; m; m = m->next) {
            const jv **slot = strcmp(m->key, "name") == 0     ? &name
                              : strcmp(m->key, "offset") == 0 ? &offset
                              : strcmp(m->key, "dtype") == 0  ? &type
                              : strcmp(m->key, "title") == 0  ? &title
                                                              : NULL;
            if (!slot || *slot)
                return fail_why(b->why, b->whysize, "a field has an unknown or repeated key '%.40s'",
                                m->key);
            *slot = m;
        }
        if (!name || name->type != 's' || !offset || offset->type != 'i' || !type ||
            (title && title->type != 's'))
            return fail_why(b->why, b->whysize,
                            "a field needs \"name\" (string), \"offset\" (integer) and \"dtype\"");
        if (build_dtype(b, type, depth + 1, &fields[i].dtype))
            return -1;
        if (offset->num < 0 || (uint64_t)offset->num + fields[i].dtype->itemsize > dt->itemsize)
            return fail_why(b->why, b->whysize,
                            "field '%.64s' at offset %lld (%u bytes) does not fit in a record of %u "
                            "bytes",
                            name->str, (long long)offset->num, fields[i].dtype->itemsize,
                            dt->itemsize);
        fields[i].name = name->str;
        fields[i].offset = offset->num;
        if (title) {
            mc_value *t = mc_doc_value(b->doc, MC_STR, -1);
            if (!t)
                return fail_why(b->why, b->whysize, "out of memory");
            t->u.str.data = title->str;
            t->u.str.len = title->len;
            fields[i].title = t;
        }
    }
    dt->fields = fields;
    dt->nfields = (uint32_t)n;
    return 0;
}

static int build_subarray(dbuild *b, mc_dtype *dt, const jv *sub, uint32_t depth)
{
    const jv *type = NULL, *shape = NULL;
    if (sub->type != 'o')
        return fail_why(b->why, b->whysize, "\"subarray\" must be an object");
    for (const jv *m = sub->first; m; m = m->next) {
        if (strcmp(m->key, "dtype") == 0 && !type)
            type = m;
        else if (strcmp(m->key, "shape") == 0 && !shape)
            shape = m;
        else
            return fail_why(b->why, b->whysize, "\"subarray\" has an unknown or repeated key");
    }
    if (!type || !shape || shape->type != 'a')
        return fail_why(b->why, b->whysize, "\"subarray\" needs \"dtype\" and \"shape\" (a list)");
    const mc_dtype *base;
    if (build_dtype(b, type, depth + 1, &base))
        return -1;
    uint32_t nd = 0;
    for (const jv *d = shape->first; d; d = d->next)
        nd++;
    if (nd > MAX_SUBARRAY_DIMS)
        return fail_why(b->why, b->whysize, "a subarray of %u dimensions", nd);
    int64_t *dims = mc_doc_alloc(b->doc, (nd ? nd : 1) * sizeof *dims);
    if (!dims)
        return fail_why(b->why, b->whysize, "out of memory");
    uint32_t i = 0;
    for (const jv *d = shape->first; d; d = d->next, i++) {
        if (d->type != 'i' || d->num < 0)
            return fail_why(b->why, b->whysize, "subarray dimensions must be integers >= 0");
        dims[i] = d->num;
    }
    uint64_t count, bytes;
    if (mc_shape_product(dims, nd, &count) || mc_mul_u64(count, base->itemsize, &bytes) ||
        bytes != dt->itemsize)
        return fail_why(b->why, b->whysize, "a subarray that does not fill its %u-byte item",
                        dt->itemsize);
    dt->subarray_base = base;
    dt->subarray_ndim = nd;
    dt->subarray_shape = dims;
    return 0;
}

static int build_metadata(dbuild *b, mc_dtype *dt, const jv *meta)
{
    if (meta->type != 'o')
        return fail_why(b->why, b->whysize, "\"metadata\" must be an object");
    mc_value *d = mc_doc_value(b->doc, MC_DICT, -1);
    if (!d)
        return fail_why(b->why, b->whysize, "out of memory");
    for (const jv *m = meta->first; m; m = m->next) {
        mc_value *k = mc_doc_value(b->doc, MC_STR, -1);
        mc_kind kind = m->type == 's' ? MC_STR : m->type == 'i' ? MC_INT : m->type == 'b' ? MC_BOOL
                       : m->type == 'z'                                        ? MC_NONE
                                                                              : MC_LIST;
        if (kind == MC_LIST)
            return fail_why(b->why, b->whysize, "\"metadata\" values must be strings, integers, "
                                                "booleans or null");
        mc_value *v = mc_doc_value(b->doc, kind, -1);
        if (!k || !v)
            return fail_why(b->why, b->whysize, "out of memory");
        k->u.str.data = m->key;
        k->u.str.len = m->keylen;
        if (kind == MC_STR) {
            v->u.str.data = m->str;
            v->u.str.len = m->len;
        } else if (kind == MC_INT) {
            v->u.i = m->num;
        } else if (kind == MC_BOOL) {
            v->u.boolean = (int)m->num;
        }
        if (mc_dict_set(b->doc, d, k, v, NULL))
            return fail_why(b->why, b->whysize, "out of memory");
    }
    dt->metadata = d;
    return 0;
}

static int build_dtype(dbuild *b, const jv *o, uint32_t depth, const mc_dtype **out)
{
    if (depth > MAX_DTYPE_DEPTH || ++b->parts > MAX_DTYPE_PARTS)
        return fail_why(b->why, b->whysize, "dtype nested beyond %d levels or %d parts",
                        MAX_DTYPE_DEPTH, MAX_DTYPE_PARTS);
    if (o->type != 'o')
        return fail_why(b->why, b->whysize, "a dtype must be a JSON object");
    const jv *str = NULL, *version = NULL, *align = NULL, *flags = NULL, *fields = NULL,
             *sub = NULL, *meta = NULL;
    static const char *const keys[] = {"str", "version", "alignment", "flags",
                                       "fields", "subarray", "metadata"};
    const jv **slots[] = {&str, &version, &align, &flags, &fields, &sub, &meta};
    for (const jv *m = o->first; m; m = m->next) {
        size_t k = 0;
        while (k < sizeof keys / sizeof keys[0] && strcmp(m->key, keys[k]) != 0)
            k++;
        if (k == sizeof keys / sizeof keys[0] || *slots[k])
            return fail_why(b->why, b->whysize, "a dtype has an unknown or repeated key '%.40s'",
                            m->key);
        *slots[k] = m;
    }
    if (!str || str->type != 's')
        return fail_why(b->why, b->whysize, "a dtype needs \"str\", numpy's dtype.str");
    mc_dtype *dt = mc_doc_alloc(b->doc, sizeof *dt);
    if (!dt)
        return fail_why(b->why, b->whysize, "out of memory");
    if (mc_dtype_parse_str(str->str, str->len, dt))
        return fail_why(b->why, b->whysize, "'%.40s' is not a numpy type string", str->str);
    /* the byte order as written (numpy's pickles may say '<' where its
     * rules would print '|') */
    if (strchr("<>|", str->str[0]))
        dt->byteorder = str->str[0];
    if (int32_of(version, -1, &dt->state_version) || int32_of(align, INT32_MIN, &dt->alignment) ||
        int32_of(flags, INT32_MIN, &dt->flags))
        return fail_why(b->why, b->whysize, "\"version\", \"alignment\" and \"flags\" must be "
                                            "32-bit integers");
    if (dt->state_version > 4)
        return fail_why(b->why, b->whysize, "dtype state version %d (numpy writes -1 to 4)",
                        dt->state_version);
    if (fields && build_fields(b, dt, fields, depth))
        return -1;
    if (sub && build_subarray(b, dt, sub, depth))
        return -1;
    if (meta && build_metadata(b, dt, meta))
        return -1;
    char again[64];
    mc_dtype_str(dt, again, sizeof again);
    if (strcmp(again, str->str) != 0)
        return fail_why(b->why, b->whysize, "\"str\" '%.40s' is not numpy's spelling ('%s')",
                        str->str, again);
    *out = dt;
    return 0;
}

int mc_h5_dtype_parse(const char *text, size_t len, mc_document *doc, const mc_dtype **out,
                      char *why, size_t whysize)
{
    jparse j = {text, text + len, doc, 0, why, whysize};
    jv *root;
    if (len > MC_H5_TEXT_MAX)
        return fail_why(why, whysize, "@dtype_state of %zu bytes", len);
    if (jvalue(&j, &root))
        return -1;
    skip_ws(&j);
    if (j.p != j.end)
        return jfail(&j, "text after the description");
    dbuild b = {doc, 0, why, whysize};
    return build_dtype(&b, root, 0, out);
}

/* ---- HDF5 types ------------------------------------------------------------------------ */

static hid_t ordered(hid_t base, uint32_t size, char order)
{
    hid_t t = H5Tcopy(base);
    if (t >= 0 && size > 1 && order == '>' && H5Tset_order(t, H5T_ORDER_BE) < 0) {
        mc_h5_close(H5Tclose, t);
        return -1;
    }
    return t;
}

static hid_t integer_type(char kind, uint32_t size, char order)
{
    int sgn = kind == 'i';
    switch (size) {
    case 1: return ordered(sgn ? H5T_STD_I8LE : H5T_STD_U8LE, size, order);
    case 2: return ordered(sgn ? H5T_STD_I16LE : H5T_STD_U16LE, size, order);
    case 4: return ordered(sgn ? H5T_STD_I32LE : H5T_STD_U32LE, size, order);
    case 8: return ordered(sgn ? H5T_STD_I64LE : H5T_STD_U64LE, size, order);
    }
    return -1;
}

static hid_t float_type(uint32_t size, char order)
{
    if (size == 2)
        return mc_h5_type_f16(order == '>');
    if (size == 4)
        return ordered(H5T_IEEE_F32LE, size, order);
    if (size == 8)
        return ordered(H5T_IEEE_F64LE, size, order);
    return -1;
}

/* Opaque bytes with HDF5's default (empty) tag: h5py writes numpy voids
 * so and converts only between equal tags; @dtype says what they are. */
static hid_t opaque_type(const mc_dtype *dt)
{
    return dt->itemsize ? H5Tcreate(H5T_OPAQUE, dt->itemsize) : -1;
}

static hid_t compound_type(const mc_dtype *dt)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, dt->itemsize);
    if (t < 0)
        return -1;
    for (uint32_t i = 0; i < dt->nfields; i++) {
        hid_t ft = mc_h5_dtype_type(dt->fields[i].dtype);
        if (ft < 0) {
            mc_h5_close(H5Tclose, t);
            return -1;
        }
        herr_t rc = H5Tinsert(t, dt->fields[i].name, (size_t)dt->fields[i].offset, ft);
        mc_h5_close(H5Tclose, ft);
        if (rc < 0) {
            /* overlapping fields (numpy allows them, HDF5 does not) */
            mc_h5_close(H5Tclose, t);
            H5Eclear2(H5E_DEFAULT);
            return opaque_type(dt);
        }
    }
    return t;
}

static hid_t subarray_type(const mc_dtype *dt)
{
    hsize_t dims[MAX_SUBARRAY_DIMS];
    int empty = dt->subarray_ndim == 0 || dt->subarray_ndim > MAX_SUBARRAY_DIMS;
    for (uint32_t i = 0; !empty && i < dt->subarray_ndim; i++) {
        dims[i] = (hsize_t)dt->subarray_shape[i];
        empty |= dims[i] == 0;
    }
    if (empty)
        return opaque_type(dt);
    hid_t base = mc_h5_dtype_type(dt->subarray_base);
    if (base < 0)
        return -1;
    hid_t t = H5Tarray_create2(base, dt->subarray_ndim, dims);
    mc_h5_close(H5Tclose, base);
    return t;
}

hid_t mc_h5_dtype_type(const mc_dtype *dt)
{
    if (dt->itemsize == 0)
        return -1;
    switch (dt->kind) {
    case 'b':
        return dt->itemsize == 1 ? mc_h5_type_bool() : opaque_type(dt);
    case 'i':
    case 'u': {
        hid_t t = integer_type(dt->kind, dt->itemsize, dt->byteorder);
        return t >= 0 ? t : opaque_type(dt);
    }
    case 'f': {
        hid_t t = float_type(dt->itemsize, dt->byteorder);
        return t >= 0 ? t : opaque_type(dt);
    }
    case 'c': {
        hid_t part = float_type(dt->itemsize / 2, dt->byteorder);
        if (part < 0 || dt->itemsize == 4) { /* no complex32 in numpy */
            if (part >= 0)
                mc_h5_close(H5Tclose, part);
            return opaque_type(dt);
        }
        hid_t t = mc_h5_type_complex(part);
        mc_h5_close(H5Tclose, part);
        return t;
    }
    case 'S':
        return mc_h5_type_fixed_str(dt->itemsize, 0);
    case 'U': {
        /* UCS-4 code units: the layout's raw form of unicode */
        hid_t unit = integer_type('u', 4, dt->byteorder);
        hsize_t n = dt->itemsize / 4;
        hid_t t = unit >= 0 && n ? H5Tarray_create2(unit, 1, &n) : -1;
        if (unit >= 0)
            mc_h5_close(H5Tclose, unit);
        return t;
    }
    case 'M':
    case 'm':
        return dt->itemsize == 8 ? integer_type('i', 8, dt->byteorder) : opaque_type(dt);
    case 'V':
        if (dt->nfields)
            return compound_type(dt);
        if (dt->subarray_base)
            return subarray_type(dt);
        return opaque_type(dt);
    }
    return -1; /* 'O' */
}

/* ---- numpy's descr --------------------------------------------------------------------- */

static void py_quote(mc_h5_text *t, const char *s)
{
    mc_h5_text_add(t, "'", 1);
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            mc_h5_text_add(t, "\\", 1);
        mc_h5_text_add(t, s, 1);
    }
    mc_h5_text_add(t, "'", 1);
}

/* Field a comes before field b in offset order (declaration order among
 * equal offsets). */
static int before(const mc_dtype *dt, uint32_t a, uint32_t b)
{
    int64_t x = dt->fields[a].offset, y = dt->fields[b].offset;
    return x < y || (x == y && a < b);
}

static void descr_type(const mc_dtype *dt, mc_h5_text *out);

static void descr_fields(const mc_dtype *dt, mc_h5_text *out)
{
    uint32_t n = dt->nfields, *order = malloc(n * sizeof *order);
    if (!order) {
        out->failed = 1;
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        order[i] = i;
    /* fields in offset order with padding between, as numpy's descr */
    for (uint32_t i = 1; i < n; i++) {
        uint32_t k = order[i], j = i;
        while (j > 0 && before(dt, k, order[j - 1])) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = k;
    }
    int64_t at = 0;
    mc_h5_text_add(out, "[", 1);
    for (uint32_t i = 0; i < n; i++) {
        const mc_dtype_field *f = &dt->fields[order[i]];
        if (f->offset > at)
            mc_h5_text_addf(out, "('', '|V%lld'), ", (long long)(f->offset - at));
        mc_h5_text_add(out, "(", 1);
        if (f->title && f->title->kind == MC_STR) {
            mc_h5_text_add(out, "(", 1);
            py_quote(out, f->title->u.str.data);
            mc_h5_text_add(out, ", ", 2);
            py_quote(out, f->name);
            mc_h5_text_add(out, ")", 1);
        } else {
            py_quote(out, f->name);
        }
        mc_h5_text_add(out, ", ", 2);
        const mc_dtype *ft = f->dtype->subarray_base ? f->dtype->subarray_base : f->dtype;
        descr_type(ft, out);
        if (f->dtype->subarray_base) {
            mc_h5_text_add(out, ", (", 3);
            for (uint32_t d = 0; d < f->dtype->subarray_ndim; d++)
                mc_h5_text_addf(out, d ? ", %lld" : "%lld", (long long)f->dtype->subarray_shape[d]);
            mc_h5_text_add(out, f->dtype->subarray_ndim == 1 ? ",)" : ")", f->dtype->subarray_ndim == 1 ? 2 : 1);
        }
        mc_h5_text_add(out, i + 1 < n ? "), " : ")", i + 1 < n ? 3 : 1);
        if (f->offset + (int64_t)f->dtype->itemsize > at)
            at = f->offset + (int64_t)f->dtype->itemsize;
    }
    if (at < (int64_t)dt->itemsize)
        mc_h5_text_addf(out, "%s('', '|V%lld')", n ? ", " : "", (long long)(dt->itemsize - at));
    mc_h5_text_add(out, "]", 1);
    free(order);
}

static void descr_type(const mc_dtype *dt, mc_h5_text *out)
{
    if (dt->nfields) {
        descr_fields(dt, out);
        return;
    }
    char s[64];
    mc_dtype_str(dt, s, sizeof s);
    py_quote(out, s);
}

void mc_h5_dtype_descr(const mc_dtype *dt, mc_h5_text *out)
{
    if (dt->nfields) {
        descr_fields(dt, out);
        return;
    }
    char s[64];
    mc_dtype_str(dt, s, sizeof s);
    mc_h5_text_add(out, s, strlen(s));
}
