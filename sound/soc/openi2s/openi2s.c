// SPDX-License-Identifier: GPL-2.0
/*
 * OpenI2S controller: ASoC CPU DAI driver with the generic dmaengine PCM.
 *
 * The register interface is specified in Documentation/sound/openi2s.rst.
 * The controller's registers are memory mapped on a real SoC; when its node
 * has no CPU-addressable "reg" (a parent such as the simulated SoC decodes
 * it), the driver reaches them through the parent's regmap instead.
 */
#include <linux/bitfield.h>
#include <linux/clk.h>
#include <linux/debugfs.h>
#include <linux/dmaengine.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>
#include <linux/regmap.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>

#include <sound/dmaengine_pcm.h>
#include <sound/pcm_params.h>
#include <sound/soc.h>

#include "openi2s-clk-plan.h"
#include "openi2s-regs.h"

#define OPENI2S_NUM_PLLS	2

static const char * const openi2s_pll_names[OPENI2S_NUM_PLLS] = {
	"pll-44k1", "pll-48k",
};

/**
 * struct openi2s_stream - per-direction state
 * @substream: the running substream, for xrun reports from the interrupt
 * @dma: DMA parameters for the dmaengine PCM
 * @width: sample width programmed by hw_params, 0 outside hw_params/hw_free
 * @running: the engine is triggered
 */
struct openi2s_stream {
	struct snd_pcm_substream *substream;
	struct snd_dmaengine_dai_dma_data dma;
	unsigned int width;
	bool running;
};

/**
 * struct openi2s - one controller instance
 * @dev: its device
 * @regmap: its registers (cached, fast I/O)
 * @irq: its interrupt
 * @bus_clk: register clock
 * @powered: @bus_clk is on and the registers are live (runtime resumed)
 * @pll: selectable audio parent clocks (NULL when absent)
 * @pll_rate: their rates, 0 when absent
 * @pll_on: index of the PLL enabled by hw_params, or -1
 * @fifo_depth: FIFO entries per direction, from CAP
 * @max_slots: slots per frame, from CAP
 * @cap: the CAP register
 * @dai_drv: DAI description built from CAP
 * @lock: protects @streams' running/substream and @plan_bits against the
 *	interrupt handler and the other direction
 * @streams: playback and capture
 * @fmt: SND_SOC_DAIFMT_* from set_fmt
 * @mclk_rate: MCLK requested by set_sysclk, 0 for none
 * @tdm_slots: slots from set_tdm_slot, 0 when not set
 * @tdm_width: slot width from set_tdm_slot
 * @tx_mask: TX slot mask from set_tdm_slot
 * @rx_mask: RX slot mask from set_tdm_slot
 * @bclk_ratio: BCLK/FS ratio from set_bclk_ratio, 0 when not set
 * @frame_slots: slots of the programmed frame
 * @frame_width: slot width of the programmed frame
 * @xruns: underruns, overruns, frame-sync errors and clock losses seen by
 *	the interrupt
 * @clkloss: the controller has the clock-loss detector (ID minor 1 on)
 */
struct openi2s {
	struct device *dev;
	struct regmap *regmap;
	int irq;
	struct clk *bus_clk;
	bool powered;
	struct clk *pll[OPENI2S_NUM_PLLS];
	u32 pll_rate[OPENI2S_NUM_PLLS];
	int pll_on;
	unsigned int fifo_depth;
	unsigned int max_slots;
	u32 cap;
	struct snd_soc_dai_driver dai_drv;
	spinlock_t lock; /* see the kernel-doc above */
	struct openi2s_stream streams[2];
	unsigned int fmt;
	unsigned int mclk_rate;
	unsigned int tdm_slots;
	unsigned int tdm_width;
	u32 tx_mask;
	u32 rx_mask;
	unsigned int bclk_ratio;
	unsigned int frame_slots;
	unsigned int frame_width;
	u32 xruns[4];
	bool clkloss;
};

/* Register block of a direction: RX registers are the TX ones plus 0x10. */
static unsigned int dir_reg(int stream, unsigned int tx_reg)
{
	return stream == SNDRV_PCM_STREAM_CAPTURE ? tx_reg + 0x10 : tx_reg;
}

static int openi2s_set_fmt(struct snd_soc_dai *dai, unsigned int fmt)
{
	struct openi2s *i2s = snd_soc_dai_get_drvdata(dai);

	switch (fmt & SND_SOC_DAIFMT_FORMAT_MASK) {
	case SND_SOC_DAIFMT_I2S:
	case SND_SOC_DAIFMT_LEFT_J:
	case SND_SOC_DAIFMT_RIGHT_J:
	case SND_SOC_DAIFMT_DSP_A:
	case SND_SOC_DAIFMT_DSP_B:
		break;
	default:
		dev_err(i2s->dev, "unsupported format 0x%x\n",
			fmt & SND_SOC_DAIFMT_FORMAT_MASK);
		return -EINVAL;
	}
	switch (fmt & SND_SOC_DAIFMT_CLOCK_PROVIDER_MASK) {
	case SND_SOC_DAIFMT_BP_FP:
		break;
	case SND_SOC_DAIFMT_BC_FC:
		if (!(i2s->cap & OPENI2S_CAP_CONSUMER)) {
			dev_err(i2s->dev, "this instance has no clock consumer mode\n");
			return -EINVAL;
		}
		break;
	default:
		dev_err(i2s->dev, "BCLK and FS must come from the same side\n");
		return -EINVAL;
	}
	switch (fmt & SND_SOC_DAIFMT_INV_MASK) {
	case SND_SOC_DAIFMT_NB_NF:
	case SND_SOC_DAIFMT_NB_IF:
	case SND_SOC_DAIFMT_IB_NF:
	case SND_SOC_DAIFMT_IB_IF:
		break;
	default:
		return -EINVAL;
	}
	i2s->fmt = fmt;
	return 0;
}

static int openi2s_set_sysclk(struct snd_soc_dai *dai, int clk_id,
			      unsigned int freq, int dir)
{
	struct openi2s *i2s = snd_soc_dai_get_drvdata(dai);

	/* Only MCLK is exposed; 0 turns its output off. */
	i2s->mclk_rate = freq;
	return 0;
}

static int openi2s_set_tdm_slot(struct snd_soc_dai *dai, unsigned int tx_mask,
				unsigned int rx_mask, int slots, int slot_width)
{
	struct openi2s *i2s = snd_soc_dai_get_drvdata(dai);

	if (!slots) {
		i2s->tdm_slots = 0;
		return 0;
	}
	if (slots < 1 || slots > i2s->max_slots) {
		dev_err(i2s->dev, "%d TDM slots: this instance has 1..%u\n",
			slots, i2s->max_slots);
		return -EINVAL;
	}
	if (slot_width != 16 && slot_width != 24 && slot_width != 32) {
		dev_err(i2s->dev, "TDM slot width %d: must be 16, 24 or 32\n",
			slot_width);
		return -EINVAL;
	}
	if ((tx_mask | rx_mask) & ~GENMASK(slots - 1, 0)) {
		dev_err(i2s->dev, "TDM masks 0x%x/0x%x use slots beyond %d\n",
			tx_mask, rx_mask, slots);
		return -EINVAL;
	}
	i2s->tdm_slots = slots;
	i2s->tdm_width = slot_width;
	i2s->tx_mask = tx_mask;
	i2s->rx_mask = rx_mask;
	return 0;
}

static int openi2s_set_bclk_ratio(struct snd_soc_dai *dai, unsigned int ratio)
{
	struct openi2s *i2s = snd_soc_dai_get_drvdata(dai);

	i2s->bclk_ratio = ratio;
	return 0;
}

static bool two_phase(unsigned int fmt)
{
	switch (fmt & SND_SOC_DAIFMT_FORMAT_MASK) {
	case SND_SOC_DAIFMT_DSP_A:
	case SND_SOC_DAIFMT_DSP_B:
		return false;
	}
	return true;
}

static bool slot_width_ok(struct openi2s *i2s, unsigned int w)
{
	return (w == 16 && (i2s->cap & OPENI2S_CAP_SLOT16)) ||
	       (w == 24 && (i2s->cap & OPENI2S_CAP_SLOT24)) ||
	       (w == 32 && (i2s->cap & OPENI2S_CAP_SLOT32));
}

/*
 * The frame for a stream: slots, slot width and this direction's slot mask,
 * from set_tdm_slot, set_bclk_ratio, or the channel count and sample size.
 */
static int openi2s_frame(struct openi2s *i2s, int stream,
			 struct snd_pcm_hw_params *params,
			 unsigned int *slots, unsigned int *slot_width,
			 u32 *mask)
{
	unsigned int channels = params_channels(params);
	unsigned int width = params_width(params);

	if (i2s->tdm_slots) {
		*slots = i2s->tdm_slots;
		*slot_width = i2s->tdm_width;
		*mask = stream == SNDRV_PCM_STREAM_PLAYBACK ? i2s->tx_mask :
							      i2s->rx_mask;
		if (hweight32(*mask) != channels) {
			dev_err(i2s->dev, "%u channels but TDM mask 0x%x has %u slots\n",
				channels, *mask, hweight32(*mask));
			return -EINVAL;
		}
	} else {
		*slots = channels;
		if (two_phase(i2s->fmt))
			*slots = max(2u, round_up(channels, 2));
		/* 20- and 24-bit samples travel in 32-bit slots by default. */
		*slot_width = width == 16 ? 16 : 32;
		if (i2s->bclk_ratio) {
			if (i2s->bclk_ratio % *slots) {
				dev_err(i2s->dev, "BCLK ratio %u is not a multiple of %u slots\n",
					i2s->bclk_ratio, *slots);
				return -EINVAL;
			}
			*slot_width = i2s->bclk_ratio / *slots;
		}
		*mask = GENMASK(channels - 1, 0);
	}
	if (*slots > i2s->max_slots || !slot_width_ok(i2s, *slot_width) ||
	    *slot_width < width) {
		dev_err(i2s->dev, "cannot frame %u-bit samples in %u slots of %u bits\n",
			width, *slots, *slot_width);
		return -EINVAL;
	}
	if (two_phase(i2s->fmt) && *slots % 2) {
		dev_err(i2s->dev, "I2S and justified formats need an even slot count, not %u\n",
			*slots);
		return -EINVAL;
	}
	return 0;
}

static u32 openi2s_fmt_reg(struct openi2s *i2s, unsigned int slots,
			   unsigned int slot_width)
{
	static const u8 modes[] = {
		[SND_SOC_DAIFMT_I2S] = OPENI2S_FMT_MODE_I2S,
		[SND_SOC_DAIFMT_LEFT_J] = OPENI2S_FMT_MODE_LEFT_J,
		[SND_SOC_DAIFMT_RIGHT_J] = OPENI2S_FMT_MODE_RIGHT_J,
		[SND_SOC_DAIFMT_DSP_A] = OPENI2S_FMT_MODE_DSP_A,
		[SND_SOC_DAIFMT_DSP_B] = OPENI2S_FMT_MODE_DSP_B,
	};
	unsigned int inv = i2s->fmt & SND_SOC_DAIFMT_INV_MASK;
	u32 val;

	val = FIELD_PREP(OPENI2S_FMT_MODE,
			 modes[i2s->fmt & SND_SOC_DAIFMT_FORMAT_MASK]) |
	      FIELD_PREP(OPENI2S_FMT_SLOT_WIDTH, slot_width) |
	      FIELD_PREP(OPENI2S_FMT_SLOTS, slots - 1);
	if (inv == SND_SOC_DAIFMT_IB_NF || inv == SND_SOC_DAIFMT_IB_IF)
		val |= OPENI2S_FMT_BCLK_INV;
	if (inv == SND_SOC_DAIFMT_NB_IF || inv == SND_SOC_DAIFMT_IB_IF)
		val |= OPENI2S_FMT_FS_INV;
	return val;
}

static bool openi2s_provider(struct openi2s *i2s)
{
	return (i2s->fmt & SND_SOC_DAIFMT_CLOCK_PROVIDER_MASK) ==
	       SND_SOC_DAIFMT_BP_FP;
}

/* Plan and program the clock generator; the PLL it uses is enabled. */
static int openi2s_set_clocks(struct openi2s *i2s, unsigned int rate,
			      unsigned int frame_bits)
{
	struct openi2s_clk_plan plan;
	int ret;

	ret = openi2s_clk_plan(i2s->pll_rate, OPENI2S_NUM_PLLS, rate,
			       frame_bits, i2s->mclk_rate, &plan);
	if (ret) {
		dev_err(i2s->dev, "no exact clock for %u Hz x %u bits%s from %u/%u Hz\n",
			rate, frame_bits, i2s->mclk_rate ? " with that MCLK" : "",
			i2s->pll_rate[0], i2s->pll_rate[1]);
		return ret;
	}
	if (i2s->pll_on != plan.parent) {
		ret = clk_prepare_enable(i2s->pll[plan.parent]);
		if (ret)
			return ret;
		if (i2s->pll_on >= 0)
			clk_disable_unprepare(i2s->pll[i2s->pll_on]);
		i2s->pll_on = plan.parent;
	}
	regmap_write(i2s->regmap, OPENI2S_MCLKDIV,
		     FIELD_PREP(OPENI2S_MCLKDIV_MDIV, plan.mdiv - 1));
	regmap_write(i2s->regmap, OPENI2S_BCLKDIV,
		     FIELD_PREP(OPENI2S_BCLKDIV_BDIV, plan.bdiv));
	regmap_write(i2s->regmap, OPENI2S_BCLKFRAC,
		     FIELD_PREP(OPENI2S_BCLKFRAC_NUM, plan.bnum) |
		     FIELD_PREP(OPENI2S_BCLKFRAC_DEN, plan.bden));
	regmap_update_bits(i2s->regmap, OPENI2S_CTRL,
			   OPENI2S_CTRL_CLK_SEL | OPENI2S_CTRL_MCLK_OE,
			   (plan.parent ? OPENI2S_CTRL_CLK_SEL : 0) |
			   (i2s->mclk_rate ? OPENI2S_CTRL_MCLK_OE : 0));
	return 0;
}

static int openi2s_hw_params(struct snd_pcm_substream *substream,
			     struct snd_pcm_hw_params *params,
			     struct snd_soc_dai *dai)
{
	struct openi2s *i2s = snd_soc_dai_get_drvdata(dai);
	int stream = substream->stream;
	struct openi2s_stream *st = &i2s->streams[stream];
	unsigned int width = params_width(params);
	unsigned int slots, slot_width;
	bool other_set;
	u32 mask;
	int ret;

	ret = openi2s_frame(i2s, stream, params, &slots, &slot_width, &mask);
	if (ret)
		return ret;

	/* Both directions share one frame: the second must fit the first. */
	other_set = i2s->streams[!stream].width;
	if (other_set &&
	    (slots != i2s->frame_slots || slot_width != i2s->frame_width)) {
		dev_err(i2s->dev, "the other direction runs %u slots of %u bits, not %u of %u\n",
			i2s->frame_slots, i2s->frame_width, slots, slot_width);
		return -EINVAL;
	}

	if (!other_set) {
		regmap_update_bits(i2s->regmap, OPENI2S_CTRL,
				   OPENI2S_CTRL_PROVIDER,
				   openi2s_provider(i2s) ? OPENI2S_CTRL_PROVIDER : 0);
		regmap_write(i2s->regmap, OPENI2S_FMT,
			     openi2s_fmt_reg(i2s, slots, slot_width));
		if (openi2s_provider(i2s)) {
			ret = openi2s_set_clocks(i2s, params_rate(params),
						 slots * slot_width);
			if (ret)
				return ret;
		}
		i2s->frame_slots = slots;
		i2s->frame_width = slot_width;
	}

	regmap_update_bits(i2s->regmap, dir_reg(stream, OPENI2S_TX_CFG),
			   OPENI2S_CFG_WIDTH, FIELD_PREP(OPENI2S_CFG_WIDTH, width));
	regmap_write(i2s->regmap, dir_reg(stream, OPENI2S_TX_SLOTS), mask);

	st->width = width;
	st->dma.addr_width = width == 16 ? DMA_SLAVE_BUSWIDTH_2_BYTES :
					   DMA_SLAVE_BUSWIDTH_4_BYTES;
	return 0;
}

static int openi2s_hw_free(struct snd_pcm_substream *substream,
			   struct snd_soc_dai *dai)
{
	struct openi2s *i2s = snd_soc_dai_get_drvdata(dai);

	i2s->streams[substream->stream].width = 0;
	/* The last direction out releases the frame and its PLL. */
	if (!i2s->streams[!substream->stream].width) {
		i2s->frame_slots = 0;
		if (i2s->pll_on >= 0) {
			clk_disable_unprepare(i2s->pll[i2s->pll_on]);
			i2s->pll_on = -1;
		}
	}
	return 0;
}

static int openi2s_startup(struct snd_pcm_substream *substream,
			   struct snd_soc_dai *dai)
{
	struct openi2s *i2s = snd_soc_dai_get_drvdata(dai);
	bool tx = substream->stream == SNDRV_PCM_STREAM_PLAYBACK;
	unsigned long flags;
	unsigned int n;
	int ret;

	/*
	 * With TDM slots set, a stream has one channel per slot of its mask:
	 * say so as a constraint, so that a plug layer converts the channel
	 * count and a bad one is refused before hw_params. This takes the
	 * masks in force at open, as set when the card's links come up; a
	 * machine driver that sets them in its hw_params must set them so
	 * before. A direction without slots is refused quietly: sound
	 * servers probe every PCM.
	 */
	if (i2s->tdm_slots) {
		n = hweight32(tx ? i2s->tx_mask : i2s->rx_mask);
		if (!n) {
			dev_dbg(i2s->dev, "TDM mask for %s has no slots\n",
				tx ? "playback" : "capture");
			return -EINVAL;
		}
		ret = snd_pcm_hw_constraint_single(substream->runtime,
						   SNDRV_PCM_HW_PARAM_CHANNELS,
						   n);
		if (ret < 0)
			return ret;
	}
	spin_lock_irqsave(&i2s->lock, flags);
	i2s->streams[substream->stream].substream = substream;
	spin_unlock_irqrestore(&i2s->lock, flags);
	return 0;
}

static void openi2s_shutdown(struct snd_pcm_substream *substream,
			     struct snd_soc_dai *dai)
{
	struct openi2s *i2s = snd_soc_dai_get_drvdata(dai);
	unsigned long flags;

	spin_lock_irqsave(&i2s->lock, flags);
	i2s->streams[substream->stream].substream = NULL;
	spin_unlock_irqrestore(&i2s->lock, flags);
	/* A handler still reporting on this substream finishes first. */
	synchronize_irq(i2s->irq);
}

/* The interrupts both directions share: each is an error of either. */
#define OPENI2S_IRQ_SHARED	(OPENI2S_IRQ_FSERR | OPENI2S_IRQ_CLKLOSS)

static void openi2s_start(struct openi2s *i2s, int stream, bool flush)
{
	bool tx = stream == SNDRV_PCM_STREAM_PLAYBACK;
	unsigned int burst = i2s->streams[stream].dma.maxburst;
	u32 wm = tx ? i2s->fifo_depth - burst : burst;
	u32 irqs;

	if (flush)
		regmap_write(i2s->regmap, OPENI2S_FLUSH,
			     tx ? OPENI2S_FLUSH_TX : OPENI2S_FLUSH_RX);
	/* Requests first, so the TX FIFO is full when the engine starts. */
	regmap_update_bits(i2s->regmap, dir_reg(stream, OPENI2S_TX_CFG),
			   OPENI2S_CFG_DMA_EN | OPENI2S_CFG_WATERMARK,
			   OPENI2S_CFG_DMA_EN |
			   FIELD_PREP(OPENI2S_CFG_WATERMARK, wm));
	/*
	 * A consumer also watches the frame sync it is given, and both
	 * modes the clock; a stale FSERR or CLKLOSS is cleared only if the
	 * other direction is not running, whose error it may be.
	 */
	irqs = (tx ? OPENI2S_IRQ_TXU : OPENI2S_IRQ_RXO) |
	       (openi2s_provider(i2s) ? 0 : OPENI2S_IRQ_FSERR) |
	       (i2s->clkloss ? OPENI2S_IRQ_CLKLOSS : 0);
	regmap_write(i2s->regmap, OPENI2S_IRQ_STAT,
		     i2s->streams[!stream].running ?
		     irqs & ~OPENI2S_IRQ_SHARED : irqs);
	regmap_update_bits(i2s->regmap, OPENI2S_IRQ_EN, irqs, irqs);
	regmap_update_bits(i2s->regmap, OPENI2S_CTRL,
			   OPENI2S_CTRL_CLK_EN |
			   (tx ? OPENI2S_CTRL_TX_EN : OPENI2S_CTRL_RX_EN),
			   (openi2s_provider(i2s) ? OPENI2S_CTRL_CLK_EN : 0) |
			   (tx ? OPENI2S_CTRL_TX_EN : OPENI2S_CTRL_RX_EN));
}

static void openi2s_stop(struct openi2s *i2s, int stream, bool other_running)
{
	bool tx = stream == SNDRV_PCM_STREAM_PLAYBACK;
	u32 clk = other_running ? 0 : OPENI2S_CTRL_CLK_EN;
	u32 shared = other_running ? 0 : OPENI2S_IRQ_SHARED;

	regmap_update_bits(i2s->regmap, OPENI2S_CTRL,
			   clk | (tx ? OPENI2S_CTRL_TX_EN : OPENI2S_CTRL_RX_EN), 0);
	regmap_update_bits(i2s->regmap, OPENI2S_IRQ_EN,
			   shared | (tx ? OPENI2S_IRQ_TXU : OPENI2S_IRQ_RXO), 0);
	regmap_update_bits(i2s->regmap, dir_reg(stream, OPENI2S_TX_CFG),
			   OPENI2S_CFG_DMA_EN, 0);
}

static int openi2s_trigger(struct snd_pcm_substream *substream, int cmd,
			   struct snd_soc_dai *dai)
{
	struct openi2s *i2s = snd_soc_dai_get_drvdata(dai);
	int stream = substream->stream;
	unsigned long flags;

	spin_lock_irqsave(&i2s->lock, flags);
	switch (cmd) {
	case SNDRV_PCM_TRIGGER_START:
	case SNDRV_PCM_TRIGGER_RESUME:
	case SNDRV_PCM_TRIGGER_PAUSE_RELEASE:
		i2s->streams[stream].running = true;
		openi2s_start(i2s, stream, cmd != SNDRV_PCM_TRIGGER_PAUSE_RELEASE);
		break;
	case SNDRV_PCM_TRIGGER_STOP:
	case SNDRV_PCM_TRIGGER_SUSPEND:
	case SNDRV_PCM_TRIGGER_PAUSE_PUSH:
		i2s->streams[stream].running = false;
		openi2s_stop(i2s, stream, i2s->streams[!stream].running);
		break;
	default:
		spin_unlock_irqrestore(&i2s->lock, flags);
		return -EINVAL;
	}
	spin_unlock_irqrestore(&i2s->lock, flags);
	return 0;
}

static int openi2s_dai_probe(struct snd_soc_dai *dai)
{
	struct openi2s *i2s = snd_soc_dai_get_drvdata(dai);

	snd_soc_dai_init_dma_data(dai, &i2s->streams[0].dma,
				  &i2s->streams[1].dma);
	return 0;
}

/*
 * For cards that leave the format out (audio-graph-card2): every framing
 * and polarity, with the controller as clock provider first, the tested
 * default, and as consumer next.
 */
/* Not const: 6.1's snd_soc_dai_ops takes a u64 *. */
static u64 openi2s_auto_formats[] = {
	SND_SOC_POSSIBLE_DAIFMT_I2S | SND_SOC_POSSIBLE_DAIFMT_LEFT_J |
	SND_SOC_POSSIBLE_DAIFMT_RIGHT_J | SND_SOC_POSSIBLE_DAIFMT_DSP_A |
	SND_SOC_POSSIBLE_DAIFMT_DSP_B | SND_SOC_POSSIBLE_DAIFMT_NB_NF |
	SND_SOC_POSSIBLE_DAIFMT_IB_NF | SND_SOC_POSSIBLE_DAIFMT_NB_IF |
	SND_SOC_POSSIBLE_DAIFMT_IB_IF | SND_SOC_POSSIBLE_DAIFMT_CBC_CFC,
	SND_SOC_POSSIBLE_DAIFMT_CBP_CFP,
};

static const struct snd_soc_dai_ops openi2s_dai_ops = {
	.auto_selectable_formats = openi2s_auto_formats,
	.num_auto_selectable_formats = ARRAY_SIZE(openi2s_auto_formats),
	.probe = openi2s_dai_probe,
	.set_fmt = openi2s_set_fmt,
	.set_sysclk = openi2s_set_sysclk,
	.set_tdm_slot = openi2s_set_tdm_slot,
	.set_bclk_ratio = openi2s_set_bclk_ratio,
	.startup = openi2s_startup,
	.shutdown = openi2s_shutdown,
	.hw_params = openi2s_hw_params,
	.hw_free = openi2s_hw_free,
	.trigger = openi2s_trigger,
};

static void openi2s_report_xrun(struct openi2s *i2s, int stream)
{
	struct snd_pcm_substream *substream;
	unsigned long flags;

	spin_lock_irqsave(&i2s->lock, flags);
	substream = i2s->streams[stream].running ?
		    i2s->streams[stream].substream : NULL;
	spin_unlock_irqrestore(&i2s->lock, flags);
	/* shutdown() waits for us, so the substream stays valid. */
	if (substream)
		snd_pcm_stop_xrun(substream);
}

static irqreturn_t openi2s_irq(int irq, void *data)
{
	struct openi2s *i2s = data;
	u32 stat, en;

	if (regmap_read(i2s->regmap, OPENI2S_IRQ_STAT, &stat) ||
	    regmap_read(i2s->regmap, OPENI2S_IRQ_EN, &en))
		return IRQ_NONE;
	stat &= en & OPENI2S_IRQ_W1C;
	if (!stat)
		return IRQ_NONE;
	regmap_write(i2s->regmap, OPENI2S_IRQ_STAT, stat);

	if (stat & OPENI2S_IRQ_TXU) {
		i2s->xruns[0]++;
		dev_dbg_ratelimited(i2s->dev, "TX underrun\n");
		openi2s_report_xrun(i2s, SNDRV_PCM_STREAM_PLAYBACK);
	}
	if (stat & OPENI2S_IRQ_RXO) {
		i2s->xruns[1]++;
		dev_dbg_ratelimited(i2s->dev, "RX overrun\n");
		openi2s_report_xrun(i2s, SNDRV_PCM_STREAM_CAPTURE);
	}
	if (stat & OPENI2S_IRQ_FSERR) {
		/*
		 * The bus peer's frame is not the one programmed: both
		 * directions are misaligned, so neither may go on silently.
		 */
		i2s->xruns[2]++;
		dev_warn_ratelimited(i2s->dev,
				     "frame sync error: the bus frame is not %u slots of %u bits\n",
				     i2s->frame_slots, i2s->frame_width);
		openi2s_report_xrun(i2s, SNDRV_PCM_STREAM_PLAYBACK);
		openi2s_report_xrun(i2s, SNDRV_PCM_STREAM_CAPTURE);
	}
	if (stat & OPENI2S_IRQ_CLKLOSS) {
		/* No frames: neither direction moves until it is restarted. */
		i2s->xruns[3]++;
		dev_warn_ratelimited(i2s->dev, "the bit clock stopped\n");
		openi2s_report_xrun(i2s, SNDRV_PCM_STREAM_PLAYBACK);
		openi2s_report_xrun(i2s, SNDRV_PCM_STREAM_CAPTURE);
	}
	return IRQ_HANDLED;
}

static int openi2s_component_probe(struct snd_soc_component *component)
{
	struct openi2s *i2s = snd_soc_component_get_drvdata(component);
	struct dentry *dir = component->debugfs_root;

	if (!dir)
		return 0;
	debugfs_create_u32("tx_underruns", 0444, dir, &i2s->xruns[0]);
	debugfs_create_u32("rx_overruns", 0444, dir, &i2s->xruns[1]);
	debugfs_create_u32("fs_errors", 0444, dir, &i2s->xruns[2]);
	debugfs_create_u32("clock_losses", 0444, dir, &i2s->xruns[3]);
	return 0;
}

static const struct snd_kcontrol_new openi2s_controls[] = {
	/* Bring-up aid: the receiver hears the transmitter, not the pin. */
	SOC_SINGLE("Internal Loopback Switch", OPENI2S_CTRL,
		   __builtin_ctz(OPENI2S_CTRL_LOOPBACK), 1, 0),
};

static const struct snd_soc_component_driver openi2s_component = {
	.name = "openi2s",
	.probe = openi2s_component_probe,
	.controls = openi2s_controls,
	.num_controls = ARRAY_SIZE(openi2s_controls),
	.legacy_dai_naming = 0,
};

static bool openi2s_volatile_reg(struct device *dev, unsigned int reg)
{
	switch (reg) {
	case OPENI2S_ID:
	case OPENI2S_CAP:
	case OPENI2S_FLUSH:
	case OPENI2S_TX_LEVEL:
	case OPENI2S_TX_DATA:
	case OPENI2S_RX_LEVEL:
	case OPENI2S_RX_DATA:
	case OPENI2S_IRQ_STAT:
	case OPENI2S_TXU_COUNT:
	case OPENI2S_RXO_COUNT:
	case OPENI2S_FSERR_COUNT:
	case OPENI2S_FRAME_COUNT:
	case OPENI2S_CLKLOSS_COUNT:
		return true;
	}
	return false;
}

static bool openi2s_precious_reg(struct device *dev, unsigned int reg)
{
	return reg == OPENI2S_RX_DATA;
}

static bool openi2s_readable_reg(struct device *dev, unsigned int reg)
{
	return reg != OPENI2S_FLUSH && reg != OPENI2S_TX_DATA;
}

static const struct reg_default openi2s_reg_defaults[] = {
	{ OPENI2S_CTRL, 0x00000000 },
	{ OPENI2S_FMT, 0x00012000 },
	{ OPENI2S_MCLKDIV, 0x00000000 },
	{ OPENI2S_BCLKDIV, 0x00000000 },
	{ OPENI2S_BCLKFRAC, 0x00000000 },
	{ OPENI2S_TX_CFG, 0x00000010 },
	{ OPENI2S_TX_SLOTS, 0x00000003 },
	{ OPENI2S_RX_CFG, 0x00010010 },
	{ OPENI2S_RX_SLOTS, 0x00000003 },
	{ OPENI2S_IRQ_EN, 0x00000000 },
};

static const struct regmap_config openi2s_regmap_config = {
	.reg_bits = 32,
	.val_bits = 32,
	.reg_stride = 4,
	.max_register = OPENI2S_REG_MAX,
	.volatile_reg = openi2s_volatile_reg,
	.precious_reg = openi2s_precious_reg,
	.readable_reg = openi2s_readable_reg,
	.reg_defaults = openi2s_reg_defaults,
	.num_reg_defaults = ARRAY_SIZE(openi2s_reg_defaults),
	.cache_type = REGCACHE_FLAT,
	.fast_io = true,
};

/* Register access through a parent's regmap, at this node's "reg" offset. */
struct openi2s_parent_bus {
	struct regmap *parent;
	unsigned int base;
};

static int openi2s_parent_read(void *context, unsigned int reg,
			       unsigned int *val)
{
	struct openi2s_parent_bus *bus = context;

	return regmap_read(bus->parent, bus->base + reg, val);
}

static int openi2s_parent_write(void *context, unsigned int reg,
				unsigned int val)
{
	struct openi2s_parent_bus *bus = context;

	return regmap_write(bus->parent, bus->base + reg, val);
}

static const struct regmap_bus openi2s_parent_regmap_bus = {
	.fast_io = true,
	.reg_read = openi2s_parent_read,
	.reg_write = openi2s_parent_write,
};

/*
 * Map the registers and tell the DMA address of the FIFO data ports: memory
 * mapped when "reg" translates to a CPU address, else through the parent.
 */
static int openi2s_init_regmap(struct openi2s *i2s,
			       struct platform_device *pdev,
			       dma_addr_t *fifo_base)
{
	struct device *dev = &pdev->dev;
	struct openi2s_parent_bus *bus;
	struct resource *res;
	void __iomem *base;
	const __be32 *reg;
	u64 addr;

	res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	if (res) {
		base = devm_ioremap_resource(dev, res);
		if (IS_ERR(base))
			return PTR_ERR(base);
		i2s->regmap = devm_regmap_init_mmio(dev, base,
						    &openi2s_regmap_config);
		*fifo_base = res->start;
	} else {
		bus = devm_kzalloc(dev, sizeof(*bus), GFP_KERNEL);
		if (!bus)
			return -ENOMEM;
		bus->parent = dev->parent ? dev_get_regmap(dev->parent, NULL) :
					    NULL;
		if (!bus->parent)
			return dev_err_probe(dev, -ENODEV,
					     "%pOF: property \"reg\": not CPU-addressable and the parent offers no regmap\n",
					     dev->of_node);
		/* What of_property_read_reg() does, which 6.1 lacks. */
		reg = of_get_address(dev->of_node, 0, NULL, NULL);
		if (!reg)
			return dev_err_probe(dev, -EINVAL,
					     "%pOF: property \"reg\": missing or malformed\n",
					     dev->of_node);
		addr = of_read_number(reg, of_n_addr_cells(dev->of_node));
		bus->base = addr;
		i2s->regmap = devm_regmap_init(dev, &openi2s_parent_regmap_bus,
					       bus, &openi2s_regmap_config);
		*fifo_base = addr;
	}
	if (IS_ERR(i2s->regmap))
		return dev_err_probe(dev, PTR_ERR(i2s->regmap),
				     "creating the register map\n");
	return 0;
}

static int openi2s_get_clocks(struct openi2s *i2s)
{
	struct device *dev = i2s->dev;
	unsigned int i, plls = 0;

	i2s->bus_clk = devm_clk_get(dev, "bus");
	if (IS_ERR(i2s->bus_clk))
		return dev_err_probe(dev, PTR_ERR(i2s->bus_clk),
				     "%pOF: property \"clocks\": no usable \"bus\" clock\n",
				     dev->of_node);
	/*
	 * A PLL the board leaves out is fine; one it names must work. The
	 * clock core falls back to clock lookups when a specifier is bad,
	 * so devm_clk_get_optional() would take a bad one for a missing one.
	 */
	for (i = 0; i < OPENI2S_NUM_PLLS; i++) {
		if (of_property_match_string(dev->of_node, "clock-names",
					     openi2s_pll_names[i]) < 0)
			continue;
		i2s->pll[i] = devm_clk_get(dev, openi2s_pll_names[i]);
		if (IS_ERR(i2s->pll[i]))
			return dev_err_probe(dev, PTR_ERR(i2s->pll[i]),
					     "%pOF: property \"clocks\": \"%s\" clock unusable\n",
					     dev->of_node, openi2s_pll_names[i]);
		i2s->pll_rate[i] = clk_get_rate(i2s->pll[i]);
		plls++;
	}
	if (!plls)
		return dev_err_probe(dev, -EINVAL,
				     "%pOF: property \"clock-names\": needs \"pll-44k1\" and/or \"pll-48k\"\n",
				     dev->of_node);
	i2s->pll_on = -1;
	return 0;
}

/* Read ID and CAP and describe the DAI from what the instance has. */
static int openi2s_read_caps(struct openi2s *i2s)
{
	struct snd_soc_dai_driver *drv = &i2s->dai_drv;
	u64 formats = 0;
	u32 id, rates = 0;
	unsigned int i, burst, frame = 64;
	struct openi2s_clk_plan plan;
	int ret;

	ret = clk_prepare_enable(i2s->bus_clk);
	if (ret)
		return ret;
	regmap_read(i2s->regmap, OPENI2S_ID, &id);
	regmap_read(i2s->regmap, OPENI2S_CAP, &i2s->cap);
	clk_disable_unprepare(i2s->bus_clk);

	if (FIELD_GET(OPENI2S_ID_MAGIC, id) != OPENI2S_MAGIC ||
	    FIELD_GET(OPENI2S_ID_MAJOR, id) > OPENI2S_VERSION_MAJOR)
		return dev_err_probe(i2s->dev, -ENODEV,
				     "unknown controller ID 0x%08x\n", id);
	i2s->clkloss = FIELD_GET(OPENI2S_ID_MINOR, id) >= OPENI2S_MINOR_CLKLOSS;
	i2s->fifo_depth = FIELD_GET(OPENI2S_CAP_FIFO_DEPTH, i2s->cap);
	i2s->max_slots = FIELD_GET(OPENI2S_CAP_MAX_SLOTS, i2s->cap);
	if (i2s->fifo_depth < 4 || !i2s->max_slots ||
	    i2s->max_slots > OPENI2S_MAX_SLOTS)
		return dev_err_probe(i2s->dev, -ENODEV,
				     "implausible capabilities 0x%08x\n", i2s->cap);

	if (i2s->cap & OPENI2S_CAP_WIDTH16)
		formats |= SNDRV_PCM_FMTBIT_S16_LE;
	if (i2s->cap & OPENI2S_CAP_WIDTH20)
		formats |= SNDRV_PCM_FMTBIT_S20_LE;
	if (i2s->cap & OPENI2S_CAP_WIDTH24)
		formats |= SNDRV_PCM_FMTBIT_S24_LE;
	if (i2s->cap & OPENI2S_CAP_WIDTH32)
		formats |= SNDRV_PCM_FMTBIT_S32_LE;

	/* Offer the standard rates the PLLs make exactly for a stereo frame. */
	for (i = 0; i < openi2s_num_std_rates; i++)
		if (!openi2s_clk_plan(i2s->pll_rate, OPENI2S_NUM_PLLS,
				      openi2s_std_rates[i], frame, 0, &plan))
			rates |= snd_pcm_rate_to_rate_bit(openi2s_std_rates[i]);

	burst = i2s->fifo_depth / 4;
	i2s->streams[0].dma.maxburst = burst;
	i2s->streams[1].dma.maxburst = burst;

	drv->name = dev_name(i2s->dev);
	drv->ops = &openi2s_dai_ops;
	drv->symmetric_rate = 1;
	if (i2s->cap & OPENI2S_CAP_TX) {
		drv->playback.stream_name = "Playback";
		drv->playback.channels_min = 1;
		drv->playback.channels_max = i2s->max_slots;
		drv->playback.rates = rates;
		drv->playback.formats = formats;
	}
	if (i2s->cap & OPENI2S_CAP_RX) {
		drv->capture.stream_name = "Capture";
		drv->capture.channels_min = 1;
		drv->capture.channels_max = i2s->max_slots;
		drv->capture.rates = rates;
		drv->capture.formats = formats;
	}
	return 0;
}

static int openi2s_runtime_suspend(struct device *dev)
{
	struct openi2s *i2s = dev_get_drvdata(dev);

	regcache_cache_only(i2s->regmap, true);
	regcache_mark_dirty(i2s->regmap);
	clk_disable_unprepare(i2s->bus_clk);
	i2s->powered = false;
	return 0;
}

static int openi2s_runtime_resume(struct device *dev)
{
	struct openi2s *i2s = dev_get_drvdata(dev);
	int ret;

	ret = clk_prepare_enable(i2s->bus_clk);
	if (ret)
		return ret;
	regcache_cache_only(i2s->regmap, false);
	ret = regcache_sync(i2s->regmap);
	if (ret) {
		regcache_cache_only(i2s->regmap, true);
		clk_disable_unprepare(i2s->bus_clk);
		return ret;
	}
	i2s->powered = true;
	return 0;
}

/*
 * At unbind, once runtime PM is disabled, nothing else would power down a
 * controller left on: one held active by power/control, one whose last
 * stream let go too late, or one without runtime PM at all.
 */
static void openi2s_power_off(void *data)
{
	struct device *dev = data;
	struct openi2s *i2s = dev_get_drvdata(dev);

	if (i2s->powered)
		openi2s_runtime_suspend(dev);
}

/*
 * The buffer is the preallocation: the default 512 KiB lasts 42 ms at the
 * controller's top rate (16 x 32 bits at 192 kHz, 12 MB/s), too little
 * for a Linux process; 2 MiB per direction gives it 170 ms there.
 */
static const struct snd_dmaengine_pcm_config openi2s_dmaengine_config = {
	.prepare_slave_config = snd_dmaengine_pcm_prepare_slave_config,
	.prealloc_buffer_size = SZ_2M,
};

/*
 * The dmaengine PCM quietly drops a direction whose DMA channel it cannot
 * get. Check the channel of every direction the controller has (CAP), so
 * that a board missing one fails to probe instead of losing it.
 */
static int openi2s_check_dma(struct openi2s *i2s)
{
	static const struct {
		const char *name;
		u32 cap;
	} dirs[] = {
		{ "tx", OPENI2S_CAP_TX },
		{ "rx", OPENI2S_CAP_RX },
	};
	struct dma_chan *chan;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		if (!(i2s->cap & dirs[i].cap))
			continue;
		chan = dma_request_chan(i2s->dev, dirs[i].name);
		if (IS_ERR(chan))
			return dev_err_probe(i2s->dev, PTR_ERR(chan),
					     "%pOF: properties \"dmas\"/\"dma-names\": no usable \"%s\" channel\n",
					     i2s->dev->of_node, dirs[i].name);
		dma_release_channel(chan);
	}
	return 0;
}

static int openi2s_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	dma_addr_t fifo_base;
	struct openi2s *i2s;
	int ret;

	i2s = devm_kzalloc(dev, sizeof(*i2s), GFP_KERNEL);
	if (!i2s)
		return -ENOMEM;
	i2s->dev = dev;
	spin_lock_init(&i2s->lock);
	platform_set_drvdata(pdev, i2s);

	ret = openi2s_init_regmap(i2s, pdev, &fifo_base);
	if (ret)
		return ret;
	ret = openi2s_get_clocks(i2s);
	if (ret)
		return ret;
	ret = openi2s_read_caps(i2s);
	if (ret)
		return ret;

	i2s->streams[SNDRV_PCM_STREAM_PLAYBACK].dma.addr = fifo_base +
							   OPENI2S_TX_DATA;
	i2s->streams[SNDRV_PCM_STREAM_CAPTURE].dma.addr = fifo_base +
							  OPENI2S_RX_DATA;

	/* Optional only in that it leaves the message to us. */
	i2s->irq = platform_get_irq_optional(pdev, 0);
	if (i2s->irq < 0)
		return dev_err_probe(dev, i2s->irq,
				     "%pOF: property \"interrupts\": no usable interrupt\n",
				     dev->of_node);
	ret = devm_request_irq(dev, i2s->irq, openi2s_irq, 0, dev_name(dev), i2s);
	if (ret)
		return dev_err_probe(dev, ret, "requesting interrupt %d\n",
				     i2s->irq);

	/* Suspended until ASoC opens a stream: the cache holds the state. */
	regcache_cache_only(i2s->regmap, true);
	/* Added first, so that it runs after runtime PM is disabled. */
	ret = devm_add_action_or_reset(dev, openi2s_power_off, dev);
	if (ret)
		return ret;
	ret = devm_pm_runtime_enable(dev);
	if (ret)
		return ret;
	/* Without runtime PM nothing would ever resume it: power it up now. */
	if (!pm_runtime_enabled(dev)) {
		ret = openi2s_runtime_resume(dev);
		if (ret)
			return dev_err_probe(dev, ret, "powering up\n");
	}

	ret = openi2s_check_dma(i2s);
	if (ret)
		return ret;
	ret = devm_snd_dmaengine_pcm_register(dev, &openi2s_dmaengine_config, 0);
	if (ret)
		return dev_err_probe(dev, ret,
				     "%pOF: properties \"dmas\"/\"dma-names\": cannot get \"tx\"/\"rx\" channels\n",
				     dev->of_node);
	ret = devm_snd_soc_register_component(dev, &openi2s_component,
					      &i2s->dai_drv, 1);
	if (ret)
		return dev_err_probe(dev, ret, "registering the DAI\n");
	return 0;
}

static const struct dev_pm_ops openi2s_pm_ops = {
	RUNTIME_PM_OPS(openi2s_runtime_suspend, openi2s_runtime_resume, NULL)
	SYSTEM_SLEEP_PM_OPS(pm_runtime_force_suspend, pm_runtime_force_resume)
};

static const struct of_device_id openi2s_of_match[] = {
	{ .compatible = "openi2s,i2s" },
	{ }
};
MODULE_DEVICE_TABLE(of, openi2s_of_match);

static struct platform_driver openi2s_driver = {
	.driver = {
		.name = "openi2s",
		.of_match_table = openi2s_of_match,
		.pm = pm_ptr(&openi2s_pm_ops),
	},
	.probe = openi2s_probe,
};
module_platform_driver(openi2s_driver);

MODULE_DESCRIPTION("OpenI2S controller ASoC CPU DAI driver");
MODULE_LICENSE("GPL");
