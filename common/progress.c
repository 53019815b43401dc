/* progress.c -- see progress.h. */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double suite_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_start(progress *p, const char *label, double total, int quiet)
{
    p->label = label;
    p->total = total > 0 ? total : 1;
    p->start = suite_seconds();
    p->last_draw = 0;
    p->active = !quiet && isatty(STDERR_FILENO);
}

void progress_update(progress *p, double done)
{
    if (!p->active)
        return;
    double now = suite_seconds();
    if (now - p->last_draw < 0.1)
        return;
    p->last_draw = now;
    double frac = done / p->total;
    if (frac < 0)
        frac = 0;
    if (frac > 1)
        frac = 1;
    char bar[31];
    int filled = (int)(30 * frac);
    for (int i = 0; i < 30; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[30] = '\0';
    double elapsed = now - p->start;
    if (frac > 0.01)
        fprintf(stderr, "\r%-24.24s [%s] %3.0f%%  %5.0f s left ", p->label, bar, 100 * frac,
                elapsed * (1 - frac) / frac);
    else
        fprintf(stderr, "\r%-24.24s [%s] %3.0f%%              ", p->label, bar, 100 * frac);
    fflush(stderr);
}

void progress_end(progress *p)
{
    if (!p->active)
        return;
    fprintf(stderr, "\r%-78s\r", "");
    fflush(stderr);
    p->active = 0;
}
