/* What the validator's parts share (private): a path being built, the
 * bounded difference list, and one-line texts of values and elements. */
#ifndef MC_VALIDATE_DIFFS_H
#define MC_VALIDATE_DIFFS_H

#include <stddef.h>
#include <stdint.h>

#include "modelconv/validate.h"

/* A path in scikit-learn terms, grown and cut back as a walk goes down
 * and up.  Too long a path is cut short, never overflowed. */
typedef struct mc_path {
    char buf[1024];
    size_t len;
} mc_path;

void mc_path_init(mc_path *p, const char *start);
/* Append formatted text; returns the length before, for mc_path_cut. */
size_t mc_path_push(mc_path *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Append ".name" (or just "name" at the start of the path). */
size_t mc_path_attr(mc_path *p, const char *name);
/* Append "[i, j, ...]": the C-order multi-index of flat element k of an
 * array of this shape. */
size_t mc_path_index(mc_path *p, const int64_t *shape, uint32_t ndim, uint64_t k);
void mc_path_cut(mc_path *p, size_t len);

/* True when the next difference will be kept (worth rendering its texts). */
int mc_diffs_wants(const mc_differences *d);
/* Count a difference and keep it if there is room.  MC_E_NOMEM only. */
mc_status mc_diffs_add(mc_differences *d, const char *path, const char *expected,
                       const char *found, mc_error *err);
/* Count n differences without keeping them. */
void mc_diffs_count(mc_differences *d, uint64_t n);

/* Texts for messages (at most size bytes with the NUL). */
void mc_text_double(char *buf, size_t size, double v);  /* shortest round trip;
                                                         NaN with its bits   */
void mc_text_value(char *buf, size_t size, const mc_value *v);
/* One array element of dtype dt at elem: a number, a string, or hex bytes. */
void mc_text_element(char *buf, size_t size, const mc_dtype *dt, const uint8_t *elem);
/* "(3, 4)" */
void mc_text_shape(char *buf, size_t size, const int64_t *shape, uint32_t ndim);
/* Element i of a tensor. */
void mc_text_tensor_element(char *buf, size_t size, const mc_tensor *t, uint64_t i);

#endif
