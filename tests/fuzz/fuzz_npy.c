/* libFuzzer harness: .npy header parsing (and, for what parses as a plain
 * array, a write + re-parse round trip).
 *
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc -Iconverters \
 *     tests/fuzz/fuzz_npy.c src/io/npy.c src/core/error.c src/core/arena.c \
 *     src/value/dtype.c -o fuzz_npy
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "io/npy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Walk a dtype: fields and subarrays must fit inside their parent. */
static void check_dtype(const mc_dtype *dt, int depth)
{
    if (!dt || depth > 200)
        abort();
    if (dt->subarray_base) {
        uint64_t n = 1;
        for (uint32_t i = 0; i < dt->subarray_ndim; i++)
            n *= (uint64_t)dt->subarray_shape[i];
        if (n * dt->subarray_base->itemsize != dt->itemsize)
            abort();
        check_dtype(dt->subarray_base, depth + 1);
    }
    for (uint32_t i = 0; i < dt->nfields; i++) {
        const mc_dtype_field *f = &dt->fields[i];
        if (!f->name || f->offset < 0 ||
            (uint64_t)f->offset + f->dtype->itemsize > dt->itemsize)
            abort();
        check_dtype(f->dtype, depth + 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The type-string parser on its own, on short inputs. */
    if (size < 40) {
        mc_dtype dt;
        if (mc_dtype_parse_str((const char *)data, size, &dt) == 0 &&
            (dt.byteorder != '<' && dt.byteorder != '>' && dt.byteorder != '|'))
            abort();
    }
    mc_arena arena;
    mc_arena_init(&arena, (uint64_t)16 << 20);
    mc_npy_header h;
    mc_error err;
    mc_error_clear(&err);
    mc_status st = mc_npy_parse(data, size, &arena, &h, &err);
    if (st == MC_OK) {
        check_dtype(h.dtype, 0);
        if (h.data_offset > size || h.ndim > MC_NPY_MAX_NDIM)
            abort();
        if (!h.has_object && h.nbytes > size - h.data_offset)
            abort();
        /* Plain arrays: write them back and parse that. */
        if (!h.has_object && !h.dtype->nfields && !h.dtype->fields &&
            !h.dtype->subarray_base && h.nbytes < (1u << 20)) {
            char *buf = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&buf, &len);
            char descr[64];
            mc_dtype_str(h.dtype, descr, sizeof descr);
            if (f && mc_npy_write(f, descr, h.shape, h.ndim, data + h.data_offset,
                                  (size_t)h.nbytes, &err) == MC_OK) {
                fclose(f);
                f = NULL;
                mc_npy_header h2;
                if (mc_npy_parse((const uint8_t *)buf, len, &arena, &h2, &err) != MC_OK ||
                    h2.ndim != h.ndim || h2.count != h.count || h2.nbytes != h.nbytes ||
                    h2.dtype->kind != h.dtype->kind || h2.dtype->itemsize != h.dtype->itemsize ||
                    memcmp(h2.shape, h.shape, h.ndim * sizeof h.shape[0]) != 0 ||
                    memcmp(buf + h2.data_offset, data + h.data_offset, (size_t)h.nbytes) != 0)
                    abort();
            }
            if (f)
                fclose(f);
            free(buf);
        }
    } else if (st != MC_E_INPUT || h.dtype || !err.message[0]) {
        abort();
    }
    mc_arena_free(&arena);
    return 0;
}
