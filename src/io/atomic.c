#define _GNU_SOURCE
#include "io/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int mc_temp_beside(const char *path, char *tmp, size_t size)
{
    for (unsigned n = 0; n < 1000; n++) {
        if ((size_t)snprintf(tmp, size, "%s.tmp-%ld-%u", path, (long)getpid(), n) >= size) {
            errno = ENAMETOOLONG;
            return -1;
        }
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

mc_status mc_atomic_open(mc_atomic_file *af, const char *path, mc_error *err)
{
    memset(af, 0, sizeof *af);
    if ((size_t)snprintf(af->target, sizeof af->target, "%s", path) >= sizeof af->target) {
        mc_error_set_file(err, path);
        return mc_error_set(err, MC_E_IO, -1, "path too long");
    }
    int fd = mc_temp_beside(path, af->tmp, sizeof af->tmp);
    if (fd < 0) {
        af->tmp[0] = '\0';
        mc_error_set_file(err, path);
        return mc_error_set(err, MC_E_IO, -1, "cannot create a file beside it: %s",
                            strerror(errno));
    }
    af->f = fdopen(fd, "wb");
    if (!af->f) {
        close(fd);
        unlink(af->tmp);
        mc_error_set_file(err, path);
        return mc_error_set(err, MC_E_IO, -1, "cannot open: %s", strerror(errno));
    }
    return MC_OK;
}

mc_status mc_atomic_commit(mc_atomic_file *af, mc_error *err)
{
    int failed = ferror(af->f) || fflush(af->f) != 0 || fsync(fileno(af->f)) != 0;
    int e = errno;
    failed |= fclose(af->f) != 0;
    af->f = NULL;
    if (!failed && rename(af->tmp, af->target) == 0)
        return MC_OK;
    if (failed == 0)
        e = errno;
    unlink(af->tmp);
    mc_error_set_file(err, af->target);
    return mc_error_set(err, MC_E_IO, -1, "cannot write: %s", strerror(e));
}

void mc_atomic_abort(mc_atomic_file *af)
{
    if (af->f)
        fclose(af->f);
    af->f = NULL;
    if (af->tmp[0])
        unlink(af->tmp);
}
