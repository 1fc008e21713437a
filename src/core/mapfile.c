#define _GNU_SOURCE
#include "core/mapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const uint8_t empty_file[1];

mc_status mc_mapfile_open(mc_mapfile *m, const char *path, mc_error *err)
{
    memset(m, 0, sizeof *m);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return mc_error_set(err, MC_E_INPUT, -1, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return mc_error_set(err, MC_E_INPUT, -1, "cannot stat: %s", strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return mc_error_set(err, MC_E_INPUT, -1, "not a regular file");
    }
    if (st.st_size == 0) {
        close(fd);
        m->data = empty_file;
        return MC_OK;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    int e = errno;
    close(fd);
    if (p == MAP_FAILED)
        return mc_error_set(err, MC_E_INPUT, -1, "cannot map: %s", strerror(e));
    madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
    m->data = p;
    m->size = (size_t)st.st_size;
    m->maplen = (size_t)st.st_size;
    return MC_OK;
}

void mc_mapfile_close(mc_mapfile *m)
{
    if (m->maplen)
        munmap((void *)m->data, m->maplen);
    memset(m, 0, sizeof *m);
}

static size_t page_round(size_t n)
{
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    return (n + pg - 1) / pg * pg;
}

mc_status mc_buffer_reserve(mc_buffer *b, size_t cap, mc_error *err)
{
    memset(b, 0, sizeof *b);
    if (cap == 0)
        cap = 1;
    cap = page_round(cap);
    void *p = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (p == MAP_FAILED)
        return mc_error_set(err, MC_E_NOMEM, -1, "cannot reserve %zu bytes: %s", cap,
                            strerror(errno));
    b->data = p;
    b->cap = cap;
    return MC_OK;
}

void mc_buffer_shrink(mc_buffer *b)
{
    size_t keep = page_round(b->len ? b->len : 1);
    if (keep < b->cap) {
        munmap(b->data + keep, b->cap - keep);
        b->cap = keep;
    }
}

void mc_buffer_free(mc_buffer *b)
{
    if (b->data)
        munmap(b->data, b->cap);
    memset(b, 0, sizeof *b);
}
