/* modelconv — reading pickle and joblib files into a value graph.
 *
 * mc_read_file detects the container by content (plain pickle, joblib with
 * any compressor, legacy joblib), decompresses it once, and runs the
 * restricted pickle VM.  Nothing in the file is ever executed: globals come
 * from a closed table and anything else is refused with its name and offset.
 */
#ifndef MODELCONV_READ_H
#define MODELCONV_READ_H

#include <stdint.h>

#include "modelconv/error.h"
#include "modelconv/value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Limits a hostile file cannot pass.  mc_read_options_init sets defaults. */
typedef struct mc_read_options {
    /* Decompressed bytes may be at most max(max_expand_floor,
     * max_expand_ratio * compressed bytes). */
    uint64_t max_expand_ratio;       /* default 200                         */
    uint64_t max_expand_floor;       /* default 64 MiB                      */
    uint32_t max_nesting;            /* default 1000 (Python's own limit)   */
    uint64_t max_stack;              /* default 1 << 24 entries             */
    /* Memory for graph nodes and copies may be at most
     * max(node_budget_floor, node_budget_ratio * input bytes). */
    uint64_t node_budget_ratio;      /* default 32                          */
    uint64_t node_budget_floor;      /* default 64 MiB                      */
    /* Scan mode: unknown or unsafe globals do not stop the VM; they are
     * recorded (see scan.h) and stand for opaque objects. */
    int scan;
} mc_read_options;

void mc_read_options_init(mc_read_options *opts);

/* Where a file came from, as far as its bytes tell. */
typedef struct mc_provenance {
    char format[16];          /* "pickle", "joblib", "joblib-legacy"         */
    int protocol;             /* outermost pickle protocol, 0..5             */
    char compressor[8];       /* "none", "zlib", "gzip", "bz2", "lzma", "xz",
                                 "lz4"                                       */
    char sklearn_version[32]; /* _sklearn_version of the outermost estimator;
                                 "pre-0.18" when it has none; "" if no
                                 estimator                                  */
    char numpy_hint[24];      /* "1.x" (numpy.core names), "2.x" (numpy._core),
                                 "" when the file names neither              */
    char joblib_hint[24];     /* e.g. ">=1.5", "1.2-1.4", "0.10-1.1", "<0.10" */
    int python2;              /* written by Python 2 (BINSTRING, __builtin__) */
    uint64_t input_bytes;     /* size of the file                            */
    uint64_t stream_bytes;    /* size after decompression                    */
} mc_provenance;

typedef struct mc_document mc_document;

/* Read `path`.  On success *out owns everything reachable from its root;
 * free it with mc_document_free.  On failure *out is NULL and err says why
 * (status MC_E_INPUT for anything about the file's content) — except in scan
 * mode, where a file that turns out unreadable still gives *out (with a NULL
 * root) so the globals seen before the failure can be listed. */
mc_status mc_read_file(const char *path, const mc_read_options *opts,
                       mc_document **out, mc_error *err);

/* The same, for bytes already in memory (they must outlive the document). */
mc_status mc_read_memory(const uint8_t *data, size_t len, const char *name,
                         const mc_read_options *opts, mc_document **out,
                         mc_error *err);

const mc_value *mc_document_root(const mc_document *doc);
const mc_provenance *mc_document_provenance(const mc_document *doc);
/* Number of values in the document (ids are 0..count-1). */
uint32_t mc_document_value_count(const mc_document *doc);
void mc_document_free(mc_document *doc);

#ifdef __cplusplus
}
#endif
#endif
