// SPDX-License-Identifier: GPL-2.0
/*
 * OpenI2S shared logic module: the pure-C bit framer and clock planner
 * (openi2s-frame.c, openi2s-clk-plan.c) for the controller driver, the
 * simulated SoC and their KUnit suites.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("OpenI2S bit framer and clock planner");
MODULE_LICENSE("GPL");
