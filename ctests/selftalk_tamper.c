/*
 * Every bit of a protected record is checked (RFC 8446 section 5.2, RFC 5246
 * section 6.2.3.3, and the header rules s2n applies before decrypting): after
 * a handshake, one application-data record is taken off the wire, one bit of
 * it flipped, and the record given to the receiver, for every bit, in both
 * directions, with TLS1.3 and TLS1.2:
 *  - a flipped content type: S2N_ERR_BAD_MESSAGE when the type is not one
 *    of 20-23, and always in TLS1.3, where an established connection takes
 *    only application_data (23); in TLS1.2 a valid type that is not the
 *    record's fails authentication (S2N_ERR_DECRYPT);
 *  - a flipped record version: S2N_ERR_BAD_MESSAGE, except in TLS1.2 a
 *    version that s2n's one-byte reading (major * 10 + minor, wrapping)
 *    still takes as TLS1.2 (0x83 0x03): s2n authenticates its own version,
 *    so that record opens;
 *  - a flipped length: once the bytes it announces arrived, S2N_ERR_DECRYPT
 *    (or S2N_ERR_BAD_MESSAGE / S2N_ERR_RECORD_LIMIT for lengths no record
 *    may have, S2N_ERR_SAFETY for one shorter than its tag);
 *  - a flipped payload or tag byte: S2N_ERR_DECRYPT.
 * Never a hang, and no success but the version case above. Under valgrind, one bit of each byte is
 * flipped instead of all eight. After such a failure, s2n_shutdown sends a
 * close_notify protected like any record: the peer reads the end of the
 * stream, not an alert.
 */
#include "harness/selftalk.h"

#define POLICY_TLS13 "default_tls13"
#define POLICY_TLS12 "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"
#define MAX_RECORD 256

static struct s2n_cert_chain_and_key *chain;

struct setup {
    struct s2n_config *server_config;
    struct s2n_config *client_config;
    struct s2nrs_mem_link link;
    struct s2n_connection *client;
    struct s2n_connection *server;
};

/* A handshaken pair over in-memory pipes, with nothing left in them. */
static bool setup(struct setup *s, const char *policy)
{
    s->server_config = s2nrs_server_config(policy, &chain, 1);
    s->client_config = s2nrs_client_config(policy, "ca-ecdsa.pem");
    s2nrs_mem_link_init(&s->link, 1 << 16, 0);
    s->client = s2n_connection_new(S2N_CLIENT);
    s->server = s2n_connection_new(S2N_SERVER);
    EXPECT_SUCCESS(s2n_connection_set_config(s->client, s->client_config));
    EXPECT_SUCCESS(s2n_connection_set_config(s->server, s->server_config));
    EXPECT_SUCCESS(s2n_set_server_name(s->client, "localhost"));
    s2nrs_mem_attach(s->client, s->server, &s->link);
    if (!EXPECT_HANDSHAKE_OK(s->client, s->server)) {
        return false;
    }
    /* Post-handshake messages (TLS1.3 tickets) are read now. */
    uint8_t byte;
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    EXPECT(s2n_recv(s->client, &byte, 1, &blocked) < 0 && s2n_error_get_type(s2n_errno) == S2N_ERR_T_BLOCKED);
    EXPECT_EQ_INT(s2nrs_pipe_available(&s->link.s2c), 0);
    EXPECT_EQ_INT(s2nrs_pipe_available(&s->link.c2s), 0);
    return true;
}

static void teardown(struct setup *s)
{
    EXPECT_SUCCESS(s2n_connection_free(s->client));
    EXPECT_SUCCESS(s2n_connection_free(s->server));
    s2nrs_mem_link_free(&s->link);
    EXPECT_SUCCESS(s2n_config_free(s->client_config));
    EXPECT_SUCCESS(s2n_config_free(s->server_config));
}

/* Sends a short message from `from` and takes its record off `pipe`. */
static size_t capture(struct s2n_connection *from, struct s2nrs_pipe *pipe, uint8_t *record)
{
    const uint8_t message[] = "sixteen bytes...";
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    EXPECT_EQ_INT(s2n_send(from, message, 16, &blocked), 16);
    pthread_mutex_lock(&pipe->lock);
    size_t len = pipe->len < MAX_RECORD ? pipe->len : MAX_RECORD;
    memcpy(record, pipe->buf + pipe->head, len);
    pipe->len = 0;
    pipe->head = 0;
    pthread_mutex_unlock(&pipe->lock);
    return len;
}

/* The receiver's error for `record`: it gets the record, then, while it is
 * blocked, more bytes until the length the header announces has arrived. */
static int deliver(struct s2n_connection *to, struct s2nrs_pipe *pipe, const uint8_t *record, size_t len)
{
    s2nrs_pipe_inject(pipe, record, len);
    uint8_t filler[4096];
    memset(filler, 0x5a, sizeof(filler));
    size_t injected = len;
    for (int i = 0; i < 64; i++) {
        uint8_t buf[64];
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        s2n_errno = 0;
        ssize_t r = s2n_recv(to, buf, sizeof(buf), &blocked);
        if (r >= 0) {
            return 0; /* accepted: the caller fails */
        }
        if (s2n_error_get_type(s2n_errno) != S2N_ERR_T_BLOCKED) {
            return s2n_errno;
        }
        /* Up to the largest length a header can announce, plus a header. */
        if (injected > (1 << 16) + 5 + 4096) {
            break;
        }
        injected += s2nrs_pipe_inject(pipe, filler, sizeof(filler));
    }
    return S2NRS_E_IO_BLOCKED;
}

static bool under_valgrind(void)
{
    const char *preload = getenv("LD_PRELOAD");
    return preload && strstr(preload, "vgpreload");
}

static void tamper(const char *policy, bool tls13, bool client_sends)
{
    printf("%s, %s to %s\n", policy, client_sends ? "client" : "server", client_sends ? "server" : "client");
    uint8_t record[MAX_RECORD];
    size_t len = 0;
    {
        struct setup s;
        if (!setup(&s, policy)) {
            teardown(&s);
            return;
        }
        len = client_sends ? capture(s.client, &s.link.c2s, record) : capture(s.server, &s.link.s2c, record);
        teardown(&s);
    }
    EXPECT(len > 5 && len < MAX_RECORD);
    EXPECT_EQ_INT(record[0], 23);
    size_t record_len = 5 + (((size_t) record[3] << 8) | record[4]);
    EXPECT_EQ_INT(record_len, len);

    bool valgrind = under_valgrind();
    int counts[3] = { 0 }; /* BAD_MESSAGE, DECRYPT, other failures */
    for (size_t bit = 0; bit < len * 8; bit++) {
        if (valgrind && bit % 8 != (bit / 8) % 8) {
            continue;
        }
        struct setup s;
        if (!setup(&s, policy)) {
            teardown(&s);
            return;
        }
        /* The same record position: the same sequence number and keys' role. */
        uint8_t sent[MAX_RECORD];
        size_t n = client_sends ? capture(s.client, &s.link.c2s, sent) : capture(s.server, &s.link.s2c, sent);
        EXPECT_EQ_INT(n, len);
        sent[bit / 8] ^= (uint8_t) (1u << (bit % 8));
        struct s2n_connection *to = client_sends ? s.server : s.client;
        struct s2nrs_pipe *pipe = client_sends ? &s.link.c2s : &s.link.s2c;
        int err = deliver(to, pipe, sent, n);
        size_t byte = bit / 8;
        const char *where = byte == 0 ? "type" : byte < 3 ? "version" : byte < 5 ? "length" : "payload";
        uint8_t type = sent[0];
        /* s2n reads the version as one byte (major * 10 + minor, wrapping)
         * and, in TLS1.2, authenticates its own version rather than the
         * header's: a flip that still reads as TLS1.2 (33) passes. */
        bool reads_as_tls12 = byte >= 1 && byte < 3 && !tls13 && (uint8_t) (sent[1] * 10 + sent[2]) == 33;
        if (reads_as_tls12) {
            EXPECT_EQ_INT(err, 0);
        } else if (err == 0 || err == S2NRS_E_IO_BLOCKED) {
            S2NRS_FAIL_AT("%s: flipped bit %zu (%s) was %s", policy, bit, where,
                    err == 0 ? "accepted" : "left waiting");
        } else if (byte == 0 && (tls13 || type < 20 || type > 23)) {
            EXPECT_ERR(err, S2NRS_E_BAD_MESSAGE);
        } else if (byte == 0) {
            EXPECT_ERR(err, S2NRS_E_DECRYPT);
        } else if (byte < 3) {
            EXPECT_ERR(err, S2NRS_E_BAD_MESSAGE);
        } else if (byte < 5) {
            /* A record now shorter than its tag fails s2n's safety check. */
            if (!(err == S2NRS_E_DECRYPT || err == S2NRS_E_BAD_MESSAGE || err == S2NRS_E_RECORD_LIMIT
                        || err == S2NRS_E_SAFETY)) {
                S2NRS_FAIL_AT("%s: flipped bit %zu (length): %s", policy, bit, s2nrs_err_name(err));
            }
        } else {
            EXPECT_ERR(err, S2NRS_E_DECRYPT);
        }
        counts[err == S2NRS_E_BAD_MESSAGE ? 0 : err == S2NRS_E_DECRYPT ? 1 : 2]++;
        teardown(&s);
    }
    printf("  %zu-byte record: BAD_MESSAGE %d, DECRYPT %d, other %d\n", len, counts[0], counts[1], counts[2]);
}

/* The receiver of a damaged record shuts down (s2n_shutdown_send: s2n_shutdown
 * may wait for the peer too): its peer reads close_notify. */
static void shutdown_after_failure(const char *policy)
{
    printf("%s: s2n_shutdown after a damaged record\n", policy);
    struct setup s;
    if (setup(&s, policy)) {
        uint8_t sent[MAX_RECORD];
        size_t n = capture(s.client, &s.link.c2s, sent);
        sent[n - 1] ^= 1;
        EXPECT_ERR(deliver(s.server, &s.link.c2s, sent, n), S2NRS_E_DECRYPT);
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        EXPECT_SUCCESS(s2n_shutdown_send(s.server, &blocked));
        uint8_t buf[16];
        s2n_errno = 0;
        ssize_t r = s2n_recv(s.client, buf, sizeof(buf), &blocked);
        printf("  the peer's s2n_recv: %zd (%s)\n", r, r < 0 ? s2nrs_err_name(s2n_errno) : "end of stream");
        EXPECT_EQ_INT(r, 0);
        EXPECT_EQ_INT(s2n_connection_get_alert(s.client), 0);
    }
    teardown(&s);
}

int main(void)
{
    s2nrs_tls_setup(600);
    chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    for (int d = 0; d < 2; d++) {
        tamper(POLICY_TLS13, true, d == 0);
        tamper(POLICY_TLS12, false, d == 0);
    }
    shutdown_after_failure(POLICY_TLS13);
    shutdown_after_failure(POLICY_TLS12);
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
