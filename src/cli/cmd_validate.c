/* modelconv validate FILE [OTHER] [--input X.npy] [--json]: is a conversion
 * faithful?  With one file, the model goes through every format modelconv
 * writes and back; with two, they are compared.  Structure and predictions
 * both (include/modelconv/validate.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/json_writer.h"
#include "io/matrix.h"
#include "modelconv/validate.h"

void help_validate(void)
{
    printf("usage: modelconv validate FILE [OTHER] [--input X.npy] [--json]\n\n"
           "Check that a conversion keeps a model exactly.  With FILE alone, the model\n"
           "is written in every format modelconv writes, read back and compared with\n"
           "the original; with OTHER, the two files are compared.  Compared: family,\n"
           "class, task, feature and output counts, classes, every array bit for bit,\n"
           "parameters and fitted state by value, pipeline steps; and the outputs of\n"
           "every method on probe rows, bit for bit.\n\n"
           "  --input X   probe rows (.npy or .csv); by default they are made from the\n"
           "              model: each tree split on both sides, values over the ranges\n"
           "              the model saw, NaN in each feature, a fixed pseudo-random grid\n"
           "  --json      one JSON object: files, formats tried, structural differences,\n"
           "              prediction differences per method, verdict\n\n"
           "Each difference is one line: PATH: expected E, found F, with PATH in\n"
           "scikit-learn's terms (steps[1].estimators_[7].tree_.threshold[42]), prefixed\n"
           "by the format of the round trip.  At most 20 differences are listed per\n"
           "check; all are counted.\n\n"
           "exit: 0 faithful, 1 differences found, 2 usage, 3 unreadable or unsupported\n"
           "input, 4 I/O failure (temporary files)\n");
}

static const char *outcome_name(mc_trial_outcome o)
{
    switch (o) {
    case MC_TRIAL_COMPARED: return "compared";
    case MC_TRIAL_SKIPPED: return "skipped";
    case MC_TRIAL_FAILED: return "failed";
    }
    return "?";
}

/* ---- text ------------------------------------------------------------------ */

static void print_differences(const char *prefix, const mc_differences *d)
{
    for (size_t i = 0; i < d->n; i++)
        printf("%s%s: expected %s, found %s\n", prefix, d->items[i].path, d->items[i].expected,
               d->items[i].found);
    if (d->total > d->n)
        printf("%s... and %" PRIu64 " more like these\n", prefix, d->total - d->n);
}

static void print_methods(const mc_parity *p)
{
    for (uint32_t i = 0; i < p->nmethods; i++)
        printf("%s%s", i ? ", " : "", mc_method_name(p->methods[i].method));
}

static void print_comparison(const mc_comparison *c, int round_trip)
{
    char prefix[48] = "";
    if (round_trip)
        snprintf(prefix, sizeof prefix, "%s: ", c->against);
    if (c->outcome != MC_TRIAL_COMPARED) {
        printf("%s%s: %s\n", prefix, c->outcome == MC_TRIAL_SKIPPED ? "skipped" : "FAILED",
               c->message);
        return;
    }
    const mc_parity *p = &c->predictions;
    print_differences(prefix, &c->structure);
    print_differences(prefix, &p->other);
    for (uint32_t i = 0; i < p->nmethods; i++)
        print_differences(prefix, &p->methods[i].diffs);
    if (mc_comparison_differences(c))
        return;
    printf("%sstructure identical; ", prefix);
    if (!p->checked) {
        printf("predictions not compared (%s)\n", p->note);
        return;
    }
    uint64_t refused = 0;
    for (uint32_t i = 0; i < p->nmethods; i++)
        refused = p->methods[i].refused > refused ? p->methods[i].refused : refused;
    print_methods(p);
    printf(" identical on %" PRIu64 " probe rows", p->rows);
    if (refused)
        printf(" (%" PRIu64 " of them refused alike by both)", refused);
    printf("\n");
}

static void print_text(const mc_validation *v, int round_trip)
{
    uint64_t total = 0;
    for (uint32_t i = 0; i < v->n; i++) {
        print_comparison(&v->items[i], round_trip);
        total += mc_comparison_differences(&v->items[i]);
    }
    int compared = 0;
    for (uint32_t i = 0; i < v->n; i++)
        compared |= v->items[i].outcome != MC_TRIAL_SKIPPED;
    if (round_trip && !compared)
        printf("no round trip: %s\n", v->n ? "no format modelconv writes can hold this model yet"
                                             : "modelconv writes no format yet");
    if (v->faithful)
        printf("faithful\n");
    else if (total)
        printf("not faithful: %" PRIu64 " difference%s\n", total, total == 1 ? "" : "s");
    else
        printf("not faithful\n");
}

/* ---- JSON ------------------------------------------------------------------ */

/* "total" and "differences" members of the current object. */
static void json_difference_members(json_writer *w, const mc_differences *d)
{
    json_key(w, "total");
    json_uint(w, d->total);
    json_key(w, "differences");
    json_array_begin(w);
    for (size_t i = 0; i < d->n; i++) {
        json_object_begin(w);
        json_key(w, "path");
        json_string(w, d->items[i].path);
        json_key(w, "expected");
        json_string(w, d->items[i].expected);
        json_key(w, "found");
        json_string(w, d->items[i].found);
        json_object_end(w);
    }
    json_array_end(w);
}

static void json_differences(json_writer *w, const mc_differences *d)
{
    json_object_begin(w);
    json_difference_members(w, d);
    json_object_end(w);
}

static void json_predictions(json_writer *w, const mc_parity *p)
{
    json_object_begin(w);
    json_key(w, "checked");
    json_bool(w, p->checked);
    json_key(w, "note");
    if (p->note[0])
        json_string(w, p->note);
    else
        json_null(w);
    json_key(w, "rows");
    json_uint(w, p->rows);
    json_key(w, "other");
    json_differences(w, &p->other);
    json_key(w, "methods");
    json_array_begin(w);
    for (uint32_t i = 0; i < p->nmethods; i++) {
        const mc_method_parity *m = &p->methods[i];
        json_object_begin(w);
        json_key(w, "method");
        json_string(w, mc_method_name(m->method));
        json_key(w, "rows");
        json_uint(w, m->rows);
        json_key(w, "refused");
        json_uint(w, m->refused);
        json_difference_members(w, &m->diffs);
        json_object_end(w);
    }
    json_array_end(w);
    json_object_end(w);
}

static void print_json(const mc_validation *v, const char *file, const char *other)
{
    json_writer w;
    json_init(&w, stdout);
    json_object_begin(&w);
    json_key(&w, "files");
    json_array_begin(&w);
    json_string(&w, file);
    if (other)
        json_string(&w, other);
    json_array_end(&w);
    json_key(&w, "formats_tried");
    json_array_begin(&w);
    for (uint32_t i = 0; !other && i < v->n; i++)
        json_string(&w, v->items[i].against);
    json_array_end(&w);
    json_key(&w, "probe_rows");
    json_uint(&w, v->probe_rows);
    json_key(&w, "comparisons");
    json_array_begin(&w);
    for (uint32_t i = 0; i < v->n; i++) {
        const mc_comparison *c = &v->items[i];
        json_object_begin(&w);
        json_key(&w, "against");
        json_string(&w, c->against);
        json_key(&w, "outcome");
        json_string(&w, outcome_name(c->outcome));
        json_key(&w, "message");
        if (c->message[0])
            json_string(&w, c->message);
        else
            json_null(&w);
        json_key(&w, "structure");
        json_differences(&w, &c->structure);
        json_key(&w, "predictions");
        json_predictions(&w, &c->predictions);
        json_object_end(&w);
    }
    json_array_end(&w);
    uint64_t total = 0;
    for (uint32_t i = 0; i < v->n; i++)
        total += mc_comparison_differences(&v->items[i]);
    json_key(&w, "total_differences");
    json_uint(&w, total);
    json_key(&w, "verdict");
    json_string(&w, v->faithful ? "faithful" : "not faithful");
    json_object_end(&w);
    json_finish(&w);
}

/* ---- the command --------------------------------------------------------------- */

int cmd_validate(int argc, char **argv)
{
    const char *file = NULL, *other = NULL, *input = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--input") == 0) {
            if (i + 1 >= argc)
                return cli_usage("validate", "--input needs a file");
            input = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage("validate", "unknown option '%s'", argv[i]);
        } else if (!file) {
            file = argv[i];
        } else if (!other) {
            other = argv[i];
        } else {
            return cli_usage("validate", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!file)
        return cli_usage("validate", "FILE is required");

    mc_error err;
    mc_error_clear(&err);
    mc_matrix X = {0};
    mc_validate_options o;
    mc_validate_options_init(&o);
    mc_status st = MC_OK;
    if (input && !(st = mc_matrix_read(input, &X, &err))) {
        o.X = X.data;
        o.rows = X.rows;
        o.cols = X.cols;
    }
    mc_validation v = {0};
    if (!st)
        st = mc_validate_files(file, other, &o, &v, &err);
    int code;
    if (st == MC_OK || st == MC_E_CHECK) {
        if (json)
            print_json(&v, file, other);
        else
            print_text(&v, other == NULL);
        code = v.faithful ? 0 : 1;
    } else {
        code = cli_fail(&err);
    }
    mc_validation_free(&v);
    mc_matrix_free(&X);
    return code;
}
