// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the parts of libmachine-i2s that take arbitrary
 * input without a device: configuration checking and shift().  Besides
 * the sanitizers' own checks it asserts the documented contracts: a
 * configuration is accepted exactly when every field is in range, every
 * rejection carries a message, and shift() equals a plain reference
 * implementation for any buffer, width and shift.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "machine_i2s.h"

static int32_t take32(const uint8_t **p, size_t *n)
{
	uint32_t v = 0;

	for (int i = 0; i < 4 && *n; i++, (*p)++, (*n)--)
		v |= (uint32_t)**p << (8 * i);
	return (int32_t)v;
}

/* A pin name from the input: NULL, or up to 40 bytes of it. */
static const char *take_pin(const uint8_t **p, size_t *n, char *buf)
{
	size_t len;

	if (!*n)
		return NULL;
	len = **p % 41;
	(*p)++;
	(*n)--;
	if (len == 40)
		return NULL;
	len = len < *n ? len : *n;
	memcpy(buf, *p, len);
	buf[len] = 0;
	*p += len;
	*n -= len;
	return buf;
}

static bool pin_ok(const char *s)
{
	size_t len;

	if (!s)
		return true;
	len = strlen(s);
	if (!len || len > 31)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return false;
	return true;
}

static void check_config(const uint8_t **p, size_t *n)
{
	char pins[4][41];
	struct machine_i2s_config c = { 0 };
	bool ok;
	int ret;

	c.id = take32(p, n) % 8;
	c.mode = take32(p, n) % 4;
	c.bits = take32(p, n) % 40;
	c.format = take32(p, n) % 4;
	c.rate = take32(p, n);
	c.ibuf = take32(p, n);
	c.flags = (unsigned int)take32(p, n) & 7;	/* one bit beyond the known */
	c.sck = take_pin(p, n, pins[0]);
	c.ws = take_pin(p, n, pins[1]);
	c.sd = take_pin(p, n, pins[2]);
	c.mck = take_pin(p, n, pins[3]);

	ok = c.id >= 0 && pin_ok(c.sck) && pin_ok(c.ws) && pin_ok(c.sd) &&
	     pin_ok(c.mck) &&
	     (c.mode == MACHINE_I2S_TX || c.mode == MACHINE_I2S_RX) &&
	     (c.bits == 16 || c.bits == 24 || c.bits == 32) &&
	     (c.format == MACHINE_I2S_MONO || c.format == MACHINE_I2S_STEREO) &&
	     c.rate > 0 && c.rate <= 768000 && c.ibuf > 0 &&
	     c.ibuf <= 64 << 20 &&
	     c.ibuf >= c.bits / 8 * (c.format == MACHINE_I2S_STEREO ? 2 : 1) &&
	     !(c.flags & ~(MACHINE_I2S_XRUN_ERRORS | MACHINE_I2S_EINTR));
	ret = machine_i2s_validate(&c);
	assert(ok ? ret == 0 : ret == -22);
	assert(ok || !strncmp(machine_i2s_last_error(), "invalid ", 8));
}

static int64_t ref(int64_t v, int bits, int sh, bool sat)
{
	int64_t hi = bits == 16 ? INT16_MAX : INT32_MAX, r;

	if (sh < 0)
		return v >> (-sh >= bits ? bits - 1 : -sh);
	if (sh >= bits)
		r = v ? (v > 0 ? hi + 1 : -hi - 2) : 0;
	else
		r = v * ((int64_t)1 << sh);
	if (sat)
		return r > hi ? hi : r < -hi - 1 ? -hi - 1 : r;
	if (sh >= bits)
		return 0;
	return bits == 16 ? (int16_t)(uint16_t)(uint64_t)r :
			    (int32_t)(uint32_t)(uint64_t)r;
}

static int64_t sample(const uint8_t *p, int bits)
{
	if (bits == 16)
		return (int16_t)(uint16_t)(p[0] | p[1] << 8);
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
			 (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

static void check_shift(const uint8_t *p, size_t n)
{
	static const char *const isa[] = { "generic", "base", "avx2", "avx512" };
	int bits, sh, width;
	bool sat;
	uint8_t *buf;
	size_t off;

	if (n < 3)
		return;
	bits = p[0] & 1 ? 32 : 16;
	sat = p[0] & 2;
	off = (p[0] >> 2) & 3;		/* misalign the buffer */
	/* Any of the library's loops; one this CPU lacks runs the base. */
	if (!mi2s_shift_use(isa[(p[0] >> 4) % 4]))
		mi2s_shift_use("base");
	sh = (int8_t)p[1] % 48;
	p += 2;
	n -= 2;
	width = bits / 8;
	buf = malloc(n + off);
	memcpy(buf + off, p, n);
	assert((sat ? machine_i2s_shift_saturating : machine_i2s_shift)
	       (buf + off, n, bits, sh) == 0);
	for (size_t i = 0; i + (size_t)width <= n; i += (size_t)width)
		assert(sample(buf + off + i, bits) ==
		       ref(sample(p + i, bits), bits, sh, sat));
	/* The partial sample at the end is untouched. */
	assert(!memcmp(buf + off + n - n % (size_t)width,
		       p + n - n % (size_t)width, n % (size_t)width));
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data;
	size_t n = size;

	if (size && data[0] & 0x80) {
		check_shift(data + 1, size - 1);
		return 0;
	}
	check_config(&p, &n);
	return 0;
}
