/* progress.h -- a one-line progress bar on stderr for long runs.
 *
 * Drawn only when stderr is a terminal and the run is not --quiet, so logs, pipes and CTest output stay
 * clean. Redrawn at most ten times a second; it shows the fraction done and an estimate of the time left.
 *
 *     progress p;
 *     progress_start(&p, "depth sweep", total_work, run->quiet);
 *     for (...) { ...; progress_update(&p, work_done); }
 *     progress_end(&p);
 */
#ifndef SUITE_PROGRESS_H
#define SUITE_PROGRESS_H

typedef struct {
    const char *label;
    double total;
    double start;     /* seconds, monotonic clock */
    double last_draw;
    int active;       /* 0 when not drawing */
} progress;

void progress_start(progress *p, const char *label, double total, int quiet);
void progress_update(progress *p, double done);
void progress_end(progress *p);

/* Seconds on a monotonic clock (for timing runs; not written into data files). */
double suite_seconds(void);

#endif
