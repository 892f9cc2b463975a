/* SPDX-License-Identifier: GPL-2.0 */
/* Time helpers shared by the libmachine-i2s test programs. */
#ifndef TESTS_MACHINE_I2S_UTIL_H
#define TESTS_MACHINE_I2S_UTIL_H

#include <time.h>

/* Seconds on the monotonic clock. */
static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

#endif
