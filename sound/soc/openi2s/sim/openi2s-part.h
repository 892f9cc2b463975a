/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OpenI2S part models: the control-less parts on the simulated wire (DACs,
 * amplifiers, ADCs, microphones). Each hears or speaks in its own
 * hard-wired format, taken from the same generic codec node the sound card
 * links, never in the controller's. A sink deserialises the transmit data
 * line and judges what it heard against what the controller sent; a source
 * drives its slots of the receive data line with a test signal, following
 * the bus's frame sync the way a real part does.
 *
 * Pure C without kernel dependencies: used by the simulated SoC and by host
 * tests.
 */
#ifndef OPENI2S_PART_H
#define OPENI2S_PART_H

#include "openi2s-frame.h"
#include "../../codecs/generic-i2s-part.h"

/**
 * struct openi2s_part_fmt - how a part frames its samples on the bus
 * @mode: its format (the first its node lists: pins fix one)
 * @bclk_inv: it latches on the other bit-clock edge
 * @fs_inv: its frame sync is inverted
 * @sample_width: bits it latches or drives per slot
 * @sig_bits: of those, the significant ones (a source drives zeros below)
 * @slot_width: bit clocks per slot; 0: it counts them (frame bits / slots)
 * @slots: slots per frame; 0 for a TDM part (frame bits / @slot_width)
 * @slot_mask: the slots it uses
 * @chmode: what a sink plays of them
 * @bclk_fs: the frame lengths it works at; none: any
 */
struct openi2s_part_fmt {
	enum openi2s_mode mode;
	bool bclk_inv;
	bool fs_inv;
	unsigned int sample_width;
	unsigned int sig_bits;
	unsigned int slot_width;
	unsigned int slots;
	u16 slot_mask;
	enum generic_i2s_chmode chmode;
	struct generic_i2s_list bclk_fs;
};

/* What a sink concludes from what it heard. */
enum openi2s_verdict {
	OPENI2S_VERDICT_IDLE,		/* no frames on the bus */
	OPENI2S_VERDICT_NO_SIGNAL,	/* frames of silence: nothing to judge */
	OPENI2S_VERDICT_LOCKED,		/* it hears what was sent */
	OPENI2S_VERDICT_NO_FS,		/* it finds no frame in the frame sync */
	OPENI2S_VERDICT_BIT_EARLY,	/* data one bit clock before it looks */
	OPENI2S_VERDICT_BIT_LATE,	/* data one bit clock after it looks */
	OPENI2S_VERDICT_SWAP,		/* it hears another slot's samples */
	OPENI2S_VERDICT_RATIO,		/* bit clocks per frame it cannot use */
	OPENI2S_VERDICT_GARBLED,	/* samples unlike any that were sent */
	OPENI2S_NUM_VERDICTS
};

extern const char *const openi2s_verdict_names[OPENI2S_NUM_VERDICTS];

#define OPENI2S_PART_HISTORY	4	/* sent frames a sample is matched to */
#define OPENI2S_PART_JUDGE_EVERY 8	/* frames per judged frame */
#define OPENI2S_PART_LAST	4	/* frames kept for debugfs */

/**
 * struct openi2s_evidence - one judged sample behind a verdict
 * @slot: the part's slot it was heard in
 * @from_slot: the bus slot whose sample it matched
 * @heard: what the part heard, MSB aligned
 * @sent: what the controller sent in @from_slot, MSB aligned
 * @bits: the bits compared (the narrower side's, at most its sig bits)
 */
struct openi2s_evidence {
	unsigned int slot;
	unsigned int from_slot;
	u32 heard;
	u32 sent;
	unsigned int bits;
};

/**
 * struct openi2s_sink - a part that listens to the transmit data line
 * @pf: its format
 * @fmt: its frame at the bus's frame length: its slots, its sample width
 * @rx: its receiver, set up for @fmt's framing and reading every slot
 *	whole, so that a sink framing the bus alike can share what it read;
 *	while the sink takes another sink's reading, only @rx.fmt and
 *	@rx.fs_errors (copied) are current
 * @rx_ok: @fmt and @rx are usable: the frame length gives a valid format
 * @raw: the frames @rx read in the current bus frame, one sample per bus
 *	slot, each sign extended from the slot width
 * @raw_n: how many
 * @bus_bits: the frame length @rx was set up for (0: none yet)
 * @fs_errors_at_reset: @rx.fs_errors when the sink last forgot what it
 *	heard
 * @bad_bits: the last frame length outside @pf.bclk_fs, 0 for none
 * @bus_frames: frames on the bus since the last reset
 * @frames: frames it decoded
 * @checksum: FNV-1a over the output samples, each as a 32-bit word
 * @channels: output channels per frame (one for a mono part)
 * @last: its last output frames, a ring
 * @last_head: the most recent one in @last
 * @sent: the controller's last frames, MSB aligned per bus slot, most
 *	recent at @sent_head
 * @sent_head: index of the most recent frame in @sent
 * @sent_slots: slots per bus frame
 * @sent_bits: the controller's sample width (0: it sent silence)
 * @judged: judged samples per verdict
 * @evidence: the last sample judged, per verdict
 */
struct openi2s_sink {
	struct openi2s_part_fmt pf;
	struct openi2s_frame_fmt fmt;
	struct openi2s_rx rx;
	bool rx_ok;
	s32 raw[2 * OPENI2S_FRAME_MAX_SLOTS];
	unsigned int raw_n;
	unsigned int bus_bits;
	unsigned int fs_errors_at_reset;
	unsigned int bad_bits;
	u64 bus_frames;
	u64 frames;
	u32 checksum;
	unsigned int channels;
	s32 last[OPENI2S_PART_LAST][OPENI2S_FRAME_MAX_SLOTS];
	unsigned int last_head;
	u32 sent[OPENI2S_PART_HISTORY][OPENI2S_FRAME_MAX_SLOTS];
	unsigned int sent_head;
	unsigned int sent_slots;
	unsigned int sent_bits;
	u64 judged[OPENI2S_NUM_VERDICTS];
	struct openi2s_evidence evidence[OPENI2S_NUM_VERDICTS];
};

/* Test signals a source sends. */
enum openi2s_signal_kind {
	OPENI2S_SIGNAL_SINE,
	OPENI2S_SIGNAL_RAMP,
	OPENI2S_NUM_SIGNALS
};

extern const char *const openi2s_signal_names[OPENI2S_NUM_SIGNALS];

/**
 * struct openi2s_signal - a deterministic test signal
 * @kind: sine or ramp
 * @freq: sine frequency in Hz of channel 0 (channel n: (n + 1) times it);
 *	ramp step per frame of channel 0 (channel n: (n + 1) times it)
 * @level: sine amplitude in thousandths of full scale
 * @rate: frame rate the sine's phase advances at, Hz
 * @n: frames sent since the bus clock started
 */
struct openi2s_signal {
	enum openi2s_signal_kind kind;
	u32 freq;
	u32 level;
	u32 rate;
	u64 n;
};

#define OPENI2S_PART_PEND_WORDS	(3 * OPENI2S_FRAME_WORDS)

/**
 * struct openi2s_source - a part that drives the receive data line
 * @pf: its format
 * @sig: its signal
 * @synced: it has seen a frame start
 * @last_fs: the frame-sync level before the current bus frame
 * @pend: the bits it drives from the current bus frame's start on
 * @pend_bits: bits of @pend that may be set (the rest are zero)
 * @fmt: its frame at the bus's frame length
 * @fmt_ok: @fmt is one the framer models
 * @bus_bits: the frame length @fmt was made for (0: none yet)
 * @cur: the samples of the frame it is sending, one per slot it drives
 * @bad_bits: the last frame length outside @pf.bclk_fs, 0 for none
 * @bus_frames: frames on the bus since the clock started
 * @frames: frames it started sending
 */
struct openi2s_source {
	struct openi2s_part_fmt pf;
	struct openi2s_signal sig;
	bool synced;
	bool last_fs;
	u32 pend[OPENI2S_PART_PEND_WORDS];
	unsigned int pend_bits;
	struct openi2s_frame_fmt fmt;
	bool fmt_ok;
	unsigned int bus_bits;
	u32 cur[OPENI2S_FRAME_MAX_SLOTS];
	unsigned int bad_bits;
	u64 bus_frames;
	u64 frames;
};

int openi2s_part_fmt_from(const struct generic_i2s_part *part,
			  struct openi2s_part_fmt *pf,
			  struct generic_i2s_err *err);
bool openi2s_part_frame_fmt(const struct openi2s_part_fmt *pf,
			    unsigned int frame_bits,
			    struct openi2s_frame_fmt *fmt);
bool openi2s_part_ratio_ok(const struct openi2s_part_fmt *pf,
			   unsigned int frame_bits);

void openi2s_sink_init(struct openi2s_sink *s,
		       const struct openi2s_part_fmt *pf);
void openi2s_sink_restart(struct openi2s_sink *s);
void openi2s_sink_reset(struct openi2s_sink *s);
unsigned int openi2s_sink_frame(struct openi2s_sink *s,
				const struct openi2s_sink *before,
				const struct openi2s_wire *wire,
				const struct openi2s_frame_fmt *tx_fmt,
				const u32 *tx_samples, s32 *out);
enum openi2s_verdict openi2s_sink_verdict(const struct openi2s_sink *s,
					  const struct openi2s_evidence **ev);

s32 openi2s_signal_sample(const struct openi2s_signal *sig,
			  unsigned int channel, u64 n, unsigned int bits);
void openi2s_source_init(struct openi2s_source *src,
			 const struct openi2s_part_fmt *pf);
void openi2s_source_start(struct openi2s_source *src, u32 rate);
void openi2s_source_frame(struct openi2s_source *src,
			  const struct openi2s_wire *bus, u32 *sd);

#endif /* OPENI2S_PART_H */
