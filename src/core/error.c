#include "modelconv/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void mc_error_clear(mc_error *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    err->offset = -1;
}

mc_status mc_error_vset(mc_error *err, mc_status status, int64_t offset, const char *fmt,
                        va_list ap)
{
    if (!err)
        return status;
    err->status = status;
    err->offset = offset;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return status;
}

mc_status mc_error_set(mc_error *err, mc_status status, int64_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mc_status st = mc_error_vset(err, status, offset, fmt, ap);
    va_end(ap);
    return st;
}

void mc_error_set_file(mc_error *err, const char *file)
{
    if (err && file)
        snprintf(err->file, sizeof err->file, "%s", file);
}

void mc_error_set_where(mc_error *err, const char *where)
{
    if (err && where)
        snprintf(err->where, sizeof err->where, "%s", where);
}

void mc_error_format(const mc_error *err, char *buf, size_t bufsize)
{
    size_t n = 0;
    buf[0] = '\0';
#define APPEND(...)                                                          \
    do {                                                                     \
        if (n < bufsize) {                                                   \
            int k = snprintf(buf + n, bufsize - n, __VA_ARGS__);             \
            if (k > 0)                                                       \
                n += (size_t)k;                                              \
        }                                                                    \
    } while (0)
    if (err->file[0])
        APPEND("%s: ", err->file);
    if (err->offset >= 0)
        APPEND("%sbyte %lld: ", err->offset_is_decompressed ? "decompressed " : "",
               (long long)err->offset);
    if (err->where[0])
        APPEND("%s: ", err->where);
    APPEND("%s", err->message[0] ? err->message : "unknown error");
#undef APPEND
    /* One line, whatever the message held. */
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

int mc_status_exit_code(mc_status status)
{
    switch (status) {
    case MC_OK: return 0;
    case MC_E_CHECK: return 1;
    case MC_E_USAGE: return 2;
    case MC_E_INPUT: return 3;
    case MC_E_IO:
    case MC_E_NOMEM: return 4;
    }
    return 4;
}
