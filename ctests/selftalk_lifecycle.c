/*
 * The connection memory lifecycle, counted through s2n_mem_set_callbacks
 * (which sees every allocation s2nrs makes, its libcrypto's included):
 *   - s2n_connection_new holds little (no record buffer, no protocol state);
 *   - after the handshake, each of s2n_connection_free_handshake,
 *     s2n_connection_release_buffers and s2n_connection_wipe holds less than
 *     the stage before it, and a wiped connection no more than a new one;
 *   - the wiped objects handshake again and move data;
 *   - s2n_connection_free gives back every byte, and s2n_cleanup_final
 *     leaves nothing allocated through the callbacks, which can then be set
 *     again for another s2n_init;
 * Each stage is printed, for both connections of a pair together.
 */
#include "harness/selftalk.h"

#define POLICY_TLS13 "default_tls13"
#define POLICY_TLS12 "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"

static long long live_bytes;

static int count_init(void) { return S2N_SUCCESS; }
static int count_cleanup(void) { return S2N_SUCCESS; }

static int count_malloc(void **ptr, uint32_t requested, uint32_t *allocated)
{
    *ptr = malloc(requested ? requested : 1);
    if (*ptr == NULL) {
        return S2N_FAILURE;
    }
    *allocated = requested;
    __atomic_add_fetch(&live_bytes, requested, __ATOMIC_RELAXED);
    return S2N_SUCCESS;
}

static int count_free(void *ptr, uint32_t size)
{
    __atomic_sub_fetch(&live_bytes, size, __ATOMIC_RELAXED);
    free(ptr);
    return S2N_SUCCESS;
}

static long long live(void)
{
    return __atomic_load_n(&live_bytes, __ATOMIC_RELAXED);
}

static bool handshake_and_talk(struct s2nrs_pair *p)
{
    struct s2nrs_negotiation n = s2nrs_negotiate_pair(p->client, p->server);
    if (n.failed != S2NRS_NONE) {
        s2nrs_print_negotiation("handshake", &n);
        return false;
    }
    uint8_t data[3000];
    s2nrs_fill_pattern(data, sizeof(data), 7);
    return s2nrs_transfer(p->client, p->server, data, sizeof(data))
            && s2nrs_transfer(p->server, p->client, data, sizeof(data));
}

static void lifecycle(const char *policy)
{
    printf("== lifecycle (%s)\n", policy);
    struct s2n_cert_chain_and_key *chain = s2nrs_load_chain("server-ecdsa-chain.pem", "server-ecdsa-key.pem");
    EXPECT(chain != NULL);
    struct s2n_config *server = s2nrs_server_config(policy, &chain, 1);
    struct s2n_config *client = s2nrs_client_config(policy, "ca-ecdsa.pem");

    /* A first pair builds what the configs make lazily. */
    struct s2nrs_pair p;
    EXPECT(s2nrs_pair_init(&p, client, server, "localhost") == 0);
    EXPECT(handshake_and_talk(&p));
    s2nrs_pair_free(&p);

    long long base = live();
    EXPECT(s2nrs_pair_init(&p, client, server, "localhost") == 0);
    long long created = live() - base;
    EXPECT(handshake_and_talk(&p));
    long long handshaken = live() - base;
    EXPECT_SUCCESS(s2n_connection_free_handshake(p.client));
    EXPECT_SUCCESS(s2n_connection_free_handshake(p.server));
    long long freed = live() - base;
    EXPECT_SUCCESS(s2n_connection_release_buffers(p.client));
    EXPECT_SUCCESS(s2n_connection_release_buffers(p.server));
    long long released = live() - base;
    EXPECT_SUCCESS(s2n_connection_wipe(p.client));
    EXPECT_SUCCESS(s2n_connection_wipe(p.server));
    long long wiped = live() - base;
    printf("  bytes per pair: new %lld, handshake %lld, free_handshake %lld, release_buffers %lld, wipe %lld\n",
            created, handshaken, freed, released, wiped);

    EXPECT(handshaken > created);
    EXPECT(freed < handshaken);
    EXPECT(released < freed);
    /* s2nrs's own targets (s2n-tls keeps ~24 KB per connection from new to wipe). */
    if (s2nrs_library_is_s2nrs()) {
        EXPECT(created <= 2 * 1024);
        EXPECT(wiped < released);
        EXPECT(wiped <= created);
    }

    /* The wiped objects keep their config and mode: a second handshake. */
    EXPECT_SUCCESS(s2n_set_server_name(p.client, "localhost"));
    EXPECT_SUCCESS(s2n_connection_set_fd(p.client, p.fds[0]));
    EXPECT_SUCCESS(s2n_connection_set_fd(p.server, p.fds[1]));
    EXPECT(handshake_and_talk(&p));

    s2nrs_pair_free(&p);
    printf("  after s2n_connection_free: %lld\n", live() - base);
    EXPECT_EQ_INT(live() - base, 0);

    EXPECT_SUCCESS(s2n_config_free(server));
    EXPECT_SUCCESS(s2n_config_free(client));
    EXPECT_SUCCESS(s2n_cert_chain_and_key_free(chain));
}

int main(void)
{
    /* Before s2n_init, as s2n requires. */
    EXPECT_SUCCESS(s2n_mem_set_callbacks(count_init, count_cleanup, count_malloc, count_free));
    s2nrs_tls_setup(120);
    lifecycle(POLICY_TLS13);
    lifecycle(POLICY_TLS12);
    s2nrs_tls_teardown();
    /* s2n_cleanup_final returns every byte allocated through the callbacks,
     * and the library can be set up again: callbacks, init, cleanup. */
    printf("after s2n_cleanup_final: %lld bytes\n", live());
    EXPECT_EQ_INT(live(), 0);
    EXPECT_SUCCESS(s2n_mem_set_callbacks(count_init, count_cleanup, count_malloc, count_free));
    EXPECT_SUCCESS(s2n_init());
    lifecycle(POLICY_TLS13);
    EXPECT_SUCCESS(s2n_cleanup_final());
    printf("after the second s2n_cleanup_final: %lld bytes\n", live());
    EXPECT_EQ_INT(live(), 0);
    return S2NRS_TEST_RESULT();
}
