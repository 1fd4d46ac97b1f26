/*
 * Initialization and teardown order (s2n-tls usage guide, "Initialization and
 * Teardown", and the s2n.h docs):
 *   - s2n_init() succeeds once; again: S2N_ERR_INITIALIZED;
 *   - s2n_cleanup_final() then allows s2n_init() again; without s2n_init() it
 *     fails with S2N_ERR_NOT_INITIALIZED;
 *   - s2n_crypto_disable_init() / s2n_disable_atexit() succeed before
 *     s2n_init() and fail with S2N_ERR_INITIALIZED after it;
 *   - s2n_cleanup_thread() / s2n_cleanup() succeed on any thread;
 *   - s2n_get_fips_mode() fills its out-parameter;
 *   - s2n_mem_set_callbacks() works before s2n_init() (the init callback runs
 *     in s2n_init, the cleanup callback in s2n_cleanup_final) and fails with
 *     S2N_ERR_INITIALIZED after it.
 * Each scenario runs in a forked child so that it starts from a clean,
 * uninitialized library.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <s2n/unstable/cleanup.h>

#include "errors_table.h"
#include "harness/common.h"

/* ---- scenarios (each runs in its own child process) ---- */

static void scenario_init_twice_then_reinit(void)
{
    EXPECT_SUCCESS(s2n_init());
    EXPECT_FAILURE_WITH_ERRNO(s2n_init(), S2NRS_E_INITIALIZED);
    EXPECT_FAILURE_WITH_ERRNO(s2n_init(), S2NRS_E_INITIALIZED);
    EXPECT_SUCCESS(s2n_cleanup_final());
    /* init again works after a full cleanup, and again only once */
    EXPECT_SUCCESS(s2n_init());
    EXPECT_FAILURE_WITH_ERRNO(s2n_init(), S2NRS_E_INITIALIZED);
    EXPECT_SUCCESS(s2n_cleanup_final());
    /* and a third round */
    EXPECT_SUCCESS(s2n_init());
    EXPECT_SUCCESS(s2n_cleanup_final());
}

static void scenario_cleanup_final_needs_init(void)
{
    EXPECT_FAILURE_WITH_ERRNO(s2n_cleanup_final(), S2NRS_E_NOT_INITIALIZED);
    EXPECT_SUCCESS(s2n_init());
    EXPECT_SUCCESS(s2n_cleanup_final());
    EXPECT_FAILURE_WITH_ERRNO(s2n_cleanup_final(), S2NRS_E_NOT_INITIALIZED);
}

static void *cleanup_on_thread(void *arg)
{
    (void) arg;
    EXPECT_SUCCESS(s2n_cleanup_thread());
    EXPECT_SUCCESS(s2n_cleanup()); /* deprecated no-op, still a success */
    EXPECT_SUCCESS(s2n_cleanup_thread()); /* twice is fine */
    return NULL;
}

static void scenario_cleanup_thread(void)
{
    EXPECT_SUCCESS(s2n_init());
    pthread_t t;
    EXPECT_EQ_INT(pthread_create(&t, NULL, cleanup_on_thread, NULL), 0);
    EXPECT_EQ_INT(pthread_join(t, NULL), 0);
    /* the library is still usable from the main thread */
    EXPECT_FAILURE_WITH_ERRNO(s2n_init(), S2NRS_E_INITIALIZED);
    EXPECT_SUCCESS(s2n_cleanup_thread());
    EXPECT_SUCCESS(s2n_cleanup_final());
}

static void scenario_disable_after_init(void)
{
    EXPECT_SUCCESS(s2n_init());
    /* s2n.h: "must be called BEFORE s2n_init() ... It will return an error if
     * s2n is already initialized." */
    EXPECT_FAILURE_WITH_ERRNO(s2n_crypto_disable_init(), S2NRS_E_INITIALIZED);
    EXPECT_FAILURE_WITH_ERRNO(s2n_disable_atexit(), S2NRS_E_INITIALIZED);
    EXPECT_SUCCESS(s2n_cleanup_final());
}

static void scenario_disable_before_init(void)
{
    EXPECT_SUCCESS(s2n_crypto_disable_init());
    EXPECT_SUCCESS(s2n_disable_atexit());
    EXPECT_SUCCESS(s2n_init());
    /* no atexit handler now: the caller must clean up */
    EXPECT_SUCCESS(s2n_cleanup_final());
}

static void scenario_fips_mode(void)
{
    /* Before s2n_init: S2N_ERR_NOT_INITIALIZED, out-param set to DISABLED. */
    s2n_fips_mode mode = (s2n_fips_mode) 42;
    EXPECT_FAILURE_WITH_ERRNO(s2n_get_fips_mode(&mode), S2NRS_E_NOT_INITIALIZED);
    EXPECT_EQ_INT(mode, S2N_FIPS_MODE_DISABLED);

    EXPECT_SUCCESS(s2n_init());
    mode = (s2n_fips_mode) 42;
    EXPECT_SUCCESS(s2n_get_fips_mode(&mode));
    EXPECT(mode == S2N_FIPS_MODE_DISABLED || mode == S2N_FIPS_MODE_ENABLED);
    printf("    fips mode: %s\n", mode == S2N_FIPS_MODE_ENABLED ? "enabled" : "disabled");
    EXPECT_FAILURE_WITH_ERRNO(s2n_get_fips_mode(NULL), S2NRS_E_NULL);
    EXPECT_SUCCESS(s2n_cleanup_final());
}

/* Counting memory callbacks. */
#define MAX_TRACKED 65536
static int mem_init_calls, mem_cleanup_calls;
static long mem_mallocs, mem_frees, mem_bad_frees;
static void *tracked[MAX_TRACKED];
static uint32_t tracked_size[MAX_TRACKED];
static pthread_mutex_t mem_lock = PTHREAD_MUTEX_INITIALIZER;

static int count_init(void)
{
    __atomic_fetch_add(&mem_init_calls, 1, __ATOMIC_SEQ_CST);
    return S2N_SUCCESS;
}

static int count_cleanup(void)
{
    __atomic_fetch_add(&mem_cleanup_calls, 1, __ATOMIC_SEQ_CST);
    return S2N_SUCCESS;
}

static int count_malloc(void **ptr, uint32_t requested, uint32_t *allocated)
{
    *ptr = malloc(requested ? requested : 1);
    if (*ptr == NULL) {
        return S2N_FAILURE;
    }
    *allocated = requested;
    pthread_mutex_lock(&mem_lock);
    mem_mallocs++;
    for (size_t i = 0; i < MAX_TRACKED; i++) {
        if (tracked[i] == NULL) {
            tracked[i] = *ptr;
            tracked_size[i] = requested;
            break;
        }
    }
    pthread_mutex_unlock(&mem_lock);
    return S2N_SUCCESS;
}

static int count_free(void *ptr, uint32_t size)
{
    if (ptr == NULL) {
        return S2N_SUCCESS;
    }
    pthread_mutex_lock(&mem_lock);
    mem_frees++;
    int found = 0;
    for (size_t i = 0; i < MAX_TRACKED; i++) {
        if (tracked[i] == ptr) {
            if (tracked_size[i] != size) {
                printf("    note: free(%p) with size %u, allocated %u\n", ptr, size, tracked_size[i]);
            }
            tracked[i] = NULL;
            found = 1;
            break;
        }
    }
    if (!found) {
        mem_bad_frees++;
    }
    pthread_mutex_unlock(&mem_lock);
    if (found) {
        free(ptr);
    }
    return S2N_SUCCESS;
}

static void scenario_mem_callbacks(void)
{
    /* NULL callbacks are refused. */
    EXPECT_FAILURE(s2n_mem_set_callbacks(NULL, NULL, NULL, NULL));
    EXPECT_FAILURE(s2n_mem_set_callbacks(count_init, count_cleanup, NULL, count_free));

    EXPECT_SUCCESS(s2n_mem_set_callbacks(count_init, count_cleanup, count_malloc, count_free));
    EXPECT_EQ_INT(mem_init_calls, 0);
    EXPECT_SUCCESS(s2n_init());
    /* s2n.h: the init callback is "Called when `s2n_init` is executed." */
    EXPECT_EQ_INT(mem_init_calls, 1);
    EXPECT_EQ_INT(mem_cleanup_calls, 0);

    EXPECT_FAILURE_WITH_ERRNO(s2n_mem_set_callbacks(count_init, count_cleanup, count_malloc, count_free),
            S2NRS_E_INITIALIZED);

    /* Exercise an allocation; s2n_config_new may not be implemented by every
     * build, so only free what it returns. */
    struct s2n_config *config = s2n_config_new();
    if (config != NULL) {
        EXPECT_SUCCESS(s2n_config_free(config));
    }

    EXPECT_SUCCESS(s2n_cleanup_final());
    EXPECT_EQ_INT(mem_init_calls, 1);
    EXPECT_EQ_INT(mem_cleanup_calls, 1);
    long first_cycle = mem_mallocs - mem_frees;

    /* A second cycle holds nothing more: whatever stays allocated after
     * cleanup_final is process-wide (s2n-tls keeps nothing; s2nrs keeps its
     * parsed security-policy table, see MATRIX.md), never per config. */
    EXPECT_SUCCESS(s2n_init());
    config = s2n_config_new();
    if (config != NULL) {
        EXPECT_SUCCESS(s2n_config_free(config));
    }
    EXPECT_SUCCESS(s2n_cleanup_final());
    EXPECT_EQ_INT(mem_init_calls, 2);
    EXPECT_EQ_INT(mem_cleanup_calls, 2);
    /* The library only frees what our malloc callback gave it. */
    EXPECT_EQ_INT(mem_bad_frees, 0);
    EXPECT_EQ_INT(mem_mallocs - mem_frees, first_cycle);
    printf("    mem callbacks: %ld mallocs, %ld frees, %ld still allocated after cleanup_final\n",
            mem_mallocs, mem_frees, mem_mallocs - mem_frees);
}

/* ---- runner ---- */

struct scenario {
    const char *name;
    void (*fn)(void);
};

static const struct scenario scenarios[] = {
    { "init_twice_then_reinit", scenario_init_twice_then_reinit },
    { "cleanup_final_needs_init", scenario_cleanup_final_needs_init },
    { "cleanup_thread", scenario_cleanup_thread },
    { "disable_after_init", scenario_disable_after_init },
    { "disable_before_init", scenario_disable_before_init },
    { "fips_mode", scenario_fips_mode },
    { "mem_callbacks", scenario_mem_callbacks },
};

static int run_in_child(const struct scenario *s)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        s->fn();
        int failed = s2nrs_failure_count();
        fflush(stdout);
        /* exit (not _exit): s2n's atexit handler, if any, runs too */
        exit(failed ? 1 : 0);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) {
        perror("waitpid");
        return 1;
    }
    if (WIFSIGNALED(status)) {
        printf("%s: child killed by signal %d\n", s->name, WTERMSIG(status));
        return 1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("%s: child exited with %d\n", s->name, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int failed = 0;
    size_t n = sizeof(scenarios) / sizeof(scenarios[0]);
    for (size_t i = 0; i < n; i++) {
        /* optional filter: api_init <scenario> */
        if (argc > 1 && strcmp(argv[1], scenarios[i].name) != 0) {
            continue;
        }
        printf("scenario %s\n", scenarios[i].name);
        int rc = run_in_child(&scenarios[i]);
        printf("scenario %s: %s\n", scenarios[i].name, rc == 0 ? "ok" : "FAILED");
        failed += rc;
    }
    if (failed) {
        printf("%d scenario(s) failed\n", failed);
        return 1;
    }
    printf("all scenarios passed\n");
    return 0;
}
