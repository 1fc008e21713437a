#include "core/arena.h"

#include <stdlib.h>
#include <string.h>

enum { BLOCK_SIZE = 64 * 1024, ALIGN = 16 };

struct mc_arena_block {
    mc_arena_block *next;
    size_t size;                         /* usable bytes in data */
    _Alignas(16) unsigned char data[];
};

void mc_arena_init(mc_arena *a, uint64_t budget)
{
    memset(a, 0, sizeof *a);
    a->budget = budget;
}

void mc_arena_free(mc_arena *a)
{
    mc_arena_block *b = a->head;
    while (b) {
        mc_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
    a->total = 0;
}

static mc_arena_block *new_block(mc_arena *a, size_t size)
{
    size_t bytes = sizeof(mc_arena_block) + size;
    if (bytes < size || a->total + bytes > a->budget) {
        a->over_budget = 1;
        return NULL;
    }
    mc_arena_block *b = malloc(bytes);
    if (!b)
        return NULL;
    b->size = size;
    a->total += bytes;
    return b;
}

void *mc_arena_alloc(mc_arena *a, size_t size)
{
    if (size > SIZE_MAX - ALIGN)
        return NULL;
    size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (size == 0)
        size = ALIGN;
    if (a->head && a->head->size - a->used >= size) {
        void *p = a->head->data + a->used;
        a->used += size;
        memset(p, 0, size);
        return p;
    }
    if (size > BLOCK_SIZE / 4) {
        /* A large request gets a block of its own, linked behind the
         * current one so the current block keeps serving small ones. */
        mc_arena_block *b = new_block(a, size);
        if (!b)
            return NULL;
        if (a->head) {
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = NULL;
            a->head = b;
            a->used = size;
        }
        memset(b->data, 0, size);
        return b->data;
    }
    mc_arena_block *b = new_block(a, BLOCK_SIZE);
    if (!b)
        return NULL;
    b->next = a->head;
    a->head = b;
    a->used = size;
    memset(b->data, 0, size);
    return b->data;
}

char *mc_arena_strndup(mc_arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *p = mc_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
