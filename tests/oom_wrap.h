/*
 * oom_wrap: the allocator wrap the allocation-failure tests share. The
 * test is linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc, so
 * every malloc, calloc and realloc of the core goes through one counter;
 * a test can put other libraries' allocators on the same counter through
 * oom_this_one_fails. Arm it with the allocation (1-based) to fail, run
 * the call, disarm, and ask whether the chosen one did fail: when it did
 * not, the call made fewer allocations and every one has had its turn.
 */
#ifndef TELLUS_OOM_WRAP_H
#define TELLUS_OOM_WRAP_H

#include <stdbool.h>
#include <stddef.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);

void oom_arm(long nth);         /* count from 0; the nth fails (0: none) */
void oom_disarm(void);          /* nothing fails from now on */
bool oom_failed(void);          /* the armed one did fail */
long oom_made(void);            /* allocations counted since oom_arm */
long oom_fail_at(void);         /* the one armed */
bool oom_this_one_fails(void);  /* counts one allocation; true: fail it */

#endif
