/*
 * The same tiny program is linked three ways (AWS::s2n, -ls2nrs, -ls2n):
 * each must load the library, initialize, translate an error, clean up.
 * The build variant is passed as S2NRS_LINK_HOW; S2NRS_EXPECT_LIBDIR, if
 * defined, is the directory the library must be loaded from.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dladdr */
#endif
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <s2n.h>

#ifndef S2NRS_LINK_HOW
#define S2NRS_LINK_HOW "unknown"
#endif

/* The directory of the shared object that defines s2n_init. */
static int check_loaded_from(void)
{
    Dl_info info;
    memset(&info, 0, sizeof(info));
    if (dladdr((void *) (size_t) &s2n_init, &info) == 0 || info.dli_fname == NULL) {
        printf("note: dladdr could not locate s2n_init (static link?)\n");
        return 0;
    }
    printf("s2n_init comes from %s\n", info.dli_fname);
#ifdef S2NRS_EXPECT_LIBDIR
    char loaded[PATH_MAX], expected[PATH_MAX];
    if (realpath(info.dli_fname, loaded) == NULL || realpath(S2NRS_EXPECT_LIBDIR, expected) == NULL) {
        printf("FAIL: realpath failed for %s or %s\n", info.dli_fname, S2NRS_EXPECT_LIBDIR);
        return 1;
    }
    char *slash = strrchr(loaded, '/');
    if (slash != NULL) {
        *slash = '\0';
    }
    if (strcmp(loaded, expected) != 0) {
        printf("FAIL: library loaded from %s, expected %s\n", loaded, expected);
        return 1;
    }
#endif
    return 0;
}

int main(void)
{
    int failed = check_loaded_from();
    if (s2n_init() != S2N_SUCCESS) {
        printf("FAIL: s2n_init: %s\n", s2n_strerror_name(s2n_errno));
        return 1;
    }
    const char *msg = s2n_strerror(0, "EN");
    if (msg == NULL || strcmp(msg, "no error") != 0) {
        printf("FAIL: s2n_strerror(0, \"EN\") = %s\n", msg ? msg : "(null)");
        failed = 1;
    }
    /* a failure sets s2n_errno, seen through the variable and the accessor */
    s2n_errno = 0;
    if (s2n_init() != S2N_FAILURE || s2n_errno == 0 || *s2n_errno_location() != s2n_errno) {
        printf("FAIL: second s2n_init did not fail with s2n_errno set\n");
        failed = 1;
    } else {
        printf("second s2n_init: %s\n", s2n_strerror_name(s2n_errno));
    }
    struct s2n_config *config = s2n_config_new();
    if (config != NULL) {
        s2n_config_free(config);
    } else {
        printf("note: s2n_config_new: %s\n", s2n_strerror_name(s2n_errno));
    }
    if (s2n_cleanup_final() != S2N_SUCCESS) {
        printf("FAIL: s2n_cleanup_final: %s\n", s2n_strerror_name(s2n_errno));
        failed = 1;
    }
    printf("link_smoke (%s): %s\n", S2NRS_LINK_HOW, failed ? "FAILED" : "ok");
    return failed;
}
