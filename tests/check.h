/* check.h -- the smallest unit-test harness: CHECK(condition, "what") prints one line per failure and
 * check_summary() prints "N passed, N failed" and returns the exit status. */
#ifndef SUITE_CHECK_H
#define SUITE_CHECK_H

#include <stdio.h>

static int check_passed, check_failed;

#define CHECK(cond, ...)                                                                                       \
    do {                                                                                                       \
        if (cond) {                                                                                            \
            check_passed++;                                                                                    \
        } else {                                                                                               \
            check_failed++;                                                                                    \
            printf("FAILED %s:%d: ", __FILE__, __LINE__);                                                      \
            printf(__VA_ARGS__);                                                                               \
            printf("\n");                                                                                      \
        }                                                                                                      \
    } while (0)

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed == 0 && check_passed > 0 ? 0 : 1;
}

#endif
