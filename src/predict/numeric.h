/* Arithmetic kernels share to reproduce numpy's own order of operations
 * (private). */
#ifndef MC_PREDICT_NUMERIC_H
#define MC_PREDICT_NUMERIC_H

#include <stdint.h>

struct mc_model;

/* numpy's pairwise summation of a contiguous float64 array, which np.sum and
 * np.add.reduce use along a contiguous axis (DOUBLE_pairwise_sum in
 * numpy/_core/src/umath/loops_utils.h.src: 8 partial sums below 128
 * elements, halving above).  Bit for bit what numpy returns. */
double mc_pairwise_sum(const double *a, uint64_t n);

/* Which numpy computed a model's exponentials (see numpy_exp.c). */
typedef enum mc_exp_variant {
    MC_EXP_NUMPY1, /* numpy 1.22-1.26: SVML __svml_exp8       */
    MC_EXP_NUMPY2  /* numpy 2.x: SVML __svml_exp8_ha           */
} mc_exp_variant;

/* The variant of the numpy that wrote m: numpy 2 when the file names
 * numpy._core, numpy 1 when it names numpy.core; numpy 2 when it names
 * neither (joblib files whose arrays are all wrapped). */
mc_exp_variant mc_numpy_exp_variant(const struct mc_model *m);

/* np.exp(x) bit for bit as that numpy computes it on AVX-512 machines. */
double mc_numpy_exp(double x, mc_exp_variant variant);

#endif
