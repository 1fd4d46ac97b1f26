/*
 * The C tests' harness, common part (harness/common.c): assertions, the
 * test's result, s2n error names, skipped parts, setup, files and
 * certificates, configs, the known differences of s2nrs, and small utilities.
 *
 * Only the public s2n API is used, so the harness and the tests also build
 * against s2n-tls itself.
 *
 * Naming: every helper of the harness is s2nrs_* (S2NRS_* for macros), the
 * assertions are EXPECT_*. A helper that cannot do its job records a failure
 * (S2NRS_FAIL_AT) and carries on; *_or_exit helpers exit(1) instead, and
 * s2nrs_try_* helpers fail silently (NULL), for what may be absent.
 *
 * Every EXPECT_* records a failure (a thread-safe counter), prints file:line,
 * what was expected and, for s2n calls, the s2n error name and debug string,
 * and carries on. main() ends with `return S2NRS_TEST_RESULT();`.
 */
#pragma once

/* Also what most tests use, so that a test includes only its harness header. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <s2n.h>

#include "errors_table.h"

#ifndef S2NRS_CERTS_DIR
    #error "S2NRS_CERTS_DIR must be defined (the tests/certs directory)"
#endif

/* Exit code that ctest treats as "skipped" (SKIP_RETURN_CODE). */
#define S2NRS_SKIP 77

/* ------------------------------------------------------------------------- */
/* Failures and assertions */

void s2nrs_record_failure(void);
int s2nrs_failure_count(void);
/* Back to no failure (a forked child reports only its own). */
void s2nrs_reset_failures(void);

const char *s2nrs_safe_str(const char *s);

/* Prints the s2n error state of this thread (the value in err). */
void s2nrs_print_s2n_error(int err);

#define S2NRS_FAIL_AT(...)                                 \
    do {                                                   \
        printf("%s:%d: FAIL: ", __FILE__, __LINE__);       \
        printf(__VA_ARGS__);                               \
        printf("\n");                                      \
        fflush(stdout);                                    \
        s2nrs_record_failure();                            \
    } while (0)

#define EXPECT(cond)                                   \
    do {                                               \
        if (!(cond)) {                                 \
            S2NRS_FAIL_AT("expected %s", #cond);       \
        }                                              \
    } while (0)

#define EXPECT_EQ_INT(actual, expected)                                                  \
    do {                                                                                 \
        long long s2nrs_a_ = (long long) (actual);                                       \
        long long s2nrs_e_ = (long long) (expected);                                     \
        if (s2nrs_a_ != s2nrs_e_) {                                                      \
            S2NRS_FAIL_AT("%s == %lld, expected %s == %lld", #actual, s2nrs_a_, #expected, \
                    s2nrs_e_);                                                           \
        }                                                                                \
    } while (0)

#define EXPECT_STREQ(actual, expected)                                                        \
    do {                                                                                      \
        const char *s2nrs_a_ = (actual);                                                      \
        const char *s2nrs_e_ = (expected);                                                    \
        if (s2nrs_a_ == NULL || s2nrs_e_ == NULL || strcmp(s2nrs_a_, s2nrs_e_) != 0) {        \
            S2NRS_FAIL_AT("%s is \"%s\", expected \"%s\"", #actual, s2nrs_safe_str(s2nrs_a_), \
                    s2nrs_safe_str(s2nrs_e_));                                                \
        }                                                                                     \
    } while (0)

/* An s2n call that must return S2N_SUCCESS (0). */
#define EXPECT_SUCCESS(call)                                                      \
    do {                                                                          \
        int s2nrs_rc_ = (int) (call);                                             \
        int s2nrs_err_ = s2n_errno;                                               \
        if (s2nrs_rc_ != S2N_SUCCESS) {                                           \
            S2NRS_FAIL_AT("%s returned %d, expected S2N_SUCCESS", #call, s2nrs_rc_); \
            s2nrs_print_s2n_error(s2nrs_err_);                                    \
        }                                                                         \
    } while (0)

/* An s2n call that must return S2N_FAILURE and set s2n_errno to code
 * (an S2NRS_E_* value of errors_table.h). */
#define EXPECT_FAILURE_WITH_ERRNO(call, code)                                                  \
    do {                                                                                       \
        s2n_errno = 0;                                                                         \
        int s2nrs_rc_ = (int) (call);                                                          \
        int s2nrs_err_ = s2n_errno;                                                            \
        if (s2nrs_rc_ != S2N_FAILURE) {                                                        \
            S2NRS_FAIL_AT("%s returned %d, expected S2N_FAILURE with %s", #call, s2nrs_rc_, #code); \
            s2nrs_print_s2n_error(s2nrs_err_);                                                 \
        } else if (s2nrs_err_ != (code)) {                                                     \
            S2NRS_FAIL_AT("%s failed with s2n_errno %d (%s), expected %s (%d)", #call,         \
                    s2nrs_err_, s2nrs_safe_str(s2n_strerror_name(s2nrs_err_)), #code, (code)); \
            s2nrs_print_s2n_error(s2nrs_err_);                                                 \
        }                                                                                      \
    } while (0)

/* An s2n call that must return S2N_FAILURE and set a non-zero s2n_errno. */
#define EXPECT_FAILURE(call)                                                                   \
    do {                                                                                       \
        s2n_errno = 0;                                                                         \
        int s2nrs_rc_ = (int) (call);                                                          \
        int s2nrs_err_ = s2n_errno;                                                            \
        if (s2nrs_rc_ != S2N_FAILURE) {                                                        \
            S2NRS_FAIL_AT("%s returned %d, expected S2N_FAILURE", #call, s2nrs_rc_);           \
            s2nrs_print_s2n_error(s2nrs_err_);                                                 \
        } else if (s2nrs_err_ == 0) {                                                          \
            S2NRS_FAIL_AT("%s returned S2N_FAILURE but left s2n_errno at 0", #call);           \
        }                                                                                      \
    } while (0)

/* ------------------------------------------------------------------------- */
/* s2n errors */

/* s2n_strerror_name, or "(unknown error)". */
const char *s2nrs_err_name(int err);
/* "S2N_ERR_T_IO" etc. */
const char *s2nrs_err_type_name(int type);

/* A recorded s2n error value must be the given code (S2NRS_E_*). */
#define EXPECT_ERR(err, code)                                                                   \
    do {                                                                                        \
        int s2nrs_ee_ = (err);                                                                  \
        if (s2nrs_ee_ != (code)) {                                                              \
            S2NRS_FAIL_AT("%s is %d (%s), expected %s (%s)", #err, s2nrs_ee_,                   \
                    s2nrs_err_name(s2nrs_ee_), #code, s2nrs_err_name(code));                    \
            s2nrs_print_s2n_error(s2nrs_ee_);                                                   \
        }                                                                                       \
    } while (0)

/* A recorded s2n error value must be of the given type (S2N_ERR_T_*). */
#define EXPECT_ERR_TYPE(err, type)                                                              \
    do {                                                                                        \
        int s2nrs_ee_ = (err);                                                                  \
        if (s2n_error_get_type(s2nrs_ee_) != (type)) {                                          \
            S2NRS_FAIL_AT("%s is %d (%s, %s), expected type %s", #err, s2nrs_ee_,               \
                    s2nrs_err_name(s2nrs_ee_), s2nrs_err_type_name(s2n_error_get_type(s2nrs_ee_)), \
                    #type);                                                                     \
            s2nrs_print_s2n_error(s2nrs_ee_);                                                   \
        }                                                                                       \
    } while (0)

/* ------------------------------------------------------------------------- */
/* Skipped parts and the result
 *
 * A part of a test that needs a feature the library reports as
 * S2N_ERR_UNIMPLEMENTED calls s2nrs_skip_part(); S2NRS_TEST_RESULT() then
 * exits 77 (skipped) if nothing failed. */

void s2nrs_skip_part(const char *part, const char *why);

/* True (and the part is recorded as skipped) if err is S2N_ERR_UNIMPLEMENTED. */
bool s2nrs_unimplemented(int err, const char *part);

/* The result of an s2n call that turns on a feature a part of a test needs:
 * true on success; S2N_ERR_UNIMPLEMENTED skips the part (false, no failure);
 * any other failure is a test failure (false). */
bool s2nrs_feature_check(int rc, const char *expr, const char *part, const char *file, int line);

#define EXPECT_SUCCESS_OR_SKIP(call, part) s2nrs_feature_check((int) (call), #call, (part), __FILE__, __LINE__)

/* Prints a summary; main()'s exit status: 1 if a check failed, else 77 if a
 * part was skipped, else 0. */
#define S2NRS_TEST_RESULT() s2nrs_test_result(__FILE__)
int s2nrs_test_result(const char *file);

/* ------------------------------------------------------------------------- */
/* Setup */

/* s2n_init (exit 1 if it fails), SIGPIPE ignored (s2n does not handle it),
 * and an alarm() backstop (0: none) so that a hang ends the test instead of
 * waiting for ctest's timeout. */
void s2nrs_tls_setup(unsigned alarm_seconds);

/* s2n_cleanup_final, expected to succeed. */
void s2nrs_tls_teardown(void);

/* ------------------------------------------------------------------------- */
/* Time */

int64_t s2nrs_now_ms(void);
void s2nrs_sleep_ms(int ms);
/* Milliseconds until deadline (s2nrs_now_ms() time), 0 once past. */
int s2nrs_remaining_ms(int64_t deadline);

/* ------------------------------------------------------------------------- */
/* Files and certificates */

/* The whole file, NUL-terminated (free() it); its length in *len_out (may
 * be NULL). s2nrs_read_file records a failure when it cannot read the file,
 * s2nrs_try_read_file does not; both return NULL then. */
char *s2nrs_read_file(const char *path, size_t *len_out);
char *s2nrs_try_read_file(const char *path);

/* The absolute path of S2NRS_CERTS_DIR/<name>; interned (stable for the run). */
const char *s2nrs_cert_path(const char *name);

/* S2NRS_CERTS_DIR/<name> as a string (free() it). s2nrs_read_cert records a
 * failure and returns NULL when it cannot; s2nrs_read_cert_or_exit exits 1. */
char *s2nrs_read_cert(const char *name);
char *s2nrs_read_cert_or_exit(const char *name);

/* An s2n_cert_chain_and_key loaded from two files of S2NRS_CERTS_DIR (the
 * caller frees it). */
struct s2n_cert_chain_and_key *s2nrs_load_chain(const char *chain_file, const char *key_file);

/* The DER of certificate `index` of a chain (borrowed), or NULL. */
const uint8_t *s2nrs_chain_cert_der(struct s2n_cert_chain_and_key *chain, uint32_t index, uint32_t *len);

/* ------------------------------------------------------------------------- */
/* Configs (each with max blinding delay 0, so that failures never sleep) */

void s2nrs_set_policy(struct s2n_config *config, const char *policy);

/* s2n_config_new_minimal with the policy (NULL: the library default). */
struct s2n_config *s2nrs_minimal_config(const char *policy);

/* A server config: s2n_config_new_minimal, the chains (first = default),
 * the policy (NULL: the library default). */
struct s2n_config *s2nrs_server_config(const char *policy, struct s2n_cert_chain_and_key *const *chains,
        int chain_count);

/* A client config trusting the PEM file ca_file of S2NRS_CERTS_DIR (NULL:
 * x509 verification disabled), with the policy (NULL: default). */
struct s2n_config *s2nrs_client_config(const char *policy, const char *ca_file);

/* Adds the PEM file ca_file of S2NRS_CERTS_DIR to the trust store. */
void s2nrs_add_trust(struct s2n_config *config, const char *ca_file);

/* The ALPN list "h2", "http/1.1", and setting it as the protocol preferences. */
extern const char *const s2nrs_alpn_h2_http11[2];
void s2nrs_offer_alpn_h2_http11(struct s2n_config *config);

/* ------------------------------------------------------------------------- */
/* Where s2nrs differs from s2n-tls on purpose (the list with the reasons is
 * in common.c). Tests assert s2n-tls's behaviour; a test step covered by a
 * listed difference is reported as skipped when the library under test is
 * s2nrs (and still asserted against real s2n-tls). */

/* Whether the s2n library this program runs against is s2nrs: its file,
 * whatever name the program linked, is libs2nrs.so (see /proc/self/maps). */
bool s2nrs_library_is_s2nrs(void);

/* The reason for a listed difference (printed) when running against s2nrs,
 * else NULL. */
const char *s2nrs_known_difference(const char *id);

/* ------------------------------------------------------------------------- */
/* Misc */

/* "TLS1.2" etc. */
const char *s2nrs_version_name(int v);

bool s2nrs_starts_with(const char *s, const char *prefix);

/* Deterministic pseudo-random bytes (xorshift), for payloads. */
void s2nrs_fill_pattern(uint8_t *buf, size_t len, uint32_t seed);

/* The path of an executable on PATH, or NULL (static storage, per call). */
const char *s2nrs_find_tool(const char *name);
