/* libFuzzer harness: the pickle reader through every joblib container.
 *
 * The first byte picks a container and the rest is the stream inside it,
 * compressed here, so that mutations land on pickle opcodes and the reader
 * still has to find them through the decompressor:
 *
 *   first byte % 8:  0 the rest as it is (detected by content, like a file)
 *                    1 zlib   2 gzip   3 bz2   4 xz   5 lzma (alone)
 *                    6 lz4 frame      7 joblib < 0.10 Z-file ("ZF" + hex)
 *
 * Then as fuzz_pickle.c: small limits, plain and scan mode, a full walk of
 * what reads, and inspect / inspect --json / scan on the container bytes.
 * Seeds: plain pickles and uncompressed joblib files from samples/corpus,
 * each behind every selector (tests/fuzz/run.sh).
 */
#include "fuzz_common.h"

#include <bzlib.h>
#include <lz4frame.h>
#include <lzma.h>
#include <zlib.h>

enum { MAX_IN = 1 << 20 };

static uint8_t *out_buf;
static size_t out_cap;

static int grow(size_t need)
{
    if (need <= out_cap)
        return 0;
    uint8_t *p = realloc(out_buf, need);
    if (!p)
        return -1;
    out_buf = p;
    out_cap = need;
    return 0;
}

/* zlib (wbits 15) or gzip (wbits 31), at offset `at` of out_buf */
static size_t deflate_to(const uint8_t *in, size_t n, int wbits, size_t at)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 1, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    size_t bound = deflateBound(&zs, (uLong)n) + 32;
    if (grow(at + bound))
        abort();
    zs.next_in = (Bytef *)in;
    zs.avail_in = (uInt)n;
    zs.next_out = out_buf + at;
    zs.avail_out = (uInt)bound;
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
        abort();
    size_t len = bound - zs.avail_out;
    deflateEnd(&zs);
    return at + len;
}

static size_t compress_with(int kind, const uint8_t *in, size_t n)
{
    switch (kind) {
    case 1:
        return deflate_to(in, n, 15, 0);
    case 2:
        return deflate_to(in, n, 31, 0);
    case 3: {
        unsigned int len = (unsigned int)(n + n / 100 + 700);
        if (grow(len))
            abort();
        if (BZ2_bzBuffToBuffCompress((char *)out_buf, &len, (char *)in, (unsigned int)n, 1, 0,
                                     0) != BZ_OK)
            abort();
        return len;
    }
    case 4:
    case 5: {
        lzma_stream ls = LZMA_STREAM_INIT;
        if (kind == 4) {
            if (lzma_easy_encoder(&ls, 0, LZMA_CHECK_CRC64) != LZMA_OK)
                abort();
        } else {
            lzma_options_lzma o;
            if (lzma_lzma_preset(&o, 0) || lzma_alone_encoder(&ls, &o) != LZMA_OK)
                abort();
        }
        size_t bound = lzma_stream_buffer_bound(n) + 64;
        if (grow(bound))
            abort();
        ls.next_in = in;
        ls.avail_in = n;
        ls.next_out = out_buf;
        ls.avail_out = bound;
        if (lzma_code(&ls, LZMA_FINISH) != LZMA_STREAM_END)
            abort();
        size_t len = bound - ls.avail_out;
        lzma_end(&ls);
        return len;
    }
    case 6: {
        size_t bound = LZ4F_compressFrameBound(n, NULL);
        if (grow(bound))
            abort();
        size_t len = LZ4F_compressFrame(out_buf, bound, in, n, NULL);
        if (LZ4F_isError(len))
            abort();
        return len;
    }
    case 7: {
        /* "ZF" + "%#x" of the length, left-justified to 19 characters */
        char head[32];
        snprintf(head, sizeof head, "ZF%-19s", "");
        char hex[24];
        snprintf(hex, sizeof hex, "%#zx", n);
        memcpy(head + 2, hex, strlen(hex));
        if (grow(21))
            abort();
        memcpy(out_buf, head, 21);
        return deflate_to(in, n, 15, 21);
    }
    default:
        if (grow(n ? n : 1))
            abort();
        if (n)
            memcpy(out_buf, in, n);
        return n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > MAX_IN)
        return 0;
    size_t n = compress_with(data[0] % 8, data + 1, size - 1);
    /* an exact copy, so that reads past the end are caught */
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy)
        abort();
    if (n)
        memcpy(copy, out_buf, n);
    read_and_print(copy, n);
    free(copy);
    return 0;
}
