/* libFuzzer harness: the HDF5 archive reader (converters/hdf5/h5read.c) as
 * a user reaches it, through mc_model_load_for on a file.
 *
 * Inputs without the HDF5 signature (at 0 or after a userblock) are
 * rejected: they would go to the pickle reader, which fuzz_pickle covers.
 * Each input is written to a file in a directory of this process (under
 * /dev/shm when there is one; libhdf5 refuses a memfd's /proc/self/fd
 * path: "can't retrieve real path for file") and loaded twice, for
 * MC_LOAD_ALL and for MC_LOAD_PREDICT.  Then:
 *  - a failure must be MC_E_INPUT or MC_E_NOMEM with a message and no
 *    model; what loads is walked (tensor shapes against their counts,
 *    every tensor's first and last element, class labels, children, every
 *    parameter and state value with the invariants of fuzz_values.h);
 *  - no HDF5 object may stay open (H5Fget_obj_count), whatever happened;
 *  - a full model must also load for prediction;
 *  - the full model is saved (mc_model_save, to the same directory), read
 *    back and compared with mc_model_diff (no difference allowed); for one
 *    input in four (by length) saved again: both files byte-identical;
 *  - the model loaded for prediction gets a predictor, which runs every
 *    method it has on rows of zeros, NaNs, ones and -1e300 (outputs
 *    written as CSV to /dev/null, as `modelconv predict` does); and the
 *    full and the partial model must predict alike, bit for bit, on the
 *    validator's probe rows (mc_parity_check).
 *
 * libhdf5 is the distribution's, not instrumented: coverage feedback comes
 * from modelconv's code only, and AddressSanitizer sees libhdf5's memory
 * errors only where they reach an intercepted call (malloc, memcpy, ...)
 * or fault.  MC_FUZZ_VERBOSE=1 prints what each load gave.
 *
 * What this harness found inside libhdf5 (Debian 1.10.8+repack1-1):
 *  - avoided since (the reader checks before HDF5 gets there; hostile
 *    cases in tests/hostile/hdf5/files): frees of uninitialised table
 *    entries in H5G__link_release_table (H5Literate in increasing order on
 *    a group whose fractal heap block fails its checksum;
 *    dense_links_damaged.h5) and H5A__attr_release_table < H5A__close
 *    (H5Aiterate2 on an object header whose fourth attribute message does
 *    not decode; attrs_damaged.h5), an endless loop in
 *    H5HG__cache_heap_deserialize (a global heap object of size 0;
 *    gheap_object_size_0.h5) and a heap buffer overflow, read and write,
 *    in H5HG_read < H5T__conv_vlen < H5Aread (a heap object's size copied
 *    into a buffer of the string's length; gheap_object_overflow.h5).
 *  - not avoidable: object headers that fail to load leak what
 *    the metadata cache allocated for them.  Any HDF5 call that opens the
 *    object loads its header, so modelconv could only avoid this by parsing
 *    object headers itself.  The leak is bounded (56 to a few hundred bytes
 *    per damaged object; the read stops at the first).  Input:
 *    tests/fuzz/libhdf5/ochk_checksum_leak.h5 (samples/corpus/sk1.9.1/
 *    std_scaler converted with --compress none, bit 0 of byte 1946 -- inside
 *    the first continuation chunk, "OCHK" -- flipped):
 *      Direct leak of 56 byte(s) in 1 object(s) allocated from:
 *        malloc < H5FL_blk_malloc
 *        < libhdf5_serial.so.103+0x196dff (H5O__chunk_deserialize:
 *          H5O__add_cont_msg, H5FL_SEQ_REALLOC)
 *        < +0x197cac (H5O__cache_deserialize) < H5C_protect < H5AC_protect
 *        < H5O_protect < H5O_get_info < H5G_traverse < H5G_loc_info
 *        < H5Oget_info_by_name2 < open_group (converters/hdf5/h5read.c)
 *    i.e. HDFGroup/hdf5 issue #2599 (H5O_protect does not free the
 *    continuation messages when a continuation chunk fails to load; fixed
 *    upstream in April 2023, pull requests #2706, #2735, #2736).
 *    The same family, seen with other inputs: H5FL_reg_calloc of the H5O_t
 *    in H5O__prefix_deserialize (+0x1976e9) < H5O__cache_get_final_load_size
 *    (+0x197fdc) < H5C_protect, when the header then fails its checksum;
 *    H5FL_SEQ_REALLOC in H5O__chunk_deserialize (+0x196dff) via +0x19750c.
 *    tests/fuzz/run.sh therefore runs this harness in fork mode (it keeps
 *    going after each artifact) and labels each leak "inside libhdf5's
 *    metadata cache" when every leaked block was allocated under
 *    H5C_protect, NEW otherwise.
 *
 * Seeds: small corpus models converted to .h5 (with and without deflate)
 * and the hostile archives of tests/hostile/hdf5/files (tests/fuzz/run.sh).
 */
#define _GNU_SOURCE
#include <hdf5.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hdf5/hdf5.h"
#include "io/matrix.h"
#include "model/model_box.h"
#include "modelconv/formats.h"
#include "modelconv/model.h"
#include "modelconv/predict.h"
#include "modelconv/validate.h"

#include "fuzz_values.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_FEATURES = 4096, NROWS = 4, PROBE_ROWS = 32 };

static int in_fd = -1;
static char dir[256], in_path[300], out1[300], out2[300];
static FILE *devnull;
static int verbose; /* MC_FUZZ_VERBOSE=1: say what each load gave */

/* Remove directory d and the files in it (no subdirectories). */
static void remove_dir(const char *d)
{
    DIR *dp = opendir(d);
    if (!dp)
        return;
    struct dirent *e;
    char p[600];
    while ((e = readdir(dp)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(p, sizeof p, "%s/%s", d, e->d_name);
            unlink(p);
        }
    closedir(dp);
    rmdir(d);
}

static void cleanup(void)
{
    remove_dir(dir);
}

#define DIR_PREFIX "mc-fuzz-hdf5-"

/* libFuzzer leaves with _Exit after a finding, past atexit: the
 * directories of processes that are gone, removed at the next start. */
static void sweep(const char *base)
{
    DIR *dp = opendir(base);
    if (!dp)
        return;
    struct dirent *e;
    char p[600];
    while ((e = readdir(dp))) {
        if (strncmp(e->d_name, DIR_PREFIX, strlen(DIR_PREFIX)) != 0)
            continue;
        char *end;
        long pid = strtol(e->d_name + strlen(DIR_PREFIX), &end, 10);
        if (*end || pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH)) {
            snprintf(p, sizeof p, "%s/%s", base, e->d_name);
            remove_dir(p);
        }
    }
    closedir(dp);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    devnull = fopen("/dev/null", "w");
    if (!devnull)
        abort();
    /* one directory per process (removed at exit) for the input and the
     * saves, which go through a temporary file beside the target */
    struct stat sb;
    const char *base = stat("/dev/shm", &sb) == 0 && access("/dev/shm", W_OK) == 0 ? "/dev/shm"
                       : getenv("TMPDIR")                                          ? getenv("TMPDIR")
                                                                                   : "/tmp";
    sweep(base);
    snprintf(dir, sizeof dir, "%s/" DIR_PREFIX "%ld", base, (long)getpid());
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        abort();
    snprintf(in_path, sizeof in_path, "%s/in.h5", dir);
    snprintf(out1, sizeof out1, "%s/a.h5", dir);
    snprintf(out2, sizeof out2, "%s/b.h5", dir);
    atexit(cleanup);
    in_fd = open(in_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (in_fd < 0)
        abort();
    verbose = getenv("MC_FUZZ_VERBOSE") && atoi(getenv("MC_FUZZ_VERBOSE")) > 0;
    return 0;
}

/* ---- what a loaded model must look like ------------------------------------------ */

static void check_tensor(const mc_tensor *t)
{
    CHECK(t->elem <= MC_ELEM_STR);
    CHECK(t->ndim <= MC_TENSOR_MAX_DIMS);
    uint64_t n = 1;
    for (uint32_t k = 0; k < t->ndim; k++) {
        CHECK(t->shape[k] >= 0);
        CHECK(!__builtin_mul_overflow(n, (uint64_t)t->shape[k], &n));
    }
    CHECK(n == t->count);
    if (!t->count)
        return;
    CHECK(t->data.ptr != NULL);
    if (t->elem == MC_ELEM_STR) {
        for (uint64_t i = 0; i < t->count; i++) {
            CHECK(t->data.str[i] != NULL);
            sink ^= (uint8_t)strlen(t->data.str[i]);
        }
    } else {
        uint64_t bytes;
        CHECK(!__builtin_mul_overflow(t->count, (uint64_t)mc_elem_size(t->elem), &bytes));
        touch(t->data.u8, bytes);
    }
}

typedef struct value_walk {
    uint32_t count;
    uint8_t *seen;
    const mc_value **stack;
    size_t sp;
} value_walk;

static void push_value(value_walk *w, const mc_value *v)
{
    CHECK(v != NULL);
    CHECK(v->id < w->count);
    if (w->seen[v->id])
        return;
    w->seen[v->id] = 1;
    w->stack[w->sp++] = v;
}

static void check_entries(value_walk *w, const mc_entry *e, uint32_t n)
{
    CHECK(n == 0 || e != NULL);
    for (uint32_t i = 0; i < n; i++) {
        CHECK(e[i].name != NULL);
        push_value(w, e[i].value);
    }
}

static void check_model(const mc_model *m, value_walk *w, uint32_t depth)
{
    CHECK(depth <= 4096);
    CHECK(m->family && m->estimator);
    CHECK(strlen(m->family) < 4096 && strlen(m->estimator) < 4096);
    CHECK(mc_task_name(m->task) != NULL);
    CHECK(m->n_features >= -1);
    CHECK(m->n_class_sets == 0 || m->classes != NULL);
    for (uint32_t i = 0; i < m->n_class_sets; i++) {
        const mc_tensor *c = &m->classes[i];
        CHECK(c->elem == MC_ELEM_I64 || c->elem == MC_ELEM_F64 || c->elem == MC_ELEM_STR);
        check_tensor(c);
    }
    CHECK(m->ntensors == 0 || m->tensors != NULL);
    for (uint32_t i = 0; i < m->ntensors; i++) {
        CHECK(m->tensors[i].name != NULL);
        CHECK(mc_model_tensor(m, m->tensors[i].name) != NULL);
        check_tensor(&m->tensors[i]);
    }
    check_entries(w, m->params, m->nparams);
    check_entries(w, m->state, m->nstate);
    CHECK(m->nchildren == 0 || (m->children && m->child_names));
    for (uint32_t i = 0; i < m->nchildren; i++) {
        CHECK(m->children[i] != NULL && m->child_names[i] != NULL);
        check_model(m->children[i], w, depth + 1);
    }
}

/* The model tree, then every value its entries reach (once each). */
static void check_loaded(const mc_model *m)
{
    const mc_document *doc = mc_model_box_of(m)->doc;
    CHECK(doc != NULL);
    value_walk w = {0};
    w.count = mc_document_value_count(doc);
    w.seen = calloc(w.count ? w.count : 1, 1);
    w.stack = malloc((w.count ? w.count : 1) * sizeof *w.stack);
    CHECK(w.seen && w.stack);
    check_model(m, &w, 0);
    while (w.sp) {
        const mc_value *v = w.stack[--w.sp];
        check_value(v, w.count, 0);
        for (size_t i = 0, n = mc_value_child_count(v); i < n; i++) {
            const mc_value *c = mc_value_child(v, i);
            if (c)
                push_value(&w, c);
        }
    }
    free(w.seen);
    free(w.stack);
}

static mc_model *load(const char *path, mc_load_purpose purpose)
{
    mc_model *m = (mc_model *)(uintptr_t)1;
    mc_error err;
    mc_status st = mc_model_load_for(path, purpose, &m, &err);
    CHECK(st == MC_OK || st == MC_E_INPUT || st == MC_E_NOMEM);
    /* nothing of any file stays open, after a success or a failure */
    CHECK(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) == 0);
    if (verbose)
        fprintf(stderr, "load(%s, %s): %s%s%s\n", path,
                purpose == MC_LOAD_ALL ? "all" : "predict", st ? err.message : "ok",
                st ? " at " : "", st ? err.where : "");
    if (st != MC_OK) {
        CHECK(m == NULL);
        CHECK(err.status == st);
        CHECK(memchr(err.message, '\0', sizeof err.message) && err.message[0]);
        return NULL;
    }
    CHECK(m != NULL);
    CHECK(m->partial == 0 || purpose == MC_LOAD_PREDICT);
    check_loaded(m);
    return m;
}

/* ---- what a user does with it -------------------------------------------------- */

static int same_file(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    CHECK(fa && fb);
    int same = 1, ca, cb;
    do {
        ca = getc(fa);
        cb = getc(fb);
        same = ca == cb;
    } while (same && ca != EOF);
    fclose(fa);
    fclose(fb);
    return same;
}

/* `modelconv convert IN.h5 OUT.h5`: save, read back, compare; and (for one
 * input in four, by its length: saving is most of the harness's time) save
 * again and compare the bytes. */
static void round_trip(const mc_model *m, int resave)
{
    mc_save_options o;
    mc_save_options_init(&o);
    o.compress_level = 1;
    mc_error err;
    mc_status st = mc_model_save(m, out1, "hdf5", &o, &err);
    CHECK(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) == 0);
    if (st != MC_OK) {
        /* what the reader accepted, the writer must be able to write */
        fprintf(stderr, "fuzz: saving a model that loaded failed: %s\n", err.message);
        CHECK(st == MC_OK);
    }
    mc_model *back = load(out1, MC_LOAD_ALL);
    if (!back) {
        mc_error e2;
        mc_model *tmp = NULL;
        if (mc_model_load(out1, &tmp, &e2) != MC_OK)
            fprintf(stderr, "fuzz: the archive written does not read back: %s at %s\n",
                    e2.message, e2.where);
        mc_model_free(tmp);
        CHECK(back != NULL);
    }
    mc_differences d;
    mc_differences_init(&d, 3);
    st = mc_model_diff(m, back, &d, &err);
    CHECK(st == MC_OK || st == MC_E_INPUT || st == MC_E_NOMEM);
    if (st == MC_OK && d.total) {
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "fuzz: round trip differs at %s: %s vs %s\n", d.items[i].path,
                    d.items[i].expected, d.items[i].found);
        CHECK(d.total == 0);
    }
    mc_differences_free(&d);
    if (resave) {
        st = mc_model_save(back, out2, "hdf5", &o, &err);
        CHECK(st == MC_OK);
        CHECK(same_file(out1, out2));
    }
    mc_model_free(back);
    unlink(out1);
    unlink(out2);
}

static double *input_rows(int64_t nf)
{
    size_t cols = (size_t)nf;
    double *X = malloc(NROWS * (cols ? cols : 1) * sizeof *X);
    CHECK(X != NULL);
    for (size_t c = 0; c < cols; c++) {
        X[0 * cols + c] = 0.0;
        X[1 * cols + c] = NAN;
        X[2 * cols + c] = 1.0;
        X[3 * cols + c] = -1e300;
    }
    return X;
}

static void check_outputs(const mc_outputs *o, uint64_t rows)
{
    CHECK(o->n >= 1 && o->parts != NULL);
    for (uint32_t p = 0; p < o->n; p++) {
        const mc_output *part = &o->parts[p];
        CHECK(part->ndim == 1 || part->ndim == 2);
        CHECK(part->shape[0] == (int64_t)rows);
        CHECK(part->ndim == 1 || part->shape[1] >= 0);
        CHECK(part->elem == MC_ELEM_F64 || part->elem == MC_ELEM_I64 ||
              part->elem == MC_ELEM_STR);
        uint64_t n = (uint64_t)part->shape[0] * (part->ndim == 2 ? (uint64_t)part->shape[1] : 1);
        CHECK(n == 0 || part->data != NULL);
        if (part->elem == MC_ELEM_STR)
            for (uint64_t i = 0; i < n; i++)
                CHECK(((const char *const *)part->data)[i] != NULL);
    }
}

/* `modelconv predict MODEL X --method M` for every method the model has. */
static void predict(const mc_model *m)
{
    mc_predictor *p = NULL;
    mc_error err;
    mc_status st = mc_predictor_new(m, &p, &err);
    if (st != MC_OK) {
        CHECK(st == MC_E_INPUT || st == MC_E_NOMEM);
        CHECK(p == NULL);
        return;
    }
    int64_t nf = mc_predictor_n_features(p);
    CHECK(nf >= -1);
    if (nf < 0)
        nf = 3;
    if (nf <= MAX_FEATURES) {
        double *X = input_rows(nf);
        for (int k = 0; k < MC_METHOD_COUNT; k++) {
            mc_outputs out = {0, NULL};
            st = mc_predict(p, (mc_method)k, X, NROWS, (uint64_t)nf, &out, &err);
            if (!mc_predictor_has(p, (mc_method)k)) {
                CHECK(st == MC_E_USAGE);
            } else if (st == MC_OK) {
                check_outputs(&out, NROWS);
                CHECK(mc_outputs_write_csv(devnull, &out, &err) == MC_OK);
            } else {
                CHECK(st == MC_E_INPUT || st == MC_E_USAGE || st == MC_E_NOMEM);
                /* the first row alone (zeros), as a plain input would be */
                mc_outputs_free(&out);
                st = mc_predict(p, (mc_method)k, X, 1, (uint64_t)nf, &out, &err);
                CHECK(st == MC_OK || st == MC_E_INPUT || st == MC_E_USAGE || st == MC_E_NOMEM);
                if (st == MC_OK)
                    check_outputs(&out, 1);
            }
            mc_outputs_free(&out);
        }
        /* a wrong column count is a usage error, not a read past the row */
        mc_outputs out = {0, NULL};
        st = mc_predict(p, MC_METHOD_PREDICT, X, 1, (uint64_t)nf + 1, &out, &err);
        CHECK(st != MC_OK || mc_predictor_n_features(p) < 0);
        mc_outputs_free(&out);
        free(X);
    }
    mc_predictor_free(p);
}

/* The full and the partial model predict alike on the validator's probes. */
static void parity(const mc_model *all, const mc_model *part)
{
    if (all->n_features < 1 || all->n_features > MAX_FEATURES)
        return;
    mc_probes probes;
    mc_error err;
    mc_status st = mc_probes_make(all, PROBE_ROWS, &probes, &err);
    if (st != MC_OK) {
        CHECK(st == MC_E_INPUT || st == MC_E_NOMEM);
        return;
    }
    mc_parity par;
    st = mc_parity_check(all, part, probes.X, probes.rows, probes.cols, 2, &par, &err);
    CHECK(st == MC_OK || st == MC_E_NOMEM);
    if (st == MC_OK) {
        uint64_t total = par.other.total;
        for (uint32_t i = 0; i < par.nmethods; i++)
            total += par.methods[i].diffs.total;
        if (total) {
            for (uint32_t i = 0; i < par.nmethods; i++)
                for (size_t k = 0; k < par.methods[i].diffs.n; k++)
                    fprintf(stderr, "fuzz: full and partial model differ: %s: %s vs %s\n",
                            par.methods[i].diffs.items[k].path,
                            par.methods[i].diffs.items[k].expected,
                            par.methods[i].diffs.items[k].found);
            for (size_t k = 0; k < par.other.n; k++)
                fprintf(stderr, "fuzz: full and partial model differ: %s\n",
                        par.other.items[k].path);
        }
        CHECK(total == 0);
    }
    mc_parity_free(&par);
    mc_probes_free(&probes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!mc_hdf5_bid(data, size))
        return -1; /* not an archive: the pickle reader's inputs, not ours */
    if (ftruncate(in_fd, 0) != 0 || pwrite(in_fd, data, size, 0) != (ssize_t)size)
        abort();
    mc_model *all = load(in_path, MC_LOAD_ALL);
    mc_model *part = load(in_path, MC_LOAD_PREDICT);
    /* what reads whole reads for prediction */
    CHECK(!all || part);
    if (all)
        round_trip(all, size % 4 == 0);
    if (part)
        predict(part);
    if (all && part)
        parity(all, part);
    mc_model_free(part);
    mc_model_free(all);
    return 0;
}
