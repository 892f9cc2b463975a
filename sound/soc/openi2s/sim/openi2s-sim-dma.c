// SPDX-License-Identifier: GPL-2.0
/*
 * OpenI2S simulated SoC: the DMA controller. A dmaengine provider with one
 * channel per request line (0: I2S TX, 1: I2S RX) doing cyclic slave
 * transfers, which is all the generic dmaengine PCM asks of it. Like a
 * real peripheral DMA it moves data only while the controller asserts the
 * channel's request, a burst at a time, and reports the residue at burst
 * granularity.
 *
 * Locking: a request and the bursts it causes are one step of the
 * controller model, under its lock. So that lock, not the channel's, also
 * guards what the data path uses: a channel's configuration, its active
 * transfer and position, and its pause. The channel's vc.lock guards the
 * virt-dma lists and nests inside the model's lock; the data path takes it
 * only to start a transfer or end a period, not per burst. tx_status() and
 * the channel controls so wait for a tick's frames, as register accesses
 * do. prep_cyclic() reads the configuration unlocked: a client configures
 * a channel before it prepares a transfer, and the data path only reads it.
 */
#include <linux/device.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_dma.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "../openi2s-regs.h"
#include "openi2s-sim.h"
#include "virt-dma.h"

#define OPENI2S_SIM_DMA_CHANNELS	2

/*
 * A cyclic transfer: @pos is where it is in the buffer, @period_pos in the
 * period; @unread counts the bytes moved since ALSA last read the position.
 * @width is the bus width it was prepared for, which divides its periods
 * whatever the channel is configured for later.
 */
struct openi2s_sim_dma_desc {
	struct virt_dma_desc vd;
	void *mem;
	unsigned int width;
	size_t total;
	size_t period;
	size_t period_pos;
	size_t pos;
	size_t unread;
};

struct openi2s_sim_dma_chan {
	struct virt_dma_chan vc;
	struct openi2s_sim_dma *dma;
	unsigned int drq;
	enum dma_transfer_direction dir;
	struct dma_slave_config cfg;
	struct openi2s_sim_dma_desc *cur;
	bool paused;
};

struct openi2s_sim_dma {
	struct dma_device ddev;
	struct openi2s_sim *sim;
	struct openi2s_sim_dma_chan chans[OPENI2S_SIM_DMA_CHANNELS];
};

static struct openi2s_sim_dma_chan *to_sim_chan(struct dma_chan *chan)
{
	return container_of(to_virt_chan(chan), struct openi2s_sim_dma_chan, vc);
}

static struct openi2s_sim_dma_desc *to_sim_desc(struct virt_dma_desc *vd)
{
	return container_of(vd, struct openi2s_sim_dma_desc, vd);
}

static void openi2s_sim_dma_desc_free(struct virt_dma_desc *vd)
{
	kfree(to_sim_desc(vd));
}

/* The device-side bus width the channel was configured for. */
static unsigned int bus_width(struct openi2s_sim_dma_chan *ch)
{
	return ch->dir == DMA_MEM_TO_DEV ? ch->cfg.dst_addr_width :
					   ch->cfg.src_addr_width;
}

static unsigned int burst_len(struct openi2s_sim_dma_chan *ch)
{
	u32 burst = ch->dir == DMA_MEM_TO_DEV ? ch->cfg.dst_maxburst :
						ch->cfg.src_maxburst;

	return burst ? burst : 1;
}

static spinlock_t *model_lock(struct openi2s_sim_dma_chan *ch)
{
	return &ch->dma->sim->ctrl.lock;
}

/* Move @n elements between memory and the controller's data port. */
static void move_elements(struct openi2s_sim_dma_chan *ch, void *mem,
			  unsigned int width, unsigned int n)
{
	struct openi2s_sim_ctrl *ctrl = &ch->dma->sim->ctrl;

	if (ch->dir == DMA_MEM_TO_DEV)
		openi2s_sim_ctrl_push(ctrl, mem, width, n);
	else
		openi2s_sim_ctrl_pop(ctrl, mem, width, n);
}

/*
 * A cyclic transfer moves @bytes. ALSA knows where it is only from
 * the residue it last read (tx_status()); once the transfer has moved a
 * whole buffer since, the position it reads next wraps onto the older
 * one, and ALSA hands out the newer lap's data as if it were the older's.
 * Silicon would lose that data unseen; the model says so (the
 * controller's lock is held).
 */
static void count_unread(struct openi2s_sim_dma_chan *ch,
			 struct openi2s_sim_dma_desc *d, size_t bytes)
{
	d->unread += bytes;
	if (d->unread < d->total)
		return;
	d->unread -= d->total;
	ch->dma->sim->ctrl.dma_unseen_laps[ch->drq]++;
	dev_warn_ratelimited(ch->dma->ddev.dev,
			     "channel %u: the buffer lapped before its position was read\n",
			     ch->drq);
}

/*
 * Advance the active transfer by one burst; the model's lock is held.
 * Returns whether it ended a period (an interrupt).
 */
static bool do_burst(struct openi2s_sim_dma_chan *ch)
{
	struct openi2s_sim_dma_desc *d = ch->cur;
	unsigned int width = d->width, n = burst_len(ch);
	bool irq = false;

	/* tx_status() cannot read the position halfway through a burst. */
	count_unread(ch, d, (size_t)n * width);
	/*
	 * The elements move in runs up to the next period end (buffers are
	 * whole periods), where the bookkeeping is that of a single element.
	 */
	while (n) {
		unsigned int run = min_t(size_t, n,
					 (d->period - d->period_pos) / width);
		size_t bytes = (size_t)run * width;

		move_elements(ch, d->mem + d->pos, width, run);
		n -= run;
		d->pos += bytes;
		d->period_pos += bytes;
		if (d->period_pos == d->period) {
			d->period_pos = 0;
			spin_lock(&ch->vc.lock);
			vchan_cyclic_callback(&d->vd);
			spin_unlock(&ch->vc.lock);
			irq = true;
		}
		if (d->pos == d->total)
			d->pos = 0;
	}
	return irq;
}

static bool start_next(struct openi2s_sim_dma_chan *ch)
{
	struct virt_dma_desc *vd;

	spin_lock(&ch->vc.lock);
	vd = vchan_next_desc(&ch->vc);
	if (vd) {
		list_del(&vd->node);
		ch->cur = to_sim_desc(vd);
	}
	spin_unlock(&ch->vc.lock);
	return vd;
}

/**
 * openi2s_sim_dma_service() - serve a request line while it is asserted
 * @sim: the SoC
 * @drq: the request line
 *
 * Called by the controller model with its lock held, whenever its requests
 * may have changed.
 *
 * Return: true when a period ended: its callback waits in the channel's
 * tasklet.
 */
bool openi2s_sim_dma_service(struct openi2s_sim *sim, unsigned int drq)
{
	struct openi2s_sim_dma *dma = sim->dma;
	struct openi2s_sim_dma_chan *ch;
	bool irq = false;

	if (!dma || drq >= OPENI2S_SIM_DMA_CHANNELS)
		return false;
	ch = &dma->chans[drq];
	while (!ch->paused && openi2s_sim_ctrl_drq(&sim->ctrl, drq)) {
		if (!ch->cur && !start_next(ch))
			break;
		irq |= do_burst(ch);
	}
	return irq;
}

static int openi2s_sim_dma_config(struct dma_chan *chan,
				  struct dma_slave_config *cfg)
{
	struct openi2s_sim_dma_chan *ch = to_sim_chan(chan);
	unsigned long flags;

	spin_lock_irqsave(model_lock(ch), flags);
	ch->cfg = *cfg;
	spin_unlock_irqrestore(model_lock(ch), flags);
	return 0;
}

/*
 * The address the channel's request line serves: the controller's data
 * port, in the SoC's register space. A transfer to or from anywhere else
 * would hit another register or nothing on real silicon.
 */
static bool port_ok(struct openi2s_sim_dma_chan *ch)
{
	dma_addr_t want = ch->dma->sim->ctrl.base +
			  (ch->drq == OPENI2S_DRQ_TX ? OPENI2S_TX_DATA :
						     OPENI2S_RX_DATA);
	dma_addr_t got = ch->dir == DMA_MEM_TO_DEV ? ch->cfg.dst_addr :
						     ch->cfg.src_addr;

	if (got == want)
		return true;
	dev_err(ch->dma->ddev.dev,
		"channel %u: device address %pad is not the I2S controller's %s port (%pad)\n",
		ch->drq, &got, ch->drq == OPENI2S_DRQ_TX ? "TX_DATA" : "RX_DATA",
		&want);
	return false;
}

static bool config_ok(struct openi2s_sim_dma_chan *ch,
		      enum dma_transfer_direction dir, size_t len)
{
	unsigned int width = bus_width(ch);

	if (dir != ch->dir) {
		dev_err(ch->dma->ddev.dev, "channel %u only does %s\n", ch->drq,
			ch->dir == DMA_MEM_TO_DEV ? "mem-to-dev" : "dev-to-mem");
		return false;
	}
	if (width != 2 && width != 4) {
		dev_err(ch->dma->ddev.dev, "channel %u: bus width %u unsupported\n",
			ch->drq, width);
		return false;
	}
	return port_ok(ch) && len && len % width == 0;
}

/*
 * The simulated bus master sees system memory through the kernel's direct
 * map; the address is translated once per transfer, not per element.
 */
static void *bus_to_mem(struct openi2s_sim_dma_chan *ch, dma_addr_t addr)
{
	return phys_to_virt(dma_to_phys(ch->dma->ddev.dev, addr));
}

static struct dma_async_tx_descriptor *
openi2s_sim_dma_prep_cyclic(struct dma_chan *chan, dma_addr_t buf_addr,
			    size_t buf_len, size_t period_len,
			    enum dma_transfer_direction dir, unsigned long flags)
{
	struct openi2s_sim_dma_chan *ch = to_sim_chan(chan);
	struct openi2s_sim_dma_desc *d;

	if (!config_ok(ch, dir, buf_len) || !period_len ||
	    buf_len % period_len || period_len % bus_width(ch))
		return NULL;
	d = kzalloc(sizeof(*d), GFP_NOWAIT);
	if (!d)
		return NULL;
	d->mem = bus_to_mem(ch, buf_addr);
	d->width = bus_width(ch);
	d->total = buf_len;
	d->period = period_len;
	return vchan_tx_prep(&ch->vc, &d->vd, flags);
}

static void openi2s_sim_dma_issue_pending(struct dma_chan *chan)
{
	struct openi2s_sim_dma_chan *ch = to_sim_chan(chan);
	unsigned long flags;

	spin_lock_irqsave(&ch->vc.lock, flags);
	vchan_issue_pending(&ch->vc);
	spin_unlock_irqrestore(&ch->vc.lock, flags);
	/* Serve a request that is already waiting (outside our lock). */
	openi2s_sim_ctrl_kick(&ch->dma->sim->ctrl);
}

static enum dma_status openi2s_sim_dma_tx_status(struct dma_chan *chan,
						 dma_cookie_t cookie,
						 struct dma_tx_state *state)
{
	struct openi2s_sim_dma_chan *ch = to_sim_chan(chan);
	struct virt_dma_desc *vd;
	enum dma_status status;
	unsigned long flags;
	size_t residue = 0;

	status = dma_cookie_status(chan, cookie, state);
	if (status == DMA_COMPLETE || !state)
		return status;

	spin_lock_irqsave(model_lock(ch), flags);
	spin_lock(&ch->vc.lock);
	vd = vchan_find_desc(&ch->vc, cookie);
	if (vd) {
		residue = to_sim_desc(vd)->total;
	} else if (ch->cur && ch->cur->vd.tx.cookie == cookie) {
		residue = ch->cur->total - ch->cur->pos;
		ch->cur->unread = 0;	/* the position is known again */
	}
	if (ch->paused && status == DMA_IN_PROGRESS)
		status = DMA_PAUSED;
	spin_unlock(&ch->vc.lock);
	spin_unlock_irqrestore(model_lock(ch), flags);
	dma_set_residue(state, residue);
	return status;
}

static int openi2s_sim_dma_pause(struct dma_chan *chan)
{
	struct openi2s_sim_dma_chan *ch = to_sim_chan(chan);
	unsigned long flags;

	spin_lock_irqsave(model_lock(ch), flags);
	ch->paused = true;
	spin_unlock_irqrestore(model_lock(ch), flags);
	return 0;
}

static int openi2s_sim_dma_resume(struct dma_chan *chan)
{
	struct openi2s_sim_dma_chan *ch = to_sim_chan(chan);
	unsigned long flags;

	spin_lock_irqsave(model_lock(ch), flags);
	ch->paused = false;
	spin_unlock_irqrestore(model_lock(ch), flags);
	openi2s_sim_ctrl_kick(&ch->dma->sim->ctrl);
	return 0;
}

static int openi2s_sim_dma_terminate_all(struct dma_chan *chan)
{
	struct openi2s_sim_dma_chan *ch = to_sim_chan(chan);
	unsigned long flags;
	LIST_HEAD(head);

	spin_lock_irqsave(model_lock(ch), flags);
	spin_lock(&ch->vc.lock);
	if (ch->cur) {
		vchan_terminate_vdesc(&ch->cur->vd);
		ch->cur = NULL;
	}
	ch->paused = false;
	vchan_get_all_descriptors(&ch->vc, &head);
	spin_unlock(&ch->vc.lock);
	spin_unlock_irqrestore(model_lock(ch), flags);
	vchan_dma_desc_free_list(&ch->vc, &head);
	return 0;
}

static void openi2s_sim_dma_synchronize(struct dma_chan *chan)
{
	vchan_synchronize(to_virt_chan(chan));
}

static void openi2s_sim_dma_free_chan_resources(struct dma_chan *chan)
{
	vchan_free_chan_resources(to_virt_chan(chan));
}

static struct dma_chan *openi2s_sim_dma_xlate(struct of_phandle_args *spec,
					      struct of_dma *ofdma)
{
	struct openi2s_sim_dma *dma = ofdma->of_dma_data;

	if (spec->args_count != 1 ||
	    spec->args[0] >= OPENI2S_SIM_DMA_CHANNELS) {
		dev_err(dma->ddev.dev, "%pOF: bad request line in \"dmas\"\n",
			spec->np);
		return NULL;
	}
	return dma_get_slave_channel(&dma->chans[spec->args[0]].vc.chan);
}

static void openi2s_sim_dma_of_free(void *data)
{
	of_dma_controller_free(data);
}

static int openi2s_sim_dma_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct openi2s_sim *sim = dev_get_drvdata(dev->parent);
	struct openi2s_sim_dma *dma;
	struct dma_device *dd;
	unsigned int i;
	int ret;

	if (!sim)
		return dev_err_probe(dev, -ENODEV, "%pOF: not on an OpenI2S simulated SoC\n",
				     dev->of_node);
	dma = devm_kzalloc(dev, sizeof(*dma), GFP_KERNEL);
	if (!dma)
		return -ENOMEM;
	dma->sim = sim;

	ret = dma_coerce_mask_and_coherent(dev, DMA_BIT_MASK(32));
	if (ret)
		return dev_err_probe(dev, ret, "setting the DMA mask\n");
	/* Transfer lengths are not limited to the 64 KiB default. */
	dma_set_max_seg_size(dev, SZ_16M);

	dd = &dma->ddev;
	dd->dev = dev;
	dma_cap_set(DMA_SLAVE, dd->cap_mask);
	dma_cap_set(DMA_CYCLIC, dd->cap_mask);
	dd->src_addr_widths = BIT(DMA_SLAVE_BUSWIDTH_2_BYTES) |
			      BIT(DMA_SLAVE_BUSWIDTH_4_BYTES);
	dd->dst_addr_widths = dd->src_addr_widths;
	dd->directions = BIT(DMA_MEM_TO_DEV) | BIT(DMA_DEV_TO_MEM);
	dd->residue_granularity = DMA_RESIDUE_GRANULARITY_BURST;
	dd->max_burst = OPENI2S_SIM_FIFO_DEPTH;
	dd->device_free_chan_resources = openi2s_sim_dma_free_chan_resources;
	dd->device_prep_dma_cyclic = openi2s_sim_dma_prep_cyclic;
	dd->device_config = openi2s_sim_dma_config;
	dd->device_pause = openi2s_sim_dma_pause;
	dd->device_resume = openi2s_sim_dma_resume;
	dd->device_terminate_all = openi2s_sim_dma_terminate_all;
	dd->device_synchronize = openi2s_sim_dma_synchronize;
	dd->device_issue_pending = openi2s_sim_dma_issue_pending;
	dd->device_tx_status = openi2s_sim_dma_tx_status;
	INIT_LIST_HEAD(&dd->channels);

	for (i = 0; i < OPENI2S_SIM_DMA_CHANNELS; i++) {
		struct openi2s_sim_dma_chan *ch = &dma->chans[i];

		ch->dma = dma;
		ch->drq = i;
		ch->dir = i == OPENI2S_DRQ_TX ? DMA_MEM_TO_DEV : DMA_DEV_TO_MEM;
		ch->vc.desc_free = openi2s_sim_dma_desc_free;
		vchan_init(&ch->vc, dd);
	}

	ret = dmaenginem_async_device_register(dd);
	if (ret)
		return dev_err_probe(dev, ret, "registering the DMA device\n");
	ret = of_dma_controller_register(dev->of_node, openi2s_sim_dma_xlate,
					 dma);
	if (ret)
		return dev_err_probe(dev, ret, "registering the DMA provider\n");
	ret = devm_add_action_or_reset(dev, openi2s_sim_dma_of_free,
				       dev->of_node);
	if (ret)
		return ret;
	WRITE_ONCE(sim->dma, dma);
	return 0;
}

static void openi2s_sim_dma_remove(struct platform_device *pdev)
{
	struct openi2s_sim *sim = dev_get_drvdata(pdev->dev.parent);
	unsigned long flags;

	/* Stop serving requests before the channels go away. */
	spin_lock_irqsave(&sim->ctrl.lock, flags);
	sim->dma = NULL;
	spin_unlock_irqrestore(&sim->ctrl.lock, flags);
}

static const struct of_device_id openi2s_sim_dma_of_match[] = {
	{ .compatible = "openi2s,sim-dmac" },
	{ }
};
MODULE_DEVICE_TABLE(of, openi2s_sim_dma_of_match);

struct platform_driver openi2s_sim_dma_driver = {
	.driver = {
		.name = "openi2s-sim-dmac",
		.of_match_table = openi2s_sim_dma_of_match,
	},
	.probe = openi2s_sim_dma_probe,
	.remove = openi2s_sim_dma_remove,
};
