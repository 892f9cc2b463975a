// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * I2S.shift(): volume in 6 dB steps.
 *
 * A shift in place loads and stores every vector once, as memcpy()
 * does, so it keeps up with memcpy() only if its arithmetic issues no
 * faster than the stores.  On some CPUs (AMD Zen 1) vector shifts and
 * vector store data share one pipe, and a loop that shifts each vector
 * it stores runs at half the speed of memcpy().  On x86 the 16-bit loops
 * so shift by multiplying: v << sh is the low half of v * 2^sh, v >> sh
 * the high half of v * 2^(16 - sh), and the multiplier is a pipe of its
 * own.  A 32-bit right shift takes two multiplies, so those loops do
 * two vectors in three by multiplies and the third by a shift.  The
 * other 32-bit loops, and the portable ones, shift.
 *
 * The loops are instantiated per vector width: 16 bytes for the baseline
 * (SSE2; on other CPUs GCC's generic vectors, NEON on Arm), and on x86-64
 * 32 bytes for AVX2 and 64 for AVX-512BW, picked once from what the CPU
 * runs.  Each loop does the first and the last vector of the buffer
 * unaligned and the ones between aligned, for any alignment.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "internal.h"

/* Each takes a buffer of whole samples, @len bytes, and the shift. */
struct shift_loops {
	void (*wrap16)(unsigned char *s, size_t len, int sh);
	void (*sat16)(unsigned char *s, size_t len, int sh);
	void (*wrap32)(unsigned char *s, size_t len, int sh);
	void (*sat32)(unsigned char *s, size_t len, int sh);
};

/*
 * A buffer this large does not stay in cache anyway: stream it, which
 * saves writing each line back when it is evicted, and prefetch ahead.
 */
#define SHIFT_STREAM_BYTES	((size_t)8 << 20)
#define SHIFT_PREFETCH		1024

/* One vector at @q, in place, in SHIFT_KERNEL(). */
#define SHIFT_ONE(q, OP)						\
do {									\
	memcpy(&v, q, sizeof(v));					\
	v = OP(v, k);							\
	memcpy(q, &v, sizeof(v));					\
} while (0)

/*
 * SHIFT_KERNEL(NAME, ATTR, V, K, OP, OP2, WIDTH, NT) defines NAME(s, len,
 * k), which sets every V vector v of the @len bytes at @s (whole samples,
 * WIDTH bytes each) to OP(v, k), or in cache every third to OP2(v, k),
 * the same but for another pipe.  Shorter than a vector, it works on a
 * zero-padded copy.  Otherwise the first and the last vector are done
 * from the samples as they were and stored last, so the loop between can
 * start at the first aligned sample; the overlap gets the same values
 * twice.  NT##_store() and NT##_fence() stream a large buffer.
 */
#define SHIFT_KERNEL(NAME, ATTR, V, K, OP, OP2, WIDTH, NT)		\
ATTR static void NAME(unsigned char *s, size_t len, const K *k)		\
{									\
	const ptrdiff_t vb = sizeof(V);					\
	unsigned char *p = s, *end = s + len;				\
	V v, head, tail;						\
	ptrdiff_t i;							\
									\
	if (len < sizeof(V)) {						\
		memset(&v, 0, sizeof(v));				\
		memcpy(&v, s, len);					\
		v = OP(v, k);						\
		memcpy(s, &v, len);					\
		return;							\
	}								\
	memcpy(&v, s, sizeof(v));					\
	head = OP(v, k);						\
	memcpy(&v, end - vb, sizeof(v));				\
	tail = OP(v, k);						\
	p += (-(uintptr_t)s & (uintptr_t)(vb - 1)) / (WIDTH) * (WIDTH);\
	if (len >= SHIFT_STREAM_BYTES && !((uintptr_t)p % vb)) {	\
		for (; end - p >= 64; p += 64) {			\
			__builtin_prefetch((const void *)		\
				((uintptr_t)p + SHIFT_PREFETCH), 0, 0);	\
			for (i = 0; i < 64; i += vb) {			\
				memcpy(&v, p + i, sizeof(v));		\
				v = OP(v, k);				\
				NT##_store(p + i, &v, sizeof(v));	\
			}						\
		}							\
		NT##_fence();						\
	}								\
	for (; end - p >= 3 * vb; p += 3 * vb) {			\
		SHIFT_ONE(p, OP);					\
		SHIFT_ONE(p + vb, OP);					\
		SHIFT_ONE(p + 2 * vb, OP2);				\
	}								\
	for (; end - p >= vb; p += vb)					\
		SHIFT_ONE(p, OP);					\
	memcpy(s, &head, sizeof(head));					\
	memcpy(end - vb, &tail, sizeof(tail));				\
}

/* Portable C has no streaming store: a plain one. */
static inline void nt_none_store(unsigned char *p, const void *v, size_t n)
{
	memcpy(p, v, n);
}

static inline void nt_none_fence(void)
{
}

/*
 * SHIFT_LOOPS(BITS, VB, SUF, ATTR, NT): shiftBITS_wrap_SUF() and
 * shiftBITS_sat_SUF() by shifts, on GCC's generic vectors of VB bytes.
 * Left shifts wrap as MicroPython's do (shift as unsigned, keep the
 * bits); right shifts are arithmetic, at most BITS-1.  A saturating
 * shift clamps to lo..hi first, lo the least value that survives << sh
 * and hi one more than the largest: its shift wraps to MIN, and adding
 * the -1 of v == hi makes that MAX.
 */
#define SHIFT_LOOPS(BITS, VB, SUF, ATTR, NT)				\
typedef int##BITS##_t vs##BITS##_##SUF __attribute__((vector_size(VB)));\
typedef uint##BITS##_t vu##BITS##_##SUF __attribute__((vector_size(VB)));\
									\
struct k##BITS##_##SUF {						\
	vs##BITS##_##SUF lo, hi;					\
	int sh;								\
};									\
									\
ATTR static inline vs##BITS##_##SUF					\
shl##BITS##_##SUF(vs##BITS##_##SUF v, const struct k##BITS##_##SUF *k)	\
{									\
	return (vs##BITS##_##SUF)((vu##BITS##_##SUF)v << k->sh);	\
}									\
									\
ATTR static inline vs##BITS##_##SUF					\
sar##BITS##_##SUF(vs##BITS##_##SUF v, const struct k##BITS##_##SUF *k)	\
{									\
	return v >> k->sh;						\
}									\
									\
/* A lane at a time, which GCC turns into min and max instructions. */	\
ATTR static inline vs##BITS##_##SUF					\
clip##BITS##_##SUF(vs##BITS##_##SUF v, const struct k##BITS##_##SUF *k)	\
{									\
	size_t i;							\
									\
	for (i = 0; i < VB / (BITS / 8); i++)				\
		v[i] = v[i] > k->lo[i] ? v[i] : k->lo[i];		\
	for (i = 0; i < VB / (BITS / 8); i++)				\
		v[i] = v[i] < k->hi[i] ? v[i] : k->hi[i];		\
	return (vs##BITS##_##SUF)(((vu##BITS##_##SUF)v << k->sh) +	\
				  (vu##BITS##_##SUF)(v == k->hi));	\
}									\
									\
SHIFT_KERNEL(run_shl##BITS##_##SUF, ATTR, vs##BITS##_##SUF,		\
	     struct k##BITS##_##SUF, shl##BITS##_##SUF, shl##BITS##_##SUF,\
	     BITS / 8, NT)						\
SHIFT_KERNEL(run_sar##BITS##_##SUF, ATTR, vs##BITS##_##SUF,		\
	     struct k##BITS##_##SUF, sar##BITS##_##SUF, sar##BITS##_##SUF,\
	     BITS / 8, NT)						\
SHIFT_KERNEL(run_clip##BITS##_##SUF, ATTR, vs##BITS##_##SUF,		\
	     struct k##BITS##_##SUF, clip##BITS##_##SUF,		\
	     clip##BITS##_##SUF, BITS / 8, NT)				\
									\
ATTR static void shift##BITS##_wrap_##SUF(unsigned char *s, size_t len,\
					  int sh)			\
{									\
	struct k##BITS##_##SUF k;					\
									\
	if (sh >= BITS) {						\
		memset(s, 0, len);					\
		return;							\
	}								\
	if (sh > 0) {							\
		k.sh = sh;						\
		run_shl##BITS##_##SUF(s, len, &k);			\
	} else {							\
		k.sh = -sh < BITS ? -sh : BITS - 1;			\
		run_sar##BITS##_##SUF(s, len, &k);			\
	}								\
}									\
									\
ATTR static void shift##BITS##_sat_##SUF(unsigned char *s, size_t len,	\
					 int sh)			\
{									\
	struct k##BITS##_##SUF k;					\
									\
	if (sh < 0) {							\
		shift##BITS##_wrap_##SUF(s, len, sh);			\
		return;							\
	}								\
	/* From BITS-1 on, every non-zero sample clips. */		\
	k.sh = sh < BITS ? sh : BITS - 1;				\
	k.lo = (vs##BITS##_##SUF){ 0 } +				\
	       (int##BITS##_t)(INT##BITS##_MIN >> k.sh);		\
	k.hi = (vs##BITS##_##SUF){ 0 } +				\
	       (int##BITS##_t)((int##BITS##_t)1 << (BITS - 1 - k.sh));	\
	run_clip##BITS##_##SUF(s, len, &k);				\
}

/* SHIFT_TABLE(SUF, X): the loops of SUF, the 32-bit ones shift32_*X_SUF */
#define SHIFT_TABLE(SUF, X)						\
static const struct shift_loops shift_##SUF = {				\
	shift16_wrap_##SUF, shift16_sat_##SUF,				\
	shift32_wrap##X##_##SUF, shift32_sat##X##_##SUF,		\
};

#if defined(__x86_64__)
/*
 * MUL16_LOOPS(SUF, P, W, ATTR): the 16-bit loops of an x86 ISA whose
 * intrinsics are P##_op on __m##W##i, by multiplies (see the top).
 */
#define MUL16_LOOPS(SUF, P, W, ATTR)					\
struct m16_##SUF {							\
	__m##W##i a, b, c;						\
};									\
									\
ATTR static inline void nt_##SUF##_store(unsigned char *p, const void *v,\
					 size_t n)			\
{									\
	__m##W##i x;							\
									\
	(void)n;		/* sizeof(x) */				\
	memcpy(&x, v, sizeof(x));					\
	P##_stream_si##W((void *)p, x);					\
}									\
									\
ATTR static inline void nt_##SUF##_fence(void)				\
{									\
	_mm_sfence();							\
}									\
									\
/* v << sh: v * a, a = 2^sh (0 from 16 on) */				\
ATTR static inline __m##W##i						\
mul16_##SUF(__m##W##i v, const struct m16_##SUF *k)			\
{									\
	return P##_mullo_epi16(v, k->a);				\
}									\
									\
/* v >> sh, 2 <= sh <= 15: the high half of v * a, a = 2^(16 - sh) */	\
ATTR static inline __m##W##i						\
mulhi16_##SUF(__m##W##i v, const struct m16_##SUF *k)			\
{									\
	return P##_mulhi_epi16(v, k->a);				\
}									\
									\
/* v >> 1, where 2^15 is no int16_t: on v + 2^15, unsigned, and back */	\
ATTR static inline __m##W##i						\
half16_##SUF(__m##W##i v, const struct m16_##SUF *k)			\
{									\
	return P##_sub_epi16(P##_mulhi_epu16(P##_xor_si##W(v, k->b),	\
					     k->a), k->c);		\
}									\
									\
/*									\
 * Saturating v << sh: clamp to b..c, what survives << (sh - 1), so	\
 * that the multiply by a = 2^(sh - 1) is exact, then double with	\
 * saturation.								\
 */									\
ATTR static inline __m##W##i						\
clip16_##SUF(__m##W##i v, const struct m16_##SUF *k)			\
{									\
	v = P##_min_epi16(P##_max_epi16(v, k->b), k->c);		\
	v = P##_mullo_epi16(v, k->a);					\
	return P##_adds_epi16(v, v);					\
}									\
									\
SHIFT_KERNEL(run_mul16_##SUF, ATTR, __m##W##i, struct m16_##SUF,	\
	     mul16_##SUF, mul16_##SUF, 2, nt_##SUF)			\
SHIFT_KERNEL(run_mulhi16_##SUF, ATTR, __m##W##i, struct m16_##SUF,	\
	     mulhi16_##SUF, mulhi16_##SUF, 2, nt_##SUF)			\
SHIFT_KERNEL(run_half16_##SUF, ATTR, __m##W##i, struct m16_##SUF,	\
	     half16_##SUF, half16_##SUF, 2, nt_##SUF)			\
SHIFT_KERNEL(run_clip16_##SUF, ATTR, __m##W##i, struct m16_##SUF,	\
	     clip16_##SUF, clip16_##SUF, 2, nt_##SUF)			\
									\
ATTR static void shift16_wrap_##SUF(unsigned char *s, size_t len, int sh)\
{									\
	struct m16_##SUF k;						\
									\
	if (sh > 0) {							\
		k.a = P##_set1_epi16((short)(sh < 16 ? 1 << sh : 0));	\
		run_mul16_##SUF(s, len, &k);				\
	} else if (sh == -1) {						\
		k.a = k.b = P##_set1_epi16(INT16_MIN);			\
		k.c = P##_set1_epi16(1 << 14);				\
		run_half16_##SUF(s, len, &k);				\
	} else {							\
		sh = -sh < 16 ? -sh : 15;				\
		k.a = P##_set1_epi16((short)(1 << (16 - sh)));		\
		run_mulhi16_##SUF(s, len, &k);				\
	}								\
}									\
									\
ATTR static void shift16_sat_##SUF(unsigned char *s, size_t len, int sh)\
{									\
	struct m16_##SUF k;						\
									\
	if (sh < 0) {							\
		shift16_wrap_##SUF(s, len, sh);				\
		return;							\
	}								\
	sh = sh < 16 ? sh : 15;	/* from 15 on, every non-zero clips */	\
	k.a = P##_set1_epi16((short)(1 << (sh - 1)));			\
	k.b = P##_set1_epi16((short)(INT16_MIN >> (sh - 1)));		\
	k.c = P##_set1_epi16((short)(INT16_MAX >> (sh - 1)));		\
	run_clip16_##SUF(s, len, &k);					\
}

/*
 * SAR32_LOOPS(SUF, P, W, ATTR): shift32_wrapx_SUF() and shift32_satx_SUF(),
 * shift32_wrap_SUF() and shift32_sat_SUF() but for right shifts by 1 to
 * 15, of which two vectors in three multiply instead (see the top).
 */
#define SAR32_LOOPS(SUF, P, W, ATTR)					\
struct m32_##SUF {							\
	__m##W##i a, b;							\
	__m128i sh;							\
};									\
									\
/*									\
 * v >> sh = (v >> 16) * 2^(16 - sh) + ((v & 0xffff) >> sh).  The	\
 * second is the high half of v's low half times a = 2^(16 - sh), 0 in	\
 * the high halves; the first pmaddwd's of v by b = -2^(16 - sh) in the	\
 * high halves, negated, as 2^15 is no int16_t.				\
 */									\
ATTR static inline __m##W##i						\
madd32_##SUF(__m##W##i v, const struct m32_##SUF *k)			\
{									\
	return P##_sub_epi32(P##_mulhi_epu16(v, k->a),			\
			     P##_madd_epi16(v, k->b));			\
}									\
									\
ATTR static inline __m##W##i						\
sra32_##SUF(__m##W##i v, const struct m32_##SUF *k)			\
{									\
	return P##_sra_epi32(v, k->sh);					\
}									\
									\
SHIFT_KERNEL(run_madd32_##SUF, ATTR, __m##W##i, struct m32_##SUF,	\
	     madd32_##SUF, sra32_##SUF, 4, nt_##SUF)			\
									\
ATTR static void shift32_wrapx_##SUF(unsigned char *s, size_t len, int sh)\
{									\
	struct m32_##SUF k;						\
									\
	if (sh >= 0 || sh < -15) {					\
		shift32_wrap_##SUF(s, len, sh);				\
		return;							\
	}								\
	k.a = P##_set1_epi32(1 << (16 + sh));				\
	k.b = P##_set1_epi32((int)(-(1u << (16 + sh)) << 16));		\
	k.sh = _mm_cvtsi32_si128(-sh);					\
	run_madd32_##SUF(s, len, &k);					\
}									\
									\
ATTR static void shift32_satx_##SUF(unsigned char *s, size_t len, int sh)\
{									\
	if (sh < 0)							\
		shift32_wrapx_##SUF(s, len, sh);			\
	else								\
		shift32_sat_##SUF(s, len, sh);				\
}

/* X86_ISA(SUF, P, W, ATTR): both widths' loops. */
#define X86_ISA(SUF, P, W, ATTR)					\
MUL16_LOOPS(SUF, P, W, ATTR)						\
SHIFT_LOOPS(32, W / 8, SUF, ATTR, nt_##SUF)

X86_ISA(base, _mm, 128, )
X86_ISA(avx2, _mm256, 256, __attribute__((target("avx2"))))
X86_ISA(avx512, _mm512, 512, __attribute__((target("avx512f,avx512bw"))))
/* Where Zen 1 lands; AVX-512 CPUs keep the plain shifts. */
SAR32_LOOPS(base, _mm, 128, )
SAR32_LOOPS(avx2, _mm256, 256, __attribute__((target("avx2"))))
SHIFT_TABLE(base, x)
SHIFT_TABLE(avx2, x)
SHIFT_TABLE(avx512, )
#endif

/* The portable loops: the baseline elsewhere, and tested on x86 too. */
SHIFT_LOOPS(16, 16, generic, , nt_none)
SHIFT_LOOPS(32, 16, generic, , nt_none)
SHIFT_TABLE(generic, )

/* The sets of loops this build has, widest first. */
static const struct {
	const char *name;
	const struct shift_loops *loops;
} shift_isas[] = {
#if defined(__x86_64__)
	{ "avx512", &shift_avx512 },
	{ "avx2", &shift_avx2 },
	{ "base", &shift_base },
	{ "generic", &shift_generic },	/* never picked: "base" runs */
#else
	{ "base", &shift_generic },
#endif
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
	size_t width;

	if (bits != 16 && bits != 32)
		return mi2s_error(EINVAL, "invalid bits");
	if (!buf && len)
		return mi2s_error(EINVAL, "invalid buffer");
	width = (size_t)bits / 8;
	len -= len % width;	/* a trailing partial sample is left alone */
	if (!len || !shift)
		return 0;
	/* Past +-bits a shift does what +-bits does; the loops negate it. */
	if (shift < -bits)
		shift = -bits;
	else if (shift > bits)
		shift = bits;
	l = loops();
	if (bits == 16)
		(sat ? l->sat16 : l->wrap16)(buf, len, shift);
	else
		(sat ? l->sat32 : l->wrap32)(buf, len, shift);
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
