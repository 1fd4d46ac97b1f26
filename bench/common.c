/* The benchmark's shared parts; see common.h and bench.c. */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

/* ------------------------------------------------------------------------ */
/* options and output                                                        */

const char *opt_certs = "tests/certs";
double opt_seconds = 2.0;
double opt_warmup = 0.3;
long opt_mib = 64;
long opt_pairs = 10000;
int opt_throughput = 0;
const char *case_name = "";

double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* CPU seconds of this process (all threads, user + system): a rate per CPU
 * second is less disturbed than wall time when the cores are shared. */
double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

const char *err_name(void)
{
    const char *name = s2n_strerror_name(s2n_errno);
    return name ? name : "unknown";
}

/* A call's text without spaces, so that the key=value line stays parseable. */
const char *squeeze(const char *call)
{
    static char out[256];
    size_t j = 0;
    for (size_t i = 0; call[i] && j + 1 < sizeof(out); i++) {
        if (call[i] != ' ') {
            out[j++] = call[i];
        }
    }
    out[j] = '\0';
    return out;
}

/* A failed call: one line for the runner, the debug string on stderr. */
void fail(const char *call)
{
    const char *name = err_name();
    fprintf(stderr, "bench %s: %s failed: %s (%s)\n", case_name, call, name,
            s2n_strerror_debug(s2n_errno, NULL));
    printf("case=%s status=error call=%s error=%s\n", case_name, squeeze(call), name);
    fflush(stdout);
    exit(2);
}



char *read_pem(const char *name)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", opt_certs, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        printf("case=%s status=error call=fopen error=%s\n", case_name, name);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *out = malloc((size_t) size + 1);
    size_t n = fread(out, 1, (size_t) size, f);
    out[n] = '\0';
    fclose(f);
    return out;
}

/* ------------------------------------------------------------------------ */
/* memory accounting (installed only for the memory case)                    */

long long live_bytes, peak_bytes;

int mem_init(void) { return S2N_SUCCESS; }
int mem_cleanup(void) { return S2N_SUCCESS; }
int mem_malloc(void **ptr, uint32_t requested, uint32_t *allocated)
{
    *ptr = malloc(requested ? requested : 1);
    if (*ptr == NULL) {
        return S2N_FAILURE;
    }
    *allocated = requested;
    live_bytes += requested;
    if (live_bytes > peak_bytes) {
        peak_bytes = live_bytes;
    }
    return S2N_SUCCESS;
}
int mem_free(void *ptr, uint32_t size)
{
    live_bytes -= size;
    free(ptr);
    return S2N_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* configs                                                                    */

const struct cert_pair ECDSA = { "server-ecdsa-chain.pem", "server-ecdsa-key.pem" };
const struct cert_pair RSA = { "server-rsa-chain.pem", "server-rsa-key.pem" };
const struct cert_pair CLIENT_ECDSA = { "client-ecdsa-chain.pem", "client-ecdsa-key.pem" };

struct s2n_cert_chain_and_key *load_chain(struct cert_pair p)
{
    struct s2n_cert_chain_and_key *chain = s2n_cert_chain_and_key_new();
    CHECK_PTR(chain, "s2n_cert_chain_and_key_new");
    char *pem = read_pem(p.chain);
    char *key = read_pem(p.key);
    CHECK(s2n_cert_chain_and_key_load_pem(chain, pem, key));
    free(pem);
    free(key);
    return chain;
}

struct s2n_config *new_config(const char *policy)
{
    struct s2n_config *config = s2n_config_new_minimal();
    CHECK_PTR(config, "s2n_config_new_minimal");
    CHECK(s2n_config_set_max_blinding_delay(config, 0));
    if (policy) {
        if (s2n_config_set_cipher_preferences(config, policy) < 0) {
            char call[256];
            snprintf(call, sizeof(call), "s2n_config_set_cipher_preferences(%s)", policy);
            fail(call);
        }
    }
    return config;
}

struct s2n_config *server_config(const char *policy, struct cert_pair cert)
{
    struct s2n_config *config = new_config(policy);
    CHECK(s2n_config_add_cert_chain_and_key_to_store(config, load_chain(cert)));
    return config;
}

struct s2n_config *client_config(const char *policy, const char *ca)
{
    struct s2n_config *config = new_config(policy);
    char *pem = read_pem(ca);
    CHECK(s2n_config_add_pem_to_trust_store(config, pem));
    free(pem);
    return config;
}

/* ------------------------------------------------------------------------ */
/* connections                                                                */


void make_socketpair(int fds[2])
{
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
        printf("case=%s status=error call=socketpair error=%s\n", case_name, strerror(errno));
        exit(2);
    }
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
}

/* Returns 0, or -1 (with s2n_errno set and fail_call naming the call) if the
 * pair could not be made; nothing is left allocated then. */
const char *fail_call = "";
int pair_new(struct pair *p, struct s2n_config *server_cfg, struct s2n_config *client_cfg)
{
    p->fds[0] = p->fds[1] = -1;
    p->client = NULL;
    fail_call = "s2n_connection_new(S2N_SERVER)";
    p->server = s2n_connection_new(S2N_SERVER);
    if (p->server == NULL) {
        return -1;
    }
    fail_call = "s2n_connection_new(S2N_CLIENT)";
    p->client = s2n_connection_new(S2N_CLIENT);
    if (p->client == NULL) {
        goto err;
    }
    fail_call = "s2n_connection_set_config(server)";
    if (s2n_connection_set_config(p->server, server_cfg) < 0) {
        goto err;
    }
    fail_call = "s2n_connection_set_config(client)";
    if (s2n_connection_set_config(p->client, client_cfg) < 0) {
        goto err;
    }
    fail_call = "s2n_set_server_name";
    if (s2n_set_server_name(p->client, "localhost") < 0) {
        goto err;
    }
    return 0;
err:;
    int saved = s2n_errno;
    s2n_connection_free(p->server);
    if (p->client) {
        s2n_connection_free(p->client);
    }
    s2n_errno = saved;
    return -1;
}

/* Returns 0, or -1 with s2n_errno set and fail_call naming the call. */
int pair_set_fds_try(struct pair *p)
{
    make_socketpair(p->fds);
    fail_call = "s2n_connection_set_fd(server)";
    if (s2n_connection_set_fd(p->server, p->fds[0]) < 0) {
        return -1;
    }
    fail_call = "s2n_connection_set_fd(client)";
    if (s2n_connection_set_fd(p->client, p->fds[1]) < 0) {
        return -1;
    }
    return 0;
}

void pair_set_fds(struct pair *p)
{
    if (pair_set_fds_try(p) < 0) {
        fail(fail_call);
    }
}

void pair_free(struct pair *p)
{
    CHECK(s2n_connection_free(p->server));
    CHECK(s2n_connection_free(p->client));
    close(p->fds[0]);
    close(p->fds[1]);
}

/* Alternates s2n_negotiate on both ends until both are done. Returns 0, or
 * -1 with s2n_errno set and fail_call naming the side. */
int handshake_try(struct pair *p)
{
    int client_done = 0, server_done = 0;
    for (int rounds = 0; !(client_done && server_done); rounds++) {
        s2n_blocked_status blocked;
        if (!client_done) {
            if (s2n_negotiate(p->client, &blocked) == S2N_SUCCESS) {
                client_done = 1;
            } else if (s2n_error_get_type(s2n_errno) != S2N_ERR_T_BLOCKED) {
                fail_call = "s2n_negotiate(client)";
                return -1;
            }
        }
        if (!server_done) {
            if (s2n_negotiate(p->server, &blocked) == S2N_SUCCESS) {
                server_done = 1;
            } else if (s2n_error_get_type(s2n_errno) != S2N_ERR_T_BLOCKED) {
                fail_call = "s2n_negotiate(server)";
                return -1;
            }
        }
        if (rounds > 10000) {
            printf("case=%s status=error call=handshake error=no_progress\n", case_name);
            exit(2);
        }
    }
    return 0;
}

void handshake(struct pair *p)
{
    if (handshake_try(p) < 0) {
        fail(fail_call);
    }
}

/* Reads whatever post-handshake data is pending (e.g. NewSessionTicket)
 * until the connection would block. */
void drain(struct s2n_connection *conn, const char *who)
{
    uint8_t buf[4096];
    for (;;) {
        s2n_blocked_status blocked;
        ssize_t r = s2n_recv(conn, buf, sizeof(buf), &blocked);
        if (r > 0) {
            continue;
        }
        if (r == 0) {
            return;
        }
        if (s2n_error_get_type(s2n_errno) == S2N_ERR_T_BLOCKED) {
            return;
        }
        char call[64];
        snprintf(call, sizeof(call), "s2n_recv(%s)", who);
        fail(call);
    }
}

const char *version_name(int v)
{
    switch (v) {
        case S2N_TLS13: return "TLS1.3";
        case S2N_TLS12: return "TLS1.2";
        case S2N_TLS11: return "TLS1.1";
        case S2N_TLS10: return "TLS1.0";
        default: return "unknown";
    }
}

const char *cipher_of(struct s2n_connection *conn)
{
    const char *c = s2n_connection_get_cipher(conn);
    return c ? c : "none";
}

/* ------------------------------------------------------------------------ */
/* full handshakes                                                            */
