/* Handlers for builtins and standard-library globals that only build data.
 * The argument shapes are what CPython's objects reduce to (Lib/copyreg.py,
 * Objects/setobject.c, Objects/bytearrayobject.c, Lib/pickle.py save_bytes). */
#include <string.h>

#include "pickle/handlers.h"
#include "pickle/text.h"

static mc_value *arg(const mc_value *args, size_t i)
{
    return i < args->u.seq.len ? args->u.seq.items[i] : NULL;
}

static mc_status bad_args(mc_vm *vm, const mc_value *callable, const char *expected)
{
    return mc_vm_fail(vm, "%s.%s called with arguments other than %s", callable->u.global.module,
                      callable->u.global.name, expected);
}

/* set(list) / frozenset(list); protocols < 4 pickle sets this way. */
mc_status mc_py_set(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out)
{
    int frozen = strcmp(callable->u.global.name, "frozenset") == 0;
    mc_value *items = arg(args, 0);
    if (args->u.seq.len > 1 ||
        (items && items->kind != MC_LIST && items->kind != MC_TUPLE && items->kind != MC_SET &&
         items->kind != MC_FROZENSET))
        return bad_args(vm, callable, "one list");
    mc_value *s = mc_vm_value(vm, frozen ? MC_FROZENSET : MC_SET);
    if (!s)
        return mc_vm_nomem(vm);
    if (items) {
        /* shares the list's array: cap == len, so a later ADDITEMS grows
         * the set into new storage and never writes into the list's */
        s->u.seq.items = items->u.seq.items;
        s->u.seq.len = s->u.seq.cap = items->u.seq.len;
    }
    *out = s;
    return MC_OK;
}

mc_status mc_py_complex(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out)
{
    double part[2] = {0, 0};
    if (args->u.seq.len > 2)
        return bad_args(vm, callable, "(real, imag)");
    for (size_t i = 0; i < args->u.seq.len; i++)
        if (mc_value_to_double(args->u.seq.items[i], &part[i]))
            return bad_args(vm, callable, "(real, imag)");
    mc_value *c = mc_vm_value(vm, MC_COMPLEX);
    if (!c)
        return mc_vm_nomem(vm);
    c->u.complex.re = part[0];
    c->u.complex.im = part[1];
    *out = c;
    return MC_OK;
}

/* Bytes from (bytes,) or, as protocol 2 writes them, (latin-1 text, enc). */
static mc_status bytes_from(mc_vm *vm, mc_value *callable, mc_value *args, mc_kind kind,
                            mc_value **out)
{
    mc_value *a0 = arg(args, 0), *a1 = arg(args, 1);
    mc_value *b = mc_vm_value(vm, kind);
    if (!b)
        return mc_vm_nomem(vm);
    if (!a0 && !a1) {
        b->u.bytes.data = (const uint8_t *)"";
    } else if (a0 && !a1 && (a0->kind == MC_BYTES || a0->kind == MC_BYTEARRAY)) {
        b->u.bytes = a0->u.bytes;
        b->u.bytes.py2_str = 0;
    } else if (a0 && a1 && a0->kind == MC_STR &&
               (mc_value_is_str(a1, "latin1") || mc_value_is_str(a1, "latin-1"))) {
        uint8_t *data = mc_doc_alloc(vm->doc, a0->u.str.len + 1);
        size_t len;
        if (!data)
            return mc_vm_nomem(vm);
        if (mc_utf8_to_latin1((const uint8_t *)a0->u.str.data, a0->u.str.len, data, &len))
            return mc_vm_fail(vm, "%s.%s: text has characters beyond latin-1",
                              callable->u.global.module, callable->u.global.name);
        b->u.bytes.data = data;
        b->u.bytes.len = len;
    } else {
        return bad_args(vm, callable, "(bytes) or (text, 'latin1')");
    }
    *out = b;
    return MC_OK;
}

mc_status mc_py_bytearray(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out)
{
    return bytes_from(vm, callable, args, MC_BYTEARRAY, out);
}

mc_status mc_py_bytes(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out)
{
    return bytes_from(vm, callable, args, MC_BYTES, out);
}

/* Protocol 2 writes bytes as _codecs.encode(text, 'latin1'). */
mc_status mc_py_codecs_encode(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out)
{
    if (args->u.seq.len != 2)
        return bad_args(vm, callable, "(text, 'latin1')");
    mc_value *a1 = arg(args, 1);
    if (mc_value_is_str(a1, "utf-8") || mc_value_is_str(a1, "utf8")) {
        mc_value *a0 = arg(args, 0);
        if (a0->kind != MC_STR)
            return bad_args(vm, callable, "(text, encoding)");
        mc_value *b = mc_vm_value(vm, MC_BYTES);
        if (!b)
            return mc_vm_nomem(vm);
        b->u.bytes.data = (const uint8_t *)a0->u.str.data;
        b->u.bytes.len = a0->u.str.len;
        *out = b;
        return MC_OK;
    }
    return bytes_from(vm, callable, args, MC_BYTES, out);
}

/* copyreg._reconstructor(cls, base, state): protocols 0 and 1 rebuild
 * instances this way; base is object, or the builtin type subclassed. */
mc_status mc_py_reconstructor(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out)
{
    mc_value *cls = arg(args, 0), *base = arg(args, 1);
    if (args->u.seq.len != 3 || !cls || !base || base->kind != MC_GLOBAL ||
        strcmp(base->u.global.module, "builtins") != 0)
        return bad_args(vm, callable, "(class, builtin base, state)");
    mc_status st = mc_vm_check_use(vm, cls, MC_USE_NEWOBJ);
    if (st)
        return st;
    static const char *const bases[] = {"object", "dict", "list", "tuple", "int",
                                        "float", "str", "set", "frozenset"};
    int ok = 0;
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
        ok |= strcmp(base->u.global.name, bases[i]) == 0;
    if (!ok)
        return bad_args(vm, callable, "a plain builtin base type");
    mc_value *o = mc_vm_value(vm, MC_OBJECT);
    if (!o)
        return mc_vm_nomem(vm);
    o->u.object.cls = cls;
    o->u.object.via = callable;
    o->u.object.args = args;
    o->u.object.ctor = MC_CTOR_RECONSTRUCTOR;
    *out = o;
    return MC_OK;
}

/* copyreg.__newobj__(cls, *args) and __newobj_ex__(cls, args, kwargs) */
static mc_status newobj(mc_vm *vm, mc_value *callable, mc_value *args, int ex, mc_value **out)
{
    mc_value *cls = arg(args, 0);
    if (!cls || (ex && args->u.seq.len != 3))
        return bad_args(vm, callable, ex ? "(class, args, kwargs)" : "(class, *args)");
    mc_status st = mc_vm_check_use(vm, cls, MC_USE_NEWOBJ);
    if (st)
        return st;
    mc_value *o = mc_vm_value(vm, MC_OBJECT);
    mc_value *rest = ex ? arg(args, 1) : mc_vm_value(vm, MC_TUPLE);
    if (!o || !rest)
        return mc_vm_nomem(vm);
    if (ex) {
        mc_value *kw = arg(args, 2);
        if (rest->kind != MC_TUPLE || kw->kind != MC_DICT)
            return bad_args(vm, callable, "(class, tuple, dict)");
        o->u.object.kwargs = kw;
    } else {
        rest->u.seq.items = args->u.seq.items + 1;
        rest->u.seq.len = rest->u.seq.cap = args->u.seq.len - 1;
    }
    o->u.object.cls = cls;
    o->u.object.via = callable;
    o->u.object.args = rest;
    o->u.object.ctor = ex ? MC_CTOR_NEWOBJ_EX : MC_CTOR_NEWOBJ;
    *out = o;
    return MC_OK;
}

mc_status mc_py_newobj(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out)
{
    return newobj(vm, callable, args, 0, out);
}

mc_status mc_py_newobj_ex(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out)
{
    return newobj(vm, callable, args, 1, out);
}

/* OrderedDict() + SETITEMS (Python 3), OrderedDict([[k, v], ...]) (Python 2),
 * Counter({...}), defaultdict(factory): a dict that remembers its class. */
mc_status mc_py_dict_class(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out)
{
    mc_value *d = mc_vm_value(vm, MC_DICT);
    if (!d)
        return mc_vm_nomem(vm);
    d->u.dict.cls = callable;
    mc_value *a0 = arg(args, 0);
    mc_status st;
    if (strcmp(callable->u.global.name, "defaultdict") == 0) {
        /* the factory (a builtin type) is not kept: items are what matter */
        if (args->u.seq.len > 1 || (a0 && a0->kind != MC_GLOBAL && a0->kind != MC_NONE))
            return bad_args(vm, callable, "(factory)");
    } else if (a0 && a0->kind == MC_DICT) {
        for (size_t i = 0; i < a0->u.dict.len; i++)
            if ((st = mc_dict_set(vm->doc, d, a0->u.dict.keys[i], a0->u.dict.vals[i], vm->err)))
                return st;
    } else if (a0 && (a0->kind == MC_LIST || a0->kind == MC_TUPLE)) {
        for (size_t i = 0; i < a0->u.seq.len; i++) {
            const mc_value *pair = a0->u.seq.items[i];
            if ((pair->kind != MC_LIST && pair->kind != MC_TUPLE) || pair->u.seq.len != 2)
                return bad_args(vm, callable, "a list of (key, value) pairs");
            if ((st = mc_dict_set(vm->doc, d, pair->u.seq.items[0], pair->u.seq.items[1],
                                  vm->err)))
                return st;
        }
    } else if (a0 || args->u.seq.len > 1) {
        return bad_args(vm, callable, "() or (items)");
    }
    *out = d;
    return MC_OK;
}

mc_status mc_py_generic_call(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out)
{
    mc_value *o = mc_vm_value(vm, MC_OBJECT);
    if (!o)
        return mc_vm_nomem(vm);
    o->u.object.cls = callable;
    o->u.object.args = args;
    o->u.object.ctor = MC_CTOR_REDUCE;
    /* Cython's auto-pickle: __pyx_unpickle_X(X, checksum, state) rebuilds an
     * X whose cdef fields are `state` (sklearn._loss._loss Cy* losses). */
    mc_value *cls = arg(args, 0);
    if (strncmp(callable->u.global.name, "__pyx_unpickle_", 15) == 0 && args->u.seq.len == 3 &&
        cls->kind == MC_GLOBAL) {
        o->u.object.cls = cls;
        o->u.object.via = callable;
        o->u.object.state = arg(args, 2);
        o->u.object.ctor = MC_CTOR_PYX_UNPICKLE;
    }
    *out = o;
    return MC_OK;
}
