/*
 * A program linked with the static s2n (lib/libs2n.a) and OpenSSL's
 * libcrypto at once: a TLS handshake between a client and a server s2n
 * connection over a socketpair, application data both ways, then OpenSSL's
 * own SHA256 and OpenSSL_version, proving both libraries are linked into
 * one program without clashing (AWS-LC's symbols inside libs2n.a are
 * prefixed).
 *
 * Usage: handshake <certs-dir>    (tests/certs)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <s2n.h>

#define FAIL(...)                                                                   \
    do {                                                                            \
        printf("FAIL (%s:%d): ", __FILE__, __LINE__);                               \
        printf(__VA_ARGS__);                                                        \
        printf(" [s2n_errno %d: %s: %s]\n", s2n_errno, s2n_strerror_name(s2n_errno), \
                s2n_strerror(s2n_errno, "EN"));                                     \
        exit(1);                                                                    \
    } while (0)

#define CHECK(call)                      \
    do {                                 \
        if ((call) != S2N_SUCCESS) {     \
            FAIL("%s", #call);           \
        }                                \
    } while (0)

static char *read_file(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        printf("FAIL: cannot open %s: %s\n", path, strerror(errno));
        exit(1);
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            buf = realloc(buf, cap);
            if (buf == NULL) {
                exit(1);
            }
        }
        size_t n = fread(buf + len, 1, 4096, f);
        len += n;
        if (n == 0) {
            break;
        }
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

/* One step of s2n_negotiate on a non-blocking connection: 1 when done. */
static int step(struct s2n_connection *conn, const char *who)
{
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    if (s2n_negotiate(conn, &blocked) == S2N_SUCCESS) {
        return 1;
    }
    if (s2n_error_get_type(s2n_errno) != S2N_ERR_T_BLOCKED) {
        FAIL("%s: s2n_negotiate", who);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <certs-dir>\n", argv[0]);
        return 2;
    }
    const char *certs = argv[1];

    /* OpenSSL's libcrypto, in the same program. */
    static const unsigned char expected[SHA256_DIGEST_LENGTH] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
        0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
    };
    unsigned char digest[SHA256_DIGEST_LENGTH];
    if (SHA256((const unsigned char *) "abc", 3, digest) == NULL || memcmp(digest, expected, sizeof(digest)) != 0) {
        printf("FAIL: OpenSSL's SHA256(\"abc\") is wrong\n");
        return 1;
    }
    printf("libcrypto: %s, SHA256 ok\n", OpenSSL_version(OPENSSL_VERSION));

    CHECK(s2n_init());

    /* s2n_errno, the thread-local variable from the archive, read directly. */
    s2n_errno = 0;
    if (s2n_init() != S2N_FAILURE || s2n_errno == 0 || *s2n_errno_location() != s2n_errno) {
        printf("FAIL: a second s2n_init did not fail with s2n_errno set\n");
        return 1;
    }
    printf("second s2n_init: %s\n", s2n_strerror_name(s2n_errno));

    char *chain_pem = read_file(certs, "server-ecdsa-chain.pem");
    char *key_pem = read_file(certs, "server-ecdsa-key.pem");
    char *ca_path = malloc(strlen(certs) + sizeof("/ca-ecdsa.pem"));
    if (ca_path == NULL) {
        return 1;
    }
    sprintf(ca_path, "%s/ca-ecdsa.pem", certs);

    struct s2n_cert_chain_and_key *chain = s2n_cert_chain_and_key_new();
    if (chain == NULL) {
        FAIL("s2n_cert_chain_and_key_new");
    }
    CHECK(s2n_cert_chain_and_key_load_pem(chain, chain_pem, key_pem));

    struct s2n_config *server_config = s2n_config_new();
    struct s2n_config *client_config = s2n_config_new();
    if (server_config == NULL || client_config == NULL) {
        FAIL("s2n_config_new");
    }
    CHECK(s2n_config_add_cert_chain_and_key_to_store(server_config, chain));
    CHECK(s2n_config_set_verification_ca_location(client_config, ca_path, NULL));

    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
        printf("FAIL: socketpair: %s\n", strerror(errno));
        return 1;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    }

    struct s2n_connection *client = s2n_connection_new(S2N_CLIENT);
    struct s2n_connection *server = s2n_connection_new(S2N_SERVER);
    if (client == NULL || server == NULL) {
        FAIL("s2n_connection_new");
    }
    CHECK(s2n_connection_set_config(client, client_config));
    CHECK(s2n_connection_set_config(server, server_config));
    CHECK(s2n_connection_set_blinding(client, S2N_SELF_SERVICE_BLINDING));
    CHECK(s2n_connection_set_blinding(server, S2N_SELF_SERVICE_BLINDING));
    CHECK(s2n_set_server_name(client, "localhost"));
    CHECK(s2n_connection_set_fd(client, fds[0]));
    CHECK(s2n_connection_set_fd(server, fds[1]));

    int client_done = 0, server_done = 0;
    for (int round = 0; round < 1000 && !(client_done && server_done); round++) {
        if (!client_done) {
            client_done = step(client, "client");
        }
        if (!server_done) {
            server_done = step(server, "server");
        }
    }
    if (!(client_done && server_done)) {
        printf("FAIL: the handshake did not finish\n");
        return 1;
    }
    printf("handshake: %s, %s, server name %s\n",
            s2n_connection_get_cipher(client),
            s2n_connection_get_actual_protocol_version(client) == S2N_TLS13 ? "TLS 1.3" : "TLS 1.2 or older",
            s2n_get_server_name(server) ? s2n_get_server_name(server) : "(none)");

    /* Application data, client to server and back. */
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    const char ping[] = "ping";
    if (s2n_send(client, ping, sizeof(ping), &blocked) != (ssize_t) sizeof(ping)) {
        FAIL("s2n_send (client)");
    }
    char buf[16];
    memset(buf, 0, sizeof(buf));
    if (s2n_recv(server, buf, sizeof(buf), &blocked) != (ssize_t) sizeof(ping) || strcmp(buf, ping) != 0) {
        FAIL("s2n_recv (server)");
    }
    const char pong[] = "pong";
    if (s2n_send(server, pong, sizeof(pong), &blocked) != (ssize_t) sizeof(pong)) {
        FAIL("s2n_send (server)");
    }
    memset(buf, 0, sizeof(buf));
    if (s2n_recv(client, buf, sizeof(buf), &blocked) != (ssize_t) sizeof(pong) || strcmp(buf, pong) != 0) {
        FAIL("s2n_recv (client)");
    }
    printf("application data: ok\n");

    /* libcrypto still works after s2n has run. */
    if (SHA256((const unsigned char *) "abc", 3, digest) == NULL || memcmp(digest, expected, sizeof(digest)) != 0) {
        printf("FAIL: OpenSSL's SHA256(\"abc\") is wrong after the handshake\n");
        return 1;
    }

    CHECK(s2n_connection_free(client));
    CHECK(s2n_connection_free(server));
    CHECK(s2n_config_free(client_config));
    CHECK(s2n_config_free(server_config));
    CHECK(s2n_cert_chain_and_key_free(chain));
    close(fds[0]);
    close(fds[1]);
    free(chain_pem);
    free(key_pem);
    free(ca_path);
    CHECK(s2n_cleanup_final());
    printf("handshake: ok\n");
    return 0;
}
