#include "core/utf8.h"

#include "core/bytes.h"

size_t mc_utf8_put(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

size_t mc_ucs4_to_utf8(const uint8_t *ucs4, size_t nchars, int big_endian, char *out)
{
    size_t n = 0;
    for (size_t k = 0; k < nchars; k++) {
        uint32_t cp = big_endian ? mc_load_u32be(ucs4 + 4 * k) : mc_load_u32le(ucs4 + 4 * k);
        if (cp == 0)
            break;
        n += mc_utf8_put(cp > 0x10ffff ? 0xfffd : cp, out + n);
    }
    out[n] = '\0';
    return n;
}
