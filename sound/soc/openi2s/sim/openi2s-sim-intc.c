// SPDX-License-Identifier: GPL-2.0
/*
 * OpenI2S simulated SoC: the interrupt controller. Its lines are edges the
 * controller model raises from any context; an irq_work delivers them.
 *
 * It has its own domain rather than an irq_sim one so that it can refuse,
 * in its translation, a line the SoC does not have: a devicetree naming
 * one would otherwise reach the domain core, which WARNs on a hardware
 * line past the domain's size.
 */
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irq_work.h>
#include <linux/irqdomain.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/rcupdate.h>

#include "openi2s-sim.h"

#define OPENI2S_SIM_NUM_IRQS	1

/**
 * struct openi2s_sim_intc - the interrupt controller
 * @dev: its device
 * @domain: its interrupt domain
 * @work: delivers the raised lines
 * @enabled: the lines unmasked, one bit each
 * @pending: the lines raised and not yet delivered
 */
struct openi2s_sim_intc {
	struct device *dev;
	struct irq_domain *domain;
	struct irq_work work;
	unsigned long enabled;
	unsigned long pending;
};

/**
 * openi2s_sim_irq_raise() - signal an interrupt line of the SoC
 * @sim: the SoC
 * @hwirq: the line
 *
 * Safe in any context that holds a spinlock (the model's, as its callers
 * do). A line nobody mapped or enabled stays quiet.
 */
void openi2s_sim_irq_raise(struct openi2s_sim *sim, unsigned int hwirq)
{
	struct openi2s_sim_intc *intc = READ_ONCE(sim->intc);

	if (!intc || hwirq >= OPENI2S_SIM_NUM_IRQS ||
	    !test_bit(hwirq, &intc->enabled))
		return;
	set_bit(hwirq, &intc->pending);
	irq_work_queue(&intc->work);
}

static void openi2s_sim_intc_deliver(struct irq_work *work)
{
	struct openi2s_sim_intc *intc = container_of(work, struct openi2s_sim_intc,
						     work);
	unsigned int hwirq;

	for (hwirq = 0; hwirq < OPENI2S_SIM_NUM_IRQS; hwirq++)
		if (test_and_clear_bit(hwirq, &intc->pending))
			generic_handle_domain_irq(intc->domain, hwirq);
}

static void openi2s_sim_intc_mask(struct irq_data *d)
{
	struct openi2s_sim_intc *intc = irq_data_get_irq_chip_data(d);

	clear_bit(irqd_to_hwirq(d), &intc->enabled);
}

static void openi2s_sim_intc_unmask(struct irq_data *d)
{
	struct openi2s_sim_intc *intc = irq_data_get_irq_chip_data(d);

	set_bit(irqd_to_hwirq(d), &intc->enabled);
}

static struct irq_chip openi2s_sim_intc_chip = {
	.name = "openi2s-sim-intc",
	.irq_mask = openi2s_sim_intc_mask,
	.irq_unmask = openi2s_sim_intc_unmask,
};

static int openi2s_sim_intc_map(struct irq_domain *d, unsigned int virq,
				irq_hw_number_t hwirq)
{
	irq_set_chip_data(virq, d->host_data);
	irq_set_chip_and_handler(virq, &openi2s_sim_intc_chip,
				 handle_simple_irq);
	irq_set_noprobe(virq);
	return 0;
}

static void openi2s_sim_intc_unmap(struct irq_domain *d, unsigned int virq)
{
	irq_set_chip_and_handler(virq, NULL, NULL);
	irq_set_chip_data(virq, NULL);
}

/* One cell, the line: refuse one the SoC does not have, saying so. */
static int openi2s_sim_intc_xlate(struct irq_domain *d,
				  struct device_node *node, const u32 *spec,
				  unsigned int size, unsigned long *hwirq,
				  unsigned int *type)
{
	struct openi2s_sim_intc *intc = d->host_data;

	if (size != 1 || spec[0] >= OPENI2S_SIM_NUM_IRQS) {
		if (size != 1)
			dev_err(intc->dev, "%pOF: interrupt specifier of %u cells: the SoC's have one\n",
				node, size);
		else
			dev_err(intc->dev, "%pOF: interrupt line %u: the SoC has lines 0 to %u\n",
				node, spec[0], OPENI2S_SIM_NUM_IRQS - 1);
		return -EINVAL;
	}
	*hwirq = spec[0];
	*type = IRQ_TYPE_NONE;
	return 0;
}

static const struct irq_domain_ops openi2s_sim_intc_ops = {
	.map = openi2s_sim_intc_map,
	.unmap = openi2s_sim_intc_unmap,
	.xlate = openi2s_sim_intc_xlate,
};

/* Its consumers are gone (the SoC removes them first): end their lines. */
static void openi2s_sim_intc_release(void *data)
{
	struct openi2s_sim_intc *intc = data;
	unsigned int hwirq, virq;

	irq_work_sync(&intc->work);
	for (hwirq = 0; hwirq < OPENI2S_SIM_NUM_IRQS; hwirq++) {
		virq = irq_find_mapping(intc->domain, hwirq);
		if (virq)
			irq_dispose_mapping(virq);
	}
	irq_domain_remove(intc->domain);
}

static int openi2s_sim_intc_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct openi2s_sim *sim = dev_get_drvdata(dev->parent);
	struct openi2s_sim_intc *intc;
	int ret;

	if (!sim)
		return dev_err_probe(dev, -ENODEV, "%pOF: not on an OpenI2S simulated SoC\n",
				     dev->of_node);
	intc = devm_kzalloc(dev, sizeof(*intc), GFP_KERNEL);
	if (!intc)
		return -ENOMEM;
	intc->dev = dev;
	/* Hard: the handlers expect hard interrupt context, even on RT. */
	intc->work = IRQ_WORK_INIT_HARD(openi2s_sim_intc_deliver);
	intc->domain = irq_domain_create_linear(dev_fwnode(dev),
						OPENI2S_SIM_NUM_IRQS,
						&openi2s_sim_intc_ops, intc);
	if (!intc->domain)
		return dev_err_probe(dev, -ENOMEM,
				     "creating the interrupt domain\n");
	ret = devm_add_action_or_reset(dev, openi2s_sim_intc_release, intc);
	if (ret)
		return ret;
	WRITE_ONCE(sim->intc, intc);
	return 0;
}

static void openi2s_sim_intc_remove(struct platform_device *pdev)
{
	struct openi2s_sim *sim = dev_get_drvdata(pdev->dev.parent);

	WRITE_ONCE(sim->intc, NULL);
	/*
	 * Every raise runs under the controller model's spinlock, an RCU
	 * read-side section (interrupts off, or rcu_read_lock() on RT):
	 * after this none still holds the controller devres will free.
	 */
	synchronize_rcu();
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
