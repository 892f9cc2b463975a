// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the OpenI2S clock planner
 * (sound/soc/openi2s/openi2s-clk-plan.c): every standard rate from both audio
 * PLL families at 0 ppm, integer division preferred, MCLK exact or refused.
 */
#include "openi2s-clk-plan.h"
#include "tap.h"

/* The virtual board's audio PLLs: 4 x 22.5792 MHz and 4 x 24.576 MHz. */
static const u32 plls[] = { 90316800, 98304000 };

/* Exact check: parent * bden == rate * frames_bits * (bdiv * bden + bnum). */
static int exact(const struct openi2s_clk_plan *p, u32 rate,
		 unsigned int frame_bits)
{
	u64 num;
	u32 den;

	openi2s_clk_frame_period(p, frame_bits, &num, &den);
	/* rate = parent * den / num */
	return (u64)plls[p->parent] * den == (u64)rate * num;
}

static void test_every_standard_rate(void)
{
	static const unsigned int shapes[][2] = {
		{ 2, 16 }, { 2, 24 }, { 2, 32 }, { 4, 32 }, { 6, 24 },
		{ 8, 16 }, { 8, 32 }, { 16, 16 }, { 16, 32 },
	};
	unsigned int r, s, planned = 0, wrong = 0, refused = 0, integer = 0;

	for (r = 0; r < openi2s_num_std_rates; r++) {
		for (s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
			u32 rate = openi2s_std_rates[r];
			unsigned int bits = shapes[s][0] * shapes[s][1];
			struct openi2s_clk_plan p;

			if (openi2s_clk_plan(plls, 2, rate, bits, 0, &p)) {
				refused++;
				continue;
			}
			planned++;
			if (!exact(&p, rate, bits))
				wrong++;
			if (!p.bden)
				integer++;
		}
	}
	tap_ok(planned == openi2s_num_std_rates * 9 && !wrong,
	       "all 14 standard rates x 9 frame shapes planned at 0 ppm (%u planned, %u refused, %u inexact, %u integer)",
	       planned, refused, wrong, integer);
}

static void test_family_choice(void)
{
	struct openi2s_clk_plan p;
	int rc;

	rc = openi2s_clk_plan(plls, 2, 44100, 64, 0, &p);
	tap_ok(!rc && p.parent == 0 && p.bdiv == 32 && !p.bden,
	       "44.1 kHz x 64: the 44.1k PLL divided by 32");
	rc = openi2s_clk_plan(plls, 2, 48000, 64, 0, &p);
	tap_ok(!rc && p.parent == 1 && p.bdiv == 32 && !p.bden,
	       "48 kHz x 64: the 48k PLL divided by 32");
	rc = openi2s_clk_plan(plls, 2, 192000, 512, 0, &p);
	tap_ok(!rc && p.parent == 1 && p.bdiv == 1,
	       "192 kHz x 16 x 32 (98.304 MHz BCLK): the 48k PLL undivided");
	rc = openi2s_clk_plan(plls, 1, 192000, 512, 0, &p);
	tap_ok(rc == -EINVAL, "192 kHz x 512 from the 44.1k PLL alone is refused");
}

static void test_fractional(void)
{
	static const u32 only_48k[] = { 0, 98304000 };
	struct openi2s_clk_plan p;
	int rc;

	/* 98.304 MHz / (48 kHz x 48) = 42 + 2/3 */
	rc = openi2s_clk_plan(only_48k, 2, 48000, 48, 0, &p);
	tap_ok(!rc && p.bdiv == 42 && p.bnum == 2 && p.bden == 3 &&
	       exact(&p, 48000, 48),
	       "48 kHz with 24-bit slots: fractional divider 42 + 2/3 (%u + %u/%u)",
	       p.bdiv, p.bnum, p.bden);
	rc = openi2s_clk_plan(plls, 2, 44100, 48, 0, &p);
	tap_ok(!rc && p.parent == 0 && p.bden && exact(&p, 44100, 48),
	       "44.1 kHz with 24-bit slots: fractional from the 44.1k PLL");
}

static void test_mclk(void)
{
	struct openi2s_clk_plan p;
	int rc;

	rc = openi2s_clk_plan(plls, 2, 44100, 64, 11289600, &p);
	tap_ok(!rc && p.parent == 0 && p.mdiv == 8,
	       "MCLK 256 fs at 44.1 kHz: 11.2896 MHz = 44.1k PLL / 8");
	rc = openi2s_clk_plan(plls, 2, 48000, 64, 12288000, &p);
	tap_ok(!rc && p.parent == 1 && p.mdiv == 8,
	       "MCLK 256 fs at 48 kHz: 12.288 MHz = 48k PLL / 8");
	rc = openi2s_clk_plan(plls, 2, 48000, 64, 12000000, &p);
	tap_ok(rc == -EINVAL, "MCLK 12 MHz cannot be divided exactly: refused");
	rc = openi2s_clk_plan(plls, 2, 8000, 64, 98304000 / 512, &p);
	tap_ok(rc == -EINVAL, "an MCLK divider above 256 is refused");
}

static void test_bad_input(void)
{
	struct openi2s_clk_plan p;

	tap_ok(openi2s_clk_plan(plls, 2, 0, 64, 0, &p) == -EINVAL,
	       "rate 0 is refused");
	tap_ok(openi2s_clk_plan(plls, 2, 48000, 0, 0, &p) == -EINVAL,
	       "an empty frame is refused");
	tap_ok(openi2s_clk_plan(plls, 2, 5000000, 64, 0, &p) == -EINVAL,
	       "a bit clock above the parent is refused");
	tap_ok(openi2s_clk_plan(plls, 2, 0x7fffffff, 512, 0, &p) == -EINVAL,
	       "a rate x frame product beyond 32 bits is refused");
	tap_ok(openi2s_clk_plan(plls, 2, 7, 32, 0, &p) == -EINVAL,
	       "a divider beyond 4095 is refused");
}

int main(void)
{
	test_every_standard_rate();
	test_family_choice();
	test_fractional();
	test_mclk();
	test_bad_input();
	return tap_done();
}
