/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal TAP output for the host unit tests. */
#ifndef TESTS_HOST_TAP_H
#define TESTS_HOST_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_count;
static int tap_failures;

/* Report one test; returns @pass so callers can print diagnostics. */
static inline int __attribute__((format(printf, 2, 3)))
tap_ok(int pass, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);		/* a crash must not eat the results so far */
	if (!pass)
		tap_failures++;
	return pass;
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failures ? 1 : 0;
}

#endif /* TESTS_HOST_TAP_H */
