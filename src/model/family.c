/* The registry of families: generated/families.inc lists every
 * converters/sklearn/<family>.c. */
#include "model/family.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MC_FAMILY(name) extern const mc_family mc_family_##name;
#include "families.inc"
#undef MC_FAMILY

static const mc_family *const families[] = {
#define MC_FAMILY(name) &mc_family_##name,
#include "families.inc"
#undef MC_FAMILY
};

size_t mc_family_count(void)
{
    return sizeof families / sizeof families[0];
}

const mc_family *mc_family_at(size_t i)
{
    return i < mc_family_count() ? families[i] : NULL;
}

const mc_family *mc_family_by_name(const char *name)
{
    for (size_t i = 0; i < mc_family_count(); i++)
        if (strcmp(families[i]->name, name) == 0)
            return families[i];
    return NULL;
}

const mc_family *mc_family_for_class(const char *class_path)
{
    const char *dot = strrchr(class_path, '.');
    const char *name = dot ? dot + 1 : class_path;
    if (strncmp(class_path, "sklearn.", 8) == 0) {
        for (size_t i = 0; i < mc_family_count(); i++)
            for (const char *const *c = families[i]->classes; c && *c; c++)
                if (strcmp(*c, name) == 0)
                    return families[i];
    }
    return mc_family_by_name("opaque");
}

const mc_tensor_spec *mc_family_spec(const mc_family *f, const char *tensor)
{
    for (size_t i = 0; i < f->nspecs; i++)
        if (strcmp(f->specs[i].name, tensor) == 0)
            return &f->specs[i];
    return NULL;
}

/* One row's shape against tensor t; symbols seen so far in sym_*. */
typedef struct symbols {
    const char *name[32];
    size_t len[32];
    int64_t val[32];
    size_t n;
} symbols;

static mc_status check_shape(const mc_tensor_spec *spec, const mc_tensor *t, symbols *sy,
                             char *msg, size_t msgsize)
{
    const char *p = spec->shape;
    uint32_t d = 0;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && *p == ' ')
            p++, len--;
        int plus = len > 2 && p[len - 2] == '+' && p[len - 1] == '1';
        size_t base = plus ? len - 2 : len;
        if (d >= t->ndim)
            break;
        int64_t dim = t->shape[d] - (plus ? 1 : 0);
        if (p[0] >= '0' && p[0] <= '9') {
            if (strtoll(p, NULL, 10) != t->shape[d]) {
                snprintf(msg, msgsize, "dimension %u is %lld, its table says %.*s", d,
                         (long long)t->shape[d], (int)len, p);
                return MC_E_INPUT;
            }
        } else {
            size_t k;
            for (k = 0; k < sy->n; k++)
                if (sy->len[k] == base && memcmp(sy->name[k], p, base) == 0)
                    break;
            if (k == sy->n && sy->n < 32) {
                sy->name[sy->n] = p;
                sy->len[sy->n] = base;
                sy->val[sy->n++] = dim;
            } else if (k < sy->n && sy->val[k] != dim) {
                snprintf(msg, msgsize, "%.*s is %lld here but %lld elsewhere", (int)base, p,
                         (long long)dim, (long long)sy->val[k]);
                return MC_E_INPUT;
            }
        }
        d++;
        p += len;
        if (*p == ',')
            p++;
    }
    if (*p || d != t->ndim) {
        snprintf(msg, msgsize, "has %u dimensions, its table says '%s'", t->ndim, spec->shape);
        return MC_E_INPUT;
    }
    return MC_OK;
}

/* Table shape "X+1", one dimension: an offsets row (tree_offsets,
 * bitset_offsets, ...) when the tensor is int64. */
static int is_offsets(const mc_tensor_spec *spec)
{
    size_t n = strlen(spec->shape);
    return spec->elem == MC_ELEM_I64 && n > 2 && !strchr(spec->shape, ',') &&
           strcmp(spec->shape + n - 2, "+1") == 0;
}

/* Offsets are a running sum, first 0, never decreasing, ending at the row
 * count of what they index: the first dimension of another tensor whose
 * table names it by a symbol. */
static mc_status check_offsets(const mc_family *f, const mc_model *m, const mc_tensor *t,
                               char *msg, size_t msgsize)
{
    const int64_t *o = t->data.i64;
    if (t->count == 0 || o[0] != 0) {
        snprintf(msg, msgsize, "offsets must start at 0");
        return MC_E_INPUT;
    }
    for (uint64_t k = 1; k < t->count; k++)
        if (o[k] < o[k - 1]) {
            snprintf(msg, msgsize, "offsets decrease at element %llu (%lld after %lld)",
                     (unsigned long long)k, (long long)o[k], (long long)o[k - 1]);
            return MC_E_INPUT;
        }
    int64_t last = o[t->count - 1];
    if (last == 0)
        return MC_OK;
    for (uint32_t i = 0; i < m->ntensors; i++) {
        const mc_tensor *u = &m->tensors[i];
        const mc_tensor_spec *spec = mc_family_spec(f, u->name);
        if (u != t && u->ndim >= 1 && u->shape[0] == last && spec && !is_offsets(spec) &&
            !(spec->shape[0] >= '0' && spec->shape[0] <= '9'))
            return MC_OK;
    }
    snprintf(msg, msgsize, "offsets end at %lld, but no tensor has %lld rows", (long long)last,
             (long long)last);
    return MC_E_INPUT;
}

mc_status mc_family_check_tensors(const mc_family *f, const mc_model *m, const char **tensor,
                                  char *msg, size_t msgsize)
{
    for (uint32_t i = 0; i < m->ntensors; i++) {
        const mc_tensor_spec *spec = mc_family_spec(f, m->tensors[i].name);
        *tensor = m->tensors[i].name;
        if (!spec) {
            snprintf(msg, msgsize, "not a tensor of family '%s'", f->name);
            return MC_E_INPUT;
        }
        if (spec->elem != m->tensors[i].elem) {
            snprintf(msg, msgsize, "is %s, its table says %s", mc_elem_name(m->tensors[i].elem),
                     mc_elem_name(spec->elem));
            return MC_E_INPUT;
        }
    }
    symbols sy;
    sy.n = 0;
    for (size_t s = 0; s < f->nspecs; s++) {
        const mc_tensor_spec *spec = &f->specs[s];
        const mc_tensor *t = mc_model_tensor(m, spec->name);
        *tensor = spec->name;
        if (!t && spec->required && !(m->partial && !spec->predict)) {
            snprintf(msg, msgsize, "missing (family '%s' requires it)", f->name);
            return MC_E_INPUT;
        }
        if (t && check_shape(spec, t, &sy, msg, msgsize))
            return MC_E_INPUT;
    }
    for (size_t s = 0; s < f->nspecs; s++) {
        const mc_tensor *t = mc_model_tensor(m, f->specs[s].name);
        *tensor = f->specs[s].name;
        if (t && is_offsets(&f->specs[s]) && check_offsets(f, m, t, msg, msgsize))
            return MC_E_INPUT;
    }
    return MC_OK;
}
