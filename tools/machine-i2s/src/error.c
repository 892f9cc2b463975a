// SPDX-License-Identifier: LGPL-2.1-or-later
/* The per-thread last error message, like errno. */
#include <stdarg.h>
#include <stdio.h>

#include "internal.h"

static __thread char last_error[256];

int mi2s_error(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return -err;
}

const char *machine_i2s_last_error(void)
{
	return last_error;
}
