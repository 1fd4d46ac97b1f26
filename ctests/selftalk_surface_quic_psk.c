/*
 * QUIC support functions, external PSKs and async private-key settings:
 * what s2nrs implements (s2n_error_get_alert, s2n_connection_is_quic_enabled,
 * s2n_connection_are_session_tickets_enabled, the resumption PSK mode, the
 * async pkey settings) and what it cannot support (external PSKs), which
 * fails with S2N_ERR_UNIMPLEMENTED against s2nrs.
 */
#include "harness/selftalk.h"

/* tls/s2n_quic_support.h is not installed; these are exported (S2N_API). */
extern int s2n_error_get_alert(int error, uint8_t *alert);
extern bool s2n_connection_is_quic_enabled(struct s2n_connection *conn);
extern bool s2n_connection_are_session_tickets_enabled(struct s2n_connection *conn);

#define POLICY_TLS13 "default_tls13"

#define EXPECT_UNIMPLEMENTED_IN_S2NRS(call)                         \
    do {                                                            \
        if (s2nrs_library_is_s2nrs()) {                             \
            EXPECT_FAILURE_WITH_ERRNO(call, S2NRS_E_UNIMPLEMENTED); \
        }                                                           \
    } while (0)

static void expect_alert(int error, uint8_t expected)
{
    uint8_t alert = 0xff;
    EXPECT_SUCCESS(s2n_error_get_alert(error, &alert));
    if (alert != expected) {
        S2NRS_FAIL_AT("alert for %s is %d, expected %d", s2nrs_err_name(error), alert, expected);
    }
}

static void test_error_get_alert(void)
{
    printf("s2n_error_get_alert\n");
    expect_alert(S2NRS_E_BAD_MESSAGE, 10);
    expect_alert(S2NRS_E_MISSING_EXTENSION, 109);
    expect_alert(S2NRS_E_NO_VALID_SIGNATURE_SCHEME, 40);
    expect_alert(S2NRS_E_MISSING_CLIENT_CERT, 116);
    expect_alert(S2NRS_E_CERT_UNTRUSTED, 46);
    expect_alert(S2NRS_E_CERT_REVOKED, 44);
    expect_alert(S2NRS_E_CERT_EXPIRED, 45);
    expect_alert(S2NRS_E_CERT_TYPE_UNSUPPORTED, 43);
    expect_alert(S2NRS_E_CERT_REJECTED, 49);
    expect_alert(S2NRS_E_DECODE_CERTIFICATE, 42);
    expect_alert(S2NRS_E_IO, 80);
    expect_alert(S2NRS_E_NULL, 80);

    uint8_t alert = 0;
    EXPECT_FAILURE_WITH_ERRNO(s2n_error_get_alert(S2NRS_E_DECRYPT, &alert), S2NRS_E_NO_ALERT);
    EXPECT_FAILURE_WITH_ERRNO(s2n_error_get_alert(S2NRS_E_IO_BLOCKED, &alert), S2NRS_E_NO_ALERT);
    EXPECT_FAILURE_WITH_ERRNO(s2n_error_get_alert(S2NRS_E_INVALID_ARGUMENT, &alert), S2NRS_E_NO_ALERT);
    EXPECT_FAILURE_WITH_ERRNO(s2n_error_get_alert(S2NRS_E_CLOSED, &alert), S2NRS_E_NO_ALERT);
    EXPECT_FAILURE_WITH_ERRNO(s2n_error_get_alert(S2NRS_E_BAD_MESSAGE, NULL), S2NRS_E_NULL);

    /* The alert of a real failure: a client that does not trust the server. */
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *server = s2nrs_server_config(POLICY_TLS13, &chain, 1);
    struct s2n_config *client = s2nrs_client_config(POLICY_TLS13, "ca-rsa.pem");
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client, server, "s2nrs.test") == 0) {
        struct s2nrs_negotiation r = s2nrs_negotiate_pair(p.client, p.server);
        s2nrs_print_negotiation("untrusted server", &r);
        EXPECT_EQ_INT(r.failed, S2NRS_CLIENT);
        EXPECT_EQ_INT(r.err, S2NRS_E_CERT_UNTRUSTED);
        expect_alert(r.err, 46);
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_config_free(client));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
}

static void test_quic_getters(void)
{
    printf("quic getters\n");
    struct s2n_config *config = s2n_config_new_minimal();
    struct s2n_connection *conn = s2n_connection_new(S2N_SERVER);
    EXPECT(!s2n_connection_is_quic_enabled(NULL));
    EXPECT(!s2n_connection_are_session_tickets_enabled(NULL));

    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(config, 0));
    EXPECT_SUCCESS(s2n_connection_set_config(conn, config));
    EXPECT(!s2n_connection_is_quic_enabled(conn));
    EXPECT(!s2n_connection_are_session_tickets_enabled(conn));

    EXPECT_SUCCESS(s2n_config_set_session_tickets_onoff(config, 1));
    EXPECT(s2n_connection_are_session_tickets_enabled(conn));

    EXPECT_SUCCESS(s2n_connection_free(conn));
    EXPECT_SUCCESS(s2n_config_free(config));
}

static int pkey_cb(struct s2n_connection *conn, struct s2n_async_pkey_op *op)
{
    (void) conn;
    (void) op;
    return S2N_SUCCESS;
}

static void test_psk_and_async_pkey(void)
{
    printf("psk and async pkey\n");
    struct s2n_config *config = s2n_config_new_minimal();
    struct s2n_connection *conn = s2n_connection_new(S2N_CLIENT);

    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_psk_mode(NULL, S2N_PSK_MODE_RESUMPTION), S2NRS_E_NULL);
    EXPECT_SUCCESS(s2n_config_set_psk_mode(config, S2N_PSK_MODE_RESUMPTION));
    EXPECT_SUCCESS(s2n_connection_set_psk_mode(conn, S2N_PSK_MODE_RESUMPTION));
    EXPECT_UNIMPLEMENTED_IN_S2NRS(s2n_config_set_psk_mode(config, S2N_PSK_MODE_EXTERNAL));
    EXPECT_UNIMPLEMENTED_IN_S2NRS(s2n_connection_set_psk_mode(conn, S2N_PSK_MODE_EXTERNAL));

    /* A PSK object is built and checked as in s2n; s2nrs cannot use it in a
     * handshake (rustls has no external PSKs). */
    struct s2n_psk *psk = s2n_external_psk_new();
    EXPECT(psk != NULL);
    EXPECT_FAILURE_WITH_ERRNO(s2n_psk_set_identity(psk, NULL, 5), S2NRS_E_NULL);
    EXPECT_FAILURE_WITH_ERRNO(s2n_psk_set_identity(psk, (const uint8_t *) "alice", 0), S2NRS_E_INVALID_ARGUMENT);
    EXPECT_SUCCESS(s2n_psk_set_identity(psk, (const uint8_t *) "alice", 5));
    const uint8_t zeros[16] = { 0 };
    EXPECT_FAILURE_WITH_ERRNO(s2n_psk_set_secret(psk, zeros, sizeof(zeros)), S2NRS_E_INVALID_ARGUMENT);
    EXPECT_FAILURE_WITH_ERRNO(s2n_psk_set_secret(psk, zeros, 0), S2NRS_E_INVALID_ARGUMENT);
    EXPECT_SUCCESS(s2n_psk_set_secret(psk, (const uint8_t *) "sixteen byte key", 16));
    EXPECT_FAILURE_WITH_ERRNO(s2n_psk_set_hmac(psk, (s2n_psk_hmac) 7), S2NRS_E_HMAC_INVALID_ALGORITHM);
    EXPECT_SUCCESS(s2n_psk_set_hmac(psk, S2N_PSK_HMAC_SHA384));
    EXPECT_UNIMPLEMENTED_IN_S2NRS(s2n_connection_append_psk(conn, psk));
    EXPECT_SUCCESS(s2n_psk_free(&psk));
    EXPECT(psk == NULL);
    EXPECT_SUCCESS(s2n_psk_free(&psk));
    EXPECT_SUCCESS(s2n_psk_free(NULL));
    if (s2nrs_library_is_s2nrs()) {
        s2n_errno = 0;
        EXPECT(s2n_offered_psk_new() == NULL);
        EXPECT_EQ_INT(s2n_errno, S2NRS_E_UNIMPLEMENTED);
    }
    uint16_t len = 0;
    EXPECT_UNIMPLEMENTED_IN_S2NRS(s2n_connection_get_negotiated_psk_identity_length(conn, &len));

    /* Async private keys: ctests/selftalk_async_pkey.c. */
    EXPECT_SUCCESS(s2n_config_set_async_pkey_callback(config, pkey_cb));
    EXPECT_SUCCESS(s2n_config_set_async_pkey_validation_mode(config, S2N_ASYNC_PKEY_VALIDATION_STRICT));

    EXPECT_SUCCESS(s2n_connection_free(conn));
    EXPECT_SUCCESS(s2n_config_free(config));
}

int main(void)
{
    s2nrs_tls_setup(60);
    test_error_get_alert();
    test_quic_getters();
    test_psk_and_async_pkey();
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
