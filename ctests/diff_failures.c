/*
 * Differential: handshake failure scenarios and the error names each side
 * reports. Each scenario runs with a TLS1.3 policy and a TLS1.2 policy; one
 * line per fact, "<scenario> <policy> <what> -> <fact>":
 *
 *   ... handshake -> ok | FAIL <side> <error name> <error type>
 *   ... <side> shutdown -> rc=<rc> err=<name>     (the failing side tells its peer)
 *   ... <peer> after -> <error name> <error type>  (the peer driven afterwards)
 *   ... <peer> alert -> rc=<s2n_connection_get_alert> err=<name>
 *
 * Scenarios: untrusted server certificate, wrong host name, expired
 * certificate, no shared protocol version (both ways), client certificate
 * required but absent, garbage and an HTTP request instead of a ClientHello,
 * the client or the server gone mid-handshake.
 *
 * ctests/diff/compare.py diffs this output between s2nrs and s2n-tls.
 */
#include "harness/selftalk.h"

#define POLICY_TLS13 "default_tls13"
#define POLICY_TLS12 "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"
#define POLICY_TLS13_ONLY "AWS-CRT-SDK-TLSv1.3"

static struct s2n_cert_chain_and_key *good_chain, *untrusted_chain, *expired_chain, *client_chain;

static const char *err_str(int err)
{
    return err ? s2nrs_err_name(err) : "-";
}

static void print_err(const char *scenario, const char *policy, const char *what, int err)
{
    if (err == 0) {
        printf("%s %s %s -> ok\n", scenario, policy, what);
    } else {
        printf("%s %s %s -> %s %s\n", scenario, policy, what, s2nrs_err_name(err),
                s2nrs_err_type_name(s2n_error_get_type(err)));
    }
}

/* After one side failed: it calls s2n_shutdown, and the peer is driven. */
static void after_failure(const char *scenario, const char *policy, struct s2n_connection *failed,
        const char *failed_name, struct s2n_connection *peer, const char *peer_name)
{
    char what[128];
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    s2n_errno = 0;
    int rc = s2n_shutdown(failed, &blocked);
    printf("%s %s %s shutdown -> rc=%d err=%s\n", scenario, policy, failed_name, rc, err_str(rc ? s2n_errno : 0));
    if (peer) {
        int err = s2nrs_negotiate_one(peer, 50);
        snprintf(what, sizeof(what), "%s after", peer_name);
        print_err(scenario, policy, what, err);
        s2n_errno = 0;
        int alert = s2n_connection_get_alert(peer);
        printf("%s %s %s alert -> rc=%d err=%s\n", scenario, policy, peer_name, alert,
                err_str(alert < 0 ? s2n_errno : 0));
    }
}

static void run_pair(const char *scenario, const char *policy, struct s2n_config *client_config,
        struct s2n_config *server_config, const char *server_name)
{
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, server_name) != 0) {
        printf("%s %s handshake -> SETUP FAILED\n", scenario, policy);
        s2nrs_pair_free(&p);
        return;
    }
    struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
    if (n.failed == S2NRS_NONE) {
        printf("%s %s handshake -> ok %s\n", scenario, policy,
                s2nrs_version_name(s2n_connection_get_actual_protocol_version(p.client)));
    } else if (n.failed == S2NRS_STUCK) {
        printf("%s %s handshake -> FAIL stuck\n", scenario, policy);
    } else {
        printf("%s %s handshake -> FAIL %s %s %s\n", scenario, policy, s2nrs_side_name(n.failed),
                s2nrs_err_name(n.err), s2nrs_err_type_name(s2n_error_get_type(n.err)));
        if (n.failed == S2NRS_CLIENT) {
            after_failure(scenario, policy, p.client, "client", p.server, "server");
        } else {
            after_failure(scenario, policy, p.server, "server", p.client, "client");
        }
    }
    s2nrs_pair_free(&p);
}

static struct s2n_config *server_with(const char *policy, struct s2n_cert_chain_and_key *chain)
{
    return s2nrs_server_config(policy, &chain, 1);
}

static void scenarios(const char *policy)
{
    struct s2n_config *client = s2nrs_client_config(policy, "ca-ecdsa.pem");
    struct s2n_config *good = server_with(policy, good_chain);
    struct s2n_config *untrusted = server_with(policy, untrusted_chain);
    struct s2n_config *expired = server_with(policy, expired_chain);

    run_pair("baseline", policy, client, good, "localhost");
    run_pair("untrusted", policy, client, untrusted, "localhost");
    run_pair("wrong-host", policy, client, good, "wrong.test");
    run_pair("expired", policy, client, expired, "localhost");

    /* Client certificate required, the client has none. */
    struct s2n_config *mtls = server_with(policy, good_chain);
    EXPECT_SUCCESS(s2n_config_set_client_auth_type(mtls, S2N_CERT_AUTH_REQUIRED));
    s2nrs_add_trust(mtls, "ca-ecdsa.pem");
    run_pair("client-cert-absent", policy, client, mtls, "localhost");
    /* ... and with one (baseline for the scenario). */
    struct s2n_config *client_with_cert = s2nrs_client_config(policy, "ca-ecdsa.pem");
    EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(client_with_cert, client_chain));
    run_pair("client-cert-present", policy, client_with_cert, mtls, "localhost");

    /* Garbage, then an HTTP request, instead of a ClientHello. */
    static const uint8_t garbage[] = { 0x16, 0x03, 0x01, 0x00, 0x05, 0xde, 0xad, 0xbe, 0xef, 0x00 };
    static const char http[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    const struct {
        const char *name;
        const void *data;
        size_t len;
    } junk[] = {
        { "garbage", garbage, sizeof(garbage) },
        { "http-request", http, sizeof(http) - 1 },
    };
    for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
        struct s2nrs_pair p;
        if (s2nrs_pair_init(&p, client, good, NULL) == 0) {
            if (write(p.fds[0], junk[i].data, junk[i].len) != (ssize_t) junk[i].len) {
                S2NRS_FAIL_AT("write failed");
            }
            int err = s2nrs_negotiate_one(p.server, 50);
            print_err(junk[i].name, policy, "server", err);
            after_failure(junk[i].name, policy, p.server, "server", NULL, NULL);
        }
        s2nrs_pair_free(&p);
    }

    /* The client goes away after its ClientHello. */
    {
        struct s2nrs_pair p;
        if (s2nrs_pair_init(&p, client, good, "localhost") == 0) {
            int err = s2nrs_negotiate_one(p.client, 1);
            print_err("client-gone", policy, "client first", err);
            close(p.fds[0]);
            p.fds[0] = -1;
            err = s2nrs_negotiate_one(p.server, 50);
            print_err("client-gone", policy, "server", err);
        }
        s2nrs_pair_free(&p);
    }
    /* The server goes away after its first flight. */
    {
        struct s2nrs_pair p;
        if (s2nrs_pair_init(&p, client, good, "localhost") == 0) {
            int err = s2nrs_negotiate_one(p.client, 1);
            print_err("server-gone", policy, "client first", err);
            err = s2nrs_negotiate_one(p.server, 1);
            print_err("server-gone", policy, "server first", err);
            close(p.fds[1]);
            p.fds[1] = -1;
            err = s2nrs_negotiate_one(p.client, 50);
            print_err("server-gone", policy, "client", err);
        }
        s2nrs_pair_free(&p);
    }

    EXPECT_SUCCESS(s2n_config_free(client));
    EXPECT_SUCCESS(s2n_config_free(client_with_cert));
    EXPECT_SUCCESS(s2n_config_free(good));
    EXPECT_SUCCESS(s2n_config_free(untrusted));
    EXPECT_SUCCESS(s2n_config_free(expired));
    EXPECT_SUCCESS(s2n_config_free(mtls));
}

static void no_shared_version(const char *label, const char *client_policy, const char *server_policy)
{
    struct s2n_config *client = s2nrs_client_config(client_policy, "ca-ecdsa.pem");
    struct s2n_config *server = server_with(server_policy, good_chain);
    run_pair("no-shared-version", label, client, server, "localhost");
    EXPECT_SUCCESS(s2n_config_free(client));
    EXPECT_SUCCESS(s2n_config_free(server));
}

int main(void)
{
    s2nrs_tls_setup(120);
    good_chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    untrusted_chain = s2nrs_load_chain("untrusted.pem", "untrusted-key.pem");
    expired_chain = s2nrs_load_chain("expired-chain.pem", "expired-key.pem");
    client_chain = s2nrs_load_chain("client-ecdsa-chain.pem", "client-ecdsa-key.pem");
    if (!good_chain || !untrusted_chain || !expired_chain || !client_chain) {
        printf("cannot load the chains\n");
        return 1;
    }

    scenarios(POLICY_TLS13);
    scenarios(POLICY_TLS12);
    no_shared_version("tls12-client/tls13-server", POLICY_TLS12, POLICY_TLS13_ONLY);
    no_shared_version("tls13-client/tls12-server", POLICY_TLS13_ONLY, POLICY_TLS12);

    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(good_chain));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(untrusted_chain));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(expired_chain));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(client_chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
