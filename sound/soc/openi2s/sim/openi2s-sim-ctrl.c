// SPDX-License-Identifier: GPL-2.0
/*
 * OpenI2S simulated SoC: the controller model. Registers with the side
 * effects Documentation/sound/openi2s.rst specifies, the two FIFOs, and the
 * engines, clocked by an hrtimer that produces exactly the frame rate the
 * dividers program. Frames are serialised onto the wire by the bit framer
 * and deserialised by the receiver according to its own settings; the
 * board's wire loops the transmit data line back into the receiver. A
 * frame nobody but the receiver hears skips the wire (wire_unheard()).
 */
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/seq_file.h>

#include "../openi2s-regs.h"
#include "openi2s-sim.h"

#define TX 0
#define RX 1

/* How often the model catches up with time, and how much at most at once. */
#define TICK_NS			(1 * NSEC_PER_MSEC)
#define MAX_FRAMES_PER_TICK	4096
/*
 * A late tick that has run a tick's worth of frames stops at the next DMA
 * interrupt and goes on this soon (at the next jiffy without high-resolution
 * timers), once the interrupt's tasklet has run: a batch of owed frames
 * could otherwise run through whole buffers before ALSA saw any of them, a
 * loss nobody would report. A tick on time runs its frames in one go, so
 * that short periods cost no extra ticks.
 */
#define CATCH_UP_NS		(20 * NSEC_PER_USEC)
/* The clock-loss detector's window: this long without a frame is a loss. */
#define CLKLOSS_NS		(1 * NSEC_PER_MSEC)

static const u32 openi2s_sim_cap =
	FIELD_PREP_CONST(OPENI2S_CAP_FIFO_DEPTH, OPENI2S_SIM_FIFO_DEPTH) |
	FIELD_PREP_CONST(OPENI2S_CAP_MAX_SLOTS, OPENI2S_MAX_SLOTS) |
	OPENI2S_CAP_SLOT16 | OPENI2S_CAP_SLOT24 | OPENI2S_CAP_SLOT32 |
	OPENI2S_CAP_WIDTH16 | OPENI2S_CAP_WIDTH20 | OPENI2S_CAP_WIDTH24 |
	OPENI2S_CAP_WIDTH32 | OPENI2S_CAP_CONSUMER | OPENI2S_CAP_FRAC |
	OPENI2S_CAP_TX | OPENI2S_CAP_RX;

static unsigned int parent_clk(const struct openi2s_sim_ctrl *c)
{
	return c->ctrl & OPENI2S_CTRL_CLK_SEL ? OPENI2S_SIM_CLK_PLL48K :
						OPENI2S_SIM_CLK_PLL44K1;
}

/* FMT.MODE holds the framer's mode numbers as they are. */
static_assert(OPENI2S_MODE_I2S == OPENI2S_FMT_MODE_I2S);
static_assert(OPENI2S_MODE_LEFT_J == OPENI2S_FMT_MODE_LEFT_J);
static_assert(OPENI2S_MODE_RIGHT_J == OPENI2S_FMT_MODE_RIGHT_J);
static_assert(OPENI2S_MODE_DSP_A == OPENI2S_FMT_MODE_DSP_A);
static_assert(OPENI2S_MODE_DSP_B == OPENI2S_FMT_MODE_DSP_B);

/* The framer's view of one direction's registers. */
static void frame_fmt(const struct openi2s_sim_ctrl *c, unsigned int dir,
		      struct openi2s_frame_fmt *f)
{
	f->mode = FIELD_GET(OPENI2S_FMT_MODE, c->fmt);
	f->bclk_inv = c->fmt & OPENI2S_FMT_BCLK_INV;
	f->fs_inv = c->fmt & OPENI2S_FMT_FS_INV;
	f->slots = FIELD_GET(OPENI2S_FMT_SLOTS, c->fmt) + 1;
	f->slot_width = FIELD_GET(OPENI2S_FMT_SLOT_WIDTH, c->fmt);
	f->sample_width = FIELD_GET(OPENI2S_CFG_WIDTH, c->cfg[dir]);
	f->slot_mask = c->slots[dir] & GENMASK(f->slots - 1, 0);
}

static unsigned int watermark(const struct openi2s_sim_ctrl *c,
			      unsigned int dir)
{
	return FIELD_GET(OPENI2S_CFG_WATERMARK, c->cfg[dir]);
}

static bool req_level(const struct openi2s_sim_ctrl *c, unsigned int dir)
{
	unsigned int level = c->fifo[dir].level;

	if (dir == TX)
		return level <= watermark(c, TX);
	return level >= max(watermark(c, RX), 1u);
}

static u32 irq_status(const struct openi2s_sim_ctrl *c)
{
	u32 stat = c->irq_stat;

	if (req_level(c, TX))
		stat |= OPENI2S_IRQ_TXREQ;
	if (req_level(c, RX))
		stat |= OPENI2S_IRQ_RXREQ;
	return stat;
}

/*
 * The interrupt line is a level: high while an enabled status bit is set.
 * The simulated interrupt controller takes edges, so raise one whenever the
 * line is high after a change, which also re-raises it after a partial
 * acknowledge.
 */
static void update_line(struct openi2s_sim_ctrl *c)
{
	/* The interrupt logic runs from the bus clock. */
	if (unlikely(c->bus_gated))
		return;
	c->line = irq_status(c) & c->irq_en;
	if (c->line)
		openi2s_sim_irq_raise(c->sim, 0);
}

/*
 * An event of the engines. Its counter counts at once; the status bit
 * reaches IRQ_STAT through a synchroniser into the bus clock's domain,
 * which holds it while that clock is gated.
 */
static void latch(struct openi2s_sim_ctrl *c, u32 bit, unsigned int counter)
{
	if (unlikely(c->bus_gated))
		c->held_stat |= bit;
	else
		c->irq_stat |= bit;
	if (c->counts[counter] != U32_MAX)
		c->counts[counter]++;
}

static void fifo_push(struct openi2s_sim_fifo *f, u32 val)
{
	f->data[(f->head + f->level) % OPENI2S_SIM_FIFO_DEPTH] = val;
	f->level++;
}

static u32 fifo_pop(struct openi2s_sim_fifo *f)
{
	u32 val = f->data[f->head];

	f->head = (f->head + 1) % OPENI2S_SIM_FIFO_DEPTH;
	f->level--;
	return val;
}

/**
 * openi2s_sim_ctrl_drq() - is a DMA request line asserted?
 * @c: the controller
 * @drq: OPENI2S_DRQ_TX or OPENI2S_DRQ_RX
 *
 * Called by the DMA controller with the model lock held.
 *
 * Return: true while the FIFO asks for a burst.
 */
bool openi2s_sim_ctrl_drq(struct openi2s_sim_ctrl *c, unsigned int drq)
{
	unsigned int dir = drq == OPENI2S_DRQ_TX ? TX : RX;

	return (c->cfg[dir] & OPENI2S_CFG_DMA_EN) && req_level(c, dir);
}

/* A bus write to TX_DATA: a write to a full FIFO is lost. */
static void port_write(struct openi2s_sim_ctrl *c, u32 val)
{
	if (c->fifo[TX].level < OPENI2S_SIM_FIFO_DEPTH)
		fifo_push(&c->fifo[TX], val);
}

/* A bus read of RX_DATA: the oldest sample, or 0 when empty. */
static u32 port_read(struct openi2s_sim_ctrl *c)
{
	return c->fifo[RX].level ? fifo_pop(&c->fifo[RX]) : 0;
}

/**
 * openi2s_sim_ctrl_push() - a burst of bus writes to TX_DATA
 * @c: the controller
 * @mem: the elements, @width bytes each, zero extended on the bus
 * @width: 2 or 4
 * @n: how many
 *
 * Called by the DMA controller with the model lock held. The same as @n
 * single writes: those that find the FIFO full are lost.
 */
void openi2s_sim_ctrl_push(struct openi2s_sim_ctrl *c, const void *mem,
			   unsigned int width, unsigned int n)
{
	struct openi2s_sim_fifo *f = &c->fifo[TX];
	unsigned int i, tail = f->head + f->level;

	n = min(n, OPENI2S_SIM_FIFO_DEPTH - f->level);
	/* One loop per width: this is the model's hottest data path. */
	if (width == 2) {
		const u16 *p = mem;

		for (i = 0; i < n; i++)
			f->data[(tail + i) % OPENI2S_SIM_FIFO_DEPTH] = p[i];
	} else {
		const u32 *p = mem;

		for (i = 0; i < n; i++)
			f->data[(tail + i) % OPENI2S_SIM_FIFO_DEPTH] = p[i];
	}
	f->level += n;
}

/**
 * openi2s_sim_ctrl_pop() - a burst of bus reads of RX_DATA
 * @c: the controller
 * @mem: room for @n elements of @width bytes: the low bytes of each sample
 * @width: 2 or 4
 * @n: how many
 *
 * Called by the DMA controller with the model lock held. The same as @n
 * single reads: those that find the FIFO empty read 0.
 */
void openi2s_sim_ctrl_pop(struct openi2s_sim_ctrl *c, void *mem,
			  unsigned int width, unsigned int n)
{
	struct openi2s_sim_fifo *f = &c->fifo[RX];
	unsigned int i, got = min(n, f->level);

	if (width == 2) {
		u16 *p = mem;

		for (i = 0; i < got; i++)
			p[i] = f->data[(f->head + i) % OPENI2S_SIM_FIFO_DEPTH];
		for (; i < n; i++)
			p[i] = 0;
	} else {
		u32 *p = mem;

		for (i = 0; i < got; i++)
			p[i] = f->data[(f->head + i) % OPENI2S_SIM_FIFO_DEPTH];
		for (; i < n; i++)
			p[i] = 0;
	}
	f->head = (f->head + got) % OPENI2S_SIM_FIFO_DEPTH;
	f->level -= got;
}

static void service_dma(struct openi2s_sim_ctrl *c)
{
	/* The FIFOs' bus side runs from the bus clock. */
	if (unlikely(c->bus_gated))
		return;
	if (openi2s_sim_ctrl_drq(c, OPENI2S_DRQ_TX) &&
	    !READ_ONCE(c->faults.stall_dma[TX]))
		c->dma_irq |= openi2s_sim_dma_service(c->sim, OPENI2S_DRQ_TX);
	if (openi2s_sim_ctrl_drq(c, OPENI2S_DRQ_RX) &&
	    !READ_ONCE(c->faults.stall_dma[RX]))
		c->dma_irq |= openi2s_sim_dma_service(c->sim, OPENI2S_DRQ_RX);
}

/*
 * An injected bus clock gate opens at its time, seen by the tick or by a
 * register access, whichever comes first: with the clock stopped there
 * is no tick. What the bit-clocked side latched meanwhile arrives now.
 */
static void ungate_when_due(struct openi2s_sim_ctrl *c, ktime_t now)
{
	if (!c->bus_gated || ktime_before(now, c->gate_end))
		return;
	c->bus_gated = false;
	/* The bus-clocked clock-loss detector starts its window afresh. */
	c->lost_at = 0;
	c->irq_stat |= c->held_stat;
	c->held_stat = 0;
	service_dma(c);
	update_line(c);
}

/**
 * openi2s_sim_ctrl_kick() - let the model react to a change outside it
 * @c: the controller
 *
 * The DMA controller calls this (without the model lock) when a transfer
 * was issued, so a waiting request is served at once.
 */
void openi2s_sim_ctrl_kick(struct openi2s_sim_ctrl *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	if (unlikely(c->bus_gated))
		ungate_when_due(c, ktime_get());
	service_dma(c);
	update_line(c);
	spin_unlock_irqrestore(&c->lock, flags);
}

#define BOTH_EN	(OPENI2S_CTRL_TX_EN | OPENI2S_CTRL_RX_EN)

/*
 * The wire may be skipped (openi2s_rx_direct_ready()) while only the
 * receiver hears it: both engines run on and stay so, and no part, fault,
 * trace or frame-length mismatch sees or changes the bits. @flip is the
 * corrupt-bit knob, read once per frame.
 */
static bool wire_unheard(struct openi2s_sim_ctrl *c, u32 flip)
{
	return c->tx_on && c->rx_on && (c->ctrl & BOTH_EN) == BOTH_EN &&
	       !c->sim->n_parts && !c->fs_mismatch && flip >= c->rx.bits &&
	       c->trace.len >= c->trace.want && !READ_ONCE(c->bit_level);
}

/* Receive a frame: from the wire, or from the frames sent while unheard. */
static unsigned int receive(struct openi2s_sim_ctrl *c,
			    const struct openi2s_wire *heard, u32 flip, s32 *in)
{
	unsigned int got;

	if (c->direct) {
		openi2s_rx_direct_decode(&c->rx.fmt, c->sent[c->sent_idx ^ 1],
					 in);
		c->direct_frames++;
		return 1;
	}
	got = openi2s_rx_feed(&c->rx, heard, in, 1);
	c->direct = wire_unheard(c, flip) &&
		    openi2s_rx_direct_ready(&c->rx, &c->tx.fmt);
	return got;
}

/* One frame period: engines start or stop, a frame crosses the wire. */
static void run_frame(struct openi2s_sim_ctrl *c)
{
	struct openi2s_wire wire, inside, bus_rx;
	const struct openi2s_wire *heard = &wire;
	const struct openi2s_frame_fmt *sent_fmt = NULL;
	struct openi2s_frame_fmt f;
	s32 in[OPENI2S_FRAME_MAX_SLOTS];
	unsigned int ch, i;
	u32 *out = NULL, flip;

	/*
	 * The knob is read once: debugfs may change it between a bounds
	 * check and the index.
	 */
	flip = READ_ONCE(c->faults.corrupt_bit);
	/* Back onto the wire before anything may hear or change it. */
	if (c->direct && !wire_unheard(c, flip)) {
		openi2s_direct_resume(&c->tx, &c->rx, c->sent[c->sent_idx ^ 1],
				      c->sent[c->sent_idx]);
		c->direct = false;
	}

	/* Enables take effect at frame starts, with fresh framing state. */
	if (!!(c->ctrl & OPENI2S_CTRL_TX_EN) != c->tx_on) {
		frame_fmt(c, TX, &f);
		c->tx_on = !c->tx_on && openi2s_fmt_valid(&f);
		if (c->tx_on) {
			openi2s_tx_init(&c->tx, &f);
			openi2s_sim_parts_tx_start(c->sim);
			/* A frame of zeros owes no delayed bit, like a start. */
			memset(c->sent, 0, sizeof(c->sent));
		}
		/* An injected underrun is of the stream it was meant for. */
		c->tx_short = 0;
	}
	if (!!(c->ctrl & OPENI2S_CTRL_RX_EN) != c->rx_on) {
		frame_fmt(c, RX, &f);
		c->rx_on = !c->rx_on && openi2s_fmt_valid(&f);
		if (c->rx_on)
			openi2s_rx_init(&c->rx, &f);
		c->rx_full = 0;
	}

	/* Transmit: whole frames only, silence and TXU when short of one. */
	if (c->tx_on) {
		/* The last two frames sent are kept for receive(). */
		c->sent_idx ^= 1;
		out = c->sent[c->sent_idx];
		ch = openi2s_fmt_channels(&c->tx.fmt);
		if (c->fifo[TX].level >= ch && likely(!c->tx_short)) {
			for (i = 0; i < ch; i++)
				out[i] = fifo_pop(&c->fifo[TX]);
			sent_fmt = &c->tx.fmt;
		} else {
			if (c->tx_short)
				c->tx_short--;
			memset(out, 0, ch * sizeof(*out));
			latch(c, OPENI2S_IRQ_TXU, 0);
		}
		if (!c->direct)
			openi2s_tx_frame(&c->tx, sent_fmt ? out : NULL, &wire);
	} else {
		/* An idle transmitter keeps the frame sync and a zero line. */
		if (!c->idle_ok)
			return;
		openi2s_tx_frame(&c->idle, NULL, &wire);
	}
	c->wire_frames++;

	/* Nothing below hears the wire while it is skipped. */
	if (!c->direct) {
		/*
		 * The board's faults act on its wire; CTRL.LOOPBACK feeds
		 * the receiver from SD_OUT inside the controller, before the
		 * board.
		 */
		if (flip < wire.bits) {
			if (c->ctrl & OPENI2S_CTRL_LOOPBACK) {
				inside = wire;
				heard = &inside;
			}
			wire.sd[flip / 32] ^= BIT(31 - flip % 32);
		}

		/*
		 * A board with parts on its wire: they hear SD_OUT and drive
		 * SD_IN. Without parts, the board wires SD_OUT to SD_IN.
		 */
		if (c->sim->n_parts) {
			openi2s_sim_parts_frame(c->sim, &wire, sent_fmt, out,
						&bus_rx);
			if (!(c->ctrl & OPENI2S_CTRL_LOOPBACK))
				heard = &bus_rx;
		}
		if (unlikely(c->trace.len < c->trace.want))
			openi2s_sim_trace_frame(c, &wire,
						c->sim->n_parts ? &bus_rx : NULL);
	}

	/*
	 * A consumer programmed for another frame length than the peer
	 * drives sees a frame start where it expects none: every frame is
	 * a frame-sync error, and the receiver drops it.
	 */
	if (c->fs_mismatch) {
		if (c->tx_on || c->rx_on)
			latch(c, OPENI2S_IRQ_FSERR, 2);
	} else if (c->rx_on) {
		unsigned int before = c->rx.fs_errors;

		if (receive(c, heard, flip, in)) {
			ch = openi2s_fmt_channels(&c->rx.fmt);
			if (c->fifo[RX].level + ch <= OPENI2S_SIM_FIFO_DEPTH &&
			    likely(!c->rx_full)) {
				for (i = 0; i < ch; i++)
					fifo_push(&c->fifo[RX], in[i]);
			} else {
				if (c->rx_full)
					c->rx_full--;
				latch(c, OPENI2S_IRQ_RXO, 1);
			}
		}
		if (c->rx.fs_errors != before)
			latch(c, OPENI2S_IRQ_FSERR, 2);
	}
	c->frame_count++;
	service_dma(c);
}

static bool provider(const struct openi2s_sim_ctrl *c)
{
	return c->ctrl & OPENI2S_CTRL_PROVIDER;
}

/**
 * openi2s_sim_ctrl_frame_rate() - the frame rate of the running clock
 * @c: the controller, lock held
 *
 * Return: frames per second, rounded down; 0 before a clock ran.
 */
u32 openi2s_sim_ctrl_frame_rate(const struct openi2s_sim_ctrl *c)
{
	if (!c->period_num)
		return 0;
	return div64_u64((u64)c->parent_hz * c->period_den, c->period_num);
}

/* A consumer's clocks come from the bus peer, not from the SoC's PLLs. */
static bool clock_ok(struct openi2s_sim_ctrl *c)
{
	return !READ_ONCE(c->faults.stop_clock) &&
	       (!provider(c) ||
		openi2s_sim_clk_enabled(c->sim, parent_clk(c)));
}

/*
 * The bus-clocked detector: an enabled engine that sees no frame for
 * CLKLOSS_NS latches CLKLOSS, once per loss; frames or a restart re-arm it.
 */
static void clock_lost(struct openi2s_sim_ctrl *c, ktime_t now)
{
	/* The window opens when an engine first waits for a frame. */
	if (!(c->ctrl & (OPENI2S_CTRL_TX_EN | OPENI2S_CTRL_RX_EN))) {
		c->lost_at = 0;
		return;
	}
	if (!c->lost_at) {
		c->lost_at = now;
		return;
	}
	if (c->loss_latched ||
	    ktime_to_ns(ktime_sub(now, c->lost_at)) < CLKLOSS_NS)
		return;
	c->loss_latched = true;
	latch(c, OPENI2S_IRQ_CLKLOSS, 3);
	update_line(c);
}

/*
 * The one-shot faults written through debugfs, taken by the tick; xchg()
 * because debugfs writes them without the model's lock. A FIFO fault
 * waits for its engine to run.
 */
static void take_faults(struct openi2s_sim_ctrl *c, ktime_t now)
{
	u32 gate = xchg(&c->faults.gate_bus_clock_ms, 0);

	if (c->tx_on)
		c->tx_short += xchg(&c->faults.tx_fifo_underrun, 0);
	if (c->rx_on)
		c->rx_full += xchg(&c->faults.rx_fifo_overrun, 0);
	if (gate) {
		ktime_t end = ktime_add_ms(now, gate);

		if (!c->bus_gated || ktime_after(end, c->gate_end))
			c->gate_end = end;
		c->bus_gated = true;
	}
}

static enum hrtimer_restart openi2s_sim_tick(struct hrtimer *timer)
{
	struct openi2s_sim_ctrl *c = container_of(timer, struct openi2s_sim_ctrl,
						  timer);
	u64 cycles, due, todo, n = 0, next = TICK_NS;
	unsigned long flags;
	ktime_t now;
	u32 late;

	spin_lock_irqsave(&c->lock, flags);
	if (!c->running) {
		c->timer_armed = false;
		spin_unlock_irqrestore(&c->lock, flags);
		return HRTIMER_NORESTART;
	}
	late = xchg(&c->faults.late_tick_ms, 0);
	/*
	 * A gate due to open meanwhile opens at the late tick, after the
	 * frames owed (or at a register access): late ticks and gates are
	 * never injected together.
	 */
	if (late) {
		spin_unlock_irqrestore(&c->lock, flags);
		hrtimer_forward_now(timer, ms_to_ktime(late));
		return HRTIMER_RESTART;
	}
	now = ktime_get();
	take_faults(c, now);
	if (!clock_ok(c)) {
		/* A stopped clock makes no frames, now or later. */
		c->t0 = now;
		c->frames_done = 0;
		if (!c->bus_gated)
			clock_lost(c, now);
	} else {
		c->lost_at = 0;
		c->loss_latched = false;
		cycles = mul_u64_u64_div_u64(ktime_to_ns(ktime_sub(now, c->t0)),
					     c->parent_hz, NSEC_PER_SEC);
		due = mul_u64_u64_div_u64(cycles, c->period_den, c->period_num);
		todo = min_t(u64, due - c->frames_done, MAX_FRAMES_PER_TICK);
		c->dma_irq = false;
		while (n < todo && !(c->dma_irq && n >= c->tick_frames)) {
			run_frame(c);
			n++;
		}
		c->frames_done += n;
		/* The model's own cost, for make bench. */
		c->run_ns += ktime_to_ns(ktime_sub(ktime_get(), now));
		/*
		 * Latched together, for a rate measurement that can see ppm;
		 * the time only when the count caught up with it.
		 */
		c->clock_frames += n;
		if (c->frames_done == due) {
			c->clock_at_frames = c->clock_frames;
			c->clock_at = now;
		} else if (c->dma_irq) {
			next = CATCH_UP_NS;
		}
		update_line(c);
	}
	/* After the frames: those owed up to now ran with the gate shut. */
	ungate_when_due(c, now);
	spin_unlock_irqrestore(&c->lock, flags);
	hrtimer_forward_now(timer, ns_to_ktime(next));
	return HRTIMER_RESTART;
}

/* Cycles of the frame clock's source per frame, in a provider. */
static void provider_period(struct openi2s_sim_ctrl *c, u32 bits)
{
	u32 bdiv, bnum, bden;

	bdiv = FIELD_GET(OPENI2S_BCLKDIV_BDIV, c->bclkdiv);
	bnum = FIELD_GET(OPENI2S_BCLKFRAC_NUM, c->bclkfrac);
	bden = FIELD_GET(OPENI2S_BCLKFRAC_DEN, c->bclkfrac);
	if (bden && bdiv >= 2 && bnum < bden) {
		c->period_num = ((u64)bdiv * bden + bnum) * bits;
		c->period_den = bden;
	} else {
		c->period_num = (u64)bdiv * bits;
		c->period_den = 1;
	}
	c->parent_hz = openi2s_sim_clk_rate(c->sim, parent_clk(c));
}

/*
 * Start or stop the frame clock after CTRL changed.  A provider runs its
 * own generator; a consumer sees frames while the bus peer drives them
 * (openi2s,peer-frame-rate) and one of its engines is enabled.
 */
static void update_clock(struct openi2s_sim_ctrl *c)
{
	bool run = provider(c) ?
		(c->ctrl & OPENI2S_CTRL_CLK_EN) &&
		FIELD_GET(OPENI2S_BCLKDIV_BDIV, c->bclkdiv) :
		c->peer_rate && c->peer_bits &&
		(c->ctrl & (OPENI2S_CTRL_TX_EN | OPENI2S_CTRL_RX_EN));
	struct openi2s_frame_fmt f;
	u32 bits;

	/* A change of clock mode while running restarts the frame clock. */
	if (run == c->running && (!run || c->run_provider == provider(c)))
		return;
	c->running = run;
	c->run_provider = provider(c);
	if (!run) {
		/* The tick sees !running and ends; frames in flight are lost. */
		c->tx_on = false;
		c->rx_on = false;
		c->direct = false;
		c->tx_short = 0;
		c->rx_full = 0;
		return;
	}

	bits = (FIELD_GET(OPENI2S_FMT_SLOTS, c->fmt) + 1) *
	       max_t(u32, FIELD_GET(OPENI2S_FMT_SLOT_WIDTH, c->fmt), 1);
	if (provider(c)) {
		provider_period(c, bits);
		c->fs_mismatch = false;
	} else {
		/* The peer's frame clock, straight. */
		c->parent_hz = c->peer_rate;
		c->period_num = 1;
		c->period_den = 1;
		c->fs_mismatch = bits != c->peer_bits;
	}

	/*
	 * The frame shape is fixed while the clock runs: set up the idle
	 * line's framing once. Its sample width and slots do not matter (it
	 * sends zeros), so the TX engine's settings cannot make it invalid.
	 */
	frame_fmt(c, TX, &f);
	f.sample_width = 16;
	f.slot_mask = 1;
	c->idle_ok = openi2s_fmt_valid(&f);
	if (c->idle_ok)
		openi2s_tx_init(&c->idle, &f);

	c->t0 = ktime_get();
	c->frames_done = 0;
	c->lost_at = 0;
	c->loss_latched = false;
	/*
	 * Without high-resolution timers ticks, catching up ones too, come
	 * a jiffy apart: one that stopped at a TICK_NS's worth of frames
	 * would run the clock slow, and one that stopped at a jiffy's would
	 * catch up with a late tick only slowly.
	 */
	c->tick_frames = div_u64((u64)openi2s_sim_ctrl_frame_rate(c) *
				 max_t(u64, TICK_NS, 2 * hrtimer_resolution),
				 NSEC_PER_SEC) + 1;
	openi2s_sim_parts_clock_start(c->sim, openi2s_sim_ctrl_frame_rate(c));
	/*
	 * Decided under the lock: a tick that saw !running has cleared
	 * timer_armed before ending, so the timer is started again even if
	 * that callback has not returned yet (hrtimers allow it).
	 */
	if (!c->timer_armed) {
		c->timer_armed = true;
		hrtimer_start(&c->timer, ns_to_ktime(TICK_NS),
			      HRTIMER_MODE_REL_SOFT);
	}
}

static bool bus_clock_on(struct openi2s_sim_ctrl *c)
{
	if (unlikely(c->bus_gated))
		ungate_when_due(c, ktime_get());
	if (openi2s_sim_clk_enabled(c->sim, OPENI2S_SIM_CLK_BUS) &&
	    !c->bus_gated)
		return true;
	/*
	 * Real silicon would hang or return garbage. With the clock off
	 * at the clock controller it is a driver bug; an injected gate is
	 * not the driver's doing.
	 */
	c->gated_access++;
	dev_WARN_ONCE(c->sim->dev,
		      !openi2s_sim_clk_enabled(c->sim, OPENI2S_SIM_CLK_BUS),
		      "register access with the bus clock gated\n");
	return false;
}

/* A register's value as a read returns it, without read side effects. */
static u32 reg_value(struct openi2s_sim_ctrl *c, unsigned int reg)
{
	switch (reg) {
	case OPENI2S_ID:
		return FIELD_PREP(OPENI2S_ID_MAGIC, OPENI2S_MAGIC) |
		       FIELD_PREP(OPENI2S_ID_MAJOR, OPENI2S_VERSION_MAJOR) |
		       FIELD_PREP(OPENI2S_ID_MINOR, OPENI2S_VERSION_MINOR);
	case OPENI2S_CAP:
		return openi2s_sim_cap;
	case OPENI2S_CTRL:
		return c->ctrl;
	case OPENI2S_FMT:
		return c->fmt;
	case OPENI2S_MCLKDIV:
		return c->mclkdiv;
	case OPENI2S_BCLKDIV:
		return c->bclkdiv;
	case OPENI2S_BCLKFRAC:
		return c->bclkfrac;
	case OPENI2S_TX_CFG:
	case OPENI2S_RX_CFG:
		return c->cfg[reg == OPENI2S_RX_CFG];
	case OPENI2S_TX_SLOTS:
	case OPENI2S_RX_SLOTS:
		return c->slots[reg == OPENI2S_RX_SLOTS];
	case OPENI2S_TX_LEVEL:
	case OPENI2S_RX_LEVEL:
		return c->fifo[reg == OPENI2S_RX_LEVEL].level;
	case OPENI2S_IRQ_EN:
		return c->irq_en;
	case OPENI2S_IRQ_STAT:
		return irq_status(c);
	case OPENI2S_TXU_COUNT:
	case OPENI2S_RXO_COUNT:
	case OPENI2S_FSERR_COUNT:
		return c->counts[(reg - OPENI2S_TXU_COUNT) / 4];
	case OPENI2S_FRAME_COUNT:
		return c->frame_count;
	case OPENI2S_CLKLOSS_COUNT:
		return c->counts[3];
	}
	return 0;
}

/**
 * openi2s_sim_ctrl_read() - a bus read of a controller register
 * @c: the controller
 * @reg: offset in the controller's register block
 * @val: receives the value
 *
 * Return: 0.
 */
int openi2s_sim_ctrl_read(struct openi2s_sim_ctrl *c, unsigned int reg,
			  u32 *val)
{
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	*val = 0;
	if (!bus_clock_on(c)) {
		/* nothing: the access is lost */
	} else if (reg == OPENI2S_RX_DATA) {
		*val = port_read(c);
		service_dma(c);
		update_line(c);
	} else {
		*val = reg_value(c, reg);
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return 0;
}

/**
 * openi2s_sim_ctrl_write() - a bus write of a controller register
 * @c: the controller
 * @reg: offset in the controller's register block
 * @val: the value
 *
 * Return: 0.
 */
int openi2s_sim_ctrl_write(struct openi2s_sim_ctrl *c, unsigned int reg,
			   u32 val)
{
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	if (!bus_clock_on(c))
		goto out;
	switch (reg) {
	case OPENI2S_CTRL:
		c->ctrl = val & (GENMASK(5, 0) | OPENI2S_CTRL_CLK_SEL);
		update_clock(c);
		break;
	case OPENI2S_FMT:
		c->fmt = val & (OPENI2S_FMT_MODE | OPENI2S_FMT_BCLK_INV |
				OPENI2S_FMT_FS_INV | OPENI2S_FMT_SLOT_WIDTH |
				OPENI2S_FMT_SLOTS);
		break;
	case OPENI2S_MCLKDIV:
		c->mclkdiv = val & OPENI2S_MCLKDIV_MDIV;
		break;
	case OPENI2S_BCLKDIV:
		c->bclkdiv = val & OPENI2S_BCLKDIV_BDIV;
		break;
	case OPENI2S_BCLKFRAC:
		c->bclkfrac = val;
		break;
	case OPENI2S_FLUSH:
		if (val & OPENI2S_FLUSH_TX)
			c->fifo[TX].level = 0;
		if (val & OPENI2S_FLUSH_RX)
			c->fifo[RX].level = 0;
		break;
	case OPENI2S_TX_CFG:
	case OPENI2S_RX_CFG:
		c->cfg[reg == OPENI2S_RX_CFG] = val & (OPENI2S_CFG_WIDTH |
			OPENI2S_CFG_DMA_EN | OPENI2S_CFG_WATERMARK);
		break;
	case OPENI2S_TX_SLOTS:
	case OPENI2S_RX_SLOTS:
		c->slots[reg == OPENI2S_RX_SLOTS] = val & OPENI2S_SLOTS_MASK;
		break;
	case OPENI2S_TX_DATA:
		port_write(c, val);
		break;
	case OPENI2S_IRQ_EN:
		c->irq_en = val & GENMASK(5, 0);
		break;
	case OPENI2S_IRQ_STAT:
		c->irq_stat &= ~(val & OPENI2S_IRQ_W1C);
		break;
	case OPENI2S_TXU_COUNT:
	case OPENI2S_RXO_COUNT:
	case OPENI2S_FSERR_COUNT:
		c->counts[(reg - OPENI2S_TXU_COUNT) / 4] = 0;
		break;
	case OPENI2S_CLKLOSS_COUNT:
		c->counts[3] = 0;
		break;
	}
	service_dma(c);
	update_line(c);
out:
	spin_unlock_irqrestore(&c->lock, flags);
	return 0;
}

/**
 * openi2s_sim_ctrl_init() - reset the controller model
 * @c: the controller
 * @sim: the SoC it belongs to
 * @base: offset of its registers in the SoC's register space
 * @peer_rate: frame rate the bus peer drives in consumer mode, 0 for none
 * @peer_bits: bit clocks per frame it drives
 */
void openi2s_sim_ctrl_init(struct openi2s_sim_ctrl *c, struct openi2s_sim *sim,
			   unsigned int base, u32 peer_rate, u32 peer_bits)
{
	memset(c, 0, sizeof(*c));
	c->sim = sim;
	c->base = base;
	c->peer_rate = peer_rate;
	c->peer_bits = peer_bits;
	spin_lock_init(&c->lock);
	c->fmt = FIELD_PREP(OPENI2S_FMT_SLOT_WIDTH, 32) |
		 FIELD_PREP(OPENI2S_FMT_SLOTS, 1);
	c->cfg[TX] = FIELD_PREP(OPENI2S_CFG_WIDTH, 16);
	c->cfg[RX] = FIELD_PREP(OPENI2S_CFG_WIDTH, 16) |
		     FIELD_PREP(OPENI2S_CFG_WATERMARK, 1);
	c->slots[TX] = 0x3;
	c->slots[RX] = 0x3;
	c->faults.corrupt_bit = U32_MAX;
	hrtimer_init(&c->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	c->timer.function = openi2s_sim_tick;
}

/**
 * openi2s_sim_ctrl_stop() - stop the model's clock for good
 * @c: the controller
 */
void openi2s_sim_ctrl_stop(struct openi2s_sim_ctrl *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	c->running = false;
	spin_unlock_irqrestore(&c->lock, flags);
	hrtimer_cancel(&c->timer);
}

static int regs_show(struct seq_file *s, void *unused)
{
	static const struct {
		const char *name;
		unsigned int reg;
	} regs[] = {
		{ "ID", OPENI2S_ID }, { "CAP", OPENI2S_CAP },
		{ "CTRL", OPENI2S_CTRL }, { "FMT", OPENI2S_FMT },
		{ "MCLKDIV", OPENI2S_MCLKDIV }, { "BCLKDIV", OPENI2S_BCLKDIV },
		{ "BCLKFRAC", OPENI2S_BCLKFRAC }, { "TX_CFG", OPENI2S_TX_CFG },
		{ "TX_SLOTS", OPENI2S_TX_SLOTS }, { "TX_LEVEL", OPENI2S_TX_LEVEL },
		{ "RX_CFG", OPENI2S_RX_CFG }, { "RX_SLOTS", OPENI2S_RX_SLOTS },
		{ "RX_LEVEL", OPENI2S_RX_LEVEL }, { "IRQ_EN", OPENI2S_IRQ_EN },
		{ "IRQ_STAT", OPENI2S_IRQ_STAT },
		{ "TXU_COUNT", OPENI2S_TXU_COUNT },
		{ "RXO_COUNT", OPENI2S_RXO_COUNT },
		{ "FSERR_COUNT", OPENI2S_FSERR_COUNT },
		{ "FRAME_COUNT", OPENI2S_FRAME_COUNT },
		{ "CLKLOSS_COUNT", OPENI2S_CLKLOSS_COUNT },
	};
	struct openi2s_sim_ctrl *c = s->private;
	unsigned long flags;
	unsigned int i;
	u32 val;

	/* The debug view reads past the bus clock gate, like a JTAG probe. */
	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		spin_lock_irqsave(&c->lock, flags);
		val = reg_value(c, regs[i].reg);
		spin_unlock_irqrestore(&c->lock, flags);
		seq_printf(s, "%-12s 0x%02x  0x%08x\n", regs[i].name,
			   regs[i].reg, val);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(regs);

static int state_show(struct seq_file *s, void *unused)
{
	struct openi2s_sim_ctrl *c = s->private;
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	seq_printf(s, "clock_running: %d\nparent_hz: %u\n", c->running,
		   c->parent_hz);
	seq_printf(s, "clock_provider: %s\npeer_frame_rate: %u\npeer_frame_bits: %u\n",
		   provider(c) ? "controller" : "peer", c->peer_rate,
		   c->peer_bits);
	seq_printf(s, "frame_period_cycles: %llu/%u\n", c->period_num,
		   c->period_den);
	seq_printf(s, "tx_on: %d\nrx_on: %d\n", c->tx_on, c->rx_on);
	seq_printf(s, "tx_fifo_level: %u\nrx_fifo_level: %u\n",
		   c->fifo[TX].level, c->fifo[RX].level);
	seq_printf(s, "wire_frames: %llu\nwire_skipped_frames: %llu\n",
		   c->wire_frames, c->direct_frames);
	seq_printf(s, "clock_frames: %llu\nclock_frames_ns: %llu\n",
		   c->clock_frames, c->run_ns);
	seq_printf(s, "tx_underruns: %u\nrx_overruns: %u\nfs_errors: %u\nclock_losses: %u\n",
		   c->counts[0], c->counts[1], c->counts[2], c->counts[3]);
	seq_printf(s, "irq_line: %d\ngated_access: %lu\nbus_clock_gated: %d\n",
		   c->line, c->gated_access, c->bus_gated);
	seq_printf(s, "tx_dma_unseen_laps: %u\nrx_dma_unseen_laps: %u\n",
		   c->dma_unseen_laps[OPENI2S_DRQ_TX],
		   c->dma_unseen_laps[OPENI2S_DRQ_RX]);
	spin_unlock_irqrestore(&c->lock, flags);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(state);

/* The frame clock's count and the time it was reached, sampled together. */
static int frame_clock_show(struct seq_file *s, void *unused)
{
	struct openi2s_sim_ctrl *c = s->private;
	unsigned long flags;
	u64 frames;
	ktime_t at;

	spin_lock_irqsave(&c->lock, flags);
	frames = c->clock_at_frames;
	at = c->clock_at;
	spin_unlock_irqrestore(&c->lock, flags);
	seq_printf(s, "%llu %lld\n", frames, ktime_to_ns(at));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(frame_clock);

/*
 * The number-valued fault knobs, which the model reads or takes without
 * debugfs's lock: read and written marked on both sides. The bool knobs
 * are debugfs's own; the model reads them marked, and a bool's plain
 * store cannot tear.
 */
static int fault_get(void *data, u64 *val)
{
	*val = READ_ONCE(*(u32 *)data);
	return 0;
}

static int fault_set(void *data, u64 val)
{
	if (val > U32_MAX)
		return -EINVAL;
	WRITE_ONCE(*(u32 *)data, val);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(fault_fops, fault_get, fault_set, "%llu\n");

/**
 * openi2s_sim_ctrl_debugfs() - register dump, state and fault knobs
 * @c: the controller
 * @dir: the directory to populate
 */
void openi2s_sim_ctrl_debugfs(struct openi2s_sim_ctrl *c, struct dentry *dir)
{
	debugfs_create_file("registers", 0400, dir, c, &regs_fops);
	debugfs_create_file("state", 0400, dir, c, &state_fops);
	debugfs_create_file("frame_clock", 0400, dir, c, &frame_clock_fops);
	debugfs_create_bool("fault_stall_tx_dma", 0600, dir,
			    &c->faults.stall_dma[TX]);
	debugfs_create_bool("fault_stall_rx_dma", 0600, dir,
			    &c->faults.stall_dma[RX]);
	debugfs_create_bool("wire_bit_level", 0600, dir, &c->bit_level);
	debugfs_create_bool("fault_stop_clock", 0600, dir,
			    &c->faults.stop_clock);
	debugfs_create_file_unsafe("fault_corrupt_bit", 0600, dir,
				   &c->faults.corrupt_bit, &fault_fops);
	debugfs_create_file_unsafe("fault_late_tick_ms", 0600, dir,
				   &c->faults.late_tick_ms, &fault_fops);
	debugfs_create_file_unsafe("fault_tx_fifo_underrun", 0600, dir,
				   &c->faults.tx_fifo_underrun, &fault_fops);
	debugfs_create_file_unsafe("fault_rx_fifo_overrun", 0600, dir,
				   &c->faults.rx_fifo_overrun, &fault_fops);
	debugfs_create_file_unsafe("fault_gate_bus_clock_ms", 0600, dir,
				   &c->faults.gate_bus_clock_ms, &fault_fops);
	openi2s_sim_trace_debugfs(c, dir);
}
