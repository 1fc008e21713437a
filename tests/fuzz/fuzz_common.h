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

#include "fuzz_values.h"

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
