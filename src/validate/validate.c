/* Whole validations (validate.h): a pair of models, or a model's round
 * trips through every format modelconv writes. */
#define _GNU_SOURCE /* mkdtemp */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "modelconv/formats.h"
#include "validate/diffs.h"

enum { DEFAULT_LIMIT = 20 };

void mc_validate_options_init(mc_validate_options *o)
{
    memset(o, 0, sizeof *o);
    o->limit = DEFAULT_LIMIT;
}

void mc_validation_free(mc_validation *v)
{
    for (uint32_t i = 0; i < v->n; i++) {
        mc_differences_free(&v->items[i].structure);
        mc_parity_free(&v->items[i].predictions);
    }
    free(v->items);
    memset(v, 0, sizeof *v);
}

uint64_t mc_comparison_differences(const mc_comparison *c)
{
    uint64_t n = c->structure.total + c->predictions.other.total;
    for (uint32_t i = 0; i < c->predictions.nmethods; i++)
        n += c->predictions.methods[i].diffs.total;
    return n;
}

/* MC_OK when faithful; MC_E_CHECK with err saying what was found. */
static mc_status verdict(mc_validation *v, mc_error *err)
{
    uint64_t differences = 0;
    uint32_t failed = 0;
    for (uint32_t i = 0; i < v->n; i++) {
        differences += mc_comparison_differences(&v->items[i]);
        failed += v->items[i].outcome == MC_TRIAL_FAILED;
    }
    v->faithful = differences == 0 && failed == 0;
    if (v->faithful)
        return MC_OK;
    return mc_error_set(err, MC_E_CHECK, -1,
                        "not faithful: %llu differences, %u failed round trips",
                        (unsigned long long)differences, failed);
}

static mc_status start(mc_validation *v, uint32_t n, const mc_validate_options **o,
                       mc_validate_options *defaults, mc_error *err)
{
    memset(v, 0, sizeof *v);
    if (!*o) {
        mc_validate_options_init(defaults);
        *o = defaults;
    }
    v->items = calloc(n ? n : 1, sizeof *v->items);
    if (!v->items)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    return MC_OK;
}

/* The probe rows: given, or made from the model (none, with a note in
 * `why`, when it does not say its width). */
static mc_status probes_for(const mc_model *m, const mc_validate_options *o, mc_probes *p,
                            char *why, size_t why_size, mc_error *err)
{
    memset(p, 0, sizeof *p);
    if (o->X && m->n_features >= 0 && o->cols != (uint64_t)m->n_features)
        return mc_error_set(err, MC_E_USAGE, -1,
                            "the probe rows have %llu features, but %s takes %lld",
                            (unsigned long long)o->cols, m->estimator, (long long)m->n_features);
    if (o->X) {
        p->X = (double *)o->X; /* borrowed: never freed here */
        p->rows = o->rows;
        p->cols = o->cols;
        return MC_OK;
    }
    mc_error e;
    mc_status st = mc_probes_make(m, o->max_probe_rows, p, &e);
    if (st == MC_E_INPUT) {
        snprintf(why, why_size, "no probe rows: %.400s", e.message);
        return MC_OK;
    }
    if (st && err)
        *err = e;
    return st;
}

static void probes_release(mc_probes *p, const mc_validate_options *o)
{
    if (!o->X)
        mc_probes_free(p);
}

static mc_status compare_into(const mc_model *a, const mc_model *b, const mc_validate_options *o,
                              const mc_probes *p, const char *why, mc_comparison *c, mc_error *err)
{
    mc_differences_init(&c->structure, o->limit);
    mc_status st = mc_model_diff(a, b, &c->structure, err);
    if (st)
        return st;
    if (!p->X) {
        snprintf(c->predictions.note, sizeof c->predictions.note, "%s", why);
        return MC_OK;
    }
    return mc_parity_check(a, b, p->X, p->rows, p->cols, o->limit, &c->predictions, err);
}

mc_status mc_validate_pair(const mc_model *expected, const mc_model *found,
                           const mc_validate_options *o, mc_validation *out, mc_error *err)
{
    mc_validate_options defaults;
    mc_status st = start(out, 1, &o, &defaults, err);
    if (st)
        return st;
    mc_probes p;
    char why[512] = "";
    if ((st = probes_for(expected, o, &p, why, sizeof why, err)))
        return st;
    out->n = 1;
    out->probe_rows = p.rows;
    mc_comparison *c = &out->items[0];
    snprintf(c->against, sizeof c->against, "other");
    c->outcome = MC_TRIAL_COMPARED;
    st = compare_into(expected, found, o, &p, why, c, err);
    probes_release(&p, o);
    return st ? st : verdict(out, err);
}

/* ---- round trips ---------------------------------------------------------------- */

static void error_text(char *buf, size_t size, const char *prefix, const mc_error *e)
{
    size_t n = strlen(prefix);
    if (n >= size)
        n = size - 1;
    memcpy(buf, prefix, n);
    mc_error_format(e, buf + n, size - n);
}

/* Write m as `format` into dir, read it back, compare. */
static mc_status round_trip(const mc_model *m, const char *format, const char *dir,
                            const mc_validate_options *o, const mc_probes *p, const char *why,
                            mc_comparison *c, mc_error *err)
{
    char path[4096];
    snprintf(c->against, sizeof c->against, "%s", format);
    if ((size_t)snprintf(path, sizeof path, "%s/model.%s", dir, format) >= sizeof path)
        return mc_error_set(err, MC_E_IO, -1, "temporary path too long");
    mc_error e;
    mc_status st = mc_model_save(m, path, format, NULL, &e);
    if (st == MC_E_USAGE || st == MC_E_INPUT) {
        c->outcome = MC_TRIAL_SKIPPED;
        snprintf(c->message, sizeof c->message, "cannot hold this model: %s", e.message);
        return MC_OK;
    }
    if (st) { /* a writer that fails (I/O, memory) did not convert it */
        c->outcome = MC_TRIAL_FAILED;
        error_text(c->message, sizeof c->message, "writing it failed: ", &e);
        return MC_OK;
    }
    mc_model *back = NULL;
    st = mc_model_load(path, &back, &e);
    if (st) {
        c->outcome = MC_TRIAL_FAILED;
        error_text(c->message, sizeof c->message, "written, but reading it back failed: ", &e);
        unlink(path);
        return MC_OK;
    }
    c->outcome = MC_TRIAL_COMPARED;
    st = compare_into(m, back, o, p, why, c, err);
    mc_model_free(back);
    unlink(path);
    return st;
}

static size_t count_writers(void)
{
    size_t n = 0;
    while (mc_format_writer_at(n))
        n++;
    return n;
}

mc_status mc_validate_round_trips(const mc_model *m, const mc_validate_options *o,
                                  mc_validation *out, mc_error *err)
{
    mc_validate_options defaults;
    size_t nformats = count_writers();
    mc_status st = start(out, (uint32_t)nformats, &o, &defaults, err);
    mc_probes p;
    char why[512] = "";
    if (st || (st = probes_for(m, o, &p, why, sizeof why, err)))
        return st;
    out->probe_rows = p.rows;
    const char *root = o->tmpdir ? o->tmpdir : getenv("TMPDIR");
    char dir[4096];
    int made = 0;
    if (nformats && (size_t)snprintf(dir, sizeof dir, "%s/modelconv-validate-XXXXXX",
                                     root && root[0] ? root : "/tmp") >= sizeof dir) {
        st = mc_error_set(err, MC_E_IO, -1, "temporary folder name too long");
    } else if (nformats && !(made = mkdtemp(dir) != NULL)) {
        mc_error_set_file(err, dir);
        st = mc_error_set(err, MC_E_IO, -1, "cannot make a temporary folder: %s", strerror(errno));
    }
    for (size_t i = 0; i < nformats && !st; i++) {
        st = round_trip(m, mc_format_writer_at(i), dir, o, &p, why, &out->items[i], err);
        out->n = (uint32_t)i + 1;
    }
    if (made)
        rmdir(dir);
    probes_release(&p, o);
    return st ? st : verdict(out, err);
}

mc_status mc_validate_files(const char *path, const char *other, const mc_validate_options *o,
                            mc_validation *out, mc_error *err)
{
    memset(out, 0, sizeof *out);
    mc_model *a = NULL, *b = NULL;
    mc_status st = mc_model_load(path, &a, err);
    if (!st && other)
        st = mc_model_load(other, &b, err);
    if (st) {
        if (err && !err->file[0])
            mc_error_set_file(err, a ? other : path);
    } else {
        st = other ? mc_validate_pair(a, b, o, out, err) : mc_validate_round_trips(a, o, out, err);
    }
    mc_model_free(b);
    mc_model_free(a);
    return st;
}
