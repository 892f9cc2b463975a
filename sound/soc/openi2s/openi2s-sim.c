// SPDX-License-Identifier: GPL-2.0
/*
 * OpenI2S simulated SoC: the SoC node. Loading the module applies the
 * virtual board's devicetree overlay (dts/openi2s-virtual-board.dtso, built
 * into the module); the "openi2s,soc-sim" node it adds is probed here. It
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

#include "openi2s-regs.h"
#include "openi2s-sim.h"

/* The board overlay, linked in by openi2s-sim-board.S. */
extern const u8 openi2s_sim_board_dtbo[];
extern const u8 openi2s_sim_board_dtbo_end[];

static int openi2s_sim_overlay_id = -1;

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

static void openi2s_sim_stop(void *data)
{
	openi2s_sim_ctrl_stop(data);
}

static void openi2s_sim_debugfs_remove(void *data)
{
	debugfs_remove_recursive(data);
}

static int openi2s_sim_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
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
	openi2s_sim_ctrl_init(&sim->ctrl, sim, base);
	ret = devm_add_action_or_reset(dev, openi2s_sim_stop, &sim->ctrl);
	if (ret)
		return ret;

	sim->regmap = devm_regmap_init(dev, NULL, sim, &openi2s_sim_regmap_config);
	if (IS_ERR(sim->regmap))
		return dev_err_probe(dev, PTR_ERR(sim->regmap),
				     "creating the SoC register space\n");

	sim->debugfs = debugfs_create_dir(dev_name(dev), NULL);
	ret = devm_add_action_or_reset(dev, openi2s_sim_debugfs_remove,
				       sim->debugfs);
	if (ret)
		return ret;
	openi2s_sim_ctrl_debugfs(&sim->ctrl, sim->debugfs);

	platform_set_drvdata(pdev, sim);
	ret = devm_of_platform_populate(dev);
	if (ret)
		return dev_err_probe(dev, ret, "populating the SoC's blocks\n");
	return 0;
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

static bool apply_board = true;
module_param(apply_board, bool, 0444);
MODULE_PARM_DESC(apply_board,
		 "Apply the built-in virtual board overlay at load (default: yes)");

static int __init openi2s_sim_init(void)
{
	u32 size = openi2s_sim_board_dtbo_end - openi2s_sim_board_dtbo;
	int ret;

	ret = platform_register_drivers(openi2s_sim_drivers,
					ARRAY_SIZE(openi2s_sim_drivers));
	if (ret)
		return ret;
	if (!apply_board)
		return 0;

	ret = of_overlay_fdt_apply(openi2s_sim_board_dtbo, size,
				   &openi2s_sim_overlay_id, NULL);
	if (ret) {
		pr_err("openi2s-sim: applying the virtual board overlay: %d\n",
		       ret);
		platform_unregister_drivers(openi2s_sim_drivers,
					    ARRAY_SIZE(openi2s_sim_drivers));
	}
	return ret;
}
module_init(openi2s_sim_init);

static void __exit openi2s_sim_exit(void)
{
	if (openi2s_sim_overlay_id >= 0)
		of_overlay_remove(&openi2s_sim_overlay_id);
	platform_unregister_drivers(openi2s_sim_drivers,
				    ARRAY_SIZE(openi2s_sim_drivers));
}
module_exit(openi2s_sim_exit);

MODULE_DESCRIPTION("OpenI2S simulated SoC: registers, clocks, DMA, interrupts and the I2S wire");
MODULE_LICENSE("GPL");
