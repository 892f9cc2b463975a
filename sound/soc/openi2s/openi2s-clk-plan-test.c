// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the OpenI2S clock planner as the controller driver uses it
 * (the same source also runs as a host test, tests/host/test-clk-plan.c).
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "openi2s-clk-plan.h"

static const u32 test_plls[] = { 90316800, 98304000 };

/* Every standard rate from the two PLL families, at 0 ppm. */
static void openi2s_clk_plan_std_rates(struct kunit *test)
{
	static const unsigned int frames[] = { 32, 48, 64, 128, 256, 512 };
	unsigned int r, f;

	for (r = 0; r < openi2s_num_std_rates; r++) {
		for (f = 0; f < ARRAY_SIZE(frames); f++) {
			u32 rate = openi2s_std_rates[r];
			struct openi2s_clk_plan plan;
			u64 num;
			u32 den;

			KUNIT_ASSERT_EQ_MSG(test, 0,
					    openi2s_clk_plan(test_plls, 2, rate,
							     frames[f], 0, &plan),
					    "%u Hz x %u bits", rate, frames[f]);
			openi2s_clk_frame_period(&plan, frames[f], &num, &den);
			KUNIT_EXPECT_EQ_MSG(test, (u64)test_plls[plan.parent] * den,
					    (u64)rate * num,
					    "%u Hz x %u bits is not exact", rate,
					    frames[f]);
		}
	}
}

static void openi2s_clk_plan_mclk(struct kunit *test)
{
	struct openi2s_clk_plan plan;

	KUNIT_ASSERT_EQ(test, 0, openi2s_clk_plan(test_plls, 2, 44100, 64,
						  44100 * 256, &plan));
	KUNIT_EXPECT_EQ(test, plan.parent, 0);
	KUNIT_EXPECT_EQ(test, plan.mdiv, 8);
	KUNIT_EXPECT_EQ(test, plan.bdiv, 32);
	KUNIT_EXPECT_EQ(test, -EINVAL, openi2s_clk_plan(test_plls, 2, 48000, 64,
							12000000, &plan));
}

static struct kunit_case openi2s_clk_plan_cases[] = {
	KUNIT_CASE(openi2s_clk_plan_std_rates),
	KUNIT_CASE(openi2s_clk_plan_mclk),
	{ }
};

static struct kunit_suite openi2s_clk_plan_suite = {
	.name = "openi2s-clk-plan",
	.test_cases = openi2s_clk_plan_cases,
};

kunit_test_suite(openi2s_clk_plan_suite);

MODULE_DESCRIPTION("KUnit tests of the OpenI2S clock planner");
MODULE_LICENSE("GPL");
