#include "pickle/text.h"

#include <string.h>

#include "core/utf8.h"

int mc_utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t cp, min;
        if ((c & 0xe0) == 0xc0) {
            len = 2; cp = c & 0x1f; min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3; cp = c & 0x0f; min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4; cp = c & 0x07; min = 0x10000;
        } else {
            return -1;
        }
        if (n - i < len)
            return -1;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return -1;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff)
            return -1; /* surrogates pass, as with 'surrogatepass' */
        i += len;
    }
    return 0;
}

int mc_utf8_to_latin1(const uint8_t *s, size_t n, uint8_t *out, size_t *outlen)
{
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            out[o++] = c;
            i++;
        } else if ((c & 0xe0) == 0xc0 && i + 1 < n && (s[i + 1] & 0xc0) == 0x80) {
            uint32_t cp = ((uint32_t)(c & 0x1f) << 6) | (s[i + 1] & 0x3f);
            if (cp > 0xff || cp < 0x80)
                return -1;
            out[o++] = (uint8_t)cp;
            i += 2;
        } else {
            return -1;
        }
    }
    *outlen = o;
    return 0;
}

size_t mc_latin1_to_utf8(const uint8_t *s, size_t n, uint8_t *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 0x80) {
            out[o++] = s[i];
        } else {
            out[o++] = (uint8_t)(0xc0 | (s[i] >> 6));
            out[o++] = (uint8_t)(0x80 | (s[i] & 0x3f));
        }
    }
    return o;
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int mc_string_unescape(const uint8_t *s, size_t n, uint8_t *out, size_t *outlen)
{
    /* pickle.py load_string: the body must be quoted with ' or ". */
    if (n < 2 || s[0] != s[n - 1] || (s[0] != '\'' && s[0] != '"'))
        return -1;
    s++;
    n -= 2;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            out[o++] = s[i];
            continue;
        }
        if (++i >= n)
            return -1; /* trailing backslash */
        uint8_t c = s[i];
        switch (c) {
        case '\n': break;
        case '\\': out[o++] = '\\'; break;
        case '\'': out[o++] = '\''; break;
        case '"': out[o++] = '"'; break;
        case 'a': out[o++] = 7; break;
        case 'b': out[o++] = 8; break;
        case 'f': out[o++] = 12; break;
        case 'n': out[o++] = 10; break;
        case 'r': out[o++] = 13; break;
        case 't': out[o++] = 9; break;
        case 'v': out[o++] = 11; break;
        case 'x': {
            if (i + 2 >= n)
                return -1;
            int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            if (h < 0 || l < 0)
                return -1;
            out[o++] = (uint8_t)(h * 16 + l);
            i += 2;
            break;
        }
        default:
            if (c >= '0' && c <= '7') {
                unsigned v = c - '0';
                for (int k = 0; k < 2 && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
                    v = v * 8 + (unsigned)(s[++i] - '0');
                out[o++] = (uint8_t)v;
            } else {
                /* Python keeps unknown escapes as they are */
                out[o++] = '\\';
                out[o++] = c;
            }
        }
    }
    *outlen = o;
    return 0;
}

int mc_raw_unicode_unescape(const uint8_t *s, size_t n, uint8_t *out, size_t *outlen)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        /* Only a backslash run of odd length before 'u'/'U' escapes. */
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == 'u' || s[i + 1] == 'U')) {
            size_t digits = s[i + 1] == 'u' ? 4 : 8;
            if (n - i - 2 < digits)
                return -1;
            uint32_t cp = 0;
            for (size_t k = 0; k < digits; k++) {
                int h = hexval(s[i + 2 + k]);
                if (h < 0)
                    return -1;
                cp = cp * 16 + (uint32_t)h;
            }
            if (cp > 0x10ffff)
                return -1;
            o += mc_utf8_put(cp, (char *)out + o);
            i += 2 + digits;
        } else if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\\') {
            out[o++] = '\\';
            out[o++] = '\\';
            i += 2;
        } else {
            o += mc_utf8_put(s[i], (char *)out + o);
            i++;
        }
    }
    *outlen = o;
    return 0;
}

int mc_parse_decimal(const char *s, size_t n, int *fits, int64_t *small, uint8_t *big,
                     size_t *biglen)
{
    int neg = 0;
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    if (i == n || n - i > MC_MAX_INT_DIGITS)
        return -1;
    for (size_t k = i; k < n; k++)
        if (s[k] < '0' || s[k] > '9')
            return -1;
    /* magnitude as little-endian bytes: mag = mag*10 + digit */
    size_t cap = (n - i) / 2 + 2, len = 1;
    memset(big, 0, cap);
    for (size_t k = i; k < n; k++) {
        unsigned carry = (unsigned)(s[k] - '0');
        for (size_t b = 0; b < len; b++) {
            unsigned v = big[b] * 10u + carry;
            big[b] = (uint8_t)v;
            carry = v >> 8;
        }
        if (carry && len < cap)
            big[len++] = (uint8_t)carry;
    }
    /* one zero byte on top keeps the sign bit clear before negating */
    if (len < cap && (big[len - 1] & 0x80))
        len++;
    if (neg) {
        unsigned carry = 1;
        for (size_t b = 0; b < len; b++) {
            unsigned v = (uint8_t)~big[b] + carry;
            big[b] = (uint8_t)v;
            carry = v >> 8;
        }
    }
    *biglen = len;
    *fits = mc_long_fits(big, len, small);
    return 0;
}

int mc_long_fits(const uint8_t *b, size_t n, int64_t *out)
{
    if (n == 0) {
        *out = 0;
        return 1;
    }
    uint8_t sign = (b[n - 1] & 0x80) ? 0xff : 0x00;
    /* bytes beyond 8 must be pure sign extension */
    for (size_t i = 8; i < n; i++)
        if (b[i] != sign)
            return 0;
    if (n > 8 && ((b[7] & 0x80) ? 0xff : 0x00) != sign)
        return 0;
    uint64_t u = sign ? UINT64_MAX : 0;
    for (size_t i = 0; i < n && i < 8; i++) {
        u &= ~((uint64_t)0xff << (8 * i));
        u |= (uint64_t)b[i] << (8 * i);
    }
    memcpy(out, &u, sizeof u);
    return 1;
}
