/*
 * s2n_strerror, s2n_strerror_name, s2n_error_get_type for every error of
 * data/errors.tsv (errors_table.h is generated from it at build time), the
 * unknown-code and unknown-language answers, and s2n_strerror_debug /
 * s2n_strerror_source for code 0 and after a failure.
 */
#include <ctype.h>

#include "errors_table.h"
#include "harness/common.h"

#define NO_SUCH_ERROR    "Internal s2n error"
#define NO_SUCH_LANGUAGE "Language is not supported for error translation"

static int is_known_code(int code)
{
    return s2nrs_error_name(code) != NULL;
}

/* "file:line": non-empty, a ':' followed by digits only at the end. */
static int looks_like_file_line(const char *s)
{
    if (s == NULL) {
        return 0;
    }
    const char *colon = strrchr(s, ':');
    if (colon == NULL || colon == s || colon[1] == '\0') {
        return 0;
    }
    for (const char *p = colon + 1; *p; p++) {
        if (!isdigit((unsigned char) *p)) {
            return 0;
        }
    }
    return 1;
}

static void check_every_error(void)
{
    int checked = 0;
    for (size_t i = 0; i < S2NRS_ERRORS_COUNT; i++) {
        const struct s2nrs_error *e = &s2nrs_errors[i];
        int before = s2nrs_failure_count();

        EXPECT_STREQ(s2n_strerror(e->code, "EN"), e->message);
        EXPECT_STREQ(s2n_strerror(e->code, NULL), e->message);
        EXPECT_STREQ(s2n_strerror(e->code, "en"), e->message);
        EXPECT_STREQ(s2n_strerror(e->code, "eN"), e->message);
        EXPECT_STREQ(s2n_strerror_name(e->code), e->name);
        EXPECT_EQ_INT(s2n_error_get_type(e->code), e->category);
        EXPECT_EQ_INT(e->code >> 26, e->category);
        EXPECT_EQ_INT(e->code, (e->category << 26) + e->index);
        /* An unsupported language wins over a valid code. */
        EXPECT_STREQ(s2n_strerror(e->code, "FR"), NO_SUCH_LANGUAGE);

        if (s2nrs_failure_count() != before) {
            printf("    ^ while checking %s (%d)\n", e->name, e->code);
        }
        checked++;
    }
    printf("checked %d errors of errors.tsv\n", checked);
}

static void check_unknown_codes(void)
{
    /* One past the last index of each category (s2n-tls's S2N_ERR_T_*_END
     * sentinels are not errors), and a few codes that are no error at all. */
    for (size_t i = 0; i < S2NRS_ERROR_CATEGORIES; i++) {
        int code = (s2nrs_error_end[i].category << 26) + s2nrs_error_end[i].end_index;
        if (is_known_code(code)) {
            S2NRS_FAIL_AT("errors_table: %d should be unknown", code);
            continue;
        }
        EXPECT_STREQ(s2n_strerror(code, "EN"), NO_SUCH_ERROR);
        EXPECT_STREQ(s2n_strerror(code, NULL), NO_SUCH_ERROR);
        EXPECT_STREQ(s2n_strerror_name(code), NO_SUCH_ERROR);
        EXPECT_EQ_INT(s2n_error_get_type(code), s2nrs_error_end[i].category);
    }
    const int others[] = { -1, 1, 12345, (8 << 26), (9 << 26) + 3, 0x7FFFFFFF, (int) 0x80000000u };
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        int code = others[i];
        EXPECT(!is_known_code(code));
        EXPECT_STREQ(s2n_strerror(code, "EN"), NO_SUCH_ERROR);
        EXPECT_STREQ(s2n_strerror(code, NULL), NO_SUCH_ERROR);
        EXPECT_STREQ(s2n_strerror_name(code), NO_SUCH_ERROR);
        EXPECT_STREQ(s2n_strerror(code, "de"), NO_SUCH_LANGUAGE);
        EXPECT_EQ_INT(s2n_error_get_type(code), code >> 26);
    }
}

static void check_languages(void)
{
    const char *bad[] = { "FR", "de", "", "E", "ENG", "en_US", "EN ", "zh" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        EXPECT_STREQ(s2n_strerror(0, bad[i]), NO_SUCH_LANGUAGE);
        EXPECT_STREQ(s2n_strerror(S2NRS_E_NULL, bad[i]), NO_SUCH_LANGUAGE);
        EXPECT_STREQ(s2n_strerror_debug(S2NRS_E_NULL, bad[i]), NO_SUCH_LANGUAGE);
    }
    const char *good[] = { "EN", "en", "En", "eN" };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        EXPECT_STREQ(s2n_strerror(0, good[i]), "no error");
        EXPECT_STREQ(s2n_strerror(S2NRS_E_NULL, good[i]), "NULL pointer encountered");
    }
}

static void check_debug_and_source(void)
{
    /* Code 0: the "no error" text, whatever happened before. */
    EXPECT_STREQ(s2n_strerror_debug(0, "EN"), "no error");
    EXPECT_STREQ(s2n_strerror_debug(0, NULL), "no error");
    EXPECT_STREQ(s2n_strerror_debug(0, "en"), "no error");
    EXPECT_STREQ(s2n_strerror_source(0), "no error");

    /* After a failure: a non-empty debug string and a "file:line" source. */
    s2n_errno = 0;
    EXPECT_EQ_INT(s2n_init(), S2N_FAILURE); /* s2n_init() was called in main */
    int err = s2n_errno;
    EXPECT_EQ_INT(err, S2NRS_E_INITIALIZED);
    const char *debug = s2n_strerror_debug(err, "EN");
    const char *source = s2n_strerror_source(err);
    EXPECT(debug != NULL && debug[0] != '\0');
    EXPECT(looks_like_file_line(source));
    EXPECT_STREQ(s2n_strerror_debug(err, NULL), debug);
    /* The debug string names the source location (s2n-tls: "Error
     * encountered in <path>:<line>", source being "<basename>:<line>"). */
    EXPECT(debug != NULL && source != NULL && strstr(debug, source) != NULL);
    EXPECT_STREQ(s2n_strerror_debug(err, "XX"), NO_SUCH_LANGUAGE);
    /* Looking the strings up leaves s2n_errno alone. */
    EXPECT_EQ_INT(s2n_errno, err);
    /* Code 0 still answers "no error" after a failure. */
    EXPECT_STREQ(s2n_strerror_debug(0, "EN"), "no error");
    EXPECT_STREQ(s2n_strerror_source(0), "no error");
    printf("after a failure: debug=\"%s\" source=\"%s\"\n", s2nrs_safe_str(debug), s2nrs_safe_str(source));
}

static void check_strerror_leaves_errno(void)
{
    /* The translation functions are pure: they neither set nor clear s2n_errno. */
    s2n_errno = S2NRS_E_IO;
    (void) s2n_strerror(S2NRS_E_NULL, "EN");
    (void) s2n_strerror(-1, "EN");
    (void) s2n_strerror(0, "FR");
    (void) s2n_strerror_name(-1);
    (void) s2n_error_get_type(S2NRS_E_NULL);
    EXPECT_EQ_INT(s2n_errno, S2NRS_E_IO);
    s2n_errno = 0;
}

int main(void)
{
    /* strerror and friends need no s2n_init. */
    check_every_error();
    check_unknown_codes();
    check_languages();
    check_strerror_leaves_errno();

    EXPECT_SUCCESS(s2n_init());
    check_every_error();
    check_debug_and_source();
    EXPECT_SUCCESS(s2n_cleanup_final());

    return S2NRS_TEST_RESULT();
}
