/* Writing a file so that it appears whole or not at all: a temporary file
 * in the target's folder, renamed over the target on success.  A failed
 * write leaves nothing behind. */
#ifndef MC_IO_ATOMIC_H
#define MC_IO_ATOMIC_H

#include <stdio.h>

#include "modelconv/error.h"

typedef struct mc_atomic_file {
    FILE *f;
    char tmp[4096];
    char target[4096];
} mc_atomic_file;

/* Create a new empty file beside `path` named `path`.tmp-<pid>-<n>, with
 * the permissions a plain create gets (0666 less the umask, unlike
 * mkstemp's 0600); its name goes to tmp.  Returns an open descriptor, or -1
 * with errno set. */
int mc_temp_beside(const char *path, char *tmp, size_t size);

/* Open a temporary file beside `path`.  Errors: MC_E_IO. */
mc_status mc_atomic_open(mc_atomic_file *af, const char *path, mc_error *err);
/* Flush, close and rename over the target.  On failure the temporary file
 * is removed.  Errors: MC_E_IO. */
mc_status mc_atomic_commit(mc_atomic_file *af, mc_error *err);
/* Close and remove the temporary file. */
void mc_atomic_abort(mc_atomic_file *af);

#endif
