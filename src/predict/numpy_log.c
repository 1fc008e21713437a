/* numpy's float64 log as it runs where the corpus was made: x86-64 with
 * AVX-512, where np.log calls Intel SVML rather than libm (numpy vendors it
 * under numpy/SVML, BSD-3-Clause, Copyright (C) 2023 Intel Corporation; the
 * tables below are its data).  numpy 1.x calls __svml_log8
 * (loops_exponent_log.dispatch.c.src, simd_log_f64, as
 * DOUBLE_log_AVX512_SKX; seen in 1.24.4), numpy 2.x __svml_log8_ha (the
 * same loop, as DOUBLE_log_X86_V4; seen in 2.4.6); both hand every element
 * of a float64 array to SVML and keep its answer.  The low-accuracy variant
 * differs from glibc's log in the last bit for about one positive number in
 * five, the high-accuracy one for about one in ten thousand.
 *
 * Also here: the AVX-512 instructions the SVML logarithms (and powers,
 * numpy_pow.c) start with, emulated exactly. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/bytes.h"
#include "predict/numeric.h"

#define FRACTION 0x000fffffffffffffu
#define QUIET_BIT 0x0008000000000000u
#define DEFAULT_NAN 0xfff8000000000000u /* x86's 0/0 */

/* ---- AVX-512 instructions -------------------------------------------------------- */

double mc_avx512_getmant(double x, double *exponent)
{
    uint64_t u = mc_f64_bits(x);
    int e = (int)(u >> 52) & 2047;
    uint64_t f = u & FRACTION;
    if (e == 0) { /* subnormal: normalise (vgetexppd/vgetmantpd do, DAZ off) */
        int shift = 0;
        while (!(f & (FRACTION + 1))) {
            f <<= 1;
            shift++;
        }
        f &= FRACTION;
        e = 1 - shift;
    }
    *exponent = (double)(e - 1023);
    return mc_f64_from_bits(0x3ff0000000000000u | f);
}

/* vrcp14pd.  The SDM only bounds its error (< 2^-14) and lists the special
 * cases; the bits are those of RCP14D in Intel's "Reference Implementations
 * for IA Approximation Instructions VRCP14, VRSQRT14, VRCP28, VRSQRT28, and
 * VEXP2" (M. Cornea, 2015, RECIP14.c, BSD-3-Clause, Copyright (c) 2015
 * Intel Corporation; the coefficients below are its table).  For 1 < m < 2:
 * linear interpolation in 64 segments on m truncated to 16 fraction bits,
 * a[i] - 2^8 b[i] (m - y[i]) evaluated exactly, truncated to 16 fraction
 * bits, divided by 2^18; powers of two exactly; m in (0.5, 1) as 2m, the
 * exponent one up.  Checked against the instruction on an AVX-512 AMD EPYC
 * for every 16-bit fraction prefix of [0.5, 2). */
static const uint32_t rcp14_coeff[128] = {
    1009, 260119, 977, 256148, 949, 252296, 921, 248558, 893, 244929, 869, 241405,
    843,  237981, 821, 234652, 797, 231416, 777, 228266, 755, 225202, 735, 222220,
    717,  219314, 699, 216485, 681, 213727, 663, 211038, 647, 208417, 631, 205859,
    617,  203364, 601, 200929, 587, 198551, 573, 196229, 561, 193960, 547, 191743,
    535,  189576, 523, 187458, 513, 185387, 501, 183360, 491, 181377, 479, 179439,
    469,  177540, 459, 175681, 451, 173860, 441, 172077, 433, 170330, 423, 168618,
    415,  166940, 407, 165295, 399, 163682, 391, 162101, 385, 160550, 377, 159027,
    369,  157535, 363, 156069, 357, 154631, 349, 153219, 343, 151832, 337, 150470,
    331,  149133, 325, 147819, 319, 146528, 315, 145260, 309, 144012, 303, 142787,
    299,  141582, 293, 140397, 289, 139232, 285, 138085, 279, 136959, 275, 135853,
    271,  134763, 267, 133689, 263, 132631, 259, 131589};

static double rcp14_1_2(double m)
{
    unsigned i = (unsigned)((mc_f64_bits(m) >> 46) & 63); /* floor((m - 1) * 64) */
    double y = 1.0 + 1.0 / 128 + i / 64.0;
    double xmy = mc_f64_from_bits(mc_f64_bits(m) & ~((UINT64_C(1) << 36) - 1)) - y;
    double r = (double)rcp14_coeff[2 * i + 1] - 256.0 * (double)rcp14_coeff[2 * i] * xmy;
    return mc_f64_from_bits((mc_f64_bits(r) & ~((UINT64_C(1) << 36) - 1)) - (UINT64_C(18) << 52));
}

double mc_avx512_rcp14(double m)
{
    if (m == 1.0 || m == 0.5) /* powers of two: exact */
        return 1.0 / m;
    return m > 1.0 ? rcp14_1_2(m) : 2.0 * rcp14_1_2(2.0 * m);
}

/* vrndscalepd $0x58: to a multiple of 1/32, ties to even (0 < v < 4). */
double mc_avx512_round32(double v)
{
    return (v * 32 + 0x1p52 - 0x1p52) / 32;
}

/* ---- __svml_log8 and __svml_log8_ha (linux/avx512/svml_z0_log_d_{la,ha}.s) -------
 *
 * Both: x = m * 2^e with m in [1, 2) (vgetmantpd, vgetexppd); rcp = 1/m to
 * 14 bits (vrcp14pd) rounded to a multiple of 1/32 (vrndscalepd), so that
 * R = rcp*m - 1 is small and exact in one fused multiply-add; log(x) =
 * e*ln2 - log(rcp) + log1p(R), -log(rcp) from a 16-entry table (rcp < 0.75
 * takes -log(2 rcp) and e + 1), log1p(R) a degree-9 polynomial.  The
 * high-accuracy variant keeps ln2 and the table in two parts and the
 * leading sum compensated.  Zeros, infinities, NaNs and negative numbers
 * go to the scalar __svml_dlog_*_cout_rare_internal.  Every operation below
 * is one instruction of the original, fused multiply-adds included. */

/* -log(rcp) (rcp >= 0.75) or -log(2 rcp), indexed by rcp's top 4 fraction
 * bits: __svml_dlog_data_internal_avx512 and, split in high and low parts,
 * __svml_dlog_ha_data_internal_avx512. */
static const uint64_t log_t[16] = {
    0x0000000000000000, 0xbfaf0a30c01162a6, 0xbfbe27076e2af2e6, 0xbfc5ff3070a793d4,
    0xbfcc8ff7c79a9a22, 0xbfd1675cababa60e, 0xbfd4618bc21c5ec2, 0xbfd739d7f6bbd007,
    0x3fd269621134db92, 0x3fcf991c6cb3b379, 0x3fca93ed3c8ad9e3, 0x3fc5bf406b543db2,
    0x3fc1178e8227e47c, 0x3fb9335e5d594989, 0x3fb08598b59e3a07, 0x3fa0415d89e74444};
static const uint64_t log_th[16] = {
    0x0000000000000000, 0xbfaf0a30c0120000, 0xbfbe27076e2b0000, 0xbfc5ff3070a78000,
    0xbfcc8ff7c79a8000, 0xbfd1675cababc000, 0xbfd4618bc21c4000, 0xbfd739d7f6bbc000,
    0x3fd269621134c000, 0x3fcf991c6cb38000, 0x3fca93ed3c8b0000, 0x3fc5bf406b540000,
    0x3fc1178e82280000, 0x3fb9335e5d590000, 0x3fb08598b59e0000, 0x3fa0415d89e80000};
static const uint64_t log_tl[16] = {
    0x0000000000000000, 0x3d53ab33d066d1d2, 0x3d2a342c2af0003c, 0xbd43d3c873e20a07,
    0xbd4a21ac25d81ef3, 0x3d59f1fc63382a8f, 0xbd5ec27d0b7b37b3, 0xbd50069ce24c53fb,
    0x3d5b92783beb7677, 0x3d59bcbecca0cdf3, 0xbd530e486a0ac42d, 0x3d5ed8fdc149767e,
    0xbd4b8421cc74be04, 0x3d52622b8757a8fb, 0x3d4d034451fecdfb, 0xbd577771fd187145};

/* log1p(R) coefficients, R^9 down to R^2 (the same in both variants) */
#define LOG_C9 0x1.c81cd309d7c70p-4
#define LOG_C8 -0x1.007357e93af62p-3
#define LOG_C7 0x1.249229cee81efp-3
#define LOG_C6 -0x1.55553fb28db06p-3
#define LOG_C5 0x1.9999999cc9f5cp-3
#define LOG_C4 -0x1.00000000c05bdp-2
#define LOG_C3 0x1.5555555555466p-2
#define LOG_C2 -0x1.fffffffffffc6p-2

/* __svml_dlog_cout_rare_internal, __svml_dlog_ha_cout_rare_internal (the
 * same code): the lanes vfpclasspd sends there, x <= 0, infinite or NaN. */
static double log_rare(double x)
{
    if (isnan(x)) /* x*x */
        return mc_f64_from_bits(mc_f64_bits(x) | QUIET_BIT);
    if (x == HUGE_VAL) /* x*x */
        return x;
    return x == 0 ? -HUGE_VAL : mc_f64_from_bits(DEFAULT_NAN); /* -1/0; 0/0 (x < 0, -inf) */
}

double mc_numpy_log(double x, mc_exp_variant kind)
{
    uint64_t u = mc_f64_bits(x);
    if (isnan(x)) /* rare path (ha) or a NaN through every instruction (la) */
        return mc_f64_from_bits(u | QUIET_BIT);
    if (!(x > 0) || isinf(x)) /* vfpclasspd $0x5e / $0xdf */
        return log_rare(x);
    double e;
    double m = mc_avx512_getmant(x, &e);
    double rcp = mc_avx512_round32(mc_avx512_rcp14(m));
    unsigned j = (unsigned)(mc_f64_bits(rcp) >> 48) & 15;
    double r = fma(rcp, m, -1.0);
    if (rcp < 0.75)
        e = e + 1.0;
    double r2 = r * r;
    if (kind == MC_EXP_NUMPY1) {
        double p78 = fma(LOG_C7, r, LOG_C6);
        double p9 = fma(LOG_C9, r, LOG_C8);
        double p34 = fma(LOG_C3, r, LOG_C2);
        double p56 = fma(LOG_C5, r, LOG_C4);
        double r4 = r2 * r2;
        p9 = fma(r2, p9, p78);
        p56 = fma(r2, p56, p34);
        p9 = fma(r4, p9, p56);
        p9 = fma(r2, p9, r);
        double s = mc_f64_from_bits(log_t[j]) + p9;
        return fma(0x1.62e42fefa39efp-1, e, s);
    }
    double p78 = fma(LOG_C7, r, LOG_C6);
    double p9 = fma(LOG_C9, r, LOG_C8);
    double p56 = fma(LOG_C5, r, LOG_C4);
    double p34 = fma(LOG_C3, r, LOG_C2);
    p9 = fma(r2, p9, p78);
    double r4 = r2 * r2;
    p56 = fma(r2, p56, p34);
    double hi = fma(0x1.62e42fefa0000p-1, e, mc_f64_from_bits(log_th[j])); /* e*ln2_hi + Th */
    p9 = fma(r4, p9, p56);
    double s = hi + r;
    double r_hi = s - hi, r_lo = r - r_hi;
    p9 = fma(r2, p9, r_lo);
    double lo = fma(0x1.cf79abc9e0000p-40, e, mc_f64_from_bits(log_tl[j])); /* e*ln2_lo + Tl */
    return s + (p9 + lo);
}
