/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OpenI2S clock planner: picks the parent clock and the MCLK and BCLK
 * dividers that produce a frame rate exactly (0 ppm), preferring integer
 * bit-clock division (no jitter) over the fractional divider.
 *
 * Pure C without kernel dependencies: used by the controller driver and by
 * host and KUnit tests. The equations are in Documentation/sound/openi2s.rst
 * ("Clock generator").
 */
#ifndef OPENI2S_CLK_PLAN_H
#define OPENI2S_CLK_PLAN_H

#include "openi2s-pure.h"

#define OPENI2S_MDIV_MAX	256
#define OPENI2S_BDIV_MAX	4095
#define OPENI2S_BDEN_MAX	65535

/**
 * struct openi2s_clk_plan - a clock generator setting
 * @parent: index of the chosen parent clock
 * @mdiv: MCLK = parent / @mdiv, 1..256 (1 when no MCLK was asked for)
 * @bdiv: integer part of the BCLK divider, 1..4095
 * @bnum: fractional part numerator, below @bden
 * @bden: fractional part denominator, 0 for an integer divider
 *
 * BCLK = parent / (@bdiv + @bnum / @bden).
 */
struct openi2s_clk_plan {
	unsigned int parent;
	u32 mdiv;
	u32 bdiv;
	u32 bnum;
	u32 bden;
};

extern const u32 openi2s_std_rates[];
extern const unsigned int openi2s_num_std_rates;

int openi2s_clk_plan(const u32 *parent_hz, unsigned int num_parents,
		     u32 rate, unsigned int frame_bits, u32 mclk_hz,
		     struct openi2s_clk_plan *plan);
void openi2s_clk_frame_period(const struct openi2s_clk_plan *plan,
			      unsigned int frame_bits, u64 *num,
			      u32 *den);

#endif /* OPENI2S_CLK_PLAN_H */
