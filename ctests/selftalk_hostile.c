/*
 * A hostile peer: our s2n connection on one end of an AF_UNIX socketpair, raw
 * bytes written and read by the test on the other (no network). Every case is
 * bounded (nonblocking fds, bounded loops, alarm() backstop) and must end with
 * an s2n error on our side, never a hang or a crash.
 *
 * Against the SERVER:
 *  - truncated record (header says 100 bytes, 10 sent, EOF)   -> S2N_ERR_CLOSED
 *  - oversized record (length 0x4801 / 0xFFFF)                 -> an error (name printed)
 *  - bad lengths inside a ClientHello (session id length 255,
 *    cipher suites length odd / too long, extensions overrun)  -> PROTO (BAD_MESSAGE or the like)
 *  - records of unknown content type (0x20) before the
 *    ClientHello: s2n ignores them (s2n_handshake_io.c "Ignore
 *    record types that we don't support"), then EOF            -> S2N_ERR_CLOSED
 *  - a fatal handshake_failure alert before any ClientHello    -> S2N_ERR_ALERT, get_alert == 40
 *    (and the same alert after the server's flight)
 *  - a real ClientHello (captured from our own client through a send
 *    callback) split one byte per record -> the server reaches its flight:
 *    s2n_negotiate blocks on read and a ServerHello was written
 *  - a peer that stalls                                         -> BLOCKED_ON_READ, repeatedly
 *  - a peer that vanishes after the ClientHello                 -> S2N_ERR_CLOSED
 * Against the CLIENT:
 *  - garbage (a handshake record that is no ServerHello, then non-TLS bytes)
 *                                                               -> PROTO error
 *  - EOF without close_notify after a complete handshake       -> s2n_recv fails with
 *    S2N_ERR_CLOSED (s2n_recv.c: "MUST receive a close_notify alert before
 *    indicating end-of-data")
 */
#include <poll.h>
#include <sys/wait.h>

#include "harness/selftalk.h"

#define POLICY "default_tls13"
#define ALERT_HANDSHAKE_FAILURE 40

static struct s2n_cert_chain_and_key *chain;
static struct s2n_config *server_config;
static struct s2n_config *client_config;

/* ------------------------------------------------------------------------- */
/* Raw peer helpers */

struct raw {
    struct s2n_connection *conn;
    int fds[2]; /* [0] the test's raw end, [1] the s2n connection's end */
};

static bool raw_init(struct raw *r, s2n_mode mode)
{
    memset(r, 0, sizeof(*r));
    r->fds[0] = r->fds[1] = -1;
    if (s2nrs_socketpair(r->fds, true) != 0) {
        return false;
    }
    r->conn = s2n_connection_new(mode);
    EXPECT(r->conn != NULL);
    if (r->conn == NULL) {
        return false;
    }
    EXPECT_SUCCESS(s2n_connection_set_config(r->conn, mode == S2N_SERVER ? server_config : client_config));
    EXPECT_SUCCESS(s2n_connection_set_fd(r->conn, r->fds[1]));
    if (mode == S2N_CLIENT) {
        EXPECT_SUCCESS(s2n_set_server_name(r->conn, "localhost"));
    }
    return true;
}

static void raw_close_peer(struct raw *r)
{
    if (r->fds[0] >= 0) {
        close(r->fds[0]);
        r->fds[0] = -1;
    }
}

static void raw_free(struct raw *r)
{
    if (r->conn) {
        EXPECT_SUCCESS(s2n_connection_free(r->conn));
        r->conn = NULL;
    }
    raw_close_peer(r);
    if (r->fds[1] >= 0) {
        close(r->fds[1]);
        r->fds[1] = -1;
    }
}

static void raw_write(struct raw *r, const uint8_t *data, size_t len)
{
    size_t done = 0;
    for (int spins = 0; done < len && spins < 50; spins++) {
        ssize_t w = write(r->fds[0], data + done, len - done);
        if (w > 0) {
            done += (size_t) w;
        } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            struct pollfd p = { .fd = r->fds[0], .events = POLLOUT };
            poll(&p, 1, 100);
        } else {
            break;
        }
    }
    if (done != len) {
        S2NRS_FAIL_AT("raw write: only %zu of %zu bytes written (%s)", done, len, strerror(errno));
    }
}

static void raw_record(struct raw *r, uint8_t type, const uint8_t *payload, size_t len)
{
    /* One write per record: AF_UNIX counts every write against the buffer. */
    uint8_t *rec = malloc(5 + len);
    rec[0] = type;
    rec[1] = 0x03;
    rec[2] = 0x01;
    rec[3] = (uint8_t) (len >> 8);
    rec[4] = (uint8_t) len;
    if (len) {
        memcpy(rec + 5, payload, len);
    }
    raw_write(r, rec, 5 + len);
    free(rec);
}

/* Everything available on the raw end now (nonblocking). */
static size_t raw_read_available(struct raw *r, uint8_t *buf, size_t cap)
{
    size_t got = 0;
    while (got < cap) {
        ssize_t n = read(r->fds[0], buf + got, cap - got);
        if (n <= 0) {
            break;
        }
        got += (size_t) n;
    }
    return got;
}

/* s2n_negotiate until it fails with a non-blocking error (returned), finishes
 * (0), or is still blocked after max_rounds (the BLOCKED code). */
static int drive(struct s2n_connection *conn, int max_rounds, s2n_blocked_status *blocked_out)
{
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    int err = S2NRS_E_IO_BLOCKED;
    for (int i = 0; i < max_rounds; i++) {
        blocked = S2N_NOT_BLOCKED;
        s2n_errno = 0;
        if (s2n_negotiate(conn, &blocked) == S2N_SUCCESS) {
            err = 0;
            break;
        }
        err = s2n_errno;
        if (s2n_error_get_type(err) != S2N_ERR_T_BLOCKED) {
            break;
        }
    }
    if (blocked_out) {
        *blocked_out = blocked;
    }
    return err;
}

static void print_result(const char *what, int err, struct s2n_connection *conn)
{
    printf("  %s: %s (%s)", what, err ? s2nrs_err_name(err) : "success",
            s2nrs_err_type_name(s2n_error_get_type(err)));
    if (conn && s2n_error_get_type(err) == S2N_ERR_T_ALERT) {
        printf(" alert=%d", s2n_connection_get_alert(conn));
    }
    printf("\n");
    if (err) {
        printf("    debug: %s\n", s2nrs_safe_str(s2n_strerror_debug(err, "EN")));
    }
}

/* ------------------------------------------------------------------------- */
/* A real ClientHello: the handshake message our own client sends */

struct capture {
    uint8_t buf[16384];
    size_t len;
};

static int capture_send(void *ctx, const uint8_t *buf, uint32_t len)
{
    struct capture *c = ctx;
    if (c->len + len > sizeof(c->buf)) {
        errno = ENOSPC;
        return -1;
    }
    memcpy(c->buf + c->len, buf, len);
    c->len += len;
    return (int) len;
}

static int eagain_recv(void *ctx, uint8_t *buf, uint32_t len)
{
    (void) ctx;
    (void) buf;
    (void) len;
    errno = EAGAIN;
    return -1;
}

/* The ClientHello handshake message (record headers stripped), malloc'd. */
static uint8_t *capture_client_hello(size_t *len_out)
{
    *len_out = 0;
    struct capture *cap = calloc(1, sizeof(*cap));
    struct s2n_connection *client = s2n_connection_new(S2N_CLIENT);
    EXPECT(client != NULL);
    if (!client || !cap) {
        free(cap);
        return NULL;
    }
    EXPECT_SUCCESS(s2n_connection_set_config(client, client_config));
    EXPECT_SUCCESS(s2n_set_server_name(client, "localhost"));
    EXPECT_SUCCESS(s2n_connection_set_send_cb(client, capture_send));
    EXPECT_SUCCESS(s2n_connection_set_send_ctx(client, cap));
    EXPECT_SUCCESS(s2n_connection_set_recv_cb(client, eagain_recv));
    s2n_blocked_status blocked = S2N_NOT_BLOCKED;
    int err = drive(client, 3, &blocked);
    EXPECT_ERR(err, S2NRS_E_IO_BLOCKED);
    EXPECT_EQ_INT(blocked, S2N_BLOCKED_ON_READ);
    EXPECT_SUCCESS(s2n_connection_free(client));

    /* Strip the record headers (handshake records only). */
    uint8_t *msg = malloc(cap->len ? cap->len : 1);
    size_t out = 0;
    for (size_t off = 0; off + 5 <= cap->len;) {
        size_t rlen = ((size_t) cap->buf[off + 3] << 8) | cap->buf[off + 4];
        if (cap->buf[off] != 0x16 || off + 5 + rlen > cap->len) {
            S2NRS_FAIL_AT("captured client output is not handshake records (type 0x%02x at %zu)", cap->buf[off], off);
            break;
        }
        memcpy(msg + out, cap->buf + off + 5, rlen);
        out += rlen;
        off += 5 + rlen;
    }
    free(cap);
    if (out < 4 || msg[0] != 0x01) {
        S2NRS_FAIL_AT("captured %zu bytes, not a ClientHello", out);
        free(msg);
        return NULL;
    }
    size_t hs_len = ((size_t) msg[1] << 16) | ((size_t) msg[2] << 8) | msg[3];
    EXPECT_EQ_INT(hs_len + 4, out);
    printf("  captured a ClientHello of %zu bytes from our client\n", out);
    *len_out = out;
    return msg;
}

/* ------------------------------------------------------------------------- */
/* Server cases */

static void case_truncated_record(void)
{
    printf("== server: truncated record (header 100 bytes, 10 sent, EOF)\n");
    struct raw r;
    if (raw_init(&r, S2N_SERVER)) {
        uint8_t bytes[15] = { 0x16, 0x03, 0x01, 0x00, 100, 0x01, 0x00, 0x00, 96, 0x03, 0x03, 1, 2, 3, 4 };
        raw_write(&r, bytes, sizeof(bytes));
        int err = drive(r.conn, 5, NULL);
        EXPECT_ERR(err, S2NRS_E_IO_BLOCKED);
        raw_close_peer(&r);
        err = drive(r.conn, 5, NULL);
        print_result("after EOF", err, r.conn);
        EXPECT_ERR(err, S2NRS_E_CLOSED);
        EXPECT_ERR_TYPE(err, S2N_ERR_T_CLOSED);
    }
    raw_free(&r);
}

static void case_oversized_record(uint16_t length)
{
    printf("== server: oversized record (length 0x%04X, body of zero bytes)\n", length);
    struct raw r;
    if (raw_init(&r, S2N_SERVER)) {
        uint8_t hdr[5] = { 0x16, 0x03, 0x01, (uint8_t) (length >> 8), (uint8_t) length };
        raw_write(&r, hdr, sizeof(hdr));
        int err = drive(r.conn, 3, NULL);
        size_t sent = 0;
        uint8_t zeros[1024] = { 0 };
        /* The body, 1 KiB at a time, while the server waits for it. */
        while (s2n_error_get_type(err) == S2N_ERR_T_BLOCKED && sent < length) {
            size_t n = length - sent < sizeof(zeros) ? length - sent : sizeof(zeros);
            raw_write(&r, zeros, n);
            sent += n;
            err = drive(r.conn, 3, NULL);
        }
        printf("  %zu body bytes sent\n", sent);
        print_result("oversized", err, r.conn);
        bool waited = sent > 0;
        if (s2n_error_get_type(err) == S2N_ERR_T_BLOCKED) {
            raw_close_peer(&r);
            err = drive(r.conn, 3, NULL);
            print_result("after EOF", err, r.conn);
        }
        /* s2n-tls reads the whole record (no header check against the TLS
         * maximum), then fails on it with S2N_ERR_INTEGER_OVERFLOW (INTERNAL,
         * s2n_hmac.c); rustls refuses the header at once
         * (PeerSentOversizedRecord -> S2N_ERR_BAD_MESSAGE, PROTO). Either
         * way an error that is not BLOCKED, of type PROTO or INTERNAL. */
        EXPECT(err != 0 && s2n_error_get_type(err) != S2N_ERR_T_BLOCKED);
        if (s2n_error_get_type(err) != S2N_ERR_T_INTERNAL) {
            EXPECT_ERR_TYPE(err, S2N_ERR_T_PROTO);
        }
        printf("  %s\n", waited ? "the server read the body first" : "the header alone was refused");
    }
    raw_free(&r);
}

/* A ClientHello with a corrupted field: the test mutates a copy of `ch`. */
typedef bool (*ch_mutator)(uint8_t *msg, size_t *len);

/* Offsets in a ClientHello message: 4 header, 2 version, 32 random, then the session id. */
static size_t ch_session_id_off(void)
{
    return 4 + 2 + 32;
}

static size_t ch_suites_off(const uint8_t *msg)
{
    return ch_session_id_off() + 1 + msg[ch_session_id_off()];
}

static bool mut_session_id_len(uint8_t *msg, size_t *len)
{
    (void) len;
    msg[ch_session_id_off()] = 0xFF;
    return true;
}

static bool mut_suites_odd(uint8_t *msg, size_t *len)
{
    (void) len;
    size_t off = ch_suites_off(msg);
    uint16_t n = (uint16_t) ((msg[off] << 8) | msg[off + 1]);
    n = (uint16_t) (n - 1);
    msg[off] = (uint8_t) (n >> 8);
    msg[off + 1] = (uint8_t) n;
    return true;
}

static bool mut_suites_too_long(uint8_t *msg, size_t *len)
{
    (void) len;
    size_t off = ch_suites_off(msg);
    msg[off] = 0xFF;
    msg[off + 1] = 0xFE;
    return true;
}

static bool mut_extensions_overrun(uint8_t *msg, size_t *len)
{
    size_t off = ch_suites_off(msg);
    off += 2 + (size_t) ((msg[off] << 8) | msg[off + 1]);
    off += 1 + msg[off]; /* compression methods */
    if (off + 2 > *len) {
        return false;
    }
    size_t ext_len = (size_t) ((msg[off] << 8) | msg[off + 1]) + 40;
    msg[off] = (uint8_t) (ext_len >> 8);
    msg[off + 1] = (uint8_t) ext_len;
    return true;
}

static bool mut_truncated_body(uint8_t *msg, size_t *len)
{
    /* The message ends in the middle of the cipher suites, header fixed up. */
    size_t cut = ch_suites_off(msg) + 5;
    *len = cut;
    size_t body = cut - 4;
    msg[1] = (uint8_t) (body >> 16);
    msg[2] = (uint8_t) (body >> 8);
    msg[3] = (uint8_t) body;
    return true;
}

static void case_bad_client_hello(const uint8_t *ch, size_t ch_len, const char *what, ch_mutator mutate)
{
    printf("== server: ClientHello with %s\n", what);
    uint8_t *msg = malloc(ch_len);
    memcpy(msg, ch, ch_len);
    size_t len = ch_len;
    if (!mutate(msg, &len)) {
        S2NRS_FAIL_AT("cannot mutate the ClientHello (%s)", what);
        free(msg);
        return;
    }
    struct raw r;
    if (raw_init(&r, S2N_SERVER)) {
        raw_record(&r, 0x16, msg, len);
        int err = drive(r.conn, 5, NULL);
        print_result(what, err, r.conn);
        if (s2n_error_get_type(err) == S2N_ERR_T_BLOCKED) {
            S2NRS_FAIL_AT("a ClientHello with %s left the server waiting", what);
        } else {
            EXPECT(err != 0);
            EXPECT_ERR_TYPE(err, S2N_ERR_T_PROTO);
        }
    }
    raw_free(&r);
    free(msg);
}

static void case_unknown_content_type(void)
{
    printf("== server: records of unknown content type 0x20 before the ClientHello, then EOF\n");
    struct raw r;
    if (raw_init(&r, S2N_SERVER)) {
        uint8_t payload[16] = "unknown content";
        raw_record(&r, 0x20, payload, sizeof(payload));
        raw_record(&r, 0x20, payload, 1);
        int err = drive(r.conn, 5, NULL);
        print_result("unknown records", err, r.conn);
        if (s2n_error_get_type(err) == S2N_ERR_T_BLOCKED) {
            /* s2n-tls ignores record types it does not support during the handshake */
            printf("  the records were ignored; EOF next\n");
            raw_close_peer(&r);
            err = drive(r.conn, 5, NULL);
            print_result("after EOF", err, r.conn);
            EXPECT_ERR(err, S2NRS_E_CLOSED);
        } else if (s2nrs_known_difference("unknown-record-type")) {
            /* rustls rejects unknown content types at once */
            EXPECT_ERR_TYPE(err, S2N_ERR_T_PROTO);
        } else {
            S2NRS_FAIL_AT("unknown record types: s2n-tls ignores them during the handshake, got %s",
                    s2nrs_err_name(err));
        }
    }
    raw_free(&r);
}

static void case_alert_first(void)
{
    printf("== server: fatal handshake_failure alert before any ClientHello\n");
    struct raw r;
    if (raw_init(&r, S2N_SERVER)) {
        uint8_t alert[2] = { 2, ALERT_HANDSHAKE_FAILURE };
        raw_record(&r, 0x15, alert, sizeof(alert));
        int err = drive(r.conn, 5, NULL);
        print_result("alert", err, r.conn);
        EXPECT_ERR(err, S2NRS_E_ALERT);
        EXPECT_EQ_INT(s2n_connection_get_alert(r.conn), ALERT_HANDSHAKE_FAILURE);
    }
    raw_free(&r);
}

static void case_alert_after_flight(const uint8_t *ch, size_t ch_len)
{
    printf("== server: a plaintext fatal handshake_failure alert after the server's flight\n");
    struct raw r;
    if (raw_init(&r, S2N_SERVER)) {
        raw_record(&r, 0x16, ch, ch_len);
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        int err = drive(r.conn, 10, &blocked);
        EXPECT_ERR(err, S2NRS_E_IO_BLOCKED);
        uint8_t out[8192];
        EXPECT(raw_read_available(&r, out, sizeof(out)) > 0);
        /* Record version 0x0303 now: s2n-tls checks it once the version is
         * negotiated (s2n_record_read.c; 0x0301 is S2N_ERR_BAD_MESSAGE). */
        const uint8_t alert[7] = { 0x15, 0x03, 0x03, 0x00, 0x02, 2, ALERT_HANDSHAKE_FAILURE };
        raw_write(&r, alert, sizeof(alert));
        err = drive(r.conn, 5, NULL);
        print_result("alert", err, r.conn);
        EXPECT_ERR(err, S2NRS_E_ALERT);
        EXPECT_EQ_INT(s2n_connection_get_alert(r.conn), ALERT_HANDSHAKE_FAILURE);
    }
    raw_free(&r);
}

static void case_split_client_hello(const uint8_t *ch, size_t ch_len)
{
    printf("== server: a real ClientHello (%zu bytes) split one byte per record\n", ch_len);
    struct raw r;
    if (raw_init(&r, S2N_SERVER)) {
        for (size_t i = 0; i < ch_len; i++) {
            raw_record(&r, 0x16, ch + i, 1);
            /* Let the server read as we go, so the socket buffer never fills. */
            if (i % 16 == 15) {
                int err = drive(r.conn, 2, NULL);
                if (s2n_error_get_type(err) != S2N_ERR_T_BLOCKED) {
                    print_result("mid-ClientHello", err, r.conn);
                    S2NRS_FAIL_AT("the server failed after %zu one-byte records", i + 1);
                    break;
                }
            }
        }
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        int err = drive(r.conn, 20, &blocked);
        print_result("after the ClientHello", err, r.conn);
        EXPECT_ERR(err, S2NRS_E_IO_BLOCKED);
        EXPECT_EQ_INT(blocked, S2N_BLOCKED_ON_READ);
        uint8_t out[8192];
        size_t n = raw_read_available(&r, out, sizeof(out));
        printf("  the server wrote %zu bytes, first record type 0x%02x, message type 0x%02x\n", n,
                n > 0 ? out[0] : 0, n > 5 ? out[5] : 0);
        EXPECT(n > 9);
        if (n > 9) {
            EXPECT_EQ_INT(out[0], 0x16); /* handshake record */
            EXPECT_EQ_INT(out[5], 0x02); /* ServerHello */
        }
        printf("  wire bytes in %llu, out %llu\n", (unsigned long long) s2n_connection_get_wire_bytes_in(r.conn),
                (unsigned long long) s2n_connection_get_wire_bytes_out(r.conn));
        EXPECT_EQ_INT(s2n_connection_get_wire_bytes_in(r.conn), ch_len * 6);
    }
    raw_free(&r);
}

static void case_stall(void)
{
    printf("== server: a peer that stalls (no data at all)\n");
    struct raw r;
    if (raw_init(&r, S2N_SERVER)) {
        int blocked_on_read = 0;
        for (int i = 0; i < 50; i++) {
            s2n_blocked_status blocked = S2N_NOT_BLOCKED;
            s2n_errno = 0;
            int rc = s2n_negotiate(r.conn, &blocked);
            int err = s2n_errno;
            if (rc == S2N_FAILURE && err == S2NRS_E_IO_BLOCKED && blocked == S2N_BLOCKED_ON_READ) {
                blocked_on_read++;
            } else if (i == 0) {
                print_result("stall", rc == S2N_SUCCESS ? 0 : err, r.conn);
            }
        }
        printf("  %d of 50 s2n_negotiate calls blocked on read\n", blocked_on_read);
        EXPECT_EQ_INT(blocked_on_read, 50);
        EXPECT_EQ_INT(s2n_connection_get_wire_bytes_in(r.conn), 0);
        EXPECT_EQ_INT(s2n_connection_get_wire_bytes_out(r.conn), 0);
    }
    raw_free(&r);
}

static void case_vanish(const uint8_t *ch, size_t ch_len, bool before_server_flight)
{
    printf("== server: a peer that vanishes after its ClientHello (%s)\n",
            before_server_flight ? "before the server ran" : "after the server's flight");
    struct raw r;
    if (raw_init(&r, S2N_SERVER)) {
        raw_record(&r, 0x16, ch, ch_len);
        if (!before_server_flight) {
            s2n_blocked_status blocked = S2N_NOT_BLOCKED;
            int err = drive(r.conn, 10, &blocked);
            EXPECT_ERR(err, S2NRS_E_IO_BLOCKED);
            EXPECT_EQ_INT(blocked, S2N_BLOCKED_ON_READ);
            /* Read the server's flight: closing an AF_UNIX socket with unread
             * data makes the other end's read fail with ECONNRESET (S2N_ERR_IO). */
            uint8_t out[8192];
            EXPECT(raw_read_available(&r, out, sizeof(out)) > 0);
        }
        raw_close_peer(&r);
        int err = drive(r.conn, 10, NULL);
        print_result("vanished", err, r.conn);
        if (before_server_flight) {
            /* The server's flight meets a closed socket (EPIPE) or the EOF
             * first: S2N_ERR_IO or S2N_ERR_CLOSED; never blocked, never success. */
            EXPECT(err == S2NRS_E_CLOSED || err == S2NRS_E_IO);
        } else {
            EXPECT_ERR(err, S2NRS_E_CLOSED);
        }
    }
    raw_free(&r);
}

/* ------------------------------------------------------------------------- */
/* Client cases */

/* The client must fail with s2n_err (0: any error of type `type`, or of type
 * `alt_type` when that is not 0) -- never block, never succeed. */
static void case_client_garbage(const char *what, const uint8_t *bytes, size_t len, bool then_eof, int s2n_err,
        int alt_type)
{
    printf("== client: %s instead of a ServerHello\n", what);
    struct raw r;
    if (raw_init(&r, S2N_CLIENT)) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        int err = drive(r.conn, 5, &blocked);
        EXPECT_ERR(err, S2NRS_E_IO_BLOCKED);
        uint8_t out[8192];
        size_t n = raw_read_available(&r, out, sizeof(out));
        EXPECT(n > 5 && out[0] == 0x16 && out[5] == 0x01);
        raw_write(&r, bytes, len);
        if (then_eof) {
            raw_close_peer(&r);
        }
        err = drive(r.conn, 5, NULL);
        print_result(what, err, r.conn);
        EXPECT(err != 0 && s2n_error_get_type(err) != S2N_ERR_T_BLOCKED);
        if (s2n_err) {
            EXPECT_ERR(err, s2n_err);
        } else if (!alt_type || s2n_error_get_type(err) != alt_type) {
            EXPECT_ERR_TYPE(err, S2N_ERR_T_PROTO);
        }
    }
    raw_free(&r);
}

static void case_client_eof_after_handshake(void)
{
    printf("== client: EOF without close_notify after the handshake\n");
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") == 0 && EXPECT_HANDSHAKE_OK(p.client, p.server)) {
        /* Some data first, so the connection is known to work. */
        const uint8_t hello[] = "hello";
        EXPECT(s2nrs_transfer(p.server, p.client, hello, sizeof(hello)));
        /* The server's end vanishes: no close_notify. */
        close(p.fds[1]);
        p.fds[1] = -1;
        uint8_t buf[16];
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        s2n_errno = 0;
        ssize_t got = s2n_recv(p.client, buf, sizeof(buf), &blocked);
        int err = s2n_errno;
        printf("  s2n_recv returned %zd, %s\n", got, got < 0 ? s2nrs_err_name(err) : "-");
        EXPECT_EQ_INT(got, -1);
        if (got < 0) {
            EXPECT_ERR(err, S2NRS_E_CLOSED);
            EXPECT_ERR_TYPE(err, S2N_ERR_T_CLOSED);
        }
        /* Again: still closed, never blocked. */
        s2n_errno = 0;
        got = s2n_recv(p.client, buf, sizeof(buf), &blocked);
        err = s2n_errno;
        printf("  s2n_recv again returned %zd, %s\n", got, got < 0 ? s2nrs_err_name(err) : "-");
        EXPECT(got <= 0);
        if (got < 0) {
            EXPECT(s2n_error_get_type(err) != S2N_ERR_T_BLOCKED);
        }
    }
    s2nrs_pair_free(&p);
}

/* Runs one case in a child process under alarm(CASE_SECONDS): a case that
 * hangs (or crashes) is a failure of that case only, and the others still run. */
#define CASE_SECONDS 20

#define RUN_CASE(call)                                                              \
    do {                                                                            \
        fflush(stdout);                                                             \
        pid_t pid_ = fork();                                                        \
        if (pid_ == 0) {                                                            \
            s2nrs_reset_failures();                                                 \
            signal(SIGALRM, SIG_DFL);                                               \
            alarm(CASE_SECONDS);                                                    \
            call;                                                                   \
            fflush(stdout);                                                         \
            exit(s2nrs_failure_count() > 100 ? 100 : s2nrs_failure_count());       \
        }                                                                           \
        int status_ = 0;                                                            \
        if (pid_ < 0 || waitpid(pid_, &status_, 0) != pid_) {                       \
            S2NRS_FAIL_AT("fork/waitpid for %s: %s", #call, strerror(errno));      \
        } else if (WIFSIGNALED(status_)) {                                          \
            S2NRS_FAIL_AT("%s: the case died with signal %d%s", #call, WTERMSIG(status_), \
                    WTERMSIG(status_) == SIGALRM ? " (hung for " "20" " s)" : "");   \
        } else if (WEXITSTATUS(status_) != 0) {                                     \
            for (int i_ = 0; i_ < WEXITSTATUS(status_); i_++) {                     \
                s2nrs_record_failure();                                             \
            }                                                                       \
        }                                                                           \
    } while (0)

int main(void)
{
    s2nrs_tls_setup(0); /* each case runs under its own alarm (RUN_CASE) */

    chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    if (chain == NULL) {
        return S2NRS_TEST_RESULT();
    }
    server_config = s2nrs_server_config(POLICY, &chain, 1);
    client_config = s2nrs_client_config(POLICY, "ca-ecdsa.pem");
    if (!server_config || !client_config) {
        return S2NRS_TEST_RESULT();
    }

    size_t ch_len = 0;
    uint8_t *ch = capture_client_hello(&ch_len);

    RUN_CASE(case_truncated_record());
    RUN_CASE(case_oversized_record(0x4801));
    RUN_CASE(case_oversized_record(0x4800 + 256 + 1));
    RUN_CASE(case_oversized_record(0xFFFF));
    RUN_CASE(case_unknown_content_type());
    RUN_CASE(case_alert_first());
    RUN_CASE(case_stall());
    if (ch) {
        RUN_CASE(case_bad_client_hello(ch, ch_len, "session id length 255", mut_session_id_len));
        RUN_CASE(case_bad_client_hello(ch, ch_len, "an odd cipher suites length", mut_suites_odd));
        RUN_CASE(case_bad_client_hello(ch, ch_len, "a cipher suites length past the end", mut_suites_too_long));
        RUN_CASE(case_bad_client_hello(ch, ch_len, "an extensions length past the end", mut_extensions_overrun));
        RUN_CASE(case_bad_client_hello(ch, ch_len, "a body cut in the cipher suites", mut_truncated_body));
        RUN_CASE(case_alert_after_flight(ch, ch_len));
        RUN_CASE(case_split_client_hello(ch, ch_len));
        RUN_CASE(case_vanish(ch, ch_len, false));
        RUN_CASE(case_vanish(ch, ch_len, true));
    }

    {
        /* A handshake record holding a Certificate message (type 11) of 2 bytes. */
        const uint8_t not_server_hello[] = { 0x16, 0x03, 0x03, 0x00, 0x06, 0x0b, 0x00, 0x00, 0x02, 0xff, 0xff };
        RUN_CASE(case_client_garbage("a handshake record that is no ServerHello", not_server_hello,
                sizeof(not_server_hello), false,
                S2NRS_E_BAD_MESSAGE, 0));
        /* A ServerHello whose body is far shorter than its header says, in a
         * complete record: s2n-tls fails reading it (S2N_ERR_STUFFER_OUT_OF_DATA,
         * INTERNAL), rustls finds it malformed (PROTO). */
        const uint8_t short_server_hello[] = { 0x16, 0x03, 0x03, 0x00, 0x08, 0x02, 0x00, 0x00, 0x04, 0x03, 0x03, 0x00, 0x00 };
        RUN_CASE(case_client_garbage("a ServerHello with a 4-byte body", short_server_hello, sizeof(short_server_hello), false,
                0, S2N_ERR_T_INTERNAL));
        /* An HTTP response: not TLS at all. Read as a record header it is type
         * 0x48, length 0x502F: s2n-tls waits for that body and gets the EOF
         * (S2N_ERR_CLOSED); rustls refuses the header (PROTO). */
        const char http[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
        RUN_CASE(case_client_garbage("an HTTP response", (const uint8_t *) http, sizeof(http) - 1, true, 0,
                S2N_ERR_T_CLOSED));
    }
    RUN_CASE(case_client_eof_after_handshake());

    free(ch);
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(client_config));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
