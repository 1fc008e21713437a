/* The table of file formats: each reads into and/or writes from the neutral
 * model; readers bid on a file's first bytes (the libarchive shape). */
#define _GNU_SOURCE
#include "modelconv/formats.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hdf5/hdf5.h"
#include "io/atomic.h"

typedef struct mc_format {
    const char *name;
    const char *extensions;     /* space-separated, with dots */
    /* 0..100: how sure the format is that these first bytes are its own */
    int (*bid)(const uint8_t *head, size_t n);
    mc_status (*read)(const char *path, mc_load_purpose purpose, mc_model **out, mc_error *err);
    mc_status (*write)(const mc_model *m, const char *path, const mc_save_options *o,
                       mc_error *err);
} mc_format;

/* pickle and joblib files have no magic of their own: their reader takes
 * whatever no other format claims, and detects its containers itself */
static int pickle_bid(const uint8_t *head, size_t n)
{
    (void)head;
    (void)n;
    return 1;
}

/* the pickle mapper builds every tensor: they cost little next to reading */
static mc_status pickle_read(const char *path, mc_load_purpose purpose, mc_model **out,
                             mc_error *err)
{
    (void)purpose;
    mc_document *doc;
    mc_status st = mc_read_file(path, NULL, &doc, err);
    if (st) {
        *out = NULL;
        return st;
    }
    return mc_model_from_document(doc, out, err);
}

static const mc_format formats[] = {
    {"pickle", ".pkl .pickle", pickle_bid, pickle_read, NULL},
    {"joblib", ".joblib", NULL, NULL, NULL},
    {"hdf5", ".h5 .hdf5", mc_hdf5_bid, mc_hdf5_read, mc_hdf5_write},
    {"onnx", ".onnx", NULL, NULL, NULL},
};

static const mc_format *by_name(const char *name)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(formats[i].name, name) == 0)
            return &formats[i];
    return NULL;
}

const char *mc_format_writer_at(size_t i)
{
    for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++)
        if (formats[k].write && i-- == 0)
            return formats[k].name;
    return NULL;
}

void mc_save_options_init(mc_save_options *o)
{
    memset(o, 0, sizeof *o);
    o->compress_level = 4;
}

const char *mc_format_for_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return NULL;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        const char *e = formats[i].extensions;
        size_t n = strlen(dot);
        for (const char *p = e; (p = strstr(p, dot)); p += n)
            if ((p[n] == ' ' || p[n] == '\0') && (p == e || p[-1] == ' '))
                return formats[i].name;
    }
    return NULL;
}

static const mc_format *best_bid(const uint8_t *head, size_t n)
{
    const mc_format *best = NULL;
    int best_bid_value = 0;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        int b = formats[i].bid ? formats[i].bid(head, n) : 0;
        if (b > best_bid_value) {
            best = &formats[i];
            best_bid_value = b;
        }
    }
    return best;
}

const char *mc_format_of_content(const uint8_t *head, size_t n)
{
    const mc_format *f = best_bid(head, n);
    return f ? f->name : NULL;
}

mc_status mc_model_load(const char *path, mc_model **out, mc_error *err)
{
    return mc_model_load_for(path, MC_LOAD_ALL, out, err);
}

mc_status mc_model_load_for(const char *path, mc_load_purpose purpose, mc_model **out,
                            mc_error *err)
{
    *out = NULL;
    mc_error_clear(err);
    uint8_t head[65536]; /* HDF5 may sit after a userblock of up to 32 KiB */
    ssize_t n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        n = read(fd, head, sizeof head);
        close(fd);
    }
    if (fd < 0 || n < 0) {
        mc_error_set_file(err, path);
        return mc_error_set(err, MC_E_INPUT, -1, "cannot open: %s", strerror(errno));
    }
    return best_bid(head, (size_t)n)->read(path, purpose, out, err);
}

mc_status mc_model_save(const mc_model *m, const char *path, const char *format,
                        const mc_save_options *o, mc_error *err)
{
    mc_error_clear(err);
    mc_error_set_file(err, path);
    mc_save_options defaults;
    if (!o) {
        mc_save_options_init(&defaults);
        o = &defaults;
    }
    if (!format)
        format = mc_format_for_path(path);
    if (!format)
        return mc_error_set(err, MC_E_USAGE, -1,
                            "cannot tell the format from the name; use .h5, .pkl, .joblib or "
                            ".onnx (or --to)");
    const mc_format *f = by_name(format);
    if (!f)
        return mc_error_set(err, MC_E_USAGE, -1, "unknown format '%s'", format);
    if (m->partial)
        return mc_error_set(err, MC_E_USAGE, -1,
                            "the model was loaded for prediction only; load all of it to save it");
    if (!f->write)
        return mc_error_set(err, MC_E_USAGE, -1, "writing %s files is not supported yet", format);
    /* reserve a temporary name beside the target; the writer fills it */
    char tmp[4096];
    int fd = mc_temp_beside(path, tmp, sizeof tmp);
    if (fd < 0)
        return mc_error_set(err, MC_E_IO, -1, "cannot create a file beside it: %s",
                            strerror(errno));
    close(fd);
    mc_status st = f->write(m, tmp, o, err);
    if (!st && rename(tmp, path) != 0)
        st = mc_error_set(err, MC_E_IO, -1, "cannot rename the finished file into place: %s",
                          strerror(errno));
    if (st)
        unlink(tmp);
    if (st && err)
        mc_error_set_file(err, path);
    return st;
}
