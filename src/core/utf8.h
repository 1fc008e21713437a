/* UTF-8 encoding of code points and of numpy unicode (UCS-4) elements. */
#ifndef MC_CORE_UTF8_H
#define MC_CORE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Code point cp as UTF-8 into out (room for 4 bytes); returns the byte
 * count.  Callers pass cp <= 0x10FFFF. */
size_t mc_utf8_put(uint32_t cp, char *out);

/* A numpy unicode element — nchars UCS-4 units, big- or little-endian, NUL
 * padded — as UTF-8 up to its first NUL, into out (room for 4 * nchars + 1
 * bytes; NUL-terminated).  Units beyond U+10FFFF become U+FFFD.  Returns
 * the byte count. */
size_t mc_ucs4_to_utf8(const uint8_t *ucs4, size_t nchars, int big_endian, char *out);

#endif
