/*
 * s2nrs demo: a TLS server and client in one process, talking over a
 * nonblocking socketpair through the s2n API, then printing what they
 * negotiated and how many bytes the library holds at each lifecycle stage
 * (counted through s2n_mem_set_callbacks).
 *
 * Usage: s2nrs-demo <certs-dir>
 */
#include <s2n.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static long live_bytes;

static int mem_init(void) { return S2N_SUCCESS; }
static int mem_cleanup(void) { return S2N_SUCCESS; }
static int mem_malloc(void **ptr, uint32_t requested, uint32_t *allocated)
{
    *ptr = malloc(requested);
    if (*ptr == NULL) {
        return S2N_FAILURE;
    }
    *allocated = requested;
    live_bytes += requested;
    return S2N_SUCCESS;
}
static int mem_free(void *ptr, uint32_t size)
{
    live_bytes -= size;
    free(ptr);
    return S2N_SUCCESS;
}

#define CHECK(call)                                                                          \
    do {                                                                                     \
        if ((call) < 0) {                                                                    \
            fprintf(stderr, "%s failed: %s (%s)\n", #call, s2n_strerror_name(s2n_errno),      \
                    s2n_strerror_debug(s2n_errno, NULL));                                    \
            exit(1);                                                                         \
        }                                                                                    \
    } while (0)

static char *read_file(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    static char buf[8][16384];
    static int next;
    char *out = buf[next++ % 8];
    size_t n = fread(out, 1, sizeof(buf[0]) - 1, f);
    out[n] = '\0';
    fclose(f);
    return out;
}

static const char *version_name(int v)
{
    switch (v) {
        case S2N_TLS13: return "TLS1.3";
        case S2N_TLS12: return "TLS1.2";
        case S2N_TLS11: return "TLS1.1";
        case S2N_TLS10: return "TLS1.0";
        default: return "unknown";
    }
}

/* Drives both handshakes, alternating, until both finish. */
static void handshake(struct s2n_connection *client, struct s2n_connection *server)
{
    int client_done = 0, server_done = 0;
    for (int rounds = 0; !(client_done && server_done); rounds++) {
        s2n_blocked_status blocked;
        if (!client_done) {
            if (s2n_negotiate(client, &blocked) == S2N_SUCCESS) {
                client_done = 1;
            } else if (s2n_error_get_type(s2n_errno) != S2N_ERR_T_BLOCKED) {
                CHECK(-1);
            }
        }
        if (!server_done) {
            if (s2n_negotiate(server, &blocked) == S2N_SUCCESS) {
                server_done = 1;
            } else if (s2n_error_get_type(s2n_errno) != S2N_ERR_T_BLOCKED) {
                CHECK(-1);
            }
        }
        if (rounds > 1000) {
            fprintf(stderr, "handshake did not finish\n");
            exit(1);
        }
    }
}

int main(int argc, char **argv)
{
    const char *certs = argc > 1 ? argv[1] : "tests/certs";
    CHECK(s2n_mem_set_callbacks(mem_init, mem_cleanup, mem_malloc, mem_free));
    CHECK(s2n_init());

    struct s2n_cert_chain_and_key *chain = s2n_cert_chain_and_key_new();
    CHECK(s2n_cert_chain_and_key_load_pem(chain, read_file(certs, "server-ecdsa-chain.pem"),
            read_file(certs, "server-ecdsa-key.pem")));

    const char *alpn[] = { "h2", "http/1.1" };
    struct s2n_config *server_config = s2n_config_new_minimal();
    CHECK(s2n_config_add_cert_chain_and_key_to_store(server_config, chain));
    CHECK(s2n_config_set_protocol_preferences(server_config, alpn, 2));
    CHECK(s2n_config_set_cipher_preferences(server_config, "default_tls13"));

    struct s2n_config *client_config = s2n_config_new_minimal();
    CHECK(s2n_config_add_pem_to_trust_store(client_config, read_file(certs, "ca-ecdsa.pem")));
    CHECK(s2n_config_set_protocol_preferences(client_config, alpn, 2));

    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
        perror("socketpair");
        return 1;
    }
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    fcntl(fds[1], F_SETFL, O_NONBLOCK);

    /* A first pair warms what the configs build once (their rustls
     * configurations), so the counts below are the connections' own. */
    struct s2n_connection *server = s2n_connection_new(S2N_SERVER);
    struct s2n_connection *client = s2n_connection_new(S2N_CLIENT);
    CHECK(s2n_connection_set_config(server, server_config));
    CHECK(s2n_connection_set_config(client, client_config));
    CHECK(s2n_connection_set_fd(server, fds[0]));
    CHECK(s2n_connection_set_fd(client, fds[1]));
    CHECK(s2n_set_server_name(client, "localhost"));
    handshake(client, server);
    CHECK(s2n_connection_free(server));
    CHECK(s2n_connection_free(client));
    close(fds[0]);
    close(fds[1]);
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
        perror("socketpair");
        return 1;
    }
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    fcntl(fds[1], F_SETFL, O_NONBLOCK);

    long before = live_bytes;
    server = s2n_connection_new(S2N_SERVER);
    client = s2n_connection_new(S2N_CLIENT);
    long after_new = live_bytes - before;
    CHECK(s2n_connection_set_config(server, server_config));
    CHECK(s2n_connection_set_config(client, client_config));
    CHECK(s2n_connection_set_fd(server, fds[0]));
    CHECK(s2n_connection_set_fd(client, fds[1]));
    CHECK(s2n_set_server_name(client, "localhost"));
    CHECK(s2n_connection_set_blinding(server, S2N_SELF_SERVICE_BLINDING));

    handshake(client, server);
    long after_handshake = live_bytes - before;

    /* Application data both ways. */
    s2n_blocked_status blocked;
    char buf[64] = { 0 };
    CHECK(s2n_send(client, "hello", 5, &blocked));
    CHECK(s2n_recv(server, buf, sizeof(buf), &blocked));
    CHECK(s2n_send(server, buf, 5, &blocked));
    memset(buf, 0, sizeof(buf));
    CHECK(s2n_recv(client, buf, sizeof(buf), &blocked));

    const char *group = NULL;
    CHECK(s2n_connection_get_key_exchange_group(client, &group));
    printf("s2nrs demo: a TLS client and server over a socketpair, through %s\n", "libs2nrs.so");
    printf("  protocol     client %s, server %s, actual %s\n",
            version_name(s2n_connection_get_client_protocol_version(client)),
            version_name(s2n_connection_get_server_protocol_version(client)),
            version_name(s2n_connection_get_actual_protocol_version(client)));
    printf("  cipher       %s\n", s2n_connection_get_cipher(client));
    printf("  group        %s\n", group);
    printf("  ALPN         %s\n", s2n_get_application_protocol(client));
    printf("  server name  %s (as the server saw it)\n", s2n_get_server_name(server));
    printf("  handshake    %s\n", s2n_connection_get_handshake_type_name(client));
    printf("  echo         \"%s\"\n", buf);

    CHECK(s2n_connection_free_handshake(server));
    CHECK(s2n_connection_free_handshake(client));
    long after_free_handshake = live_bytes - before;
    CHECK(s2n_connection_release_buffers(server));
    CHECK(s2n_connection_release_buffers(client));
    long after_release = live_bytes - before;
    CHECK(s2n_connection_wipe(server));
    CHECK(s2n_connection_wipe(client));
    long after_wipe = live_bytes - before;

    printf("  bytes held by the client and server connections together (via s2n_mem_set_callbacks):\n");
    printf("    after s2n_connection_new              %7ld\n", after_new);
    printf("    after the handshake                   %7ld\n", after_handshake);
    printf("    after s2n_connection_free_handshake   %7ld\n", after_free_handshake);
    printf("    after s2n_connection_release_buffers  %7ld\n", after_release);
    printf("    after s2n_connection_wipe             %7ld\n", after_wipe);

    CHECK(s2n_connection_free(server));
    CHECK(s2n_connection_free(client));
    CHECK(s2n_config_free(server_config));
    CHECK(s2n_config_free(client_config));
    CHECK(s2n_cert_chain_and_key_free(chain));
    close(fds[0]);
    close(fds[1]);
    CHECK(s2n_cleanup_final());
    return 0;
}
