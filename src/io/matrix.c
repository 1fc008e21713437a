/* Prediction inputs and outputs as .npy and .csv files (io/matrix.h). */
#include "io/matrix.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/mapfile.h"
#include "core/sizes.h"
#include "io/atomic.h"
#include "io/npy.h"

void mc_matrix_free(mc_matrix *m)
{
    free(m->data);
    memset(m, 0, sizeof *m);
}

static mc_status alloc_matrix(mc_matrix *out, uint64_t rows, uint64_t cols, mc_error *err)
{
    uint64_t n, bytes;
    if (mc_mul_u64(rows, cols, &n) || mc_mul_u64(n, sizeof(double), &bytes) || bytes > SIZE_MAX)
        return mc_error_set(err, MC_E_INPUT, -1, "a %llu x %llu matrix is too large",
                            (unsigned long long)rows, (unsigned long long)cols);
    out->data = malloc(bytes ? (size_t)bytes : 1);
    if (!out->data)
        return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
    out->rows = rows;
    out->cols = cols;
    return MC_OK;
}

static mc_status read_npy(const uint8_t *bytes, size_t len, mc_matrix *out, mc_error *err)
{
    mc_arena arena;
    mc_arena_init(&arena, 1 << 20);
    mc_npy_header h;
    mc_status st = mc_npy_parse(bytes, len, &arena, &h, err);
    if (!st && h.ndim != 2)
        st = mc_error_set(err, MC_E_INPUT, -1,
                          "expected a 2-d array (rows x features), found %u dimensions", h.ndim);
    if (!st && (h.has_object || !mc_dtype_is_plain_number(h.dtype)))
        st = mc_error_set(err, MC_E_INPUT, -1, "expected a numeric array (float32 or float64)");
    if (!st)
        st = alloc_matrix(out, (uint64_t)h.shape[0], (uint64_t)h.shape[1], err);
    if (!st) {
        mc_ndarray a = {0};
        a.dtype = h.dtype;
        a.count = h.count;
        a.data = bytes + h.data_offset;
        for (uint64_t r = 0; r < out->rows; r++)
            for (uint64_t c = 0; c < out->cols; c++) {
                /* Fortran order stores columns one after another */
                uint64_t at = h.fortran_order ? c * out->rows + r : r * out->cols + c;
                mc_array_get_f64(&a, at, &out->data[r * out->cols + c]);
            }
    }
    mc_arena_free(&arena);
    return st;
}

/* One CSV field as a number: empty, "nan", "NaN" are NaN; "inf" too. */
static int parse_field(const char *s, size_t n, double *out)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
        s++, n -= 2;
    if (n == 0) {
        *out = NAN;
        return 0;
    }
    char buf[128];
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    *out = strtod(buf, &end);
    /* all of it: a NUL byte inside a field is not where the number ends */
    return end == buf + n ? 0 : -1;
}

static mc_status read_csv(const uint8_t *bytes, size_t len, mc_matrix *out, mc_error *err)
{
    /* first pass: count rows and columns; the first line is a header when
     * any of its fields is not a number */
    uint64_t cols = 0, rows = 0;
    size_t pos = 0, data_start = 0;
    int first = 1;
    while (pos < len) {
        const uint8_t *nl = memchr(bytes + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - bytes) : len;
        size_t ln = end - pos;
        if (ln && bytes[pos + ln - 1] == '\r')
            ln--;
        if (ln > 0) {
            uint64_t fields = 1;
            int numeric = 1;
            size_t f0 = pos;
            for (size_t i = pos; i <= pos + ln; i++) {
                if (i == pos + ln || bytes[i] == ',') {
                    double d;
                    numeric &= parse_field((const char *)bytes + f0, i - f0, &d) == 0;
                    f0 = i + 1;
                    fields += i < pos + ln;
                }
            }
            if (first && !numeric) {
                data_start = end + 1;
            } else {
                if (cols && fields != cols)
                    return mc_error_set(err, MC_E_INPUT, (int64_t)pos,
                                        "row %llu has %llu fields, the first row has %llu",
                                        (unsigned long long)rows + 1,
                                        (unsigned long long)fields, (unsigned long long)cols);
                cols = fields;
                rows++;
            }
            first = 0;
        }
        pos = end + 1;
    }
    if (rows == 0)
        return mc_error_set(err, MC_E_INPUT, 0, "no data rows");
    mc_status st = alloc_matrix(out, rows, cols, err);
    if (st)
        return st;
    uint64_t r = 0;
    for (pos = data_start; pos < len && r < rows;) {
        const uint8_t *nl = memchr(bytes + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - bytes) : len;
        size_t ln = end - pos;
        if (ln && bytes[pos + ln - 1] == '\r')
            ln--;
        if (ln > 0) {
            size_t f0 = pos;
            uint64_t c = 0;
            for (size_t i = pos; i <= pos + ln; i++) {
                if (i == pos + ln || bytes[i] == ',') {
                    if (parse_field((const char *)bytes + f0, i - f0, &out->data[r * cols + c])) {
                        mc_matrix_free(out);
                        return mc_error_set(err, MC_E_INPUT, (int64_t)f0,
                                            "row %llu, column %llu is not a number",
                                            (unsigned long long)r + 1, (unsigned long long)c + 1);
                    }
                    c++;
                    f0 = i + 1;
                }
            }
            r++;
        }
        pos = end + 1;
    }
    return MC_OK;
}

mc_status mc_matrix_read(const char *path, mc_matrix *out, mc_error *err)
{
    memset(out, 0, sizeof *out);
    mc_mapfile m;
    mc_status st = mc_mapfile_open(&m, path, err);
    if (!st) {
        if (m.size >= 6 && memcmp(m.data, "\x93NUMPY", 6) == 0)
            st = read_npy(m.data, m.size, out, err);
        else
            st = read_csv(m.data, m.size, out, err);
        mc_mapfile_close(&m);
    }
    if (st)
        mc_error_set_file(err, path);
    return st;
}

/* ---- output -------------------------------------------------------------- */

static void write_number(FILE *f, mc_elem elem, const void *data, uint64_t i)
{
    if (elem == MC_ELEM_I64) {
        fprintf(f, "%lld", (long long)((const int64_t *)data)[i]);
        return;
    }
    double d = ((const double *)data)[i];
    if (isnan(d)) {
        fputs("nan", f);
        return;
    }
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    fputs(buf, f);
}

static void write_text(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

mc_status mc_outputs_write_csv(FILE *f, const mc_outputs *o, mc_error *err)
{
    uint64_t rows = o->n ? (uint64_t)o->parts[0].shape[0] : 0;
    for (uint64_t r = 0; r < rows; r++) {
        int first = 1;
        for (uint32_t p = 0; p < o->n; p++) {
            const mc_output *part = &o->parts[p];
            uint64_t cols = part->ndim == 2 ? (uint64_t)part->shape[1] : 1;
            for (uint64_t c = 0; c < cols; c++) {
                if (!first)
                    fputc(',', f);
                first = 0;
                uint64_t i = r * cols + c;
                if (part->elem == MC_ELEM_STR)
                    write_text(f, ((const char *const *)part->data)[i]);
                else
                    write_number(f, part->elem, part->data, i);
            }
        }
        fputc('\n', f);
    }
    if (ferror(f))
        return mc_error_set(err, MC_E_IO, -1, "cannot write the output");
    return MC_OK;
}

/* UTF-8 to UCS-4 code points; returns the count. */
static size_t utf8_decode(const char *s, uint32_t *out, size_t cap)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && n < cap) {
        uint32_t cp;
        int len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : 4;
        cp = len == 1 ? *p : len == 2 ? *p & 0x1f : len == 3 ? *p & 0x0f : *p & 0x07;
        for (int k = 1; k < len && p[k]; k++)
            cp = cp << 6 | (p[k] & 0x3f);
        for (int k = 0; k < len && *p; k++)
            p++;
        if (out)
            out[n] = cp;
        n++;
    }
    return n;
}

static mc_status write_part_npy(const char *path, const mc_output *part, mc_error *err)
{
    uint64_t count = (uint64_t)part->shape[0] * (part->ndim == 2 ? (uint64_t)part->shape[1] : 1);
    const void *data = part->data;
    size_t nbytes = count * 8;
    char descr[32];
    uint32_t *ucs = NULL;
    if (part->elem == MC_ELEM_STR) {
        /* numpy unicode: every label padded to the longest, UCS-4 LE */
        size_t width = 1;
        for (uint64_t i = 0; i < count; i++) {
            size_t w = utf8_decode(((const char *const *)part->data)[i], NULL, SIZE_MAX);
            if (w > width)
                width = w;
        }
        ucs = calloc(count * width + 1, sizeof *ucs);
        if (!ucs)
            return mc_error_set(err, MC_E_NOMEM, -1, "out of memory");
        for (uint64_t i = 0; i < count; i++)
            utf8_decode(((const char *const *)part->data)[i], ucs + i * width, width);
        snprintf(descr, sizeof descr, "<U%zu", width);
        data = ucs;
        nbytes = count * width * 4;
    } else {
        snprintf(descr, sizeof descr, "%s", part->elem == MC_ELEM_I64 ? "<i8" : "<f8");
    }
    mc_atomic_file af;
    mc_status st = mc_atomic_open(&af, path, err);
    if (!st) {
        st = mc_npy_write(af.f, descr, part->shape, part->ndim, data, nbytes, err);
        if (st)
            mc_atomic_abort(&af);
        else
            st = mc_atomic_commit(&af, err);
    }
    free(ucs);
    return st;
}

mc_status mc_outputs_write_npy(const char *path, const mc_outputs *o, mc_error *err)
{
    if (o->n == 1)
        return write_part_npy(path, &o->parts[0], err);
    size_t len = strlen(path);
    const char *ext = len >= 4 && strcmp(path + len - 4, ".npy") == 0 ? path + len - 4 : path + len;
    for (uint32_t p = 0; p < o->n; p++) {
        char name[4096];
        snprintf(name, sizeof name, "%.*s.%u%s", (int)(ext - path), path, p, ext);
        mc_status st = write_part_npy(name, &o->parts[p], err);
        if (st)
            return st;
    }
    return MC_OK;
}
