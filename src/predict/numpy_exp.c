/* numpy's float64 exp as it runs where the corpus was made: x86-64 with
 * AVX-512, where np.exp calls Intel SVML rather than libm (numpy vendors it
 * under numpy/SVML, BSD-3-Clause, Intel).  Its results differ from libm's in
 * the last bit for about 1 input in 4 (numpy 1.x, __svml_exp8) or 1 in 20
 * (numpy 2.x, __svml_exp8_ha).  On machines without AVX-512 numpy uses libm
 * and so may differ from these by one bit. */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "modelconv/model.h"
#include "core/bytes.h"
#include "predict/numeric.h"

/* ---- numpy's float64 exp (SVML, numpy/SVML linux/avx512/svml_z0_exp_d_*.s) --
 *
 * Both variants: N = x*log2(e) rounded toward zero to 1/16 (an exact
 * product), r = x - N*ln2 in two steps, exp(x) = 2^floor(N) * Th*(1+p(r))
 * with Th = 2^(frac(N)) from a 16-entry table.  |x| >= 707.70 goes to the
 * scalar "rare" routine (64-entry table, result scaled by hand so that
 * subnormal results round once).  Every operation below is one instruction
 * of the original, fused multiply-adds included; nothing may be contracted
 * or reordered. */

/* 2^(j/16): high parts, and (HA) the relative low parts. */
static const uint64_t exp_th[16] = {
    0x3ff0000000000000, 0x3ff0b5586cf9890f, 0x3ff172b83c7d517b, 0x3ff2387a6e756238,
    0x3ff306fe0a31b715, 0x3ff3dea64c123422, 0x3ff4bfdad5362a27, 0x3ff5ab07dd485429,
    0x3ff6a09e667f3bcd, 0x3ff7a11473eb0187, 0x3ff8ace5422aa0db, 0x3ff9c49182a3f090,
    0x3ffae89f995ad3ad, 0x3ffc199bdd85529c, 0x3ffd5818dcfba487, 0x3ffea4afa2a490da};
static const uint64_t exp_tlr[16] = {
    0x0000000000000000, 0x3c979aa65d837b6d, 0xbc801b15eaa59348, 0x3c968efde3a8a894,
    0x3c834d754db0abb6, 0x3c859f48a72a4c6d, 0x3c7690cebb7aafb0, 0x3c9063e1e21c5409,
    0xbc93b3efbf5e2228, 0xbc7b32dcb94da51d, 0x3c8db72fc1f0eab4, 0x3c71affc2b91ce27,
    0x3c8c1a7792cb3387, 0x3c736eae30af0cb3, 0x3c74a385a63d07a7, 0xbc8ff7128fd391f0};

/* _imldExpHATab: 2^(j/64) as high and low parts. */
static const uint64_t exp_rare_tab[64][2] = {
    {0x3ff0000000000000, 0x0000000000000000}, {0x3ff02c9a3e778061, 0xbc7160139cd8dc5d},
    {0x3ff059b0d3158574, 0x3c8cd2523567f613}, {0x3ff0874518759bc8, 0x3c60f74e61e6c861},
    {0x3ff0b5586cf9890f, 0x3c979aa65d837b6d}, {0x3ff0e3ec32d3d1a2, 0x3c3ebe3d702f9cd1},
    {0x3ff11301d0125b51, 0xbc9556522a2fbd0e}, {0x3ff1429aaea92de0, 0xbc91c923b9d5f416},
    {0x3ff172b83c7d517b, 0xbc801b15eaa59348}, {0x3ff1a35beb6fcb75, 0x3c8b898c3f1353bf},
    {0x3ff1d4873168b9aa, 0x3c9aecf73e3a2f60}, {0x3ff2063b88628cd6, 0x3c8a6f4144a6c38d},
    {0x3ff2387a6e756238, 0x3c968efde3a8a894}, {0x3ff26b4565e27cdd, 0x3c80472b981fe7f2},
    {0x3ff29e9df51fdee1, 0x3c82f7e16d09ab31}, {0x3ff2d285a6e4030b, 0x3c8b3782720c0ab4},
    {0x3ff306fe0a31b715, 0x3c834d754db0abb6}, {0x3ff33c08b26416ff, 0x3c8fdd395dd3f84a},
    {0x3ff371a7373aa9cb, 0xbc924aedcc4b5068}, {0x3ff3a7db34e59ff7, 0xbc71d1e83e9436d2},
    {0x3ff3dea64c123422, 0x3c859f48a72a4c6d}, {0x3ff4160a21f72e2a, 0xbc58a78f4817895b},
    {0x3ff44e086061892d, 0x3c4363ed60c2ac11}, {0x3ff486a2b5c13cd0, 0x3c6ecce1daa10379},
    {0x3ff4bfdad5362a27, 0x3c7690cebb7aafb0}, {0x3ff4f9b2769d2ca7, 0xbc8f94340071a38e},
    {0x3ff5342b569d4f82, 0xbc78dec6bd0f385f}, {0x3ff56f4736b527da, 0x3c93350518fdd78e},
    {0x3ff5ab07dd485429, 0x3c9063e1e21c5409}, {0x3ff5e76f15ad2148, 0x3c9432e62b64c035},
    {0x3ff6247eb03a5585, 0xbc8c33c53bef4da8}, {0x3ff6623882552225, 0xbc93cedd78565858},
    {0x3ff6a09e667f3bcd, 0xbc93b3efbf5e2228}, {0x3ff6dfb23c651a2f, 0xbc6367efb86da9ee},
    {0x3ff71f75e8ec5f74, 0xbc781f647e5a3ecf}, {0x3ff75feb564267c9, 0xbc8619321e55e68a},
    {0x3ff7a11473eb0187, 0xbc7b32dcb94da51d}, {0x3ff7e2f336cf4e62, 0x3c65ebe1abd66c55},
    {0x3ff82589994cce13, 0xbc9369b6f13b3734}, {0x3ff868d99b4492ed, 0xbc94d450d872576e},
    {0x3ff8ace5422aa0db, 0x3c8db72fc1f0eab4}, {0x3ff8f1ae99157736, 0x3c7bf68359f35f44},
    {0x3ff93737b0cdc5e5, 0xbc5da9b88b6c1e29}, {0x3ff97d829fde4e50, 0xbc92434322f4f9aa},
    {0x3ff9c49182a3f090, 0x3c71affc2b91ce27}, {0x3ffa0c667b5de565, 0xbc87c50422622263},
    {0x3ffa5503b23e255d, 0xbc91bbd1d3bcbb15}, {0x3ffa9e6b5579fdbf, 0x3c8469846e735ab3},
    {0x3ffae89f995ad3ad, 0x3c8c1a7792cb3387}, {0x3ffb33a2b84f15fb, 0xbc55c3d956dcaeba},
    {0x3ffb7f76f2fb5e47, 0xbc68d6f438ad9334}, {0x3ffbcc1e904bc1d2, 0x3c74ffd70a5fddcd},
    {0x3ffc199bdd85529c, 0x3c736eae30af0cb3}, {0x3ffc67f12e57d14b, 0x3c84e08fd10959ac},
    {0x3ffcb720dcef9069, 0x3c676b2c6c921968}, {0x3ffd072d4a07897c, 0xbc8fad5d3ffffa6f},
    {0x3ffd5818dcfba487, 0x3c74a385a63d07a7}, {0x3ffda9e603db3285, 0x3c8e5a50d5c192ac},
    {0x3ffdfc97337b9b5f, 0xbc82d52107b43e1f}, {0x3ffe502ee78b3ff6, 0x3c74b604603a88d3},
    {0x3ffea4afa2a490da, 0xbc8ff7128fd391f0}, {0x3ffefa1bee615a27, 0x3c8ec3bc41aa2008},
    {0x3fff50765b6e4540, 0x3c8a64a931d185ee}, {0x3fffa7c1819e90d8, 0x3c77893b4d91cd9d}};

/* 2^(e - 1023) built from the biased exponent field e (0 < e < 2047). */
static double exponent_field(unsigned e)
{
    return mc_f64_from_bits((uint64_t)(e & 2047u) << 52);
}

/* __svml_dexp_cout_rare_internal for |x| >= 707.70 (both variants). */
static double np_exp_rare(double x)
{
    if (isnan(x))
        return x * x;
    if (isinf(x))
        return x < 0 ? 0.0 : x;
    if (x > 0x1.62e42fefa39efp+9)
        return HUGE_VAL; /* 0x1.fffffffffffffp+1023 squared */
    if (x < -0x1.74910d52d3051p+9)
        return 0.0;
    double kd = x * 0x1.71547652b82fep+6;
    kd = kd + 0x1.8p52;
    uint64_t kbits;
    memcpy(&kbits, &kd, sizeof kbits);
    unsigned j = (unsigned)kbits & 63u, m = (uint32_t)kbits >> 6;
    kd = kd - 0x1.8p52;
    double hi_part = kd * 0x1.62e42fefa0000p-7;
    double r = x - hi_part;
    double lo_part = kd * 0x1.cf79abc9e3b3ap-46;
    r = r - lo_part;
    double p = 0x1.6c16a1c2a3ffdp-10 * r;
    p = p + 0x1.111123aaf20d3p-7;
    p = p * r;
    p = p + 0x1.5555555558fccp-5;
    p = p * r;
    p = p + 0x1.55555555548f8p-3;
    p = p * r;
    p = p + 0.5;
    p = p * r;
    p = p * r;
    p = p + r;
    double hi = mc_f64_from_bits(exp_rare_tab[j][0]);
    p = p + mc_f64_from_bits(exp_rare_tab[j][1]);
    p = p * hi;
    if (!(x < -0x1.6232bdd7abcd2p+9)) {
        unsigned e = (m + 1023u) & 2047u;
        p = p + hi;
        if (e > 2046u)
            return p * exponent_field(e - 1u) * 2.0;
        return p * exponent_field(e);
    }
    /* the result is subnormal: scale by 2^60 too much, then round once */
    unsigned e = (m + 1083u) & 2047u;
    double scale = exponent_field(e);
    double b = p * scale, a = scale * hi, s = a + b;
    if (e <= 50u)
        return s * 0x1p-60;
    double err = a - s;
    err = err + b;
    double split = s * 0x1.8p32;
    double s_hi = s + split;
    s_hi = s_hi - split;
    double s_lo = s - s_hi;
    s_lo = s_lo + err;
    double hi_scaled = s_hi * 0x1p-60, lo_scaled = s_lo * 0x1p-60;
    return hi_scaled + lo_scaled;
}

/* x*log2(e) rounded toward zero to a multiple of 1/16, of the exact product
 * (vfmadd213pd {rz-sae} with the shifter 1.5*2^48 + 1023). */
static double floor16_log2e(double x)
{
    double p = x * 0x1.71547652b82fep+0;
    double e = fma(x, 0x1.71547652b82fep+0, -p); /* p + e is the exact product */
    double q = p * 16, f = floor(q);
    if (f == q && e < 0)
        f -= 1;
    return f / 16;
}

double mc_numpy_exp(double x, mc_exp_variant kind)
{
    if (!(fabs(x) < 0x1.61da04cbafe44p+9)) /* vcmppd GE_OQ: NaN stays here */
        return isnan(x) ? x : np_exp_rare(x);
    double n = floor16_log2e(x);
    unsigned j = (unsigned)((int64_t)(n * 16) & 15);
    double th = mc_f64_from_bits(exp_th[j]);
    double r = fma(-n, 0x1.62e42fefa39efp-1, x);
    r = fma(-n, 0x1.abc9e3b39803fp-56, r);
    double r2 = r * r, res;
    if (kind == MC_EXP_NUMPY1) {
        double p56 = fma(0x1.72eb5ef0d213dp-10, r, 0x1.1106603d97c00p-7);
        double p34 = fma(0x1.555564bb4f5f0p-5, r, 0x1.5555554b508a2p-3);
        double r3 = r2 * r;
        double p12 = fma(0x1.0000000002622p-1, r2, r);
        double p36 = fma(p56, r2, p34);
        double p16 = fma(p36, r3, p12);
        res = fma(p16, th, th);
    } else {
        double p56 = fma(0x1.7411836940c04p-10, r, 0x1.1101cbbc265c0p-7);
        double p34 = fma(0x1.55557242d68fep-5, r, 0x1.5555553939732p-3);
        double p12 = fma(0x1.000000000d008p-1, r, 0x1.fffffffffff70p-1);
        double p36 = fma(p56, r2, p34);
        double p16 = fma(p36, r2, p12);
        double p = fma(p16, r, mc_f64_from_bits(exp_tlr[j]));
        res = fma(p, th, th);
    }
    return ldexp(res, (int)floor(n)); /* vscalefpd */
}

mc_exp_variant mc_numpy_exp_variant(const mc_model *m)
{
    if (strcmp(m->provenance.numpy_hint, "1.x") == 0)
        return MC_EXP_NUMPY1;
    if (strcmp(m->provenance.numpy_hint, "2.x") == 0)
        return MC_EXP_NUMPY2;
    /* the file names neither numpy.core nor numpy._core (a joblib file whose
     * arrays are all wrapped): scikit-learn before 1.4.2, the first release
     * that runs on numpy 2, was run with numpy 1 */
    int major = 0, minor = 0, patch = 0;
    sscanf(m->provenance.sklearn_version, "%d.%d.%d", &major, &minor, &patch);
    if (major == 0 || major > 1 || minor > 4 || (minor == 4 && patch >= 2))
        return MC_EXP_NUMPY2;
    return MC_EXP_NUMPY1;
}
