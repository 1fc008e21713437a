/* The private side of mc_document: what readers use to build a value graph.
 *
 * A document owns an arena (nodes, strings, small copies), the mapped input
 * file, any decompressed streams and companion files, and the list of
 * globals the pickle named.  Readers allocate through it so that one budget
 * bounds what a hostile file can make us allocate. */
#ifndef MC_READ_DOCUMENT_H
#define MC_READ_DOCUMENT_H

#include "core/arena.h"
#include "core/mapfile.h"
#include "modelconv/read.h"
#include "modelconv/scan.h"

typedef struct mc_owned_buffer mc_owned_buffer;
typedef struct mc_companion mc_companion;

struct mc_document {
    mc_arena arena;
    mc_read_options opts;
    const char *path;              /* for messages; arena copy          */
    const char *dir;               /* folder of path (companion files)  */
    mc_mapfile input;              /* the file as mapped                */
    mc_owned_buffer *buffers;      /* decompressed streams, companions  */
    mc_value *root;
    uint32_t nvalues;
    mc_provenance prov;

    mc_global_use *globals;        /* malloc'd, in order of first use   */
    size_t nglobals, globals_cap;
    uint32_t *global_slots;        /* malloc'd hash of globals: index+1 */
    size_t global_slots_cap;       /* a power of two, or 0              */
    mc_companion **companions;     /* joblib < 0.10 companion files read,
                                      hashed by name (legacy.c); arena  */

    /* what the VM saw, for provenance */
    int saw_numpy_core, saw_numpy_2core, saw_py2_names, saw_py2_strings;
    int saw_joblib_wrapper, saw_joblib_align_key;
    int saw_legacy_wrapper, max_nested_protocol;
};

/* An empty document to build values and models in (readers of formats
 * other than pickle): no input, an unlimited budget.  NULL if out of memory. */
mc_document *mc_document_new(void);

/* A new value node of `kind`, created by the opcode at `offset`.  NULL when
 * the arena budget or memory is exhausted (mc_doc_alloc_error says which). */
mc_value *mc_doc_value(mc_document *doc, mc_kind kind, int64_t offset);
void *mc_doc_alloc(mc_document *doc, size_t size);
char *mc_doc_strndup(mc_document *doc, const char *s, size_t n);
/* The error for a failed allocation: over budget (input) or out of memory. */
mc_status mc_doc_alloc_error(mc_document *doc, mc_error *err, int64_t offset);

/* Give back the pages of data[0..len) if they lie in the mapped input file
 * (never in a decompressed buffer, whose pages would be lost): a private
 * read-only file mapping refills them from the page cache when touched
 * again, so this only lowers the process's memory while it copies big
 * arrays elsewhere. */
void mc_doc_release_input(const mc_document *doc, const void *data, uint64_t len);

/* Keep a buffer alive as long as the document (freed with mc_buffer_free). */
mc_status mc_doc_adopt_buffer(mc_document *doc, mc_buffer *buf, mc_error *err);

/* Record a reference to module.name with its verdict and use (MC_USE_*). */
mc_status mc_doc_note_global(mc_document *doc, const char *module, const char *name,
                             mc_verdict verdict, const char *reason, int64_t offset,
                             unsigned use, mc_error *err);

/* Add a use (MC_USE_*) to a global already recorded. */
void mc_doc_note_use(mc_document *doc, const char *module, const char *name, unsigned use);

/* Container building, with the arena as backing store (grows by doubling;
 * old storage stays in the arena until the document is freed). */
mc_status mc_seq_append(mc_document *doc, mc_value *seq, mc_value *item, mc_error *err);
mc_status mc_dict_set(mc_document *doc, mc_value *dict, mc_value *key, mc_value *val,
                      mc_error *err);

#endif
