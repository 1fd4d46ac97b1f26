/*
 * AWS-LC's allocation hooks. AWS-LC calls these (weak symbols it checks
 * for) instead of malloc. Once s2nrs has installed its allocator functions
 * they route AWS-LC's memory through the library's global allocator, and so
 * through the application's s2n_mem_set_callbacks. Before that, malloc
 * serves. Each block carries a 16-byte header (size, origin) so it is freed
 * the way it was made. Freed blocks are wiped, as AWS-LC's own allocator
 * does, since they may have held keys. These symbols stay local to the
 * shared object (only s2n's API is exported).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HEADER 16
enum { FROM_MALLOC = 1, FROM_S2NRS = 2 };

static void *(*s2nrs_alloc)(size_t);
static void (*s2nrs_free)(void *, size_t);

void s2nrs_install_crypto_hooks(void *(*alloc_fn)(size_t), void (*free_fn)(void *, size_t))
{
    s2nrs_alloc = alloc_fn;
    s2nrs_free = free_fn;
}

void *OPENSSL_memory_alloc(size_t size)
{
    if (size > SIZE_MAX - HEADER) {
        return NULL;
    }
    void *(*alloc_fn)(size_t) = s2nrs_alloc;
    uint8_t *base = alloc_fn ? alloc_fn(size + HEADER) : malloc(size + HEADER);
    if (base == NULL) {
        return NULL;
    }
    uint64_t header[2] = { size, alloc_fn ? FROM_S2NRS : FROM_MALLOC };
    memcpy(base, header, sizeof(header));
    return base + HEADER;
}

size_t OPENSSL_memory_get_size(void *ptr)
{
    if (ptr == NULL) {
        return 0;
    }
    uint64_t size;
    memcpy(&size, (uint8_t *) ptr - HEADER, sizeof(size));
    return (size_t) size;
}

void OPENSSL_memory_free(void *ptr)
{
    if (ptr == NULL) {
        return;
    }
    uint8_t *base = (uint8_t *) ptr - HEADER;
    uint64_t header[2];
    memcpy(header, base, sizeof(header));
    size_t total = (size_t) header[0] + HEADER;
    /* A volatile wipe the compiler cannot drop. */
    volatile uint8_t *p = base;
    for (size_t i = 0; i < total; i++) {
        p[i] = 0;
    }
    if (header[1] == FROM_S2NRS && s2nrs_free) {
        s2nrs_free(base, total);
    } else {
        free(base);
    }
}
