/*
 * default_socket.h - where planwatchd listens and the clients dial when no
 * address is given (SPEC 5.3: the default socket lives in a private
 * directory, never in a world-writable one such as /tmp where anybody
 * could plant a fake server):
 *   $XDG_RUNTIME_DIR/planwatch/planwatchd.sock when XDG_RUNTIME_DIR is set,
 *   else /run/planwatch/planwatchd.sock for root (a system service),
 *   else none: give an address.
 * The server creates the directory 0700 and refuses one that others can
 * enter or that belongs to another user.
 */
#ifndef PW_COMMON_DEFAULT_SOCKET_H
#define PW_COMMON_DEFAULT_SOCKET_H

#include <stddef.h>

/* The directory; 0, or -1 when there is none (not root and no
 * XDG_RUNTIME_DIR) with `buf` holding the reason. */
int pw_default_socket_dir(char *buf, size_t len);
/* "ipc://DIR/planwatchd.sock"; 0 or -1 as above. */
int pw_default_server_url(char *buf, size_t len);
/* Create `dir` 0700 if missing; check that it is a directory (not a link)
 * of this user that nobody else can enter.  0, or -1 with `err`. */
int pw_private_dir_make(const char *dir, char *err, size_t errlen);

#endif
