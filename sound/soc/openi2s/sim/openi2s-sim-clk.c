// SPDX-License-Identifier: GPL-2.0
/*
 * OpenI2S simulated SoC: the clock controller. A gateable bus clock and two
 * gateable audio PLLs at fixed rates; the controller model runs only from
 * enabled clocks, so a driver that forgets one gets no frames (or, for the
 * bus clock, a warning on register access), as on silicon.
 */
#include <linux/clk-provider.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#include "openi2s-sim.h"

struct openi2s_sim_clk {
	struct clk_hw hw;
	unsigned long rate;
	bool enabled;
};

#define to_sim_clk(_hw) container_of(_hw, struct openi2s_sim_clk, hw)

static const struct {
	const char *name;
	unsigned long rate;
} openi2s_sim_clk_defs[OPENI2S_SIM_NUM_CLKS] = {
	[OPENI2S_SIM_CLK_BUS] = { "bus", 100000000 },
	[OPENI2S_SIM_CLK_PLL44K1] = { "pll-44k1", 90316800 },	/* 4 x 22.5792 MHz */
	[OPENI2S_SIM_CLK_PLL48K] = { "pll-48k", 98304000 },	/* 4 x 24.576 MHz */
};

static int openi2s_sim_clk_enable(struct clk_hw *hw)
{
	WRITE_ONCE(to_sim_clk(hw)->enabled, true);
	return 0;
}

static void openi2s_sim_clk_disable(struct clk_hw *hw)
{
	WRITE_ONCE(to_sim_clk(hw)->enabled, false);
}

static int openi2s_sim_clk_is_enabled(struct clk_hw *hw)
{
	return READ_ONCE(to_sim_clk(hw)->enabled);
}

static unsigned long openi2s_sim_clk_recalc_rate(struct clk_hw *hw,
						 unsigned long parent_rate)
{
	return to_sim_clk(hw)->rate;
}

static const struct clk_ops openi2s_sim_clk_ops = {
	.enable = openi2s_sim_clk_enable,
	.disable = openi2s_sim_clk_disable,
	.is_enabled = openi2s_sim_clk_is_enabled,
	.recalc_rate = openi2s_sim_clk_recalc_rate,
};

/**
 * openi2s_sim_clk_enabled() - is a clock of the SoC running?
 * @sim: the SoC
 * @idx: OPENI2S_SIM_CLK_*
 *
 * Return: true when the clock controller exists and the clock is enabled.
 */
bool openi2s_sim_clk_enabled(struct openi2s_sim *sim, unsigned int idx)
{
	struct clk_hw **hws = READ_ONCE(sim->clk_hws);

	return hws && READ_ONCE(to_sim_clk(hws[idx])->enabled);
}

/**
 * openi2s_sim_clk_rate() - the rate of a clock of the SoC
 * @sim: the SoC
 * @idx: OPENI2S_SIM_CLK_*
 *
 * Return: its rate in Hz.
 */
unsigned long openi2s_sim_clk_rate(struct openi2s_sim *sim, unsigned int idx)
{
	return openi2s_sim_clk_defs[idx].rate;
}

static int openi2s_sim_clk_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct openi2s_sim *sim = dev_get_drvdata(dev->parent);
	struct clk_hw_onecell_data *data;
	unsigned int i;
	int ret;

	if (!sim)
		return dev_err_probe(dev, -ENODEV, "%pOF: not on an OpenI2S simulated SoC\n",
				     dev->of_node);

	data = devm_kzalloc(dev, struct_size(data, hws, OPENI2S_SIM_NUM_CLKS),
			    GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	data->num = OPENI2S_SIM_NUM_CLKS;

	for (i = 0; i < OPENI2S_SIM_NUM_CLKS; i++) {
		struct clk_init_data init = { .ops = &openi2s_sim_clk_ops };
		struct openi2s_sim_clk *clk;

		clk = devm_kzalloc(dev, sizeof(*clk), GFP_KERNEL);
		if (!clk)
			return -ENOMEM;
		init.name = devm_kasprintf(dev, GFP_KERNEL, "%s-%s",
					   dev_name(dev),
					   openi2s_sim_clk_defs[i].name);
		if (!init.name)
			return -ENOMEM;
		clk->rate = openi2s_sim_clk_defs[i].rate;
		clk->hw.init = &init;
		ret = devm_clk_hw_register(dev, &clk->hw);
		if (ret)
			return dev_err_probe(dev, ret, "registering %s\n",
					     init.name);
		data->hws[i] = &clk->hw;
	}

	ret = devm_of_clk_add_hw_provider(dev, of_clk_hw_onecell_get, data);
	if (ret)
		return dev_err_probe(dev, ret, "adding the clock provider\n");
	WRITE_ONCE(sim->clk_hws, data->hws);
	return 0;
}

static void openi2s_sim_clk_remove(struct platform_device *pdev)
{
	struct openi2s_sim *sim = dev_get_drvdata(pdev->dev.parent);

	WRITE_ONCE(sim->clk_hws, NULL);
}

static const struct of_device_id openi2s_sim_clk_of_match[] = {
	{ .compatible = "openi2s,sim-cru" },
	{ }
};
MODULE_DEVICE_TABLE(of, openi2s_sim_clk_of_match);

struct platform_driver openi2s_sim_clk_driver = {
	.driver = {
		.name = "openi2s-sim-cru",
		.of_match_table = openi2s_sim_clk_of_match,
	},
	.probe = openi2s_sim_clk_probe,
	.remove = openi2s_sim_clk_remove,
};
