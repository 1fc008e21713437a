/* Read-only views of whole files, and large anonymous buffers.
 *
 * A file is memory-mapped so big array payloads can be used where they lie
 * (zero copy).  Buffers for decompressed streams are anonymous mappings:
 * they can reserve the largest allowed output up front, are filled once, and
 * then give the unused tail back (mc_buffer_shrink). */
#ifndef MC_CORE_MAPFILE_H
#define MC_CORE_MAPFILE_H

#include <stddef.h>
#include <stdint.h>

#include "modelconv/error.h"

typedef struct mc_mapfile {
    const uint8_t *data;
    size_t size;
    size_t maplen;          /* 0 when nothing is mapped (empty file) */
} mc_mapfile;

/* Map `path` read-only.  An empty file gives data pointing at a static
 * empty buffer and size 0.  Errors: MC_E_INPUT (cannot open/read). */
mc_status mc_mapfile_open(mc_mapfile *m, const char *path, mc_error *err);
void mc_mapfile_close(mc_mapfile *m);

typedef struct mc_buffer {
    uint8_t *data;
    size_t len;             /* bytes filled                          */
    size_t cap;             /* bytes reserved                        */
} mc_buffer;

/* Reserve cap bytes of address space (pages are only backed when written).
 * Returns MC_E_NOMEM on failure. */
mc_status mc_buffer_reserve(mc_buffer *b, size_t cap, mc_error *err);
/* Release the reserved space beyond len. */
void mc_buffer_shrink(mc_buffer *b);
void mc_buffer_free(mc_buffer *b);

#endif
