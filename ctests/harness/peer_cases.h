/*
 * The C tests' harness, cases against peer processes (harness/peer_cases.c):
 * struct s2nrs_case + s2nrs_run_client_case()/s2nrs_run_server_case(): one
 * connection against one peer, with what s2n must report (version, cipher,
 * ALPN, server name, client cert, data both ways, shutdown, or the error)
 * and what the peer must print and exit with. S2NRS_CASE=<substring> in the
 * environment runs only the matching cases.
 *
 * Also the configs and chains of such tests: "owned" ones are freed together
 * by s2nrs_free_owned() at the end of the test.
 */
#pragma once

#include "harness/peer_io.h"

#define S2NRS_DONT_CHECK (-2)
#define S2NRS_NONZERO (-1)
#define S2NRS_ANY_EXIT (-3)

struct s2nrs_case {
    const char *name;
    /* The peer's argv, NULL-terminated; "{PORT}" in an argument becomes the port. */
    const char *argv[S2NRS_MAX_ARGS];
    struct s2n_config *config; /* our side's config */
    const char *server_name;   /* client mode: s2n_set_server_name (NULL: not set) */

    /* Our side's outcome. expect_error 0: the handshake succeeds. Otherwise
     * s2n_negotiate (or, when the peer only fails after its own handshake
     * completed, as a TLS1.3 server rejecting our client certificate, the
     * first s2n_recv) fails with that s2n error code. */
    int expect_error;
    int expect_alert; /* with expect_error: s2n_connection_get_alert, 0 = not checked */
    int version;      /* S2N_TLS12/S2N_TLS13; 0 = not checked */
    const char *cipher; /* s2n cipher name; NULL = not checked */
    uint8_t iana[2];    /* checked with cipher */
    const char *alpn;   /* expected ALPN; "" = none negotiated; NULL = not checked */
    const char *sni;    /* server mode: s2n_get_server_name; "" = NULL; NULL = not checked */
    int client_cert_used; /* s2n_connection_client_cert_used (0 unless set); S2NRS_DONT_CHECK */
    int cert_match;       /* server mode: s2n_connection_get_certificate_match; 0 = not checked */

    /* Data: client mode sends `send` and expects `reply` back (peer echo or
     * reverse); server mode sends `send` (the peer prints it) and writes
     * `peer_send` to the peer's stdin (the peer sends it, we expect it). */
    const char *send;
    const char *reply;
    const char *peer_send;

    /* Server mode: after the data, close the peer's stdin so that the peer
     * sends close_notify first; s2n_recv must then return 0. */
    int peer_closes_first;

    /* Shutdown: 0 = s2n_shutdown succeeds; else the error code expected;
     * S2NRS_DONT_CHECK = not called. */
    int shutdown_error;

    /* The peer: exit code (S2NRS_NONZERO: any failure; S2NRS_ANY_EXIT: it
     * must exit by itself, with any code; S2NRS_DONT_CHECK: stopped with
     * SIGTERM, e.g. a server that runs on); what its output must and must
     * not hold. */
    int peer_exit;
    const char *peer_needles[8];
    const char *peer_absent[4];

    /* Anything else to check on a successful connection. */
    void (*extra_check)(struct s2n_connection *conn, struct s2nrs_peer *peer);

    /* An id of the known differences (common.h): against s2nrs the case is skipped. */
    const char *known_difference;
};

/* We are the client; the peer is a server listening on 127.0.0.1:{PORT}. */
void s2nrs_run_client_case(const struct s2nrs_case *c);

/* We are the server on 127.0.0.1:{PORT}; the peer is a client that sends its
 * stdin and prints what it receives. */
void s2nrs_run_server_case(const struct s2nrs_case *c);

/* The steps of a case, for a test that runs its own:
 * s2nrs_case_selected: whether to run it (S2NRS_CASE=<substring> in the
 * environment runs only the matching cases; a known difference skips it
 * against s2nrs); s2nrs_case_begin; s2nrs_case_end with the failure count
 * before the case (counts and prints it as failed or ok). */
int s2nrs_case_selected(const struct s2nrs_case *c);
void s2nrs_case_begin(const struct s2nrs_case *c);
void s2nrs_case_end(const struct s2nrs_case *c, int failures_before);

/*
 * Starts the case's peer server (argv with "{PORT}") on a free loopback port,
 * trying another port if the one picked was taken meanwhile, and waits until
 * it listens. with_stdin: as s2nrs_peer_spawn. NULL (failure recorded) if it
 * does not start.
 */
struct s2nrs_peer *s2nrs_start_server_peer(const struct s2nrs_case *c, int with_stdin, uint16_t *port);

/* Prints the summary line of the cases run. */
void s2nrs_cases_summary(const char *file);

/* ------------------------------------------------------------------------- */
/* Constants shared by the interop tests */

/* s2n cipher name, then its IANA value (for struct s2nrs_case .cipher/.iana). */
#define S2NRS_AES128_13 "TLS_AES_128_GCM_SHA256", { 0x13, 0x01 }
#define S2NRS_AES256_13 "TLS_AES_256_GCM_SHA384", { 0x13, 0x02 }
#define S2NRS_CHACHA_13 "TLS_CHACHA20_POLY1305_SHA256", { 0x13, 0x03 }
#define S2NRS_ECDSA_AES128_12 "ECDHE-ECDSA-AES128-GCM-SHA256", { 0xC0, 0x2B }
#define S2NRS_ECDSA_AES256_12 "ECDHE-ECDSA-AES256-GCM-SHA384", { 0xC0, 0x2C }
#define S2NRS_RSA_AES128_12 "ECDHE-RSA-AES128-GCM-SHA256", { 0xC0, 0x2F }
#define S2NRS_RSA_AES256_12 "ECDHE-RSA-AES256-GCM-SHA384", { 0xC0, 0x30 }

/* TLS alert descriptions (RFC 8446 6.2). */
#define S2NRS_ALERT_HANDSHAKE_FAILURE 40
#define S2NRS_ALERT_BAD_CERTIFICATE 42
#define S2NRS_ALERT_UNKNOWN_CA 48
#define S2NRS_ALERT_UNRECOGNIZED_NAME 112
#define S2NRS_ALERT_CERTIFICATE_REQUIRED 116

/* OpenSSL peers on loopback: `s_server` answering one connection and
 * echoing each line reversed, and `s_client` verifying our chain against
 * the CA file and the host name (argv elements, for struct s2nrs_case). */
#define S2NRS_S_SERVER(cert, key) \
    "openssl", "s_server", "-accept", "127.0.0.1:{PORT}", "-naccept", "1", "-rev", "-no-CAfile", "-cert", \
            s2nrs_cert_path(cert), "-key", s2nrs_cert_path(key)

#define S2NRS_S_CLIENT(ca, name) \
    "openssl", "s_client", "-connect", "127.0.0.1:{PORT}", "-no-CAfile", "-CAfile", s2nrs_cert_path(ca), \
            "-verify_return_error", "-verify_hostname", name

/* ------------------------------------------------------------------------- */
/* Owned configs and certificates (freed by s2nrs_free_owned) */

/* s2nrs_load_chain, owned. */
struct s2n_cert_chain_and_key *s2nrs_load_owned_chain(const char *chain_file, const char *key_file);

/* Makes a chain the test built itself owned. */
void s2nrs_own_chain(struct s2n_cert_chain_and_key *chain);

/* A minimal config with the "default" policy and no blinding delay, owned. */
struct s2n_config *s2nrs_owned_config(void);

/* Our client: trusts ca_file; ALPN h2, http/1.1 if with_alpn; optional client certificate. */
struct s2n_config *s2nrs_owned_client_config(const char *ca_file, int with_alpn,
        struct s2n_cert_chain_and_key *client_cert);

/* A verify-host callback that accepts one name and records the names it is given. */
struct s2nrs_host_check {
    const char *accept;
    int calls;
    char seen[8][128];
};

uint8_t s2nrs_host_check_cb(const char *host_name, size_t len, void *data);

/* Expects the callback to have been given hc->accept; then resets it. */
void s2nrs_expect_host_check_saw(struct s2nrs_host_check *hc);

enum {
    S2NRS_NO_CLIENT_AUTH,
    /* client auth required, trust ca-ecdsa, host check: the given s2nrs_host_check */
    S2NRS_CLIENT_AUTH_REQUIRED,
    /* client auth required, trust ca-ecdsa, s2n's default host check */
    S2NRS_CLIENT_AUTH_REQUIRED_DEFAULT_HOST_CHECK,
};

/* Our server: certificates a then b (a is the default; b may be NULL), ALPN
 * h2 then http/1.1, client authentication as told. */
struct s2n_config *s2nrs_owned_server_config(struct s2n_cert_chain_and_key *a, struct s2n_cert_chain_and_key *b,
        int client_auth, struct s2nrs_host_check *host_check);

/* The client configs most interop cases use: trusting ca-ecdsa; the same
 * offering ALPN h2, http/1.1; trusting ca-rsa; trusting ca-ecdsa with
 * client-ecdsa's certificate for client authentication. */
void s2nrs_owned_client_configs(struct s2n_config **ecdsa, struct s2n_config **ecdsa_alpn, struct s2n_config **rsa,
        struct s2n_config **mtls);

/* The server configs most interop cases use: server-ecdsa (default) and
 * other-ecdsa; server-rsa; server-ecdsa requiring a client certificate,
 * host-checked by host_check; the same with s2n's default host check. */
void s2nrs_owned_server_configs(struct s2nrs_host_check *host_check, struct s2n_config **ecdsa,
        struct s2n_config **rsa, struct s2n_config **mtls, struct s2n_config **mtls_default_host);

/* The server saw a client certificate chain (TLS form: uint24 length, then DER). */
void s2nrs_expect_client_cert_chain(struct s2n_connection *conn);

/* The client can read the server's chain; its leaf is DER. */
void s2nrs_expect_peer_cert_chain(struct s2n_connection *conn);

/* Frees the owned configs and chains (expected to succeed). */
void s2nrs_free_owned(void);
