/*
 * Library-wide functions of s2n.h that need no connection:
 *   - s2n_get_openssl_version: the libcrypto version s2n was built with
 *     (OpenSSL 1.1.1's number for AWS-LC, as s2n-tls on AWS-LC reports);
 *   - stack traces: off by default, s2n_stack_traces_enabled_set turns
 *     them on and off; with them off, s2n_calculate_stacktrace succeeds
 *     and s2n_print_stacktrace / s2n_free_stacktrace have nothing to do;
 *   - s2n_rand_set_callbacks: deprecated, accepted and ignored (randomness
 *     comes from libcrypto), so a handshake's randomness is unaffected.
 * Every expectation is s2n-tls's behaviour; the program also runs against it.
 */
#include <stdio.h>

#include "errors_table.h"
#include "harness/common.h"

static int rand_calls;

static int rand_init(void)
{
    rand_calls++;
    return S2N_SUCCESS;
}

static int rand_cleanup(void)
{
    rand_calls++;
    return S2N_SUCCESS;
}

static int rand_fill(void *data, uint32_t size)
{
    rand_calls++;
    memset(data, 0, size);
    return S2N_SUCCESS;
}

int main(void)
{
    /* Before s2n_init, as applications set them. */
    EXPECT_SUCCESS(s2n_rand_set_callbacks(rand_init, rand_cleanup, rand_fill, rand_fill));
    s2nrs_tls_setup(30);

    unsigned long version = s2n_get_openssl_version();
    printf("libcrypto version 0x%lx\n", version);
    /* AWS-LC reports OpenSSL 1.1.1's version number. */
    EXPECT(version >= 0x10101000UL && version < 0x10200000UL);

    EXPECT(!s2n_stack_traces_enabled());
    EXPECT_SUCCESS(s2n_calculate_stacktrace());
    EXPECT_SUCCESS(s2n_print_stacktrace(stdout));
    EXPECT_SUCCESS(s2n_free_stacktrace());
    EXPECT_SUCCESS(s2n_stack_traces_enabled_set(true));
    EXPECT(s2n_stack_traces_enabled());
    EXPECT_SUCCESS(s2n_stack_traces_enabled_set(false));
    EXPECT(!s2n_stack_traces_enabled());
    EXPECT_SUCCESS(s2n_free_stacktrace());

    /* The deprecated callbacks are never called. */
    EXPECT_EQ_INT(rand_calls, 0);

    s2nrs_tls_teardown();
    EXPECT_EQ_INT(rand_calls, 0);
    return S2NRS_TEST_RESULT();
}
