/*
 * bench: s2n API benchmark, written against <s2n.h> only so that the same
 * source builds unchanged against s2nrs (libs2nrs.so) and real s2n-tls.
 *
 * Every measurement is a self-talk in one process: a server and a client
 * connection on the two ends of a nonblocking AF_UNIX socketpair, driven
 * alternately from one thread. Blinding is disabled
 * (s2n_config_set_max_blinding_delay 0).
 *
 * Usage: bench <case> [--certs DIR] [--seconds S] [--warmup S] [--mib M]
 *                     [--pairs N] [--throughput]
 *
 * Cases (one machine-readable line per measurement, key=value separated by
 * spaces; the first keys are always case=, then unit= and value=, or status=):
 *   handshake_ecdsa_tls13       full handshakes/s, ECDSA P-256, default_tls13
 *   handshake_rsa_tls13         full handshakes/s, RSA-2048, default_tls13
 *   handshake_ecdsa_mtls_tls13  full handshakes/s, ECDSA both ways, client auth REQUIRED
 *   handshake_ecdsa_tls12       full handshakes/s, ECDHE-ECDSA-AES128-GCM-SHA256,
 *                               ELBSecurityPolicy-TLS-1-2-Ext-2018-06 on both ends
 *   resumption_tls13            resumed (session ticket) handshakes/s, TLS1.3
 *   bulk_aes128gcm              MB/s one way (client -> server), TLS1.3 AES-128-GCM
 *   bulk_aes256gcm              MB/s, TLS1.3 AES-256-GCM (server policy 20190801)
 *   bulk_chacha20               MB/s, ChaCha20-Poly1305 (see below)
 *                               each bulk case with --throughput calls
 *                               s2n_connection_prefer_throughput on both ends
 *   memory                      bytes per connection at each lifecycle stage,
 *                               counted through s2n_mem_set_callbacks
 *   rss                         VmRSS per idle connection pair with N pairs
 *
 * ChaCha20: no named s2n policy offers TLS_CHACHA20_POLY1305_SHA256 first on
 * the client, and s2n servers pick TLS1.3 suites in server order (ChaCha20
 * boosting only applies when the client lists ChaCha20 first), so ChaCha20
 * cannot be forced in TLS1.3 through the public API. bulk_chacha20 first
 * tries TLS1.3 (server CloudFront-TLS-1-2-2021-Chacha20-Boosted) and, when
 * that negotiates something else, falls back to TLS1.2
 * ECDHE-RSA-CHACHA20-POLY1305 (policy 20190122 on both ends, RSA cert).
 */
#include <s2n.h>

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

struct hs_setup {
    struct s2n_config *server, *client;
    const char *expect_cipher; /* NULL: any */
    int expect_version;
};

/* One full handshake on a new pair; when cipher is set, records the
 * negotiated cipher (copied before the connections are freed) and version. */
static void one_handshake(struct hs_setup *s, char *cipher, size_t cipher_size, int *version)
{
    struct pair p;
    if (pair_new(&p, s->server, s->client) < 0) {
        fail(fail_call);
    }
    pair_set_fds(&p);
    handshake(&p);
    if (cipher) {
        snprintf(cipher, cipher_size, "%s", cipher_of(p.client));
        *version = s2n_connection_get_actual_protocol_version(p.client);
    }
    pair_free(&p);
}

static void run_handshakes(struct hs_setup *s)
{
    char cipher[128];
    int version = 0;
    one_handshake(s, cipher, sizeof(cipher), &version);
    if (s->expect_cipher && strcmp(cipher, s->expect_cipher) != 0) {
        printf("case=%s status=error call=s2n_connection_get_cipher error=unexpected_cipher_%s\n",
                case_name, cipher);
        exit(2);
    }
    if (s->expect_version && version != s->expect_version) {
        printf("case=%s status=error call=s2n_connection_get_actual_protocol_version error=unexpected_%s\n",
                case_name, version_name(version));
        exit(2);
    }

    double end = now() + opt_warmup;
    while (now() < end) {
        one_handshake(s, NULL, 0, NULL);
    }
    long n = 0;
    double cpu_start = cpu_now();
    double start = now();
    end = start + opt_seconds;
    double t;
    do {
        one_handshake(s, NULL, 0, NULL);
        n++;
    } while ((t = now()) < end);
    double elapsed = t - start;
    double cpu = cpu_now() - cpu_start;
    printf("case=%s unit=hs/s value=%.1f cpu_value=%.1f n=%ld seconds=%.3f cpu_seconds=%.3f us_per_hs=%.1f version=%s cipher=%s\n",
            case_name, n / elapsed, n / cpu, n, elapsed, cpu, elapsed * 1e6 / n, version_name(version), cipher);
}

static uint8_t accept_any_host(const char *host_name, size_t host_name_len, void *data)
{
    return 1;
}

static int case_handshake(void)
{
    struct hs_setup s = { 0 };
    if (strcmp(case_name, "handshake_ecdsa_tls13") == 0) {
        s.server = server_config("default_tls13", ECDSA);
        s.client = client_config("default_tls13", "ca-ecdsa.pem");
        s.expect_version = S2N_TLS13;
    } else if (strcmp(case_name, "handshake_rsa_tls13") == 0) {
        s.server = server_config("default_tls13", RSA);
        s.client = client_config("default_tls13", "ca-rsa.pem");
        s.expect_version = S2N_TLS13;
    } else if (strcmp(case_name, "handshake_ecdsa_mtls_tls13") == 0) {
        s.server = server_config("default_tls13", ECDSA);
        CHECK(s2n_config_set_client_auth_type(s.server, S2N_CERT_AUTH_REQUIRED));
        /* s2n-tls's default host check also applies to client certificates
         * (their SANs against the connection's server name): accept any
         * client identity, as s2n's mTLS servers do. */
        CHECK(s2n_config_set_verify_host_callback(s.server, accept_any_host, NULL));
        char *ca = read_pem("ca-ecdsa.pem");
        CHECK(s2n_config_add_pem_to_trust_store(s.server, ca));
        free(ca);
        s.client = client_config("default_tls13", "ca-ecdsa.pem");
        CHECK(s2n_config_add_cert_chain_and_key_to_store(s.client, load_chain(CLIENT_ECDSA)));
        CHECK(s2n_config_set_client_auth_type(s.client, S2N_CERT_AUTH_REQUIRED));
        s.expect_version = S2N_TLS13;
    } else if (strcmp(case_name, "handshake_ecdsa_tls12") == 0) {
        s.server = server_config("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", ECDSA);
        s.client = client_config("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "ca-ecdsa.pem");
        s.expect_version = S2N_TLS12;
        s.expect_cipher = "ECDHE-ECDSA-AES128-GCM-SHA256";
    } else {
        return -1;
    }
    run_handshakes(&s);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* resumption                                                                 */

static int is_unimplemented(void)
{
    return strcmp(err_name(), "S2N_ERR_UNIMPLEMENTED") == 0;
}

static void unsupported(const char *call)
{
    printf("case=%s status=unsupported call=%s error=%s\n", case_name, squeeze(call), err_name());
    exit(0);
}

#define CHECK_SUPPORTED(call)           \
    do {                                \
        if ((call) < 0) {               \
            if (is_unimplemented()) {   \
                unsupported(#call);     \
            }                           \
            fail(#call);                \
        }                               \
    } while (0)

static uint8_t session[8192];
static int session_len;

/* One handshake; presents `session` when set, and keeps the newest ticket.
 * Returns whether the handshake was resumed. */
static int resumption_handshake(struct s2n_config *server_cfg, struct s2n_config *client_cfg)
{
    struct pair p;
    if (pair_new(&p, server_cfg, client_cfg) < 0) {
        fail(fail_call);
    }
    pair_set_fds(&p);
    if (session_len > 0) {
        CHECK_SUPPORTED(s2n_connection_set_session(p.client, session, session_len));
    }
    handshake(&p);
    int resumed = s2n_connection_is_session_resumed(p.client);
    if (resumed < 0 && is_unimplemented()) {
        unsupported("s2n_connection_is_session_resumed");
    }
    /* TLS1.3 tickets arrive after the handshake: read them. */
    drain(p.client, "client");
    int len = s2n_connection_get_session_length(p.client);
    if (len < 0 && is_unimplemented()) {
        unsupported("s2n_connection_get_session_length");
    }
    if (len > 0 && len <= (int) sizeof(session)) {
        int got = s2n_connection_get_session(p.client, session, sizeof(session));
        if (got < 0) {
            if (is_unimplemented()) {
                unsupported("s2n_connection_get_session");
            }
            fail("s2n_connection_get_session");
        }
        session_len = got;
    }
    pair_free(&p);
    return resumed == 1;
}

static int case_resumption(void)
{
    struct s2n_config *server = server_config("default_tls13", ECDSA);
    struct s2n_config *client = client_config("default_tls13", "ca-ecdsa.pem");
    CHECK_SUPPORTED(s2n_config_set_session_tickets_onoff(server, 1));
    CHECK_SUPPORTED(s2n_config_set_session_tickets_onoff(client, 1));
    uint8_t name[] = "bench-key-1";
    uint8_t key[32];
    for (size_t i = 0; i < sizeof(key); i++) {
        key[i] = (uint8_t) (i * 7 + 1);
    }
    CHECK_SUPPORTED(s2n_config_add_ticket_crypto_key(server, name, sizeof(name) - 1, key, sizeof(key), 0));

    resumption_handshake(server, client);
    if (session_len <= 0) {
        printf("case=%s status=unsupported call=s2n_connection_get_session_length error=no_session_after_full_handshake\n",
                case_name);
        return 0;
    }
    if (!resumption_handshake(server, client)) {
        printf("case=%s status=unsupported call=s2n_connection_is_session_resumed error=not_resumed\n", case_name);
        return 0;
    }
    double end = now() + opt_warmup;
    while (now() < end) {
        resumption_handshake(server, client);
    }
    long n = 0, resumed = 0;
    double cpu_start = cpu_now();
    double start = now(), t;
    end = start + opt_seconds;
    do {
        resumed += resumption_handshake(server, client);
        n++;
    } while ((t = now()) < end);
    double elapsed = t - start;
    double cpu = cpu_now() - cpu_start;
    printf("case=%s unit=hs/s value=%.1f cpu_value=%.1f n=%ld resumed=%ld seconds=%.3f cpu_seconds=%.3f us_per_hs=%.1f version=TLS1.3\n",
            case_name, n / elapsed, n / cpu, n, resumed, elapsed, cpu, elapsed * 1e6 / n);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* bulk throughput                                                            */

static void bulk_transfer(struct pair *p, long total, uint8_t *sendbuf, uint8_t *recvbuf, size_t chunk)
{
    long sent = 0, received = 0;
    size_t offset = 0; /* within the current chunk */
    while (received < total) {
        s2n_blocked_status blocked;
        /* client writes until it would block */
        while (sent < total) {
            size_t want = chunk - offset;
            if ((long) want > total - sent) {
                want = (size_t) (total - sent);
            }
            ssize_t w = s2n_send(p->client, sendbuf + offset, want, &blocked);
            if (w < 0) {
                if (s2n_error_get_type(s2n_errno) == S2N_ERR_T_BLOCKED) {
                    break;
                }
                fail("s2n_send(client)");
            }
            sent += w;
            offset += (size_t) w;
            if (offset >= chunk) {
                offset = 0;
            }
        }
        /* server reads until it would block */
        for (;;) {
            ssize_t r = s2n_recv(p->server, recvbuf, chunk, &blocked);
            if (r > 0) {
                received += r;
                continue;
            }
            if (r == 0) {
                printf("case=%s status=error call=s2n_recv(server) error=eof\n", case_name);
                exit(2);
            }
            if (s2n_error_get_type(s2n_errno) == S2N_ERR_T_BLOCKED) {
                break;
            }
            fail("s2n_recv(server)");
        }
    }
}

static int case_bulk(void)
{
    struct s2n_config *server = NULL, *client = NULL;
    const char *want = NULL;
    const char *label = NULL;
    if (strcmp(case_name, "bulk_aes128gcm") == 0) {
        server = server_config("default_tls13", ECDSA);
        client = client_config("default_tls13", "ca-ecdsa.pem");
        want = "TLS_AES_128_GCM_SHA256";
    } else if (strcmp(case_name, "bulk_aes256gcm") == 0) {
        /* 20190801 lists TLS_AES_256_GCM_SHA384 first; s2n servers choose
         * TLS1.3 suites in their own order. */
        server = server_config("20190801", ECDSA);
        client = client_config("default_tls13", "ca-ecdsa.pem");
        want = "TLS_AES_256_GCM_SHA384";
    } else if (strcmp(case_name, "bulk_chacha20") == 0) {
        server = server_config("CloudFront-TLS-1-2-2021-Chacha20-Boosted", ECDSA);
        client = client_config("default_tls13", "ca-ecdsa.pem");
        want = "TLS_CHACHA20_POLY1305_SHA256";
    } else {
        return -1;
    }

    struct pair p;
    if (pair_new(&p, server, client) < 0) {
        fail(fail_call);
    }
    pair_set_fds(&p);
    handshake(&p);
    if (strcmp(cipher_of(p.client), want) != 0 && strcmp(case_name, "bulk_chacha20") == 0) {
        /* ChaCha20 in TLS1.3 cannot be forced through named policies:
         * fall back to TLS1.2 ECDHE-RSA-CHACHA20-POLY1305. */
        pair_free(&p);
        server = server_config("20190122", RSA);
        client = client_config("20190122", "ca-rsa.pem");
        want = "ECDHE-RSA-CHACHA20-POLY1305";
        label = "tls13_chacha20_not_selectable_using_tls12";
        if (pair_new(&p, server, client) < 0) {
            fail(fail_call);
        }
        pair_set_fds(&p);
        handshake(&p);
    }
    const char *got = cipher_of(p.client);
    const char *got_server = cipher_of(p.server);
    if (strcmp(got, want) != 0 || strcmp(got_server, want) != 0) {
        printf("case=%s status=unavailable wanted=%s negotiated=%s\n", case_name, want, got);
        return 0;
    }
    int version = s2n_connection_get_actual_protocol_version(p.client);
    if (opt_throughput) {
        CHECK(s2n_connection_prefer_throughput(p.client));
        CHECK(s2n_connection_prefer_throughput(p.server));
    }
    /* drain post-handshake messages (tickets) on the client */
    drain(p.client, "client");

    size_t chunk = 16384;
    uint8_t *sendbuf = malloc(chunk), *recvbuf = malloc(chunk);
    for (size_t i = 0; i < chunk; i++) {
        sendbuf[i] = (uint8_t) (i * 31 + 7);
    }
    long total = opt_mib * 1024L * 1024L;
    /* warm-up: 1/8 of the volume, at least 1 MiB */
    long warm = total / 8 < 1048576 ? 1048576 : total / 8;
    bulk_transfer(&p, warm, sendbuf, recvbuf, chunk);
    uint64_t wire_before = s2n_connection_get_wire_bytes_out(p.client);
    double cpu_start = cpu_now();
    double start = now();
    bulk_transfer(&p, total, sendbuf, recvbuf, chunk);
    double elapsed = now() - start;
    double cpu = cpu_now() - cpu_start;
    uint64_t wire = s2n_connection_get_wire_bytes_out(p.client) - wire_before;
    printf("case=%s%s unit=MB/s value=%.1f cpu_value=%.1f bytes=%ld seconds=%.3f cpu_seconds=%.3f wire_overhead=%.4f version=%s cipher=%s%s%s\n",
            case_name, opt_throughput ? "_throughput" : "", total / elapsed / 1e6, total / cpu / 1e6, total, elapsed, cpu,
            (double) wire / (double) total, version_name(version), got, label ? " note=" : "",
            label ? label : "");
    pair_free(&p);
    free(sendbuf);
    free(recvbuf);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* memory per connection                                                      */

static int case_memory(void)
{
    struct s2n_config *server = server_config("default_tls13", ECDSA);
    struct s2n_config *client = client_config("default_tls13", "ca-ecdsa.pem");

    /* warm pair: whatever the configs build lazily is built here */
    struct pair p;
    if (pair_new(&p, server, client) < 0) {
        fail(fail_call);
    }
    pair_set_fds(&p);
    handshake(&p);
    drain(p.client, "client");
    pair_free(&p);

    long long base = live_bytes;
    if (pair_new(&p, server, client) < 0) {
        fail(fail_call);
    }
    pair_set_fds(&p);
    long long after_new = live_bytes - base;

    peak_bytes = live_bytes;
    handshake(&p);
    long long peak = peak_bytes - base;
    long long after_hs = live_bytes - base;

    CHECK(s2n_connection_free_handshake(p.server));
    CHECK(s2n_connection_free_handshake(p.client));
    long long after_free_hs = live_bytes - base;

    CHECK(s2n_connection_release_buffers(p.server));
    CHECK(s2n_connection_release_buffers(p.client));
    long long after_release = live_bytes - base;

    CHECK(s2n_connection_wipe(p.server));
    CHECK(s2n_connection_wipe(p.client));
    long long after_wipe = live_bytes - base;

    pair_free(&p);
    long long after_free = live_bytes - base;

    struct {
        const char *stage;
        long long bytes;
    } rows[] = {
        { "new", after_new },
        { "handshake_peak", peak },
        { "handshake_done", after_hs },
        { "free_handshake", after_free_hs },
        { "release_buffers", after_release },
        { "wipe", after_wipe },
        { "after_free", after_free },
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        printf("case=memory_%s unit=bytes/conn value=%.1f pair_bytes=%lld counted=s2n_mem_callbacks libcrypto=not_counted\n",
                rows[i].stage, rows[i].bytes / 2.0, rows[i].bytes);
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* RSS per idle connection pair                                               */

static long vm_rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) {
        return -1;
    }
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kib;
}

static int case_rss(void)
{
    long requested = opt_pairs;
    long n = requested;
    char note[1024] = "";

    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        if (rl.rlim_cur < rl.rlim_max) {
            rl.rlim_cur = rl.rlim_max;
            setrlimit(RLIMIT_NOFILE, &rl);
            getrlimit(RLIMIT_NOFILE, &rl);
        }
        long max_pairs = ((long) rl.rlim_cur - 32) / 2;
        if (rl.rlim_cur != RLIM_INFINITY && n > max_pairs) {
            n = max_pairs;
            snprintf(note, sizeof(note), " note=fd_limit_%ld_reduced_pairs", (long) rl.rlim_cur);
        }
    }
    /* mlocked allocations (real s2n-tls without S2N_DONT_MLOCK) count
     * against RLIMIT_MEMLOCK: raise it as far as allowed */
    struct rlimit ml;
    if (getrlimit(RLIMIT_MEMLOCK, &ml) == 0 && ml.rlim_cur < ml.rlim_max) {
        ml.rlim_cur = ml.rlim_max;
        setrlimit(RLIMIT_MEMLOCK, &ml);
    }

    struct s2n_config *server = server_config("default_tls13", ECDSA);
    struct s2n_config *client = client_config("default_tls13", "ca-ecdsa.pem");
    struct pair *pairs = calloc((size_t) n, sizeof(struct pair));

    /* warm pair */
    struct pair w;
    if (pair_new(&w, server, client) < 0) {
        fail(fail_call);
    }
    pair_set_fds(&w);
    handshake(&w);
    drain(w.client, "client");
    pair_free(&w);

    long before = vm_rss_kib();
    long made = 0;
    const char *stop_error = NULL;
    /* Stops early (and says so) when the library fails, e.g. real s2n-tls's
     * mlocked allocations exceeding RLIMIT_MEMLOCK (S2N_ERR_MLOCK). */
    for (long i = 0; i < n; i++) {
        struct pair *p = &pairs[i];
        if (pair_new(p, server, client) < 0) {
            stop_error = err_name();
            break;
        }
        int ok = pair_set_fds_try(p) == 0 && handshake_try(p) == 0;
        if (ok) {
            drain(p->client, "client");
            fail_call = "s2n_connection_free_handshake";
            ok = s2n_connection_free_handshake(p->server) == 0 && s2n_connection_free_handshake(p->client) == 0;
        }
        if (ok) {
            fail_call = "s2n_connection_release_buffers";
            ok = s2n_connection_release_buffers(p->server) == 0 && s2n_connection_release_buffers(p->client) == 0;
        }
        if (!ok) {
            stop_error = err_name();
            fprintf(stderr, "bench rss: pair %ld: %s failed: %s\n", i, fail_call, stop_error);
            pair_free(p);
            break;
        }
        made++;
    }
    long after = vm_rss_kib();
    if (made == 0) {
        printf("case=rss status=error call=%s error=%s\n", squeeze(fail_call), stop_error ? stop_error : "unknown");
        return 0;
    }
    if (stop_error) {
        snprintf(note + strlen(note), sizeof(note) - strlen(note), " stopped_at=%ld stop_call=%s stop_error=%s",
                made, squeeze(fail_call), stop_error);
    }
    printf("case=rss unit=bytes/pair value=%.1f pairs=%ld requested=%ld rss_before_kib=%ld rss_after_kib=%ld%s\n",
            (after - before) * 1024.0 / made, made, requested, before, after, note);
    for (long i = 0; i < made; i++) {
        pair_free(&pairs[i]);
    }
    free(pairs);
    return 0;
}

/* ------------------------------------------------------------------------ */

static void usage(void)
{
    fprintf(stderr,
            "usage: bench <case> [--certs DIR] [--seconds S] [--warmup S] [--mib M] [--pairs N] [--throughput]\n"
            "cases: handshake_ecdsa_tls13 handshake_rsa_tls13 handshake_ecdsa_mtls_tls13\n"
            "       handshake_ecdsa_tls12 resumption_tls13 bulk_aes128gcm bulk_aes256gcm\n"
            "       bulk_chacha20 memory rss\n");
    exit(64);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage();
    }
    case_name = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--throughput") == 0) {
            opt_throughput = 1;
        } else if (v == NULL) {
            usage();
        } else if (strcmp(a, "--certs") == 0) {
            opt_certs = v, i++;
        } else if (strcmp(a, "--seconds") == 0) {
            opt_seconds = atof(v), i++;
        } else if (strcmp(a, "--warmup") == 0) {
            opt_warmup = atof(v), i++;
        } else if (strcmp(a, "--mib") == 0) {
            opt_mib = atol(v), i++;
        } else if (strcmp(a, "--pairs") == 0) {
            opt_pairs = atol(v), i++;
        } else {
            usage();
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (strcmp(case_name, "memory") == 0) {
        CHECK(s2n_mem_set_callbacks(mem_init, mem_cleanup, mem_malloc, mem_free));
    }
    CHECK(s2n_init());

    int rc;
    if (strncmp(case_name, "handshake_", 10) == 0) {
        rc = case_handshake();
    } else if (strcmp(case_name, "resumption_tls13") == 0) {
        rc = case_resumption();
    } else if (strncmp(case_name, "bulk_", 5) == 0) {
        rc = case_bulk();
    } else if (strcmp(case_name, "memory") == 0) {
        rc = case_memory();
    } else if (strcmp(case_name, "rss") == 0) {
        rc = case_rss();
    } else {
        rc = -1;
    }
    if (rc < 0) {
        usage();
    }
    /* configs and chains are left to process exit */
    return 0;
}
