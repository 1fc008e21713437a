/* The restricted pickle VM (private).
 *
 * It interprets protocols 0-5 as CPython writes them and builds a value
 * graph.  It never executes anything: a GLOBAL resolves against a closed
 * table (globals.h) whose entries carry fixed handlers for REDUCE, NEWOBJ
 * and BUILD; everything else becomes a symbolic MC_OBJECT or is refused. */
#ifndef MC_PICKLE_VM_H
#define MC_PICKLE_VM_H

#include <stddef.h>
#include <stdint.h>

#include "read/document.h"

typedef struct mc_memo_slot {
    uint32_t key;
    uint32_t used;
    mc_value *val;
} mc_memo_slot;

/* What the closed table says about one MC_GLOBAL value, remembered by the
 * VM: a file may use one global millions of times (vm.c global_info). */
typedef struct mc_global_slot {
    const mc_value *g;              /* NULL: empty                         */
    const struct mc_global_entry *entry;
    unsigned uses;                  /* MC_USE_* the table allows           */
    unsigned noted;                 /* MC_USE_* already recorded in doc    */
} mc_global_slot;

typedef struct mc_vm {
    mc_document *doc;
    const uint8_t *buf;    /* the whole stream (file or decompressed)   */
    size_t len;
    size_t pos;            /* next byte to read                          */
    size_t op;             /* offset of the opcode being executed        */
    int proto;             /* from PROTO; 0 until one is seen            */
    int binary;            /* a protocol >= 1 opcode was seen            */
    unsigned nest;         /* nesting of joblib object-array streams     */
    int offsets_decompressed;

    mc_value **stack;
    size_t sp, stack_cap;
    size_t *marks;
    size_t nmarks, marks_cap;

    mc_memo_slot *memo;    /* open addressing, power-of-two capacity     */
    size_t memo_cap, memo_len;

    mc_global_slot *gslots; /* open addressing by value, power of two      */
    size_t gslots_cap, gslots_len;

    mc_error *err;
} mc_vm;

/* Run one pickle stream that starts at buf[start] up to its STOP, building
 * values in doc.  On success *result is the unpickled value and *end the
 * offset just past STOP.  `nest` counts enclosing streams (joblib object
 * arrays run a nested VM on the same buffer). */
mc_status mc_pickle_run(mc_document *doc, const uint8_t *buf, size_t len, size_t start,
                        unsigned nest, int offsets_decompressed, mc_value **result,
                        size_t *end, mc_error *err);

/* For handlers: fail with the current opcode's offset. */
mc_status mc_vm_fail(mc_vm *vm, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* For handlers: a new value made by the current opcode. */
mc_value *mc_vm_value(mc_vm *vm, mc_kind kind);
/* For handlers: the allocation failure of the current opcode. */
mc_status mc_vm_nomem(mc_vm *vm);
/* For handlers: check that g is a global that may be used as `use`
 * (MC_USE_*), and record the use.  Scan mode lets anything through. */
mc_status mc_vm_check_use(mc_vm *vm, const mc_value *g, unsigned use);

/* Most joblib object-array streams one stream may nest. */
enum { MC_MAX_NESTED_STREAMS = 8 };

#endif
