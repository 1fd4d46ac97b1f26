/*
 * Config settings of s2n.h that s2nrs implements in part: DH parameters,
 * extension data (OCSP) on the default chain, and the settings whose "off"
 * value works while the "on" value is unimplemented in s2nrs (rustls cannot
 * do it); plus the config functions s2nrs does not support at all. Steps
 * that differ are asserted as s2n-tls behaves and, against s2nrs, as
 * S2N_ERR_UNIMPLEMENTED.
 */
#include <dlfcn.h>

#include "harness/selftalk.h"

#define POLICY_TLS12 "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"
#define POLICY_TLS13 "default_tls13"

/* s2n-tls's tests/pems/dhparams_2048.pem */
static const char DH_2048[] =
        "-----BEGIN DH PARAMETERS-----\n"
        "MIIBCAKCAQEAy1+hVWCfNQoPB+NA733IVOONl8fCumiz9zdRRu1hzVa2yvGseUSq\n"
        "Bbn6k0FQ7yMED6w5XWQKDC0z2m0FI/BPE3AjUfuPzEYGqTDf9zQZ2Lz4oAN90Sud\n"
        "luOoEhYR99cEbCn0T4eBvEf9IUtczXUZ/wj7gzGbGG07dLfT+CmCRJxCjhrosenJ\n"
        "gzucyS7jt1bobgU66JKkgMNm7hJY4/nhR5LWTCzZyzYQh2HM2Vk4K5ZqILpj/n0S\n"
        "5JYTQ2PVhxP+Uu8+hICs/8VvM72DznjPZzufADipjC7CsQ4S6x/ecZluFtbb+ZTv\n"
        "HI5CnYmkAwJ6+FSWGaZQDi8bgerFk9RWwwIBAg==\n"
        "-----END DH PARAMETERS-----\n";

/* 1024 bits: below s2n's minimum of 2048. */
static const char DH_1024[] =
        "-----BEGIN DH PARAMETERS-----\n"
        "MIGHAoGBAPFy4+1mSXEXR/LIXW0qm77TCulUF3awn/iQ/y2J5Bbcbs+KlNabtWlW\n"
        "1n/7GDUZGUaTM8WF1TTWnoQb5jr7HlHUWpDDU8Ux3x3h8OQ4kSeZTfAstt4+dfR9\n"
        "kgDSRj/PssAS47aeIaHShSvCiA4m5zW+yomvuXjzN8Ge/hXpAT93AgEC\n"
        "-----END DH PARAMETERS-----\n";

/* Against s2nrs, call must fail with S2N_ERR_UNIMPLEMENTED; against s2n-tls
 * it is not asserted (what it does there depends on the build). */
#define EXPECT_UNIMPLEMENTED_IN_S2NRS(call)                                 \
    do {                                                                    \
        if (s2nrs_library_is_s2nrs()) {                                     \
            EXPECT_FAILURE_WITH_ERRNO(call, S2NRS_E_UNIMPLEMENTED);         \
        }                                                                   \
    } while (0)

static struct s2n_config *owned_server_config(const char *policy, const char *chain_file, const char *key_file)
{
    struct s2n_config *config = s2n_config_new_minimal();
    EXPECT(config != NULL);
    EXPECT_SUCCESS(s2n_config_set_max_blinding_delay(config, 0));
    char *chain = s2nrs_read_cert(chain_file);
    char *key = s2nrs_read_cert(key_file);
    if (chain && key) {
        EXPECT_SUCCESS(s2n_config_add_cert_chain_and_key(config, chain, key));
    }
    free(chain);
    free(key);
    s2nrs_set_policy(config, policy);
    return config;
}

static void handshake_ok(struct s2n_config *client_config, struct s2n_config *server_config, const char *what,
        struct s2nrs_pair *pair_out)
{
    struct s2nrs_pair p;
    if (s2nrs_pair_init(&p, client_config, server_config, "s2nrs.test") != 0) {
        S2NRS_FAIL_AT("%s: pair setup failed", what);
        s2nrs_pair_free(&p);
        return;
    }
    struct s2nrs_negotiation r = s2nrs_negotiate_pair(p.client, p.server);
    s2nrs_print_negotiation(what, &r);
    EXPECT_EQ_INT(r.failed, S2NRS_NONE);
    if (pair_out) {
        *pair_out = p;
    } else {
        s2nrs_pair_free(&p);
    }
}

static void test_dhparams(void)
{
    printf("dhparams\n");
    struct s2n_config *server = owned_server_config(POLICY_TLS12, "server-rsa-chain.pem", "server-rsa-key.pem");
    struct s2n_config *client = s2nrs_client_config(POLICY_TLS12, "ca-rsa.pem");

    EXPECT_FAILURE_WITH_ERRNO(s2n_config_add_dhparams(NULL, DH_2048), S2NRS_E_NULL);
    EXPECT_FAILURE(s2n_config_add_dhparams(server, "not a PEM"));
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_add_dhparams(server, DH_1024), S2NRS_E_DH_PARAMS_CREATE);
    EXPECT_SUCCESS(s2n_config_add_dhparams(server, DH_2048));

    /* The parameters do not stop an ECDHE handshake. */
    handshake_ok(client, server, "TLS1.2 with dhparams", NULL);

    EXPECT_SUCCESS(s2n_config_free_dhparams(server));
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_free_dhparams(NULL), S2NRS_E_NULL);
    handshake_ok(client, server, "TLS1.2 after free_dhparams", NULL);

    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_config_free(client));
}

static void test_extension_data(void)
{
    printf("extension data\n");
    static const uint8_t ocsp[] = { 0x30, 0x03, 0x0a, 0x01, 0x00 }; /* any bytes: the client does not check them */

    /* No chain yet: nothing to update. */
    struct s2n_config *empty = s2n_config_new_minimal();
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_extension_data(empty, S2N_EXTENSION_OCSP_STAPLING, ocsp, sizeof(ocsp)),
            S2NRS_E_UPDATING_EXTENSION);
    EXPECT_SUCCESS(s2n_config_free(empty));

    /* A chain the application owns cannot be changed through the config. */
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    struct s2n_config *app_owned = s2nrs_server_config(POLICY_TLS13, &chain, 1);
    EXPECT_FAILURE_WITH_ERRNO(
            s2n_config_set_extension_data(app_owned, S2N_EXTENSION_OCSP_STAPLING, ocsp, sizeof(ocsp)),
            S2NRS_E_CERT_OWNERSHIP);
    EXPECT_SUCCESS(s2n_config_free(app_owned));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));

    struct s2n_config *server = owned_server_config(POLICY_TLS13, "server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_extension_data(NULL, S2N_EXTENSION_OCSP_STAPLING, ocsp, sizeof(ocsp)),
            S2NRS_E_NULL);
    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_extension_data(server, S2N_EXTENSION_SERVER_NAME, ocsp, sizeof(ocsp)),
            S2NRS_E_UNRECOGNIZED_EXTENSION);
    EXPECT_SUCCESS(s2n_config_set_extension_data(server, S2N_EXTENSION_OCSP_STAPLING, ocsp, sizeof(ocsp)));
    EXPECT_UNIMPLEMENTED_IN_S2NRS(
            s2n_config_set_extension_data(server, S2N_EXTENSION_CERTIFICATE_TRANSPARENCY, ocsp, sizeof(ocsp)));

    struct s2n_config *client = s2nrs_client_config(POLICY_TLS13, NULL);
    EXPECT_SUCCESS(s2n_config_set_status_request_type(client, S2N_STATUS_REQUEST_OCSP));
    struct s2nrs_pair p;
    memset(&p, 0, sizeof(p));
    handshake_ok(client, server, "TLS1.3 with OCSP from set_extension_data", &p);
    if (p.client) {
        uint32_t len = 0;
        const uint8_t *got = s2n_connection_get_ocsp_response(p.client, &len);
        EXPECT_EQ_INT(len, sizeof(ocsp));
        EXPECT(got != NULL && len == sizeof(ocsp) && memcmp(got, ocsp, len) == 0);
        EXPECT_EQ_INT(s2n_connection_is_ocsp_stapled(p.client), 1);
        EXPECT_EQ_INT(s2n_connection_is_ocsp_stapled(p.server), 1);
        s2nrs_pair_free(&p);
    }

    /* A client left at S2N_STATUS_REQUEST_NONE: an s2n-tls client asks for
     * no stapled response, so none comes; a rustls client always sends
     * status_request, so an s2nrs server sees it and staples. */
    struct s2n_config *quiet = s2nrs_client_config(POLICY_TLS13, NULL);
    EXPECT_SUCCESS(s2n_config_set_status_request_type(quiet, S2N_STATUS_REQUEST_NONE));
    memset(&p, 0, sizeof(p));
    handshake_ok(quiet, server, "TLS1.3, the client asking for no OCSP", &p);
    if (p.client) {
        struct s2n_client_hello *hello = s2n_connection_get_client_hello(p.server);
        ssize_t asked = s2n_client_hello_get_extension_length(hello, S2N_EXTENSION_OCSP_STAPLING);
        int expected = s2nrs_library_is_s2nrs() ? 1 : 0;
        EXPECT_EQ_INT(asked > 0, expected);
        EXPECT_EQ_INT(s2n_connection_is_ocsp_stapled(p.server), expected);
        EXPECT_EQ_INT(s2n_connection_is_ocsp_stapled(p.client), expected);
        s2nrs_pair_free(&p);
    }
    EXPECT_SUCCESS(s2n_config_free(quiet));

    /* Empty data removes the response. */
    EXPECT_SUCCESS(s2n_config_set_extension_data(server, S2N_EXTENSION_OCSP_STAPLING, ocsp, 0));
    memset(&p, 0, sizeof(p));
    handshake_ok(client, server, "TLS1.3 after clearing the OCSP data", &p);
    if (p.client) {
        EXPECT_EQ_INT(s2n_connection_is_ocsp_stapled(p.client), 0);
        EXPECT_EQ_INT(s2n_connection_is_ocsp_stapled(p.server), 0);
        s2nrs_pair_free(&p);
    }

    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_config_free(client));
}

static struct s2n_cert_chain_and_key *tiebreak_cb(struct s2n_cert_chain_and_key *a, struct s2n_cert_chain_and_key *b,
        uint8_t *name, uint32_t name_len)
{
    (void) b;
    (void) name;
    (void) name_len;
    return a;
}

static void test_settings(void)
{
    printf("settings\n");
    struct s2n_config *config = s2n_config_new_minimal();

    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_verify_after_sign(NULL, S2N_VERIFY_AFTER_SIGN_DISABLED), S2NRS_E_NULL);
    EXPECT_SUCCESS(s2n_config_set_verify_after_sign(config, S2N_VERIFY_AFTER_SIGN_DISABLED));
    EXPECT_SUCCESS(s2n_config_set_verify_after_sign(config, S2N_VERIFY_AFTER_SIGN_ENABLED));

    EXPECT_FAILURE_WITH_ERRNO(s2n_config_set_ct_support_level(NULL, S2N_CT_SUPPORT_NONE), S2NRS_E_NULL);
    EXPECT_SUCCESS(s2n_config_set_ct_support_level(config, S2N_CT_SUPPORT_NONE));
    EXPECT_UNIMPLEMENTED_IN_S2NRS(s2n_config_set_ct_support_level(config, S2N_CT_SUPPORT_REQUEST));

    /* Set and removed (selftalk_alpn_sni runs it over a handshake). */
    EXPECT_SUCCESS(s2n_config_set_cert_tiebreak_callback(config, tiebreak_cb));
    EXPECT_SUCCESS(s2n_config_set_cert_tiebreak_callback(config, NULL));

    EXPECT_UNIMPLEMENTED_IN_S2NRS(s2n_config_send_max_fragment_length(config, S2N_TLS_MAX_FRAG_LEN_2048));
    EXPECT_UNIMPLEMENTED_IN_S2NRS(s2n_config_accept_max_fragment_length(config));
    EXPECT_UNIMPLEMENTED_IN_S2NRS(s2n_config_enable_cert_req_dss_legacy_compat(config));
    EXPECT_SUCCESS(s2n_config_set_serialization_version(config, S2N_SERIALIZED_CONN_V1));

    /* Internal in s2n-tls (tls/s2n_config.h), so looked up rather than linked. */
    typedef int (*add_cert_chain_fn)(struct s2n_config *, uint8_t *, uint32_t);
    add_cert_chain_fn add_cert_chain = (add_cert_chain_fn) dlsym(RTLD_DEFAULT, "s2n_config_add_cert_chain");
    char *chain = s2nrs_read_cert("server-ecdsa-chain.pem");
    if (chain && add_cert_chain) {
        /* Once per config (handshakes with it: selftalk_async_pkey). */
        EXPECT_SUCCESS(add_cert_chain(config, (uint8_t *) chain, (uint32_t) strlen(chain)));
        EXPECT_FAILURE_WITH_ERRNO(add_cert_chain(config, (uint8_t *) chain, (uint32_t) strlen(chain)),
                S2NRS_E_CERT_OWNERSHIP);
    }
    free(chain);

    EXPECT_SUCCESS(s2n_config_free(config));
}

int main(void)
{
    s2nrs_tls_setup(60);
    test_dhparams();
    test_extension_data();
    test_settings();
    s2nrs_tls_teardown();
    return S2NRS_TEST_RESULT();
}
