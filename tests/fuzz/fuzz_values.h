/* Invariants of value graphs (value.h), shared by the harnesses that read
 * documents (fuzz_common.h: pickle, joblib) and models (fuzz_hdf5.c):
 * CHECK aborts with the failed condition, touch reads the first and last
 * byte of a buffer, walk_dtype and check_value check one dtype / value.
 * Static functions: include it once per harness. */
#ifndef MC_FUZZ_VALUES_H
#define MC_FUZZ_VALUES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modelconv/dtype.h"
#include "modelconv/value.h"

#define CHECK(c)                                                                          \
    do {                                                                                  \
        if (!(c)) {                                                                       \
            fprintf(stderr, "fuzz: invariant failed at %s:%d: %s\n", __FILE__,     \
                    __LINE__, #c);                                                        \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

static volatile uint8_t sink;

static void touch(const uint8_t *p, uint64_t n)
{
    if (n == 0)
        return;
    CHECK(p != NULL);
    sink ^= p[0];
    sink ^= p[n - 1];
}

static void walk_dtype(const mc_dtype *dt, int depth)
{
    CHECK(dt != NULL);
    CHECK(depth < 64);
    char buf[64];
    mc_dtype_str(dt, buf, sizeof buf);
    CHECK(memchr(buf, '\0', sizeof buf) != NULL);
    (void)mc_dtype_has_object(dt);
    (void)mc_dtype_needs_swap(dt);
    for (uint32_t i = 0; i < dt->nfields; i++) {
        const mc_dtype_field *f = &dt->fields[i];
        CHECK(f->name != NULL);
        CHECK(f->offset >= 0);
        CHECK((uint64_t)f->offset + f->dtype->itemsize <= dt->itemsize);
        walk_dtype(f->dtype, depth + 1);
    }
    if (dt->subarray_base) {
        CHECK(dt->subarray_ndim == 0 || dt->subarray_shape != NULL);
        walk_dtype(dt->subarray_base, depth + 1);
    }
}

static void check_value(const mc_value *v, uint32_t count, int scan)
{
    CHECK(v->id < count);
    CHECK(mc_kind_name(v->kind)[0] != '?');
    int64_t i64;
    double d;
    (void)mc_value_to_int64(v, &i64);
    (void)mc_value_to_double(v, &d);
    switch (v->kind) {
    case MC_STR:
        CHECK(v->u.str.data != NULL);
        CHECK(v->u.str.data[v->u.str.len] == '\0');
        break;
    case MC_BYTES:
    case MC_BYTEARRAY:
    case MC_BIGINT:
        touch(v->u.bytes.data, v->u.bytes.len);
        break;
    case MC_LIST:
    case MC_TUPLE:
    case MC_SET:
    case MC_FROZENSET:
        CHECK(v->u.seq.len == 0 || v->u.seq.items != NULL);
        for (size_t i = 0; i < v->u.seq.len; i++)
            CHECK(v->u.seq.items[i] != NULL);
        break;
    case MC_DICT:
        CHECK(v->u.dict.len == 0 || (v->u.dict.keys && v->u.dict.vals));
        for (size_t i = 0; i < v->u.dict.len; i++)
            CHECK(v->u.dict.keys[i] && v->u.dict.vals[i]);
        CHECK(!v->u.dict.cls || v->u.dict.cls->kind == MC_GLOBAL);
        break;
    case MC_NDARRAY: {
        const mc_ndarray *a = &v->u.array;
        if (!a->dtype)
            break; /* a _reconstruct shell that never got its BUILD */
        walk_dtype(a->dtype, 0);
        CHECK(a->ndim <= 64);
        CHECK(a->ndim == 0 || a->shape != NULL);
        uint64_t n = 1;
        int overflow = 0;
        for (uint32_t k = 0; k < a->ndim; k++) {
            CHECK(a->shape[k] >= 0);
            overflow |= __builtin_mul_overflow(n, (uint64_t)a->shape[k], &n);
        }
        CHECK(!overflow && n == a->count);
        CHECK(a->order == 'C' || a->order == 'F');
        if (a->objects) {
            for (uint64_t k = 0; k < a->count; k++)
                CHECK(a->objects[k] != NULL);
        } else {
            uint64_t nbytes;
            CHECK(!__builtin_mul_overflow(a->count, (uint64_t)a->dtype->itemsize, &nbytes));
            CHECK(a->nbytes == nbytes);
            touch(a->data, a->nbytes);
            if (a->count) {
                (void)mc_array_get_f64(a, 0, &d);
                (void)mc_array_get_f64(a, a->count - 1, &d);
            }
        }
        CHECK(!a->subclass || a->subclass->kind == MC_GLOBAL);
        break;
    }
    case MC_SCALAR:
        CHECK(v->u.scalar.dtype != NULL);
        walk_dtype(v->u.scalar.dtype, 0);
        if (!v->u.scalar.object)
            touch(v->u.scalar.data, v->u.scalar.dtype->itemsize);
        break;
    case MC_DTYPE:
        walk_dtype(v->u.dtype, 0);
        break;
    case MC_GLOBAL:
        CHECK(v->u.global.module && v->u.global.name);
        CHECK(strlen(v->u.global.module) < 1024 && strlen(v->u.global.name) < 1024);
        break;
    case MC_OBJECT: {
        char path[512];
        /* no class only for scan's opaque results */
        CHECK(v->u.object.cls ? v->u.object.cls->kind == MC_GLOBAL
                              : scan && v->u.object.ctor == MC_CTOR_REDUCE);
        CHECK(!v->u.object.via || v->u.object.via->kind == MC_GLOBAL);
        CHECK(!v->u.object.args || v->u.object.args->kind == MC_TUPLE);
        CHECK(!v->u.object.kwargs || v->u.object.kwargs->kind == MC_DICT);
        CHECK(!v->u.object.listitems || v->u.object.listitems->kind == MC_LIST);
        CHECK(!v->u.object.dictitems || v->u.object.dictitems->kind == MC_DICT);
        mc_value_class_path(v, path, sizeof path);
        const mc_value *st = mc_object_state(v);
        CHECK(!st || st->kind == MC_DICT);
        /* (no key lookups here: objects may share one huge state dict) */
        break;
    }
    default:
        break;
    }
}

#endif
