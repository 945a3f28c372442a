/*
 * sp_stall - a hostile SP/TCP REQ peer for tests/e2e/test_stall.sh: it
 * speaks the SP wire protocol by hand (8-byte handshake, then messages as a
 * 64-bit big-endian length, a 32-bit request id with the top bit set and
 * the body), pipelines COUNT requests with distinct ids and never reads a
 * reply.  Its receive buffer is made tiny so that the server's replies back
 * up at once.  When the server drops the connection it dials again, so one
 * stalled peer stays connected until the tool is killed.
 *
 *   sp_stall HOST PORT COUNT
 *
 * Prints one line per connection to stderr: "connection N: sent K requests,
 * closed by the server" (or "... holding" when all COUNT went out).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int sp_connect(const char *host, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    int small = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1 ||
        connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    /* SP header: 0, 'S', 'P', version 0, protocol REQ0 (0x30), reserved */
    static const uint8_t hello[8] = {0, 'S', 'P', 0, 0x00, 0x30, 0, 0};
    uint8_t peer[8];
    if (write(fd, hello, sizeof hello) != (ssize_t)sizeof hello ||
        recv(fd, peer, sizeof peer, MSG_WAITALL) != (ssize_t)sizeof peer || peer[1] != 'S' ||
        peer[5] != 0x31 /* REP0 */) {
        close(fd);
        return -1;
    }
    return fd;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: sp_stall HOST PORT COUNT\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    int port = atoi(argv[2]);
    long count = atol(argv[3]);
    /* a batch of requests per write: [len 8][id 4][body "x"] */
    enum { PER = 8 + 4 + 1, BATCH = 256 };
    uint8_t buf[PER * BATCH];
    uint32_t next_id = 1;
    for (int conn = 1;; conn++) {
        int fd = sp_connect(argv[1], port);
        if (fd < 0) {
            usleep(100000);
            continue;
        }
        long sent = 0;
        int closed = 0;
        while (sent < count && !closed) {
            int n = count - sent < BATCH ? (int)(count - sent) : BATCH;
            for (int i = 0; i < n; i++) {
                uint8_t *m = buf + (size_t)i * PER;
                memset(m, 0, 8);
                m[7] = 5; /* 4 bytes of request id + 1 of body */
                uint32_t id = 0x80000000u | (next_id++ & 0x7fffffffu);
                m[8] = (uint8_t)(id >> 24);
                m[9] = (uint8_t)(id >> 16);
                m[10] = (uint8_t)(id >> 8);
                m[11] = (uint8_t)id;
                m[12] = 'x';
            }
            if (write_all(fd, buf, (size_t)n * PER) != 0)
                closed = 1;
            else
                sent += n;
        }
        if (!closed) {
            fprintf(stderr, "connection %d: sent %ld requests, holding\n", conn, sent);
            /* hold the connection without reading until it is closed */
            struct pollfd pfd = {.fd = fd, .events = POLLRDHUP};
            while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
                ;
        }
        fprintf(stderr, "connection %d: sent %ld requests, closed by the server\n", conn, sent);
        close(fd);
    }
}
