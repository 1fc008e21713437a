/* Handlers the globals table binds to (private).  Each lives with the format
 * facts it needs: numpy_*.c, builtins.c, ../joblib/wrapper.c, legacy.c. */
#ifndef MC_PICKLE_HANDLERS_H
#define MC_PICKLE_HANDLERS_H

#include "pickle/globals.h"

/* numpy (numpy_array.c, numpy_dtype.c) */
mc_status mc_np_reconstruct(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out);
mc_status mc_np_frombuffer(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out);
mc_status mc_np_scalar(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out);
mc_status mc_np_dtype(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out);
/* BUILD on an ndarray made by _reconstruct / on a dtype (by kind, not class) */
mc_status mc_np_array_setstate(mc_vm *vm, mc_value *arr, mc_value *state);
mc_status mc_np_dtype_setstate(mc_vm *vm, mc_value *dt, mc_value *state);

/* builtins and the standard library (builtins.c) */
mc_status mc_py_set(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out);
mc_status mc_py_complex(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out);
mc_status mc_py_bytearray(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out);
mc_status mc_py_bytes(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out);
mc_status mc_py_codecs_encode(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out);
mc_status mc_py_reconstructor(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out);
mc_status mc_py_newobj(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out);
mc_status mc_py_newobj_ex(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out);
mc_status mc_py_dict_class(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out);
/* A symbolic call: object{cls = callable, args}; Cython's __pyx_unpickle_X
 * (cls, checksum, state) becomes an object of cls with that state. */
mc_status mc_py_generic_call(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out);

/* joblib (../joblib/wrapper.c, ../joblib/legacy.c) */
mc_status mc_joblib_wrapper_build(mc_vm *vm, mc_value *obj, mc_value *state, mc_value **replace);
mc_status mc_joblib_legacy_build(mc_vm *vm, mc_value *obj, mc_value *state, mc_value **replace);

#endif
