// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * I2S.shift(): volume in 6 dB steps.
 *
 * The loops use GCC's generic vector types so that each sample keeps a
 * lane of its own width (over plain int16_t, GCC widens to int and loses
 * half the lanes).  A generic vector is only lowered well when it is
 * exactly the target's register width, so the loops are instantiated per
 * width: 16 bytes for the baseline (SSE2, NEON), and on x86-64 32 bytes
 * for AVX2 and 64 for AVX-512BW, picked once from what the CPU runs.  A
 * portable build so keeps up with glibc's memcpy(), which does the same.
 * An unaligned buffer takes the byte-copy path.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

/* The caller's buffer may be any type: access it without aliasing rules. */
typedef int16_t __attribute__((may_alias)) s16_any;
typedef int32_t __attribute__((may_alias)) s32_any;

struct shift_loops {
	void (*wrap16)(s16_any *s, size_t n, int sh);
	void (*sat16)(s16_any *s, size_t n, int sh);
	void (*wrap32)(s32_any *s, size_t n, int sh);
	void (*sat32)(s32_any *s, size_t n, int sh);
};

/* The limit a clipped sample @v takes: its sign's. */
#define SHIFT_LIMIT(BITS, v) (((v) >> (BITS - 1)) ^ INT##BITS##_MAX)

/*
 * SHIFT_LOOPS(BITS, VB, SUF, ATTR) defines, for BITS-wide samples in
 * VB-byte vectors, compiled with ATTR:
 *
 * shiftBITS_wrap_SUF(): left shifts wrap as MicroPython's do (shift as
 * unsigned, keep the bits); right shifts are arithmetic, at most BITS-1.
 *
 * shiftBITS_sat_SUF(): a left-shifted sample that does not survive
 * << sh >> sh clipped, and takes the limit of its sign.
 *
 * Vectors move through memcpy(), which drops any alignment assumption;
 * unrolling by four hides the loop's own cost.
 */
#define SHIFT_LOOPS(BITS, VB, SUF, ATTR)				\
typedef int##BITS##_t vs##BITS##_##SUF __attribute__((vector_size(VB)));\
typedef uint##BITS##_t vu##BITS##_##SUF __attribute__((vector_size(VB)));\
									\
ATTR static void shift##BITS##_wrap_##SUF(s##BITS##_any *s, size_t n,	\
					  int sh)			\
{									\
	const size_t lanes = VB / (BITS / 8);				\
	vs##BITS##_##SUF v;						\
	size_t i = 0;							\
									\
	if (sh >= BITS) {						\
		memset(s, 0, n * sizeof(*s));				\
		return;							\
	}								\
	if (sh <= -BITS)						\
		sh = -(BITS - 1);					\
	if (sh >= 0) {							\
		_Pragma("GCC unroll 4")					\
		for (; i + lanes <= n; i += lanes) {			\
			memcpy(&v, &s[i], sizeof(v));			\
			v = (vs##BITS##_##SUF)((vu##BITS##_##SUF)v << sh); \
			memcpy(&s[i], &v, sizeof(v));			\
		}							\
		for (; i < n; i++)					\
			s[i] = (int##BITS##_t)((uint##BITS##_t)s[i] << sh); \
	} else {							\
		_Pragma("GCC unroll 4")					\
		for (; i + lanes <= n; i += lanes) {			\
			memcpy(&v, &s[i], sizeof(v));			\
			v >>= -sh;					\
			memcpy(&s[i], &v, sizeof(v));			\
		}							\
		for (; i < n; i++)					\
			s[i] = (int##BITS##_t)(s[i] >> -sh);		\
	}								\
}									\
									\
ATTR static void shift##BITS##_sat_##SUF(s##BITS##_any *s, size_t n,	\
					 int sh)			\
{									\
	const size_t lanes = VB / (BITS / 8);				\
	vs##BITS##_##SUF v, lo, ok;					\
	size_t i = 0;							\
									\
	if (sh < 0) {							\
		shift##BITS##_wrap_##SUF(s, n, sh);			\
		return;							\
	}								\
	if (sh >= BITS) {	/* every non-zero sample clips */	\
		for (; i < n; i++)					\
			s[i] = s[i] ? (int##BITS##_t)SHIFT_LIMIT(BITS, s[i]) : 0; \
		return;							\
	}								\
	_Pragma("GCC unroll 4")						\
	for (; i + lanes <= n; i += lanes) {				\
		memcpy(&v, &s[i], sizeof(v));				\
		lo = (vs##BITS##_##SUF)((vu##BITS##_##SUF)v << sh);	\
		ok = (lo >> sh) == v;					\
		v = SHIFT_LIMIT(BITS, v);				\
		v ^= (v ^ lo) & ok;					\
		memcpy(&s[i], &v, sizeof(v));				\
	}								\
	for (; i < n; i++) {						\
		int##BITS##_t lo1 =					\
			(int##BITS##_t)((uint##BITS##_t)s[i] << sh);	\
									\
		s[i] = (int##BITS##_t)(lo1 >> sh) == s[i] ? lo1 :	\
		       (int##BITS##_t)SHIFT_LIMIT(BITS, s[i]);		\
	}								\
}

/* SHIFT_ISA(VB, SUF, ATTR): both widths' loops and their table. */
#define SHIFT_ISA(VB, SUF, ATTR)					\
SHIFT_LOOPS(16, VB, SUF, ATTR)						\
SHIFT_LOOPS(32, VB, SUF, ATTR)						\
static const struct shift_loops shift_##SUF = {				\
	shift16_wrap_##SUF, shift16_sat_##SUF,				\
	shift32_wrap_##SUF, shift32_sat_##SUF,				\
};

SHIFT_ISA(16, base, )
#if defined(__x86_64__)
SHIFT_ISA(32, avx2, __attribute__((target("avx2"))))
SHIFT_ISA(64, avx512, __attribute__((target("avx512f,avx512bw"))))
#endif

/* The sets of loops this build has, widest first. */
static const struct {
	const char *name;
	const struct shift_loops *loops;
} shift_isas[] = {
#if defined(__x86_64__)
	{ "avx512", &shift_avx512 },
	{ "avx2", &shift_avx2 },
#endif
	{ "base", &shift_base },
};

static bool cpu_runs(const struct shift_loops *l)
{
#if defined(__x86_64__)
	__builtin_cpu_init();
	if (l == &shift_avx512)
		return __builtin_cpu_supports("avx512bw");
	if (l == &shift_avx2)
		return __builtin_cpu_supports("avx2");
#endif
	(void)l;		/* the base set, or a build with no other */
	return true;
}

static _Atomic(const struct shift_loops *) chosen;

/* The widest set the CPU runs, picked at the first shift. */
static const struct shift_loops *loops(void)
{
	const struct shift_loops *l = atomic_load_explicit(&chosen,
						memory_order_relaxed);
	size_t i;

	if (l)
		return l;
	for (i = 0; !l; i++)	/* "base" runs everywhere */
		if (cpu_runs(shift_isas[i].loops))
			l = shift_isas[i].loops;
	atomic_store_explicit(&chosen, l, memory_order_relaxed);
	return l;
}

bool mi2s_shift_use(const char *isa)
{
	size_t i;

	for (i = 0; i < sizeof(shift_isas) / sizeof(shift_isas[0]); i++)
		if (!strcmp(isa, shift_isas[i].name) &&
		    cpu_runs(shift_isas[i].loops)) {
			atomic_store_explicit(&chosen, shift_isas[i].loops,
					      memory_order_relaxed);
			return true;
		}
	return false;
}

static int do_shift(void *buf, size_t len, int bits, int shift, bool sat)
{
	const struct shift_loops *l;
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
	l = loops();
	if (bits == 16)
		(sat ? l->sat16 : l->wrap16)(buf, n, shift);
	else
		(sat ? l->sat32 : l->wrap32)(buf, n, shift);
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
