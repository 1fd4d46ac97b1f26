/*
 * Where s2nrs differs from s2n-tls on purpose: one list, each entry with the
 * reason. Tests assert s2n-tls's behaviour; a test step covered by an entry
 * here is reported as skipped when the library under test is s2nrs (and
 * still asserted against real s2n-tls).
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <s2n.h>

struct s2nrs_difference {
    const char *id;
    const char *why;
};

static const struct s2nrs_difference s2nrs_differences[] = {
    { "tls12-warning-alerts",
            "rustls ignores TLS1.2 warning alerts (e.g. unrecognized_name); "
            "S2N_ALERT_FAIL_ON_WARNINGS cannot make them fatal" },
    { "ecdsa-hash-by-curve",
            "rustls's ECDSA keys sign only with their curve's hash (P-256: SHA-256), so a "
            "policy whose TLS1.2 signature schemes lack ecdsa_sha256 cannot use a P-256 key" },
    { "no-rustls-suite",
            "6 policies list only suites rustls lacks (static RSA, DHE, CBC, 3DES, RC4, NULL); "
            "s2nrs accepts them, as s2n-tls does, but fails their handshakes with "
            "S2N_ERR_CIPHER_NOT_SUPPORTED" },
    { "unknown-record-type",
            "rustls refuses a record of unknown content type during the handshake "
            "(S2N_ERR_BAD_MESSAGE); s2n-tls skips it" },
    { "invalid-enum-values",
            "s2nrs refuses out-of-range enum arguments with S2N_ERR_INVALID_ARGUMENT; "
            "s2n-tls stores them unchecked" },
};

/* Whether the s2n library this program runs against is s2nrs: its file,
 * whatever name the program linked, is libs2nrs.so (see /proc/self/maps). */
static inline bool s2nrs_library_is_s2nrs(void)
{
#ifdef S2NRS_LIBRARY_IS_S2NRS
    /* Linked statically (lib/libs2n.a): no library file to look for. */
    return true;
#endif
    static int known = -1;
    if (known < 0) {
        known = 0;
        FILE *maps = fopen("/proc/self/maps", "r");
        char line[4096];
        while (maps && fgets(line, sizeof(line), maps)) {
            if (strstr(line, "/libs2nrs.so")) {
                known = 1;
                break;
            }
        }
        if (maps) {
            fclose(maps);
        }
    }
    return known == 1;
}

/* The reason for a listed difference when running against s2nrs, else NULL. */
static inline const char *s2nrs_known_difference(const char *id)
{
    if (!s2nrs_library_is_s2nrs()) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(s2nrs_differences) / sizeof(s2nrs_differences[0]); i++) {
        if (strcmp(s2nrs_differences[i].id, id) == 0) {
            printf("  known difference %s: %s\n", id, s2nrs_differences[i].why);
            return s2nrs_differences[i].why;
        }
    }
    return NULL;
}
