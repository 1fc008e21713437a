/* Arithmetic kernels share to reproduce numpy's own order of operations
 * (private). */
#ifndef MC_PREDICT_NUMERIC_H
#define MC_PREDICT_NUMERIC_H

#include <stdint.h>

/* numpy's pairwise summation of a contiguous float64 array, which np.sum and
 * np.add.reduce use along a contiguous axis (DOUBLE_pairwise_sum in
 * numpy/_core/src/umath/loops_utils.h.src: 8 partial sums below 128
 * elements, halving above).  Bit for bit what numpy returns. */
double mc_pairwise_sum(const double *a, uint64_t n);

#endif
