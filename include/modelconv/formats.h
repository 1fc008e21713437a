/* modelconv — file formats: which one a file is, reading any of them into
 * a model, and writing a model out.
 *
 * Formats are detected by content, never by extension, when reading; the
 * extension (or an explicit name) picks the format when writing.  Writes go
 * to a temporary file beside the target and are renamed over it only when
 * complete: a failed write leaves nothing behind. */
#ifndef MODELCONV_FORMATS_H
#define MODELCONV_FORMATS_H

#include <stddef.h>
#include <stdint.h>

#include "modelconv/error.h"
#include "modelconv/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mc_save_options {
    int compress_level;   /* HDF5: deflate level 1-9, 0 for none (default 4) */
    /* called now and then during long writes with work done so far */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
} mc_save_options;

void mc_save_options_init(mc_save_options *o);

/* The format a path's extension names: "pickle" (.pkl, .pickle), "joblib"
 * (.joblib), "hdf5" (.h5, .hdf5), "onnx" (.onnx); NULL if none. */
const char *mc_format_for_path(const char *path);

/* The format of a file's content: "hdf5", or "pickle" for anything the
 * pickle/joblib reader should try (it detects its containers itself). */
const char *mc_format_of_content(const uint8_t *head, size_t n);

/* The formats modelconv can write, in table order: the name of the i-th,
 * or NULL past the last (the validator's round trips go through each). */
const char *mc_format_writer_at(size_t i);

/* Read any supported file into a model (see mc_model_load in model.h). */

/* Write m to path in `format` (NULL: from the extension).  MC_E_USAGE for
 * an unknown format or one modelconv cannot write yet; MC_E_IO for write
 * failures. */
mc_status mc_model_save(const mc_model *m, const char *path, const char *format,
                        const mc_save_options *o, mc_error *err);

#ifdef __cplusplus
}
#endif
#endif
