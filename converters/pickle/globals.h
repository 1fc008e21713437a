/* The closed table of globals a pickle may name (private).
 *
 * Each allowed (module, name) maps to fixed handlers: what REDUCE does when
 * it is called, and what BUILD does on what it made.  Nothing is looked up
 * dynamically and nothing is imported.  scikit-learn classes come from the
 * generated sklearn_globals.inc; they are kept as symbolic objects. */
#ifndef MC_PICKLE_GLOBALS_H
#define MC_PICKLE_GLOBALS_H

#include "modelconv/scan.h"
#include "pickle/vm.h"

/* REDUCE: callable(*args) -> *out. */
typedef mc_status (*mc_call_fn)(mc_vm *vm, mc_value *callable, mc_value *args, mc_value **out);
/* BUILD: apply state to target; may set *replace to substitute the value on
 * the stack (joblib wrappers become the arrays they describe). */
typedef mc_status (*mc_build_fn)(mc_vm *vm, mc_value *target, mc_value *state,
                                 mc_value **replace);

typedef struct mc_global_entry {
    const char *module;
    const char *name;
    unsigned uses;         /* MC_USE_* the entry allows                   */
    mc_call_fn call;       /* NULL: a call makes a symbolic object        */
    mc_build_fn build;     /* NULL: BUILD attaches the state              */
} mc_global_entry;

typedef struct mc_global_info {
    const mc_global_entry *entry;  /* NULL when not in the table          */
    mc_verdict verdict;
    const char *reason;            /* for unsafe and unknown              */
    int accepted;                  /* readable outside scan mode          */
    unsigned uses;                 /* MC_USE_* allowed                    */
} mc_global_info;

/* Classify module.name (already mapped to Python 3 names). */
void mc_global_classify(const char *module, const char *name, mc_global_info *out);

/* Python 2 names as protocol < 3 pickles write them (Lib/_compat_pickle.py):
 * maps *module / *name in place to their Python 3 spelling. */
void mc_global_py3_name(const char **module, const char **name);

/* The entry for an MC_GLOBAL value (NULL if not in the table). */
const mc_global_entry *mc_global_entry_of(const mc_value *global);

#endif
