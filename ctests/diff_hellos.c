/*
 * Differential: raw ClientHellos from old, odd and hostile clients, as
 * scanners send them, and what the server makes of each. One line per fact,
 * "<hello> <what> -> <fact>":
 *
 *   ... negotiate -> waiting (the hello was taken; the server waits for the
 *                    client's next flight) | FAIL <error name> <error type>
 *   ... answer    -> what the server wrote: server_hello, alert <level>
 *                    <description>, or nothing
 *   ... delay     -> 0 | blinded (s2n_connection_get_delay)
 *   ... shutdown  -> what s2n_shutdown wrote after a failure
 *   ... version   -> s2n_connection_get_client_hello_version
 *
 * Hellos: TLS1.2 with and without signature_algorithms (and with schemes the
 * policy does not share), with empty ec_point_formats, compress_certificate
 * and ticket_request extensions, with extensions longer than the message,
 * cut short inside its random;
 * TLS1.3 with the same empty extensions. The server uses self-service
 * blinding, as an application that handles the delay itself.
 *
 * ctests/diff/compare.py diffs this output between s2nrs and s2n-tls.
 */
#include "harness/selftalk.h"

#define POLICY "default_tls13"

static struct s2n_cert_chain_and_key *chain;

struct hello {
    uint8_t buf[1024];
    size_t len;
};

static void put(struct hello *h, const void *data, size_t len)
{
    memcpy(h->buf + h->len, data, len);
    h->len += len;
}

static void put16(struct hello *h, size_t v)
{
    uint8_t b[2] = { (uint8_t) (v >> 8), (uint8_t) v };
    put(h, b, 2);
}

static void ext(struct hello *h, uint16_t type, const uint8_t *body, size_t len)
{
    put16(h, type);
    put16(h, len);
    put(h, body, len);
}

enum variant {
    BASE,
    NO_SIGALGS,
    FOREIGN_SIGALGS,
    EMPTY_POINT_FORMATS,
    EMPTY_COMPRESS_CERT,
    EMPTY_TICKET_REQUEST,
    EXTENSIONS_TOO_LONG,
    CUT_IN_RANDOM,
};

/* A ClientHello record: TLS1.2 (ECDHE suites) or TLS1.3 (with a key share). */
static void build(struct hello *h, bool tls13, enum variant v)
{
    struct hello exts = { .len = 0 };
    const uint8_t groups[] = { 0, 4, 0x00, 0x1d, 0x00, 0x17 };
    ext(&exts, 10, groups, sizeof(groups));
    const uint8_t formats[] = { 1, 0 };
    ext(&exts, 11, formats, v == EMPTY_POINT_FORMATS ? 0 : sizeof(formats));
    const uint8_t sigalgs[] = { 0, 6, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01 };
    const uint8_t foreign[] = { 0, 2, 0x02, 0x02 }; /* dsa_sha1 */
    if (v == FOREIGN_SIGALGS) {
        ext(&exts, 13, foreign, sizeof(foreign));
    } else if (v != NO_SIGALGS) {
        ext(&exts, 13, sigalgs, sizeof(sigalgs));
    }
    if (v == EMPTY_COMPRESS_CERT) {
        ext(&exts, 27, NULL, 0);
    }
    if (v == EMPTY_TICKET_REQUEST) {
        ext(&exts, 58, NULL, 0);
    }
    if (tls13) {
        const uint8_t versions[] = { 2, 0x03, 0x04 };
        ext(&exts, 43, versions, sizeof(versions));
        uint8_t share[2 + 4 + 32] = { 0, 36, 0x00, 0x1d, 0, 32 };
        s2nrs_fill_pattern(share + 6, 32, 7);
        ext(&exts, 51, share, sizeof(share));
    }

    struct hello body = { .len = 0 };
    const uint8_t version[] = { 0x03, 0x03 };
    put(&body, version, 2);
    uint8_t random[32];
    s2nrs_fill_pattern(random, sizeof(random), 1);
    put(&body, random, v == CUT_IN_RANDOM ? 10 : sizeof(random));
    if (v == CUT_IN_RANDOM) {
        goto framed;
    }
    const uint8_t session_id[] = { 0 };
    put(&body, session_id, 1);
    const uint8_t tls12_suites[] = { 0, 4, 0xc0, 0x2b, 0xc0, 0x2f };
    const uint8_t tls13_suites[] = { 0, 4, 0x13, 0x01, 0xc0, 0x2b };
    put(&body, tls13 ? tls13_suites : tls12_suites, sizeof(tls12_suites));
    const uint8_t compression[] = { 1, 0 };
    put(&body, compression, 2);
    put16(&body, exts.len + (v == EXTENSIONS_TOO_LONG ? 10 : 0));
    put(&body, exts.buf, exts.len);

framed:
    h->len = 0;
    const uint8_t record[] = { 22, 3, 1 };
    put(h, record, 3);
    put16(h, 4 + body.len);
    const uint8_t handshake[] = { 1, 0 };
    put(h, handshake, 2);
    put16(h, body.len);
    put(h, body.buf, body.len);
}

/* What the server wrote: its first record, described. */
static void describe_written(int fd, char *out, size_t n)
{
    uint8_t buf[4096];
    ssize_t got = read(fd, buf, sizeof(buf));
    if (got < 6) {
        snprintf(out, n, "nothing");
    } else if (buf[0] == 22 && buf[5] == 2) {
        snprintf(out, n, "server_hello");
    } else if (buf[0] == 21 && got >= 7) {
        snprintf(out, n, "alert %d %d", buf[5], buf[6]);
    } else {
        snprintf(out, n, "record type %d", buf[0]);
    }
}

static void run(const char *name, bool tls13, enum variant v)
{
    struct hello h;
    build(&h, tls13, v);
    struct s2n_config *config = s2nrs_server_config(POLICY, &chain, 1);
    int fds[2];
    struct s2n_connection *server = s2nrs_raw_server(config, h.buf, h.len, fds);

    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    s2n_errno = 0;
    int rc = s2n_negotiate(server, &blocked);
    int err = rc < 0 ? s2n_errno : 0;
    if (rc == 0) {
        printf("%s negotiate -> done\n", name);
    } else if (s2n_error_get_type(err) == S2N_ERR_T_BLOCKED) {
        printf("%s negotiate -> waiting\n", name);
    } else {
        printf("%s negotiate -> FAIL %s %s\n", name, s2nrs_err_name(err), s2nrs_err_type_name(s2n_error_get_type(err)));
    }
    char written[64];
    describe_written(fds[0], written, sizeof(written));
    printf("%s answer -> %s\n", name, written);
    printf("%s version -> %s\n", name, s2nrs_version_name(s2n_connection_get_client_hello_version(server)));
    if (rc < 0 && s2n_error_get_type(err) != S2N_ERR_T_BLOCKED) {
        printf("%s delay -> %s\n", name, s2n_connection_get_delay(server) > 0 ? "blinded" : "0");
        s2n_shutdown(server, &blocked);
        describe_written(fds[0], written, sizeof(written));
        printf("%s shutdown -> %s\n", name, written);
    }
    s2nrs_raw_server_free(server, fds);
    EXPECT_SUCCESS(s2n_config_free(config));
}

int main(void)
{
    s2nrs_tls_setup(60);
    chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    static const struct {
        const char *name;
        enum variant v;
    } variants[] = {
        { "base", BASE },
        { "no_signature_algorithms", NO_SIGALGS },
        { "foreign_signature_algorithms", FOREIGN_SIGALGS },
        { "empty_ec_point_formats", EMPTY_POINT_FORMATS },
        { "empty_compress_certificate", EMPTY_COMPRESS_CERT },
        { "empty_ticket_request", EMPTY_TICKET_REQUEST },
        { "extensions_too_long", EXTENSIONS_TOO_LONG },
        { "cut_in_random", CUT_IN_RANDOM },
    };
    char name[96];
    for (int tls13 = 0; tls13 <= 1; tls13++) {
        for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
            snprintf(name, sizeof(name), "%s %s", tls13 ? "tls13" : "tls12", variants[i].name);
            run(name, tls13, variants[i].v);
        }
    }
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
