/* Text forms of values shared by the CLI's text and JSON outputs. */
#ifndef MC_CLI_FORMAT_H
#define MC_CLI_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "modelconv/value.h"

/* Shortest text that reads back to the same double ("0.1", "nan", "inf"). */
void fmt_double(char *buf, size_t size, double v);

/* Decimal text of a little-endian two's complement integer (MC_BIGINT). */
void fmt_bigint(char *buf, size_t size, const uint8_t *bytes, size_t len);

/* A one-line rendering of a scalar-like value (None, bool, int, float,
 * complex, short str/bytes, numpy scalar, dtype, global) into buf; returns 0,
 * or -1 if v is a container, array or object. */
int fmt_scalar(char *buf, size_t size, const mc_value *v);

/* "ndarray <f8 (3, 4)" plus the values when there are at most max_values. */
void fmt_array(char *buf, size_t size, const mc_ndarray *a, unsigned max_values);

/* Element i of a 'U' (UCS-4) array as UTF-8 text, trailing NULs dropped. */
void fmt_ucs4(char *buf, size_t size, const mc_ndarray *a, uint64_t i);

/* The last dotted part of a class path ("RandomForestClassifier"). */
const char *short_name(const char *path);

#endif
