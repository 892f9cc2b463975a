// SPDX-License-Identifier: GPL-2.0
/*
 * OpenI2S simulated SoC: the SoC node. The virtual board's devicetree overlay
 * (applied by openi2s-board.c) adds an "openi2s,soc-sim" node, probed here. It
 * owns the register space of its children, which it offers as a regmap (the
 * children's "reg" is not CPU-addressable: there is no "ranges"), and
 * populates the clock, interrupt and DMA controllers and the I2S controller
 * beneath it. Pattern: gpio-sim, netdevsim.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/regmap.h>
#include <linux/sizes.h>

#include "../openi2s-regs.h"
#include "openi2s-sim.h"

/* The module's debugfs directory: the board loader and each SoC use it. */
static struct dentry *openi2s_sim_debugfs;

/**
 * openi2s_sim_debugfs_root() - the simulator's debugfs directory
 *
 * Return: /sys/kernel/debug/openi2s-sim.
 */
struct dentry *openi2s_sim_debugfs_root(void)
{
	return openi2s_sim_debugfs;
}
EXPORT_SYMBOL_GPL(openi2s_sim_debugfs_root);

static bool in_ctrl(struct openi2s_sim *sim, unsigned int reg)
{
	return reg >= sim->ctrl.base && reg < sim->ctrl.base + OPENI2S_REG_SIZE;
}

static int openi2s_sim_reg_read(void *context, unsigned int reg,
				unsigned int *val)
{
	struct openi2s_sim *sim = context;
	u32 v = 0;

	if (in_ctrl(sim, reg))
		openi2s_sim_ctrl_read(&sim->ctrl, reg - sim->ctrl.base, &v);
	*val = v;
	return 0;
}

static int openi2s_sim_reg_write(void *context, unsigned int reg,
				 unsigned int val)
{
	struct openi2s_sim *sim = context;

	if (in_ctrl(sim, reg))
		openi2s_sim_ctrl_write(&sim->ctrl, reg - sim->ctrl.base, val);
	return 0;
}

/* The SoC's bus: the model locks by itself, and may be used atomically. */
static const struct regmap_config openi2s_sim_regmap_config = {
	.reg_bits = 32,
	.val_bits = 32,
	.reg_stride = 4,
	.max_register = 0xfffc,
	.reg_read = openi2s_sim_reg_read,
	.reg_write = openi2s_sim_reg_write,
	.disable_locking = true,
	.cache_type = REGCACHE_NONE,
};

/* Where the I2S controller's registers sit in the SoC's register space. */
static int openi2s_sim_ctrl_base(struct device *dev, unsigned int *base)
{
	struct device_node *np;
	u64 addr;
	int ret;

	np = of_get_compatible_child(dev->of_node, "openi2s,i2s");
	if (!np)
		return dev_err_probe(dev, -ENODEV,
				     "%pOF: no child compatible with \"openi2s,i2s\"\n",
				     dev->of_node);
	ret = of_property_read_reg(np, 0, &addr, NULL);
	if (ret)
		dev_err(dev, "%pOF: property \"reg\": cannot read it\n", np);
	else if (addr > 0xffff - OPENI2S_REG_SIZE + 1 || addr % 4)
		ret = dev_err_probe(dev, -EINVAL,
				    "%pOF: property \"reg\": 0x%llx is outside the SoC's register space\n",
				    np, addr);
	of_node_put(np);
	*base = addr;
	return ret;
}

/*
 * Every block's registers inside the SoC's 64 KiB register space, and no
 * two blocks overlapping: on silicon they would decode to the same
 * registers.
 */
static int openi2s_sim_check_regs(struct device *dev)
{
	struct device_node *np = dev->of_node, *a, *b;
	u64 a_addr, a_size, b_addr, b_size;

	for_each_available_child_of_node(np, a) {
		if (of_property_read_reg(a, 0, &a_addr, &a_size))
			continue;
		if (!a_size || a_size > SZ_64K || a_addr > SZ_64K - a_size) {
			of_node_put(a);
			return dev_err_probe(dev, -EINVAL,
					     "%pOF: property \"reg\": 0x%llx size 0x%llx is not inside the SoC's register space\n",
					     a, a_addr, a_size);
		}
		/* Each pair once: against the children after it. */
		b = of_node_get(a);
		while ((b = of_get_next_available_child(np, b))) {
			if (of_property_read_reg(b, 0, &b_addr, &b_size) ||
			    b_addr >= a_addr + a_size || a_addr >= b_addr + b_size)
				continue;
			dev_err(dev, "%pOF: property \"reg\": 0x%llx size 0x%llx overlaps %pOF (0x%llx size 0x%llx)\n",
				b, b_addr, b_size, a, a_addr, a_size);
			of_node_put(b);
			of_node_put(a);
			return -EINVAL;
		}
	}
	return 0;
}

static void openi2s_sim_stop(void *data)
{
	openi2s_sim_ctrl_stop(data);
}

static int openi2s_sim_destroy_consumer(struct device *child, void *unused)
{
	if (of_device_is_compatible(child->of_node, "openi2s,i2s"))
		of_platform_device_destroy(child, NULL);
	return 0;
}

static void openi2s_sim_depopulate(void *data)
{
	struct device *dev = data;

	/* Consumers before the controllers that supply them. */
	device_for_each_child(dev, NULL, openi2s_sim_destroy_consumer);
	of_platform_depopulate(dev);
}

/*
 * Create the SoC's blocks: the clock, interrupt and DMA controllers first,
 * then the I2S controllers they supply, so those find their resources at
 * once instead of deferring their probes (nodes an overlay adds sit in
 * reverse order in the live tree, and no device links order them here).
 */
static int openi2s_sim_populate(struct device *dev)
{
	struct device_node *child;
	int pass;

	/* Pass 0: the suppliers; pass 1: the I2S controllers. */
	for (pass = 0; pass < 2; pass++) {
		for_each_available_child_of_node(dev->of_node, child) {
			/* A match's score, not 1: compare as a boolean. */
			if (!!of_device_is_compatible(child, "openi2s,i2s") !=
			    pass)
				continue;
			if (!of_platform_device_create(child, NULL, dev)) {
				dev_err(dev, "%pOF: cannot create its device\n",
					child);
				of_node_put(child);
				openi2s_sim_depopulate(dev);
				return -ENODEV;
			}
		}
	}
	of_node_set_flag(dev->of_node, OF_POPULATED_BUS);
	return devm_add_action_or_reset(dev, openi2s_sim_depopulate, dev);
}

/*
 * The bus peer that drives BCLK and FS when the controller is a clock
 * consumer (a codec in provider mode on a real board): both properties or
 * neither, a standard audio frame rate and a frame of 2 to 512 bit clocks.
 */
static int openi2s_sim_peer_clock(struct device *dev, u32 *rate, u32 *bits)
{
	struct device_node *np = dev->of_node;
	bool has_rate = of_property_present(np, "openi2s,peer-frame-rate");
	bool has_bits = of_property_present(np, "openi2s,peer-frame-bits");

	*rate = 0;
	*bits = 0;
	if (!has_rate && !has_bits)
		return 0;
	if (!has_rate || !has_bits)
		return dev_err_probe(dev, -EINVAL,
				     "%pOF: property \"%s\": missing beside \"%s\"; the two go together\n",
				     np, has_rate ? "openi2s,peer-frame-bits" :
						    "openi2s,peer-frame-rate",
				     has_rate ? "openi2s,peer-frame-rate" :
						"openi2s,peer-frame-bits");
	if (of_property_read_u32(np, "openi2s,peer-frame-rate", rate) ||
	    *rate < 8000 || *rate > 384000)
		return dev_err_probe(dev, -EINVAL,
				     "%pOF: property \"openi2s,peer-frame-rate\": must be 8000 to 384000 Hz\n",
				     np);
	if (of_property_read_u32(np, "openi2s,peer-frame-bits", bits) ||
	    *bits < 2 || *bits > 512)
		return dev_err_probe(dev, -EINVAL,
				     "%pOF: property \"openi2s,peer-frame-bits\": must be 2 to 512\n",
				     np);
	return 0;
}

static void openi2s_sim_debugfs_remove(void *data)
{
	debugfs_remove_recursive(data);
}

static int openi2s_sim_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	u32 peer_rate, peer_bits;
	struct openi2s_sim *sim;
	unsigned int base;
	int ret;

	sim = devm_kzalloc(dev, sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return -ENOMEM;
	sim->dev = dev;

	ret = openi2s_sim_ctrl_base(dev, &base);
	if (ret)
		return ret;
	ret = openi2s_sim_check_regs(dev);
	if (ret)
		return ret;
	ret = openi2s_sim_peer_clock(dev, &peer_rate, &peer_bits);
	if (ret)
		return ret;
	ret = openi2s_sim_parts_probe(sim);
	if (ret)
		return ret;
	openi2s_sim_ctrl_init(&sim->ctrl, sim, base, peer_rate, peer_bits);
	ret = devm_add_action_or_reset(dev, openi2s_sim_stop, &sim->ctrl);
	if (ret)
		return ret;

	sim->regmap = devm_regmap_init(dev, NULL, sim, &openi2s_sim_regmap_config);
	if (IS_ERR(sim->regmap))
		return dev_err_probe(dev, PTR_ERR(sim->regmap),
				     "creating the SoC register space\n");

	sim->debugfs = debugfs_create_dir(dev_name(dev), openi2s_sim_debugfs);
	ret = devm_add_action_or_reset(dev, openi2s_sim_debugfs_remove,
				       sim->debugfs);
	if (ret)
		return ret;
	openi2s_sim_ctrl_debugfs(&sim->ctrl, sim->debugfs);
	openi2s_sim_parts_debugfs(sim);

	platform_set_drvdata(pdev, sim);
	return openi2s_sim_populate(dev);
}

static const struct of_device_id openi2s_sim_of_match[] = {
	{ .compatible = "openi2s,soc-sim" },
	{ }
};
MODULE_DEVICE_TABLE(of, openi2s_sim_of_match);

static struct platform_driver openi2s_sim_driver = {
	.driver = {
		.name = "openi2s-soc-sim",
		.of_match_table = openi2s_sim_of_match,
	},
	.probe = openi2s_sim_probe,
};

static struct platform_driver * const openi2s_sim_drivers[] = {
	&openi2s_sim_driver,
	&openi2s_sim_clk_driver,
	&openi2s_sim_intc_driver,
	&openi2s_sim_dma_driver,
};

static int __init openi2s_sim_init(void)
{
	int ret;

	openi2s_sim_debugfs = debugfs_create_dir("openi2s-sim", NULL);
	ret = platform_register_drivers(openi2s_sim_drivers,
					ARRAY_SIZE(openi2s_sim_drivers));
	if (ret)
		debugfs_remove_recursive(openi2s_sim_debugfs);
	return ret;
}
module_init(openi2s_sim_init);

static void __exit openi2s_sim_exit(void)
{
	platform_unregister_drivers(openi2s_sim_drivers,
				    ARRAY_SIZE(openi2s_sim_drivers));
	debugfs_remove_recursive(openi2s_sim_debugfs);
}
module_exit(openi2s_sim_exit);

MODULE_DESCRIPTION("OpenI2S simulated SoC: registers, clocks, DMA, interrupts and the I2S wire");
MODULE_LICENSE("GPL");
