/* blas.h -- which CBLAS GSL's linear algebra runs on, and keeping it single-threaded.
 *
 * GSL's gsl_blas_* functions call the CBLAS interface. The build links either OpenBLAS (fast: 7-14x GSL's
 * reference CBLAS on dense products of size 64 and up) or GSL's own gslcblas; see cmake/SuiteBlas.cmake.
 * Because the choice is made by the dynamic linker, we ask the linker itself at run time, and every data
 * file records the answer, so a number can always be traced to the BLAS that produced it.
 */
#ifndef SUITE_BLAS_H
#define SUITE_BLAS_H

/* "openblas <version> (<library path>)" or "gslcblas (<library path>)": the library that defines the
 * cblas_dgemm GSL's calls resolve to. The string is static; the first call computes it. */
const char *suite_blas_name(void);

/* Pins OpenBLAS to one thread when OpenBLAS is in use (a no-op for gslcblas). The suite's programs are
 * single-threaded by design: parallelism comes from running programs and seeds side by side. */
void suite_blas_single_thread(void);

#endif
