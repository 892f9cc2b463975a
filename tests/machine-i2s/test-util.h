/* SPDX-License-Identifier: GPL-2.0 */
/* Time helpers shared by the libmachine-i2s test programs. */
#ifndef TESTS_MACHINE_I2S_UTIL_H
#define TESTS_MACHINE_I2S_UTIL_H

#include <stdio.h>
#include <stdlib.h>
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

/* A whole file in a malloc()ed buffer; NULL if it cannot be read. */
static inline unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n + 1 : 1);
	if (buf)
		*len = fread(buf, 1, n > 0 ? (size_t)n : 0, f);
	fclose(f);
	return buf;
}

#ifdef MACHINE_I2S_H
/* One blocking write() or readinto() on a thread of its own. */
struct io_thread {
	struct machine_i2s *o;
	unsigned char *buf;
	size_t len;
	bool tx;
	ssize_t ret;
};

static inline void *io_thread_run(void *arg)
{
	struct io_thread *t = arg;

	t->ret = t->tx ? machine_i2s_write(t->o, t->buf, t->len) :
			 machine_i2s_readinto(t->o, t->buf, t->len);
	return NULL;
}
#endif

#endif
