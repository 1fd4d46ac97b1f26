/*
 * Self-talk: async private-key operations (s2n_async_pkey_*) and
 * s2n_config_set_verify_after_sign.
 *
 * s2n semantics used here:
 *  - with an async pkey callback, each handshake signature is an operation
 *    handed to the callback, which owns it (s2n_async_pkey_op_free);
 *  - the operation is a SIGN whose input is the digest of the signed content
 *    (its size is the digest size of s2n_connection_get_selected_digest_algorithm);
 *  - perform signs with a chain's key; set_output takes the application's
 *    signature; apply hands the result to the connection that asked;
 *  - apply before perform: S2N_ERR_ASYNC_NOT_PERFORMED; perform twice:
 *    S2N_ERR_ASYNC_ALREADY_PERFORMED; apply twice: S2N_ERR_ASYNC_ALREADY_APPLIED;
 *    apply to another connection: S2N_ERR_ASYNC_WRONG_CONNECTION; a too small
 *    input buffer: S2N_ERR_SAFETY;
 *  - a callback that fails: S2N_ERR_ASYNC_CALLBACK_FAILED;
 *  - strict validation (or verify_after_sign) checks the output at apply:
 *    S2N_ERR_VERIFY_SIGNATURE for a bad one;
 *  - a chain loaded without its private key needs the callback
 *    (s2n_connection_set_config: S2N_ERR_NO_PRIVATE_KEY) and signs through it;
 *  - applied inside the callback (or on another thread while the callback
 *    waits), the handshake goes on; applied later, s2n_negotiate blocks on
 *    application input (S2N_ERR_ASYNC_BLOCKED) until then, and goes on once
 *    it is applied, for a server and for an mTLS client;
 *  - a connection freed while its operation waits frees cleanly, and the
 *    operation then fails to apply.
 */
#include "harness/selftalk.h"

#include <dlfcn.h>

#define POLICY_TLS13 "default_tls13"
#define POLICY_TLS12 "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"

enum mode { PERFORM, PERFORM_ON_THREAD, FAIL, DEFERRED, BAD_OUTPUT };

struct probe {
    enum mode mode;
    struct s2n_cert_chain_and_key *chain; /* the chain the connection uses */
    struct s2n_cert_chain_and_key *key_chain; /* the chain whose key signs (NULL: chain) */
    struct s2n_connection *other;         /* a connection the op is not for */
    int calls;
    int apply_err;                        /* s2n_errno of the final apply, 0 if it succeeded */
    uint32_t input_size;
    s2n_tls_signature_algorithm sig;
    s2n_tls_hash_algorithm hash;
    struct s2n_async_pkey_op *saved;      /* DEFERRED: the op left for later */
};

static uint32_t digest_size(s2n_tls_hash_algorithm hash)
{
    switch (hash) {
        case S2N_TLS_HASH_SHA1: return 20;
        case S2N_TLS_HASH_SHA224: return 28;
        case S2N_TLS_HASH_SHA256: return 32;
        case S2N_TLS_HASH_SHA384: return 48;
        case S2N_TLS_HASH_SHA512: return 64;
        default: return 0;
    }
}

static s2n_cert_private_key *signing_key(const struct probe *probe)
{
    return s2n_cert_chain_and_key_get_private_key(probe->key_chain ? probe->key_chain : probe->chain);
}

static void *perform_and_apply(void *arg)
{
    void **args = arg;
    struct s2n_async_pkey_op *op = args[0];
    struct s2n_connection *conn = args[1];
    struct probe *probe = args[2];
    EXPECT_SUCCESS(s2n_async_pkey_op_perform(op, signing_key(probe)));
    probe->apply_err = s2n_async_pkey_op_apply(op, conn) == S2N_SUCCESS ? 0 : s2n_errno;
    return NULL;
}

/* The misuse checks of one operation, then perform + apply. */
static void perform_checked(struct s2n_async_pkey_op *op, struct s2n_connection *conn, struct probe *probe)
{
    uint8_t small[4];
    if (probe->input_size > sizeof(small)) {
        EXPECT_FAILURE_WITH_ERRNO(s2n_async_pkey_op_get_input(op, small, sizeof(small)), S2NRS_E_SAFETY);
    }
    EXPECT_FAILURE_WITH_ERRNO(s2n_async_pkey_op_apply(op, conn), S2NRS_E_ASYNC_NOT_PERFORMED);
    s2n_cert_private_key *key = signing_key(probe);
    EXPECT(key != NULL);
    EXPECT_SUCCESS(s2n_async_pkey_op_perform(op, key));
    EXPECT_FAILURE_WITH_ERRNO(s2n_async_pkey_op_perform(op, key), S2NRS_E_ASYNC_ALREADY_PERFORMED);
    EXPECT_FAILURE_WITH_ERRNO(s2n_async_pkey_op_apply(op, probe->other), S2NRS_E_ASYNC_WRONG_CONNECTION);
    probe->apply_err = s2n_async_pkey_op_apply(op, conn) == S2N_SUCCESS ? 0 : s2n_errno;
    EXPECT_FAILURE_WITH_ERRNO(s2n_async_pkey_op_apply(op, conn), S2NRS_E_ASYNC_ALREADY_APPLIED);
}

static int async_pkey_cb(struct s2n_connection *conn, struct s2n_async_pkey_op *op)
{
    struct probe *probe = s2n_connection_get_ctx(conn);
    EXPECT(probe != NULL);
    if (probe == NULL) {
        return S2N_FAILURE;
    }
    probe->calls++;
    s2n_async_pkey_op_type type = S2N_ASYNC_DECRYPT;
    EXPECT_SUCCESS(s2n_async_pkey_op_get_op_type(op, &type));
    EXPECT_EQ_INT(type, S2N_ASYNC_SIGN);
    EXPECT_SUCCESS(s2n_async_pkey_op_get_input_size(op, &probe->input_size));
    uint8_t input[64] = { 0 };
    EXPECT_SUCCESS(s2n_async_pkey_op_get_input(op, input, sizeof(input)));
    EXPECT_SUCCESS(s2n_connection_get_selected_signature_algorithm(conn, &probe->sig));
    EXPECT_SUCCESS(s2n_connection_get_selected_digest_algorithm(conn, &probe->hash));
    /* A getter that needs the handshake's state answers inside the callback. */
    int version = s2n_connection_get_actual_protocol_version(conn);
    EXPECT(version == S2N_TLS12 || version == S2N_TLS13);
    if (probe->chain) {
        EXPECT(s2n_connection_get_selected_cert(conn) == probe->chain);
    } else {
        EXPECT(s2n_connection_get_selected_cert(conn) != NULL);
    }

    switch (probe->mode) {
        case PERFORM:
            perform_checked(op, conn, probe);
            break;
        case PERFORM_ON_THREAD: {
            /* Another thread does the work while the callback waits. */
            void *args[3] = { op, conn, probe };
            pthread_t thread;
            EXPECT_EQ_INT(pthread_create(&thread, NULL, perform_and_apply, args), 0);
            pthread_join(thread, NULL);
            break;
        }
        case FAIL:
            EXPECT_SUCCESS(s2n_async_pkey_op_free(op));
            return S2N_FAILURE;
        case DEFERRED:
            probe->saved = op;
            return S2N_SUCCESS;
        case BAD_OUTPUT: {
            const uint8_t garbage[] = "this is not a signature";
            EXPECT_SUCCESS(s2n_async_pkey_op_set_output(op, garbage, sizeof(garbage)));
            probe->apply_err = s2n_async_pkey_op_apply(op, conn) == S2N_SUCCESS ? 0 : s2n_errno;
            if (probe->apply_err) {
                EXPECT_SUCCESS(s2n_async_pkey_op_free(op));
                return S2N_FAILURE;
            }
            break;
        }
    }
    EXPECT_SUCCESS(s2n_async_pkey_op_free(op));
    return S2N_SUCCESS;
}

struct setup {
    const char *policy;
    struct s2n_cert_chain_and_key *server_chain;
    const char *ca;
    struct s2n_cert_chain_and_key *client_chain; /* non-NULL: mTLS, the client signs */
    struct s2n_cert_chain_and_key *key_chain;    /* the key, when the chain has none */
    s2n_async_pkey_validation_mode validation;
    bool verify_after_sign;
};

static struct s2n_connection *other_conn;

/* A handshake's connections and the configs they use. */
struct run {
    struct s2nrs_pair p;
    struct s2n_config *client;
    struct s2n_config *server;
};

/* One handshake whose signing side (server, or client in mTLS) has the
 * async callback; returns the negotiation and fills the probe. */
/* A server config whose chain, without its key, the config owns:
 * s2n_config_add_cert_chain (internal in s2n-tls, so looked up). */
static struct s2n_config *config_owned_keyless(const char *policy)
{
    typedef int (*add_cert_chain_fn)(struct s2n_config *, uint8_t *, uint32_t);
    add_cert_chain_fn add_cert_chain = (add_cert_chain_fn) dlsym(RTLD_DEFAULT, "s2n_config_add_cert_chain");
    struct s2n_config *config = s2nrs_server_config(policy, NULL, 0);
    char *pem = s2nrs_read_cert("server-ecdsa-chain.pem");
    if (add_cert_chain && pem) {
        EXPECT_SUCCESS(add_cert_chain(config, (uint8_t *) pem, (uint32_t) strlen(pem)));
    }
    free(pem);
    return config;
}

static struct s2nrs_negotiation run(const struct setup *s, struct probe *probe, struct run *r)
{
    struct s2n_config *server = s->server_chain ? s2nrs_server_config(s->policy, &s->server_chain, 1)
                                                : config_owned_keyless(s->policy);
    struct s2n_config *client = s2nrs_client_config(s->policy, s->ca);
    struct s2nrs_pair *p = &r->p;
    r->client = client;
    r->server = server;
    struct s2n_config *signer = server;
    probe->chain = s->server_chain;
    if (s->client_chain) {
        EXPECT_SUCCESS(s2n_config_set_client_auth_type(server, S2N_CERT_AUTH_REQUIRED));
        EXPECT_SUCCESS(s2n_config_disable_x509_verification(server));
        EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key_to_store(client, s->client_chain));
        signer = client;
        probe->chain = s->client_chain;
    }
    EXPECT_SUCCESS(s2n_config_set_async_pkey_callback(signer, async_pkey_cb));
    EXPECT_SUCCESS(s2n_config_set_async_pkey_validation_mode(signer, s->validation));
    if (s->verify_after_sign) {
        EXPECT_SUCCESS(s2n_config_set_verify_after_sign(signer, S2N_VERIFY_AFTER_SIGN_ENABLED));
    }
    probe->other = other_conn;
    probe->key_chain = s->key_chain;
    s2nrs_pair_init(p, client, server, "localhost");
    EXPECT_SUCCESS(s2n_connection_set_ctx(s->client_chain ? p->client : p->server, probe));
    struct s2nrs_negotiation n = s2nrs_negotiate_pair(p->client, p->server);
    s2nrs_print_negotiation("handshake", &n);
    return n;
}

static void finish(struct run *r)
{
    s2nrs_pair_free(&r->p);
    EXPECT_SUCCESS(s2n_config_free(r->client));
    EXPECT_SUCCESS(s2n_config_free(r->server));
}

static void success_case(const char *what, const struct setup *s, enum mode mode)
{
    printf("%s (%s)\n", what, s->policy);
    struct probe probe = { .mode = mode, .key_chain = s->key_chain };
    struct run r;
    struct s2nrs_negotiation n = run(s, &probe, &r);
    struct s2nrs_pair p = r.p;
    EXPECT_EQ_INT(n.failed, S2NRS_NONE);
    EXPECT_EQ_INT(probe.calls, 1);
    EXPECT_EQ_INT(probe.apply_err, 0);
    EXPECT(probe.input_size > 0);
    EXPECT_EQ_INT(probe.input_size, digest_size(probe.hash));
    printf("  signature %d, digest %d, input %u bytes\n", (int) probe.sig, (int) probe.hash, probe.input_size);
    if (n.failed == S2NRS_NONE) {
        s2n_tls_signature_algorithm sig = S2N_TLS_SIGNATURE_ANONYMOUS;
        if (s->client_chain) {
            EXPECT_SUCCESS(s2n_connection_get_selected_client_cert_signature_algorithm(p.server, &sig));
        } else {
            EXPECT_SUCCESS(s2n_connection_get_selected_signature_algorithm(p.client, &sig));
        }
        EXPECT_EQ_INT(sig, probe.sig);
        const uint8_t data[] = "signed through the async private-key callback";
        EXPECT(s2nrs_transfer(p.client, p.server, data, sizeof(data)));
        EXPECT(s2nrs_transfer(p.server, p.client, data, sizeof(data)));
    }
    finish(&r);
}

static struct s2n_cert_chain_and_key *load_public(const char *chain_file)
{
    struct s2n_cert_chain_and_key *chain = s2n_cert_chain_and_key_new();
    char *pem = s2nrs_read_cert(chain_file);
    EXPECT(chain != NULL && pem != NULL);
    if (chain && pem) {
        EXPECT_SUCCESS(s2n_cert_chain_and_key_load_public_pem_bytes(chain, (uint8_t *) pem, strlen(pem)));
    }
    free(pem);
    return chain;
}

int main(void)
{
    s2nrs_tls_setup(120);
    struct s2n_cert_chain_and_key *ecdsa = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_cert_chain_and_key *rsa = s2nrs_load_chain("server-rsa-chain.pem", "server-rsa-key.pem");
    struct s2n_cert_chain_and_key *client_chain = s2nrs_load_chain("client-ecdsa-chain.pem", "client-ecdsa-key.pem");
    other_conn = s2n_connection_new(S2N_SERVER);
    EXPECT(other_conn != NULL);
    struct s2n_cert_chain_and_key *ecdsa_public = load_public("server-ecdsa-chain.pem");
    struct s2n_cert_chain_and_key *rsa_public = load_public("server-rsa-chain.pem");

    /* A chain without its key needs the async callback (checked when a connection takes the config). */
    struct s2n_config *keyless = s2nrs_server_config(POLICY_TLS13, &ecdsa_public, 1);
    EXPECT_FAILURE_WITH_ERRNO(s2n_connection_set_config(other_conn, keyless), S2NRS_E_NO_PRIVATE_KEY);
    EXPECT_SUCCESS(s2n_config_set_async_pkey_callback(keyless, async_pkey_cb));
    EXPECT_SUCCESS(s2n_connection_set_config(other_conn, keyless));
    EXPECT_SUCCESS(s2n_connection_wipe(other_conn));
    EXPECT_SUCCESS(s2n_config_free(keyless));

    /* Misuse without a handshake. */
    EXPECT_FAILURE_WITH_ERRNO(s2n_async_pkey_op_free(NULL), S2NRS_E_NULL);
    EXPECT_FAILURE_WITH_ERRNO(s2n_async_pkey_op_apply(NULL, other_conn), S2NRS_E_NULL);
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_async_pkey_validation_mode(NULL, S2N_ASYNC_PKEY_VALIDATION_STRICT),
            S2NRS_E_NULL);
    struct s2n_config *config = s2n_config_new_minimal();
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_async_pkey_validation_mode(config, (s2n_async_pkey_validation_mode) 7),
            S2NRS_E_INVALID_ARGUMENT);
    EXPECT_SUCCESS(s2n_config_free(config));

    const char *policies[] = { POLICY_TLS13, POLICY_TLS12 };
    for (int i = 0; i < 2; i++) {
        const char *policy = policies[i];
        struct setup s = { .policy = policy, .server_chain = ecdsa, .ca = "ca-ecdsa.pem" };
        success_case("ECDSA server, performed and applied in the callback", &s, PERFORM);
        success_case("ECDSA server, performed on another thread while the callback waits", &s, PERFORM_ON_THREAD);
        s.validation = S2N_ASYNC_PKEY_VALIDATION_STRICT;
        success_case("ECDSA server, strict validation", &s, PERFORM);
        s.validation = S2N_ASYNC_PKEY_VALIDATION_FAST;
        s.verify_after_sign = true;
        success_case("ECDSA server, verify after sign", &s, PERFORM);

        struct setup rsa_setup = { .policy = policy, .server_chain = rsa, .ca = "ca-rsa.pem" };
        success_case("RSA server, performed in the callback", &rsa_setup, PERFORM);

        struct setup m = { .policy = policy, .server_chain = ecdsa, .ca = "ca-ecdsa.pem", .client_chain = client_chain };
        success_case("mTLS client, performed in the callback", &m, PERFORM);

        /* The chain has no private key (the key lives elsewhere, as in a KMS). */
        struct setup pub = { .policy = policy, .server_chain = ecdsa_public, .ca = "ca-ecdsa.pem", .key_chain = ecdsa };
        success_case("ECDSA server without its private key", &pub, PERFORM);
        struct setup rsa_pub = { .policy = policy, .server_chain = rsa_public, .ca = "ca-rsa.pem", .key_chain = rsa };
        success_case("RSA server without its private key", &rsa_pub, PERFORM);
        if (dlsym(RTLD_DEFAULT, "s2n_config_add_cert_chain")) {
            struct setup owned = { .policy = policy, .ca = "ca-ecdsa.pem", .key_chain = ecdsa };
            success_case("ECDSA server, keyless chain owned by the config", &owned, PERFORM);
        }

        /* A callback that fails. */
        printf("callback fails (%s)\n", policy);
        struct probe probe = { .mode = FAIL };
        struct run r;
        struct s2nrs_negotiation n = run(&rsa_setup, &probe, &r);
        EXPECT_EQ_INT(n.failed, S2NRS_SERVER);
        EXPECT_ERR(n.err, S2NRS_E_ASYNC_CALLBACK_FAILED);
        finish(&r);

        /* A bad signature: strict validation and verify_after_sign catch it at apply. */
        struct setup strict = { .policy = policy, .server_chain = ecdsa, .ca = "ca-ecdsa.pem",
            .validation = S2N_ASYNC_PKEY_VALIDATION_STRICT };
        struct setup after = { .policy = policy, .server_chain = ecdsa, .ca = "ca-ecdsa.pem", .verify_after_sign = true };
        const struct setup *checked[] = { &strict, &after };
        for (int j = 0; j < 2; j++) {
            printf("bad output, %s (%s)\n", j == 0 ? "strict validation" : "verify after sign", policy);
            probe = (struct probe) { .mode = BAD_OUTPUT };
            n = run(checked[j], &probe, &r);
            EXPECT_ERR(probe.apply_err, S2NRS_E_VERIFY_SIGNATURE);
            EXPECT_EQ_INT(n.failed, S2NRS_SERVER);
            EXPECT_ERR(n.err, S2NRS_E_ASYNC_CALLBACK_FAILED);
            finish(&r);
        }

        /* Fast validation sends it: the client rejects the handshake. */
        printf("bad output, fast validation (%s)\n", policy);
        struct setup fast = { .policy = policy, .server_chain = ecdsa, .ca = "ca-ecdsa.pem" };
        probe = (struct probe) { .mode = BAD_OUTPUT };
        n = run(&fast, &probe, &r);
        EXPECT_EQ_INT(probe.apply_err, 0);
        EXPECT_EQ_INT(n.failed, S2NRS_CLIENT);
        EXPECT_EQ_INT(s2n_error_get_type(n.err), S2N_ERR_T_PROTO);
        finish(&r);

        /* Left for later. */
        printf("deferred (%s)\n", policy);
        probe = (struct probe) { .mode = DEFERRED };
        n = run(&fast, &probe, &r);
        EXPECT_EQ_INT(probe.calls, 1);
        EXPECT(probe.saved != NULL);
        /* The server waits for the application. */
        EXPECT_EQ_INT(n.failed, S2NRS_STUCK);
        EXPECT_EQ_INT(n.server_blocked, S2N_BLOCKED_ON_APPLICATION_INPUT);
        EXPECT_ERR(n.server_err, S2NRS_E_ASYNC_BLOCKED);
        if (probe.saved) {
            EXPECT_SUCCESS(s2n_async_pkey_op_perform(probe.saved, s2n_cert_chain_and_key_get_private_key(ecdsa)));
            EXPECT_SUCCESS(s2n_async_pkey_op_apply(probe.saved, r.p.server));
            EXPECT_HANDSHAKE_OK(r.p.client, r.p.server);
        }
        if (probe.saved) {
            EXPECT_SUCCESS(s2n_async_pkey_op_free(probe.saved));
        }
        finish(&r);

        /* An mTLS client's operation left for later: the client waits. */
        printf("deferred, mTLS client (%s)\n", policy);
        probe = (struct probe) { .mode = DEFERRED };
        n = run(&m, &probe, &r);
        EXPECT_EQ_INT(n.failed, S2NRS_STUCK);
        EXPECT_EQ_INT(n.client_blocked, S2N_BLOCKED_ON_APPLICATION_INPUT);
        EXPECT_ERR(n.client_err, S2NRS_E_ASYNC_BLOCKED);
        if (probe.saved) {
            EXPECT_SUCCESS(s2n_async_pkey_op_perform(probe.saved, s2n_cert_chain_and_key_get_private_key(client_chain)));
            EXPECT_SUCCESS(s2n_async_pkey_op_apply(probe.saved, r.p.client));
            EXPECT_HANDSHAKE_OK(r.p.client, r.p.server);
            EXPECT_SUCCESS(s2n_async_pkey_op_free(probe.saved));
        }
        finish(&r);

        /* Freed while its operation waits: nothing hangs or leaks. */
        printf("freed while deferred (%s)\n", policy);
        probe = (struct probe) { .mode = DEFERRED };
        n = run(&fast, &probe, &r);
        EXPECT_EQ_INT(n.failed, S2NRS_STUCK);
        EXPECT_SUCCESS(s2n_connection_free(r.p.server));
        r.p.server = NULL;
        if (probe.saved) {
            EXPECT_SUCCESS(s2n_async_pkey_op_perform(probe.saved, s2n_cert_chain_and_key_get_private_key(ecdsa)));
            EXPECT_SUCCESS(s2n_async_pkey_op_free(probe.saved));
        }
        finish(&r);
    }

    /* verify_after_sign without an async callback: our own signatures are checked. */
    printf("verify after sign, synchronous\n");
    struct s2n_config *server = s2nrs_server_config(POLICY_TLS13, &ecdsa, 1);
    EXPECT_SUCCESS(s2n_config_set_verify_after_sign(server, S2N_VERIFY_AFTER_SIGN_ENABLED));
    struct s2n_config *client = s2nrs_client_config(POLICY_TLS13, "ca-ecdsa.pem");
    struct s2nrs_pair p;
    s2nrs_pair_init(&p, client, server, "localhost");
    EXPECT_HANDSHAKE_OK(p.client, p.server);
    s2nrs_pair_free(&p);
    EXPECT_SUCCESS(s2n_config_free(client));
    EXPECT_SUCCESS(s2n_config_free(server));

    EXPECT_SUCCESS(s2n_connection_free(other_conn));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(ecdsa));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(rsa));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(client_chain));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(ecdsa_public));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(rsa_public));
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
