/* Text codecs the pickle formats need (private): UTF-8 checks, latin-1,
 * protocol-0 escapes and decimal integers.  All work on explicit lengths and
 * write into caller buffers whose sizes the caller computed from the input. */
#ifndef MC_PICKLE_TEXT_H
#define MC_PICKLE_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* 0 when s[0..n) is UTF-8 as Python's 'surrogatepass' decoder accepts it. */
int mc_utf8_valid(const uint8_t *s, size_t n);

/* Encode UTF-8 text as latin-1 (one byte per code point) into out, which
 * must hold n bytes; *outlen gets the length.  -1 if a code point > 255. */
int mc_utf8_to_latin1(const uint8_t *s, size_t n, uint8_t *out, size_t *outlen);

/* Decode latin-1 into UTF-8; out must hold 2*n bytes. Returns the length. */
size_t mc_latin1_to_utf8(const uint8_t *s, size_t n, uint8_t *out);

/* Protocol-0 STRING body: a Python 2 repr between matching quotes, with
 * backslash escapes.  Writes at most n bytes to out.  -1 if malformed. */
int mc_string_unescape(const uint8_t *s, size_t n, uint8_t *out, size_t *outlen);

/* Protocol-0 UNICODE body ('raw-unicode-escape'): latin-1 bytes with
 * \uXXXX and \UXXXXXXXX escapes, into UTF-8; out must hold 4*n bytes. */
int mc_raw_unicode_unescape(const uint8_t *s, size_t n, uint8_t *out, size_t *outlen);

/* Longest decimal integer accepted, as Python 3.11+ limits int('...'). */
enum { MC_MAX_INT_DIGITS = 4300 };

/* Parse an optionally signed decimal integer.  If it fits, sets *fits = 1
 * and *small; else writes its little-endian two's complement into big (which
 * must hold n/2 + 2 bytes) and sets *biglen.  -1 if malformed. */
int mc_parse_decimal(const char *s, size_t n, int *fits, int64_t *small, uint8_t *big,
                     size_t *biglen);

/* Two's complement little-endian bytes (LONG1/LONG4) to int64 when they fit
 * (returns 1), else 0. */
int mc_long_fits(const uint8_t *b, size_t n, int64_t *out);

#endif
