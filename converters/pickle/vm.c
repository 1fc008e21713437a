/* The restricted pickle VM: one pass over the opcodes of a stream, building
 * values; nothing is ever called.  Opcode semantics follow CPython's
 * Lib/pickle.py (_Unpickler); the list is reference/pickle_opcodes.txt. */
#include "pickle/vm.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"
#include "core/sizes.h"
#include "pickle/globals.h"
#include "pickle/handlers.h"
#include "pickle/text.h"

enum {
    OP_MARK = '(', OP_STOP = '.', OP_POP = '0', OP_POP_MARK = '1', OP_DUP = '2',
    OP_FLOAT = 'F', OP_INT = 'I', OP_BININT = 'J', OP_BININT1 = 'K', OP_LONG = 'L',
    OP_BININT2 = 'M', OP_NONE = 'N', OP_PERSID = 'P', OP_BINPERSID = 'Q', OP_REDUCE = 'R',
    OP_STRING = 'S', OP_BINSTRING = 'T', OP_SHORT_BINSTRING = 'U', OP_UNICODE = 'V',
    OP_BINUNICODE = 'X', OP_APPEND = 'a', OP_BUILD = 'b', OP_GLOBAL = 'c', OP_DICT = 'd',
    OP_EMPTY_DICT = '}', OP_APPENDS = 'e', OP_GET = 'g', OP_BINGET = 'h', OP_INST = 'i',
    OP_LONG_BINGET = 'j', OP_LIST = 'l', OP_EMPTY_LIST = ']', OP_OBJ = 'o', OP_PUT = 'p',
    OP_BINPUT = 'q', OP_LONG_BINPUT = 'r', OP_SETITEM = 's', OP_TUPLE = 't',
    OP_EMPTY_TUPLE = ')', OP_SETITEMS = 'u', OP_BINFLOAT = 'G',
    OP_BINBYTES = 'B', OP_SHORT_BINBYTES = 'C',
    OP_PROTO = 0x80, OP_NEWOBJ = 0x81, OP_EXT1 = 0x82, OP_EXT2 = 0x83, OP_EXT4 = 0x84,
    OP_TUPLE1 = 0x85, OP_TUPLE2 = 0x86, OP_TUPLE3 = 0x87, OP_NEWTRUE = 0x88,
    OP_NEWFALSE = 0x89, OP_LONG1 = 0x8a, OP_LONG4 = 0x8b,
    OP_SHORT_BINUNICODE = 0x8c, OP_BINUNICODE8 = 0x8d, OP_BINBYTES8 = 0x8e,
    OP_EMPTY_SET = 0x8f, OP_ADDITEMS = 0x90, OP_FROZENSET = 0x91, OP_NEWOBJ_EX = 0x92,
    OP_STACK_GLOBAL = 0x93, OP_MEMOIZE = 0x94, OP_FRAME = 0x95,
    OP_BYTEARRAY8 = 0x96, OP_NEXT_BUFFER = 0x97, OP_READONLY_BUFFER = 0x98
};

static const char *op_name(int op)
{
    switch (op) {
#define N(x) case OP_##x: return #x;
    N(MARK) N(STOP) N(POP) N(POP_MARK) N(DUP) N(FLOAT) N(INT) N(BININT) N(BININT1) N(LONG)
    N(BININT2) N(NONE) N(PERSID) N(BINPERSID) N(REDUCE) N(STRING) N(BINSTRING)
    N(SHORT_BINSTRING) N(UNICODE) N(BINUNICODE) N(APPEND) N(BUILD) N(GLOBAL) N(DICT)
    N(EMPTY_DICT) N(APPENDS) N(GET) N(BINGET) N(INST) N(LONG_BINGET) N(LIST) N(EMPTY_LIST)
    N(OBJ) N(PUT) N(BINPUT) N(LONG_BINPUT) N(SETITEM) N(TUPLE) N(EMPTY_TUPLE) N(SETITEMS)
    N(BINFLOAT) N(BINBYTES) N(SHORT_BINBYTES) N(PROTO) N(NEWOBJ) N(EXT1) N(EXT2) N(EXT4)
    N(TUPLE1) N(TUPLE2) N(TUPLE3) N(NEWTRUE) N(NEWFALSE) N(LONG1) N(LONG4)
    N(SHORT_BINUNICODE) N(BINUNICODE8) N(BINBYTES8) N(EMPTY_SET) N(ADDITEMS) N(FROZENSET)
    N(NEWOBJ_EX) N(STACK_GLOBAL) N(MEMOIZE) N(FRAME) N(BYTEARRAY8) N(NEXT_BUFFER)
    N(READONLY_BUFFER)
#undef N
    }
    return "?";
}

/* ---- errors and allocation ------------------------------------------- */

mc_status mc_vm_fail(mc_vm *vm, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mc_error_vset(vm->err, MC_E_INPUT, (int64_t)vm->op, fmt, ap);
    va_end(ap);
    if (vm->err)
        vm->err->offset_is_decompressed = vm->offsets_decompressed;
    return MC_E_INPUT;
}

mc_value *mc_vm_value(mc_vm *vm, mc_kind kind)
{
    return mc_doc_value(vm->doc, kind, (int64_t)vm->op);
}

mc_status mc_vm_nomem(mc_vm *vm)
{
    mc_status st = mc_doc_alloc_error(vm->doc, vm->err, (int64_t)vm->op);
    if (vm->err)
        vm->err->offset_is_decompressed = vm->offsets_decompressed;
    return st;
}

/* ---- reading arguments ------------------------------------------------ */

static mc_status need(mc_vm *vm, uint64_t n, const char *what)
{
    if (n > vm->len - vm->pos)
        return mc_vm_fail(vm, "truncated: %s needs %llu bytes of %s, only %zu remain",
                          op_name(vm->buf[vm->op]), (unsigned long long)n, what,
                          vm->len - vm->pos);
    return MC_OK;
}

/* A protocol-0 argument line, without its '\n' (and a '\r' before it). */
static mc_status read_line(mc_vm *vm, const char **line, size_t *n)
{
    const uint8_t *start = vm->buf + vm->pos;
    const uint8_t *nl = memchr(start, '\n', vm->len - vm->pos);
    if (!nl)
        return mc_vm_fail(vm, "truncated: %s argument has no terminating newline",
                          op_name(vm->buf[vm->op]));
    *line = (const char *)start;
    *n = (size_t)(nl - start);
    vm->pos += *n + 1;
    if (*n && (*line)[*n - 1] == '\r')
        (*n)--;
    return MC_OK;
}

/* ---- the stack, marks and memo --------------------------------------- */

static size_t frame_base(const mc_vm *vm)
{
    return vm->nmarks ? vm->marks[vm->nmarks - 1] : 0;
}

static mc_status push(mc_vm *vm, mc_value *v)
{
    if (!v)
        return mc_vm_nomem(vm);
    if (vm->sp == vm->stack_cap) {
        if (vm->sp >= vm->doc->opts.max_stack)
            return mc_vm_fail(vm, "the pickle stack grows beyond %llu entries",
                              (unsigned long long)vm->doc->opts.max_stack);
        size_t cap = vm->stack_cap ? vm->stack_cap * 2 : 256;
        mc_value **s = realloc(vm->stack, cap * sizeof *s);
        if (!s)
            return mc_vm_nomem(vm);
        vm->stack = s;
        vm->stack_cap = cap;
    }
    vm->stack[vm->sp++] = v;
    return MC_OK;
}

static mc_status pop(mc_vm *vm, mc_value **out)
{
    if (vm->sp <= frame_base(vm))
        return mc_vm_fail(vm, "stack underflow: %s needs a value and the stack%s is empty",
                          op_name(vm->buf[vm->op]), vm->nmarks ? " above the last MARK" : "");
    *out = vm->stack[--vm->sp];
    return MC_OK;
}

static mc_status top(mc_vm *vm, mc_value **out)
{
    if (vm->sp <= frame_base(vm))
        return mc_vm_fail(vm, "stack underflow: %s needs a value and the stack%s is empty",
                          op_name(vm->buf[vm->op]), vm->nmarks ? " above the last MARK" : "");
    *out = vm->stack[vm->sp - 1];
    return MC_OK;
}

static mc_status push_mark(mc_vm *vm)
{
    if (vm->nmarks == vm->marks_cap) {
        if (vm->nmarks >= vm->doc->opts.max_stack)
            return mc_vm_fail(vm, "more than %llu nested MARKs",
                              (unsigned long long)vm->doc->opts.max_stack);
        size_t cap = vm->marks_cap ? vm->marks_cap * 2 : 64;
        size_t *m = realloc(vm->marks, cap * sizeof *m);
        if (!m)
            return mc_vm_nomem(vm);
        vm->marks = m;
        vm->marks_cap = cap;
    }
    vm->marks[vm->nmarks++] = vm->sp;
    return MC_OK;
}

/* Pop everything above the last MARK, and the MARK. */
static mc_status pop_mark(mc_vm *vm, mc_value ***items, size_t *count)
{
    if (vm->nmarks == 0)
        return mc_vm_fail(vm, "%s needs a MARK and there is none", op_name(vm->buf[vm->op]));
    size_t base = vm->marks[--vm->nmarks];
    /* a MARK before anything was pushed leaves the stack unallocated */
    *items = vm->stack ? vm->stack + base : NULL;
    *count = vm->sp - base;
    vm->sp = base;
    return MC_OK;
}

static uint64_t memo_hash(uint32_t key)
{
    return (uint64_t)key * 0x9e3779b97f4a7c15ull;
}

static mc_status memo_put(mc_vm *vm, uint32_t key, mc_value *v)
{
    if (vm->memo_len * 2 >= vm->memo_cap) {
        size_t cap = vm->memo_cap ? vm->memo_cap * 2 : 1024;
        /* MEMOIZE is one byte: the memo counts against the document's
         * memory budget like the values it holds */
        mc_arena *arena = &vm->doc->arena;
        if ((uint64_t)cap * sizeof(mc_memo_slot) > arena->budget - arena->total) {
            arena->over_budget = 1;
            return mc_vm_nomem(vm);
        }
        mc_memo_slot *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return mc_vm_nomem(vm);
        for (size_t i = 0; i < vm->memo_cap; i++) {
            if (!vm->memo[i].used)
                continue;
            size_t j = (size_t)(memo_hash(vm->memo[i].key) >> 20) & (cap - 1);
            while (slots[j].used)
                j = (j + 1) & (cap - 1);
            slots[j] = vm->memo[i];
        }
        free(vm->memo);
        vm->memo = slots;
        vm->memo_cap = cap;
    }
    size_t j = (size_t)(memo_hash(key) >> 20) & (vm->memo_cap - 1);
    while (vm->memo[j].used && vm->memo[j].key != key)
        j = (j + 1) & (vm->memo_cap - 1);
    if (!vm->memo[j].used) {
        vm->memo[j].used = 1;
        vm->memo[j].key = key;
        vm->memo_len++;
    }
    vm->memo[j].val = v;
    return MC_OK;
}

static mc_value *memo_get(const mc_vm *vm, uint32_t key)
{
    if (!vm->memo_cap)
        return NULL;
    size_t j = (size_t)(memo_hash(key) >> 20) & (vm->memo_cap - 1);
    while (vm->memo[j].used) {
        if (vm->memo[j].key == key)
            return vm->memo[j].val;
        j = (j + 1) & (vm->memo_cap - 1);
    }
    return NULL;
}

static mc_status do_get(mc_vm *vm, uint64_t key)
{
    mc_value *v = key <= UINT32_MAX ? memo_get(vm, (uint32_t)key) : NULL;
    if (!v)
        return mc_vm_fail(vm, "%s refers to memo entry %llu, which was never stored",
                          op_name(vm->buf[vm->op]), (unsigned long long)key);
    return push(vm, v);
}

static mc_status do_put(mc_vm *vm, uint64_t key)
{
    mc_value *v = NULL;
    mc_status st = top(vm, &v);
    if (st)
        return st;
    if (key > UINT32_MAX)
        return mc_vm_fail(vm, "memo index %llu is larger than any pickler writes",
                          (unsigned long long)key);
    return memo_put(vm, (uint32_t)key, v);
}

/* Memo index of a protocol-0 GET/PUT line. */
static mc_status line_index(mc_vm *vm, uint64_t *key)
{
    const char *s;
    size_t n;
    mc_status st = read_line(vm, &s, &n);
    if (st)
        return st;
    if (n == 0 || n > 10)
        return mc_vm_fail(vm, "%s argument is not a memo index", op_name(vm->buf[vm->op]));
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return mc_vm_fail(vm, "%s argument is not a memo index", op_name(vm->buf[vm->op]));
        k = k * 10 + (uint64_t)(s[i] - '0');
    }
    *key = k;
    return MC_OK;
}

/* ---- scalars and strings --------------------------------------------- */

static mc_status push_int(mc_vm *vm, int64_t i)
{
    mc_value *v = mc_vm_value(vm, MC_INT);
    if (v)
        v->u.i = i;
    return push(vm, v);
}

static mc_status push_bigint(mc_vm *vm, const uint8_t *b, size_t n, int copy)
{
    int64_t small;
    if (mc_long_fits(b, n, &small))
        return push_int(vm, small);
    mc_value *v = mc_vm_value(vm, MC_BIGINT);
    if (!v)
        return mc_vm_nomem(vm);
    if (copy) {
        uint8_t *c = mc_doc_alloc(vm->doc, n);
        if (!c)
            return mc_vm_nomem(vm);
        memcpy(c, b, n);
        b = c;
    }
    v->u.bytes.data = b;
    v->u.bytes.len = n;
    return push(vm, v);
}

/* INT / LONG text: decimal, with 'L' suffix for LONG; I01/I00 are bools. */
static mc_status op_text_int(mc_vm *vm, int is_long)
{
    const char *s;
    size_t n;
    mc_status st = read_line(vm, &s, &n);
    if (st)
        return st;
    if (!is_long && n == 2 && s[0] == '0' && (s[1] == '0' || s[1] == '1')) {
        mc_value *v = mc_vm_value(vm, MC_BOOL);
        if (v)
            v->u.boolean = s[1] == '1';
        return push(vm, v);
    }
    if (is_long && n && s[n - 1] == 'L')
        n--;
    while (n && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n > MC_MAX_INT_DIGITS + 1)
        return mc_vm_fail(vm, "%s argument has more than %d digits", op_name(vm->buf[vm->op]),
                          MC_MAX_INT_DIGITS);
    uint8_t *big = mc_doc_alloc(vm->doc, n / 2 + 2);
    if (!big)
        return mc_vm_nomem(vm);
    int fits;
    int64_t small;
    size_t biglen;
    if (mc_parse_decimal(s, n, &fits, &small, big, &biglen))
        return mc_vm_fail(vm, "%s argument is not a decimal integer", op_name(vm->buf[vm->op]));
    if (fits)
        return push_int(vm, small);
    return push_bigint(vm, big, biglen, 0);
}

static mc_status op_text_float(mc_vm *vm)
{
    const char *s;
    size_t n;
    mc_status st = read_line(vm, &s, &n);
    if (st)
        return st;
    char tmp[128];
    if (n == 0 || n >= sizeof tmp)
        return mc_vm_fail(vm, "FLOAT argument is not a number");
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *end;
    errno = 0;
    double d = strtod(tmp, &end);
    if (end != tmp + n || (errno == ERANGE && fabs(d) < 1))
        return mc_vm_fail(vm, "FLOAT argument '%s' is not a number", tmp);
    mc_value *v = mc_vm_value(vm, MC_FLOAT);
    if (v)
        v->u.f = d;
    return push(vm, v);
}

/* bytes-like payloads point into the stream: zero copy */
static mc_status push_bytes(mc_vm *vm, mc_kind kind, uint64_t n, int py2_str)
{
    mc_status st = need(vm, n, "data");
    if (st)
        return st;
    mc_value *v = mc_vm_value(vm, kind);
    if (!v)
        return mc_vm_nomem(vm);
    v->u.bytes.data = vm->buf + vm->pos;
    v->u.bytes.len = (size_t)n;
    v->u.bytes.py2_str = py2_str;
    vm->pos += (size_t)n;
    if (py2_str)
        vm->doc->saw_py2_strings = 1;
    return push(vm, v);
}

static mc_status push_str(mc_vm *vm, const uint8_t *s, size_t n)
{
    mc_value *v = mc_vm_value(vm, MC_STR);
    if (!v)
        return mc_vm_nomem(vm);
    char *c = mc_doc_strndup(vm->doc, (const char *)s, n);
    if (!c)
        return mc_vm_nomem(vm);
    v->u.str.data = c;
    v->u.str.len = n;
    return push(vm, v);
}

static mc_status op_binunicode(mc_vm *vm, uint64_t n)
{
    mc_status st = need(vm, n, "text");
    if (st)
        return st;
    const uint8_t *s = vm->buf + vm->pos;
    if (mc_utf8_valid(s, (size_t)n))
        return mc_vm_fail(vm, "%s text is not valid UTF-8", op_name(vm->buf[vm->op]));
    vm->pos += (size_t)n;
    return push_str(vm, s, (size_t)n);
}

static mc_status op_string(mc_vm *vm)
{
    const char *s;
    size_t n;
    mc_status st = read_line(vm, &s, &n);
    if (st)
        return st;
    uint8_t *out = mc_doc_alloc(vm->doc, n + 1);
    if (!out)
        return mc_vm_nomem(vm);
    size_t outlen;
    if (mc_string_unescape((const uint8_t *)s, n, out, &outlen))
        return mc_vm_fail(vm, "STRING argument is not a quoted Python string");
    mc_value *v = mc_vm_value(vm, MC_BYTES);
    if (!v)
        return mc_vm_nomem(vm);
    v->u.bytes.data = out;
    v->u.bytes.len = outlen;
    v->u.bytes.py2_str = 1;
    vm->doc->saw_py2_strings = 1;
    return push(vm, v);
}

static mc_status op_unicode(mc_vm *vm)
{
    const char *s;
    size_t n, outlen, cap;
    mc_status st = read_line(vm, &s, &n);
    if (st)
        return st;
    if (mc_mul_size(n, 4, &cap))
        return mc_vm_fail(vm, "UNICODE argument too long");
    uint8_t *out = mc_doc_alloc(vm->doc, cap + 1);
    if (!out)
        return mc_vm_nomem(vm);
    if (mc_raw_unicode_unescape((const uint8_t *)s, n, out, &outlen))
        return mc_vm_fail(vm, "UNICODE argument has a malformed \\u escape");
    out[outlen] = '\0';
    mc_value *v = mc_vm_value(vm, MC_STR);
    if (!v)
        return mc_vm_nomem(vm);
    v->u.str.data = (const char *)out;
    v->u.str.len = outlen;
    return push(vm, v);
}

/* ---- containers -------------------------------------------------------- */

static mc_status make_seq(mc_vm *vm, mc_kind kind, mc_value **items, size_t n)
{
    mc_value *v = mc_vm_value(vm, kind);
    if (!v)
        return mc_vm_nomem(vm);
    if (n) {
        mc_value **copy = mc_doc_alloc(vm->doc, n * sizeof *copy);
        if (!copy)
            return mc_vm_nomem(vm);
        memcpy(copy, items, n * sizeof *copy);
        v->u.seq.items = copy;
        v->u.seq.len = v->u.seq.cap = n;
    }
    return push(vm, v);
}

static mc_status op_tuple_n(mc_vm *vm, size_t n)
{
    if (vm->sp - frame_base(vm) < n)
        return mc_vm_fail(vm, "stack underflow: %s needs %zu values", op_name(vm->buf[vm->op]), n);
    vm->sp -= n;
    return make_seq(vm, MC_TUPLE, vm->stack + vm->sp, n);
}

static mc_status op_from_mark(mc_vm *vm, mc_kind kind)
{
    mc_value **items = NULL;
    size_t n = 0;
    mc_status st = pop_mark(vm, &items, &n);
    if (st)
        return st;
    return make_seq(vm, kind, items, n);
}

static mc_status append_items(mc_vm *vm, mc_value *target, mc_value **items, size_t n)
{
    mc_status st;
    if (target->kind == MC_OBJECT) {
        /* list subclasses: APPENDS goes to the object's list part */
        if (!target->u.object.listitems) {
            target->u.object.listitems = mc_vm_value(vm, MC_LIST);
            if (!target->u.object.listitems)
                return mc_vm_nomem(vm);
        }
        target = target->u.object.listitems;
    }
    if (target->kind != MC_LIST)
        return mc_vm_fail(vm, "%s needs a list to append to, found %s", op_name(vm->buf[vm->op]),
                          mc_kind_name(target->kind));
    for (size_t i = 0; i < n; i++)
        if ((st = mc_seq_append(vm->doc, target, items[i], vm->err)))
            return st;
    return MC_OK;
}

static mc_status set_items(mc_vm *vm, mc_value *target, mc_value **items, size_t n)
{
    mc_status st;
    if (n % 2)
        return mc_vm_fail(vm, "%s has a key without a value", op_name(vm->buf[vm->op]));
    if (target->kind == MC_OBJECT) {
        /* dict subclasses: SETITEMS goes to the object's dict part */
        if (!target->u.object.dictitems) {
            target->u.object.dictitems = mc_vm_value(vm, MC_DICT);
            if (!target->u.object.dictitems)
                return mc_vm_nomem(vm);
        }
        target = target->u.object.dictitems;
    }
    if (target->kind != MC_DICT)
        return mc_vm_fail(vm, "%s needs a dict to set items in, found %s",
                          op_name(vm->buf[vm->op]), mc_kind_name(target->kind));
    for (size_t i = 0; i < n; i += 2)
        if ((st = mc_dict_set(vm->doc, target, items[i], items[i + 1], vm->err)))
            return st;
    return MC_OK;
}

static mc_status op_dict_from_mark(mc_vm *vm)
{
    mc_value **items;
    size_t n;
    mc_status st = pop_mark(vm, &items, &n);
    if (st)
        return st;
    mc_value *d = mc_vm_value(vm, MC_DICT);
    if (!d)
        return mc_vm_nomem(vm);
    if ((st = set_items(vm, d, items, n)))
        return st;
    return push(vm, d);
}

/* ---- globals ----------------------------------------------------------- */

static int is_dotted_name(const char *s, size_t n)
{
    if (n == 0 || n > 256)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.'))
            return 0;
    }
    return s[0] != '.' && s[n - 1] != '.';
}

/* Resolve module.name against the closed table and push it as MC_GLOBAL. */
static mc_status resolve_global(mc_vm *vm, const char *mod, size_t modlen, const char *name,
                                size_t namelen, unsigned use, mc_value **out)
{
    if (!is_dotted_name(mod, modlen) || !is_dotted_name(name, namelen))
        return mc_vm_fail(vm, "%s names '%.*s.%.*s', which is not a Python module and name",
                          op_name(vm->buf[vm->op]), (int)(modlen > 80 ? 80 : modlen), mod,
                          (int)(namelen > 80 ? 80 : namelen), name);
    char m[257], n[257];
    memcpy(m, mod, modlen);
    m[modlen] = '\0';
    memcpy(n, name, namelen);
    n[namelen] = '\0';
    const char *module = m, *qual = n;
    if (vm->proto < 3) {
        const char *m0 = module;
        mc_global_py3_name(&module, &qual);
        if (m0 != module)
            vm->doc->saw_py2_names = 1;
    }
    if (strncmp(module, "numpy.core", 10) == 0)
        vm->doc->saw_numpy_core = 1;
    if (strncmp(module, "numpy._core", 11) == 0)
        vm->doc->saw_numpy_2core = 1;

    mc_global_info info;
    mc_global_classify(module, qual, &info);
    mc_status st = mc_doc_note_global(vm->doc, module, qual, info.verdict, info.reason,
                                      (int64_t)vm->op, use, vm->err);
    if (st)
        return st;
    if (!info.accepted && !vm->doc->opts.scan)
        return mc_vm_fail(vm, "refusing global %s.%s: %s (modelconv never runs code from a file)",
                          module, qual,
                          info.verdict == MC_VERDICT_UNSAFE ? info.reason
                                                            : "not in the table of globals known "
                                                              "to build data only");
    /* a reference alone is fine; calls and instantiations are checked */
    if (info.accepted && use != MC_USE_VALUE && !(info.uses & use) && !vm->doc->opts.scan)
        return mc_vm_fail(vm, "global %s.%s cannot be used by %s", module, qual,
                          op_name(vm->buf[vm->op]));
    mc_value *g = mc_vm_value(vm, MC_GLOBAL);
    if (!g)
        return mc_vm_nomem(vm);
    g->u.global.module = mc_doc_strndup(vm->doc, module, strlen(module));
    g->u.global.name = mc_doc_strndup(vm->doc, qual, strlen(qual));
    g->u.global.verdict = (int)info.verdict;
    if (!g->u.global.module || !g->u.global.name)
        return mc_vm_nomem(vm);
    *out = g;
    return MC_OK;
}

static mc_status op_global(mc_vm *vm, unsigned use, mc_value **out)
{
    const char *mod, *name;
    size_t ml, nl;
    mc_status st = read_line(vm, &mod, &ml);
    if (!st)
        st = read_line(vm, &name, &nl);
    if (st)
        return st;
    return resolve_global(vm, mod, ml, name, nl, use, out);
}

/* The table's verdict on an MC_GLOBAL value, classified once per value and
 * remembered (the table lookup is a few hundred string compares; a file may
 * use one global millions of times).  NULL when out of memory or budget. */
static mc_global_slot *global_info(mc_vm *vm, const mc_value *g)
{
    uint64_t h = ((uint64_t)(uintptr_t)g >> 4) * 0x9e3779b97f4a7c15ull;
    if (vm->gslots_cap) {
        size_t mask = vm->gslots_cap - 1;
        for (size_t j = (size_t)(h >> 20) & mask; vm->gslots[j].g; j = (j + 1) & mask)
            if (vm->gslots[j].g == g)
                return &vm->gslots[j];
    }
    if (2 * (vm->gslots_len + 1) > vm->gslots_cap) {
        size_t cap = vm->gslots_cap ? 2 * vm->gslots_cap : 64;
        mc_arena *arena = &vm->doc->arena;
        if ((uint64_t)cap * sizeof(mc_global_slot) > arena->budget - arena->total) {
            arena->over_budget = 1;
            return NULL;
        }
        mc_global_slot *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return NULL;
        for (size_t i = 0; i < vm->gslots_cap; i++) {
            if (!vm->gslots[i].g)
                continue;
            uint64_t hi = ((uint64_t)(uintptr_t)vm->gslots[i].g >> 4) * 0x9e3779b97f4a7c15ull;
            size_t j = (size_t)(hi >> 20) & (cap - 1);
            while (slots[j].g)
                j = (j + 1) & (cap - 1);
            slots[j] = vm->gslots[i];
        }
        free(vm->gslots);
        vm->gslots = slots;
        vm->gslots_cap = cap;
    }
    size_t mask = vm->gslots_cap - 1, j = (size_t)(h >> 20) & mask;
    while (vm->gslots[j].g)
        j = (j + 1) & mask;
    mc_global_info info;
    mc_global_classify(g->u.global.module, g->u.global.name, &info);
    mc_global_slot *slot = &vm->gslots[j];
    slot->g = g;
    slot->entry = info.entry;
    slot->uses = info.uses;
    slot->noted = 0;
    vm->gslots_len++;
    return slot;
}

/* The table entry of an MC_GLOBAL value (NULL if not in the table). */
static const mc_global_entry *entry_of(mc_vm *vm, const mc_value *g)
{
    if (!g || g->kind != MC_GLOBAL)
        return NULL;
    mc_global_slot *slot = global_info(vm, g);
    return slot ? slot->entry : mc_global_entry_of(g);
}

/* A global used in a way (REDUCE/NEWOBJ/INST) it was pushed without
 * knowing: check the use now.  Scan mode lets anything through. */
mc_status mc_vm_check_use(mc_vm *vm, const mc_value *g, unsigned use)
{
    if (g->kind != MC_GLOBAL)
        return mc_vm_fail(vm, "%s needs a class or function, found %s", op_name(vm->buf[vm->op]),
                          mc_kind_name(g->kind));
    mc_global_slot *slot = global_info(vm, g);
    if (!slot)
        return mc_vm_nomem(vm);
    if (!(slot->noted & use)) {
        mc_doc_note_use(vm->doc, g->u.global.module, g->u.global.name, use);
        slot->noted |= use;
    }
    if (vm->doc->opts.scan)
        return MC_OK;
    if (!(slot->uses & use))
        return mc_vm_fail(vm, "global %s.%s cannot be %s", g->u.global.module, g->u.global.name,
                          use == MC_USE_CALL ? "called (REDUCE)" : "instantiated");
    return MC_OK;
}

/* Scan mode: a value an unsafe or unknown global made (the result of
 * calling it, or of calling such a result).  Python would run the call; a
 * scan keeps going with an object of no known class, to list the rest of
 * the file's globals. */
static int made_by_unsafe(const mc_value *v)
{
    return v->kind == MC_OBJECT && (!v->u.object.cls ||
                                    v->u.object.cls->u.global.verdict != MC_VERDICT_SAFE);
}

/* Scan mode: arguments that hold an unsafe or unknown global, or what one
 * made, so a handler's refusal of them is the file's danger, not damage. */
static int any_unsafe(const mc_value *args)
{
    for (size_t i = 0; i < args->u.seq.len; i++) {
        const mc_value *a = args->u.seq.items[i];
        if ((a->kind == MC_GLOBAL && a->u.global.verdict != MC_VERDICT_SAFE) || made_by_unsafe(a))
            return 1;
    }
    return 0;
}

/* Scan mode: what calling such a value gives: an object of no class. */
static mc_value *opaque_result(mc_vm *vm, mc_value *args)
{
    mc_value *o = mc_vm_value(vm, MC_OBJECT);
    if (o) {
        o->u.object.args = args->kind == MC_TUPLE ? args : NULL;
        o->u.object.ctor = MC_CTOR_REDUCE;
    }
    return o;
}

static mc_value *new_object(mc_vm *vm, mc_value *cls, mc_value *args, mc_ctor ctor)
{
    mc_value *o = mc_vm_value(vm, MC_OBJECT);
    if (o) {
        o->u.object.cls = cls;
        o->u.object.args = args;
        o->u.object.ctor = ctor;
    }
    return o;
}

static mc_status op_reduce(mc_vm *vm)
{
    mc_value *args, *callable, *out = NULL;
    mc_status st = pop(vm, &args);
    if (!st)
        st = pop(vm, &callable);
    if (st)
        return st;
    if (vm->doc->opts.scan && made_by_unsafe(callable))
        return push(vm, opaque_result(vm, args)); /* e.g. getattr(...)(...) */
    if ((st = mc_vm_check_use(vm, callable, MC_USE_CALL)))
        return st;
    if (args->kind != MC_TUPLE)
        return mc_vm_fail(vm, "REDUCE arguments must be a tuple, found %s", mc_kind_name(args->kind));
    const mc_global_entry *e = entry_of(vm, callable);
    if (e && e->call && callable->u.global.verdict == MC_VERDICT_SAFE) {
        st = e->call(vm, callable, args, &out);
        /* a scan lists globals: arguments a handler refuses (e.g. an unsafe
         * base given to copyreg._reconstructor) only make the result opaque */
        if (st == MC_E_INPUT && vm->doc->opts.scan && any_unsafe(args))
            st = mc_py_generic_call(vm, callable, args, &out);
    } else {
        st = mc_py_generic_call(vm, callable, args, &out);
    }
    if (st)
        return st;
    return push(vm, out);
}

static mc_status op_newobj(mc_vm *vm, int ex)
{
    mc_value *kwargs = NULL, *args, *cls;
    mc_status st = MC_OK;
    if (ex)
        st = pop(vm, &kwargs);
    if (!st)
        st = pop(vm, &args);
    if (!st)
        st = pop(vm, &cls);
    if (st)
        return st;
    if (vm->doc->opts.scan && made_by_unsafe(cls))
        return push(vm, opaque_result(vm, args));
    if ((st = mc_vm_check_use(vm, cls, MC_USE_NEWOBJ)))
        return st;
    if (args->kind != MC_TUPLE)
        return mc_vm_fail(vm, "%s arguments must be a tuple, found %s", op_name(vm->buf[vm->op]),
                          mc_kind_name(args->kind));
    if (kwargs && kwargs->kind != MC_DICT)
        return mc_vm_fail(vm, "NEWOBJ_EX keyword arguments must be a dict, found %s",
                          mc_kind_name(kwargs->kind));
    mc_value *o = new_object(vm, cls, args, ex ? MC_CTOR_NEWOBJ_EX : MC_CTOR_NEWOBJ);
    if (!o)
        return mc_vm_nomem(vm);
    o->u.object.kwargs = kwargs;
    return push(vm, o);
}

/* INST (class named inline) and OBJ (class first after the MARK). */
static mc_status op_inst(mc_vm *vm, int inline_class)
{
    mc_value *cls = NULL, **items;
    size_t n;
    mc_status st;
    if (inline_class && (st = op_global(vm, MC_USE_INST, &cls)))
        return st;
    if ((st = pop_mark(vm, &items, &n)))
        return st;
    if (!inline_class) {
        if (n == 0)
            return mc_vm_fail(vm, "OBJ needs a class after its MARK");
        cls = items[0];
        items++;
        n--;
        if ((st = mc_vm_check_use(vm, cls, MC_USE_INST)))
            return st;
    }
    /* the argument tuple is built from the popped items */
    mc_value *args = mc_vm_value(vm, MC_TUPLE);
    if (!args)
        return mc_vm_nomem(vm);
    if (n) {
        mc_value **copy = mc_doc_alloc(vm->doc, n * sizeof *copy);
        if (!copy)
            return mc_vm_nomem(vm);
        memcpy(copy, items, n * sizeof *copy);
        args->u.seq.items = copy;
        args->u.seq.len = args->u.seq.cap = n;
    }
    mc_value *o = new_object(vm, cls, args, MC_CTOR_INST);
    return push(vm, o);
}

static mc_status op_build(mc_vm *vm)
{
    mc_value *state, *target, *replace = NULL;
    mc_status st = pop(vm, &state);
    if (!st)
        st = top(vm, &target);
    if (st)
        return st;
    switch (target->kind) {
    case MC_NDARRAY:
        return mc_np_array_setstate(vm, target, state);
    case MC_DTYPE:
        return mc_np_dtype_setstate(vm, target, state);
    case MC_OBJECT: {
        const mc_value *cls = target->u.object.cls; /* NULL: scan's opaque results */
        const mc_global_entry *e = cls ? entry_of(vm, cls) : NULL;
        if (e && e->build && cls->u.global.verdict == MC_VERDICT_SAFE) {
            if ((st = e->build(vm, target, state, &replace)))
                return st;
            if (replace)
                vm->stack[vm->sp - 1] = replace;
            return MC_OK;
        }
        mc_value *old = target->u.object.state;
        if (old && old->kind == MC_DICT && state->kind == MC_DICT) {
            /* a second BUILD updates the dict, as __dict__.update does */
            for (size_t i = 0; i < state->u.dict.len; i++)
                if ((st = mc_dict_set(vm->doc, old, state->u.dict.keys[i],
                                      state->u.dict.vals[i], vm->err)))
                    return st;
            return MC_OK;
        }
        target->u.object.state = state;
        return MC_OK;
    }
    default:
        return mc_vm_fail(vm, "BUILD cannot set the state of a %s", mc_kind_name(target->kind));
    }
}

/* ---- the loop -------------------------------------------------------- */

static mc_status step(mc_vm *vm, int op, int *stop)
{
    mc_status st;
    const uint8_t *p;
    mc_value *v, *w, **items = NULL;
    size_t n = 0;
    switch (op) {
    case OP_PROTO:
        if ((st = need(vm, 1, "protocol")))
            return st;
        if (vm->buf[vm->pos] > 5)
            return mc_vm_fail(vm, "unsupported pickle protocol %u (this reads 0 to 5)",
                              vm->buf[vm->pos]);
        vm->proto = vm->buf[vm->pos++];
        return MC_OK;
    case OP_FRAME: {
        if ((st = need(vm, 8, "frame length")))
            return st;
        uint64_t flen = mc_load_u64le(vm->buf + vm->pos);
        vm->pos += 8;
        /* frames are a reading hint; a sequential reader only checks them */
        if (flen > vm->len - vm->pos)
            return mc_vm_fail(vm, "FRAME of %llu bytes runs past the end of the data (%zu remain)",
                              (unsigned long long)flen, vm->len - vm->pos);
        return MC_OK;
    }
    case OP_STOP:
        *stop = 1;
        return MC_OK;

    case OP_NONE:
        return push(vm, mc_vm_value(vm, MC_NONE));
    case OP_NEWTRUE:
    case OP_NEWFALSE:
        v = mc_vm_value(vm, MC_BOOL);
        if (v)
            v->u.boolean = op == OP_NEWTRUE;
        return push(vm, v);
    case OP_INT:
        return op_text_int(vm, 0);
    case OP_LONG:
        return op_text_int(vm, 1);
    case OP_BININT:
        if ((st = need(vm, 4, "integer")))
            return st;
        {
            uint32_t u = mc_load_u32le(vm->buf + vm->pos);
            int32_t i;
            memcpy(&i, &u, 4);
            vm->pos += 4;
            return push_int(vm, i);
        }
    case OP_BININT1:
        if ((st = need(vm, 1, "integer")))
            return st;
        return push_int(vm, vm->buf[vm->pos++]);
    case OP_BININT2:
        if ((st = need(vm, 2, "integer")))
            return st;
        vm->pos += 2;
        return push_int(vm, mc_load_u16le(vm->buf + vm->pos - 2));
    case OP_LONG1:
    case OP_LONG4: {
        uint64_t len;
        if (op == OP_LONG1) {
            if ((st = need(vm, 1, "length")))
                return st;
            len = vm->buf[vm->pos++];
        } else {
            if ((st = need(vm, 4, "length")))
                return st;
            uint32_t u = mc_load_u32le(vm->buf + vm->pos);
            vm->pos += 4;
            if (u & 0x80000000u)
                return mc_vm_fail(vm, "LONG4 has a negative byte count");
            len = u;
        }
        if ((st = need(vm, len, "integer")))
            return st;
        p = vm->buf + vm->pos;
        vm->pos += (size_t)len;
        return push_bigint(vm, p, (size_t)len, 0);
    }
    case OP_FLOAT:
        return op_text_float(vm);
    case OP_BINFLOAT:
        if ((st = need(vm, 8, "float")))
            return st;
        v = mc_vm_value(vm, MC_FLOAT);
        if (v)
            v->u.f = mc_load_f64be(vm->buf + vm->pos); /* big-endian IEEE 754 */
        vm->pos += 8;
        return push(vm, v);

    case OP_STRING:
        return op_string(vm);
    case OP_BINSTRING:
        if ((st = need(vm, 4, "length")))
            return st;
        {
            uint32_t u = mc_load_u32le(vm->buf + vm->pos);
            vm->pos += 4;
            if (u & 0x80000000u)
                return mc_vm_fail(vm, "BINSTRING has a negative length");
            return push_bytes(vm, MC_BYTES, u, 1);
        }
    case OP_SHORT_BINSTRING:
        if ((st = need(vm, 1, "length")))
            return st;
        return push_bytes(vm, MC_BYTES, vm->buf[vm->pos++], 1);
    case OP_BINBYTES:
        if ((st = need(vm, 4, "length")))
            return st;
        vm->pos += 4;
        return push_bytes(vm, MC_BYTES, mc_load_u32le(vm->buf + vm->pos - 4), 0);
    case OP_SHORT_BINBYTES:
        if ((st = need(vm, 1, "length")))
            return st;
        return push_bytes(vm, MC_BYTES, vm->buf[vm->pos++], 0);
    case OP_BINBYTES8:
    case OP_BYTEARRAY8:
        if ((st = need(vm, 8, "length")))
            return st;
        vm->pos += 8;
        return push_bytes(vm, op == OP_BINBYTES8 ? MC_BYTES : MC_BYTEARRAY,
                          mc_load_u64le(vm->buf + vm->pos - 8), 0);
    case OP_UNICODE:
        return op_unicode(vm);
    case OP_BINUNICODE:
        if ((st = need(vm, 4, "length")))
            return st;
        vm->pos += 4;
        return op_binunicode(vm, mc_load_u32le(vm->buf + vm->pos - 4));
    case OP_SHORT_BINUNICODE:
        if ((st = need(vm, 1, "length")))
            return st;
        return op_binunicode(vm, vm->buf[vm->pos++]);
    case OP_BINUNICODE8:
        if ((st = need(vm, 8, "length")))
            return st;
        vm->pos += 8;
        return op_binunicode(vm, mc_load_u64le(vm->buf + vm->pos - 8));
    case OP_READONLY_BUFFER:
        if ((st = top(vm, &v)))
            return st;
        if (v->kind != MC_BYTES && v->kind != MC_BYTEARRAY)
            return mc_vm_fail(vm, "READONLY_BUFFER needs a buffer, found %s", mc_kind_name(v->kind));
        return MC_OK;
    case OP_NEXT_BUFFER:
        return mc_vm_fail(vm, "NEXT_BUFFER refers to an out-of-band buffer that is not in the file");

    case OP_EMPTY_TUPLE:
        return make_seq(vm, MC_TUPLE, NULL, 0);
    case OP_TUPLE1:
        return op_tuple_n(vm, 1);
    case OP_TUPLE2:
        return op_tuple_n(vm, 2);
    case OP_TUPLE3:
        return op_tuple_n(vm, 3);
    case OP_TUPLE:
        return op_from_mark(vm, MC_TUPLE);
    case OP_EMPTY_LIST:
        return push(vm, mc_vm_value(vm, MC_LIST));
    case OP_LIST:
        return op_from_mark(vm, MC_LIST);
    case OP_EMPTY_DICT:
        return push(vm, mc_vm_value(vm, MC_DICT));
    case OP_DICT:
        return op_dict_from_mark(vm);
    case OP_EMPTY_SET:
        return push(vm, mc_vm_value(vm, MC_SET));
    case OP_FROZENSET:
        return op_from_mark(vm, MC_FROZENSET);
    case OP_APPEND:
        if ((st = pop(vm, &v)) || (st = top(vm, &w)))
            return st;
        return append_items(vm, w, &v, 1);
    case OP_APPENDS:
        if ((st = pop_mark(vm, &items, &n)) || (st = top(vm, &w)))
            return st;
        return append_items(vm, w, items, n);
    case OP_SETITEM: {
        mc_value *kv[2];
        if ((st = pop(vm, &kv[1])) || (st = pop(vm, &kv[0])) || (st = top(vm, &w)))
            return st;
        return set_items(vm, w, kv, 2);
    }
    case OP_SETITEMS:
        if ((st = pop_mark(vm, &items, &n)) || (st = top(vm, &w)))
            return st;
        return set_items(vm, w, items, n);
    case OP_ADDITEMS:
        if ((st = pop_mark(vm, &items, &n)) || (st = top(vm, &w)))
            return st;
        if (w->kind != MC_SET)
            return mc_vm_fail(vm, "ADDITEMS needs a set, found %s", mc_kind_name(w->kind));
        for (size_t i = 0; i < n; i++)
            if ((st = mc_seq_append(vm->doc, w, items[i], vm->err)))
                return st;
        return MC_OK;

    case OP_MARK:
        return push_mark(vm);
    case OP_POP:
        if (vm->sp > frame_base(vm)) {
            vm->sp--;
            return MC_OK;
        }
        /* Python pops the MARK when the stack above it is empty */
        if (vm->nmarks == 0)
            return mc_vm_fail(vm, "stack underflow: POP with an empty stack");
        return pop_mark(vm, &items, &n);
    case OP_POP_MARK:
        return pop_mark(vm, &items, &n);
    case OP_DUP:
        if ((st = top(vm, &v)))
            return st;
        return push(vm, v);

    case OP_GET: {
        uint64_t key;
        if ((st = line_index(vm, &key)))
            return st;
        return do_get(vm, key);
    }
    case OP_BINGET:
        if ((st = need(vm, 1, "memo index")))
            return st;
        return do_get(vm, vm->buf[vm->pos++]);
    case OP_LONG_BINGET:
        if ((st = need(vm, 4, "memo index")))
            return st;
        vm->pos += 4;
        return do_get(vm, mc_load_u32le(vm->buf + vm->pos - 4));
    case OP_PUT: {
        uint64_t key;
        if ((st = line_index(vm, &key)))
            return st;
        return do_put(vm, key);
    }
    case OP_BINPUT:
        if ((st = need(vm, 1, "memo index")))
            return st;
        return do_put(vm, vm->buf[vm->pos++]);
    case OP_LONG_BINPUT:
        if ((st = need(vm, 4, "memo index")))
            return st;
        vm->pos += 4;
        return do_put(vm, mc_load_u32le(vm->buf + vm->pos - 4));
    case OP_MEMOIZE:
        return do_put(vm, vm->memo_len);

    case OP_GLOBAL:
        if ((st = op_global(vm, MC_USE_VALUE, &v)))
            return st;
        return push(vm, v);
    case OP_STACK_GLOBAL: {
        mc_value *name, *mod;
        if ((st = pop(vm, &name)) || (st = pop(vm, &mod)))
            return st;
        if (name->kind != MC_STR || mod->kind != MC_STR)
            return mc_vm_fail(vm, "STACK_GLOBAL needs two strings, found %s and %s",
                              mc_kind_name(mod->kind), mc_kind_name(name->kind));
        if ((st = resolve_global(vm, mod->u.str.data, mod->u.str.len, name->u.str.data,
                                 name->u.str.len, MC_USE_VALUE, &v)))
            return st;
        return push(vm, v);
    }
    case OP_REDUCE:
        return op_reduce(vm);
    case OP_NEWOBJ:
        return op_newobj(vm, 0);
    case OP_NEWOBJ_EX:
        return op_newobj(vm, 1);
    case OP_INST:
        return op_inst(vm, 1);
    case OP_OBJ:
        return op_inst(vm, 0);
    case OP_BUILD:
        return op_build(vm);

    case OP_PERSID:
    case OP_BINPERSID:
        return mc_vm_fail(vm, "%s (a persistent ID) refers to an object outside the file; "
                              "not supported", op_name(op));
    case OP_EXT1:
    case OP_EXT2:
    case OP_EXT4:
        return mc_vm_fail(vm, "%s refers to the copyreg extension registry; not supported",
                          op_name(op));
    }
    return mc_vm_fail(vm, "unknown pickle opcode 0x%02x", (unsigned)op);
}

mc_status mc_pickle_run(mc_document *doc, const uint8_t *buf, size_t len, size_t start,
                        unsigned nest, int offsets_decompressed, mc_value **result,
                        size_t *end, mc_error *err)
{
    mc_vm vm;
    memset(&vm, 0, sizeof vm);
    vm.doc = doc;
    vm.buf = buf;
    vm.len = len;
    vm.pos = start;
    vm.op = start;
    vm.nest = nest;
    vm.offsets_decompressed = offsets_decompressed;
    vm.err = err;

    mc_status st = MC_OK;
    int stop = 0;
    while (!st && !stop) {
        if (vm.pos >= vm.len) {
            vm.op = vm.len;
            st = mc_vm_fail(&vm, "truncated: the pickle ends without a STOP opcode");
            break;
        }
        vm.op = vm.pos;
        int op = vm.buf[vm.pos++];
        /* without PROTO, binary opcodes tell protocol 1 from 0 */
        if (!vm.binary && (op == 0 || !strchr("(.02FILNPRSVabcdgilpst", op)))
            vm.binary = 1;
        st = step(&vm, op, &stop);
    }
    if (!st) {
        mc_value *v;
        st = pop(&vm, &v);
        if (!st) {
            *result = v;
            *end = vm.pos;
            int proto = vm.proto ? vm.proto : vm.binary ? 1 : 0;
            if (nest == 0)
                doc->prov.protocol = proto;
            else if (proto > doc->max_nested_protocol)
                doc->max_nested_protocol = proto;
        }
    }
    free(vm.stack);
    free(vm.marks);
    free(vm.memo);
    free(vm.gslots);
    return st;
}
