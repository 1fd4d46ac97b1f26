/*
 * Rules of s2n-tls that programs written for it rely on (each one found
 * failing by s2n-tls's own Rust bindings tests, see bindings/run.py):
 *
 *  - s2n_connection_get_config without a config of the application's fails
 *    with S2N_ERR_NULL (the library's default config is not handed out); with
 *    one, it returns that config, also after s2n_connection_wipe;
 *  - a client connection refuses a config with more than one default chain
 *    (S2N_ERR_TOO_MANY_CERTIFICATES) and keeps its old config;
 *  - a certificate that is itself in the trust store is trusted as it is, a
 *    self-signed CA:TRUE one presented as a leaf included; the host name
 *    check still applies;
 *  - X.509 version 1 certificates load as our own chain;
 *  - a leaf whose keyUsage gives it no TLS purpose fails with
 *    S2N_ERR_CERT_INTENT_INVALID unless intent verification is disabled;
 *  - errno is cleared before an I/O callback runs: a recv callback failing
 *    without setting errno is an I/O error, not "blocked" because of an
 *    EAGAIN left from before;
 *  - TLS1.2 has no half-close: after the peer's close_notify, s2n_send fails
 *    with S2N_ERR_CLOSED; TLS1.3 still writes;
 *  - a client that fails the TLS1.3 handshake (an untrusted certificate)
 *    sends close_notify from s2n_shutdown, not the reason: the server's
 *    handshake ends with S2N_ERR_CLOSED, without a blinding delay;
 *  - one config's ClientHellos have one JA3 fingerprint, and computing a
 *    fingerprint hash with a reused s2n_fingerprint (or the one-shot API)
 *    allocates nothing through the application's allocator; the raw string
 *    needs no allocation either.
 */
#include "harness/selftalk.h"
#include <s2n/unstable/fingerprint.h>

/* In s2n-tls's private API (tls/s2n_internal.h), exported by both libraries;
 * its Rust bindings call it. */
int s2n_connection_get_config(struct s2n_connection *conn, struct s2n_config **config);

#define POLICY_TLS13 "default_tls13"
#define POLICY_TLS12 "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"

static void get_config(void)
{
    printf("s2n_connection_get_config\n");
    struct s2n_connection *conn = s2n_connection_new(S2N_CLIENT);
    struct s2n_config *got = NULL;
    EXPECT_FAILURE_WITH_ERRNO(s2n_connection_get_config(conn, &got), S2NRS_E_NULL);

    struct s2n_config *config = s2n_config_new();
    EXPECT_SUCCESS(s2n_connection_set_config(conn, config));
    EXPECT_SUCCESS(s2n_connection_get_config(conn, &got));
    EXPECT(got == config);
    EXPECT_SUCCESS(s2n_connection_wipe(conn));
    got = NULL;
    EXPECT_SUCCESS(s2n_connection_get_config(conn, &got));
    EXPECT(got == config);

    /* Two default chains (one per key type): a client sends only one. */
    struct s2n_cert_chain_and_key *ecdsa = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_cert_chain_and_key *rsa = s2nrs_load_chain("server-rsa-chain.pem", "server-rsa-key.pem");
    struct s2n_config *two = s2n_config_new_minimal();
    EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(two, ecdsa));
    EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(two, rsa));
    EXPECT_FAILURE_WITH_ERRNO(s2n_connection_set_config(conn, two), S2NRS_E_TOO_MANY_CERTIFICATES);
    EXPECT_SUCCESS(s2n_connection_get_config(conn, &got));
    EXPECT(got == config);
    struct s2n_connection *server = s2n_connection_new(S2N_SERVER);
    EXPECT_SUCCESS(s2n_connection_set_config(server, two));

    EXPECT_SUCCESS(s2n_connection_free(server));
    EXPECT_SUCCESS(s2n_connection_free(conn));
    EXPECT_SUCCESS(s2n_config_free(two));
    EXPECT_SUCCESS(s2n_config_free(config));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(ecdsa));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(rsa));
}

/* A handshake of a server with `chain` and a client trusting `ca_file`;
 * returns 0 or the error of the side that failed. */
static int handshake(const char *policy, struct s2n_cert_chain_and_key *chain, const char *ca_file,
        const char *server_name, bool intent)
{
    struct s2n_config *server = s2nrs_server_config(policy, &chain, 1);
    struct s2n_config *client = s2nrs_client_config(policy, ca_file);
    if (!intent) {
        EXPECT_SUCCESS(s2n_config_disable_x509_intent_verification(client));
    }
    struct s2nrs_pair p;
    s2nrs_pair_init(&p, client, server, server_name);
    struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
    s2nrs_print_negotiation(policy, &n);
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(client));
    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT(n.failed != S2NRS_STUCK);
    return n.failed == S2NRS_NONE ? 0 : n.err;
}

static void trust(const char *policy)
{
    printf("trust, %s\n", policy);
    struct s2n_cert_chain_and_key *selfsigned = s2nrs_load_chain("selfsigned-ca.pem", "selfsigned-ca-key.pem");
    EXPECT_EQ_INT(handshake(policy, selfsigned, "selfsigned-ca.pem", "localhost", true), 0);
    EXPECT_ERR(handshake(policy, selfsigned, "selfsigned-ca.pem", "other.test", true), S2NRS_E_CERT_INVALID_HOSTNAME);
    EXPECT_ERR(handshake(policy, selfsigned, "ca-ecdsa.pem", "localhost", true), S2NRS_E_CERT_UNTRUSTED);

    struct s2n_cert_chain_and_key *ku = s2nrs_load_chain("kucertsign-ecdsa-chain.pem", "kucertsign-ecdsa-key.pem");
    EXPECT_ERR(handshake(policy, ku, "ca-ecdsa.pem", "localhost", true), S2NRS_E_CERT_INTENT_INVALID);
    EXPECT_EQ_INT(handshake(policy, ku, "ca-ecdsa.pem", "localhost", false), 0);

    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(selfsigned));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(ku));
}

static void v1_certificate(void)
{
    printf("X.509 v1 chain\n");
    struct s2n_cert_chain_and_key *v1 = s2nrs_load_chain("v1-ecdsa-chain.pem", "v1-ecdsa-key.pem");
    EXPECT(v1 != NULL);
    if (v1) {
        EXPECT_SUCCESS(s2n_cert_chain_and_key_free(v1));
    }
}

static int failing_recv(void *ctx, uint8_t *buf, uint32_t len)
{
    (void) ctx;
    (void) buf;
    (void) len;
    return -1; /* errno untouched */
}

static void errno_cleared(void)
{
    printf("recv callback failing without errno\n");
    struct s2n_config *config = s2n_config_new_minimal();
    EXPECT_SUCCESS(s2n_config_disable_x509_verification(config));
    struct s2n_connection *conn = s2n_connection_new(S2N_CLIENT);
    EXPECT_SUCCESS(s2n_connection_set_config(conn, config));
    int fds[2];
    s2nrs_socketpair(fds, true);
    EXPECT_SUCCESS(s2n_connection_set_write_fd(conn, fds[0]));
    EXPECT_SUCCESS(s2n_connection_set_recv_cb(conn, failing_recv));
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    errno = EAGAIN;
    EXPECT(s2n_negotiate(conn, &blocked) == S2N_FAILURE);
    EXPECT_ERR(s2n_errno, S2NRS_E_IO);
    EXPECT_SUCCESS(s2n_connection_free(conn));
    EXPECT_SUCCESS(s2n_config_free(config));
    close(fds[0]);
    close(fds[1]);
}

static void close_notify(const char *policy, bool half_close)
{
    printf("close_notify received, %s\n", policy);
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server = s2nrs_server_config(policy, &chain, 1);
    struct s2n_config *client = s2nrs_client_config(policy, "ca-ecdsa.pem");
    struct s2nrs_pair p;
    s2nrs_pair_init(&p, client, server, "localhost");
    if (EXPECT_HANDSHAKE_OK(p.client, p.server)) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        EXPECT_SUCCESS(s2n_shutdown_send(p.server, &blocked));
        uint8_t byte = 0;
        int err = 0;
        EXPECT_EQ_INT(s2nrs_recv_some(p.client, &byte, 1, &err), 0);
        EXPECT_ERR(err, S2NRS_E_CLOSED);
        long sent = s2nrs_send_all(p.client, "x", 1, &err);
        if (half_close) {
            EXPECT_EQ_INT(sent, 1);
        } else {
            EXPECT_EQ_INT(sent, -1);
            EXPECT_ERR(err, S2NRS_E_CLOSED);
        }
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(client));
    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
}

static void failure_closes(void)
{
    printf("a TLS1.3 client's failure reaches the server as close_notify\n");
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server = s2nrs_server_config(POLICY_TLS13, &chain, 1);
    EXPECT_SUCCESS(s2n_config_set_max_blinding_delay(server, 30));
    struct s2n_config *client = s2nrs_client_config(POLICY_TLS13, "ca-rsa.pem");
    struct s2nrs_pair p;
    s2nrs_pair_init(&p, client, server, "localhost");
    EXPECT_SUCCESS(s2n_connection_set_blinding(p.server, S2N_SELF_SERVICE_BLINDING));
    struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
    EXPECT_EQ_INT(n.failed, S2NRS_CLIENT);
    EXPECT_ERR(n.err, S2NRS_E_CERT_UNTRUSTED);
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    s2n_shutdown_send(p.client, &blocked);
    EXPECT_ERR(s2nrs_negotiate_one(p.server, 10), S2NRS_E_CLOSED);
    EXPECT_EQ_INT(s2n_connection_get_delay(p.server), 0);
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(client));
    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
}

/* The application's allocator, counting. */
static long mallocs;

static int count_init(void)
{
    return S2N_SUCCESS;
}

static int count_cleanup(void)
{
    return S2N_SUCCESS;
}

static int count_malloc(void **ptr, uint32_t requested, uint32_t *allocated)
{
    __atomic_add_fetch(&mallocs, 1, __ATOMIC_SEQ_CST);
    *ptr = malloc(requested ? requested : 1);
    *allocated = requested;
    return *ptr ? S2N_SUCCESS : S2N_FAILURE;
}

static int count_free(void *ptr, uint32_t size)
{
    (void) size;
    free(ptr);
    return S2N_SUCCESS;
}

static struct s2n_fingerprint *ja3;
static char hashes[2][33];
static int hello_count;

static int fingerprint_hello(struct s2n_connection *conn, void *ctx)
{
    (void) ctx;
    struct s2n_client_hello *hello = s2n_connection_get_client_hello(conn);
    EXPECT(hello != NULL);
    char *hash = hashes[hello_count++ % 2];
    uint32_t size = 0, str_size = 0;
    uint8_t digest[16] = { 0 };
    char raw[2048];
    long before = __atomic_load_n(&mallocs, __ATOMIC_SEQ_CST);
    EXPECT_SUCCESS(s2n_fingerprint_set_client_hello(ja3, hello));
    EXPECT_SUCCESS(s2n_fingerprint_get_hash(ja3, 32, (uint8_t *) hash, &size));
    EXPECT_SUCCESS(s2n_client_hello_get_fingerprint_hash(hello, S2N_FINGERPRINT_JA3, sizeof(digest),
            digest, &size, &str_size));
    EXPECT_SUCCESS(s2n_fingerprint_get_raw(ja3, sizeof(raw), (uint8_t *) raw, &size));
    EXPECT_SUCCESS(s2n_fingerprint_wipe(ja3));
    EXPECT_EQ_INT(__atomic_load_n(&mallocs, __ATOMIC_SEQ_CST) - before, 0);
    EXPECT_EQ_INT(size, str_size);
    return S2N_SUCCESS;
}

static void fingerprints(void)
{
    printf("fingerprints of one config's ClientHellos\n");
    ja3 = s2n_fingerprint_new(S2N_FINGERPRINT_JA3);
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server = s2nrs_server_config(POLICY_TLS13, &chain, 1);
    EXPECT_SUCCESS(s2n_config_set_client_hello_cb(server, fingerprint_hello, NULL));
    struct s2n_config *client = s2nrs_client_config(POLICY_TLS13, "ca-ecdsa.pem");
    for (int i = 0; i < 2; i++) {
        struct s2nrs_pair p;
        s2nrs_pair_init(&p, client, server, "localhost");
        EXPECT_HANDSHAKE_OK(p.client, p.server);
        s2nrs_pair_free(&p);
    }
    EXPECT_EQ_INT(hello_count, 2);
    EXPECT(strcmp(hashes[0], hashes[1]) == 0);
    printf("  JA3 %s / %s\n", hashes[0], hashes[1]);
    EXPECT_SUCCESS(s2n_fingerprint_free(&ja3));
    EXPECT_SUCCESS(s2n_config_free(client));
    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
}

int main(void)
{
    EXPECT_SUCCESS(s2n_mem_set_callbacks(count_init, count_cleanup, count_malloc, count_free));
    s2nrs_tls_setup(120);
    get_config();
    trust(POLICY_TLS13);
    trust(POLICY_TLS12);
    v1_certificate();
    errno_cleared();
    close_notify(POLICY_TLS13, true);
    close_notify(POLICY_TLS12, false);
    fingerprints();
    failure_closes();
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
