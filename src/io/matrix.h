/* Prediction inputs and outputs as files: .npy (float32/float64 or any
 * integer/bool dtype, C or Fortran order, either byte order) and .csv (with
 * or without a header line) in; .npy or .csv out. */
#ifndef MC_IO_MATRIX_H
#define MC_IO_MATRIX_H

#include <stdint.h>
#include <stdio.h>

#include "modelconv/error.h"
#include "modelconv/predict.h"

typedef struct mc_matrix {
    double *data;       /* rows x cols, row-major (malloc'd) */
    uint64_t rows, cols;
} mc_matrix;

/* Read a 2-d matrix from path: .npy by its magic bytes, otherwise CSV.
 * Errors: MC_E_INPUT (with the byte offset / line), MC_E_NOMEM. */
mc_status mc_matrix_read(const char *path, mc_matrix *out, mc_error *err);
void mc_matrix_free(mc_matrix *m);

/* Write outputs to f as CSV: one row per input row; the parts of a
 * multi-output result side by side.  Numbers in shortest round-trip form,
 * strings quoted when they need it.  Errors: MC_E_IO. */
mc_status mc_outputs_write_csv(FILE *f, const mc_outputs *o, mc_error *err);

/* Write outputs as .npy at path (atomically): float64 '<f8', int64 '<i8',
 * labels as numpy unicode '<U<n>'.  Several parts go to path with ".<k>"
 * before ".npy" (model.predict_proba.0.npy, ...), as scikit-learn's list
 * of arrays.  Errors: MC_E_IO. */
mc_status mc_outputs_write_npy(const char *path, const mc_outputs *o, mc_error *err);

#endif
