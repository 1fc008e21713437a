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

/* Which numpy computed a model's exponentials, logarithms and powers (see
 * numpy_exp.c, numpy_log.c, numpy_pow.c). */
typedef enum mc_exp_variant {
    MC_EXP_NUMPY1, /* numpy 1.x: SVML __svml_exp8, __svml_log8, __svml_pow8 */
    MC_EXP_NUMPY2  /* numpy 2.x: __svml_exp8_ha, __svml_log8_ha, __svml_pow8_ha */
} mc_exp_variant;

/* The variant of the numpy that wrote m: numpy 2 when the file names
 * numpy._core, numpy 1 when it names numpy.core; when it names neither
 * (joblib files whose arrays are all wrapped), numpy 1 for scikit-learn
 * before 1.4.2 and numpy 2 after. */
mc_exp_variant mc_numpy_exp_variant(const struct mc_model *m);

/* np.exp(x) bit for bit as that numpy computes it on AVX-512 machines. */
double mc_numpy_exp(double x, mc_exp_variant variant);

/* np.log(x) of a float64 array element, bit for bit as that numpy computes
 * it on AVX-512 machines (NaN, infinities, zeros, negatives included). */
double mc_numpy_log(double x, mc_exp_variant variant);

/* np.power(x, y) of float64 array elements, bit for bit as that numpy's
 * ufunc loop computes it on AVX-512 machines, special values included.
 * Not for numpy 2's own shortcuts: an exponent array of stride 0 holding
 * 2.0 or 0.5 gives x*x or sqrt(x) there; and not for the scalar
 * np.float64 ** np.float64, which is libm's pow. */
double mc_numpy_pow(double x, double y, mc_exp_variant variant);

/* AVX-512 instructions the SVML routines use, emulated exactly.
 * mc_avx512_getmant: vgetmantpd into [1, 2) and vgetexppd of a positive
 * finite x (subnormals too): returns m, stores e, x = m * 2^e.
 * mc_avx512_rcp14: vrcp14pd of m in [0.5, 2).
 * mc_avx512_round32: vrndscalepd $0x58 (nearest multiple of 1/32) of v in
 * (0, 4). */
double mc_avx512_getmant(double x, double *exponent);
double mc_avx512_rcp14(double m);
double mc_avx512_round32(double v);

#endif
