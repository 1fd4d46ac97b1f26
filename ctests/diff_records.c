/*
 * Differential: the records s2n_send writes. After a handshake the sender's
 * output is captured, and the lengths of its records are printed, one line
 * per case, "<policy> <sender> <case> -> <record lengths>":
 *
 *   default             s2n's default record size
 *   throughput          s2n_connection_prefer_throughput
 *   low-latency         s2n_connection_prefer_low_latency
 *   dynamic             s2n_connection_set_dynamic_record_threshold: small
 *                       records first, then the default size
 *   dynamic-timeout     the same after the timeout passed without sending
 *   sendv               s2n_sendv over small slices: records span slices
 *
 * The lengths tell the payload sizes (the AEAD overhead is the same on both
 * sides). ctests/diff/compare.py diffs this output between s2nrs and s2n-tls.
 */
#include "harness/selftalk.h"

#define POLICY_TLS13 "default_tls13"
#define POLICY_TLS12 "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"

static uint8_t captured[1 << 20];
static size_t captured_len;

static int capture_send(void *ctx, const uint8_t *buf, uint32_t len)
{
    (void) ctx;
    if (captured_len + len > sizeof(captured)) {
        errno = EIO;
        return -1;
    }
    memcpy(captured + captured_len, buf, len);
    captured_len += len;
    return (int) len;
}

/* Prints the lengths of the records captured since the last call. */
static void print_records(const char *policy, const char *sender, const char *what)
{
    printf("%s %s %s ->", policy, sender, what);
    size_t at = 0;
    while (at + 5 <= captured_len) {
        size_t len = ((size_t) captured[at + 3] << 8) | captured[at + 4];
        printf(" %zu", len);
        at += 5 + len;
    }
    if (at != captured_len) {
        printf(" (+%zu bytes)", captured_len - at);
    }
    printf("\n");
    captured_len = 0;
}

static void send_bytes(struct s2n_connection *conn, size_t len)
{
    static uint8_t data[64 * 1024];
    int err = 0;
    if (s2nrs_send_all(conn, data, len, &err) != (long) len) {
        printf("send failed: %s\n", s2nrs_err_name(err));
    }
}

static void run(const char *policy, bool server_sends, struct s2n_config *client, struct s2n_config *server)
{
    const char *sender_name = server_sends ? "server" : "client";
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client, server, "localhost") != 0) {
        printf("%s %s SETUP FAILED\n", policy, sender_name);
        s2nrs_pair_free(&p);
        return;
    }
    struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
    if (n.failed != S2NRS_NONE) {
        printf("%s %s handshake FAILED\n", policy, sender_name);
        s2nrs_pair_free(&p);
        return;
    }
    struct s2n_connection *sender = server_sends ? p.server : p.client;
    printf("%s %s cipher -> %s\n", policy, sender_name, s2n_connection_get_cipher(sender));
    EXPECT_SUCCESS(s2n_connection_set_send_cb(sender, capture_send));
    EXPECT_SUCCESS(s2n_connection_set_send_ctx(sender, NULL));
    captured_len = 0;

    send_bytes(sender, 20000);
    print_records(policy, sender_name, "default");

    EXPECT_SUCCESS(s2n_connection_prefer_throughput(sender));
    send_bytes(sender, 40000);
    print_records(policy, sender_name, "throughput");

    EXPECT_SUCCESS(s2n_connection_prefer_low_latency(sender));
    send_bytes(sender, 5000);
    print_records(policy, sender_name, "low-latency");

    s2n_connection_prefer_throughput(sender);
    s2n_errno = 0;
    int rc = s2n_connection_set_dynamic_record_threshold(sender, 9 * 1024 * 1024, 0);
    printf("%s %s dynamic-too-large -> rc=%d err=%s\n", policy, sender_name, rc,
            rc ? s2nrs_err_name(s2n_errno) : "-");
    EXPECT_SUCCESS(s2n_connection_set_dynamic_record_threshold(sender, 5000, 1));
    send_bytes(sender, 30000);
    print_records(policy, sender_name, "dynamic");
    send_bytes(sender, 3000);
    print_records(policy, sender_name, "dynamic-more");
    sleep(2);
    send_bytes(sender, 3000);
    print_records(policy, sender_name, "dynamic-timeout");

    EXPECT_SUCCESS(s2n_connection_set_dynamic_record_threshold(sender, 0, 0));
    EXPECT_SUCCESS(s2n_connection_prefer_low_latency(sender));
    static uint8_t slice[1000];
    struct iovec iov[3] = { { slice, 1000 }, { slice, 1000 }, { slice, 1000 } };
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    ssize_t sent = s2n_sendv(sender, iov, 3, &blocked);
    printf("%s %s sendv-sent -> %zd\n", policy, sender_name, sent);
    print_records(policy, sender_name, "sendv");

    s2nrs_pair_free(&p);
}

int main(void)
{
    s2nrs_tls_setup(120);
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    if (!chain) {
        printf("cannot load the chain\n");
        return 1;
    }
    const char *policies[] = { POLICY_TLS13, POLICY_TLS12 };
    for (size_t i = 0; i < 2; i++) {
        struct s2n_config *client = s2nrs_client_config(policies[i], "ca-ecdsa.pem");
        struct s2n_config *server = s2nrs_server_config(policies[i], &chain, 1);
        run(policies[i], false, client, server);
        run(policies[i], true, client, server);
        EXPECT_SUCCESS(s2n_config_free(client));
        EXPECT_SUCCESS(s2n_config_free(server));
    }
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
