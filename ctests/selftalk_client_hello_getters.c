/*
 * Self-talk tests of the s2n_client_hello_* getters: a client and a server
 * connection of the library under test on nonblocking AF_UNIX socketpairs,
 * through the public s2n API only (so this file also builds and passes
 * against s2n-tls itself).
 *
 *   inspect          blocking-mode callback reading the ClientHello: server
 *                    name, cipher suites, extensions, ALPN bytes, session id,
 *                    supported groups, versions, random, raw message;
 *                    s2n_connection_get_client_hello is NULL before it arrived
 *   parse            s2n_client_hello_parse_message on the raw message the
 *                    callback copied (header rebuilt), s2n_client_hello_free
 *
 * What the callback's result and mode do to the handshake:
 * selftalk_client_hello_callback.c.
 */
#include "harness/selftalk.h"

#define POLICY "default_tls13"
#define EXT_KEY_SHARE 51

static bool bytes_all_zero(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i]) {
            return false;
        }
    }
    return true;
}

/* ------------------------------------------------------------------------- */
/* What the callback saw */

#define RAW_MAX 8192

struct seen {
    int calls;
    bool hello_was_available;
    char server_name[256];
    uint16_t server_name_len;
    uint8_t cipher_suites[1024];
    ssize_t cipher_suites_len;
    uint8_t raw[RAW_MAX];
    ssize_t raw_len;
    uint8_t random[32];
    uint32_t session_id_len;
    uint8_t legacy_version;
    int hello_version_in_cb;
    char server_name_via_conn[256];
    int return_value;         /* what the callback returns */
    int done_in_blocking_err; /* cb_done called in blocking mode */
};

/* Blocking-mode callback that reads everything and checks it. */
static int inspect_cb(struct s2n_connection *conn, void *ctx)
{
    struct seen *s = ctx;
    s->calls++;
    struct s2n_client_hello *ch = s2n_connection_get_client_hello(conn);
    s->hello_was_available = ch != NULL;
    EXPECT(ch != NULL);
    if (ch == NULL) {
        return 0;
    }

    /* server name */
    uint16_t len = 0;
    EXPECT_SUCCESS(s2n_client_hello_get_server_name_length(ch, &len));
    EXPECT_EQ_INT(len, strlen("s2nrs.test"));
    uint16_t out_len = 0;
    memset(s->server_name, 0, sizeof(s->server_name));
    EXPECT_SUCCESS(s2n_client_hello_get_server_name(ch, (uint8_t *) s->server_name, sizeof(s->server_name) - 1, &out_len));
    EXPECT_EQ_INT(out_len, len);
    s->server_name_len = out_len;
    EXPECT_STREQ(s->server_name, "s2nrs.test");
    /* a buffer too small for the name */
    uint8_t small[4];
    EXPECT_FAILURE(s2n_client_hello_get_server_name(ch, small, sizeof(small), &out_len));
    /* s2n_get_server_name works inside the callback too */
    const char *via_conn = s2n_get_server_name(conn);
    snprintf(s->server_name_via_conn, sizeof(s->server_name_via_conn), "%s", via_conn ? via_conn : "(null)");

    /* cipher suites */
    s->cipher_suites_len = s2n_client_hello_get_cipher_suites_length(ch);
    EXPECT(s->cipher_suites_len > 0);
    EXPECT_EQ_INT(s->cipher_suites_len % 2, 0);
    if (s->cipher_suites_len > 0 && s->cipher_suites_len <= (ssize_t) sizeof(s->cipher_suites)) {
        EXPECT_EQ_INT(s2n_client_hello_get_cipher_suites(ch, s->cipher_suites, sizeof(s->cipher_suites)),
                s->cipher_suites_len);
        bool has_aes128_13 = false;
        for (ssize_t i = 0; i + 1 < s->cipher_suites_len; i += 2) {
            has_aes128_13 |= s->cipher_suites[i] == 0x13 && s->cipher_suites[i + 1] == 0x01;
        }
        EXPECT(has_aes128_13); /* TLS_AES_128_GCM_SHA256 */
        /* a short buffer gets the first bytes */
        uint8_t two[2];
        EXPECT_EQ_INT(s2n_client_hello_get_cipher_suites(ch, two, 2), 2);
        EXPECT(memcmp(two, s->cipher_suites, 2) == 0);
    }

    /* extensions */
    bool exists = false;
    EXPECT_SUCCESS(s2n_client_hello_has_extension(ch, S2N_EXTENSION_SERVER_NAME, &exists));
    EXPECT(exists);
    exists = false;
    EXPECT_SUCCESS(s2n_client_hello_has_extension(ch, S2N_EXTENSION_SUPPORTED_VERSIONS, &exists));
    EXPECT(exists);
    exists = false;
    EXPECT_SUCCESS(s2n_client_hello_has_extension(ch, S2N_EXTENSION_SUPPORTED_GROUPS, &exists));
    EXPECT(exists);
    exists = false;
    EXPECT_SUCCESS(s2n_client_hello_has_extension(ch, EXT_KEY_SHARE, &exists));
    EXPECT(exists);
    exists = true;
    EXPECT_SUCCESS(s2n_client_hello_has_extension(ch, 0x7A7A, &exists)); /* nobody sends it */
    EXPECT(!exists);
    exists = true;
    EXPECT_SUCCESS(s2n_client_hello_has_extension(ch, S2N_EXTENSION_CERTIFICATE_TRANSPARENCY, &exists));
    EXPECT(!exists);
    ssize_t ext_total = s2n_client_hello_get_extensions_length(ch);
    EXPECT(ext_total > 0);
    if (ext_total > 0) {
        uint8_t *exts = malloc((size_t) ext_total);
        EXPECT_EQ_INT(s2n_client_hello_get_extensions(ch, exts, (uint32_t) ext_total), ext_total);
        free(exts);
    }

    /* ALPN: exactly the client's list, "h2", "http/1.1" */
    static const uint8_t want_alpn[] = { 0x00, 0x0c, 0x02, 'h', '2', 0x08, 'h', 't', 't', 'p', '/', '1', '.', '1' };
    EXPECT_EQ_INT(s2n_client_hello_get_extension_length(ch, S2N_EXTENSION_ALPN), sizeof(want_alpn));
    uint8_t alpn[64] = { 0 };
    ssize_t alpn_len = s2n_client_hello_get_extension_by_id(ch, S2N_EXTENSION_ALPN, alpn, sizeof(alpn));
    EXPECT_EQ_INT(alpn_len, sizeof(want_alpn));
    if (alpn_len == (ssize_t) sizeof(want_alpn) && memcmp(alpn, want_alpn, sizeof(want_alpn)) != 0) {
        S2NRS_FAIL_AT("the ALPN extension is not 00 0c 02 'h2' 08 'http/1.1'");
    }
    /* an absent extension: 0 bytes */
    EXPECT_EQ_INT(s2n_client_hello_get_extension_length(ch, S2N_EXTENSION_CERTIFICATE_TRANSPARENCY), 0);
    EXPECT_EQ_INT(s2n_client_hello_get_extension_by_id(ch, S2N_EXTENSION_CERTIFICATE_TRANSPARENCY, alpn, sizeof(alpn)),
            0);

    /* session id: 32 bytes (TLS1.3 middlebox compatibility mode) */
    EXPECT_SUCCESS(s2n_client_hello_get_session_id_length(ch, &s->session_id_len));
    EXPECT_EQ_INT(s->session_id_len, 32);
    uint8_t sid[32] = { 0 };
    uint32_t sid_len = 0;
    EXPECT_SUCCESS(s2n_client_hello_get_session_id(ch, sid, &sid_len, sizeof(sid)));
    EXPECT_EQ_INT(sid_len, 32);
    EXPECT(!bytes_all_zero(sid, sizeof(sid)));

    /* compression methods: just "null" */
    uint32_t comp_len = 0;
    EXPECT_SUCCESS(s2n_client_hello_get_compression_methods_length(ch, &comp_len));
    EXPECT_EQ_INT(comp_len, 1);
    uint8_t comp[4] = { 0xff };
    uint32_t comp_out = 0;
    EXPECT_SUCCESS(s2n_client_hello_get_compression_methods(ch, comp, sizeof(comp), &comp_out));
    EXPECT_EQ_INT(comp_out, 1);
    EXPECT_EQ_INT(comp[0], 0);

    /* supported groups: non-empty, the count matches the extension length */
    uint16_t groups[64];
    uint16_t ngroups = 0;
    EXPECT_SUCCESS(s2n_client_hello_get_supported_groups(ch, groups, 64, &ngroups));
    EXPECT(ngroups > 0);
    ssize_t groups_ext_len = s2n_client_hello_get_extension_length(ch, S2N_EXTENSION_SUPPORTED_GROUPS);
    EXPECT_EQ_INT(groups_ext_len, 2 + 2 * (ssize_t) ngroups);
    bool has_x25519_or_p256 = false;
    for (int i = 0; i < ngroups; i++) {
        has_x25519_or_p256 |= groups[i] == 29 || groups[i] == 23;
    }
    EXPECT(has_x25519_or_p256);
    if (ngroups > 1) {
        uint16_t one[1];
        uint16_t n1 = 99;
        /* too small an array is an error */
        EXPECT_FAILURE(s2n_client_hello_get_supported_groups(ch, one, 1, &n1));
    }

    /* versions */
    s->legacy_version = 0;
    EXPECT_SUCCESS(s2n_client_hello_get_legacy_protocol_version(ch, &s->legacy_version));
    EXPECT_EQ_INT(s->legacy_version, S2N_TLS12);
    uint8_t record_version = 0;
    EXPECT_SUCCESS(s2n_client_hello_get_legacy_record_version(ch, &record_version));
    EXPECT_EQ_INT(record_version, S2N_TLS10);
    s->hello_version_in_cb = s2n_connection_get_client_hello_version(conn);
    EXPECT_EQ_INT(s->hello_version_in_cb, S2N_TLS12);

    /* random: 32 bytes, not all zero */
    EXPECT_SUCCESS(s2n_client_hello_get_random(ch, s->random, sizeof(s->random)));
    EXPECT(!bytes_all_zero(s->random, sizeof(s->random)));

    /* raw message: no handshake header; starts with legacy_version 03 03, random zeroed */
    s->raw_len = s2n_client_hello_get_raw_message_length(ch);
    EXPECT(s->raw_len > 0);
    if (s->raw_len > 0 && s->raw_len <= RAW_MAX) {
        EXPECT_EQ_INT(s2n_client_hello_get_raw_message(ch, s->raw, RAW_MAX), s->raw_len);
        EXPECT_EQ_INT(s->raw[0], 0x03);
        EXPECT_EQ_INT(s->raw[1], 0x03);
        EXPECT(s->raw_len > 35 && bytes_all_zero(s->raw + 2, 32));
        /* then the session id */
        if (s->raw_len > 35) {
            EXPECT_EQ_INT(s->raw[34], 32);
        }
        /* a short buffer: the first bytes */
        uint8_t head[4] = { 0 };
        EXPECT_EQ_INT(s2n_client_hello_get_raw_message(ch, head, sizeof(head)), 4);
        EXPECT(memcmp(head, s->raw, 4) == 0);
    }

    /* the connection's hello is not the application's to free */
    struct s2n_client_hello *borrowed = ch;
    EXPECT_FAILURE(s2n_client_hello_free(&borrowed));
    EXPECT(borrowed == ch);
    EXPECT(s2n_connection_get_client_hello(conn) == ch);

    /* blocking mode: s2n_client_hello_cb_done is a usage error */
    s2n_errno = 0;
    if (s2n_client_hello_cb_done(conn) == S2N_SUCCESS) {
        S2NRS_FAIL_AT("s2n_client_hello_cb_done succeeded in blocking mode inside the callback");
    } else {
        s->done_in_blocking_err = s2n_errno;
    }
    return s->return_value;
}

static void test_inspect(struct s2n_cert_chain_and_key *chain_a)
{
    printf("== inspect (blocking-mode callback)\n");
    struct seen s;
    memset(&s, 0, sizeof(s));
    struct s2n_config *scfg = s2nrs_server_config(POLICY, &chain_a, 1);
    struct s2n_config *ccfg = s2nrs_client_config(POLICY, "ca-ecdsa.pem");
    s2nrs_offer_alpn_h2_http11(scfg);
    s2nrs_offer_alpn_h2_http11(ccfg);
    EXPECT_SUCCESS(s2n_config_set_client_hello_cb(scfg, inspect_cb, &s));

    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, ccfg, scfg, "s2nrs.test") == 0) {
        /* before any ClientHello arrived */
        EXPECT(s2n_connection_get_client_hello(p.server) == NULL);
        /* s2n_client_hello_cb_done: blocking mode is checked first */
        EXPECT_FAILURE_WITH_ERRNO(s2n_client_hello_cb_done(p.server), S2NRS_E_INVALID_STATE);

        /* the client sent its ClientHello, the server has not read it yet */
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        s2n_errno = 0;
        EXPECT_EQ_INT(s2n_negotiate(p.client, &blocked), S2N_FAILURE);
        EXPECT_EQ_INT(s2n_error_get_type(s2n_errno), S2N_ERR_T_BLOCKED);
        EXPECT_EQ_INT(blocked, S2N_BLOCKED_ON_READ);
        EXPECT(s2n_connection_get_client_hello(p.server) == NULL);
        EXPECT_EQ_INT(s.calls, 0);

        struct s2nrs_negotiation d = s2nrs_negotiate_pair(p.client, p.server);
        if (EXPECT_NEGOTIATED(d, "inspect")) {
            EXPECT_EQ_INT(s.calls, 1);
            EXPECT(s.hello_was_available);
            EXPECT_ERR(s.done_in_blocking_err, S2NRS_E_INVALID_STATE);
            EXPECT_STREQ(s.server_name_via_conn, "s2nrs.test");
            EXPECT_STREQ(s2n_get_server_name(p.server), "s2nrs.test");
            EXPECT_STREQ(s2n_get_application_protocol(p.server), "h2");
            EXPECT_STREQ(s2n_get_application_protocol(p.client), "h2");
            EXPECT_EQ_INT(s2n_connection_get_client_hello_version(p.server), S2N_TLS12);
            EXPECT_EQ_INT(s2n_connection_get_client_protocol_version(p.server), S2N_TLS13);
            EXPECT_EQ_INT(s2n_connection_get_actual_protocol_version(p.server), S2N_TLS13);
            EXPECT_EQ_INT(s2n_connection_get_actual_protocol_version(p.client), S2N_TLS13);
            /* after the handshake the hello is still there, unchanged */
            struct s2n_client_hello *ch = s2n_connection_get_client_hello(p.server);
            EXPECT(ch != NULL);
            if (ch) {
                EXPECT_EQ_INT(s2n_client_hello_get_raw_message_length(ch), s.raw_len);
                uint8_t random[32];
                EXPECT_SUCCESS(s2n_client_hello_get_random(ch, random, sizeof(random)));
                EXPECT(memcmp(random, s.random, 32) == 0);
            }
            /* blocking mode after the callback ran: still a usage error */
            EXPECT_FAILURE_WITH_ERRNO(s2n_client_hello_cb_done(p.server), S2NRS_E_INVALID_STATE);
            printf("  server name %s, %zd cipher suite bytes, session id %u bytes, raw %zd bytes\n", s.server_name,
                    s.cipher_suites_len, s.session_id_len, s.raw_len);
        }
    }
    s2nrs_pair_free(&p);

    /* ------------------------------------------------------------------ */
    printf("== parse (s2n_client_hello_parse_message on the copied raw message)\n");
    if (s.raw_len > 0 && s.raw_len <= RAW_MAX) {
        uint32_t n = (uint32_t) s.raw_len;
        uint8_t *msg = malloc(n + 4);
        msg[0] = 1; /* client_hello */
        msg[1] = (uint8_t) (n >> 16);
        msg[2] = (uint8_t) (n >> 8);
        msg[3] = (uint8_t) n;
        memcpy(msg + 4, s.raw, n);

        struct s2n_client_hello *parsed = s2n_client_hello_parse_message(msg, n + 4);
        if (parsed == NULL) {
            S2NRS_FAIL_AT("s2n_client_hello_parse_message failed on a %u-byte ClientHello", n + 4);
            s2nrs_print_s2n_error(s2n_errno);
        } else {
            EXPECT_EQ_INT(s2n_client_hello_get_cipher_suites_length(parsed), s.cipher_suites_len);
            uint8_t suites[1024];
            ssize_t got = s2n_client_hello_get_cipher_suites(parsed, suites, sizeof(suites));
            EXPECT_EQ_INT(got, s.cipher_suites_len);
            EXPECT(got == s.cipher_suites_len && got > 0 && memcmp(suites, s.cipher_suites, (size_t) got) == 0);
            char name[256] = { 0 };
            uint16_t name_len = 0;
            EXPECT_SUCCESS(s2n_client_hello_get_server_name(parsed, (uint8_t *) name, sizeof(name) - 1, &name_len));
            EXPECT_STREQ(name, "s2nrs.test");
            uint32_t sid_len = 0;
            EXPECT_SUCCESS(s2n_client_hello_get_session_id_length(parsed, &sid_len));
            EXPECT_EQ_INT(sid_len, 32);
            uint8_t legacy = 0;
            EXPECT_SUCCESS(s2n_client_hello_get_legacy_protocol_version(parsed, &legacy));
            EXPECT_EQ_INT(legacy, S2N_TLS12);
            bool exists = false;
            EXPECT_SUCCESS(s2n_client_hello_has_extension(parsed, S2N_EXTENSION_SUPPORTED_VERSIONS, &exists));
            EXPECT(exists);
            uint16_t groups[64];
            uint16_t ngroups = 0;
            EXPECT_SUCCESS(s2n_client_hello_get_supported_groups(parsed, groups, 64, &ngroups));
            EXPECT(ngroups > 0);
            /* the raw message of the parsed hello is what we gave it (header excluded) */
            EXPECT_EQ_INT(s2n_client_hello_get_raw_message_length(parsed), s.raw_len);
            /* the random was zeroed in the bytes we gave it */
            uint8_t random[32] = { 1 };
            EXPECT_SUCCESS(s2n_client_hello_get_random(parsed, random, sizeof(random)));
            EXPECT(bytes_all_zero(random, sizeof(random)));

            EXPECT_SUCCESS(s2n_client_hello_free(&parsed));
            EXPECT(parsed == NULL);
            /* freeing NULL again is a no-op */
            EXPECT_SUCCESS(s2n_client_hello_free(&parsed));
        }

        /* without the handshake header it is not a ClientHello (type 3) */
        s2n_errno = 0;
        struct s2n_client_hello *bad = s2n_client_hello_parse_message(s.raw, n);
        EXPECT(bad == NULL);
        if (bad) {
            s2n_client_hello_free(&bad);
        } else {
            EXPECT(s2n_errno != 0);
        }
        /* truncated */
        s2n_errno = 0;
        bad = s2n_client_hello_parse_message(msg, n / 2);
        EXPECT(bad == NULL);
        if (bad) {
            s2n_client_hello_free(&bad);
        } else {
            EXPECT(s2n_errno != 0);
        }
        free(msg);
    } else {
        S2NRS_FAIL_AT("no raw message was captured (raw_len %zd)", s.raw_len);
    }

    EXPECT_SUCCESS(s2n_config_free(scfg));
    EXPECT_SUCCESS(s2n_config_free(ccfg));
}

int main(void)
{
    s2nrs_tls_setup(120);
    struct s2n_cert_chain_and_key *chain_a = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");

    test_inspect(chain_a);

    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain_a));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
