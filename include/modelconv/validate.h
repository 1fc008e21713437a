/* modelconv — proving a conversion faithful.
 *
 * Three checks, each usable alone:
 *  - structure: two models compared field by field — family, estimator,
 *    task, n_features, n_outputs, classes, every tensor bit for bit (type,
 *    shape, bytes; NaN payloads included), parameters and fitted state by
 *    value (every value kind, numpy arrays by dtype/shape/bytes, objects by
 *    class/constructor/arguments/state, shared references kept shared),
 *    children recursively;
 *  - predictions: every method either model has, run on probe rows (given,
 *    or made from the model: tree split thresholds on both sides, values
 *    over the ranges the model saw, NaN in each feature, a deterministic
 *    pseudo-random grid), outputs compared bit for bit;
 *  - round trips: a model written in every format modelconv can write,
 *    read back, and compared with the original by both checks above.
 *
 * Differences are named by paths in scikit-learn's terms, e.g.
 * "steps[1].estimators_[7].tree_.threshold[42]", "classes_[2]",
 * "params.max_depth", "predict_proba[17, 2]", with the expected (first
 * model's) and found (second model's) values as text.  Lists are bounded:
 * at most `limit` differences are kept, all are counted.  Comparison work
 * is linear in the models' sizes, whatever their sharing.
 *
 * The library only reads the models; everything it allocates belongs to
 * the result structures and is freed with their *_free functions.
 */
#ifndef MODELCONV_VALIDATE_H
#define MODELCONV_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "modelconv/error.h"
#include "modelconv/model.h"
#include "modelconv/predict.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- differences ------------------------------------------------------- */

typedef struct mc_difference {
    char *path;       /* "steps[1].estimators_[7].tree_.threshold[42]"       */
    char *expected;   /* in the first (original) model, as text              */
    char *found;      /* in the second                                        */
} mc_difference;

typedef struct mc_differences {
    size_t limit;     /* most differences kept                                */
    size_t n;         /* kept: the first min(total, limit) found              */
    uint64_t total;   /* all differences found                                */
    mc_difference *items;
} mc_differences;

/* An empty list keeping at most `limit` differences (0 keeps none, only
 * counts). */
void mc_differences_init(mc_differences *d, size_t limit);
void mc_differences_free(mc_differences *d);

/* ---- structure --------------------------------------------------------- */

/* Add every difference between `expected` and `found` to out (initialised
 * with mc_differences_init).  MC_OK whether they differ or not; MC_E_NOMEM,
 * or MC_E_INPUT for value graphs nested deeper than the comparison follows
 * (4096 levels). */
mc_status mc_model_diff(const mc_model *expected, const mc_model *found, mc_differences *out,
                        mc_error *err);

/* ---- probe rows ---------------------------------------------------------- */

typedef struct mc_probes {
    double *X;        /* rows x cols, row-major (malloc'd)                    */
    uint64_t rows, cols;
} mc_probes;

/* Rows that exercise m's decisions (see the top of this header), at most
 * max_rows (0: 20000; tree splits are sampled evenly when there are more).
 * Deterministic.  MC_E_INPUT when m does not say how many features it
 * takes; MC_E_NOMEM. */
mc_status mc_probes_make(const mc_model *m, uint64_t max_rows, mc_probes *out, mc_error *err);
void mc_probes_free(mc_probes *p);

/* ---- predictions --------------------------------------------------------- */

typedef struct mc_method_parity {
    mc_method method;
    uint64_t rows;            /* rows compared                                */
    uint64_t refused;         /* rows both models refused alike               */
    mc_differences diffs;     /* "predict_proba[17, 2]": 0.25 vs 0.5; or the
                                 method present in one model only             */
} mc_method_parity;

typedef struct mc_parity {
    int checked;              /* 0: neither model predicts (note says why)    */
    char note[512];
    uint64_t rows;            /* probe rows                                   */
    uint32_t nmethods;        /* methods either model has                     */
    mc_method_parity methods[MC_METHOD_COUNT];
    mc_differences other;     /* one model predicts and the other cannot      */
} mc_parity;

/* Compare the outputs of every method `expected` or `found` has on the rows
 * X (nrows x ncols, row-major), bit for bit (labels by value).  A batch
 * either model refuses is retried row by row, so that rows both refuse
 * alike (e.g. NaN where neither takes missing values) are counted, not
 * failed.  out keeps at most `limit` differences per list.  MC_OK whether
 * they differ or not (a found model taking another number of features is
 * a difference); MC_E_USAGE when ncols is not expected's feature count;
 * MC_E_NOMEM.  Free out with mc_parity_free (also after a failure). */
mc_status mc_parity_check(const mc_model *expected, const mc_model *found, const double *X,
                          uint64_t nrows, uint64_t ncols, size_t limit, mc_parity *out,
                          mc_error *err);
void mc_parity_free(mc_parity *p);

/* ---- round trips and whole validations ---------------------------------- */

typedef enum mc_trial_outcome {
    MC_TRIAL_COMPARED,   /* both models in hand: see structure, predictions  */
    MC_TRIAL_SKIPPED,    /* the format cannot hold this model (message)      */
    MC_TRIAL_FAILED      /* writing failed, or what was written cannot be
                            read back (message)                              */
} mc_trial_outcome;

typedef struct mc_comparison {
    char against[32];         /* a format name ("hdf5": a round trip through
                                 it), or "other" (the second file)            */
    mc_trial_outcome outcome;
    char message[1024];
    mc_differences structure;
    mc_parity predictions;
} mc_comparison;

typedef struct mc_validation {
    uint32_t n;
    mc_comparison *items;     /* one per format tried, or the one pair        */
    uint64_t probe_rows;
    int faithful;             /* nothing differs and nothing failed           */
} mc_validation;

typedef struct mc_validate_options {
    size_t limit;             /* differences kept per list (default 20)       */
    const double *X;          /* probe rows, row-major; NULL: made from the
                                 model with mc_probes_make                    */
    uint64_t rows, cols;
    uint64_t max_probe_rows;  /* for made probes (default 20000)              */
    const char *tmpdir;       /* where round-trip files are written and
                                 removed (default $TMPDIR, else /tmp)         */
} mc_validate_options;

void mc_validate_options_init(mc_validate_options *o);

/* All the differences one comparison found: structure and predictions. */
uint64_t mc_comparison_differences(const mc_comparison *c);

/* Compare two models (structure and predictions): out gets one comparison,
 * "other".  Returns MC_OK when faithful, MC_E_CHECK when something differs
 * (out says what, err counts it), another status for errors (out may then
 * be partial; always free it with mc_validation_free). */
mc_status mc_validate_pair(const mc_model *expected, const mc_model *found,
                           const mc_validate_options *o, mc_validation *out, mc_error *err);

/* Write m in every format modelconv can write (to a fresh folder in
 * o->tmpdir, removed afterwards), read each back and compare it with m.
 * A format whose writer refuses the model (MC_E_USAGE, MC_E_INPUT) is
 * SKIPPED; a write that fails otherwise, or a file that cannot be read
 * back, is FAILED (not faithful).  Statuses as mc_validate_pair; MC_E_IO
 * when the temporary folder cannot be made. */
mc_status mc_validate_round_trips(const mc_model *m, const mc_validate_options *o,
                                  mc_validation *out, mc_error *err);

/* Load `path` and validate its round trips, or, with `other`, load both and
 * compare them.  MC_E_INPUT (err names the file) when either is unreadable;
 * otherwise as above. */
mc_status mc_validate_files(const char *path, const char *other, const mc_validate_options *o,
                            mc_validation *out, mc_error *err);

void mc_validation_free(mc_validation *v);

#ifdef __cplusplus
}
#endif
#endif
