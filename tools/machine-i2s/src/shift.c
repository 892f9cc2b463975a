// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * I2S.shift(): volume in 6 dB steps.  The loops are branch-free per
 * sample over typed pointers so that the compiler vectorises them; an
 * unaligned buffer takes the byte-copy path.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

/* The caller's buffer may be any type: access it without aliasing rules. */
typedef int16_t __attribute__((may_alias)) s16_any;
typedef int32_t __attribute__((may_alias)) s32_any;

/* Left shifts wrap as MicroPython's do: shift as unsigned, keep the bits. */
static void shift16_wrap(s16_any *s, size_t n, int sh)
{
	size_t i;

	if (sh >= 16) {
		memset(s, 0, n * sizeof(*s));
		return;
	}
	if (sh <= -16)
		sh = -15;
	if (sh >= 0)
		for (i = 0; i < n; i++)
			s[i] = (int16_t)(uint16_t)((uint32_t)(uint16_t)s[i] << sh);
	else
		for (i = 0; i < n; i++)
			s[i] = (int16_t)(s[i] >> -sh);
}

static void shift32_wrap(s32_any *s, size_t n, int sh)
{
	size_t i;

	if (sh >= 32) {
		memset(s, 0, n * sizeof(*s));
		return;
	}
	if (sh <= -32)
		sh = -31;
	if (sh >= 0)
		for (i = 0; i < n; i++)
			s[i] = (int32_t)((uint32_t)s[i] << sh);
	else
		for (i = 0; i < n; i++)
			s[i] = s[i] >> -sh;
}

static void shift16_sat(s16_any *s, size_t n, int sh)
{
	size_t i;

	if (sh < 0) {
		shift16_wrap(s, n, sh);
		return;
	}
	if (sh > 16)
		sh = 16;	/* every non-zero sample clips either way */
	for (i = 0; i < n; i++) {
		int32_t v = (int32_t)((uint32_t)s[i] << sh);

		v = v > INT16_MAX ? INT16_MAX : v;
		v = v < INT16_MIN ? INT16_MIN : v;
		s[i] = (int16_t)v;
	}
}

static void shift32_sat(s32_any *s, size_t n, int sh)
{
	size_t i;

	if (sh < 0) {
		shift32_wrap(s, n, sh);
		return;
	}
	if (sh > 32)
		sh = 32;
	for (i = 0; i < n; i++) {
		int64_t v = (int64_t)((uint64_t)(int64_t)s[i] << sh);

		v = v > INT32_MAX ? INT32_MAX : v;
		v = v < INT32_MIN ? INT32_MIN : v;
		s[i] = (int32_t)v;
	}
}

static int do_shift(void *buf, size_t len, int bits, int shift, bool sat)
{
	size_t width, n;

	if (bits != 16 && bits != 32)
		return mi2s_error(EINVAL, "invalid bits");
	if (!buf && len)
		return mi2s_error(EINVAL, "invalid buffer");
	width = (size_t)bits / 8;
	n = len / width;	/* a trailing partial sample is left alone */
	if (!n || !shift)
		return 0;
	if ((uintptr_t)buf % width) {
		/* Unaligned: shift an aligned copy, a chunk at a time. */
		int32_t tmp[256];
		unsigned char *p = buf;

		while (n) {
			size_t k = sizeof(tmp) / width;

			k = n < k ? n : k;
			memcpy(tmp, p, k * width);
			do_shift(tmp, k * width, bits, shift, sat);
			memcpy(p, tmp, k * width);
			p += k * width;
			n -= k;
		}
		return 0;
	}
	if (bits == 16)
		(sat ? shift16_sat : shift16_wrap)(buf, n, shift);
	else
		(sat ? shift32_sat : shift32_wrap)(buf, n, shift);
	return 0;
}

int machine_i2s_shift(void *buf, size_t len, int bits, int shift)
{
	return do_shift(buf, len, bits, shift, false);
}

int machine_i2s_shift_saturating(void *buf, size_t len, int bits, int shift)
{
	return do_shift(buf, len, bits, shift, true);
}
