/*
 * Self-talk full handshakes: TLS1.2 and TLS1.3, each with an ECDSA and an RSA
 * server certificate, then what both ends report about the connection:
 * protocol versions, cipher (name and IANA value), key exchange group and
 * curve, handshake type name, signature algorithm, wire byte counters, the
 * server name, the peer certificate chain, the TLS1.2 master secret and the
 * TLS1.3 exporter.
 *
 * Both sides use the same policy: "default_tls13" (TLS1.3) or
 * "ELBSecurityPolicy-TLS-1-2-Ext-2018-06" (no TLS1.3; its signature schemes
 * have no RSA-PSS, so TLS1.2 RSA signs with PKCS#1).
 */
#include "harness/selftalk.h"

#define POLICY_TLS13 "default_tls13"
#define POLICY_TLS12 "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"
#define SERVER_NAME "s2nrs.test"

struct hs_case {
    const char *label;
    const char *policy;
    int version;
    bool rsa;
    const char *chain_file;
    const char *key_file;
    const char *ca_file;
    /* expectations (both sides use the same policy, so the server's first
     * preference is also the client's) */
    const char *cipher;
    uint8_t iana[2];
    const char *handshake_type;
};

static const struct hs_case cases[] = {
    { "TLS1.3 ECDSA", POLICY_TLS13, S2N_TLS13, false, "server-ecdsa-chain.pem", "server-ecdsa-key.pem",
            "ca-ecdsa.pem", "TLS_AES_128_GCM_SHA256", { 0x13, 0x01 },
            "NEGOTIATED|FULL_HANDSHAKE|MIDDLEBOX_COMPAT" },
    { "TLS1.3 RSA", POLICY_TLS13, S2N_TLS13, true, "server-rsa-chain.pem", "server-rsa-key.pem", "ca-rsa.pem",
            "TLS_AES_128_GCM_SHA256", { 0x13, 0x01 }, "NEGOTIATED|FULL_HANDSHAKE|MIDDLEBOX_COMPAT" },
    { "TLS1.2 ECDSA", POLICY_TLS12, S2N_TLS12, false, "server-ecdsa-chain.pem", "server-ecdsa-key.pem",
            "ca-ecdsa.pem", "ECDHE-ECDSA-AES128-GCM-SHA256", { 0xC0, 0x2B },
            "NEGOTIATED|FULL_HANDSHAKE|TLS12_PERFECT_FORWARD_SECRECY" },
    { "TLS1.2 RSA", POLICY_TLS12, S2N_TLS12, true, "server-rsa-chain.pem", "server-rsa-key.pem", "ca-rsa.pem",
            "ECDHE-RSA-AES128-GCM-SHA256", { 0xC0, 0x2F },
            "NEGOTIATED|FULL_HANDSHAKE|TLS12_PERFECT_FORWARD_SECRECY" },
};

static void check_side(const struct hs_case *c, struct s2n_connection *conn, const char *side)
{
    printf("    %s: version %s, cipher %s, group/curve %s, handshake %s\n", side,
            s2nrs_version_name(s2n_connection_get_actual_protocol_version(conn)),
            s2nrs_safe_str(s2n_connection_get_cipher(conn)), s2nrs_safe_str(s2n_connection_get_curve(conn)),
            s2nrs_safe_str(s2n_connection_get_handshake_type_name(conn)));

    EXPECT_EQ_INT(s2n_connection_get_actual_protocol_version(conn), c->version);
    /* Both ends run the same policy: the client's highest version is the
     * negotiated one, and so is the server's. */
    EXPECT_EQ_INT(s2n_connection_get_client_protocol_version(conn), c->version);
    EXPECT_EQ_INT(s2n_connection_get_server_protocol_version(conn), c->version);

    const char *cipher = s2n_connection_get_cipher(conn);
    EXPECT(cipher != NULL);
    EXPECT(cipher == NULL || strcmp(cipher, "TLS_NULL_WITH_NULL_NULL") != 0);
    EXPECT_STREQ(cipher, c->cipher);

    uint8_t first = 0, second = 0;
    EXPECT_SUCCESS(s2n_connection_get_cipher_iana_value(conn, &first, &second));
    EXPECT_EQ_INT(first, c->iana[0]);
    EXPECT_EQ_INT(second, c->iana[1]);

    const char *group = NULL;
    EXPECT_SUCCESS(s2n_connection_get_key_exchange_group(conn, &group));
    /* Both policies list secp256r1 first (and the TLS1.3 one has no KEM groups). */
    EXPECT_STREQ(group, "secp256r1");
    EXPECT_STREQ(s2n_connection_get_curve(conn), "secp256r1");

    const char *type = s2n_connection_get_handshake_type_name(conn);
    EXPECT(s2nrs_starts_with(type, "NEGOTIATED|FULL_HANDSHAKE"));
    EXPECT_STREQ(type, c->handshake_type);

    s2n_tls_signature_algorithm sig = S2N_TLS_SIGNATURE_ANONYMOUS;
    EXPECT_SUCCESS(s2n_connection_get_selected_signature_algorithm(conn, &sig));
    if (!c->rsa) {
        EXPECT_EQ_INT(sig, S2N_TLS_SIGNATURE_ECDSA);
    } else if (c->version == S2N_TLS13) {
        EXPECT_EQ_INT(sig, S2N_TLS_SIGNATURE_RSA_PSS_RSAE);
    } else {
        EXPECT_EQ_INT(sig, S2N_TLS_SIGNATURE_RSA);
    }

    EXPECT(s2n_connection_get_wire_bytes_in(conn) > 0);
    EXPECT(s2n_connection_get_wire_bytes_out(conn) > 0);
}

/* The client's copy of the server's chain: 2 certificates, the leaf equal to
 * the first certificate of the PEM file the server loaded. */
static void check_peer_chain(struct s2n_connection *client, struct s2n_cert_chain_and_key *server_chain)
{
    struct s2n_cert_chain_and_key *peer = s2n_cert_chain_and_key_new();
    EXPECT(peer != NULL);
    if (peer == NULL) {
        return;
    }
    EXPECT_SUCCESS(s2n_connection_get_peer_cert_chain(client, peer));
    uint32_t length = 0;
    EXPECT_SUCCESS(s2n_cert_chain_get_length(peer, &length));
    EXPECT_EQ_INT(length, 2);

    uint32_t got_len = 0, want_len = 0;
    const uint8_t *got = s2nrs_chain_cert_der(peer, 0, &got_len);
    const uint8_t *want = s2nrs_chain_cert_der(server_chain, 0, &want_len);
    EXPECT(got != NULL);
    EXPECT(want != NULL);
    EXPECT_EQ_INT(got_len, want_len);
    if (got && want && got_len == want_len) {
        EXPECT(memcmp(got, want, got_len) == 0);
    }
    /* The second certificate is the CA that followed the leaf in the file. */
    got = s2nrs_chain_cert_der(peer, 1, &got_len);
    want = s2nrs_chain_cert_der(server_chain, 1, &want_len);
    EXPECT(got != NULL && want != NULL && got_len == want_len && memcmp(got, want, got_len) == 0);

    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(peer));
}

static void check_secrets(const struct hs_case *c, struct s2n_connection *client, struct s2n_connection *server)
{
    uint8_t client_secret[48] = { 0 }, server_secret[48] = { 0 };
    static const uint8_t label[] = "EXPORTER-s2nrs-selftalk";
    static const uint8_t context[] = "context";
    uint8_t client_export[32] = { 0 }, server_export[32] = { 0 };

    if (c->version == S2N_TLS12) {
        if (!EXPECT_SUCCESS_OR_SKIP(s2n_connection_get_master_secret(client, client_secret, sizeof(client_secret)),
                    "TLS1.2 master secret")) {
            return;
        }
        EXPECT_SUCCESS(s2n_connection_get_master_secret(server, server_secret, sizeof(server_secret)));
        EXPECT(memcmp(client_secret, server_secret, sizeof(client_secret)) == 0);
        uint8_t zero[48] = { 0 };
        EXPECT(memcmp(client_secret, zero, sizeof(zero)) != 0);
        /* The exporter is TLS1.3 only in s2n. */
        EXPECT_FAILURE_WITH_ERRNO(s2n_connection_tls_exporter(client, label, sizeof(label) - 1, context,
                                          sizeof(context) - 1, client_export, sizeof(client_export)),
                S2NRS_E_INVALID_STATE);
    } else {
        EXPECT_FAILURE_WITH_ERRNO(s2n_connection_get_master_secret(client, client_secret, sizeof(client_secret)),
                S2NRS_E_INVALID_STATE);
        EXPECT_FAILURE_WITH_ERRNO(s2n_connection_get_master_secret(server, server_secret, sizeof(server_secret)),
                S2NRS_E_INVALID_STATE);
        if (!EXPECT_SUCCESS_OR_SKIP(s2n_connection_tls_exporter(client, label, sizeof(label) - 1, context,
                                            sizeof(context) - 1, client_export, sizeof(client_export)),
                    "TLS1.3 exporter")) {
            return;
        }
        EXPECT_SUCCESS(s2n_connection_tls_exporter(server, label, sizeof(label) - 1, context, sizeof(context) - 1,
                server_export, sizeof(server_export)));
        EXPECT(memcmp(client_export, server_export, sizeof(client_export)) == 0);
        uint8_t zero[32] = { 0 };
        EXPECT(memcmp(client_export, zero, sizeof(zero)) != 0);
        /* A different context gives a different value. */
        uint8_t other[32] = { 0 };
        EXPECT_SUCCESS(s2n_connection_tls_exporter(client, label, sizeof(label) - 1, (const uint8_t *) "x", 1,
                other, sizeof(other)));
        EXPECT(memcmp(client_export, other, sizeof(other)) != 0);
    }
}

static void run_case(const struct hs_case *c)
{
    printf("== %s (policy %s)\n", c->label, c->policy);
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain(c->chain_file, c->key_file);
    struct s2n_config *server_config = s2nrs_server_config(c->policy, &chain, 1);
    struct s2n_config *client_config = s2nrs_client_config(c->policy, c->ca_file);

    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, SERVER_NAME) == 0) {
        /* Nothing negotiated yet. */
        EXPECT_EQ_INT(s2n_connection_get_wire_bytes_in(p.client), 0);
        EXPECT_EQ_INT(s2n_connection_get_wire_bytes_out(p.client), 0);

        if (EXPECT_HANDSHAKE_OK(p.client, p.server)) {
            check_side(c, p.client, "client");
            check_side(c, p.server, "server");

            EXPECT_STREQ(s2n_connection_get_cipher(p.client), s2n_connection_get_cipher(p.server));
            const char *client_group = NULL, *server_group = NULL;
            s2n_connection_get_key_exchange_group(p.client, &client_group);
            s2n_connection_get_key_exchange_group(p.server, &server_group);
            EXPECT_STREQ(client_group, server_group);

            /* Everything the client wrote, the server read. */
            EXPECT_EQ_INT(s2n_connection_get_wire_bytes_out(p.client), s2n_connection_get_wire_bytes_in(p.server));

            EXPECT_STREQ(s2n_get_server_name(p.server), SERVER_NAME);
            EXPECT_STREQ(s2n_get_server_name(p.client), SERVER_NAME);

            check_peer_chain(p.client, chain);
            check_secrets(c, p.client, p.server);

            /* And data flows both ways. */
            uint8_t msg[300];
            s2nrs_fill_pattern(msg, sizeof(msg), 7);
            EXPECT(s2nrs_transfer(p.client, p.server, msg, sizeof(msg)));
            EXPECT(s2nrs_transfer(p.server, p.client, msg, sizeof(msg)));
        }
    }
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
}

int main(void)
{
    s2nrs_tls_setup(120);

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        run_case(&cases[i]);
    }

    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
