/* oom_wrap: see oom_wrap.h. */
#include "oom_wrap.h"

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

static long fail_at;   /* the allocation (1-based) that fails; 0: none */
static long made;      /* allocations since oom_arm() */
static bool failed;    /* the one chosen did fail */

bool
oom_this_one_fails(void)
{
	made++;
	if (fail_at && made == fail_at) {
		failed = true;
		return true;
	}
	return false;
}

void *__wrap_malloc(size_t n) { return oom_this_one_fails() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return oom_this_one_fails() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return oom_this_one_fails() ? NULL : __real_realloc(p, n); }

void
oom_arm(long nth)
{
	fail_at = nth;
	made = 0;
	failed = false;
}

void oom_disarm(void) { fail_at = 0; }
bool oom_failed(void) { return failed; }
long oom_made(void) { return made; }
long oom_fail_at(void) { return fail_at; }
