/* libFuzzer harness: joblib container detection and decompression.
 *
 * Each input is decompressed twice: once as detected by its first bytes (the
 * way the reader sees a file), and once with the compressor chosen by its
 * first byte and the rest as the stream (so every decoder sees every kind of
 * junk, magic or not).  The output limit is small, so bombs stay cheap.
 *
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc -Iconverters \
 *     tests/fuzz/fuzz_container.c converters/joblib/container.c src/core/error.c \
 *     src/core/mapfile.c -lz -lbz2 -llzma -llz4 -ldeflate -o fuzz_container
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "joblib/container.h"

#define MAX_OUT ((uint64_t)16 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(mc_compressor c, const uint8_t *data, size_t size)
{
    mc_buffer out;
    mc_error err;
    mc_error_clear(&err);
    mc_status st = mc_decompress(c, data, size, MAX_OUT, &out, &err);
    if (st == MC_OK) {
        if (out.len > MAX_OUT || (out.len && !out.data))
            abort();
        if (c == MC_COMP_NONE && (out.len != size || (size && memcmp(out.data, data, size))))
            abort();
        /* Touch every byte: the whole output must be readable. */
        volatile uint8_t sink = 0;
        for (size_t i = 0; i < out.len; i += 4096)
            sink ^= out.data[i];
        if (out.len)
            sink ^= out.data[out.len - 1];
        (void)sink;
        mc_buffer_free(&out);
    } else {
        if (st != MC_E_INPUT && st != MC_E_NOMEM)
            abort();
        if (out.data || out.len || !err.message[0])
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(mc_detect_compressor(data, size), data, size);
    if (size > 0)
        run((mc_compressor)(data[0] % 8), data + 1, size - 1);
    return 0;
}
