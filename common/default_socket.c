/*
 * default_socket.c - see default_socket.h.
 */
#include "common/default_socket.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pw_default_socket_dir(char *buf, size_t len)
{
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    if (xdg && xdg[0] == '/') {
        if ((size_t)snprintf(buf, len, "%s/planwatch", xdg) >= len) {
            snprintf(buf, len, "no default socket: XDG_RUNTIME_DIR is too long");
            return -1;
        }
        return 0;
    }
    if (geteuid() == 0) {
        snprintf(buf, len, "/run/planwatch");
        return 0;
    }
    snprintf(buf, len, "no default socket: XDG_RUNTIME_DIR is not set");
    return -1;
}

int pw_default_server_url(char *buf, size_t len)
{
    char dir[4096];
    if (pw_default_socket_dir(dir, sizeof dir) != 0) {
        snprintf(buf, len, "%s", dir);
        return -1;
    }
    if ((size_t)snprintf(buf, len, "ipc://%s/planwatchd.sock", dir) >= len) {
        snprintf(buf, len, "no default socket: its path is too long");
        return -1;
    }
    return 0;
}

int pw_private_dir_make(const char *dir, char *err, size_t errlen)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    struct stat sb;
    if (lstat(dir, &sb) != 0) {
        snprintf(err, errlen, "cannot check %s: %s", dir, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(sb.st_mode)) {
        snprintf(err, errlen, "%s is not a directory", dir);
        return -1;
    }
    if (sb.st_uid != geteuid()) {
        snprintf(err, errlen, "%s belongs to uid %u, not to this user (%u)", dir,
                 (unsigned)sb.st_uid, (unsigned)geteuid());
        return -1;
    }
    if (sb.st_mode & 077) {
        snprintf(err, errlen, "%s is open to other users (mode %04o): make it 0700", dir,
                 (unsigned)(sb.st_mode & 07777));
        return -1;
    }
    return 0;
}
