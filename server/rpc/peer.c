/*
 * peer.c - see peer.h.
 */
#include "server/rpc/peer.h"

#include <stdio.h>
#include <string.h>

void pw_peer_key(const nng_sockaddr *sa, int64_t uid, char *buf, size_t len)
{
    snprintf(buf, len, "-");
    if (sa->s_family == NNG_AF_INET) {
        const uint8_t *a = (const uint8_t *)&sa->s_in.sa_addr;
        snprintf(buf, len, "ip4:%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    } else if (sa->s_family == NNG_AF_INET6) {
        const uint8_t *a = sa->s_in6.sa_addr;
        static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (memcmp(a, mapped, sizeof mapped) == 0)
            snprintf(buf, len, "ip4:%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
        else
            snprintf(buf, len, "ip6:%x:%x:%x:%x::/64", a[0] << 8 | a[1], a[2] << 8 | a[3],
                     a[4] << 8 | a[5], a[6] << 8 | a[7]);
    } else if (sa->s_family == NNG_AF_IPC) {
        if (uid >= 0)
            snprintf(buf, len, "uid:%lld", (long long)uid);
        else
            snprintf(buf, len, "ipc");
    }
}

void pw_peer_key_of_pipe(nng_pipe p, char *buf, size_t len)
{
    nng_sockaddr sa;
    if (nng_pipe_get_addr(p, NNG_OPT_REMADDR, &sa) != 0) {
        snprintf(buf, len, "-");
        return;
    }
    int64_t uid = -1;
    uint64_t u;
    if (sa.s_family == NNG_AF_IPC && nng_pipe_get_uint64(p, NNG_OPT_IPC_PEER_UID, &u) == 0)
        uid = (int64_t)u;
    pw_peer_key(&sa, uid, buf, len);
}
