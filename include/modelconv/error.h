/* modelconv — errors.
 *
 * Every library call that can fail returns an mc_status and, when given a
 * non-NULL mc_error, fills it with where the failure happened and why.  The
 * library never prints, exits or aborts; the CLI turns an mc_error into one
 * line on stderr and an exit code (mc_status_exit_code).
 */
#ifndef MODELCONV_ERROR_H
#define MODELCONV_ERROR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mc_status {
    MC_OK = 0,
    MC_E_CHECK = 1,       /* a check found a problem (validate, scan)          */
    MC_E_USAGE = 2,       /* the caller asked for something invalid            */
    MC_E_INPUT = 3,       /* input unreadable, corrupt, hostile or unsupported */
    MC_E_IO = 4,          /* output or I/O failure                             */
    MC_E_NOMEM = 5        /* out of memory (reported with exit code 4)         */
} mc_status;

/* Where an error happened and what was expected.  Fixed-size so that filling it
 * never allocates; long texts are truncated. */
typedef struct mc_error {
    mc_status status;
    char file[1024];    /* the file being read or written, "" if none        */
    int64_t offset;     /* byte offset in that file (or its decompressed
                           stream, see offset_is_decompressed); -1 if none   */
    int offset_is_decompressed;
    char where[256];    /* a path inside the file (HDF5 path, ONNX node,
                           value path); "" if none                           */
    char message[768];  /* what was expected, what was found                 */
} mc_error;

/* Reset err to "no error" (status MC_OK, empty fields, offset -1). */
void mc_error_clear(mc_error *err);

/* Fill err (if non-NULL) and return status.  `offset` may be -1.  The file
 * and where fields are left as they are (set them with mc_error_set_file /
 * mc_error_set_where, usually by the outermost caller). */
mc_status mc_error_set(mc_error *err, mc_status status, int64_t offset,
                       const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* mc_error_set with a va_list. */
mc_status mc_error_vset(mc_error *err, mc_status status, int64_t offset, const char *fmt,
                        va_list ap);

void mc_error_set_file(mc_error *err, const char *file);
void mc_error_set_where(mc_error *err, const char *where);

/* One line: "FILE: byte N: MESSAGE" (parts that are empty are left out). */
void mc_error_format(const mc_error *err, char *buf, size_t bufsize);

/* The CLI exit code for a status: 0 ok, 1 check, 2 usage, 3 input, 4 I/O. */
int mc_status_exit_code(mc_status status);

#ifdef __cplusplus
}
#endif
#endif
