/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OpenI2S simulated SoC: the silicon around the controller on the virtual
 * board. One module, split by block, plus the board loader:
 *
 *   openi2s-sim.c        the SoC node: bus (regmap) for its children,
 *                        debugfs
 *   openi2s-sim-ctrl.c   the controller model: registers, FIFOs, engines,
 *                        clock-driven frame timing, the wire
 *   openi2s-sim-clk.c    the clock controller (bus clock, two audio PLLs)
 *   openi2s-sim-intc.c   the interrupt controller
 *   openi2s-sim-dma.c    the DMA controller (dmaengine provider)
 *   openi2s-sim-trace.c  the wire trace (debugfs logic analyser)
 *   openi2s-sim-part.c   the parts on the board's wire (openi2s-part.c)
 *   openi2s-board.c      (own module) applies the board overlay
 */
#ifndef OPENI2S_SIM_H
#define OPENI2S_SIM_H

#include <linux/hrtimer.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "openi2s-frame.h"
#include "openi2s-part.h"

struct clk_hw;
struct dentry;
struct device;
struct openi2s_sim_intc;
struct openi2s_sim_dma;
struct openi2s_sim_part;
struct seq_file;

/* Sim clock indices, the cell of a "clocks" specifier of the CRU. */
#define OPENI2S_SIM_CLK_BUS	0
#define OPENI2S_SIM_CLK_PLL44K1	1
#define OPENI2S_SIM_CLK_PLL48K	2
#define OPENI2S_SIM_NUM_CLKS	3

#define OPENI2S_SIM_FIFO_DEPTH	64

/**
 * struct openi2s_sim_fifo - one direction's sample FIFO
 * @data: entries, one LSB-aligned sample each
 * @head: index of the oldest entry
 * @level: entries in use
 */
struct openi2s_sim_fifo {
	u32 data[OPENI2S_SIM_FIFO_DEPTH];
	unsigned int head;
	unsigned int level;
};

/**
 * struct openi2s_sim_faults - faults injected through debugfs
 * @stall_dma: DMA requests of that direction are ignored (0 TX, 1 RX)
 * @stop_clock: the bit clock stops: no frames
 * @corrupt_bit: flip this bit clock of every frame's data (U32_MAX: none)
 * @late_tick_ms: the model's next tick comes this late, as when the
 *	guest is not scheduled; it then catches up (one shot: the tick that
 *	takes it sets it back to 0)
 * @tx_fifo_underrun: the transmitter's next this many frames find its FIFO
 *	short of a frame, whatever it holds (taken by the next tick while
 *	the transmitter runs, which sets it back to 0; a stop forgets the
 *	frames not yet hit)
 * @rx_fifo_overrun: the receiver's next this many frames find its FIFO
 *	full (taken the same way while the receiver runs)
 * @gate_bus_clock_ms: the controller's bus clock input is gated this long
 *	from the next tick on, whichever engines run (the tick sets it back
 *	to 0; a gate already shut stays shut at least as long as it was
 *	going to)
 */
struct openi2s_sim_faults {
	bool stall_dma[2];
	bool stop_clock;
	u32 corrupt_bit;
	u32 late_tick_ms;
	u32 tx_fifo_underrun;
	u32 rx_fifo_overrun;
	u32 gate_bus_clock_ms;
};

#define OPENI2S_SIM_TRACE_FRAMES	16

/**
 * struct openi2s_sim_trace - frames kept for debugfs "wire_trace"
 * @want: frames asked for, 0 when idle
 * @len: frames kept so far
 * @ctrl: CTRL when the first was kept
 * @fmt: FMT then
 * @cfg: TX_CFG and RX_CFG then
 * @slots: TX_SLOTS and RX_SLOTS then
 * @frame_rate: the frame rate then, in Hz (rounded down)
 * @has_sdi: the parts drove a receive data line of their own
 * @frames: the frames
 * @sdi: that line, per frame
 */
struct openi2s_sim_trace {
	unsigned int want, len;
	u32 ctrl, fmt, cfg[2], slots[2];
	u64 frame_rate;
	bool has_sdi;
	struct openi2s_wire frames[OPENI2S_SIM_TRACE_FRAMES];
	u32 sdi[OPENI2S_SIM_TRACE_FRAMES][OPENI2S_FRAME_WORDS];
};

/**
 * struct openi2s_sim_ctrl - the OpenI2S controller model
 * @sim: the SoC it is part of
 * @base: offset of its registers in the SoC's register space
 * @lock: protects everything below; taken with interrupts off
 * @ctrl: CTRL register
 * @fmt: FMT register
 * @mclkdiv: MCLKDIV register
 * @bclkdiv: BCLKDIV register
 * @bclkfrac: BCLKFRAC register
 * @cfg: TX_CFG and RX_CFG registers
 * @slots: TX_SLOTS and RX_SLOTS registers
 * @irq_en: IRQ_EN register
 * @irq_stat: latched bits of IRQ_STAT
 * @counts: TXU_COUNT, RXO_COUNT, FSERR_COUNT and CLKLOSS_COUNT
 * @frame_count: FRAME_COUNT
 * @fifo: TX and RX FIFOs
 * @tx_on: the transmitter runs (enables act at frame starts)
 * @rx_on: the receiver runs
 * @tx: transmitter framing state
 * @rx: receiver framing state
 * @idle: framing of the idle data line while the transmitter is off
 * @idle_ok: the frame shape is valid: the clock produces frames
 * @line: the interrupt line level
 * @timer: paces frames at the programmed rate
 * @running: the clock generator produces frames
 * @run_provider: the clock mode @running was set up for
 * @timer_armed: @timer is queued or will restart itself
 * @t0: when it started
 * @frames_done: frames produced since @t0
 * @dma_irq: the DMA controller ended a period or a transfer since the
 *	tick began
 * @tick_frames: frames in a tick at the running clock's rate, plus one; two
 *	jiffies' worth when high-resolution timers are off, whose ticks come
 *	a jiffy apart
 * @period_num: parent cycles per frame, numerator
 * @period_den: parent cycles per frame, denominator
 * @parent_hz: rate of the frame clock's source: the selected parent
 *	clock, or the peer's frame rate in consumer mode
 * @peer_rate: frame rate the bus peer drives when the controller is a
 *	clock consumer (openi2s,peer-frame-rate), 0 when it drives none
 * @peer_bits: bit clocks per frame it drives (openi2s,peer-frame-bits)
 * @fs_mismatch: consumer mode with a frame length other than the peer's
 * @clock_frames: frame periods the clock has run, over every start
 * @run_ns: time the ticks spent running @clock_frames, for debugfs
 * @clock_at_frames: @clock_frames at the last tick that ran all that
 *	were due
 * @clock_at: the time of that tick
 * @wire_frames: frames put on the wire, for debugfs
 * @sent: the samples of the last two frames the transmitter sent, zeros
 *	for silence
 * @sent_idx: which of @sent is the last
 * @direct: the receiver decodes @sent instead of the wire, which nothing
 *	else hears: the framers' state is rebuilt from @sent on leaving
 * @direct_frames: frames received so, for debugfs
 * @bit_level: debugfs knob: never skip the wire
 * @lost_at: when the clock was first seen stopped, 0 while it runs
 * @loss_latched: CLKLOSS was latched for this loss
 * @gated_access: register accesses while the bus clock was off
 * @tx_short: frames the transmitter has yet to find its FIFO short
 *	(@faults.tx_fifo_underrun, taken)
 * @rx_full: frames the receiver has yet to find its FIFO full
 * @bus_gated: the bus clock input is gated by @faults.gate_bus_clock_ms:
 *	no register access, no DMA request served, no interrupt edge
 * @gate_end: when that gate opens again
 * @held_stat: status latched while @bus_gated, not yet synchronised into
 *	IRQ_STAT
 * @dma_unseen_laps: per request line, laps of a cyclic DMA buffer made
 *	since its position was last read (data the position could not show
 *	lost); the DMA controller counts them under @lock
 * @faults: injected faults
 * @trace: the wire trace
 */
struct openi2s_sim_ctrl {
	struct openi2s_sim *sim;
	unsigned int base;
	spinlock_t lock; /* the model's and the DMA data path's; nests in none */
	u32 ctrl, fmt, mclkdiv, bclkdiv, bclkfrac;
	u32 cfg[2], slots[2];
	u32 irq_en, irq_stat;
	u32 counts[4];
	u32 frame_count;
	struct openi2s_sim_fifo fifo[2];
	bool tx_on, rx_on;
	struct openi2s_tx tx;
	struct openi2s_rx rx;
	struct openi2s_tx idle;
	bool idle_ok;
	bool line;
	struct hrtimer timer;
	bool running;
	bool run_provider;
	bool timer_armed;
	ktime_t t0;
	u64 frames_done;
	bool dma_irq;
	u64 tick_frames;
	u64 period_num;
	u32 period_den;
	u32 parent_hz;
	u32 peer_rate, peer_bits;
	bool fs_mismatch;
	u64 clock_frames;
	u64 run_ns;
	u64 clock_at_frames;
	ktime_t clock_at;
	u64 wire_frames;
	u32 sent[2][OPENI2S_FRAME_MAX_SLOTS];
	unsigned int sent_idx;
	bool direct;
	u64 direct_frames;
	bool bit_level;
	ktime_t lost_at;
	bool loss_latched;
	unsigned long gated_access;
	u32 tx_short, rx_full;
	bool bus_gated;
	ktime_t gate_end;
	u32 held_stat;
	u32 dma_unseen_laps[2];
	struct openi2s_sim_faults faults;
	struct openi2s_sim_trace trace;
};

/**
 * struct openi2s_sim - the simulated SoC
 * @dev: the SoC node's device
 * @regmap: the register space its children (the I2S controller) use
 * @ctrl: the controller model
 * @clk_hws: the clock controller's clocks, or NULL before it probed
 * @intc: the interrupt controller, or NULL
 * @dma: the DMA controller, or NULL
 * @parts: the parts on the board's wire (none: it is a loopback wire)
 * @n_parts: how many
 * @debugfs: debugfs directory
 */
struct openi2s_sim {
	struct device *dev;
	struct regmap *regmap;
	struct openi2s_sim_ctrl ctrl;
	struct clk_hw **clk_hws;
	struct openi2s_sim_intc *intc;
	struct openi2s_sim_dma *dma;
	struct openi2s_sim_part *parts;
	unsigned int n_parts;
	struct dentry *debugfs;
};

struct dentry *openi2s_sim_debugfs_root(void);

/* The board overlay, linked into the board module (openi2s-board-dtbo.S). */
extern const u8 openi2s_board_dtbo[];
extern const u8 openi2s_board_dtbo_end[];

/* The wire trace (openi2s-sim-trace.c). */
void openi2s_sim_trace_frame(struct openi2s_sim_ctrl *c,
			     const struct openi2s_wire *wire,
			     const struct openi2s_wire *rx);
void openi2s_sim_trace_debugfs(struct openi2s_sim_ctrl *c, struct dentry *dir);

/* The parts on the wire (openi2s-sim-part.c). */
int openi2s_sim_parts_probe(struct openi2s_sim *sim);
void openi2s_sim_parts_debugfs(struct openi2s_sim *sim);
void openi2s_sim_parts_frame(struct openi2s_sim *sim,
			     const struct openi2s_wire *wire,
			     const struct openi2s_frame_fmt *tx_fmt,
			     const u32 *tx_samples, struct openi2s_wire *rx);
void openi2s_sim_parts_clock_start(struct openi2s_sim *sim, u32 rate);
void openi2s_sim_parts_tx_start(struct openi2s_sim *sim);
void openi2s_sim_parts_show(struct openi2s_sim *sim, struct seq_file *s);

/* The controller model (openi2s-sim-ctrl.c). */
void openi2s_sim_ctrl_init(struct openi2s_sim_ctrl *c, struct openi2s_sim *sim,
			   unsigned int base, u32 peer_rate, u32 peer_bits);
void openi2s_sim_ctrl_stop(struct openi2s_sim_ctrl *c);
int openi2s_sim_ctrl_read(struct openi2s_sim_ctrl *c, unsigned int reg,
			  u32 *val);
int openi2s_sim_ctrl_write(struct openi2s_sim_ctrl *c, unsigned int reg,
			   u32 val);
void openi2s_sim_ctrl_kick(struct openi2s_sim_ctrl *c);
u32 openi2s_sim_ctrl_frame_rate(const struct openi2s_sim_ctrl *c);
void openi2s_sim_ctrl_debugfs(struct openi2s_sim_ctrl *c, struct dentry *dir);

/* Data port access by the DMA controller, with the model lock held. */
bool openi2s_sim_ctrl_drq(struct openi2s_sim_ctrl *c, unsigned int drq);
void openi2s_sim_ctrl_push(struct openi2s_sim_ctrl *c, const void *mem,
			   unsigned int width, unsigned int n);
void openi2s_sim_ctrl_pop(struct openi2s_sim_ctrl *c, void *mem,
			  unsigned int width, unsigned int n);

/* The clock controller (openi2s-sim-clk.c). */
bool openi2s_sim_clk_enabled(struct openi2s_sim *sim, unsigned int idx);
unsigned long openi2s_sim_clk_rate(struct openi2s_sim *sim, unsigned int idx);
extern struct platform_driver openi2s_sim_clk_driver;

/* The interrupt controller (openi2s-sim-intc.c). */
void openi2s_sim_irq_raise(struct openi2s_sim *sim, unsigned int hwirq);
extern struct platform_driver openi2s_sim_intc_driver;

/* The DMA controller (openi2s-sim-dma.c). */
bool openi2s_sim_dma_service(struct openi2s_sim *sim, unsigned int drq);
extern struct platform_driver openi2s_sim_dma_driver;

#endif /* OPENI2S_SIM_H */
