// SPDX-License-Identifier: GPL-2.0
/*
 * Runs every unit test and ends with "N passed, N failed"; exits 1 if any
 * test failed. A failed check prints where it is and what it saw.
 */
#include <stdlib.h>

#include "test.h"

unsigned int test_failures;

static const char *current_test;

void test_fail(const char *file, int line, const char *expr)
{
	test_failures++;
	fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n",
		file, line, current_test, expr);
}

void test_fail_eq(const char *file, int line, const char *expr,
		  long long expected, long long actual)
{
	test_failures++;
	fprintf(stderr,
		"%s:%d: %s: %s: expected %lld (0x%llx), got %lld (0x%llx)\n",
		file, line, current_test, expr, expected,
		(unsigned long long)expected, actual,
		(unsigned long long)actual);
}

void test_fail_str(const char *file, int line, const char *expr,
		   const char *expected, const char *actual)
{
	test_failures++;
	fprintf(stderr, "%s:%d: %s: %s: expected \"%s\", got \"%s\"\n",
		file, line, current_test, expr, expected, actual);
}

static const struct test_case *const suites[] = {
	tcp_tests,
	state_tests,
	cookie_tests,
	verdict_tests,
};

int main(void)
{
	unsigned int passed = 0, failed = 0;
	const struct test_case *tc;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(suites); i++) {
		for (tc = suites[i]; tc->name; tc++) {
			unsigned int before = test_failures;

			current_test = tc->name;
			tc->fn();
			if (test_failures == before) {
				passed++;
			} else {
				failed++;
				fprintf(stderr, "FAIL: %s\n", tc->name);
			}
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
