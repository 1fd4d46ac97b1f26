/*
 * Differential: client policy x server policy negotiation outcomes.
 *
 * For every pair of a fixed set of named security policies (client policy,
 * server policy), a self-talk handshake over a nonblocking socketpair: the
 * server holds an ECDSA (P-256) and an RSA (2048) chain, the client trusts
 * both CAs and asks for "localhost". Stdout carries only deterministic facts,
 * one line per pair:
 *
 *   policy <p> -> the s2n_config_set_cipher_preferences outcome (client, server config)
 *   client=<c> server=<s> -> <version> <cipher> group=<group>
 *   client=<c> server=<s> sig -> <signature>/<hash> (the server's, seen by the client)
 *   client=<c> server=<s> hs -> <handshake type name>
 *   client=<c> server=<s> -> FAIL <side> <error name> <error type>
 *
 * ctests/diff/compare.py diffs this output between s2nrs and s2n-tls;
 * the intended differences are listed in ctests/diff/expected.tsv.
 * The policies: every one is neither deprecated nor one of the 6 policies
 * without a rustls suite (see "no-rustls-suite" in harness/common.c).
 */
#include "harness/selftalk.h"

static const char *const POLICIES[] = {
    "default",
    "default_tls13",
    "default_fips",
    "default_pq",
    "20230317",
    "20240501",
    "20170210",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "CloudFront-TLS-1-2-2021",
    "AWS-CRT-SDK-TLSv1.3",
    "test_all_ecdsa",
    "rfc9151",
    "KMS-TLS-1-0-2018-10",
};
#define N_POLICIES (sizeof(POLICIES) / sizeof(POLICIES[0]))

static const char *sig_name(s2n_tls_signature_algorithm s)
{
    switch (s) {
        case S2N_TLS_SIGNATURE_ANONYMOUS: return "anonymous";
        case S2N_TLS_SIGNATURE_RSA: return "rsa";
        case S2N_TLS_SIGNATURE_ECDSA: return "ecdsa";
        case S2N_TLS_SIGNATURE_RSA_PSS_RSAE: return "rsa_pss_rsae";
        case S2N_TLS_SIGNATURE_RSA_PSS_PSS: return "rsa_pss_pss";
        default: return "other";
    }
}

static const char *hash_name(s2n_tls_hash_algorithm h)
{
    switch (h) {
        case S2N_TLS_HASH_NONE: return "none";
        case S2N_TLS_HASH_MD5: return "md5";
        case S2N_TLS_HASH_SHA1: return "sha1";
        case S2N_TLS_HASH_SHA224: return "sha224";
        case S2N_TLS_HASH_SHA256: return "sha256";
        case S2N_TLS_HASH_SHA384: return "sha384";
        case S2N_TLS_HASH_SHA512: return "sha512";
        case S2N_TLS_HASH_MD5_SHA1: return "md5_sha1";
        default: return "other";
    }
}

static const char *str_or(const char *s, const char *dflt)
{
    return s ? s : dflt;
}

int main(void)
{
    s2nrs_tls_setup(120);

    struct s2n_cert_chain_and_key *chains[2] = {
        s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem"),
        s2nrs_load_chain("server-rsa-chain.pem", "server-rsa-key.pem"),
    };
    if (!chains[0] || !chains[1]) {
        printf("cannot load the server chains\n");
        return 1;
    }

    struct s2n_config *client_configs[N_POLICIES];
    struct s2n_config *server_configs[N_POLICIES];
    for (size_t i = 0; i < N_POLICIES; i++) {
        client_configs[i] = s2nrs_client_config(NULL, "ca-ecdsa.pem");
        s2nrs_add_trust(client_configs[i], "ca-rsa.pem");
        server_configs[i] = s2nrs_server_config(NULL, chains, 2);
        s2n_errno = 0;
        int rc_c = s2n_config_set_cipher_preferences(client_configs[i], POLICIES[i]);
        int err_c = s2n_errno;
        s2n_errno = 0;
        int rc_s = s2n_config_set_cipher_preferences(server_configs[i], POLICIES[i]);
        int err_s = s2n_errno;
        printf("policy %s -> client rc=%d err=%s, server rc=%d err=%s\n", POLICIES[i], rc_c,
                rc_c ? s2nrs_err_name(err_c) : "-", rc_s, rc_s ? s2nrs_err_name(err_s) : "-");
        if (rc_c != 0) {
            EXPECT_SUCCESS(s2n_config_free(client_configs[i]));
            client_configs[i] = NULL;
        }
        if (rc_s != 0) {
            EXPECT_SUCCESS(s2n_config_free(server_configs[i]));
            server_configs[i] = NULL;
        }
    }

    for (size_t c = 0; c < N_POLICIES; c++) {
        for (size_t s = 0; s < N_POLICIES; s++) {
            if (!client_configs[c] || !server_configs[s]) {
                continue;
            }
            printf("client=%s server=%s -> ", POLICIES[c], POLICIES[s]);
            struct s2nrs_pair p;
            if (s2nrs_pair_init(&p, client_configs[c], server_configs[s], "localhost") != 0) {
                printf("SETUP FAILED\n");
                s2nrs_pair_free(&p);
                continue;
            }
            struct s2nrs_negotiation n = s2nrs_negotiate_pair(p.client, p.server);
            if (n.failed == S2NRS_NONE) {
                s2n_tls_signature_algorithm sig = 0;
                s2n_tls_hash_algorithm hash = 0;
                s2n_connection_get_selected_signature_algorithm(p.client, &sig);
                s2n_connection_get_selected_digest_algorithm(p.client, &hash);
                const char *group = NULL;
                if (s2n_connection_get_key_exchange_group(p.client, &group) != S2N_SUCCESS) {
                    group = NULL;
                }
                printf("%s %s group=%s\n",
                        s2nrs_version_name(s2n_connection_get_actual_protocol_version(p.client)),
                        str_or(s2n_connection_get_cipher(p.client), "(null)"), str_or(group, "(none)"));
                printf("client=%s server=%s sig -> %s/%s\n", POLICIES[c], POLICIES[s], sig_name(sig),
                        hash_name(hash));
                printf("client=%s server=%s hs -> %s\n", POLICIES[c], POLICIES[s],
                        str_or(s2n_connection_get_handshake_type_name(p.server), "(null)"));
            } else if (n.failed == S2NRS_STUCK) {
                printf("FAIL stuck\n");
            } else {
                printf("FAIL %s %s %s\n", s2nrs_side_name(n.failed), s2nrs_err_name(n.err),
                        s2nrs_err_type_name(s2n_error_get_type(n.err)));
            }
            s2nrs_pair_free(&p);
        }
    }

    for (size_t i = 0; i < N_POLICIES; i++) {
        if (client_configs[i]) {
            EXPECT_SUCCESS(s2n_config_free(client_configs[i]));
        }
        if (server_configs[i]) {
            EXPECT_SUCCESS(s2n_config_free(server_configs[i]));
        }
    }
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chains[0]));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chains[1]));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
