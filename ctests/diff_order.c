/*
 * Differential: the wrong-order matrix. The main getters and setters of a
 * connection (client and server side) are called in each state of its life:
 *
 *   new         s2n_connection_new only (no config, no I/O)
 *   configured  config and socket set, before s2n_negotiate
 *   mid         after one s2n_negotiate on each side (handshake in flight)
 *   done        after the handshake
 *   free_hs     done, then s2n_connection_free_handshake
 *   released    done, then s2n_connection_release_buffers
 *   wiped       done, then s2n_connection_wipe
 *   shutdown    done, then a full s2n_shutdown exchange
 *
 * and the main config getters/setters on a new config, on a config in use by
 * a connection that finished its handshake, and after that connection is
 * freed. Each call is one line:
 *
 *   <state> <side> <call> -> <value> | ok | rc=<rc> err=<s2n_strerror_name> type=<type>
 *
 * (s2n_errno is reset before each call; values that depend on the
 * implementation's byte-level choices, such as wire byte counts, are
 * reported only as ok/err). ctests/diff/compare.py diffs the output between
 * s2nrs and s2n-tls.
 */
#include "harness/selftalk.h"

static const char *g_state = "";
static const char *g_side = "";

static void report(const char *call, int failed, const char *value)
{
    int err = s2n_errno;
    if (failed) {
        printf("%s %s %s -> FAIL err=%s type=%s\n", g_state, g_side, call, s2nrs_err_name(err),
                s2nrs_err_type_name(s2n_error_get_type(err)));
    } else {
        printf("%s %s %s -> %s\n", g_state, g_side, call, value);
    }
}

/* An int-returning call: its value on success (>= 0), the error otherwise. */
#define CALL_INT(name, expr)                                   \
    do {                                                       \
        s2n_errno = 0;                                         \
        long long v_ = (long long) (expr);                     \
        char buf_[64];                                         \
        snprintf(buf_, sizeof(buf_), "%lld", v_);              \
        report((name), v_ < 0, buf_);                          \
    } while (0)

/* A call returning S2N_SUCCESS/S2N_FAILURE (or a value not compared). */
#define CALL_STATUS(name, expr)                                \
    do {                                                       \
        s2n_errno = 0;                                         \
        long long v_ = (long long) (expr);                     \
        report((name), v_ < 0, "ok");                          \
    } while (0)

/* A call returning a string (NULL = failure). */
#define CALL_STR(name, expr)                                   \
    do {                                                       \
        s2n_errno = 0;                                         \
        const char *v_ = (expr);                               \
        report((name), v_ == NULL, v_ ? v_ : "");              \
    } while (0)

/* A call returning an object pointer (NULL = failure). */
#define CALL_PTR(name, expr)                                   \
    do {                                                       \
        s2n_errno = 0;                                         \
        const void *v_ = (const void *) (expr);                \
        report((name), v_ == NULL, "non-NULL");                \
    } while (0)

static uint8_t accept_all(const char *host_name, size_t host_name_len, void *data)
{
    (void) host_name;
    (void) host_name_len;
    (void) data;
    return 1;
}

static struct s2n_config *client_config, *server_config, *other_config;

static void connection_calls(struct s2n_connection *conn)
{
    /* Getters */
    CALL_INT("get_actual_protocol_version", s2n_connection_get_actual_protocol_version(conn));
    CALL_INT("get_client_protocol_version", s2n_connection_get_client_protocol_version(conn));
    CALL_INT("get_server_protocol_version", s2n_connection_get_server_protocol_version(conn));
    CALL_INT("get_client_hello_version", s2n_connection_get_client_hello_version(conn));
    CALL_STR("get_cipher", s2n_connection_get_cipher(conn));
    CALL_STR("get_curve", s2n_connection_get_curve(conn));
    CALL_STR("get_kem_group_name", s2n_connection_get_kem_group_name(conn));
    {
        const char *group = NULL;
        s2n_errno = 0;
        int rc = s2n_connection_get_key_exchange_group(conn, &group);
        report("get_key_exchange_group", rc < 0, group ? group : "(null)");
    }
    CALL_STR("get_application_protocol", s2n_get_application_protocol(conn));
    CALL_STR("get_server_name", s2n_get_server_name(conn));
    CALL_STR("get_handshake_type_name", s2n_connection_get_handshake_type_name(conn));
    CALL_STR("get_last_message_name", s2n_connection_get_last_message_name(conn));
    CALL_INT("is_session_resumed", s2n_connection_is_session_resumed(conn));
    CALL_STATUS("get_session_length", s2n_connection_get_session_length(conn));
    CALL_STATUS("get_wire_bytes_in", s2n_connection_get_wire_bytes_in(conn) == 0 ? 0 : 0);
    CALL_INT("get_alert", s2n_connection_get_alert(conn));
    {
        s2n_tls_signature_algorithm sig = 0;
        s2n_errno = 0;
        int rc = s2n_connection_get_selected_signature_algorithm(conn, &sig);
        char buf[32];
        snprintf(buf, sizeof(buf), "%d", (int) sig);
        report("get_selected_signature_algorithm", rc < 0, buf);
    }
    {
        s2n_tls_hash_algorithm hash = 0;
        s2n_errno = 0;
        int rc = s2n_connection_get_selected_digest_algorithm(conn, &hash);
        char buf[32];
        snprintf(buf, sizeof(buf), "%d", (int) hash);
        report("get_selected_digest_algorithm", rc < 0, buf);
    }
    CALL_PTR("get_selected_cert", s2n_connection_get_selected_cert(conn));
    CALL_INT("client_cert_used", s2n_connection_client_cert_used(conn));
    {
        s2n_cert_auth_type type = 0;
        s2n_errno = 0;
        int rc = s2n_connection_get_client_auth_type(conn, &type);
        char buf[32];
        snprintf(buf, sizeof(buf), "%d", (int) type);
        report("get_client_auth_type", rc < 0, buf);
    }
    CALL_INT("is_valid_for_cipher_preferences", s2n_connection_is_valid_for_cipher_preferences(conn, "default"));
    CALL_PTR("get_client_hello", s2n_connection_get_client_hello(conn));
    {
        s2n_early_data_status_t st = 0;
        s2n_errno = 0;
        int rc = s2n_connection_get_early_data_status(conn, &st);
        char buf[32];
        snprintf(buf, sizeof(buf), "%d", (int) st);
        report("get_early_data_status", rc < 0, buf);
    }
    CALL_INT("peek", (long long) s2n_peek(conn));
    {
        uint8_t out[32];
        CALL_STATUS("tls_exporter", s2n_connection_tls_exporter(conn, (const uint8_t *) "EXPORTER-test", 13, (const uint8_t *) "ctx", 3, out, sizeof(out)));
    }
    {
        uint32_t len = 0;
        s2n_errno = 0;
        const uint8_t *ocsp = s2n_connection_get_ocsp_response(conn, &len);
        report("get_ocsp_response", ocsp == NULL && len == 0 && s2n_errno != 0, "ok");
    }

    /* Setters */
    CALL_STATUS("set_server_name", s2n_set_server_name(conn, "localhost"));
    CALL_STATUS("set_cipher_preferences", s2n_connection_set_cipher_preferences(conn, "default_tls13"));
    {
        const char *protocols[] = { "h2", "http/1.1" };
        CALL_STATUS("set_protocol_preferences", s2n_connection_set_protocol_preferences(conn, protocols, 2));
    }
    CALL_STATUS("append_protocol_preference", s2n_connection_append_protocol_preference(conn, (const uint8_t *) "h3", 2));
    CALL_STATUS("set_blinding", s2n_connection_set_blinding(conn, S2N_SELF_SERVICE_BLINDING));
    CALL_STATUS("set_client_auth_type", s2n_connection_set_client_auth_type(conn, S2N_CERT_AUTH_NONE));
    CALL_STATUS("set_dynamic_record_threshold", s2n_connection_set_dynamic_record_threshold(conn, 1000, 1));
    CALL_STATUS("prefer_throughput", s2n_connection_prefer_throughput(conn));
    CALL_STATUS("prefer_low_latency", s2n_connection_prefer_low_latency(conn));
    CALL_STATUS("set_verify_host_callback", s2n_connection_set_verify_host_callback(conn, accept_all, NULL));
    CALL_STATUS("server_name_extension_used", s2n_connection_server_name_extension_used(conn));
    CALL_STATUS("set_recv_buffering", s2n_connection_set_recv_buffering(conn, true));
    CALL_STATUS("request_key_update", s2n_connection_request_key_update(conn, S2N_KEY_UPDATE_NOT_REQUESTED));
    CALL_STATUS("set_ctx", s2n_connection_set_ctx(conn, &client_config));
    CALL_STATUS("get_ctx", s2n_connection_get_ctx(conn) == (void *) &client_config ? 0 : -1);
    CALL_STATUS("set_config", s2n_connection_set_config(conn, other_config));

    /* I/O */
    {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        CALL_STATUS("send", s2n_send(conn, "x", 1, &blocked));
        char buf[16];
        CALL_STATUS("recv", s2n_recv(conn, buf, sizeof(buf), &blocked));
        CALL_STATUS("negotiate", s2n_negotiate(conn, &blocked));
    }
}

static void both_sides(const char *state, struct s2n_connection *client, struct s2n_connection *server)
{
    g_state = state;
    g_side = "client";
    connection_calls(client);
    g_side = "server";
    connection_calls(server);
}

/* A pair in the given state (0 new .. 7 shutdown), then the matrix. */
static void run_state(const char *state)
{
    struct s2nrs_pair p;
    if (strcmp(state, "new") == 0) {
        struct s2n_connection *c = s2n_connection_new(S2N_CLIENT);
        struct s2n_connection *s = s2n_connection_new(S2N_SERVER);
        both_sides(state, c, s);
        EXPECT_SUCCESS(s2n_connection_free(c));
        EXPECT_SUCCESS(s2n_connection_free(s));
        return;
    }
    if (s2nrs_pair_init(&p, client_config, server_config, "localhost") != 0) {
        printf("%s setup failed\n", state);
        s2nrs_pair_free(&p);
        return;
    }
    if (strcmp(state, "mid") == 0) {
        s2nrs_negotiate_one(p.client, 1);
        s2nrs_negotiate_one(p.server, 1);
    } else if (strcmp(state, "configured") != 0) {
        EXPECT_HANDSHAKE_OK(p.client, p.server);
    }
    g_state = state;
    g_side = "both";
    if (strcmp(state, "free_hs") == 0) {
        CALL_STATUS("free_handshake(client)", s2n_connection_free_handshake(p.client));
        CALL_STATUS("free_handshake(server)", s2n_connection_free_handshake(p.server));
    } else if (strcmp(state, "released") == 0) {
        CALL_STATUS("release_buffers(client)", s2n_connection_release_buffers(p.client));
        CALL_STATUS("release_buffers(server)", s2n_connection_release_buffers(p.server));
    } else if (strcmp(state, "wiped") == 0) {
        CALL_STATUS("wipe(client)", s2n_connection_wipe(p.client));
        CALL_STATUS("wipe(server)", s2n_connection_wipe(p.server));
    } else if (strcmp(state, "shutdown") == 0) {
        s2n_blocked_status blocked = S2N_NOT_BLOCKED;
        CALL_STATUS("shutdown_send(client)", s2n_shutdown_send(p.client, &blocked));
        CALL_STATUS("shutdown(server)", s2n_shutdown(p.server, &blocked));
        CALL_STATUS("shutdown(client)", s2n_shutdown(p.client, &blocked));
    }
    both_sides(state, p.client, p.server);
    s2nrs_pair_free(&p);
}

static void config_calls(struct s2n_config *config)
{
    CALL_STATUS("set_cipher_preferences", s2n_config_set_cipher_preferences(config, "default_tls13"));
    {
        const char *protocols[] = { "h2" };
        CALL_STATUS("set_protocol_preferences", s2n_config_set_protocol_preferences(config, protocols, 1));
    }
    CALL_STATUS("append_protocol_preference", s2n_config_append_protocol_preference(config, (const uint8_t *) "h3", 2));
    CALL_STATUS("set_client_auth_type", s2n_config_set_client_auth_type(config, S2N_CERT_AUTH_NONE));
    {
        s2n_cert_auth_type type = 0;
        s2n_errno = 0;
        int rc = s2n_config_get_client_auth_type(config, &type);
        char buf[32];
        snprintf(buf, sizeof(buf), "%d", (int) type);
        report("get_client_auth_type", rc < 0, buf);
    }
    CALL_STATUS("set_session_tickets_onoff", s2n_config_set_session_tickets_onoff(config, 1));
    CALL_STATUS("set_max_cert_chain_depth", s2n_config_set_max_cert_chain_depth(config, 5));
    CALL_STATUS("set_verify_host_callback", s2n_config_set_verify_host_callback(config, accept_all, NULL));
    CALL_STATUS("set_max_blinding_delay", s2n_config_set_max_blinding_delay(config, 0));
    CALL_STATUS("set_send_buffer_size", s2n_config_set_send_buffer_size(config, 1 << 16));
    CALL_STATUS("set_recv_multi_record", s2n_config_set_recv_multi_record(config, true));
    CALL_STATUS("set_status_request_type", s2n_config_set_status_request_type(config, S2N_STATUS_REQUEST_NONE));
    CALL_STATUS("set_ctx", s2n_config_set_ctx(config, &other_config));
    {
        void *ctx = NULL;
        s2n_errno = 0;
        int rc = s2n_config_get_ctx(config, &ctx);
        report("get_ctx", rc < 0 || ctx != (void *) &other_config, "ok");
    }
    CALL_STATUS("disable_x509_time_verification", s2n_config_disable_x509_time_verification(config));
    {
        uint16_t groups[32];
        uint16_t n = 0;
        s2n_errno = 0;
        int rc = s2n_config_get_supported_groups(config, groups, 32, &n);
        char buf[32];
        snprintf(buf, sizeof(buf), "%u", (unsigned) n);
        report("get_supported_groups", rc < 0, buf);
    }
    CALL_STATUS("wipe_trust_store", s2n_config_wipe_trust_store(config));
    CALL_STATUS("set_verification_ca_location", s2n_config_set_verification_ca_location(config, S2NRS_CERTS_DIR "/ca-ecdsa.pem", NULL));
}

int main(void)
{
    s2nrs_tls_setup(120);
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    if (chain == NULL) {
        return 1;
    }
    client_config = s2nrs_client_config("default_tls13", "ca-ecdsa.pem");
    server_config = s2nrs_server_config("default_tls13", &chain, 1);
    other_config = s2nrs_client_config("default", "ca-ecdsa.pem");

    const char *states[] = { "new", "configured", "mid", "done", "free_hs", "released", "wiped", "shutdown" };
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
        run_state(states[i]);
    }

    /* Configs: fresh, in use by a finished connection, after that connection is freed. */
    g_side = "config";
    struct s2n_config *config = s2nrs_server_config("default", &chain, 1);
    g_state = "config-new";
    config_calls(config);
    struct s2nrs_pair p;
    struct s2n_config *cc = s2nrs_client_config("default", NULL);
    if (s2nrs_pair_init(&p, cc, config, "localhost") == 0 && EXPECT_HANDSHAKE_OK(p.client, p.server)) {
        g_state = "config-in-use";
        config_calls(config);
    }
    s2nrs_pair_free(&p);
    g_state = "config-conn-freed";
    config_calls(config);

    EXPECT_SUCCESS(s2n_config_free(config));
    EXPECT_SUCCESS(s2n_config_free(cc));
    EXPECT_SUCCESS(s2n_config_free(client_config));
    EXPECT_SUCCESS(s2n_config_free(server_config));
    EXPECT_SUCCESS(s2n_config_free(other_config));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
