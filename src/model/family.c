/* The registry of families: generated/families.inc lists every
 * converters/sklearn/<family>.c. */
#include "model/family.h"

#include <string.h>

#define MC_FAMILY(name) extern const mc_family mc_family_##name;
#include "families.inc"
#undef MC_FAMILY

static const mc_family *const families[] = {
#define MC_FAMILY(name) &mc_family_##name,
#include "families.inc"
#undef MC_FAMILY
};

size_t mc_family_count(void)
{
    return sizeof families / sizeof families[0];
}

const mc_family *mc_family_at(size_t i)
{
    return i < mc_family_count() ? families[i] : NULL;
}

const mc_family *mc_family_by_name(const char *name)
{
    for (size_t i = 0; i < mc_family_count(); i++)
        if (strcmp(families[i]->name, name) == 0)
            return families[i];
    return NULL;
}

const mc_family *mc_family_for_class(const char *class_path)
{
    const char *dot = strrchr(class_path, '.');
    const char *name = dot ? dot + 1 : class_path;
    if (strncmp(class_path, "sklearn.", 8) == 0) {
        for (size_t i = 0; i < mc_family_count(); i++)
            for (const char *const *c = families[i]->classes; c && *c; c++)
                if (strcmp(*c, name) == 0)
                    return families[i];
    }
    return mc_family_by_name("opaque");
}

const mc_tensor_spec *mc_family_spec(const mc_family *f, const char *tensor)
{
    for (size_t i = 0; i < f->nspecs; i++)
        if (strcmp(f->specs[i].name, tensor) == 0)
            return &f->specs[i];
    return NULL;
}
