/* modelconv — the globals a pickle names, and whether loading it in Python
 * would be safe.
 *
 * Every document records each distinct global its pickle streams reference
 * (GLOBAL, STACK_GLOBAL, INST, OBJ), with a verdict from the closed table.
 * With mc_read_options.scan set, the VM does not stop at an unsafe or unknown
 * global: it records it and carries on with an opaque stand-in, so a scan
 * lists everything the file would import.  Nothing is ever imported or run.
 */
#ifndef MODELCONV_SCAN_H
#define MODELCONV_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "modelconv/read.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mc_verdict {
    MC_VERDICT_SAFE = 0,    /* in the table: builds data only               */
    MC_VERDICT_UNKNOWN = 1, /* not in the table (e.g. a scikit-learn name
                               from a release the table does not know)      */
    MC_VERDICT_UNSAFE = 2   /* runs code or touches the system when loaded  */
} mc_verdict;

/* How the pickle used a global (bit set). */
enum {
    MC_USE_VALUE = 1,      /* pushed as a value only (e.g. a dtype param)     */
    MC_USE_CALL = 2,       /* called by REDUCE                                 */
    MC_USE_NEWOBJ = 4,     /* instantiated by NEWOBJ / NEWOBJ_EX               */
    MC_USE_INST = 8        /* instantiated by INST / OBJ                       */
};

typedef struct mc_global_use {
    const char *module;
    const char *name;
    mc_verdict verdict;
    const char *reason;     /* why unsafe/unknown; "" when safe               */
    int64_t first_offset;   /* byte offset of its first reference             */
    uint32_t count;         /* references                                     */
    unsigned uses;          /* MC_USE_* bits                                   */
} mc_global_use;

/* The globals of a document, in order of first reference. */
const mc_global_use *mc_document_globals(const mc_document *doc, size_t *count);

const char *mc_verdict_name(mc_verdict v);

#ifdef __cplusplus
}
#endif
#endif
