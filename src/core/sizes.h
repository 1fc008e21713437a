/* Overflow-checked size arithmetic.  A shape product or offset that overflows
 * is an input error, never undefined behaviour: each helper returns 0 on
 * success and -1 when the result does not fit. */
#ifndef MC_CORE_SIZES_H
#define MC_CORE_SIZES_H

#include <stddef.h>
#include <stdint.h>

static inline int mc_mul_u64(uint64_t a, uint64_t b, uint64_t *out)
{
    return __builtin_mul_overflow(a, b, out) ? -1 : 0;
}

static inline int mc_add_u64(uint64_t a, uint64_t b, uint64_t *out)
{
    return __builtin_add_overflow(a, b, out) ? -1 : 0;
}

static inline int mc_mul_size(size_t a, size_t b, size_t *out)
{
    return __builtin_mul_overflow(a, b, out) ? -1 : 0;
}

static inline int mc_add_size(size_t a, size_t b, size_t *out)
{
    return __builtin_add_overflow(a, b, out) ? -1 : 0;
}

/* Product of n non-negative dimensions; -1 on a negative one or overflow. */
static inline int mc_shape_product(const int64_t *shape, uint32_t n, uint64_t *out)
{
    uint64_t p = 1;
    for (uint32_t i = 0; i < n; i++) {
        if (shape[i] < 0 || mc_mul_u64(p, (uint64_t)shape[i], &p))
            return -1;
    }
    *out = p;
    return 0;
}

#endif
