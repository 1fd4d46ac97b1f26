/*
 * Interop with OpenSSL's command-line peers, on 127.0.0.1 only:
 *
 *   our client <-> `openssl s_server -naccept 1 -rev` (echoes each line
 *   reversed): TLS1.2 and TLS1.3, ECDSA and RSA certificates, forced cipher
 *   suites, ALPN, SNI (s_server -servername/-cert2), client authentication
 *   (-Verify 1), and the failures s2n reports for a wrong name, an untrusted
 *   or expired certificate, a missing client certificate and an SNI warning
 *   alert;
 *
 *   `openssl s_client` <-> our server: the same versions and certificates,
 *   ALPN (server preference, and no overlap), SNI certificate selection,
 *   client authentication, and s_client rejecting our certificate.
 *
 * Every expectation is s2n-tls's behaviour (api/s2n.h and s2n-tls's sources);
 * a difference is a bug of the library under test.
 */
#define _GNU_SOURCE

#include "errors_table.h"
#include "harness/peer_cases.h"

#define CLIENT_SAYS "hello from the s2n client\n"
#define CLIENT_SAYS_REVERSED "tneilc n2s eht morf olleh\n"
#define SERVER_SAYS "hello from the s2n server\n"
#define PEER_SAYS "hello from openssl s_client\n"

/* ------------------------------------------------------------------------- */
/* Host checks and extra checks */

static struct s2nrs_host_check accept_client_test = { .accept = "client.test" };
static struct s2nrs_host_check accept_ip = { .accept = "127.0.0.1" };
static struct s2nrs_host_check accept_s2nrs_test = { .accept = "s2nrs.test" };

static void check_server_got_client_cert(struct s2n_connection *conn, struct s2nrs_peer *peer)
{
    (void) peer;
    s2nrs_expect_client_cert_chain(conn);
    s2nrs_expect_host_check_saw(&accept_client_test);
}

static void check_ip_callback(struct s2n_connection *conn, struct s2nrs_peer *peer)
{
    (void) conn;
    (void) peer;
    s2nrs_expect_host_check_saw(&accept_ip);
}

static void check_dns_callback(struct s2n_connection *conn, struct s2nrs_peer *peer)
{
    (void) conn;
    (void) peer;
    s2nrs_expect_host_check_saw(&accept_s2nrs_test);
}

static void check_client_peer_chain(struct s2n_connection *conn, struct s2nrs_peer *peer)
{
    (void) peer;
    s2nrs_expect_peer_cert_chain(conn);
}

static void client_cases(void)
{
    struct s2n_config *ecdsa, *ecdsa_alpn, *rsa, *mtls;
    s2nrs_owned_client_configs(&ecdsa, &ecdsa_alpn, &rsa, &mtls);
    struct s2n_config *ignore_warnings = s2nrs_owned_client_config("ca-ecdsa.pem", 0, NULL);
    EXPECT_SUCCESS(s2n_config_set_alert_behavior(ignore_warnings, S2N_ALERT_IGNORE_WARNINGS));
    struct s2n_config *host_cb_ip = s2nrs_owned_client_config("ca-ecdsa.pem", 0, NULL);
    EXPECT_SUCCESS(s2n_config_set_verify_host_callback(host_cb_ip, s2nrs_host_check_cb, &accept_ip));
    struct s2n_config *host_cb_dns = s2nrs_owned_client_config("ca-ecdsa.pem", 0, NULL);
    EXPECT_SUCCESS(s2n_config_set_verify_host_callback(host_cb_dns, s2nrs_host_check_cb, &accept_s2nrs_test));

    const struct s2nrs_case cases[] = {
        {
                .name = "client_tls13_ecdsa_alpn",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_3", "-ciphersuites",
                        "TLS_AES_256_GCM_SHA384", "-alpn", "h2,http/1.1", NULL },
                .config = ecdsa_alpn,
                .server_name = "s2nrs.test",
                .version = S2N_TLS13,
                .cipher = S2NRS_AES256_13,
                .alpn = "h2",
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
                .peer_needles = { "Protocol version: TLSv1.3", "Ciphersuite: TLS_AES_256_GCM_SHA384",
                        "ALPN protocols advertised by the client: h2, http/1.1" },
                .extra_check = check_client_peer_chain,
        },
        {
                .name = "client_tls12_ecdsa_alpn",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_2", "-cipher",
                        "ECDHE-ECDSA-AES128-GCM-SHA256", "-alpn", "http/1.1", NULL },
                .config = ecdsa_alpn,
                .server_name = "s2nrs.test",
                .version = S2N_TLS12,
                .cipher = S2NRS_ECDSA_AES128_12,
                .alpn = "http/1.1",
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
                .peer_needles = { "Protocol version: TLSv1.2", "Ciphersuite: ECDHE-ECDSA-AES128-GCM-SHA256" },
        },
        {
                /* secp521r1 (src/policy/groups.rs): a server that takes only
                 * P-521 asks our client for a share of it (HelloRetryRequest). */
                .name = "client_tls13_secp521r1",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_3", "-groups",
                        "P-521", NULL },
                .config = ecdsa,
                .server_name = "localhost",
                .version = S2N_TLS13,
                .alpn = "",
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
        },
        {
                .name = "client_tls12_secp521r1",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_2", "-groups",
                        "P-521", NULL },
                .config = ecdsa,
                .server_name = "localhost",
                .version = S2N_TLS12,
                .alpn = "",
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
        },
        {
                .name = "client_tls12_ecdsa_aes256",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_2", "-cipher",
                        "ECDHE-ECDSA-AES256-GCM-SHA384", NULL },
                .config = ecdsa,
                .server_name = "localhost",
                .version = S2N_TLS12,
                .cipher = S2NRS_ECDSA_AES256_12,
                .alpn = "",
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
        },
        {
                .name = "client_tls13_chacha_no_alpn",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_3", "-ciphersuites",
                        "TLS_CHACHA20_POLY1305_SHA256", NULL },
                .config = ecdsa_alpn,
                .server_name = "s2nrs.test",
                .version = S2N_TLS13,
                .cipher = S2NRS_CHACHA_13,
                .alpn = "",
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
        },
        {
                /* Handshake messages split over 512-byte records: rustls joins
                 * them while it keeps the records. */
                .name = "client_tls13_rsa_small_records",
                .argv = { S2NRS_S_SERVER("server-rsa-chain.pem", "server-rsa-key.pem"), "-tls1_3", "-ciphersuites",
                        "TLS_AES_128_GCM_SHA256", "-max_send_frag", "512", NULL },
                .config = rsa,
                .server_name = "s2nrs.test",
                .version = S2N_TLS13,
                .cipher = S2NRS_AES128_13,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
        },
        {
                .name = "client_tls12_rsa_small_records",
                .argv = { S2NRS_S_SERVER("server-rsa-chain.pem", "server-rsa-key.pem"), "-tls1_2", "-cipher",
                        "ECDHE-RSA-AES128-GCM-SHA256", "-max_send_frag", "512", NULL },
                .config = rsa,
                .server_name = "s2nrs.test",
                .version = S2N_TLS12,
                .cipher = S2NRS_RSA_AES128_12,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
        },
        {
                .name = "client_tls13_rsa",
                .argv = { S2NRS_S_SERVER("server-rsa-chain.pem", "server-rsa-key.pem"), "-tls1_3", "-ciphersuites",
                        "TLS_AES_128_GCM_SHA256", NULL },
                .config = rsa,
                .server_name = "s2nrs.test",
                .version = S2N_TLS13,
                .cipher = S2NRS_AES128_13,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
        },
        {
                .name = "client_tls12_rsa",
                .argv = { S2NRS_S_SERVER("server-rsa-chain.pem", "server-rsa-key.pem"), "-tls1_2", "-cipher",
                        "ECDHE-RSA-AES256-GCM-SHA384", NULL },
                .config = rsa,
                .server_name = "s2nrs.test",
                .version = S2N_TLS12,
                .cipher = S2NRS_RSA_AES256_12,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
        },
        {
                /* s_server answers SNI s2nrs.test with -cert2; its default certificate
                 * (other.test) would fail our hostname check. */
                .name = "client_tls13_sni_selects_cert2",
                .argv = { S2NRS_S_SERVER("other-ecdsa-chain.pem", "other-ecdsa-key.pem"), "-tls1_3", "-servername",
                        "s2nrs.test", "-cert2", s2nrs_cert_path("server-ecdsa-chain.pem"), "-key2",
                        s2nrs_cert_path("server-ecdsa-key.pem"), NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .version = S2N_TLS13,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
                .peer_needles = { "Hostname in TLS extension: \"s2nrs.test\"", "Switching server context." },
        },
        {
                .name = "client_tls12_sni_selects_cert2",
                .argv = { S2NRS_S_SERVER("other-ecdsa-chain.pem", "other-ecdsa-key.pem"), "-tls1_2", "-servername",
                        "s2nrs.test", "-cert2", s2nrs_cert_path("server-ecdsa-chain.pem"), "-key2",
                        s2nrs_cert_path("server-ecdsa-key.pem"), NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .version = S2N_TLS12,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
                .peer_needles = { "Hostname in TLS extension: \"s2nrs.test\"", "Switching server context." },
        },
        {
                .name = "client_tls13_ip_address_san",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_3", NULL },
                .config = ecdsa,
                .server_name = "127.0.0.1",
                .version = S2N_TLS13,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
        },
        {
                .name = "client_tls13_wildcard",
                .argv = { S2NRS_S_SERVER("wildcard-ecdsa-chain.pem", "wildcard-ecdsa-key.pem"), "-tls1_3", NULL },
                .config = ecdsa,
                .server_name = "a.wild.test",
                .version = S2N_TLS13,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
        },
        {
                .name = "client_tls13_mtls",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_3", "-Verify", "1",
                        "-verify_return_error", "-CAfile", s2nrs_cert_path("ca-ecdsa.pem"), NULL },
                .config = mtls,
                .server_name = "s2nrs.test",
                .version = S2N_TLS13,
                .client_cert_used = 1,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
                .peer_needles = { "Peer certificate: CN = client-ecdsa", "Verification: OK" },
        },
        {
                .name = "client_tls12_mtls",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_2", "-Verify", "1",
                        "-verify_return_error", "-CAfile", s2nrs_cert_path("ca-ecdsa.pem"), NULL },
                .config = mtls,
                .server_name = "s2nrs.test",
                .version = S2N_TLS12,
                .client_cert_used = 1,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
                .peer_needles = { "Peer certificate: CN = client-ecdsa", "Verification: OK" },
        },
        {
                /* s_server -verify (optional): our client without a certificate
                 * answers the request with an empty Certificate. */
                .name = "client_tls13_optional_client_auth_no_cert",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_3", "-verify", "1",
                        "-CAfile", s2nrs_cert_path("ca-ecdsa.pem"), NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .version = S2N_TLS13,
                .client_cert_used = 0,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
                .peer_needles = { "No peer certificate" },
        },
        {
                .name = "client_tls12_optional_client_auth_no_cert",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_2", "-verify", "1",
                        "-CAfile", s2nrs_cert_path("ca-ecdsa.pem"), NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .version = S2N_TLS12,
                .client_cert_used = 0,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
                .peer_needles = { "No peer certificate" },
        },
        {
                /* Our client's config allows warnings: the TLS1.2 unrecognized_name
                 * warning of an SNI mismatch is ignored. */
                .name = "client_tls12_sni_warning_ignored",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_2", "-servername",
                        "other.test", "-cert2", s2nrs_cert_path("other-ecdsa-chain.pem"), "-key2",
                        s2nrs_cert_path("other-ecdsa-key.pem"), NULL },
                .config = ignore_warnings,
                .server_name = "localhost",
                .version = S2N_TLS12,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
                .peer_absent = { "Switching server context." },
        },
        {
                /* The callback replaces the server-name check and is given every
                 * SAN, IP addresses as text: it accepts the IP SAN 127.0.0.1. */
                .name = "client_verify_host_callback_ip_san",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_3", NULL },
                .config = host_cb_ip,
                .server_name = "s2nrs.test",
                .version = S2N_TLS13,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
                .extra_check = check_ip_callback,
        },
        {
                /* The callback alone decides: it accepts s2nrs.test although the
                 * server name set is localhost. */
                .name = "client_verify_host_callback_dns_san",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_2", NULL },
                .config = host_cb_dns,
                .server_name = "localhost",
                .version = S2N_TLS12,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS_REVERSED,
                .extra_check = check_dns_callback,
        },

        /* ---- failures ---- */
        {
                .name = "client_fail_hostname_tls13",
                .argv = { S2NRS_S_SERVER("other-ecdsa-chain.pem", "other-ecdsa-key.pem"), "-tls1_3", NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .expect_error = S2NRS_E_CERT_INVALID_HOSTNAME,
                .peer_exit = S2NRS_ANY_EXIT,
        },
        {
                .name = "client_fail_hostname_tls12",
                .argv = { S2NRS_S_SERVER("other-ecdsa-chain.pem", "other-ecdsa-key.pem"), "-tls1_2", NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .expect_error = S2NRS_E_CERT_INVALID_HOSTNAME,
                .peer_exit = S2NRS_ANY_EXIT,
        },
        {
                .name = "client_fail_wildcard_two_labels",
                .argv = { S2NRS_S_SERVER("wildcard-ecdsa-chain.pem", "wildcard-ecdsa-key.pem"), "-tls1_3", NULL },
                .config = ecdsa,
                .server_name = "a.b.wild.test",
                .expect_error = S2NRS_E_CERT_INVALID_HOSTNAME,
                .peer_exit = S2NRS_ANY_EXIT,
        },
        {
                .name = "client_fail_untrusted_self_signed",
                .argv = { S2NRS_S_SERVER("untrusted.pem", "untrusted-key.pem"), "-tls1_3", NULL },
                .config = ecdsa,
                .server_name = "localhost",
                .expect_error = S2NRS_E_CERT_UNTRUSTED,
                .peer_exit = S2NRS_ANY_EXIT,
        },
        {
                /* s2n checks the host name before the chain: an untrusted
                 * certificate for another name fails the host check. */
                .name = "client_fail_untrusted_and_wrong_name",
                .argv = { S2NRS_S_SERVER("untrusted.pem", "untrusted-key.pem"), "-tls1_3", NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .expect_error = S2NRS_E_CERT_INVALID_HOSTNAME,
                .peer_exit = S2NRS_ANY_EXIT,
        },
        {
                .name = "client_fail_wrong_ca_tls12",
                .argv = { S2NRS_S_SERVER("server-rsa-chain.pem", "server-rsa-key.pem"), "-tls1_2", NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .expect_error = S2NRS_E_CERT_UNTRUSTED,
                .peer_exit = S2NRS_ANY_EXIT,
        },
        {
                .name = "client_fail_expired",
                .argv = { S2NRS_S_SERVER("expired-chain.pem", "expired-key.pem"), "-tls1_3", NULL },
                .config = ecdsa,
                .server_name = "localhost",
                .expect_error = S2NRS_E_CERT_EXPIRED,
                .peer_exit = S2NRS_ANY_EXIT,
        },
        {
                /* TLS1.3: our handshake completes before s_server checks our
                 * (empty) Certificate; its certificate_required alert fails the
                 * first read. */
                .name = "client_fail_tls13_missing_client_cert",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_3", "-Verify", "1",
                        "-CAfile", s2nrs_cert_path("ca-ecdsa.pem"), NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .expect_error = S2NRS_E_ALERT,
                .expect_alert = S2NRS_ALERT_CERTIFICATE_REQUIRED,
                .peer_exit = S2NRS_ANY_EXIT,
                .peer_needles = { "peer did not return a certificate" },
        },
        {
                .name = "client_fail_tls12_missing_client_cert",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_2", "-Verify", "1",
                        "-CAfile", s2nrs_cert_path("ca-ecdsa.pem"), NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .expect_error = S2NRS_E_ALERT,
                .expect_alert = S2NRS_ALERT_HANDSHAKE_FAILURE,
                .peer_exit = S2NRS_ANY_EXIT,
                .peer_needles = { "peer did not return a certificate" },
        },
        {
                /* s2n's default alert behaviour (S2N_ALERT_FAIL_ON_WARNINGS) makes
                 * the TLS1.2 unrecognized_name warning alert fatal. */
                .name = "client_fail_tls12_sni_warning_alert",
                .argv = { S2NRS_S_SERVER("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "-tls1_2", "-servername",
                        "other.test", "-cert2", s2nrs_cert_path("other-ecdsa-chain.pem"), "-key2",
                        s2nrs_cert_path("other-ecdsa-key.pem"), NULL },
                .config = ecdsa,
                .server_name = "localhost",
                .expect_error = S2NRS_E_ALERT,
                .expect_alert = S2NRS_ALERT_UNRECOGNIZED_NAME,
                .peer_exit = S2NRS_ANY_EXIT,
                .known_difference = "tls12-warning-alerts",
        },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        s2nrs_run_client_case(&cases[i]);
    }
}

static void server_cases(void)
{
    struct s2n_config *ecdsa, *rsa, *mtls, *mtls_default_host;
    s2nrs_owned_server_configs(&accept_client_test, &ecdsa, &rsa, &mtls, &mtls_default_host);

    const struct s2nrs_case cases[] = {
        {
                /* s2n picks ALPN by server preference: h2 although s_client lists http/1.1 first. */
                .name = "server_tls13_ecdsa_alpn_sni",
                .argv = { S2NRS_S_CLIENT("ca-ecdsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_3",
                        "-ciphersuites", "TLS_AES_128_GCM_SHA256", "-alpn", "http/1.1,h2", NULL },
                .config = ecdsa,
                .version = S2N_TLS13,
                .cipher = S2NRS_AES128_13,
                .alpn = "h2",
                .sni = "s2nrs.test",
                .cert_match = S2N_SNI_EXACT_MATCH,
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_needles = { "New, TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256", "ALPN protocol: h2",
                        "Verify return code: 0 (ok)" },
        },
        {
                .name = "server_tls13_secp521r1",
                .argv = { S2NRS_S_CLIENT("ca-ecdsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_3",
                        "-groups", "P-521", NULL },
                .config = ecdsa,
                .version = S2N_TLS13,
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_needles = { "521 bits", "Verify return code: 0 (ok)" },
        },
        {
                .name = "server_tls12_ecdsa_alpn_sni",
                .argv = { S2NRS_S_CLIENT("ca-ecdsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_2", "-cipher",
                        "ECDHE-ECDSA-AES256-GCM-SHA384", "-alpn", "http/1.1", NULL },
                .config = ecdsa,
                .version = S2N_TLS12,
                .cipher = S2NRS_ECDSA_AES256_12,
                .alpn = "http/1.1",
                .sni = "s2nrs.test",
                .cert_match = S2N_SNI_EXACT_MATCH,
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_needles = { "New, TLSv1.2, Cipher is ECDHE-ECDSA-AES256-GCM-SHA384", "ALPN protocol: http/1.1",
                        "Verify return code: 0 (ok)" },
        },
        {
                /* No common protocol: s2n-tls carries on without ALPN. */
                .name = "server_tls13_alpn_no_overlap",
                .argv = { S2NRS_S_CLIENT("ca-ecdsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_3", "-alpn",
                        "spdy/1", NULL },
                .config = ecdsa,
                .version = S2N_TLS13,
                .alpn = "",
                .sni = "s2nrs.test",
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_needles = { "No ALPN negotiated", "Verify return code: 0 (ok)" },
        },
        {
                .name = "server_tls13_sni_selects_other",
                .argv = { S2NRS_S_CLIENT("ca-ecdsa.pem", "other.test"), "-servername", "other.test", "-tls1_3", NULL },
                .config = ecdsa,
                .version = S2N_TLS13,
                .alpn = "",
                .sni = "other.test",
                .cert_match = S2N_SNI_EXACT_MATCH,
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_needles = { "Verify return code: 0 (ok)", "CN = other-ecdsa" },
        },
        {
                .name = "server_tls12_sni_selects_other",
                .argv = { S2NRS_S_CLIENT("ca-ecdsa.pem", "other.test"), "-servername", "other.test", "-tls1_2", NULL },
                .config = ecdsa,
                .version = S2N_TLS12,
                .sni = "other.test",
                .cert_match = S2N_SNI_EXACT_MATCH,
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_needles = { "Verify return code: 0 (ok)", "CN = other-ecdsa" },
        },
        {
                /* No SNI: the default (first) certificate. */
                .name = "server_tls13_no_sni_default_cert",
                .argv = { S2NRS_S_CLIENT("ca-ecdsa.pem", "s2nrs.test"), "-noservername", "-tls1_3", NULL },
                .config = ecdsa,
                .version = S2N_TLS13,
                .sni = "",
                .cert_match = S2N_SNI_NONE,
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_needles = { "Verify return code: 0 (ok)", "CN = server-ecdsa" },
        },
        {
                .name = "server_tls13_rsa",
                .argv = { S2NRS_S_CLIENT("ca-rsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_3",
                        "-ciphersuites", "TLS_AES_256_GCM_SHA384", NULL },
                .config = rsa,
                .version = S2N_TLS13,
                .cipher = S2NRS_AES256_13,
                .sni = "s2nrs.test",
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_needles = { "New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384", "Verify return code: 0 (ok)" },
        },
        {
                .name = "server_tls12_rsa",
                .argv = { S2NRS_S_CLIENT("ca-rsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_2", "-cipher",
                        "ECDHE-RSA-AES128-GCM-SHA256", NULL },
                .config = rsa,
                .version = S2N_TLS12,
                .cipher = S2NRS_RSA_AES128_12,
                .sni = "s2nrs.test",
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_needles = { "New, TLSv1.2, Cipher is ECDHE-RSA-AES128-GCM-SHA256", "Verify return code: 0 (ok)" },
        },
        {
                .name = "server_tls13_mtls",
                .argv = { S2NRS_S_CLIENT("ca-ecdsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_3", "-cert",
                        s2nrs_cert_path("client-ecdsa-chain.pem"), "-key", s2nrs_cert_path("client-ecdsa-key.pem"),
                        NULL },
                .config = mtls,
                .version = S2N_TLS13,
                .sni = "s2nrs.test",
                .client_cert_used = 1,
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_needles = { "Verify return code: 0 (ok)" },
                .extra_check = check_server_got_client_cert,
        },
        {
                .name = "server_tls12_mtls",
                .argv = { S2NRS_S_CLIENT("ca-ecdsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_2", "-cert",
                        s2nrs_cert_path("client-ecdsa-chain.pem"), "-key", s2nrs_cert_path("client-ecdsa-key.pem"),
                        NULL },
                .config = mtls,
                .version = S2N_TLS12,
                .sni = "s2nrs.test",
                .client_cert_used = 1,
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_needles = { "Verify return code: 0 (ok)" },
                .extra_check = check_server_got_client_cert,
        },

        /* ---- failures ---- */
        {
                /* s2n's default verify-host check applies to client certificates
                 * too: client.test is not the server name s2nrs.test. */
                .name = "server_fail_tls12_mtls_default_host_check",
                .argv = { S2NRS_S_CLIENT("ca-ecdsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_2", "-cert",
                        s2nrs_cert_path("client-ecdsa-chain.pem"), "-key", s2nrs_cert_path("client-ecdsa-key.pem"),
                        NULL },
                .config = mtls_default_host,
                .expect_error = S2NRS_E_CERT_INVALID_HOSTNAME,
                .peer_exit = S2NRS_NONZERO,
        },
        {
                .name = "server_fail_tls13_missing_client_cert",
                .argv = { S2NRS_S_CLIENT("ca-ecdsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_3", NULL },
                .config = mtls,
                .expect_error = S2NRS_E_MISSING_CLIENT_CERT,
                .peer_exit = S2NRS_ANY_EXIT,
        },
        {
                .name = "server_fail_tls12_missing_client_cert",
                .argv = { S2NRS_S_CLIENT("ca-ecdsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_2", NULL },
                .config = mtls,
                .expect_error = S2NRS_E_MISSING_CLIENT_CERT,
                .peer_exit = S2NRS_NONZERO,
        },
        {
                /* s_client trusts only the RSA CA: it rejects our ECDSA chain with unknown_ca. */
                .name = "server_fail_tls13_client_rejects_ca",
                .argv = { S2NRS_S_CLIENT("ca-rsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_3", NULL },
                .config = ecdsa,
                .expect_error = S2NRS_E_ALERT,
                .expect_alert = S2NRS_ALERT_UNKNOWN_CA,
                .peer_exit = S2NRS_NONZERO,
                .peer_needles = { "verify error" },
        },
        {
                .name = "server_fail_tls12_client_rejects_ca",
                .argv = { S2NRS_S_CLIENT("ca-rsa.pem", "s2nrs.test"), "-servername", "s2nrs.test", "-tls1_2", NULL },
                .config = ecdsa,
                .expect_error = S2NRS_E_ALERT,
                .expect_alert = S2NRS_ALERT_UNKNOWN_CA,
                .peer_exit = S2NRS_NONZERO,
                .peer_needles = { "verify error" },
        },
        {
                .name = "server_fail_tls13_client_rejects_name",
                .argv = { S2NRS_S_CLIENT("ca-ecdsa.pem", "wrong.test"), "-servername", "s2nrs.test", "-tls1_3", NULL },
                .config = ecdsa,
                .expect_error = S2NRS_E_ALERT,
                .peer_exit = S2NRS_NONZERO,
                .peer_needles = { "verify error" },
        },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        s2nrs_run_server_case(&cases[i]);
    }
}

int main(void)
{
    s2nrs_interop_init(S2NRS_ALARM_SECONDS);
    s2nrs_require_tool("openssl");
    char version[256];
    s2nrs_tool_first_line("openssl version 2>&1", version, sizeof(version));
    printf("peer: %s\n", version);

    EXPECT_SUCCESS(s2n_init());
    client_cases();
    server_cases();

    s2nrs_free_owned();
    EXPECT_SUCCESS(s2n_cleanup_final());
    s2nrs_cases_summary(__FILE__);
    return S2NRS_TEST_RESULT();
}
