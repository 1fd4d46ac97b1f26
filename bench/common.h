/* The benchmark's shared parts (bench/common.c): options, timing, errors,
 * the counting allocator, certificates and configs, connection pairs. */
#pragma once

#include <s2n.h>

#include <stddef.h>
#include <stdint.h>

struct cert_pair {
    const char *chain;
    const char *key;
};
struct pair {
    struct s2n_connection *server, *client;
    int fds[2];
};

#define CHECK(call)          \
    do {                     \
        if ((call) < 0) {    \
            fail(#call);     \
        }                    \
    } while (0)
#define CHECK_PTR(ptr, call) \
    do {                     \
        if ((ptr) == NULL) { \
            fail(call);      \
        }                    \
    } while (0)

extern const char *opt_certs;
extern double opt_seconds;
extern double opt_warmup;
extern long opt_mib;
extern long opt_pairs;
extern int opt_throughput;
extern const char *case_name;
extern long long live_bytes, peak_bytes;
extern const struct cert_pair ECDSA;
extern const struct cert_pair RSA;
extern const struct cert_pair CLIENT_ECDSA;
extern const char *fail_call;

double now(void);
double cpu_now(void);
const char *err_name(void);
const char *squeeze(const char *call);
void fail(const char *call);
char *read_pem(const char *name);
int mem_malloc(void **ptr, uint32_t requested, uint32_t *allocated);
int mem_free(void *ptr, uint32_t size);
struct s2n_cert_chain_and_key *load_chain(struct cert_pair p);
struct s2n_config *new_config(const char *policy);
struct s2n_config *server_config(const char *policy, struct cert_pair cert);
struct s2n_config *client_config(const char *policy, const char *ca);
void make_socketpair(int fds[2]);
int pair_new(struct pair *p, struct s2n_config *server_cfg, struct s2n_config *client_cfg);
int pair_set_fds_try(struct pair *p);
void pair_set_fds(struct pair *p);
void pair_free(struct pair *p);
int handshake_try(struct pair *p);
void handshake(struct pair *p);
void drain(struct s2n_connection *conn, const char *who);
const char *version_name(int v);
const char *cipher_of(struct s2n_connection *conn);
int mem_init(void);
int mem_cleanup(void);
