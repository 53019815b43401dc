/* tsv.c -- see tsv.h. */
#define _POSIX_C_SOURCE 200809L
#include "tsv.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_version.h>

#include "blas.h"

#ifndef SUITE_VERSION
#define SUITE_VERSION "unknown"
#endif

struct tsv {
    FILE *f;
    int slot; /* index in open_files[] */
    char final_path[4096];
    char temp_path[4096];
};

/* The temporary files currently open, so that an exit or a signal can remove them. A signal handler may only
 * call async-signal-safe functions; unlink() is one, and the paths are plain char arrays. */
#define MAX_OPEN 32
static tsv *volatile open_files[MAX_OPEN];
static int handlers_installed;

static void remove_temporaries(void)
{
    for (int i = 0; i < MAX_OPEN; i++)
        if (open_files[i] != NULL)
            unlink(open_files[i]->temp_path);
}

static void on_signal(int sig)
{
    remove_temporaries();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_handlers(void)
{
    if (handlers_installed)
        return;
    handlers_installed = 1;
    atexit(remove_temporaries);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
}

static void fail_io(tsv *t, const char *doing)
{
    int err = errno;
    if (t->f != NULL)
        fclose(t->f);
    unlink(t->temp_path);
    open_files[t->slot] = NULL;
    suite_die(SUITE_EXIT_USAGE, "cannot %s '%s': %s", doing, t->final_path, strerror(err));
}

tsv *tsv_create(const suite_run *run, const char *file, const char *what, const char *columns)
{
    install_handlers();
    tsv *t = calloc(1, sizeof *t);
    if (t == NULL)
        suite_die(SUITE_EXIT_USAGE, "out of memory");
    int slot = 0;
    while (slot < MAX_OPEN && open_files[slot] != NULL)
        slot++;
    if (slot == MAX_OPEN)
        suite_die(SUITE_EXIT_USAGE, "more than %d data files open at once", MAX_OPEN);
    t->slot = slot;
    snprintf(t->final_path, sizeof t->final_path, "%s/%s", run->out_dir, file);
    snprintf(t->temp_path, sizeof t->temp_path, "%s/.%s.tmp.%ld", run->out_dir, file, (long)getpid());
    open_files[slot] = t;
    t->f = fopen(t->temp_path, "w");
    if (t->f == NULL)
        fail_io(t, "write");

    const suite_program *p = run->program;
    fprintf(t->f, "# %s %s -- %s\n", p->name, SUITE_VERSION, p->citation);
    fprintf(t->f, "# data:    %s\n", what);
    fprintf(t->f, "# seed:    %lu      scale: %s\n", (unsigned long)run->seed, suite_scale_name(run->scale));
    fprintf(t->f, "# blas:    %s      gsl: %s\n", suite_blas_name(), GSL_VERSION);
    for (const cli_option *o = p->options; o != NULL && o->name != NULL; o++) {
        char value[256];
        suite_format_option(o, value, sizeof value);
        fprintf(t->f, "# option:  --%s %s\n", o->name, value);
    }
    fprintf(t->f, "# columns: %s\n", columns);
    return t;
}

void tsv_printf(tsv *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(t->f, fmt, ap);
    va_end(ap);
}

void tsv_row(tsv *t, size_t n, const double *values)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i])) {
            char path[4096];
            snprintf(path, sizeof path, "%s", t->final_path);
            tsv_discard(t);
            suite_die(SUITE_EXIT_NUMERIC, "refusing to write a non-finite number (column %zu of a row of %s)",
                      i + 1, path);
        }
        fprintf(t->f, i == 0 ? "%.10g" : "\t%.10g", values[i]);
    }
    fputc('\n', t->f);
}

void tsv_block(tsv *t) { fputs("\n\n", t->f); }

void tsv_commit(tsv *t)
{
    if (fflush(t->f) != 0 || ferror(t->f))
        fail_io(t, "write");
    if (fclose(t->f) != 0) {
        t->f = NULL;
        fail_io(t, "write");
    }
    t->f = NULL;
    if (rename(t->temp_path, t->final_path) != 0)
        fail_io(t, "rename into place");
    open_files[t->slot] = NULL;
    free(t);
}

void tsv_discard(tsv *t)
{
    if (t->f != NULL)
        fclose(t->f);
    unlink(t->temp_path);
    open_files[t->slot] = NULL;
    free(t);
}
