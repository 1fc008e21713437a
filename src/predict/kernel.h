/* Prediction kernels, one per family (private).
 *
 * Each family that predicts has a file src/predict/families/<family>.c
 * defining `const mc_kernel mc_kernel_<family>`; the build lists them
 * (generated/kernels.inc).  A kernel prepares once per model and then runs
 * on batches of rows without per-call setup that grows with the model. */
#ifndef MC_PREDICT_KERNEL_H
#define MC_PREDICT_KERNEL_H

#include "modelconv/predict.h"

typedef struct mc_kernel {
    const char *family;
    /* Check that m holds what prediction needs, build what the kernel uses,
     * and set *methods to the methods the estimator has (1u << mc_method). */
    mc_status (*prepare)(const mc_model *m, void **state, unsigned *methods, mc_error *err);
    void (*release)(void *state);
    /* Compute `method` on n rows of X (row-major, ncols columns, which equals
     * the model's n_features when it knows it) into
     * out (allocate with mc_outputs_init + mc_output_f64/_i64).  A
     * classifier's predict gives MC_ELEM_I64 class indices, one column per
     * output; mc_predict turns them into labels. */
    mc_status (*run)(const void *state, const mc_model *m, mc_method method, const double *X,
                     uint64_t n, uint64_t ncols, mc_outputs *out, mc_error *err);
} mc_kernel;

/* out gets `parts` empty outputs. */
mc_status mc_outputs_init(mc_outputs *out, uint32_t parts, mc_error *err);
/* Allocate part i as float64 / int64 of shape (rows) when cols == 0, else
 * (rows, cols); NULL (and err set) when out of memory. */
double *mc_output_f64(mc_outputs *out, uint32_t i, uint64_t rows, uint64_t cols, mc_error *err);
int64_t *mc_output_i64(mc_outputs *out, uint32_t i, uint64_t rows, uint64_t cols, mc_error *err);

/* A model tensor that must exist with this type (MC_E_INPUT naming it). */
const mc_tensor *mc_kernel_tensor(const mc_model *m, const char *name, mc_elem elem,
                                  mc_error *err);

/* True when the estimator was written by scikit-learn >= major.minor (its
 * _sklearn_version, else the file's); false when neither is known. */
int mc_kernel_version_at_least(const mc_model *m, int major, int minor);

/* What scikit-learn's input validation lets through (check_array's
 * ensure_all_finite / force_all_finite). */
typedef enum mc_finite {
    MC_FINITE_ALL,      /* True: no NaN, no infinity */
    MC_FINITE_ALLOW_NAN /* "allow-nan": NaN passes, infinity does not */
} mc_finite;

/* MC_E_USAGE naming the first row and column of X (n rows, ncols columns)
 * that scikit-learn's validation would refuse, as it raises ValueError. */
mc_status mc_kernel_check_finite(const mc_model *m, mc_finite rule, const double *X, uint64_t n,
                                 uint64_t ncols, mc_error *err);

#endif
