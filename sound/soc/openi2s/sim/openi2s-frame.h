/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OpenI2S bit framer: serialises frames of samples onto the I2S wire (frame
 * sync and serial data, one bit per bit clock) in any of the controller's
 * formats, and deserialises a wire back into samples according to the
 * receiver's own format, the way a real receiver would.
 *
 * Pure C without kernel dependencies: used by the simulated SoC and by host
 * and KUnit tests.
 */
#ifndef OPENI2S_FRAME_H
#define OPENI2S_FRAME_H

#include "../openi2s-pure.h"

enum openi2s_mode {
	OPENI2S_MODE_I2S = 0,		/* Philips: FS low = left, MSB 1 bit late */
	OPENI2S_MODE_LEFT_J = 1,	/* FS high = left, MSB on the FS edge */
	OPENI2S_MODE_RIGHT_J = 2,	/* FS high = left, LSB on the slot's end */
	OPENI2S_MODE_DSP_A = 3,		/* one-bit FS pulse, MSB 1 bit late */
	OPENI2S_MODE_DSP_B = 4,		/* one-bit FS pulse, MSB with the pulse */
};

/* Bit clocks from a frame start to its first data bit. */
static inline unsigned int openi2s_mode_delay(enum openi2s_mode mode)
{
	return mode == OPENI2S_MODE_I2S || mode == OPENI2S_MODE_DSP_A;
}

/* Frame sync level that marks the first half (or the pulse) of a frame. */
static inline bool openi2s_start_level(enum openi2s_mode mode, bool fs_inv)
{
	return (mode != OPENI2S_MODE_I2S) ^ fs_inv;
}

#define OPENI2S_FRAME_MAX_SLOTS	16
#define OPENI2S_MAX_SLOT_WIDTH	32
#define OPENI2S_MAX_FRAME_BITS	(OPENI2S_FRAME_MAX_SLOTS * OPENI2S_MAX_SLOT_WIDTH)
#define OPENI2S_FRAME_WORDS	(OPENI2S_MAX_FRAME_BITS / 32)

/**
 * struct openi2s_frame_fmt - how one side of the wire frames its samples
 * @mode: data alignment and frame-sync shape
 * @bclk_inv: drive/sample on the other bit-clock edge
 * @fs_inv: frame sync polarity inverted
 * @slots: slots per frame, 1..16 (even for I2S and the justified modes)
 * @slot_width: bit clocks per slot: 16, 24 or 32
 * @sample_width: significant bits per sample: 16, 20, 24 or 32, at most
 *	@slot_width; the rest of the slot is zero
 * @slot_mask: the slots this side uses; channel n is the n-th set bit
 */
struct openi2s_frame_fmt {
	enum openi2s_mode mode;
	bool bclk_inv;
	bool fs_inv;
	unsigned int slots;
	unsigned int slot_width;
	unsigned int sample_width;
	u16 slot_mask;
};

/**
 * struct openi2s_wire - a stretch of the two wires a receiver samples
 * @bits: number of bit clocks held
 * @fs: frame-sync level at each bit clock, MSB-first in 32-bit words
 * @sd: serial-data level at each bit clock, MSB-first in 32-bit words
 */
struct openi2s_wire {
	unsigned int bits;
	u32 fs[OPENI2S_FRAME_WORDS];
	u32 sd[OPENI2S_FRAME_WORDS];
};

/**
 * struct openi2s_tx - a transmitter's state between frames
 * @fmt: its format
 * @carry: data bit delayed past the end of the previous frame (Philips and
 *	DSP A put the MSB one bit clock after the frame starts)
 */
struct openi2s_tx {
	struct openi2s_frame_fmt fmt;
	u32 carry;
};

#define OPENI2S_RX_WORDS	(3 * OPENI2S_FRAME_WORDS)

/**
 * struct openi2s_rx - a receiver's state: bits waiting to form a frame
 * @fmt: its format
 * @bits: bit clocks per frame of @fmt
 * @channels: samples per frame of @fmt
 * @delay: bit clocks from a frame start to its first data bit
 * @synced: a frame start has been seen and @head points at one
 * @last_fs: the frame-sync level of the bit clock before bit 0 of @fs
 * @head: where the held bits start in @fs and @sd: bits are dropped by
 *	moving it, and moved to the front a word at a time before appending
 * @len: bits held, at most %OPENI2S_RX_WORDS * 32
 * @fs: frame-sync bits, MSB-first; zero from @head + @len on. Less than a
 *	word before @head, %OPENI2S_RX_WORDS words of bits, and the word a
 *	frame appended at an offset spills into: two words more.
 * @sd: serial-data bits, the same way
 * @fs_errors: frame starts seen where the frame length said none should be
 */
struct openi2s_rx {
	struct openi2s_frame_fmt fmt;
	unsigned int bits;
	unsigned int channels;
	unsigned int delay;
	bool synced;
	bool last_fs;
	unsigned int head;
	unsigned int len;
	u32 fs[OPENI2S_RX_WORDS + 2];
	u32 sd[OPENI2S_RX_WORDS + 2];
	unsigned int fs_errors;
};

bool openi2s_fmt_valid(const struct openi2s_frame_fmt *fmt);
unsigned int openi2s_fmt_channels(const struct openi2s_frame_fmt *fmt);
unsigned int openi2s_fmt_frame_bits(const struct openi2s_frame_fmt *fmt);

void openi2s_tx_init(struct openi2s_tx *tx, const struct openi2s_frame_fmt *fmt);
void openi2s_tx_frame(struct openi2s_tx *tx, const u32 *samples,
		      struct openi2s_wire *wire);

void openi2s_rx_init(struct openi2s_rx *rx, const struct openi2s_frame_fmt *fmt);
unsigned int openi2s_rx_feed(struct openi2s_rx *rx,
			     const struct openi2s_wire *wire,
			     s32 *samples, unsigned int max_frames);

bool openi2s_rx_direct_ready(const struct openi2s_rx *rx,
			     const struct openi2s_frame_fmt *tx_fmt);
void openi2s_rx_direct_decode(const struct openi2s_frame_fmt *fmt,
			      const u32 *samples, s32 *out);
void openi2s_direct_resume(struct openi2s_tx *tx, struct openi2s_rx *rx,
			   const u32 *prev, const u32 *last);

u32 openi2s_wire_bit(const u32 *line, unsigned int pos);
u32 openi2s_line_get(const u32 *line, unsigned int pos, unsigned int n);
void openi2s_line_put(u32 *line, unsigned int pos, unsigned int n, u32 val);
void openi2s_line_shift(u32 *line, unsigned int len, unsigned int n);

#endif /* OPENI2S_FRAME_H */
