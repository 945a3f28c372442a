/*
 * peer.h - who is calling, as a key for the per-source limits (login rate,
 * failed-login back-off; SPEC 3.1, 5.3).  Not ip:port, which changes with
 * every connection:
 *   IPv4            "ip4:192.0.2.7"
 *   IPv6            "ip6:2001:db8:1:2::/64"  (a host gets a whole /64)
 *   IPv4-mapped v6  as IPv4
 *   ipc://          "uid:1000"  (the peer's user, from the kernel)
 *   unknown         "-"
 */
#ifndef PW_SERVER_RPC_PEER_H
#define PW_SERVER_RPC_PEER_H

#include <nng/nng.h>
#include <stddef.h>
#include <stdint.h>

/* The key of a peer at `sa`; `uid` is used for NNG_AF_IPC (-1: unknown). */
void pw_peer_key(const nng_sockaddr *sa, int64_t uid, char *buf, size_t len);
/* The key of the peer on pipe `p`. */
void pw_peer_key_of_pipe(nng_pipe p, char *buf, size_t len);

#endif
