// SPDX-License-Identifier: GPL-2.0
/*
 * OpenI2S clock planner. See openi2s-clk-plan.h.
 */
#include "openi2s-clk-plan.h"

/* The rates every OpenI2S clock generator must hit exactly, 8 to 192 kHz. */
const u32 openi2s_std_rates[] = {
	8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000,
	64000, 88200, 96000, 176400, 192000,
};
EXPORT_SYMBOL_GPL(openi2s_std_rates);

const unsigned int openi2s_num_std_rates = ARRAY_SIZE(openi2s_std_rates);
EXPORT_SYMBOL_GPL(openi2s_num_std_rates);

static u32 gcd32(u32 a, u32 b)
{
	while (b) {
		u32 t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/*
 * Divide @parent down to @bclk exactly: fill the BCLK divider of @plan.
 * Return 0 for an integer divider, 1 for a fractional one, -EINVAL when the
 * registers cannot hold the ratio.
 */
static int plan_bclk(u32 parent, u32 bclk,
		     struct openi2s_clk_plan *plan)
{
	u32 g, num, den;

	if (!bclk || bclk > parent)
		return -EINVAL;
	g = gcd32(parent, bclk);
	num = parent / g;
	den = bclk / g;
	plan->bdiv = num / den;
	if (plan->bdiv > OPENI2S_BDIV_MAX)
		return -EINVAL;
	if (den == 1) {
		plan->bnum = 0;
		plan->bden = 0;
		return 0;
	}
	/* The fractional divider alternates bdiv and bdiv + 1 cycles. */
	if (den > OPENI2S_BDEN_MAX || plan->bdiv < 2)
		return -EINVAL;
	plan->bnum = num % den;
	plan->bden = den;
	return 1;
}

/**
 * openi2s_clk_plan() - plan the clock generator for one frame rate
 * @parent_hz: rates of the selectable parent clocks (0: absent)
 * @num_parents: entries in @parent_hz
 * @rate: frame rate in Hz
 * @frame_bits: bit clocks per frame (slots times slot width)
 * @mclk_hz: MCLK rate to produce too, or 0 for none
 * @plan: receives the setting
 *
 * Every result is exact. A parent that divides to BCLK by an integer wins
 * over one that needs the fractional divider; among equals the first wins.
 *
 * Return: 0, or -EINVAL when no parent produces @rate (and @mclk_hz) exactly.
 */
int openi2s_clk_plan(const u32 *parent_hz, unsigned int num_parents,
		     u32 rate, unsigned int frame_bits, u32 mclk_hz,
		     struct openi2s_clk_plan *plan)
{
	int best = -EINVAL;
	unsigned int i;

	if (!rate || !frame_bits || rate > 0xffffffffu / frame_bits)
		return -EINVAL;

	for (i = 0; i < num_parents; i++) {
		u32 parent = parent_hz[i];
		struct openi2s_clk_plan try = { .parent = i, .mdiv = 1 };
		int kind;

		if (!parent)
			continue;
		if (mclk_hz) {
			if (mclk_hz > parent || parent % mclk_hz ||
			    parent / mclk_hz > OPENI2S_MDIV_MAX)
				continue;
			try.mdiv = parent / mclk_hz;
		}
		kind = plan_bclk(parent, rate * frame_bits, &try);
		if (kind < 0)
			continue;
		if (best < 0 || kind < best) {
			*plan = try;
			best = kind;
		}
	}
	return best < 0 ? best : 0;
}
EXPORT_SYMBOL_GPL(openi2s_clk_plan);

/**
 * openi2s_clk_frame_period() - parent clock cycles per frame of a plan
 * @plan: the setting
 * @frame_bits: bit clocks per frame
 * @num: receives the numerator
 * @den: receives the denominator
 *
 * A frame lasts exactly @num / @den cycles of the parent clock.
 */
void openi2s_clk_frame_period(const struct openi2s_clk_plan *plan,
			      unsigned int frame_bits, u64 *num,
			      u32 *den)
{
	if (!plan->bden) {
		*num = (u64)plan->bdiv * frame_bits;
		*den = 1;
		return;
	}
	*num = ((u64)plan->bdiv * plan->bden + plan->bnum) * frame_bits;
	*den = plan->bden;
}
EXPORT_SYMBOL_GPL(openi2s_clk_frame_period);
