/* Shared by the pickle-level fuzz harnesses (fuzz_pickle.c, fuzz_joblib.c):
 * reading an input with small limits, walking a document and checking the
 * invariants value.h promises, and running the CLI's inspect and scan on
 * the same bytes.  Static functions: include it in one harness only. */
#ifndef MC_FUZZ_COMMON_H
#define MC_FUZZ_COMMON_H

#define _GNU_SOURCE
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/cli.h"
#include "modelconv/read.h"
#include "modelconv/scan.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The CLI's main.c is not linked: its two helpers, silent. */
int cli_fail(const mc_error *err)
{
    return mc_status_exit_code(err->status);
}

int cli_usage(const char *command, const char *fmt, ...)
{
    (void)command;
    (void)fmt;
    return 2;
}

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

/* Every value reachable from the root, once each, without recursion. */
static void walk(const mc_document *doc, int scan)
{
    uint32_t count = mc_document_value_count(doc);
    const mc_value *root = mc_document_root(doc);
    CHECK(root != NULL);
    uint8_t *seen = calloc(count ? count : 1, 1);
    const mc_value **stack = malloc((count ? count : 1) * sizeof *stack);
    CHECK(seen && stack);
    size_t sp = 0;
    stack[sp++] = root;
    seen[root->id] = 1;
    while (sp) {
        const mc_value *v = stack[--sp];
        check_value(v, count, scan);
        for (size_t i = 0, n = mc_value_child_count(v); i < n; i++) {
            const mc_value *c = mc_value_child(v, i);
            if (c && !seen[c->id]) {
                CHECK(c->id < count);
                seen[c->id] = 1;
                stack[sp++] = c;
            }
        }
    }
    free(seen);
    free(stack);
    const mc_provenance *p = mc_document_provenance(doc);
    CHECK(memchr(p->format, '\0', sizeof p->format) && memchr(p->compressor, '\0', 8));
    CHECK(p->protocol >= 0 && p->protocol <= 5);
}

static void check_globals(const mc_document *doc)
{
    size_t n;
    const mc_global_use *g = mc_document_globals(doc, &n);
    for (size_t i = 0; i < n; i++) {
        CHECK(g[i].module && g[i].name && g[i].reason);
        CHECK(g[i].count > 0);
        CHECK(mc_verdict_name(g[i].verdict)[0] != '?');
    }
}

static int memfd = -1;
static char memfd_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* inspect and scan print to stdout */
    if (!freopen("/dev/null", "w", stdout))
        abort();
    memfd = memfd_create("fuzz", 0);
    if (memfd < 0)
        abort();
    snprintf(memfd_path, sizeof memfd_path, "/proc/self/fd/%d", memfd);
    return 0;
}

/* Run the CLI's inspect (text and JSON) and scan on the input. */
static void run_cli(const uint8_t *data, size_t size)
{
    if (ftruncate(memfd, 0) != 0 || (size && pwrite(memfd, data, size, 0) != (ssize_t)size))
        abort();
    char *inspect[] = {"inspect", memfd_path, NULL};
    char *inspect_json[] = {"inspect", "--json", memfd_path, NULL};
    char *scan[] = {"scan", memfd_path, NULL};
    int rc = cmd_inspect(2, inspect);
    CHECK(rc == 0 || rc == 3);
    rc = cmd_inspect(3, inspect_json);
    CHECK(rc == 0 || rc == 3);
    rc = cmd_scan(2, scan);
    CHECK(rc == 0 || rc == 1 || rc == 3);
    fflush(stdout);
}

/* Read with small limits, plainly and in scan mode; walk what reads; then
 * run inspect and scan as the CLI does if either read. */
static void read_and_print(const uint8_t *data, size_t size)
{
    mc_read_options opts;
    mc_read_options_init(&opts);
    opts.max_expand_ratio = 32;
    opts.max_expand_floor = 1u << 20;
    opts.node_budget_ratio = 64;
    opts.node_budget_floor = 16u << 20;
    opts.max_stack = 1u << 16;
    int readable = 0;
    for (int scan = 0; scan <= 1; scan++) {
        opts.scan = scan;
        mc_document *doc = NULL;
        mc_error err;
        mc_status st = mc_read_memory(data, size, "fuzz", &opts, &doc, &err);
        CHECK(st == MC_OK || st == MC_E_INPUT || st == MC_E_NOMEM);
        if (st == MC_OK) {
            CHECK(doc != NULL);
            walk(doc, scan);
            check_globals(doc);
            readable = 1;
        } else {
            CHECK(err.message[0] != '\0');
            CHECK(memchr(err.message, '\0', sizeof err.message) != NULL);
            if (scan && st == MC_E_INPUT) {
                CHECK(doc != NULL && mc_document_root(doc) == NULL);
                check_globals(doc);
            } else {
                CHECK(doc == NULL);
            }
        }
        mc_document_free(doc);
    }
    /* the CLI reads with the default (larger) limits: only inputs that read
     * within the small ones, so a bomb cannot slow the fuzzer down */
    if (readable)
        run_cli(data, size);
}

#endif
