/* Explicit byte-order loads and stores.  Input bytes are never read by
 * casting a pointer: they may be unaligned and in either byte order. */
#ifndef MC_CORE_BYTES_H
#define MC_CORE_BYTES_H

#include <stdint.h>
#include <string.h>

static inline uint16_t mc_load_u16le(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t mc_load_u32le(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static inline uint64_t mc_load_u64le(const uint8_t *p)
{
    return (uint64_t)mc_load_u32le(p) | ((uint64_t)mc_load_u32le(p + 4) << 32);
}

static inline uint32_t mc_load_u32be(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) |
           (uint32_t)p[3];
}

static inline uint64_t mc_load_u64be(const uint8_t *p)
{
    return ((uint64_t)mc_load_u32be(p) << 32) | (uint64_t)mc_load_u32be(p + 4);
}

static inline double mc_load_f64be(const uint8_t *p)
{
    uint64_t u = mc_load_u64be(p);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static inline void mc_store_u16le(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void mc_store_u32le(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline void mc_store_u64le(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline void mc_store_u64be(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* A double from its IEEE 754 bits, and back. */
static inline double mc_f64_from_bits(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static inline uint64_t mc_f64_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* Reverse n bytes in place (n <= 16). */
static inline void mc_swap_bytes(uint8_t *p, unsigned n)
{
    for (unsigned i = 0; i < n / 2; i++) {
        uint8_t t = p[i];
        p[i] = p[n - 1 - i];
        p[n - 1 - i] = t;
    }
}

/* 1 on a little-endian host. */
static inline int mc_host_is_le(void)
{
    const uint16_t one = 1;
    uint8_t b;
    memcpy(&b, &one, 1);
    return b == 1;
}

#endif
