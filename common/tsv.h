/* tsv.h -- data files that are written whole or not at all.
 *
 * A data file is plain text that gnuplot reads directly: whitespace-separated columns, one row per line,
 * and a header block of '#' lines that records where the numbers came from:
 *
 *     # deep_linear_dynamics 0.1.0 -- Saxe, McClelland & Ganguli, ICLR 2014, arXiv:1312.6120
 *     # data:    mode strengths u_a(t) = U_a^T W32 W21 V_a, simulation and eq. (12)
 *     # seed:    1      scale: default
 *     # blas:    openblas 0.3.21 (/usr/lib/x86_64-linux-gnu/libopenblas.so.0)      gsl: 2.7.1
 *     # option:  --features 200
 *     # columns: t  u1  ...
 *
 * There is no date or host name in it: the same seed and the same build give the same bytes.
 *
 * The file is written under a temporary name in the same folder (".name.tmp.<pid>") and renamed into place
 * by tsv_commit, which is atomic on POSIX file systems. Until then the final name is untouched: a crash, a
 * divergence (suite_die_diverged), an error or Ctrl-C never leaves a partial file that looks fresh, because
 * an exit handler and a signal handler remove every temporary file still open.
 */
#ifndef SUITE_TSV_H
#define SUITE_TSV_H

#include <stddef.h>
#include "suite.h"

typedef struct tsv tsv;

/* Opens <run->out_dir>/<file> for writing (under its temporary name) and writes the header. `what` is one
 * line saying what the data is; `columns` names the columns, separated by spaces. Exits 2 on IO error. */
tsv *tsv_create(const suite_run *run, const char *file, const char *what, const char *columns);

/* A free-form line (or part of one) of data or of '#' comment. */
void tsv_printf(tsv *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* One row of n numbers, each printed with 10 significant digits. Refuses NaN and Inf (exit 3): the
 * program must catch divergence before it writes. */
void tsv_row(tsv *t, size_t n, const double *values);

/* Two blank lines: gnuplot starts a new data set ("index") after them. */
void tsv_block(tsv *t);

/* Flushes, closes and renames the file into place; frees t. Exits 2 on IO error (a full disk, say). */
void tsv_commit(tsv *t);

/* Closes and removes the temporary file, leaving whatever was at the final name before; frees t. */
void tsv_discard(tsv *t);

#endif
