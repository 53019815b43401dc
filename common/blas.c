/* blas.c -- see blas.h. This is the one file that needs POSIX/GNU extensions (dlsym, dladdr). */
#define _GNU_SOURCE
#include "blas.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* The first definition of cblas_dgemm in the process's global lookup scope is the one libgsl's own
 * (unresolved) reference binds to, since libgsl is not linked with -Bsymbolic. dladdr names its file. */
const char *suite_blas_name(void)
{
    static char name[512];
    if (name[0] != '\0')
        return name;

    void *dgemm = dlsym(RTLD_DEFAULT, "cblas_dgemm");
    Dl_info info;
    const char *file = "unknown library";
    if (dgemm != NULL && dladdr(dgemm, &info) != 0 && info.dli_fname != NULL)
        file = info.dli_fname;

    /* OpenBLAS exports openblas_get_config() ("OpenBLAS 0.3.21 DYNAMIC_ARCH ..."); gslcblas does not.
     * Look it up in the same library that provides cblas_dgemm, not anywhere in the process. */
    void *handle = dlopen(file, RTLD_LAZY | RTLD_NOLOAD);
    char *(*get_config)(void) = NULL;
    if (handle != NULL) {
        void *sym = dlsym(handle, "openblas_get_config");
        memcpy(&get_config, &sym, sizeof get_config); /* object -> function pointer, the POSIX way */
    }
    if (get_config != NULL) {
        char version[64] = "";
        sscanf(get_config(), "OpenBLAS %63s", version);
        snprintf(name, sizeof name, "openblas %s (%s)", version, file);
    } else if (strstr(file, "gslcblas") != NULL) {
        snprintf(name, sizeof name, "gslcblas (%s)", file);
    } else {
        snprintf(name, sizeof name, "other cblas (%s)", file);
    }
    if (handle != NULL)
        dlclose(handle);
    return name;
}

void suite_blas_single_thread(void)
{
    void *sym = dlsym(RTLD_DEFAULT, "openblas_set_num_threads");
    void (*set_threads)(int) = NULL;
    memcpy(&set_threads, &sym, sizeof set_threads);
    if (set_threads != NULL)
        set_threads(1);
}
