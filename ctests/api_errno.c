/*
 * s2n_errno: a failing call sets it (seen the same through the variable and
 * through *s2n_errno_location()), a successful call leaves it alone, and it
 * is thread-local: two threads that fail differently each see their own
 * error (and their own debug/source string), a third that never fails
 * still sees 0.
 */
#include <pthread.h>

#include <s2n/unstable/cleanup.h>

#include "errors_table.h"
#include "harness/common.h"

#define SENTINEL S2NRS_E_IO /* any code: a value no call below sets */

static pthread_barrier_t barrier;

struct thread_result {
    int *location;
    int err_after_own_failure;
    int err_at_end;
    char source_after_own_failure[512];
};

static struct thread_result res_a, res_b, res_c;

static void wait_barrier(void)
{
    int rc = pthread_barrier_wait(&barrier);
    if (rc != 0 && rc != PTHREAD_BARRIER_SERIAL_THREAD) {
        S2NRS_FAIL_AT("pthread_barrier_wait: %d", rc);
    }
}

static void copy_source(char *dst, size_t n, int err)
{
    const char *src = s2n_strerror_source(err);
    snprintf(dst, n, "%s", src ? src : "(null)");
}

/* Thread A fails with S2N_ERR_INITIALIZED (s2n_init() was called by main). */
static void *thread_a(void *arg)
{
    (void) arg;
    res_a.location = s2n_errno_location();
    EXPECT(res_a.location == &s2n_errno);
    EXPECT_EQ_INT(s2n_errno, 0); /* fresh thread */

    wait_barrier(); /* 1: A fails */
    EXPECT_FAILURE_WITH_ERRNO(s2n_init(), S2NRS_E_INITIALIZED);
    res_a.err_after_own_failure = s2n_errno;
    EXPECT_EQ_INT(*s2n_errno_location(), s2n_errno);
    copy_source(res_a.source_after_own_failure, sizeof(res_a.source_after_own_failure), s2n_errno);

    wait_barrier(); /* 2: B fails */
    wait_barrier(); /* 3: everyone checks */
    EXPECT_EQ_INT(s2n_errno, S2NRS_E_INITIALIZED);
    char now[512];
    copy_source(now, sizeof(now), s2n_errno);
    EXPECT_STREQ(now, res_a.source_after_own_failure);
    res_a.err_at_end = s2n_errno;
    return NULL;
}

/* Thread B fails with whatever a NULL config gives (not S2N_ERR_INITIALIZED). */
static void *thread_b(void *arg)
{
    (void) arg;
    res_b.location = s2n_errno_location();
    EXPECT(res_b.location == &s2n_errno);
    EXPECT_EQ_INT(s2n_errno, 0);

    wait_barrier(); /* 1: A fails */
    EXPECT_EQ_INT(s2n_errno, 0); /* A's failure is not ours */

    wait_barrier(); /* 2: B fails */
    EXPECT_FAILURE(s2n_config_set_cipher_preferences(NULL, "default"));
    res_b.err_after_own_failure = s2n_errno;
    EXPECT(s2n_error_get_type(s2n_errno) != S2N_ERR_T_OK);
    EXPECT_EQ_INT(*s2n_errno_location(), s2n_errno);
    copy_source(res_b.source_after_own_failure, sizeof(res_b.source_after_own_failure), s2n_errno);

    wait_barrier(); /* 3: everyone checks */
    EXPECT_EQ_INT(s2n_errno, res_b.err_after_own_failure);
    char now[512];
    copy_source(now, sizeof(now), s2n_errno);
    EXPECT_STREQ(now, res_b.source_after_own_failure);
    res_b.err_at_end = s2n_errno;
    return NULL;
}

/* Thread C never fails. */
static void *thread_c(void *arg)
{
    (void) arg;
    res_c.location = s2n_errno_location();
    EXPECT_EQ_INT(s2n_errno, 0);
    wait_barrier(); /* 1 */
    wait_barrier(); /* 2 */
    wait_barrier(); /* 3 */
    EXPECT_EQ_INT(s2n_errno, 0);
    EXPECT_EQ_INT(*s2n_errno_location(), 0);
    res_c.err_at_end = s2n_errno;
    return NULL;
}

static void check_single_thread(void)
{
    /* The variable and the accessor are the same object. */
    EXPECT(s2n_errno_location() != NULL);
    EXPECT(s2n_errno_location() == &s2n_errno);
    EXPECT_EQ_INT(s2n_errno, 0); /* nothing failed yet on this thread */

    /* A failure sets it. */
    s2n_errno = 0;
    EXPECT_EQ_INT(s2n_init(), S2N_FAILURE);
    EXPECT_EQ_INT(s2n_errno, S2NRS_E_INITIALIZED);
    EXPECT_EQ_INT(*s2n_errno_location(), S2NRS_E_INITIALIZED);
    EXPECT_EQ_INT(s2n_error_get_type(s2n_errno), S2N_ERR_T_INTERNAL);

    /* Successful calls leave it alone: the last error stays. */
    EXPECT_SUCCESS(s2n_cleanup_thread());
    EXPECT_EQ_INT(s2n_errno, S2NRS_E_INITIALIZED);
    s2n_fips_mode mode = S2N_FIPS_MODE_ENABLED;
    EXPECT_SUCCESS(s2n_get_fips_mode(&mode));
    EXPECT_EQ_INT(s2n_errno, S2NRS_E_INITIALIZED);

    /* ... and so does a successful call after a reset. */
    s2n_errno = SENTINEL;
    EXPECT_SUCCESS(s2n_get_fips_mode(&mode));
    EXPECT_SUCCESS(s2n_cleanup());
    EXPECT_EQ_INT(s2n_errno, SENTINEL);

    /* Writes through either spelling are seen through the other. */
    *s2n_errno_location() = S2NRS_E_CLOSED;
    EXPECT_EQ_INT(s2n_errno, S2NRS_E_CLOSED);
    s2n_errno = 0;
    EXPECT_EQ_INT(*s2n_errno_location(), 0);

    /* A second, different failure overwrites the first. */
    s2n_errno = 0;
    EXPECT_EQ_INT(s2n_init(), S2N_FAILURE);
    EXPECT_EQ_INT(s2n_errno, S2NRS_E_INITIALIZED);
    EXPECT_FAILURE(s2n_config_set_cipher_preferences(NULL, "default"));
    EXPECT(s2n_errno != S2NRS_E_INITIALIZED);
}

static void check_threads(void)
{
    s2n_errno = SENTINEL;
    int *main_location = s2n_errno_location();

    EXPECT_EQ_INT(pthread_barrier_init(&barrier, NULL, 3), 0);
    pthread_t a, b, c;
    EXPECT_EQ_INT(pthread_create(&a, NULL, thread_a, NULL), 0);
    EXPECT_EQ_INT(pthread_create(&b, NULL, thread_b, NULL), 0);
    EXPECT_EQ_INT(pthread_create(&c, NULL, thread_c, NULL), 0);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    pthread_join(c, NULL);
    pthread_barrier_destroy(&barrier);

    /* Each thread had its own s2n_errno object. */
    EXPECT(res_a.location != main_location);
    EXPECT(res_b.location != main_location);
    EXPECT(res_c.location != main_location);
    EXPECT(res_a.location != res_b.location);
    EXPECT(res_b.location != res_c.location);
    EXPECT(res_a.location != res_c.location);

    EXPECT_EQ_INT(res_a.err_at_end, S2NRS_E_INITIALIZED);
    EXPECT(res_b.err_at_end != 0);
    EXPECT(res_b.err_at_end != S2NRS_E_INITIALIZED);
    EXPECT_EQ_INT(res_c.err_at_end, 0);
    /* The main thread's value survived the other threads' failures. */
    EXPECT_EQ_INT(s2n_errno, SENTINEL);
    EXPECT(s2n_errno_location() == main_location);

    printf("thread A: %s, thread B: %s (%s), thread C: %s\n",
            s2nrs_safe_str(s2n_strerror_name(res_a.err_at_end)),
            s2nrs_safe_str(s2n_strerror_name(res_b.err_at_end)), res_b.source_after_own_failure,
            s2nrs_safe_str(s2n_strerror_name(res_c.err_at_end)));
    s2n_errno = 0;
}

int main(void)
{
    EXPECT_EQ_INT(s2n_errno, 0);
    EXPECT_SUCCESS(s2n_init());
    EXPECT_EQ_INT(s2n_errno, 0); /* success leaves it alone */

    check_single_thread();
    check_threads();

    EXPECT_SUCCESS(s2n_cleanup_final());
    return S2NRS_TEST_RESULT();
}
