/* A bump allocator with a byte budget.  Everything a document builds (value
 * nodes, strings, shapes, copies of small payloads) comes from one arena and
 * is freed at once, so shared and even cyclic references need no counting.
 * The budget bounds what a hostile file can make us allocate. */
#ifndef MC_CORE_ARENA_H
#define MC_CORE_ARENA_H

#include <stddef.h>
#include <stdint.h>

typedef struct mc_arena_block mc_arena_block;

typedef struct mc_arena {
    mc_arena_block *head;    /* current block, linked to older ones */
    size_t used;             /* bytes used in head                  */
    uint64_t total;          /* bytes obtained from malloc          */
    uint64_t budget;         /* limit on total                      */
    int over_budget;         /* set when a request hit the budget   */
} mc_arena;

void mc_arena_init(mc_arena *a, uint64_t budget);
void mc_arena_free(mc_arena *a);

/* 16-byte aligned, zeroed memory; NULL when out of memory or over budget
 * (then a->over_budget says which). */
void *mc_arena_alloc(mc_arena *a, size_t size);

/* A NUL-terminated copy of n bytes. */
char *mc_arena_strndup(mc_arena *a, const char *s, size_t n);

#endif
