/* joblib containers: detect the compressor of a joblib file by its first
 * bytes, and decompress the whole stream in one pass into an mc_buffer.
 *
 * The decompressed stream is exactly the uncompressed joblib format (a pickle
 * with raw array data spliced in), so the pickle reader runs on the buffer as
 * if it were the mapped file.
 */
#ifndef MC_JOBLIB_CONTAINER_H
#define MC_JOBLIB_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#include "core/mapfile.h"
#include "modelconv/error.h"

typedef enum mc_compressor {
    MC_COMP_NONE,  /* not compressed (a plain pickle/joblib stream)           */
    MC_COMP_ZLIB,  /* RFC 1950 stream, joblib's default ("compress=3")        */
    MC_COMP_GZIP,  /* RFC 1952, one or more members                           */
    MC_COMP_BZ2,   /* one or more bzip2 streams                               */
    MC_COMP_LZMA,  /* LZMA-alone (.lzma), one or more streams                 */
    MC_COMP_XZ,    /* .xz, concatenated streams and stream padding allowed    */
    MC_COMP_LZ4,   /* LZ4 frame format, concatenated (and skippable) frames   */
    MC_COMP_ZFILE  /* joblib < 0.10 "ZF" container: "ZF" + hex length padded
                      to 19 chars (+ optional space) + zlib stream            */
} mc_compressor;

/* "none", "zlib", "gzip", "bz2", "lzma", "xz", "lz4", "zfile"; "?" for a value
 * outside the enum. */
const char *mc_compressor_name(mc_compressor c);

/* The compressor of data[0..len), by content only and in joblib's own order:
 * "ZF" first, then zlib (0x78), gzip (1f 8b), bz2 ("BZ"), lzma (5d 00),
 * xz (fd 37 7a 58 5a), lz4 (04 22 4d 18).  Anything else is MC_COMP_NONE. */
mc_compressor mc_detect_compressor(const uint8_t *data, size_t len);

/* Decompress the whole of in[0..len) (one pass) into *out, which the caller
 * frees with mc_buffer_free (also after a failure: *out is then empty).
 * MC_COMP_NONE copies the input.  The output may be at most max_out bytes;
 * more is MC_E_INPUT ("decompressed data exceeds N bytes ...").  Corrupt or
 * truncated streams, trailing bytes after the last stream, a ZF header whose
 * length is not hexadecimal or disagrees with the data: MC_E_INPUT with the
 * compressed byte offset where known (err->offset) and what was expected and
 * found.  Out of memory: MC_E_NOMEM.  `in` is only read; it may be a mapped
 * file. */
mc_status mc_decompress(mc_compressor c, const uint8_t *in, size_t len, uint64_t max_out,
                        mc_buffer *out, mc_error *err);

#endif
