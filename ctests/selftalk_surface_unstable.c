/*
 * The s2n/unstable headers s2nrs covers in part: allow_ip_in_cn over a
 * handshake with a certificate whose only name is an IP address in its CN,
 * the event subscriber setters, NPN off, and the functions s2nrs cannot
 * support (renegotiation, custom x509 extensions, kTLS, async offload),
 * which fail with S2N_ERR_UNIMPLEMENTED against s2nrs.
 */
#include "harness/selftalk.h"

#include <s2n/unstable/allow_ip_in_cn.h>
#include <s2n/unstable/async_offload.h>
#include <s2n/unstable/custom_x509_extensions.h>
#include <s2n/unstable/events.h>
#include <s2n/unstable/ktls.h>
#include <s2n/unstable/npn.h>
#include <s2n/unstable/renegotiate.h>

#define POLICY_TLS13 "default_tls13"

#define EXPECT_UNIMPLEMENTED_IN_S2NRS(call)                         \
    do {                                                            \
        if (s2nrs_library_is_s2nrs()) {                             \
            EXPECT_FAILURE_WITH_ERRNO(call, S2NRS_E_UNIMPLEMENTED); \
        }                                                           \
    } while (0)

/* Issued by tests/certs/ca-ecdsa.pem: subject CN=127.0.0.1, no subjectAltName. */
static const char IP_CN_CERT[] =
        "-----BEGIN CERTIFICATE-----\n"
        "MIIBqjCCAVGgAwIBAgIUPUqw0RRD0LvFrwLFv9i9UtXhW0wwCgYIKoZIzj0EAwIw\n"
        "HjEcMBoGA1UEAwwTczJucnMgdGVzdCBjYS1lY2RzYTAgFw0yNjExMjUxNTE1MjNa\n"
        "GA8yMTI2MTEwMTE1MTUyM1owFDESMBAGA1UEAwwJMTI3LjAuMC4xMFkwEwYHKoZI\n"
        "zj0CAQYIKoZIzj0DAQcDQgAEIadoPmVqY4E9WyF3jZfn8oWNA6XDJFn2GeRxhbcl\n"
        "OPtbAByrBE1Kaj74lhNdV20wGmFHBtFqqq4blvx8B2HB+KN1MHMwDAYDVR0TAQH/\n"
        "BAIwADAOBgNVHQ8BAf8EBAMCB4AwEwYDVR0lBAwwCgYIKwYBBQUHAwEwHQYDVR0O\n"
        "BBYEFPEYzTyeVSGGgxnfimBVMCJAydrxMB8GA1UdIwQYMBaAFLkgaXTRMa+fS9Vl\n"
        "lo6xYXf1uEDsMAoGCCqGSM49BAMCA0cAMEQCIAD6A8aNod0AkBZHItJri5TOslPd\n"
        "w3pom7Rc7sHD2fBBAiByIYDFi05mCAwpJY/LqSMclTUrhLTdAOkifanzal9QHQ==\n"
        "-----END CERTIFICATE-----\n";
static const char IP_CN_KEY[] =
        "-----BEGIN PRIVATE KEY-----\n"
        "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgPMchWLv0pyS0LmZU\n"
        "dAMvq59LcIclqWufihkkie05HG6hRANCAAQhp2g+ZWpjgT1bIXeNl+fyhY0DpcMk\n"
        "WfYZ5HGFtyU4+1sAHKsETUpqPviWE11XbTAaYUcG0WqqrhuW/HwHYcH4\n"
        "-----END PRIVATE KEY-----\n";

static struct s2nrs_negotiation ip_cn_handshake(bool allow)
{
    struct s2nrs_negotiation r;
    memset(&r, 0, sizeof(r));
    r.failed = S2NRS_STUCK;
    struct s2n_cert_chain_and_key *chain = s2n_cert_chain_and_key_new();
    EXPECT_SUCCESS(s2n_cert_chain_and_key_load_pem(chain, IP_CN_CERT, IP_CN_KEY));
    struct s2n_config *server = s2nrs_server_config(POLICY_TLS13, &chain, 1);
    struct s2n_config *client = s2nrs_client_config(POLICY_TLS13, "ca-ecdsa.pem");
    if (allow) {
        EXPECT_FAILURE_WITH_ERRNO(s2n_config_allow_ip_in_cn(NULL), S2NRS_E_INVALID_ARGUMENT);
        EXPECT_SUCCESS(s2n_config_allow_ip_in_cn(client));
    }
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client, server, "127.0.0.1") == 0) {
        r = s2nrs_negotiate_pair(p.client, p.server);
        s2nrs_print_negotiation(allow ? "IP in CN, allowed" : "IP in CN, default", &r);
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_config_free(client));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    return r;
}

static void test_allow_ip_in_cn(void)
{
    printf("allow_ip_in_cn\n");
    struct s2nrs_negotiation r = ip_cn_handshake(true);
    EXPECT_EQ_INT(r.failed, S2NRS_NONE);

    r = ip_cn_handshake(false);
    if (s2nrs_library_is_s2nrs() && r.failed == S2NRS_NONE) {
        s2nrs_skip_part("IP in CN, default",
                "s2nrs's host check falls back to any CN, IP or not; s2n-tls rejects an IP there");
    } else {
        EXPECT_EQ_INT(r.failed, S2NRS_CLIENT);
        EXPECT_EQ_INT(r.err, S2NRS_E_CERT_UNTRUSTED);
    }
}

static int handshake_events;
static int checkpoints;
static int subscriber_tag;

static void on_handshake(struct s2n_connection *conn, void *subscriber, struct s2n_event_handshake *event)
{
    (void) conn;
    EXPECT(subscriber == &subscriber_tag);
    EXPECT_EQ_INT(event->error_code, 0);
    EXPECT_EQ_INT(event->protocol_version, S2N_TLS13);
    EXPECT(event->cipher != NULL);
    EXPECT(event->handshake_end_ns >= event->handshake_start_ns);
    handshake_events++;
}

static void on_checkpoint(struct s2n_connection *conn, void *subscriber, struct s2n_timing_checkpoint *checkpoint)
{
    (void) conn;
    (void) subscriber;
    EXPECT(checkpoint->name != NULL);
    checkpoints++;
}

static void test_events(void)
{
    printf("events\n");
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server = s2nrs_server_config(POLICY_TLS13, &chain, 1);
    struct s2n_config *client = s2nrs_client_config(POLICY_TLS13, "ca-ecdsa.pem");

    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_subscriber(NULL, &subscriber_tag), S2NRS_E_NULL);
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_handshake_event(NULL, on_handshake), S2NRS_E_NULL);
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_timing_checkpoint_cb(client, NULL), S2NRS_E_NULL);
    EXPECT_SUCCESS(s2n_config_set_subscriber(client, &subscriber_tag));
    EXPECT_SUCCESS(s2n_config_set_handshake_event(client, on_handshake));
    EXPECT_SUCCESS(s2n_config_set_timing_checkpoint_cb(client, on_checkpoint));

    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client, server, "s2nrs.test") == 0) {
        struct s2nrs_negotiation r = s2nrs_negotiate_pair(p.client, p.server);
        s2nrs_print_negotiation("TLS1.3 with a subscriber", &r);
        EXPECT_EQ_INT(r.failed, S2NRS_NONE);
    }
    s2nrs_pair_free(&p);
    if (s2nrs_library_is_s2nrs() && handshake_events == 0) {
        s2nrs_skip_part("handshake event delivery", "s2nrs keeps the subscriber but does not deliver events yet");
    } else {
        EXPECT_EQ_INT(handshake_events, 1);
        EXPECT(checkpoints >= 2);
    }

    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_config_free(client));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
}

static int reneg_cb(struct s2n_connection *conn, void *ctx, s2n_renegotiate_response *response)
{
    (void) conn;
    (void) ctx;
    *response = S2N_RENEGOTIATE_REJECT;
    return S2N_SUCCESS;
}

static int offload_cb(struct s2n_connection *conn, struct s2n_async_offload_op *op, void *ctx)
{
    (void) conn;
    (void) op;
    (void) ctx;
    return S2N_SUCCESS;
}

static void test_unsupported(void)
{
    printf("npn and unsupported functions\n");
    struct s2n_config *config = s2n_config_new_minimal();
    struct s2n_connection *conn = s2n_connection_new(S2N_CLIENT);

    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_npn(NULL, false), S2NRS_E_NULL);
    EXPECT_SUCCESS(s2n_config_set_npn(config, false));
    EXPECT_UNIMPLEMENTED_IN_S2NRS(s2n_config_set_npn(config, true));

    EXPECT_SUCCESS(s2n_config_set_renegotiate_request_cb(config, reneg_cb, NULL));
    EXPECT_UNIMPLEMENTED_IN_S2NRS(s2n_renegotiate_wipe(conn));
    uint8_t buf[16];
    ssize_t got = 0;
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    EXPECT_UNIMPLEMENTED_IN_S2NRS(s2n_renegotiate(conn, buf, sizeof(buf), &got, &blocked));

    uint8_t oid[] = "1.3.187.25240.2";
    EXPECT_UNIMPLEMENTED_IN_S2NRS(s2n_config_add_custom_x509_extension(config, oid, sizeof(oid) - 1));

    /* kTLS: s2n's error for a platform without it. */
    if (s2nrs_library_is_s2nrs()) {
        EXPECT_FAILURE_WITH_ERRNO(s2n_config_ktls_enable_unsafe_tls13(config), S2NRS_E_KTLS_UNSUPPORTED_PLATFORM);
        EXPECT_FAILURE_WITH_ERRNO(s2n_connection_ktls_enable_send(conn), S2NRS_E_KTLS_UNSUPPORTED_PLATFORM);
        EXPECT_FAILURE_WITH_ERRNO(s2n_connection_ktls_enable_recv(conn), S2NRS_E_KTLS_UNSUPPORTED_PLATFORM);
        size_t written = 0;
        EXPECT_FAILURE_WITH_ERRNO(s2n_sendfile(conn, 0, 0, 1, &written, &blocked), S2NRS_E_KTLS_UNSUPPORTED_PLATFORM);
        /* OCSP checks: s2n's error for a libcrypto without OCSP. */
        EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_check_stapled_ocsp_response(config, 1), S2NRS_E_OCSP_NOT_SUPPORTED);
        EXPECT_SUCCESS(s2n_config_set_check_stapled_ocsp_response(config, 0));
    }

    EXPECT_UNIMPLEMENTED_IN_S2NRS(
            s2n_config_set_async_offload_callback(config, S2N_ASYNC_OFFLOAD_PKEY_VERIFY, offload_cb, NULL));

    EXPECT_SUCCESS(s2n_connection_free(conn));
    EXPECT_SUCCESS(s2n_config_free(config));
}

int main(void)
{
    s2nrs_tls_setup(60);
    test_allow_ip_in_cn();
    test_events();
    test_unsupported();
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
