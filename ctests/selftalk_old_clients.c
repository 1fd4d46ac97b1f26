/*
 * ClientHellos a server cannot accept are refused at once, as s2n refuses
 * versions it will not negotiate: S2N_ERR_PROTOCOL_VERSION_UNSUPPORTED, no
 * blinding delay, and a protocol_version alert from s2n_shutdown:
 *  - a TLS ClientHello offering only TLS1.0 (no supported_versions), with a
 *    policy whose minimum is TLS1.2 (s2n-tls refuses it too);
 *  - an SSLv2-format ClientHello offering SSLv3; its version reads as
 *    S2N_SSLv2, as in s2n-tls;
 *  - an SSLv2-format ClientHello offering TLS1.2 (s2n-tls accepts those;
 *    s2nrs refuses them, MATRIX.md: s2n_connection_get_client_hello_version).
 * The raw bytes go in through a socket; the server never waits for more.
 */
#include "harness/selftalk.h"

#define POLICY "default_tls13"

static struct s2n_cert_chain_and_key *chain;

/* A TLS1.0 ClientHello: one suite (AES128-SHA), no extensions. */
static size_t tls10_hello(uint8_t *out)
{
    uint8_t body[] = {
        0x03, 0x01,                                     /* client_version TLS1.0 */
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, /* random */
        17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
        0,                                              /* session_id */
        0, 2, 0x00, 0x2f,                               /* cipher_suites */
        1, 0,                                           /* compression_methods */
    };
    size_t n = 0;
    out[n++] = 22;
    out[n++] = 3;
    out[n++] = 1;
    out[n++] = 0;
    out[n++] = (uint8_t) (4 + sizeof(body));
    out[n++] = 1; /* client_hello */
    out[n++] = 0;
    out[n++] = 0;
    out[n++] = (uint8_t) sizeof(body);
    memcpy(out + n, body, sizeof(body));
    return n + sizeof(body);
}

/* An SSLv2-format ClientHello (RFC 5246 appendix E.2) offering `major.minor`. */
static size_t sslv2_hello(uint8_t *out, uint8_t major, uint8_t minor)
{
    const uint8_t specs[] = { 0x00, 0x00, 0x2f, 0x00, 0xc0, 0x2f, 0x00, 0x00, 0xff };
    uint8_t challenge[32];
    memset(challenge, 0x42, sizeof(challenge));
    size_t body = 1 + 2 + 6 + sizeof(specs) + sizeof(challenge);
    size_t n = 0;
    out[n++] = (uint8_t) (0x80 | (body >> 8));
    out[n++] = (uint8_t) body;
    out[n++] = 1; /* msg_type: client_hello */
    out[n++] = major;
    out[n++] = minor;
    out[n++] = 0;
    out[n++] = sizeof(specs);
    out[n++] = 0;
    out[n++] = 0; /* session id */
    out[n++] = 0;
    out[n++] = sizeof(challenge);
    memcpy(out + n, specs, sizeof(specs));
    n += sizeof(specs);
    memcpy(out + n, challenge, sizeof(challenge));
    return n + sizeof(challenge);
}

static void refused(const char *what, const uint8_t *hello, size_t len, int client_hello_version,
        bool s2n_tls_refuses)
{
    printf("%s\n", what);
    if (!s2n_tls_refuses && !s2nrs_library_is_s2nrs()) {
        printf("  s2n-tls accepts it: skipped\n");
        return;
    }
    struct s2n_config *config = s2nrs_server_config(POLICY, &chain, 1);
    /* Blinding on, so that a blinded failure would show a delay. */
    EXPECT_SUCCESS(s2n_config_set_max_blinding_delay(config, 30));
    int fds[2];
    struct s2n_connection *server = s2nrs_raw_server(config, hello, len, fds);

    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    s2n_errno = 0;
    EXPECT(s2n_negotiate(server, &blocked) == S2N_FAILURE);
    EXPECT_ERR(s2n_errno, S2NRS_E_PROTOCOL_VERSION_UNSUPPORTED);
    EXPECT_EQ_INT(s2n_connection_get_client_hello_version(server), client_hello_version);
    EXPECT_EQ_INT(s2n_connection_get_delay(server), 0);

    EXPECT(s2n_shutdown(server, &blocked) == S2N_FAILURE || true);
    uint8_t alert[16] = { 0 };
    ssize_t got = read(fds[0], alert, sizeof(alert));
    EXPECT_EQ_INT(got, 7);
    EXPECT_EQ_INT(alert[0], 21); /* alert */
    EXPECT_EQ_INT(alert[5], 2);  /* fatal */
    EXPECT_EQ_INT(alert[6], 70); /* protocol_version */

    s2nrs_raw_server_free(server, fds);
    EXPECT_SUCCESS(s2n_config_free(config));
}

int main(void)
{
    s2nrs_tls_setup(60);
    chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    uint8_t hello[512];
    size_t len = tls10_hello(hello);
    refused("TLS1.0-only ClientHello", hello, len, S2N_TLS10, true);
    len = sslv2_hello(hello, 3, 0);
    refused("SSLv2-format ClientHello offering SSLv3", hello, len, S2N_SSLv2, true);
    len = sslv2_hello(hello, 3, 3);
    refused("SSLv2-format ClientHello offering TLS1.2", hello, len, S2N_SSLv2, false);
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
