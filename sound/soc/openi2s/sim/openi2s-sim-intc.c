// SPDX-License-Identifier: GPL-2.0
/*
 * OpenI2S simulated SoC: the interrupt controller, an irq_sim domain that
 * the controller model raises its interrupt line through.
 */
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irq_sim.h>
#include <linux/irqdomain.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#include "openi2s-sim.h"

#define OPENI2S_SIM_NUM_IRQS	1

/**
 * openi2s_sim_irq_raise() - signal an interrupt line of the SoC
 * @sim: the SoC
 * @hwirq: the line
 *
 * Safe in any context. A line nobody mapped or enabled stays quiet.
 */
void openi2s_sim_irq_raise(struct openi2s_sim *sim, unsigned int hwirq)
{
	struct irq_domain *domain = READ_ONCE(sim->irq_domain);
	unsigned int virq;

	if (!domain)
		return;
	virq = irq_find_mapping(domain, hwirq);
	if (virq)
		irq_set_irqchip_state(virq, IRQCHIP_STATE_PENDING, true);
}

static int openi2s_sim_intc_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct openi2s_sim *sim = dev_get_drvdata(dev->parent);
	struct irq_domain *domain;

	if (!sim)
		return dev_err_probe(dev, -ENODEV, "%pOF: not on an OpenI2S simulated SoC\n",
				     dev->of_node);
	domain = devm_irq_domain_create_sim(dev, dev_fwnode(dev),
					    OPENI2S_SIM_NUM_IRQS);
	if (IS_ERR(domain))
		return dev_err_probe(dev, PTR_ERR(domain),
				     "creating the interrupt domain\n");
	WRITE_ONCE(sim->irq_domain, domain);
	return 0;
}

static void openi2s_sim_intc_remove(struct platform_device *pdev)
{
	struct openi2s_sim *sim = dev_get_drvdata(pdev->dev.parent);

	WRITE_ONCE(sim->irq_domain, NULL);
}

static const struct of_device_id openi2s_sim_intc_of_match[] = {
	{ .compatible = "openi2s,sim-intc" },
	{ }
};
MODULE_DEVICE_TABLE(of, openi2s_sim_intc_of_match);

struct platform_driver openi2s_sim_intc_driver = {
	.driver = {
		.name = "openi2s-sim-intc",
		.of_match_table = openi2s_sim_intc_of_match,
	},
	.probe = openi2s_sim_intc_probe,
	.remove = openi2s_sim_intc_remove,
};
