/*
 * Interop with GnuTLS's command-line peers, on loopback only:
 *
 *   our client <-> `gnutls-serv --echo`: TLS1.2 and TLS1.3 (--priority),
 *   ECDSA and RSA certificates, forced ciphers, ALPN, SNI certificate
 *   selection (two --x509certfile/--x509keyfile pairs), optional and required
 *   client certificates, and the failures s2n reports for a wrong name, an
 *   untrusted or expired certificate and a missing client certificate;
 *
 *   `gnutls-cli` <-> our server: the same versions and certificates, ALPN
 *   (server preference, and no overlap), SNI selection (--sni-hostname, and
 *   --disable-sni), client certificates, and gnutls-cli rejecting our
 *   certificate.
 *
 * gnutls-serv can only listen on every address (0.0.0.0 and ::), so its cases
 * run in a private network namespace that holds nothing but lo; where one
 * cannot be created they are skipped. gnutls-cli talks to our server on
 * 127.0.0.1 (inside that namespace too when there is one).
 *
 * Every expectation is s2n-tls's behaviour (api/s2n.h and s2n-tls's sources);
 * a difference is a bug of the library under test.
 */
#define _GNU_SOURCE

#include "errors_table.h"
#include "harness/peer_cases.h"

#define CLIENT_SAYS "hello from the s2n client\n"
#define SERVER_SAYS "hello from the s2n server\n"
#define PEER_SAYS "hello from gnutls-cli\n"

#define TLS13 "NORMAL:-VERS-ALL:+VERS-TLS1.3"
#define TLS12 "NORMAL:-VERS-ALL:+VERS-TLS1.2"

/* ------------------------------------------------------------------------- */
/* Host checks and extra checks */

static struct s2nrs_host_check accept_client_test = { .accept = "client.test" };

static void check_server_got_client_cert(struct s2n_connection *conn, struct s2nrs_peer *peer)
{
    (void) peer;
    s2nrs_expect_client_cert_chain(conn);
    s2nrs_expect_host_check_saw(&accept_client_test);
}

static void check_client_peer_chain(struct s2n_connection *conn, struct s2nrs_peer *peer)
{
    (void) peer;
    s2nrs_expect_peer_cert_chain(conn);
    /* gnutls-serv sends the whole chain file: leaf and CA. */
    struct s2n_cert_chain_and_key *chain = s2n_cert_chain_and_key_new();
    EXPECT_SUCCESS(s2n_connection_get_peer_cert_chain(conn, chain));
    uint32_t length = 0;
    EXPECT_SUCCESS(s2n_cert_chain_get_length(chain, &length));
    EXPECT_EQ_INT(length, 2);
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
}

/* ------------------------------------------------------------------------- */
/* Peer command lines */

/* gnutls-serv with one certificate; the cases add --priority and more. */
#define SERV(cert, key) \
    "gnutls-serv", "--echo", "-p", "{PORT}", "--x509certfile", s2nrs_cert_path(cert), "--x509keyfile", \
            s2nrs_cert_path(key)

/* gnutls-cli to 127.0.0.1, checking our certificate against ca for name. */
#define CLI(ca, name) \
    "gnutls-cli", "-p", "{PORT}", "--x509cafile", s2nrs_cert_path(ca), "--verify-hostname", name

static void client_cases(void)
{
    struct s2n_config *ecdsa, *ecdsa_alpn, *rsa, *mtls;
    s2nrs_owned_client_configs(&ecdsa, &ecdsa_alpn, &rsa, &mtls);

    const struct s2nrs_case cases[] = {
        {
                .name = "gclient_tls13_ecdsa_alpn",
                .argv = { SERV("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "--disable-client-cert",
                        "--priority", TLS13 ":-CIPHER-ALL:+AES-128-GCM", "--alpn", "h2", "--alpn", "http/1.1", NULL },
                .config = ecdsa_alpn,
                .server_name = "s2nrs.test",
                .version = S2N_TLS13,
                .cipher = S2NRS_AES128_13,
                .alpn = "h2",
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS,
                .peer_exit = S2NRS_DONT_CHECK,
                .peer_needles = { "Version: TLS1.3", "Given server name[1]: s2nrs.test", "Application protocol: h2" },
                .extra_check = check_client_peer_chain,
        },
        {
                .name = "gclient_tls12_ecdsa_alpn",
                .argv = { SERV("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "--disable-client-cert",
                        "--priority", TLS12 ":-CIPHER-ALL:+AES-256-GCM", "--alpn", "http/1.1", NULL },
                .config = ecdsa_alpn,
                .server_name = "s2nrs.test",
                .version = S2N_TLS12,
                .cipher = S2NRS_ECDSA_AES256_12,
                .alpn = "http/1.1",
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS,
                .peer_exit = S2NRS_DONT_CHECK,
                .peer_needles = { "Version: TLS1.2", "Given server name[1]: s2nrs.test",
                        "Application protocol: http/1.1" },
        },
        {
                .name = "gclient_tls12_ecdsa_aes128",
                .argv = { SERV("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "--disable-client-cert",
                        "--priority", TLS12 ":-CIPHER-ALL:+AES-128-GCM", NULL },
                .config = ecdsa,
                .server_name = "localhost",
                .version = S2N_TLS12,
                .cipher = S2NRS_ECDSA_AES128_12,
                .alpn = "",
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS,
                .peer_exit = S2NRS_DONT_CHECK,
                .peer_needles = { "Version: TLS1.2" },
        },
        {
                .name = "gclient_tls13_chacha",
                .argv = { SERV("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "--disable-client-cert",
                        "--priority", TLS13 ":-CIPHER-ALL:+CHACHA20-POLY1305", NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .version = S2N_TLS13,
                .cipher = S2NRS_CHACHA_13,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS,
                .peer_exit = S2NRS_DONT_CHECK,
                .peer_needles = { "Version: TLS1.3", "Cipher: CHACHA20-POLY1305" },
        },
        {
                .name = "gclient_tls13_rsa",
                .argv = { SERV("server-rsa-chain.pem", "server-rsa-key.pem"), "--disable-client-cert", "--priority",
                        TLS13 ":-CIPHER-ALL:+AES-256-GCM", NULL },
                .config = rsa,
                .server_name = "s2nrs.test",
                .version = S2N_TLS13,
                .cipher = S2NRS_AES256_13,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS,
                .peer_exit = S2NRS_DONT_CHECK,
                .peer_needles = { "Version: TLS1.3" },
        },
        {
                .name = "gclient_tls12_rsa",
                .argv = { SERV("server-rsa-chain.pem", "server-rsa-key.pem"), "--disable-client-cert", "--priority",
                        TLS12 ":-CIPHER-ALL:+AES-128-GCM", NULL },
                .config = rsa,
                .server_name = "s2nrs.test",
                .version = S2N_TLS12,
                .cipher = S2NRS_RSA_AES128_12,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS,
                .peer_exit = S2NRS_DONT_CHECK,
                .peer_needles = { "Version: TLS1.2" },
        },
        {
                /* Two certificates: gnutls-serv answers SNI s2nrs.test with the
                 * second; its first (other.test) would fail our host check. */
                .name = "gclient_tls13_sni_selects_cert",
                .argv = { SERV("other-ecdsa-chain.pem", "other-ecdsa-key.pem"), "--x509certfile",
                        s2nrs_cert_path("server-ecdsa-chain.pem"), "--x509keyfile",
                        s2nrs_cert_path("server-ecdsa-key.pem"), "--disable-client-cert", "--priority", TLS13, NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .version = S2N_TLS13,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS,
                .peer_exit = S2NRS_DONT_CHECK,
                .peer_needles = { "Given server name[1]: s2nrs.test" },
        },
        {
                .name = "gclient_tls12_sni_selects_cert",
                .argv = { SERV("other-ecdsa-chain.pem", "other-ecdsa-key.pem"), "--x509certfile",
                        s2nrs_cert_path("server-ecdsa-chain.pem"), "--x509keyfile",
                        s2nrs_cert_path("server-ecdsa-key.pem"), "--disable-client-cert", "--priority", TLS12, NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .version = S2N_TLS12,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS,
                .peer_exit = S2NRS_DONT_CHECK,
                .peer_needles = { "Given server name[1]: s2nrs.test" },
        },
        {
                /* gnutls-serv requests a certificate by default: our client, having
                 * none, answers with an empty one (s2n clients default to optional). */
                .name = "gclient_tls13_cert_requested_none_sent",
                .argv = { SERV("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "--priority", TLS13, NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .version = S2N_TLS13,
                .client_cert_used = 0,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS,
                .peer_exit = S2NRS_DONT_CHECK,
        },
        {
                .name = "gclient_tls12_cert_requested_none_sent",
                .argv = { SERV("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "--priority", TLS12, NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .version = S2N_TLS12,
                .client_cert_used = 0,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS,
                .peer_exit = S2NRS_DONT_CHECK,
        },
        {
                .name = "gclient_tls13_mtls",
                .argv = { SERV("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "--require-client-cert",
                        "--verify-client-cert", "--x509cafile", s2nrs_cert_path("ca-ecdsa.pem"), "--priority", TLS13,
                        NULL },
                .config = mtls,
                .server_name = "s2nrs.test",
                .version = S2N_TLS13,
                .client_cert_used = 1,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS,
                .peer_exit = S2NRS_DONT_CHECK,
                .peer_needles = { "CN=client-ecdsa" },
        },
        {
                .name = "gclient_tls12_mtls",
                .argv = { SERV("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "--require-client-cert",
                        "--verify-client-cert", "--x509cafile", s2nrs_cert_path("ca-ecdsa.pem"), "--priority", TLS12,
                        NULL },
                .config = mtls,
                .server_name = "s2nrs.test",
                .version = S2N_TLS12,
                .client_cert_used = 1,
                .send = CLIENT_SAYS,
                .reply = CLIENT_SAYS,
                .peer_exit = S2NRS_DONT_CHECK,
                .peer_needles = { "CN=client-ecdsa" },
        },

        /* ---- failures ---- */
        {
                .name = "gclient_fail_hostname_tls13",
                .argv = { SERV("other-ecdsa-chain.pem", "other-ecdsa-key.pem"), "--disable-client-cert",
                        "--priority", TLS13, NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .expect_error = S2NRS_E_CERT_INVALID_HOSTNAME,
                .peer_exit = S2NRS_DONT_CHECK,
        },
        {
                .name = "gclient_fail_hostname_tls12",
                .argv = { SERV("other-ecdsa-chain.pem", "other-ecdsa-key.pem"), "--disable-client-cert",
                        "--priority", TLS12, NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .expect_error = S2NRS_E_CERT_INVALID_HOSTNAME,
                .peer_exit = S2NRS_DONT_CHECK,
        },
        {
                .name = "gclient_fail_untrusted_self_signed",
                .argv = { SERV("untrusted.pem", "untrusted-key.pem"), "--disable-client-cert", "--priority", TLS13,
                        NULL },
                .config = ecdsa,
                .server_name = "localhost",
                .expect_error = S2NRS_E_CERT_UNTRUSTED,
                .peer_exit = S2NRS_DONT_CHECK,
        },
        {
                .name = "gclient_fail_wrong_ca_tls12",
                .argv = { SERV("server-rsa-chain.pem", "server-rsa-key.pem"), "--disable-client-cert", "--priority",
                        TLS12, NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .expect_error = S2NRS_E_CERT_UNTRUSTED,
                .peer_exit = S2NRS_DONT_CHECK,
        },
        {
                .name = "gclient_fail_expired",
                .argv = { SERV("expired-chain.pem", "expired-key.pem"), "--disable-client-cert", "--priority", TLS13,
                        NULL },
                .config = ecdsa,
                .server_name = "localhost",
                .expect_error = S2NRS_E_CERT_EXPIRED,
                .peer_exit = S2NRS_DONT_CHECK,
        },
        {
                /* TLS1.3: our handshake completes first; gnutls-serv's
                 * certificate_required alert fails the first read. */
                .name = "gclient_fail_tls13_missing_client_cert",
                .argv = { SERV("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "--require-client-cert",
                        "--x509cafile", s2nrs_cert_path("ca-ecdsa.pem"), "--priority", TLS13, NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .expect_error = S2NRS_E_ALERT,
                .expect_alert = S2NRS_ALERT_CERTIFICATE_REQUIRED,
                .peer_exit = S2NRS_DONT_CHECK,
        },
        {
                .name = "gclient_fail_tls12_missing_client_cert",
                .argv = { SERV("server-ecdsa-chain.pem", "server-ecdsa-key.pem"), "--require-client-cert",
                        "--x509cafile", s2nrs_cert_path("ca-ecdsa.pem"), "--priority", TLS12, NULL },
                .config = ecdsa,
                .server_name = "s2nrs.test",
                .expect_error = S2NRS_E_ALERT,
                .peer_exit = S2NRS_DONT_CHECK,
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
                /* s2n picks ALPN by server preference: h2 although gnutls-cli lists http/1.1 first. */
                .name = "gserver_tls13_ecdsa_alpn_sni",
                .argv = { CLI("ca-ecdsa.pem", "s2nrs.test"), "--sni-hostname", "s2nrs.test", "--priority",
                        TLS13 ":-CIPHER-ALL:+AES-256-GCM", "--alpn", "http/1.1", "--alpn", "h2", "127.0.0.1", NULL },
                .config = ecdsa,
                .version = S2N_TLS13,
                .cipher = S2NRS_AES256_13,
                .alpn = "h2",
                .sni = "s2nrs.test",
                .cert_match = S2N_SNI_EXACT_MATCH,
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_closes_first = 1,
                .peer_needles = { "(TLS1.3", "Application protocol: h2", "The certificate is trusted" },
        },
        {
                .name = "gserver_tls12_ecdsa_alpn_sni",
                .argv = { CLI("ca-ecdsa.pem", "s2nrs.test"), "--sni-hostname", "s2nrs.test", "--priority",
                        TLS12 ":-CIPHER-ALL:+AES-128-GCM", "--alpn", "http/1.1", "127.0.0.1", NULL },
                .config = ecdsa,
                .version = S2N_TLS12,
                .cipher = S2NRS_ECDSA_AES128_12,
                .alpn = "http/1.1",
                .sni = "s2nrs.test",
                .cert_match = S2N_SNI_EXACT_MATCH,
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_closes_first = 1,
                .peer_needles = { "(TLS1.2", "Application protocol: http/1.1", "The certificate is trusted" },
        },
        {
                .name = "gserver_tls13_chacha",
                .argv = { CLI("ca-ecdsa.pem", "s2nrs.test"), "--sni-hostname", "s2nrs.test", "--priority",
                        TLS13 ":-CIPHER-ALL:+CHACHA20-POLY1305", "127.0.0.1", NULL },
                .config = ecdsa,
                .version = S2N_TLS13,
                .cipher = S2NRS_CHACHA_13,
                .alpn = "",
                .sni = "s2nrs.test",
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_closes_first = 1,
                .peer_needles = { "(CHACHA20-POLY1305)", "The certificate is trusted" },
        },
        {
                /* No common protocol: s2n-tls carries on without ALPN. */
                .name = "gserver_tls12_alpn_no_overlap",
                .argv = { CLI("ca-ecdsa.pem", "s2nrs.test"), "--sni-hostname", "s2nrs.test", "--priority", TLS12,
                        "--alpn", "spdy/1", "127.0.0.1", NULL },
                .config = ecdsa,
                .version = S2N_TLS12,
                .alpn = "",
                .sni = "s2nrs.test",
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_closes_first = 1,
                .peer_needles = { "The certificate is trusted" },
        },
        {
                .name = "gserver_tls13_sni_selects_other",
                .argv = { CLI("ca-ecdsa.pem", "other.test"), "--sni-hostname", "other.test", "--priority", TLS13,
                        "127.0.0.1", NULL },
                .config = ecdsa,
                .version = S2N_TLS13,
                .sni = "other.test",
                .cert_match = S2N_SNI_EXACT_MATCH,
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_closes_first = 1,
                .peer_needles = { "The certificate is trusted", "CN=other-ecdsa" },
        },
        {
                .name = "gserver_tls12_sni_selects_other",
                .argv = { CLI("ca-ecdsa.pem", "other.test"), "--sni-hostname", "other.test", "--priority", TLS12,
                        "127.0.0.1", NULL },
                .config = ecdsa,
                .version = S2N_TLS12,
                .sni = "other.test",
                .cert_match = S2N_SNI_EXACT_MATCH,
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_closes_first = 1,
                .peer_needles = { "The certificate is trusted", "CN=other-ecdsa" },
        },
        {
                .name = "gserver_tls13_no_sni_default_cert",
                .argv = { CLI("ca-ecdsa.pem", "s2nrs.test"), "--disable-sni", "--priority", TLS13, "127.0.0.1",
                        NULL },
                .config = ecdsa,
                .version = S2N_TLS13,
                .sni = "",
                .cert_match = S2N_SNI_NONE,
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_closes_first = 1,
                .peer_needles = { "The certificate is trusted", "CN=server-ecdsa" },
        },
        {
                .name = "gserver_tls13_rsa",
                .argv = { CLI("ca-rsa.pem", "s2nrs.test"), "--sni-hostname", "s2nrs.test", "--priority",
                        TLS13 ":-CIPHER-ALL:+AES-128-GCM", "127.0.0.1", NULL },
                .config = rsa,
                .version = S2N_TLS13,
                .cipher = S2NRS_AES128_13,
                .sni = "s2nrs.test",
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_closes_first = 1,
                .peer_needles = { "(TLS1.3", "The certificate is trusted" },
        },
        {
                .name = "gserver_tls12_rsa",
                .argv = { CLI("ca-rsa.pem", "s2nrs.test"), "--sni-hostname", "s2nrs.test", "--priority",
                        TLS12 ":-CIPHER-ALL:+AES-256-GCM", "127.0.0.1", NULL },
                .config = rsa,
                .version = S2N_TLS12,
                .cipher = S2NRS_RSA_AES256_12,
                .sni = "s2nrs.test",
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_closes_first = 1,
                .peer_needles = { "(TLS1.2", "The certificate is trusted" },
        },
        {
                .name = "gserver_tls13_mtls",
                .argv = { CLI("ca-ecdsa.pem", "s2nrs.test"), "--sni-hostname", "s2nrs.test", "--priority", TLS13,
                        "--x509certfile", s2nrs_cert_path("client-ecdsa-chain.pem"), "--x509keyfile",
                        s2nrs_cert_path("client-ecdsa-key.pem"), "127.0.0.1", NULL },
                .config = mtls,
                .version = S2N_TLS13,
                .sni = "s2nrs.test",
                .client_cert_used = 1,
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_closes_first = 1,
                .peer_needles = { "Successfully sent 2 certificate(s) to server", "The certificate is trusted" },
                .extra_check = check_server_got_client_cert,
        },
        {
                .name = "gserver_tls12_mtls",
                .argv = { CLI("ca-ecdsa.pem", "s2nrs.test"), "--sni-hostname", "s2nrs.test", "--priority", TLS12,
                        "--x509certfile", s2nrs_cert_path("client-ecdsa-chain.pem"), "--x509keyfile",
                        s2nrs_cert_path("client-ecdsa-key.pem"), "127.0.0.1", NULL },
                .config = mtls,
                .version = S2N_TLS12,
                .sni = "s2nrs.test",
                .client_cert_used = 1,
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .peer_closes_first = 1,
                .peer_needles = { "Successfully sent 2 certificate(s) to server", "The certificate is trusted" },
                .extra_check = check_server_got_client_cert,
        },
        {
                /* We close first: gnutls-cli answers our close_notify by closing the
                 * connection without its own close_notify, and s2n_shutdown, reading
                 * the end of the stream, fails with S2N_ERR_CLOSED. */
                .name = "gserver_tls13_shutdown_peer_closes_without_close_notify",
                .argv = { CLI("ca-ecdsa.pem", "s2nrs.test"), "--sni-hostname", "s2nrs.test", "--priority", TLS13,
                        "127.0.0.1", NULL },
                .config = ecdsa,
                .version = S2N_TLS13,
                .sni = "s2nrs.test",
                .send = SERVER_SAYS,
                .peer_send = PEER_SAYS,
                .shutdown_error = S2NRS_E_CLOSED,
                .peer_needles = { "Peer has closed the GnuTLS connection" },
        },

        /* ---- failures ---- */
        {
                /* s2n's default verify-host check applies to client certificates
                 * too: client.test is not the server name s2nrs.test. */
                .name = "gserver_fail_tls12_mtls_default_host_check",
                .argv = { CLI("ca-ecdsa.pem", "s2nrs.test"), "--sni-hostname", "s2nrs.test", "--priority", TLS12,
                        "--x509certfile", s2nrs_cert_path("client-ecdsa-chain.pem"), "--x509keyfile",
                        s2nrs_cert_path("client-ecdsa-key.pem"), "127.0.0.1", NULL },
                .config = mtls_default_host,
                .expect_error = S2NRS_E_CERT_INVALID_HOSTNAME,
                .peer_exit = S2NRS_NONZERO,
        },
        {
                .name = "gserver_fail_tls13_missing_client_cert",
                .argv = { CLI("ca-ecdsa.pem", "s2nrs.test"), "--sni-hostname", "s2nrs.test", "--priority", TLS13,
                        "127.0.0.1", NULL },
                .config = mtls,
                .expect_error = S2NRS_E_MISSING_CLIENT_CERT,
                .peer_exit = S2NRS_ANY_EXIT,
        },
        {
                .name = "gserver_fail_tls12_missing_client_cert",
                .argv = { CLI("ca-ecdsa.pem", "s2nrs.test"), "--sni-hostname", "s2nrs.test", "--priority", TLS12,
                        "127.0.0.1", NULL },
                .config = mtls,
                .expect_error = S2NRS_E_MISSING_CLIENT_CERT,
                .peer_exit = S2NRS_NONZERO,
        },
        {
                /* gnutls-cli trusts only the RSA CA: it rejects our ECDSA chain. */
                .name = "gserver_fail_tls13_client_rejects_ca",
                .argv = { CLI("ca-rsa.pem", "s2nrs.test"), "--sni-hostname", "s2nrs.test", "--priority", TLS13,
                        "127.0.0.1", NULL },
                .config = ecdsa,
                .expect_error = S2NRS_E_ALERT,
                .peer_exit = S2NRS_NONZERO,
                .peer_needles = { "The certificate is NOT trusted" },
        },
        {
                .name = "gserver_fail_tls12_client_rejects_ca",
                .argv = { CLI("ca-rsa.pem", "s2nrs.test"), "--sni-hostname", "s2nrs.test", "--priority", TLS12,
                        "127.0.0.1", NULL },
                .config = ecdsa,
                .expect_error = S2NRS_E_ALERT,
                .peer_exit = S2NRS_NONZERO,
                .peer_needles = { "The certificate is NOT trusted" },
        },
        {
                .name = "gserver_fail_tls13_client_rejects_name",
                .argv = { CLI("ca-ecdsa.pem", "wrong.test"), "--sni-hostname", "s2nrs.test", "--priority", TLS13,
                        "127.0.0.1", NULL },
                .config = ecdsa,
                .expect_error = S2NRS_E_ALERT,
                .peer_exit = S2NRS_NONZERO,
                .peer_needles = { "does not match" },
        },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        s2nrs_run_server_case(&cases[i]);
    }
}

int main(void)
{
    /* Before any thread exists: unshare(CLONE_NEWUSER) requires it. */
    char why[256] = "";
    int isolated = s2nrs_enter_private_netns(why, sizeof(why)) == 0;

    s2nrs_interop_init(S2NRS_ALARM_SECONDS);
    int have_serv = s2nrs_find_tool("gnutls-serv") != NULL;
    int have_cli = s2nrs_find_tool("gnutls-cli") != NULL;
    if (!have_serv && !have_cli) {
        printf("skip: gnutls-serv not installed (nor gnutls-cli)\n");
        return S2NRS_SKIP;
    }
    char version[256];
    if (have_serv) {
        s2nrs_tool_first_line("gnutls-serv --version 2>&1", version, sizeof(version));
        printf("peer: %s\n", version);
    }
    if (have_cli) {
        s2nrs_tool_first_line("gnutls-cli --version 2>&1", version, sizeof(version));
        printf("peer: %s\n", version);
    }
    if (isolated) {
        printf("network: a private namespace holding only lo\n");
    } else {
        printf("network: no private namespace (%s)\n", why);
    }

    EXPECT_SUCCESS(s2n_init());
    int ran = 0;
    if (!have_serv) {
        printf("skip: gnutls-serv not installed: our client's cases are not run\n");
    } else if (!isolated) {
        printf("skip: gnutls-serv listens on every address and no private network namespace is available: "
               "our client's cases are not run\n");
    } else {
        client_cases();
        ran = 1;
    }
    if (!have_cli) {
        printf("skip: gnutls-cli not installed: our server's cases are not run\n");
    } else {
        server_cases();
        ran = 1;
    }

    s2nrs_free_owned();
    EXPECT_SUCCESS(s2n_cleanup_final());
    s2nrs_cases_summary(__FILE__);
    if (!ran) {
        return S2NRS_SKIP;
    }
    return S2NRS_TEST_RESULT();
}
