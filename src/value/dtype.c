/* numpy dtype helpers (include/modelconv/dtype.h). */
#include "modelconv/dtype.h"

#include <stdio.h>

#include "core/bytes.h"

char *mc_dtype_str(const mc_dtype *dt, char *buf, unsigned bufsize)
{
    unsigned size = dt->itemsize;
    if (dt->kind == 'U')
        size /= 4; /* numpy counts UCS-4 characters */
    if ((dt->kind == 'M' || dt->kind == 'm') && dt->datetime_unit[0]) {
        if (dt->datetime_count > 1)
            snprintf(buf, bufsize, "%c%c%u[%d%s]", dt->byteorder, dt->kind, size,
                     dt->datetime_count, dt->datetime_unit);
        else
            snprintf(buf, bufsize, "%c%c%u[%s]", dt->byteorder, dt->kind, size,
                     dt->datetime_unit);
        return buf;
    }
    if (dt->kind == 'O') /* numpy prints no size for objects */
        snprintf(buf, bufsize, "|O");
    else
        snprintf(buf, bufsize, "%c%c%u", dt->byteorder, dt->kind, size);
    return buf;
}

int mc_dtype_needs_swap(const mc_dtype *dt)
{
    if (dt->itemsize <= 1 || dt->byteorder == '|')
        return 0;
    return (dt->byteorder == '<') != mc_host_is_le();
}

int mc_dtype_is_plain_number(const mc_dtype *dt)
{
    if (dt->nfields || dt->subarray_base)
        return 0;
    switch (dt->kind) {
    case 'b': return dt->itemsize == 1;
    case 'i':
    case 'u':
        return dt->itemsize == 1 || dt->itemsize == 2 || dt->itemsize == 4 || dt->itemsize == 8;
    case 'f': return dt->itemsize == 2 || dt->itemsize == 4 || dt->itemsize == 8;
    }
    return 0;
}

int mc_dtype_has_object(const mc_dtype *dt)
{
    if (dt->kind == 'O')
        return 1;
    if (dt->subarray_base && mc_dtype_has_object(dt->subarray_base))
        return 1;
    for (uint32_t i = 0; i < dt->nfields; i++)
        if (mc_dtype_has_object(dt->fields[i].dtype))
            return 1;
    return 0;
}
