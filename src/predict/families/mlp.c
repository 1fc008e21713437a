/* MLPClassifier, MLPRegressor: _forward_pass_fast and the methods built on
 * it (sklearn/neural_network/_multilayer_perceptron.py, _base.py; details in
 * schemas/families/mlp.md).  prepare() resolves the layers and activations;
 * run() pushes a block of rows through one layer at a time, so each weight
 * matrix is read once per block. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/sizes.h"
#include "predict/kernel.h"
#include "predict/numeric.h"

typedef enum activation {
    ACT_IDENTITY,
    ACT_LOGISTIC,
    ACT_TANH,
    ACT_RELU,
    ACT_SOFTMAX,
    ACT_EXP
} activation;

typedef enum mlp_output { OUT_REGRESSION, OUT_BINARY, OUT_MULTICLASS, OUT_MULTILABEL } mlp_output;

typedef struct mlp {
    uint32_t n_layers;         /* weight layers: len(coefs_) */
    const int64_t *sizes;      /* n_layers + 1 widths, input first */
    uint64_t *w_off, *b_off;   /* where each layer starts in coefs, intercepts */
    const double *coefs, *intercepts;
    uint64_t max_width;
    activation hidden, output;
    mlp_output kind;
} mlp;

enum { BLOCK_ROWS = 64 };

static void release(void *state)
{
    mlp *s = state;
    if (!s)
        return;
    free(s->w_off);
    free(s->b_off);
    free(s);
}

static mc_status fail(const mc_model *m, mc_error *err, const char *why)
{
    return mc_error_set(err, MC_E_INPUT, -1, "%s: %s", m->estimator, why);
}

/* ---- prepare ------------------------------------------------------------- */

/* ACTIVATIONS of sklearn/neural_network/_base.py; -1 when unknown. */
static int activation_of(const mc_value *name)
{
    static const char *const names[] = {"identity", "logistic", "tanh", "relu", "softmax", "exp"};
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
        if (mc_value_is_str(name, names[i]))
            return i;
    return -1;
}

/* Layer offsets into the flat tensors, checked against their lengths. */
static mc_status load_layers(const mc_model *m, mlp *s, mc_error *err)
{
    const mc_tensor *sizes = mc_kernel_tensor(m, "layer_sizes", MC_ELEM_I64, err);
    const mc_tensor *w = sizes ? mc_kernel_tensor(m, "coefs", MC_ELEM_F64, err) : NULL;
    const mc_tensor *b = w ? mc_kernel_tensor(m, "intercepts", MC_ELEM_F64, err) : NULL;
    if (!b)
        return MC_E_INPUT;
    if (sizes->count < 2 || sizes->count > UINT32_MAX)
        return fail(m, err, "layer_sizes needs an input and an output layer");
    s->n_layers = (uint32_t)(sizes->count - 1);
    s->sizes = sizes->data.i64;
    s->w_off = malloc(s->n_layers * sizeof *s->w_off);
    s->b_off = malloc(s->n_layers * sizeof *s->b_off);
    if (!s->w_off || !s->b_off)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    uint64_t wn = 0, bn = 0, prod;
    for (uint32_t l = 0; l <= s->n_layers; l++)
        if (s->sizes[l] < 1)
            return fail(m, err, "a layer has no units");
    for (uint32_t l = 0; l < s->n_layers; l++) {
        s->w_off[l] = wn;
        s->b_off[l] = bn;
        if (mc_mul_u64((uint64_t)s->sizes[l], (uint64_t)s->sizes[l + 1], &prod) ||
            mc_add_u64(wn, prod, &wn) || mc_add_u64(bn, (uint64_t)s->sizes[l + 1], &bn))
            return fail(m, err, "layer sizes overflow");
        if ((uint64_t)s->sizes[l + 1] > s->max_width)
            s->max_width = (uint64_t)s->sizes[l + 1];
    }
    if (wn != w->count || bn != b->count)
        return fail(m, err, "coefs_ / intercepts_ do not match the layer sizes");
    if (m->n_features >= 0 && s->sizes[0] != m->n_features)
        return fail(m, err, "the first layer does not take n_features_in_ inputs");
    if ((uint64_t)s->sizes[0] > s->max_width)
        s->max_width = (uint64_t)s->sizes[0];
    s->coefs = w->data.f64;
    s->intercepts = b->data.f64;
    return MC_OK;
}

/* What the classifier's output is (LabelBinarizer's y_type_, seen through
 * the output activation and width). */
static mc_status classifier_kind(const mc_model *m, mlp *s, mc_error *err)
{
    int64_t width = s->sizes[s->n_layers];
    if (m->n_class_sets != 1)
        return fail(m, err, "classes_ is missing");
    if (s->output == ACT_SOFTMAX)
        s->kind = OUT_MULTICLASS;
    else if (s->output == ACT_LOGISTIC)
        s->kind = width == 1 ? OUT_BINARY : OUT_MULTILABEL;
    else
        return fail(m, err, "a classifier's out_activation_ must be 'softmax' or 'logistic'");
    uint64_t n_classes = m->classes[0].count;
    if ((s->kind == OUT_BINARY && n_classes != 2) ||
        (s->kind != OUT_BINARY && n_classes != (uint64_t)width))
        return fail(m, err, "classes_ does not match the output layer");
    return MC_OK;
}

static mc_status setup(const mc_model *m, mlp *s, unsigned *methods, mc_error *err)
{
    mc_status st = load_layers(m, s, err);
    if (st)
        return st;
    int hidden = activation_of(mc_model_param(m, "activation"));
    int output = activation_of(mc_model_state(m, "out_activation_"));
    if (hidden < 0 || output < 0)
        return fail(m, err, "activation or out_activation_ is not one scikit-learn defines");
    s->hidden = (activation)hidden;
    s->output = (activation)output;
    *methods = 1u << MC_METHOD_PREDICT;
    if (m->task != MC_TASK_CLASSIFIER) {
        s->kind = OUT_REGRESSION;
        return MC_OK;
    }
    *methods |= 1u << MC_METHOD_PREDICT_PROBA | 1u << MC_METHOD_PREDICT_LOG_PROBA;
    return classifier_kind(m, s, err);
}

static mc_status prepare(const mc_model *m, void **state, unsigned *methods, mc_error *err)
{
    mlp *s = calloc(1, sizeof *s);
    if (!s)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    mc_status st = setup(m, s, methods, err);
    if (st) {
        release(s);
        return st;
    }
    *state = s;
    return MC_OK;
}

/* ---- forward pass --------------------------------------------------------- */

/* inplace_softmax on one row: tmp = x - max; exp; /= sum. */
static void softmax_row(double *x, uint64_t n)
{
    double max = x[0]; /* X.max(axis=1): NaN wins */
    for (uint64_t j = 1; j < n && !isnan(max); j++)
        if (isnan(x[j]) || x[j] > max)
            max = x[j];
    for (uint64_t j = 0; j < n; j++)
        x[j] = exp(x[j] - max);
    double sum = mc_pairwise_sum(x, n);
    for (uint64_t j = 0; j < n; j++)
        x[j] /= sum;
}

/* The ACTIVATIONS, in place on `rows` rows of `width`. */
static void activate(activation f, double *x, uint64_t rows, uint64_t width)
{
    uint64_t count = rows * width;
    switch (f) {
    case ACT_IDENTITY: return;
    case ACT_LOGISTIC: /* scipy.special.expit */
        for (uint64_t i = 0; i < count; i++)
            x[i] = 1 / (1 + exp(-x[i]));
        return;
    case ACT_TANH:
        for (uint64_t i = 0; i < count; i++)
            x[i] = tanh(x[i]);
        return;
    case ACT_RELU: /* np.maximum(X, 0): NaN and -0.0 stay */
        for (uint64_t i = 0; i < count; i++)
            x[i] = x[i] < 0 ? 0 : x[i];
        return;
    case ACT_SOFTMAX:
        for (uint64_t r = 0; r < rows; r++)
            softmax_row(x + r * width, width);
        return;
    case ACT_EXP:
        for (uint64_t i = 0; i < count; i++)
            x[i] = exp(x[i]);
        return;
    }
}

/* out = in @ coefs_[l] + intercepts_[l] for `rows` rows. */
static void dense_layer(const mlp *s, uint32_t l, const double *in, uint64_t rows, double *out)
{
    uint64_t n_in = (uint64_t)s->sizes[l], n_out = (uint64_t)s->sizes[l + 1];
    const double *w = s->coefs + s->w_off[l], *b = s->intercepts + s->b_off[l];
    for (uint64_t r = 0; r < rows; r++) {
        double *o = out + r * n_out;
        const double *a = in + r * n_in;
        memset(o, 0, n_out * sizeof *o);
        for (uint64_t i = 0; i < n_in; i++) {
            double ai = a[i];
            const double *wi = w + i * n_out;
            for (uint64_t j = 0; j < n_out; j++)
                o[j] += ai * wi[j];
        }
        for (uint64_t j = 0; j < n_out; j++)
            o[j] += b[j];
    }
}

/* The network's output for `rows` rows of X; returns the buffer (a or b)
 * that holds it. */
static double *forward(const mlp *s, const double *X, uint64_t rows, double *a, double *b)
{
    const double *in = X;
    double *out = a;
    for (uint32_t l = 0; l < s->n_layers; l++) {
        dense_layer(s, l, in, rows, out);
        int last = l + 1 == s->n_layers;
        activate(last ? s->output : s->hidden, out, rows, (uint64_t)s->sizes[l + 1]);
        in = out;
        out = out == a ? b : a;
    }
    return (double *)in;
}

/* ---- outputs ------------------------------------------------------------ */

/* np.argmax: the first maximum, or the first NaN. */
static int64_t argmax(const double *v, uint64_t n)
{
    uint64_t best = 0;
    for (uint64_t i = 0; i < n; i++) {
        if (isnan(v[i]))
            return (int64_t)i;
        if (v[i] > v[best])
            best = i;
    }
    return (int64_t)best;
}

/* One row of the method's output from the network output y. */
static void finish_row(const mlp *s, mc_method method, const double *y, void *out, uint64_t row)
{
    uint64_t width = (uint64_t)s->sizes[s->n_layers];
    if (s->kind == OUT_REGRESSION) {
        memcpy((double *)out + row * width, y, width * sizeof *y);
        return;
    }
    if (method == MC_METHOD_PREDICT) { /* LabelBinarizer.inverse_transform */
        ((int64_t *)out)[row] = s->kind == OUT_BINARY ? y[0] > 0.5 : argmax(y, width);
        return;
    }
    uint64_t k = s->kind == OUT_BINARY ? 2 : width;
    double *o = (double *)out + row * k;
    if (s->kind == OUT_BINARY) { /* np.vstack([1 - y_pred, y_pred]).T */
        o[0] = 1 - y[0];
        o[1] = y[0];
    } else {
        memcpy(o, y, k * sizeof *y);
    }
    if (method == MC_METHOD_PREDICT_LOG_PROBA)
        for (uint64_t c = 0; c < k; c++)
            o[c] = log(o[c]);
}

static void *alloc_output(const mlp *s, mc_method method, uint64_t n, mc_outputs *out,
                          mc_error *err)
{
    uint64_t width = (uint64_t)s->sizes[s->n_layers];
    if (s->kind == OUT_REGRESSION) /* one output is raveled */
        return mc_output_f64(out, 0, n, width == 1 ? 0 : width, err);
    if (method == MC_METHOD_PREDICT)
        return mc_output_i64(out, 0, n, 0, err);
    return mc_output_f64(out, 0, n, s->kind == OUT_BINARY ? 2 : width, err);
}

static mc_status run(const void *state, const mc_model *m, mc_method method, const double *X,
                     uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err)
{
    const mlp *s = state;
    if (ncols != (uint64_t)s->sizes[0])
        return mc_error_set(err, MC_E_USAGE, -1, "X has %llu features, %s expects %lld",
                            (unsigned long long)ncols, m->estimator, (long long)s->sizes[0]);
    if (method == MC_METHOD_PREDICT && s->kind == OUT_MULTILABEL)
        return mc_error_set(err, MC_E_INPUT, -1,
                            "%s: predict of a multilabel model gives an indicator matrix, "
                            "which modelconv does not produce",
                            m->estimator);
    /* validate_data: NaN and infinity raise */
    mc_status st = mc_kernel_check_finite(m, MC_FINITE_ALL, X, n, ncols, err);
    if (st || (st = mc_outputs_init(out, 1, err)))
        return st;
    void *o = alloc_output(s, method, n, out, err);
    uint64_t cells;
    if (mc_mul_u64(BLOCK_ROWS, s->max_width, &cells) || cells > SIZE_MAX / sizeof(double))
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    double *a = malloc((size_t)cells * sizeof *a), *b = malloc((size_t)cells * sizeof *b);
    if (!o || !a || !b) {
        free(a);
        free(b);
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    }
    uint64_t width = (uint64_t)s->sizes[s->n_layers];
    for (uint64_t r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
        uint64_t rows = n - r0 < BLOCK_ROWS ? n - r0 : BLOCK_ROWS;
        const double *y = forward(s, X + r0 * ncols, rows, a, b);
        for (uint64_t r = 0; r < rows; r++)
            finish_row(s, method, y + r * width, o, r0 + r);
    }
    free(a);
    free(b);
    return MC_OK;
}

const mc_kernel mc_kernel_mlp = {.family = "mlp", .prepare = prepare, .release = release,
                                 .run = run};
