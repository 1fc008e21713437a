#include "predict/numeric.h"

#include <string.h>

double mc_pairwise_sum(const double *a, uint64_t n)
{
    if (n < 8) {
        double res = 0.;
        for (uint64_t i = 0; i < n; i++)
            res += a[i];
        return res;
    }
    if (n <= 128) {
        double r[8];
        uint64_t i;
        memcpy(r, a, sizeof r);
        for (i = 8; i < n - n % 8; i += 8)
            for (int j = 0; j < 8; j++)
                r[j] += a[i + j];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            res += a[i];
        return res;
    }
    uint64_t n2 = n / 2;
    n2 -= n2 % 8;
    return mc_pairwise_sum(a, n2) + mc_pairwise_sum(a + n2, n - n2);
}
