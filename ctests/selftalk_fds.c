/*
 * A connection's descriptors and I/O buffers as s2n.h sets and reports
 * them, over real handshakes:
 *   - separate read and write descriptors (a pipe each way), and
 *     s2n_connection_get_read_fd / s2n_connection_get_write_fd before and
 *     after they are set;
 *   - corked I/O (s2n_connection_use_corked_io) on TCP loopback, and its
 *     refusal on custom I/O;
 *   - receive buffering: s2n_peek reports the current record's plaintext,
 *     s2n_peek_buffered the records read beyond it;
 *   - dynamic buffers (s2n_connection_set_dynamic_buffers).
 * Every expectation is s2n-tls's behaviour; the program also runs against it.
 */
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "harness/selftalk.h"

#define POLICY "default_tls13"

static struct s2n_cert_chain_and_key *chain;
static struct s2n_config *server_config, *client_config;

static void nonblocking(int fd)
{
    EXPECT(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0);
}

static void handshake_and_data(struct s2n_connection *client, struct s2n_connection *server)
{
    EXPECT_HANDSHAKE_OK(client, server);
    const uint8_t ping[] = "ping", pong[] = "pong";
    EXPECT(s2nrs_transfer(client, server, ping, sizeof(ping)));
    EXPECT(s2nrs_transfer(server, client, pong, sizeof(pong)));
}

static void separate_fds(void)
{
    printf("== a pipe each way\n");
    int to_client[2], to_server[2];
    EXPECT(pipe(to_client) == 0 && pipe(to_server) == 0);
    for (int i = 0; i < 2; i++) {
        nonblocking(to_client[i]);
        nonblocking(to_server[i]);
    }
    struct s2n_connection *client = s2n_connection_new(S2N_CLIENT);
    struct s2n_connection *server = s2n_connection_new(S2N_SERVER);
    int fd = 99;
    /* Before they are set: s2n has no descriptor to report. */
    EXPECT_FAILURE(s2n_connection_get_read_fd(client, &fd));
    EXPECT_ERR(s2n_errno, S2NRS_E_INVALID_STATE);
    EXPECT_FAILURE(s2n_connection_get_write_fd(client, &fd));
    EXPECT_ERR(s2n_errno, S2NRS_E_INVALID_STATE);
    EXPECT_FAILURE(s2n_connection_get_read_fd(client, NULL));

    EXPECT_SUCCESS(s2n_connection_set_config(client, client_config));
    EXPECT_SUCCESS(s2n_connection_set_config(server, server_config));
    EXPECT_SUCCESS(s2n_set_server_name(client, "localhost"));
    EXPECT_SUCCESS(s2n_connection_set_read_fd(client, to_client[0]));
    EXPECT_SUCCESS(s2n_connection_set_write_fd(client, to_server[1]));
    EXPECT_SUCCESS(s2n_connection_set_read_fd(server, to_server[0]));
    EXPECT_SUCCESS(s2n_connection_set_write_fd(server, to_client[1]));
    EXPECT_SUCCESS(s2n_connection_get_read_fd(client, &fd));
    EXPECT_EQ_INT(fd, to_client[0]);
    EXPECT_SUCCESS(s2n_connection_get_write_fd(client, &fd));
    EXPECT_EQ_INT(fd, to_server[1]);
    EXPECT_SUCCESS(s2n_connection_get_read_fd(server, &fd));
    EXPECT_EQ_INT(fd, to_server[0]);
    /* A read fd alone leaves the write side unset. */
    struct s2n_connection *half = s2n_connection_new(S2N_CLIENT);
    EXPECT_SUCCESS(s2n_connection_set_read_fd(half, to_client[0]));
    EXPECT_FAILURE(s2n_connection_get_write_fd(half, &fd));
    EXPECT_SUCCESS(s2n_connection_free(half));

    handshake_and_data(client, server);
    EXPECT_SUCCESS(s2n_connection_free(client));
    EXPECT_SUCCESS(s2n_connection_free(server));
    for (int i = 0; i < 2; i++) {
        close(to_client[i]);
        close(to_server[i]);
    }
}

/* A connected pair of nonblocking TCP sockets on 127.0.0.1. */
static bool tcp_pair(int fds[2])
{
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(addr);
    if (lfd < 0 || bind(lfd, (struct sockaddr *) &addr, sizeof(addr)) != 0 || listen(lfd, 1) != 0
            || getsockname(lfd, (struct sockaddr *) &addr, &len) != 0) {
        return false;
    }
    fds[0] = socket(AF_INET, SOCK_STREAM, 0);
    bool ok = fds[0] >= 0 && connect(fds[0], (struct sockaddr *) &addr, sizeof(addr)) == 0;
    fds[1] = ok ? accept(lfd, NULL, NULL) : -1;
    close(lfd);
    if (!ok || fds[1] < 0) {
        return false;
    }
    nonblocking(fds[0]);
    nonblocking(fds[1]);
    return true;
}

static int null_send(void *ctx, const uint8_t *buf, uint32_t len)
{
    (void) ctx;
    (void) buf;
    return (int) len;
}

static void corked(void)
{
    printf("== corked I/O on TCP\n");
    int fds[2];
    EXPECT(tcp_pair(fds));
    struct s2n_connection *client = s2n_connection_new(S2N_CLIENT);
    struct s2n_connection *server = s2n_connection_new(S2N_SERVER);
    EXPECT_SUCCESS(s2n_connection_set_config(client, client_config));
    EXPECT_SUCCESS(s2n_connection_set_config(server, server_config));
    EXPECT_SUCCESS(s2n_set_server_name(client, "localhost"));
    EXPECT_SUCCESS(s2n_connection_set_fd(client, fds[0]));
    EXPECT_SUCCESS(s2n_connection_set_fd(server, fds[1]));
    EXPECT_SUCCESS(s2n_connection_use_corked_io(client));
    EXPECT_SUCCESS(s2n_connection_use_corked_io(server));
    handshake_and_data(client, server);
    /* The socket is left uncorked between calls. */
    int cork = -1;
    socklen_t len = sizeof(cork);
    EXPECT(getsockopt(fds[1], IPPROTO_TCP, TCP_CORK, &cork, &len) == 0);
    EXPECT_EQ_INT(cork, 0);
    EXPECT_SUCCESS(s2n_connection_free(client));
    EXPECT_SUCCESS(s2n_connection_free(server));
    close(fds[0]);
    close(fds[1]);

    /* Custom send I/O: s2n has no socket to cork. */
    struct s2n_connection *custom = s2n_connection_new(S2N_CLIENT);
    EXPECT_SUCCESS(s2n_connection_set_send_cb(custom, null_send));
    EXPECT_FAILURE(s2n_connection_use_corked_io(custom));
    EXPECT_ERR(s2n_errno, S2NRS_E_CORK_SET_ON_UNMANAGED);
    EXPECT_SUCCESS(s2n_connection_free(custom));
}

static void recv_buffering(void)
{
    printf("== receive buffering and s2n_peek_buffered\n");
    for (int buffering = 0; buffering <= 1; buffering++) {
        struct s2nrs_pair p;
        if (s2nrs_pair_init(&p, client_config, server_config, "localhost") != 0) {
            return;
        }
        EXPECT_SUCCESS(s2n_connection_set_recv_buffering(p.server, buffering));
        EXPECT_HANDSHAKE_OK(p.client, p.server);
        /* Three records of 5 bytes, all on the wire before the server reads. */
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        for (int i = 0; i < 3; i++) {
            EXPECT_EQ_INT(s2n_send(p.client, "hello", 5, &blocked), 5);
        }
        EXPECT_EQ_INT(s2n_peek_buffered(p.server), 0);
        uint8_t buf[2];
        EXPECT_EQ_INT(s2n_recv(p.server, buf, sizeof(buf), &blocked), 2);
        EXPECT_EQ_INT(s2n_peek(p.server), 3);
        /* TLS1.3: two more records of 5 + 5 + 1 + 16 bytes, read only when buffering. */
        EXPECT_EQ_INT(s2n_peek_buffered(p.server), buffering ? 2 * 27 : 0);
        uint8_t rest[32];
        ssize_t total = 0;
        int err = 0;
        long n;
        while ((n = s2nrs_recv_some(p.server, rest + total, sizeof(rest) - total, &err)) > 0) {
            total += n;
        }
        EXPECT_EQ_INT(total, 13);
        EXPECT_EQ_INT(s2n_peek_buffered(p.server), 0);
        s2nrs_pair_free(&p);
    }
}

static void dynamic_buffers(void)
{
    printf("== dynamic buffers\n");
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") != 0) {
        return;
    }
    EXPECT_SUCCESS(s2n_connection_set_dynamic_buffers(p.client, true));
    EXPECT_SUCCESS(s2n_connection_set_dynamic_buffers(p.server, true));
    EXPECT_FAILURE(s2n_connection_set_dynamic_buffers(NULL, true));
    EXPECT_ERR(s2n_errno, S2NRS_E_NULL);
    handshake_and_data(p.client, p.server);
    /* Larger than one record, both ways, then back off. */
    static uint8_t big[40000];
    s2nrs_fill_pattern(big, sizeof(big), 3);
    EXPECT(s2nrs_transfer(p.client, p.server, big, sizeof(big)));
    EXPECT(s2nrs_transfer(p.server, p.client, big, sizeof(big)));
    EXPECT_SUCCESS(s2n_connection_set_dynamic_buffers(p.server, false));
    EXPECT(s2nrs_transfer(p.client, p.server, big, 100));
    s2nrs_pair_free(&p);
}

int main(void)
{
    s2nrs_tls_setup(60);
    chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    server_config = s2nrs_server_config(POLICY, &chain, 1);
    client_config = s2nrs_client_config(POLICY, "ca-ecdsa.pem");
    separate_fds();
    corked();
    recv_buffering();
    dynamic_buffers();
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
