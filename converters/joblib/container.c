/* joblib containers: detection and one-pass decompression.
 *
 * Format facts (joblib 1.6, see shared/reference/pickle-notes.md §1.1, §1.6):
 * - joblib/compressor.py: _ZFILE_PREFIX = b"ZF", _ZLIB_PREFIX = b"\x78",
 *   _GZIP_PREFIX = b"\x1f\x8b", _BZ2_PREFIX = b"BZ", _LZMA_PREFIX = b"\x5d\x00",
 *   _XZ_PREFIX = b"\xfd\x37\x7a\x58\x5a", _LZ4_PREFIX = b"\x04\x22\x4d\x18".
 *   numpy_pickle_utils._detect_compressor checks "ZF" first, then the
 *   compressors in registration order (zlib, gzip, bz2, lzma, xz, lz4), first
 *   match wins.  zlib/gzip are written by BinaryZlibFile/BinaryGzipFile
 *   (wbits 15 / 31), bz2 by BZ2File, lzma by LZMAFile(FORMAT_ALONE), xz by
 *   LZMAFile(FORMAT_XZ), lz4 by lz4.frame.LZ4FrameFile.  Python's readers
 *   (gzip, _compression.DecompressReader) read concatenated members/streams/
 *   frames, and so do we; unlike Python we refuse other trailing bytes
 *   (Python ignores them for bz2/lzma/xz/lz4; gzip ignores zero padding only,
 *   which we accept too).
 * - joblib/numpy_pickle_compat.py (joblib < 0.10 "Z-file"): b"ZF", then
 *   "{:#x}".format(len(data)).ljust(19)  (_MAX_LEN = len(hex(2**64)) = 19),
 *   then zlib.compress(data).  read_zfile parses those 19 bytes with
 *   int(s, 16) and skips one more byte if it is b" " (python2 joblib <= 0.8.4
 *   wrote a 20-character field); a zlib stream never starts with a space.
 *
 * zlib, gzip and the Z-file payload are inflated by libdeflate in one call
 * (2-3x faster than zlib's inflate); the other formats stream straight into
 * the same kind of reserved output buffer.  zlib's inflate is only used after
 * libdeflate rejected a stream, to say where and why.
 */
#define _DEFAULT_SOURCE /* madvise */
#include "joblib/container.h"

#define ZLIB_CONST
#include <bzlib.h>
#include <libdeflate.h>
#include <limits.h>
#include <lz4frame.h>
#include <lzma.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <zlib.h>

#include "core/bytes.h"
#include "core/sizes.h"

/* liblzma decoder memory limit: enough for any preset (xz -9 needs 65 MiB,
 * a 1.5 GiB dictionary would not be), small enough to refuse a header that
 * asks for a giant dictionary. */
#define MC_LZMA_MEMLIMIT ((uint64_t)512 << 20)
/* Largest reservation we attempt (address space, not memory). */
#define MC_MAX_RESERVE (SIZE_MAX / 4)
/* First size tried when the full reservation fails (strict overcommit). */
#define MC_FALLBACK_START ((size_t)1 << 20)

enum { DEC_OK = 0, DEC_FULL = 1, DEC_ERR = 2 };

typedef struct dec {
    const uint8_t *in;
    size_t len;
    uint8_t *out;
    size_t cap;        /* bytes the decoder may write into out            */
    size_t out_len;    /* bytes written                                   */
    uint64_t max_out;  /* the caller's limit, for early header checks     */
    size_t start;      /* where the compressed stream begins (ZF payload) */
    const char *name;  /* compressor name for messages                    */
    mc_error *err;
    mc_status st;      /* the status when a decoder returns DEC_ERR       */
} dec;

const char *mc_compressor_name(mc_compressor c)
{
    switch (c) {
    case MC_COMP_NONE: return "none";
    case MC_COMP_ZLIB: return "zlib";
    case MC_COMP_GZIP: return "gzip";
    case MC_COMP_BZ2: return "bz2";
    case MC_COMP_LZMA: return "lzma";
    case MC_COMP_XZ: return "xz";
    case MC_COMP_LZ4: return "lz4";
    case MC_COMP_ZFILE: return "zfile";
    }
    return "?";
}

static int has_prefix(const uint8_t *data, size_t len, const char *prefix, size_t n)
{
    return len >= n && memcmp(data, prefix, n) == 0;
}

mc_compressor mc_detect_compressor(const uint8_t *data, size_t len)
{
    if (!data)
        return MC_COMP_NONE;
    if (has_prefix(data, len, "ZF", 2))
        return MC_COMP_ZFILE;
    if (has_prefix(data, len, "\x78", 1))
        return MC_COMP_ZLIB;
    if (has_prefix(data, len, "\x1f\x8b", 2))
        return MC_COMP_GZIP;
    if (has_prefix(data, len, "BZ", 2))
        return MC_COMP_BZ2;
    if (has_prefix(data, len, "\x5d\x00", 2))
        return MC_COMP_LZMA;
    if (has_prefix(data, len, "\xfd\x37\x7a\x58\x5a", 5))
        return MC_COMP_XZ;
    if (has_prefix(data, len, "\x04\x22\x4d\x18", 4))
        return MC_COMP_LZ4;
    return MC_COMP_NONE;
}

/* ---- errors ---------------------------------------------------------------- */

static mc_status set_err(mc_error *err, mc_status st, int64_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static mc_status set_err(mc_error *err, mc_status st, int64_t off, const char *fmt, ...)
{
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (err)
        err->offset_is_decompressed = 0;
    return mc_error_set(err, st, off, "%s", msg);
}

#define FAIL(d, st_, off, ...)                                                    \
    ((d)->st = set_err((d)->err, (st_), (int64_t)(off), __VA_ARGS__), DEC_ERR)

static int fail_exceeds(dec *d)
{
    return FAIL(d, MC_E_INPUT, -1,
                "decompressed data exceeds %llu bytes (the output limit): the %s stream "
                "expands to more than that (a decompression bomb, or a limit set too low)",
                (unsigned long long)d->max_out, d->name);
}

static int fail_trailing(dec *d, size_t pos, const char *what)
{
    return FAIL(d, MC_E_INPUT, pos,
                "trailing data after the %s: expected the end of the input at byte %zu, "
                "found %zu more bytes",
                what, pos, d->len - pos);
}

static int fail_truncated(dec *d, const char *what)
{
    return FAIL(d, MC_E_INPUT, d->len,
                "truncated %s: the input ends at byte %zu before the end of the compressed "
                "stream (expected more data)",
                what, d->len);
}

/* ---- zlib / gzip (libdeflate) -------------------------------------------------- */

/* libdeflate rejected the stream starting at `start`; run zlib's inflate
 * over it (into a scratch buffer, no more output than libdeflate made) to
 * report where and why. */
static int diagnose_inflate(dec *d, size_t start, int window_bits, const char *what)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, window_bits) != Z_OK)
        return FAIL(d, MC_E_NOMEM, -1, "out of memory initialising zlib");
    uint8_t scratch[16384];
    size_t pos = start;
    uint64_t produced = 0;
    int ret;
    for (;;) {
        size_t avail = d->len - pos;
        if (avail > UINT_MAX)
            avail = UINT_MAX;
        zs.next_in = d->in + pos;
        zs.avail_in = (uInt)avail;
        zs.next_out = scratch;
        zs.avail_out = sizeof scratch;
        ret = inflate(&zs, Z_NO_FLUSH);
        size_t used = avail - zs.avail_in, got = sizeof scratch - zs.avail_out;
        pos += used;
        produced += got;
        if (ret != Z_OK && ret != Z_BUF_ERROR)
            break;
        if (used == 0 && got == 0) {
            ret = Z_BUF_ERROR;
            break;
        }
        if (produced > d->max_out) {
            ret = Z_OK;
            break;
        }
    }
    const char *zmsg = zs.msg ? zs.msg : "invalid data";
    char why[256];
    if (ret == Z_DATA_ERROR) {
        if (strcmp(zmsg, "incorrect header check") == 0)
            snprintf(why, sizeof why,
                     "incorrect header check (expected a zlib header: CM 8 and "
                     "(CMF*256+FLG) %% 31 == 0, found %02x %02x)",
                     d->len - start > 0 ? d->in[start] : 0,
                     d->len - start > 1 ? d->in[start + 1] : 0);
        else if (strcmp(zmsg, "incorrect data check") == 0)
            snprintf(why, sizeof why,
                     "checksum mismatch (the %s stored after the data does not match the "
                     "decompressed data)",
                     window_bits > 15 ? "CRC-32" : "Adler-32");
        else if (strcmp(zmsg, "incorrect length check") == 0)
            snprintf(why, sizeof why,
                     "length mismatch (the size stored in the gzip trailer does not match "
                     "the decompressed data)");
        else
            snprintf(why, sizeof why, "%s", zmsg);
    }
    inflateEnd(&zs);
    switch (ret) {
    case Z_DATA_ERROR:
        return FAIL(d, MC_E_INPUT, pos, "corrupt %s: %s", what, why);
    case Z_NEED_DICT:
        return FAIL(d, MC_E_INPUT, pos,
                    "%s needs a preset dictionary (FDICT), which joblib never writes", what);
    case Z_MEM_ERROR:
        return FAIL(d, MC_E_NOMEM, -1, "out of memory in zlib");
    case Z_BUF_ERROR:
        if (pos >= d->len)
            return fail_truncated(d, what);
        break;
    default:
        break;
    }
    return FAIL(d, MC_E_INPUT, start, "corrupt %s: libdeflate rejected the stream", what);
}

/* One zlib stream at in[start..]; it must end exactly at the end of the input. */
static int dec_zlib_at(dec *d, size_t start, const char *what)
{
    struct libdeflate_decompressor *ld = libdeflate_alloc_decompressor();
    if (!ld)
        return FAIL(d, MC_E_NOMEM, -1, "out of memory allocating a DEFLATE decompressor");
    size_t in_used = 0, n = 0;
    enum libdeflate_result r = libdeflate_zlib_decompress_ex(
        ld, d->in + start, d->len - start, d->out, d->cap, &in_used, &n);
    libdeflate_free_decompressor(ld);
    switch (r) {
    case LIBDEFLATE_SUCCESS:
        d->out_len = n;
        if (in_used < d->len - start)
            return fail_trailing(d, start + in_used, what);
        return DEC_OK;
    case LIBDEFLATE_INSUFFICIENT_SPACE:
        return DEC_FULL;
    default:
        return diagnose_inflate(d, start, 15, what);
    }
}

static int dec_zlib(dec *d)
{
    return dec_zlib_at(d, d->start, d->start ? "ZF zlib stream" : "zlib stream");
}

/* One or more gzip members, as Python's gzip module reads them (it also
 * skips zero bytes after a member: padding at the end, or between members). */
static int dec_gzip(dec *d)
{
    struct libdeflate_decompressor *ld = libdeflate_alloc_decompressor();
    if (!ld)
        return FAIL(d, MC_E_NOMEM, -1, "out of memory allocating a DEFLATE decompressor");
    size_t pos = 0;
    int rc = DEC_OK;
    for (;;) {
        size_t in_used = 0, n = 0;
        enum libdeflate_result r = libdeflate_gzip_decompress_ex(
            ld, d->in + pos, d->len - pos, d->out + d->out_len, d->cap - d->out_len, &in_used,
            &n);
        if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
            rc = DEC_FULL;
            break;
        }
        if (r != LIBDEFLATE_SUCCESS) {
            rc = diagnose_inflate(d, pos, 16 + 15, pos ? "gzip member" : "gzip stream");
            break;
        }
        pos += in_used;
        d->out_len += n;
        while (pos < d->len && d->in[pos] == 0) /* zero padding, as gzip._read_eof */
            pos++;
        if (pos == d->len)
            break;
        if (d->len - pos < 2 || d->in[pos] != 0x1f || d->in[pos + 1] != 0x8b) {
            rc = fail_trailing(d, pos, "gzip stream");
            break;
        }
    }
    libdeflate_free_decompressor(ld);
    return rc;
}

/* ---- Z-file (joblib < 0.10) ---------------------------------------------------- */

enum { ZF_FIELD = 19 };

static int is_pyspace(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
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

/* Parse the Z-file header as read_zfile does: int(field, 16) over the 19
 * bytes after "ZF" (surrounding whitespace, an optional "0x", underscores
 * between digits), then skip one space if present.  Returns 0 and the payload
 * offset and declared length, or -1 with err set. */
static int zf_header(const uint8_t *in, size_t len, size_t *payload, uint64_t *declared,
                     mc_error *err)
{
    if (len < 2 + ZF_FIELD) {
        set_err(err, MC_E_INPUT, (int64_t)len,
                "truncated ZF header: expected \"ZF\" and a %d-character hexadecimal "
                "length, found only %zu bytes",
                ZF_FIELD, len);
        return -1;
    }
    const uint8_t *f = in + 2;
    char shown[ZF_FIELD * 4 + 1];
    size_t k = 0;
    for (int i = 0; i < ZF_FIELD; i++) {
        uint8_t c = f[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            shown[k++] = (char)c;
        else
            k += (size_t)snprintf(shown + k, sizeof shown - k, "\\x%02x", c);
    }
    shown[k] = '\0';
    int i = 0, end = ZF_FIELD;
    while (i < end && is_pyspace(f[i]))
        i++;
    while (end > i && is_pyspace(f[end - 1]))
        end--;
    if (i < end && f[i] == '+')
        i++;
    if (end - i >= 2 && f[i] == '0' && (f[i + 1] == 'x' || f[i + 1] == 'X')) {
        i += 2;
        if (i < end && f[i] == '_')
            i++;
    }
    uint64_t v = 0;
    int digits = 0, ok = i < end;
    for (; ok && i < end; i++) {
        int h = hexval(f[i]);
        if (h < 0) {
            /* One underscore between two digits. */
            if (f[i] == '_' && digits && i + 1 < end && hexval(f[i + 1]) >= 0)
                continue;
            ok = 0;
            break;
        }
        if (v > (UINT64_MAX >> 4)) {
            set_err(err, MC_E_INPUT, 2,
                    "ZF header: the decompressed length '%s' does not fit in 64 bits", shown);
            return -1;
        }
        v = (v << 4) | (uint64_t)h;
        digits++;
    }
    if (!ok || !digits) {
        set_err(err, MC_E_INPUT, 2,
                "ZF header: expected a hexadecimal length such as '0x1a2b' padded with "
                "spaces to %d characters, found '%s'",
                ZF_FIELD, shown);
        return -1;
    }
    size_t p = 2 + ZF_FIELD;
    if (p < len && in[p] == ' ')
        p++;
    *payload = p;
    *declared = v;
    return 0;
}

/* ---- bz2 --------------------------------------------------------------------------- */

static int dec_bz2(dec *d)
{
    size_t pos = 0;
    int streams = 0;
    while (pos < d->len) {
        if (streams > 0 && (d->len - pos < 3 || memcmp(d->in + pos, "BZh", 3) != 0)) {
            return fail_trailing(d, pos, "bz2 stream");
        }
        bz_stream s;
        memset(&s, 0, sizeof s);
        int ret = BZ2_bzDecompressInit(&s, 0, 0);
        if (ret != BZ_OK)
            return FAIL(d, ret == BZ_MEM_ERROR ? MC_E_NOMEM : MC_E_INPUT, -1,
                        "cannot initialise the bz2 decoder (error %d)", ret);
        size_t stream_start = pos;
        int rc = DEC_OK;
        for (;;) {
            size_t ain = d->len - pos, aout = d->cap - d->out_len;
            if (ain > UINT_MAX)
                ain = UINT_MAX;
            if (aout > UINT_MAX)
                aout = UINT_MAX;
            s.next_in = (char *)(uintptr_t)(d->in + pos); /* bzlib does not write it */
            s.avail_in = (unsigned)ain;
            s.next_out = (char *)(d->out + d->out_len);
            s.avail_out = (unsigned)aout;
            ret = BZ2_bzDecompress(&s);
            size_t used = ain - s.avail_in, got = aout - s.avail_out;
            pos += used;
            d->out_len += got;
            if (ret == BZ_STREAM_END)
                break;
            if (ret == BZ_OK) {
                if (used || got)
                    continue;
                if (d->out_len == d->cap)
                    rc = DEC_FULL;
                else if (pos == d->len)
                    rc = fail_truncated(d, "bz2 stream");
                else
                    rc = FAIL(d, MC_E_INPUT, pos, "bz2 decoder made no progress");
                break;
            }
            if (ret == BZ_DATA_ERROR_MAGIC)
                rc = FAIL(d, MC_E_INPUT, stream_start,
                          "not a bz2 stream: expected 'BZh' and a block size digit 1-9");
            else if (ret == BZ_DATA_ERROR)
                rc = FAIL(d, MC_E_INPUT, pos,
                          "corrupt bz2 stream: invalid block data or CRC mismatch (the stored "
                          "CRC does not match the decompressed data)");
            else if (ret == BZ_MEM_ERROR)
                rc = FAIL(d, MC_E_NOMEM, -1, "out of memory in the bz2 decoder");
            else
                rc = FAIL(d, MC_E_INPUT, pos, "bz2 decoder error %d", ret);
            break;
        }
        BZ2_bzDecompressEnd(&s);
        if (rc != DEC_OK)
            return rc;
        streams++;
    }
    return DEC_OK;
}

/* ---- lzma-alone and xz ------------------------------------------------------------- */

static int lzma_fail(dec *d, lzma_ret ret, lzma_stream *s, size_t pos, size_t stream_start,
                     int alone)
{
    const char *what = alone ? "lzma stream" : "xz stream";
    switch (ret) {
    case LZMA_MEMLIMIT_ERROR:
        if (alone)
            return FAIL(d, MC_E_INPUT, stream_start + 1,
                        "the lzma header asks for a %u-byte dictionary: decoding it needs "
                        "%llu MiB, more than the %llu MiB limit",
                        mc_load_u32le(d->in + stream_start + 1),
                        (unsigned long long)(lzma_memusage(s) >> 20),
                        (unsigned long long)(MC_LZMA_MEMLIMIT >> 20));
        return FAIL(d, MC_E_INPUT, pos,
                    "the xz stream asks for a dictionary that needs %llu MiB to decode, more "
                    "than the %llu MiB limit",
                    (unsigned long long)(lzma_memusage(s) >> 20),
                    (unsigned long long)(MC_LZMA_MEMLIMIT >> 20));
    case LZMA_MEM_ERROR:
        return FAIL(d, MC_E_NOMEM, -1, "out of memory in the %s decoder", what);
    case LZMA_FORMAT_ERROR:
        if (alone)
            return FAIL(d, MC_E_INPUT, stream_start,
                        "invalid lzma header: expected properties byte < 225, a dictionary "
                        "size and an uncompressed size, found %02x",
                        d->in[stream_start]);
        if (pos > 0)
            return fail_trailing(d, pos, what);
        return FAIL(d, MC_E_INPUT, 0, "not an xz stream: expected fd 37 7a 58 5a 00 at byte 0");
    case LZMA_OPTIONS_ERROR:
        return FAIL(d, MC_E_INPUT, pos,
                    "unsupported %s options (invalid or unsupported header or filter settings)",
                    what);
    case LZMA_DATA_ERROR:
        return FAIL(d, MC_E_INPUT, pos,
                    "corrupt %s: invalid compressed data, a wrong size or a checksum mismatch",
                    what);
    default:
        return FAIL(d, MC_E_INPUT, pos, "%s decoder error %d", what, (int)ret);
    }
}

static const uint8_t XZ_MAGIC[6] = {0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00};

/* One or more LZMA-alone or xz streams, one decoder each (as Python's
 * LZMAFile reads them); between xz streams, zero padding in multiples of
 * four bytes as the xz format allows. */
static int dec_lzma_common(dec *d, int alone)
{
    size_t pos = 0;
    int streams = 0;
    const char *what = alone ? "lzma stream" : "xz stream";
    while (pos < d->len) {
        size_t left = d->len - pos;
        if (streams > 0 && !alone) {
            size_t z = 0;
            while (z < left && d->in[pos + z] == 0)
                z++;
            if (z % 4 != 0)
                return fail_trailing(d, pos, what);
            pos += z;
            left -= z;
            if (left == 0)
                break;
            if (left < sizeof XZ_MAGIC || memcmp(d->in + pos, XZ_MAGIC, sizeof XZ_MAGIC) != 0)
                return fail_trailing(d, pos, what);
        }
        if (alone) {
            if (streams > 0 && (left < 13 || d->in[pos] >= 225))
                return fail_trailing(d, pos, what);
            if (left < 13)
                return FAIL(d, MC_E_INPUT, d->len,
                            "truncated lzma header: expected 13 bytes (properties, "
                            "dictionary size, uncompressed size), found %zu",
                            left);
            uint64_t usize = mc_load_u64le(d->in + pos + 5);
            if (usize != UINT64_MAX && usize > d->max_out - (uint64_t)d->out_len)
                return FAIL(d, MC_E_INPUT, pos + 5,
                            "the lzma header declares %llu decompressed bytes, more than the "
                            "%llu-byte output limit",
                            (unsigned long long)usize, (unsigned long long)d->max_out);
        }
        lzma_stream s = LZMA_STREAM_INIT;
        lzma_ret ret = alone ? lzma_alone_decoder(&s, MC_LZMA_MEMLIMIT)
                             : lzma_stream_decoder(&s, MC_LZMA_MEMLIMIT, 0);
        if (ret != LZMA_OK) {
            lzma_end(&s);
            return FAIL(d, ret == LZMA_MEM_ERROR ? MC_E_NOMEM : MC_E_INPUT, -1,
                        "cannot initialise the %s decoder (error %d)", what, (int)ret);
        }
        size_t stream_start = pos;
        s.next_in = d->in + pos;
        s.avail_in = left;
        s.next_out = d->out + d->out_len;
        s.avail_out = d->cap - d->out_len;
        /* When the output is full but the stream has not ended, the decoder
         * gets a 1-byte scratch output: ending there without writing to it
         * means the stream fitted exactly; writing to it means it did not. */
        uint8_t probe;
        int probing = 0, rc = DEC_OK;
        for (;;) {
            size_t ain = s.avail_in, aout = s.avail_out;
            ret = lzma_code(&s, LZMA_FINISH);
            pos = (size_t)(s.next_in - d->in);
            if (!probing)
                d->out_len = (size_t)(s.next_out - d->out);
            else if (s.avail_out == 0) {
                rc = DEC_FULL;
                break;
            }
            if (ret == LZMA_STREAM_END)
                break;
            if (ret == LZMA_OK && (s.avail_in != ain || s.avail_out != aout))
                continue;
            if (ret == LZMA_OK || ret == LZMA_BUF_ERROR) {
                if (s.avail_out == 0 && !probing) {
                    probing = 1;
                    s.next_out = &probe;
                    s.avail_out = 1;
                    continue;
                }
                rc = fail_truncated(d, what);
                break;
            }
            rc = lzma_fail(d, ret, &s, pos, stream_start, alone);
            break;
        }
        lzma_end(&s);
        if (rc != DEC_OK)
            return rc;
        streams++;
    }
    return DEC_OK;
}

static int dec_lzma(dec *d)
{
    return dec_lzma_common(d, 1);
}

static int dec_xz(dec *d)
{
    return dec_lzma_common(d, 0);
}

/* ---- lz4 frame ----------------------------------------------------------------------- */

#define LZ4_MAGIC 0x184D2204u

static int lz4_skippable(uint32_t m)
{
    return (m & 0xFFFFFFF0u) == 0x184D2A50u;
}

/* LZ4F_getErrorCode is in lz4frame.h's static-linking-only section, so
 * errors are told apart by their (stable) names, e.g.
 * "ERROR_contentChecksum_invalid". */
static int lz4_err_is(size_t r, const char *part)
{
    const char *name = LZ4F_getErrorName(r);
    return name && strstr(name, part) != NULL;
}

static int dec_lz4(dec *d)
{
    LZ4F_dctx *dctx = NULL;
    if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION)))
        return FAIL(d, MC_E_NOMEM, -1, "out of memory allocating an lz4 decoder");
    size_t pos = 0, frame_start = 0;
    int frames = 0, in_frame = 0, rc = DEC_OK;
    for (;;) {
        if (!in_frame) {
            if (pos == d->len)
                break;
            uint32_t magic = d->len - pos >= 4 ? mc_load_u32le(d->in + pos) : 0;
            if (magic != LZ4_MAGIC && !lz4_skippable(magic)) {
                if (frames > 0)
                    rc = fail_trailing(d, pos, "lz4 frame");
                else
                    rc = FAIL(d, MC_E_INPUT, pos,
                              "not an lz4 frame: expected the magic 04 22 4d 18 at byte %zu",
                              pos);
                break;
            }
            frame_start = pos;
            in_frame = 1;
            if (magic == LZ4_MAGIC) {
                LZ4F_frameInfo_t info;
                memset(&info, 0, sizeof info);
                size_t hsize = d->len - pos;
                size_t r = LZ4F_getFrameInfo(dctx, &info, d->in + pos, &hsize);
                if (LZ4F_isError(r)) {
                    if (lz4_err_is(r, "frameHeader_incomplete"))
                        rc = fail_truncated(d, "lz4 frame header");
                    else
                        rc = FAIL(d, MC_E_INPUT, pos, "invalid lz4 frame header: %s",
                                  LZ4F_getErrorName(r));
                    break;
                }
                pos += hsize;
                if (info.contentSize > d->max_out - (uint64_t)d->out_len) {
                    rc = FAIL(d, MC_E_INPUT, frame_start,
                              "the lz4 frame header declares %llu decompressed bytes, more "
                              "than the %llu-byte output limit",
                              (unsigned long long)info.contentSize,
                              (unsigned long long)d->max_out);
                    break;
                }
            }
        }
        size_t dst = d->cap - d->out_len, src = d->len - pos;
        size_t r = LZ4F_decompress(dctx, d->out + d->out_len, &dst, d->in + pos, &src, NULL);
        pos += src;
        d->out_len += dst;
        if (LZ4F_isError(r)) {
            if (lz4_err_is(r, "Checksum_invalid"))
                rc = FAIL(d, MC_E_INPUT, pos,
                          "corrupt lz4 frame: %s (the stored xxHash32 does not match the "
                          "decompressed data)",
                          LZ4F_getErrorName(r));
            else if (lz4_err_is(r, "frameSize_wrong"))
                rc = FAIL(d, MC_E_INPUT, pos,
                          "corrupt lz4 frame: the data does not match the content size in the "
                          "frame header");
            else
                rc = FAIL(d, MC_E_INPUT, pos, "corrupt lz4 frame: %s", LZ4F_getErrorName(r));
            break;
        }
        if (r == 0) { /* frame complete; the context is ready for the next */
            in_frame = 0;
            frames++;
            continue;
        }
        if (src == 0 && dst == 0) {
            if (d->out_len == d->cap)
                rc = DEC_FULL;
            else if (pos == d->len)
                rc = fail_truncated(d, "lz4 frame");
            else
                rc = FAIL(d, MC_E_INPUT, pos, "lz4 decoder made no progress");
            break;
        }
    }
    LZ4F_freeDecompressionContext(dctx);
    return rc;
}

/* ---- driver -------------------------------------------------------------------------------- */

typedef int (*decode_fn)(dec *d);

mc_status mc_decompress(mc_compressor c, const uint8_t *in, size_t len, uint64_t max_out,
                        mc_buffer *out, mc_error *err)
{
    if (!out)
        return set_err(err, MC_E_USAGE, -1, "mc_decompress: no output buffer");
    memset(out, 0, sizeof *out);
    if (!in && len)
        return set_err(err, MC_E_USAGE, -1, "mc_decompress: NULL input");

    dec dd;
    memset(&dd, 0, sizeof dd);
    dec *d = &dd;
    d->in = in;
    d->len = len;
    d->max_out = max_out;
    d->name = mc_compressor_name(c);
    d->err = err;
    decode_fn fn = NULL;
    uint64_t declared = 0;

    switch (c) {
    case MC_COMP_NONE: {
        if ((uint64_t)len > max_out)
            return set_err(err, MC_E_INPUT, -1,
                           "decompressed data exceeds %llu bytes (the output limit): the input "
                           "holds %zu",
                           (unsigned long long)max_out, len);
        mc_status st = mc_buffer_reserve(out, len, err);
        if (st != MC_OK)
            return st;
        if (len)
            memcpy(out->data, in, len);
        out->len = len;
        return MC_OK;
    }
    case MC_COMP_ZLIB: fn = dec_zlib; break;
    case MC_COMP_GZIP: fn = dec_gzip; break;
    case MC_COMP_BZ2: fn = dec_bz2; break;
    case MC_COMP_LZMA: fn = dec_lzma; break;
    case MC_COMP_XZ: fn = dec_xz; break;
    case MC_COMP_LZ4: fn = dec_lz4; break;
    case MC_COMP_ZFILE:
        if (zf_header(in, len, &d->start, &declared, err) != 0)
            return MC_E_INPUT;
        if (declared > max_out)
            return set_err(err, MC_E_INPUT, 2,
                           "the ZF header declares %llu decompressed bytes, more than the "
                           "%llu-byte output limit",
                           (unsigned long long)declared, (unsigned long long)max_out);
        if (d->start >= len)
            return set_err(err, MC_E_INPUT, (int64_t)len,
                           "truncated ZF file: expected a zlib stream after the header at "
                           "byte %zu, found the end of the input",
                           d->start);
        d->max_out = declared;
        fn = dec_zlib;
        break;
    default:
        return set_err(err, MC_E_USAGE, -1, "mc_decompress: unknown compressor %d", (int)c);
    }
    if (len == 0)
        return set_err(err, MC_E_INPUT, 0, "empty input: expected a compressed %s stream",
                       d->name);

    size_t limit = d->max_out > (uint64_t)MC_MAX_RESERVE ? MC_MAX_RESERVE : (size_t)d->max_out;
    int r;
    if (mc_buffer_reserve(out, limit, NULL) == MC_OK) {
        d->out = out->data;
        d->cap = limit;
        r = fn(d);
    } else {
        /* Cannot reserve the whole limit (strict overcommit, a small address
         * space): start smaller and double, decoding again each time. */
        size_t size = MC_FALLBACK_START, guess;
        if (mc_mul_size(len, 4, &guess) == 0 && guess > size)
            size = guess;
        if (size > limit)
            size = limit;
        for (;;) {
            mc_status st = mc_buffer_reserve(out, size, err);
            if (st != MC_OK)
                return st;
            d->out = out->data;
            d->cap = size;
            d->out_len = 0;
            r = fn(d);
            if (r != DEC_FULL || size >= limit)
                break;
            mc_buffer_free(out);
            size = size > limit / 2 ? limit : size * 2;
        }
    }
    if (r == DEC_FULL) {
        if (c == MC_COMP_ZFILE)
            r = FAIL(d, MC_E_INPUT, 2,
                     "the ZF header declares %llu decompressed bytes but the zlib stream holds "
                     "more",
                     (unsigned long long)declared);
        else
            r = fail_exceeds(d);
    }
    if (r == DEC_OK && c == MC_COMP_ZFILE && (uint64_t)d->out_len != declared)
        r = FAIL(d, MC_E_INPUT, 2,
                 "the ZF header declares %llu decompressed bytes but the zlib stream holds %zu",
                 (unsigned long long)declared, d->out_len);
    if (r != DEC_OK) {
        mc_buffer_free(out);
        return d->st;
    }
    out->len = d->out_len;
    mc_buffer_shrink(out);
    return MC_OK;
}
