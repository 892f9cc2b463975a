// SPDX-License-Identifier: GPL-2.0
/*
 * OpenI2S shared logic module: exports the pure-C bit framer and clock
 * planner (openi2s-frame.c, openi2s-clk-plan.c) to the controller driver,
 * the simulated SoC and their KUnit suites.
 */
#include <linux/export.h>
#include <linux/module.h>

#include "openi2s-clk-plan.h"
#include "openi2s-frame.h"

EXPORT_SYMBOL_GPL(openi2s_fmt_valid);
EXPORT_SYMBOL_GPL(openi2s_fmt_channels);
EXPORT_SYMBOL_GPL(openi2s_fmt_frame_bits);
EXPORT_SYMBOL_GPL(openi2s_tx_init);
EXPORT_SYMBOL_GPL(openi2s_tx_frame);
EXPORT_SYMBOL_GPL(openi2s_rx_init);
EXPORT_SYMBOL_GPL(openi2s_rx_feed);
EXPORT_SYMBOL_GPL(openi2s_wire_bit);
EXPORT_SYMBOL_GPL(openi2s_std_rates);
EXPORT_SYMBOL_GPL(openi2s_num_std_rates);
EXPORT_SYMBOL_GPL(openi2s_clk_plan);
EXPORT_SYMBOL_GPL(openi2s_clk_frame_period);

MODULE_DESCRIPTION("OpenI2S bit framer and clock planner");
MODULE_LICENSE("GPL");
