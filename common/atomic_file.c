/*
 * atomic_file.c - mkstemp / mkdtemp in the target's directory, fsync,
 * rename (see atomic_file.h).
 */
#include "common/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "<dir of path>/.<base of path>.<suffix>" in a malloc'd buffer, or NULL. */
static char *pw_atomic_temp_name(const char *path, const char *suffix)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    size_t n = dirlen + 1 + strlen(base) + 1 + strlen(suffix) + 1;
    char *t = malloc(n);
    if (!t)
        return NULL;
    snprintf(t, n, "%.*s.%s.%s", (int)dirlen, path, base, suffix);
    return t;
}

static mode_t pw_atomic_mode(mode_t mode)
{
    mode_t um = umask(0);
    umask(um);
    return mode & ~um & 07777;
}

/* fsync the directory holding path so that the rename itself is durable;
 * best effort (some file systems refuse it). */
static void pw_atomic_sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

/* The template PATH.XXXXXX for mkstemp / mkdtemp (malloc'd); NULL with err
 * set when there is no path (or `no_data`) or no memory. */
static char *pw_atomic_template(const char *path, int no_data, char *err, size_t errlen)
{
    if (!path || !*path || no_data) {
        snprintf(err, errlen, "cannot write %s: no file name", path ? path : "(null)");
        return NULL;
    }
    char *tmp = pw_atomic_temp_name(path, "XXXXXX");
    if (!tmp)
        snprintf(err, errlen, "cannot write %s: out of memory", path);
    return tmp;
}

int pw_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode, char *err,
                         size_t errlen)
{
    char *tmp = pw_atomic_template(path, len > 0 && !data, err, errlen);
    if (!tmp)
        return -1;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    int saved = 0;
    const char *p = data;
    size_t left = len;
    while (left > 0 && !saved) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            saved = w < 0 ? errno : EIO;
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (!saved && fchmod(fd, pw_atomic_mode(mode)) != 0)
        saved = errno;
    if (!saved && fsync(fd) != 0)
        saved = errno;
    if (close(fd) != 0 && !saved)
        saved = errno;
    if (!saved && rename(tmp, path) != 0)
        saved = errno;
    if (saved) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(saved));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    pw_atomic_sync_dir(path);
    return 0;
}

int pw_file_write_atomic_with(const char *path, mode_t mode, pw_file_producer produce, void *arg,
                              char *err, size_t errlen)
{
    char *dir = pw_atomic_template(path, 0, err, errlen);
    if (!dir)
        return -1;
    if (!mkdtemp(dir)) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        free(dir);
        return -1;
    }
    size_t n = strlen(dir) + sizeof "/file";
    char *file = malloc(n);
    int rc = -1;
    if (!file) {
        snprintf(err, errlen, "cannot write %s: out of memory", path);
    } else {
        snprintf(file, n, "%s/file", dir);
        if (produce(file, arg, err, errlen) == 0) {
            int fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
            int saved = fd < 0 ? errno : 0;
            if (!saved && fchmod(fd, pw_atomic_mode(mode)) != 0)
                saved = errno;
            if (!saved && fsync(fd) != 0)
                saved = errno;
            if (fd >= 0)
                close(fd);
            if (!saved && rename(file, path) != 0)
                saved = errno;
            if (saved)
                snprintf(err, errlen, "cannot write %s: %s", path, strerror(saved));
            else
                rc = 0;
        }
        unlink(file);
        free(file);
    }
    rmdir(dir);
    free(dir);
    if (rc == 0)
        pw_atomic_sync_dir(path);
    return rc;
}
