/* The validator (include/modelconv/validate.h).
 *
 * Corpus: every model validates against itself (a second load) and through
 * every format modelconv writes; the pickles of one model (protocols 2-5)
 * compare equal, and so do its joblib files; pickle against joblib differs
 * only in sharing (joblib writes each reference to an array, and each
 * object array's items, separately: scikit-learn sees it too, e.g.
 * `svc._dual_coef_ is svc.dual_coef_` is True from pickle, False from
 * joblib).
 *
 * Altered copies (tests/data/validate, written by make_altered_models.py
 * from sk1.9.1/rf_clf_str): each change is found, named precisely.
 *
 * Values built in memory: NaN payloads, cycles, sharing, a DAG with 2^60
 * paths, the difference limit. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "corpus.h"
#include "model/model_box.h"
#include "modelconv/validate.h"
#include "read/document.h"

static void print_differences(const char *what, const mc_differences *d)
{
    for (size_t i = 0; i < d->n; i++)
        printf("    %s %s: expected %s, found %s\n", what, d->items[i].path, d->items[i].expected,
               d->items[i].found);
}

/* What a validation found: structural differences in full, prediction
 * differences counted per method. */
static void print_validation(const mc_validation *v)
{
    for (uint32_t i = 0; i < v->n; i++) {
        const mc_comparison *c = &v->items[i];
        if (c->message[0])
            printf("    [%s] %s\n", c->against, c->message);
        print_differences("structure", &c->structure);
        print_differences("prediction", &c->predictions.other);
        for (uint32_t k = 0; k < c->predictions.nmethods; k++)
            if (c->predictions.methods[k].diffs.total)
                printf("    prediction %s: %llu differences\n",
                       mc_method_name(c->predictions.methods[k].method),
                       (unsigned long long)c->predictions.methods[k].diffs.total);
    }
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static mc_model *load(const char *rel)
{
    char path[512];
    mc_model *m = NULL;
    mc_error err;
    if (mc_model_load(corpus_path(path, sizeof path, rel), &m, &err) != MC_OK)
        return NULL;
    return m;
}

/* ---- the corpus -------------------------------------------------------------- */

static void test_corpus_models_validate(void **state)
{
    (void)state;
    size_t n;
    corpus_entry *e = corpus_load(&n);
    assert_non_null(e);
    int checked = 0, predicted = 0, fails = 0, unreadable = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(e[i].kind, "model") != 0 || !ends_with(e[i].path, "model.p4.pkl"))
            continue;
        mc_model *a = load(e[i].path), *b = load(e[i].path);
        if (!a || !b) {
            unreadable++;
            printf("  not readable yet: %s\n", e[i].path);
            mc_model_free(a);
            mc_model_free(b);
            continue;
        }
        mc_validation v;
        mc_error err;
        mc_status st = mc_validate_pair(a, b, NULL, &v, &err);
        if (st != MC_OK) {
            printf("FAIL %s against itself: status %d %s\n", e[i].path, st, err.message);
            print_validation(&v);
            fails++;
        }
        predicted += v.n == 1 && v.items[0].predictions.checked;
        mc_validation_free(&v);
        st = mc_validate_round_trips(a, NULL, &v, &err);
        if (st != MC_OK) {
            printf("FAIL %s round trips: status %d %s\n", e[i].path, st, err.message);
            print_validation(&v);
            fails++;
        }
        mc_validation_free(&v);
        checked++;
        mc_model_free(a);
        mc_model_free(b);
    }
    printf("  %d models validated (%d with predictions compared), %d not readable\n", checked,
           predicted, unreadable);
    free(e);
    assert_int_equal(fails, 0);
    assert_true(checked > 200);
    assert_true(predicted > 100);
}

/* Every difference between a pickle and a joblib file of one model is a
 * sharing difference. */
static int only_sharing(const mc_validation *v)
{
    const mc_comparison *c = &v->items[0];
    if (c->structure.total != c->structure.n)
        return 0;
    for (size_t i = 0; i < c->structure.n; i++)
        if (!strstr(c->structure.items[i].expected, "shared") &&
            !strstr(c->structure.items[i].found, "shared"))
            return 0;
    if (c->predictions.other.total)
        return 0;
    for (uint32_t k = 0; k < c->predictions.nmethods; k++)
        if (c->predictions.methods[k].diffs.total)
            return 0;
    return 1;
}

static void test_formats_of_one_model_compare_equal(void **state)
{
    (void)state;
    size_t n;
    corpus_entry *e = corpus_load(&n);
    assert_non_null(e);
    mc_validate_options o;
    mc_validate_options_init(&o);
    o.limit = 1000;
    int pairs = 0, sharing_only = 0, fails = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(e[i].kind, "model") != 0 || ends_with(e[i].path, "model.p4.pkl"))
            continue;
        /* pickles and the uncompressed joblib file against the protocol-4
         * pickle, compressed joblib files against the uncompressed one */
        char ref[300], jref[300];
        int joblib = strcmp(e[i].format, "joblib") == 0;
        snprintf(ref, sizeof ref, "%s/model.p4.pkl", e[i].dir);
        snprintf(jref, sizeof jref, "%s/model.joblib", e[i].dir);
        mc_model *b = load(e[i].path), *a = NULL;
        if (joblib && !ends_with(e[i].path, "/model.joblib"))
            a = load(jref);
        int against_pickle = !a;
        if (!a)
            a = load(ref);
        if (!a || !b) {
            mc_model_free(a);
            mc_model_free(b);
            continue;
        }
        mc_validation v;
        mc_error err;
        mc_status st = mc_validate_pair(a, b, &o, &v, &err);
        pairs++;
        if (st == MC_E_CHECK && joblib && against_pickle && only_sharing(&v)) {
            sharing_only++;
        } else if (st != MC_OK) {
            printf("FAIL %s against %s: status %d %s\n", e[i].path, against_pickle ? ref : jref,
                   st, err.message);
            print_validation(&v);
            fails++;
        }
        mc_validation_free(&v);
        mc_model_free(a);
        mc_model_free(b);
    }
    printf("  %d pairs compared; %d pickle/joblib pairs differ in sharing only\n", pairs,
           sharing_only);
    free(e);
    assert_int_equal(fails, 0);
    assert_true(pairs > 800);
    assert_true(sharing_only > 0);
}

/* ---- altered copies ----------------------------------------------------------- */

typedef struct altered {
    mc_model *original, *copy;
    mc_validation v;
    mc_status status;
} altered;

static void validate_altered(altered *t, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/data/validate/%s.pkl", MC_SOURCE_DIR, name);
    t->original = load("sk1.9.1/rf_clf_str/model.p4.pkl");
    assert_non_null(t->original);
    mc_error err;
    assert_int_equal(mc_model_load(path, &t->copy, &err), MC_OK);
    t->status = mc_validate_pair(t->original, t->copy, NULL, &t->v, &err);
    assert_int_equal(t->v.n, 1);
    print_validation(&t->v);
}

static void altered_free(altered *t)
{
    mc_validation_free(&t->v);
    mc_model_free(t->original);
    mc_model_free(t->copy);
}

static const mc_difference *find_path(const mc_differences *d, const char *path)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->items[i].path, path) == 0)
            return &d->items[i];
    return NULL;
}

static uint64_t prediction_differences(const mc_comparison *c, mc_method method)
{
    for (uint32_t k = 0; k < c->predictions.nmethods; k++)
        if (c->predictions.methods[k].method == method)
            return c->predictions.methods[k].diffs.total;
    fail_msg("method %s was not compared", mc_method_name(method));
    return 0;
}

static void test_unchanged_copy_is_faithful(void **state)
{
    (void)state;
    altered t;
    validate_altered(&t, "same");
    assert_int_equal(t.status, MC_OK);
    assert_true(t.v.faithful);
    assert_true(t.v.items[0].predictions.checked);
    assert_int_equal(t.v.items[0].predictions.nmethods, 3);
    assert_true(t.v.probe_rows > 100);
    altered_free(&t);
}

static void test_moved_threshold(void **state)
{
    (void)state;
    altered t;
    validate_altered(&t, "threshold");
    assert_int_equal(t.status, MC_E_CHECK);
    const mc_comparison *c = &t.v.items[0];
    assert_int_equal(c->structure.total, 1);
    const mc_difference *d = &c->structure.items[0];
    assert_string_equal(d->path, "estimators_[3].tree_.threshold[8]");
    assert_string_equal(d->expected, "1.3438514471054077");
    assert_string_equal(d->found, "0.75");
    /* the probes follow the path to that split and take both its sides */
    assert_true(prediction_differences(c, MC_METHOD_PREDICT_PROBA) > 0);
    assert_true(prediction_differences(c, MC_METHOD_PREDICT) > 0);
    altered_free(&t);
}

static void test_one_bit_threshold(void **state)
{
    (void)state;
    altered t;
    validate_altered(&t, "threshold_ulp");
    assert_int_equal(t.status, MC_E_CHECK);
    const mc_comparison *c = &t.v.items[0];
    assert_int_equal(c->structure.total, 1);
    assert_string_equal(c->structure.items[0].path, "estimators_[1].tree_.threshold[0]");
    assert_string_not_equal(c->structure.items[0].expected, c->structure.items[0].found);
    altered_free(&t);
}

static void test_dropped_tree(void **state)
{
    (void)state;
    altered t;
    validate_altered(&t, "dropped_tree");
    assert_int_equal(t.status, MC_E_CHECK);
    const mc_comparison *c = &t.v.items[0];
    const mc_difference *d = find_path(&c->structure, "estimators_");
    assert_non_null(d);
    assert_string_equal(d->expected, "5 trees");
    assert_string_equal(d->found, "4 trees");
    /* the first four trees are the same: nothing else in them differs */
    for (size_t i = 0; i < c->structure.n; i++)
        assert_null(strstr(c->structure.items[i].path, "tree_."));
    assert_true(prediction_differences(c, MC_METHOD_PREDICT_PROBA) > 0);
    altered_free(&t);
}

static void test_changed_class_label(void **state)
{
    (void)state;
    altered t;
    validate_altered(&t, "class_label");
    assert_int_equal(t.status, MC_E_CHECK);
    const mc_comparison *c = &t.v.items[0];
    const mc_difference *d = find_path(&c->structure, "classes_[2]");
    assert_non_null(d);
    assert_string_equal(d->expected, "'emu'");
    assert_string_equal(d->found, "'elk'");
    for (size_t i = 0; i < c->structure.n; i++)
        assert_string_equal(c->structure.items[i].path, "classes_[2]");
    assert_true(prediction_differences(c, MC_METHOD_PREDICT) > 0);
    assert_int_equal(prediction_differences(c, MC_METHOD_PREDICT_PROBA), 0);
    altered_free(&t);
}

static void test_changed_parameter(void **state)
{
    (void)state;
    altered t;
    validate_altered(&t, "param");
    assert_int_equal(t.status, MC_E_CHECK);
    const mc_comparison *c = &t.v.items[0];
    assert_int_equal(c->structure.total, 1);
    assert_string_equal(c->structure.items[0].path, "params.max_depth");
    assert_string_equal(c->structure.items[0].expected, "4");
    assert_string_equal(c->structure.items[0].found, "5");
    for (uint32_t k = 0; k < c->predictions.nmethods; k++)
        assert_int_equal(c->predictions.methods[k].diffs.total, 0);
    altered_free(&t);
}

static void test_files_and_errors(void **state)
{
    (void)state;
    char a[512], b[512];
    corpus_path(a, sizeof a, "sk1.9.1/rf_clf_str/model.p4.pkl");
    snprintf(b, sizeof b, "%s/tests/data/validate/param.pkl", MC_SOURCE_DIR);
    mc_validation v;
    mc_error err;
    assert_int_equal(mc_validate_files(a, b, NULL, &v, &err), MC_E_CHECK);
    assert_false(v.faithful);
    assert_string_equal(v.items[0].against, "other");
    mc_validation_free(&v);
    assert_int_equal(mc_validate_files(a, "/nonexistent/model.pkl", NULL, &v, &err), MC_E_INPUT);
    assert_string_equal(err.file, "/nonexistent/model.pkl");
    mc_validation_free(&v);

    /* given probe rows of the wrong width */
    mc_validate_options o;
    mc_validate_options_init(&o);
    double X[5] = {0};
    o.X = X;
    o.rows = 1;
    o.cols = 5;
    assert_int_equal(mc_validate_files(a, a, &o, &v, &err), MC_E_USAGE);
    assert_non_null(strstr(err.message, "5 features"));
    mc_validation_free(&v);
}

/* A found model of another width is a difference, not a usage error. */
static void test_other_width_is_a_difference(void **state)
{
    (void)state;
    mc_model *a = load("sk1.9.1/rf_clf_str/model.p4.pkl");
    mc_model *b = load("sk1.9.1/rf_clf_str/model.p4.pkl");
    assert_non_null(a);
    assert_non_null(b);
    b->n_features = 5;
    mc_validation v;
    mc_error err;
    assert_int_equal(mc_validate_pair(a, b, NULL, &v, &err), MC_E_CHECK);
    print_validation(&v);
    const mc_comparison *c = &v.items[0];
    assert_int_equal(c->structure.total, 1);
    assert_string_equal(c->structure.items[0].path, "n_features_in_");
    /* the second model's predictor refuses a width its trees exceed, or
     * the rows do not fit it: either way one difference */
    assert_int_equal(c->predictions.other.total, 1);
    mc_validation_free(&v);
    mc_model_free(a);
    mc_model_free(b);
}

/* ---- values built in memory ---------------------------------------------------- */

typedef struct built {
    mc_document *doc;
    mc_model *m;
} built;

static void build(built *b)
{
    b->doc = mc_document_new();
    assert_non_null(b->doc);
    b->m = mc_model_new_in(b->doc, 1);
    assert_non_null(b->m);
    b->m->family = "opaque";
    b->m->estimator = "test.Estimator";
}

static mc_value *value(built *b, mc_kind kind)
{
    mc_value *v = mc_doc_value(b->doc, kind, -1);
    assert_non_null(v);
    return v;
}

static mc_value *number(built *b, double d)
{
    mc_value *v = value(b, MC_FLOAT);
    v->u.f = d;
    return v;
}

static void append(built *b, mc_value *seq, mc_value *item)
{
    assert_int_equal(mc_seq_append(b->doc, seq, item, NULL), MC_OK);
}

static void param(built *b, const char *name, const mc_value *v)
{
    mc_entry *e = mc_doc_alloc(b->doc, (b->m->nparams + 1) * sizeof *e);
    assert_non_null(e);
    if (b->m->nparams)
        memcpy(e, b->m->params, b->m->nparams * sizeof *e);
    e[b->m->nparams].name = name;
    e[b->m->nparams].value = v;
    b->m->params = e;
    b->m->nparams++;
}

static mc_tensor *tensor(built *b, const char *name, uint64_t count)
{
    mc_tensor *t = mc_doc_alloc(b->doc, sizeof *t);
    assert_non_null(t);
    memset(t, 0, sizeof *t);
    t->name = name;
    t->elem = MC_ELEM_F64;
    t->ndim = 2;
    t->shape[0] = (int64_t)count / 4;
    t->shape[1] = 4;
    t->count = count;
    t->data.f64 = mc_doc_alloc(b->doc, count * sizeof(double));
    assert_non_null(t->data.f64);
    for (uint64_t i = 0; i < count; i++)
        t->data.f64[i] = (double)i;
    b->m->tensors = t;
    b->m->ntensors = 1;
    return t;
}

static void diff_models(built *a, built *b, size_t limit, mc_differences *d)
{
    mc_differences_init(d, limit);
    mc_error err;
    assert_int_equal(mc_model_diff(a->m, b->m, d, &err), MC_OK);
    print_differences("structure", d);
}

static double nan_with_payload(uint64_t payload)
{
    uint64_t bits = 0x7ff8000000000000u | payload;
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

static void test_nan_payloads_and_signed_zeros(void **state)
{
    (void)state;
    built a, b;
    build(&a);
    build(&b);
    param(&a, "x", number(&a, nan_with_payload(1)));
    param(&b, "x", number(&b, nan_with_payload(2)));
    param(&a, "z", number(&a, 0.0));
    param(&b, "z", number(&b, -0.0));
    param(&a, "same", number(&a, nan_with_payload(7)));
    param(&b, "same", number(&b, nan_with_payload(7)));
    mc_differences d;
    diff_models(&a, &b, 10, &d);
    assert_int_equal(d.total, 2);
    assert_string_equal(d.items[0].path, "params.x");
    assert_string_equal(d.items[0].expected, "nan (bits 0x7ff8000000000001)");
    assert_string_equal(d.items[0].found, "nan (bits 0x7ff8000000000002)");
    assert_string_equal(d.items[1].path, "params.z");
    assert_string_equal(d.items[1].found, "-0.0");
    mc_differences_free(&d);
    mc_model_free(a.m);
    mc_model_free(b.m);
}

/* list = [1.0, list]: a cycle, in both models; the second differs inside. */
static mc_value *cyclic(built *b, double first)
{
    mc_value *l = value(b, MC_LIST);
    append(b, l, number(b, first));
    append(b, l, l);
    return l;
}

static void test_cycles(void **state)
{
    (void)state;
    built a, b, c;
    build(&a);
    build(&b);
    build(&c);
    param(&a, "loop", cyclic(&a, 1.0));
    param(&b, "loop", cyclic(&b, 1.0));
    param(&c, "loop", cyclic(&c, 2.0));
    mc_differences d;
    diff_models(&a, &b, 10, &d);
    assert_int_equal(d.total, 0);
    mc_differences_free(&d);
    diff_models(&a, &c, 10, &d);
    assert_int_equal(d.total, 1);
    assert_string_equal(d.items[0].path, "params.loop[0]");
    mc_differences_free(&d);
    mc_model_free(a.m);
    mc_model_free(b.m);
    mc_model_free(c.m);
}

/* t0 = (leaf,); t(k+1) = (tk, tk): 2^60 paths to the leaf, 61 tuples. */
static mc_value *dag(built *b, double leaf)
{
    mc_value *t = value(b, MC_TUPLE);
    append(b, t, number(b, leaf));
    for (int k = 0; k < 60; k++) {
        mc_value *u = value(b, MC_TUPLE);
        append(b, u, t);
        append(b, u, t);
        t = u;
    }
    return t;
}

static void test_shared_structure_is_walked_once(void **state)
{
    (void)state;
    built a, b, c;
    build(&a);
    build(&b);
    build(&c);
    param(&a, "dag", dag(&a, 1.0));
    param(&b, "dag", dag(&b, 1.0));
    param(&c, "dag", dag(&c, 3.0));
    mc_differences d;
    diff_models(&a, &b, 10, &d);
    assert_int_equal(d.total, 0);
    mc_differences_free(&d);
    diff_models(&a, &c, 10, &d);
    assert_int_equal(d.total, 1); /* reported where first reached */
    mc_differences_free(&d);
    mc_model_free(a.m);
    mc_model_free(b.m);
    mc_model_free(c.m);
}

/* [s, s] with s one list, against [s1, s2], two equal lists. */
static void test_sharing_must_match(void **state)
{
    (void)state;
    built a, b;
    build(&a);
    build(&b);
    mc_value *s = value(&a, MC_LIST);
    append(&a, s, number(&a, 1.0));
    mc_value *la = value(&a, MC_LIST);
    append(&a, la, s);
    append(&a, la, s);
    mc_value *lb = value(&b, MC_LIST);
    for (int i = 0; i < 2; i++) {
        mc_value *x = value(&b, MC_LIST);
        append(&b, x, number(&b, 1.0));
        append(&b, lb, x);
    }
    param(&a, "pair", la);
    param(&b, "pair", lb);
    mc_differences d;
    diff_models(&a, &b, 10, &d);
    assert_int_equal(d.total, 1);
    assert_string_equal(d.items[0].path, "params.pair[1]");
    assert_string_equal(d.items[0].expected, "one object shared with another place");
    assert_string_equal(d.items[0].found, "a separate object");
    mc_differences_free(&d);
    mc_model_free(a.m);
    mc_model_free(b.m);
}

static void test_differences_are_bounded_and_counted(void **state)
{
    (void)state;
    built a, b;
    build(&a);
    build(&b);
    tensor(&a, "coef", 4000);
    mc_tensor *t = tensor(&b, "coef", 4000);
    for (uint64_t i = 0; i < t->count; i += 4)
        t->data.f64[i] = -1.0;
    t->data.f64[5] = nan_with_payload(3);
    mc_differences d;
    diff_models(&a, &b, 3, &d);
    assert_int_equal(d.n, 3);
    assert_int_equal(d.total, 1001);
    assert_string_equal(d.items[0].path, "coef[0, 0]");
    assert_string_equal(d.items[1].path, "coef[1, 0]");
    assert_string_equal(d.items[2].path, "coef[1, 1]");
    assert_string_equal(d.items[2].found, "nan (bits 0x7ff8000000000003)");
    mc_differences_free(&d);
    mc_model_free(a.m);
    mc_model_free(b.m);
}

static void test_probes_are_deterministic(void **state)
{
    (void)state;
    mc_model *m = load("sk1.9.1/gbc_multiclass/model.p4.pkl");
    assert_non_null(m);
    mc_probes p, q;
    mc_error err;
    assert_int_equal(mc_probes_make(m, 0, &p, &err), MC_OK);
    assert_int_equal(mc_probes_make(m, 0, &q, &err), MC_OK);
    assert_int_equal(p.rows, q.rows);
    assert_int_equal(p.cols, (uint64_t)m->n_features);
    assert_memory_equal(p.X, q.X, p.rows * p.cols * sizeof(double));
    int nan_rows = 0;
    for (uint64_t r = 0; r < p.rows; r++)
        nan_rows += isnan(p.X[r * p.cols]);
    assert_true(nan_rows >= 2);
    mc_probes_free(&q);
    /* a bound on rows is kept */
    assert_int_equal(mc_probes_make(m, 50, &q, &err), MC_OK);
    assert_true(q.rows <= 50);
    mc_probes_free(&q);
    mc_probes_free(&p);
    mc_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_models_validate),
        cmocka_unit_test(test_formats_of_one_model_compare_equal),
        cmocka_unit_test(test_unchanged_copy_is_faithful),
        cmocka_unit_test(test_moved_threshold),
        cmocka_unit_test(test_one_bit_threshold),
        cmocka_unit_test(test_dropped_tree),
        cmocka_unit_test(test_changed_class_label),
        cmocka_unit_test(test_changed_parameter),
        cmocka_unit_test(test_files_and_errors),
        cmocka_unit_test(test_other_width_is_a_difference),
        cmocka_unit_test(test_nan_payloads_and_signed_zeros),
        cmocka_unit_test(test_cycles),
        cmocka_unit_test(test_shared_structure_is_walked_once),
        cmocka_unit_test(test_sharing_must_match),
        cmocka_unit_test(test_differences_are_bounded_and_counted),
        cmocka_unit_test(test_probes_are_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
