/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the OpenI2S pure logic takes from the kernel headers, for building it
 * into host unit tests (see sound/soc/openi2s/openi2s-pure.h).
 */
#ifndef OPENI2S_HOST_H
#define OPENI2S_HOST_H

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

static inline u64 div_u64_rem(u64 dividend, u32 divisor, u32 *remainder)
{
	*remainder = dividend % divisor;
	return dividend / divisor;
}

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (1UL << (n))

/* Host builds link everything statically: nothing to export. */
#define EXPORT_SYMBOL_GPL(sym)

#endif /* OPENI2S_HOST_H */
