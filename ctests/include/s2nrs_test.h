/*
 * Tiny assertion helpers shared by the hand-written ctests.
 *
 * Every EXPECT_* macro records a failure (thread-safe counter), prints
 * file:line, what was expected and, for s2n calls, the s2n error name and
 * debug string, and carries on. main() ends with `return S2NRS_TEST_RESULT();`.
 *
 * Only the public s2n API is used, so the tests build against s2n-tls too.
 */
#pragma once

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <s2n.h>

/* Exit code that ctest treats as "skipped" (SKIP_RETURN_CODE). */
#define S2NRS_SKIP 77

static int s2nrs_failures;

static inline void s2nrs_record_failure(void)
{
    __atomic_fetch_add(&s2nrs_failures, 1, __ATOMIC_SEQ_CST);
}

static inline int s2nrs_failure_count(void)
{
    return __atomic_load_n(&s2nrs_failures, __ATOMIC_SEQ_CST);
}

static inline const char *s2nrs_safe_str(const char *s)
{
    return s ? s : "(null)";
}

/* Prints the s2n error state of this thread (the value in err). */
static inline void s2nrs_print_s2n_error(int err)
{
    printf("    s2n_errno=%d (0x%08X) name=%s type=%d\n", err, (unsigned) err,
            s2nrs_safe_str(s2n_strerror_name(err)), s2n_error_get_type(err));
    printf("    message=%s\n", s2nrs_safe_str(s2n_strerror(err, "EN")));
    printf("    debug=%s\n", s2nrs_safe_str(s2n_strerror_debug(err, "EN")));
}

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

/* Print a summary and give main()'s exit status. */
#define S2NRS_TEST_RESULT() s2nrs_test_result(__FILE__)

static inline int s2nrs_test_result(const char *file)
{
    int n = s2nrs_failure_count();
    if (n == 0) {
        printf("%s: all checks passed\n", file);
        return 0;
    }
    printf("%s: %d check(s) failed\n", file, n);
    return 1;
}

/* The path of an executable on PATH, or NULL (static storage, per call). */
static inline const char *s2nrs_find_tool(const char *name)
{
    static char found[8][1024];
    static unsigned next;
    const char *path = getenv("PATH");
    if (path == NULL || *path == '\0') {
        path = "/usr/local/bin:/usr/bin:/bin";
    }
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t dirlen = colon ? (size_t) (colon - path) : strlen(path);
        char *out = found[next % 8];
        if (dirlen == 0) {
            snprintf(out, sizeof(found[0]), "./%s", name);
        } else {
            snprintf(out, sizeof(found[0]), "%.*s/%s", (int) dirlen, path, name);
        }
        struct stat st;
        if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0) {
            next++;
            return out;
        }
        if (!colon) {
            break;
        }
        path = colon + 1;
    }
    return NULL;
}
