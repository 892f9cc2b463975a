// SPDX-License-Identifier: GPL-2.0
/*
 * OpenI2S bit framer. See openi2s-frame.h and Documentation/sound/openi2s.rst
 * ("Frame formats") for the bit-level definition this implements.
 *
 * Lines are bit vectors, MSB-first in 32-bit words: bit clock t of a line is
 * bit (31 - t % 32) of word t / 32. All work is done a word at a time so the
 * simulated SoC can afford to serialise frames; one only the receiver hears
 * may skip the wire (openi2s_rx_direct_ready()).
 */
#include "openi2s-frame.h"

static u32 low_bits(unsigned int n)
{
	return n >= 32 ? 0xffffffffu : (1u << n) - 1;
}

/* The framer's own loops inline these; other users take the exports. */
static inline void put_bits(u32 *line, unsigned int pos, unsigned int n,
			    u32 val)
{
	unsigned int word = pos / 32, off = pos % 32;
	u64 x = (u64)(val & low_bits(n)) << (64 - n - off);

	line[word] |= (u32)(x >> 32);
	if (off + n > 32)
		line[word + 1] |= (u32)x;
}

static inline u32 get_bits(const u32 *line, unsigned int pos, unsigned int n)
{
	unsigned int word = pos / 32, off = pos % 32;
	u64 x = (u64)line[word] << 32;

	if (off + n > 32)
		x |= line[word + 1];
	return (u32)(x >> (64 - off - n)) & low_bits(n);
}

/**
 * openi2s_line_put() - OR bits into a line
 * @line: the line, MSB-first in 32-bit words
 * @pos: bit clock of the first bit
 * @n: how many bits, 1 to 32
 * @val: the bits, in its low @n bits, MSB first
 */
void openi2s_line_put(u32 *line, unsigned int pos, unsigned int n, u32 val)
{
	put_bits(line, pos, n, val);
}
EXPORT_SYMBOL_GPL(openi2s_line_put);

/**
 * openi2s_line_get() - read bits of a line
 * @line: the line, MSB-first in 32-bit words
 * @pos: bit clock of the first bit
 * @n: how many bits, 1 to 32
 *
 * Return: the bits, MSB first, in the low @n bits.
 */
u32 openi2s_line_get(const u32 *line, unsigned int pos, unsigned int n)
{
	return get_bits(line, pos, n);
}
EXPORT_SYMBOL_GPL(openi2s_line_get);

/**
 * openi2s_wire_bit() - the level of a line at one bit clock
 * @line: the line, as in &struct openi2s_wire
 * @pos: bit clock index
 *
 * Return: 0 or 1.
 */
u32 openi2s_wire_bit(const u32 *line, unsigned int pos)
{
	return openi2s_line_get(line, pos, 1);
}
EXPORT_SYMBOL_GPL(openi2s_wire_bit);

/* Set bits [@pos, @pos + @n) of @line to one. */
static void set_run(u32 *line, unsigned int pos, unsigned int n)
{
	while (n) {
		unsigned int chunk = n > 32 ? 32 : n;

		put_bits(line, pos, chunk, 0xffffffffu);
		pos += chunk;
		n -= chunk;
	}
}

/**
 * openi2s_line_shift() - drop the first bits of a line
 * @line: the line, MSB-first in 32-bit words
 * @len: bits it holds
 * @n: bits to drop; the rest move to the front, zeros fill the end
 */
void openi2s_line_shift(u32 *line, unsigned int len, unsigned int n)
{
	unsigned int words = (len + 31) / 32, q = n / 32, r = n % 32, k;

	for (k = 0; k + q < words; k++) {
		u32 hi = line[k + q];
		u32 lo = k + q + 1 < words ? line[k + q + 1] : 0;

		line[k] = r ? (hi << r) | (lo >> (32 - r)) : hi;
	}
	for (; k < words; k++)
		line[k] = 0;
}
EXPORT_SYMBOL_GPL(openi2s_line_shift);

static unsigned int data_delay(const struct openi2s_frame_fmt *fmt)
{
	return openi2s_mode_delay(fmt->mode);
}

static bool start_level(const struct openi2s_frame_fmt *fmt)
{
	return openi2s_start_level(fmt->mode, fmt->fs_inv);
}

static unsigned int popcount16(u16 v)
{
	unsigned int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/**
 * openi2s_fmt_valid() - check a frame format against what the framer models
 * @fmt: the format
 *
 * Return: true when the mode, slot count, widths and slot mask are usable.
 */
bool openi2s_fmt_valid(const struct openi2s_frame_fmt *fmt)
{
	bool two_phase;

	if (fmt->mode > OPENI2S_MODE_DSP_B)
		return false;
	if (fmt->slots < 1 || fmt->slots > OPENI2S_FRAME_MAX_SLOTS)
		return false;
	if (fmt->slot_width != 16 && fmt->slot_width != 24 &&
	    fmt->slot_width != 32)
		return false;
	if (fmt->sample_width != 16 && fmt->sample_width != 20 &&
	    fmt->sample_width != 24 && fmt->sample_width != 32)
		return false;
	if (fmt->sample_width > fmt->slot_width)
		return false;
	if (!fmt->slot_mask || (fmt->slot_mask >> fmt->slots))
		return false;
	/* A 50% duty frame sync needs the slots split evenly between halves. */
	two_phase = fmt->mode <= OPENI2S_MODE_RIGHT_J;
	return !two_phase || fmt->slots % 2 == 0;
}
EXPORT_SYMBOL_GPL(openi2s_fmt_valid);

/**
 * openi2s_fmt_channels() - samples per frame this side moves
 * @fmt: the format
 *
 * Return: the number of active slots.
 */
unsigned int openi2s_fmt_channels(const struct openi2s_frame_fmt *fmt)
{
	return popcount16(fmt->slot_mask);
}
EXPORT_SYMBOL_GPL(openi2s_fmt_channels);

/**
 * openi2s_fmt_frame_bits() - bit clocks per frame
 * @fmt: the format
 *
 * Return: slots times slot width.
 */
unsigned int openi2s_fmt_frame_bits(const struct openi2s_frame_fmt *fmt)
{
	return fmt->slots * fmt->slot_width;
}
EXPORT_SYMBOL_GPL(openi2s_fmt_frame_bits);

/* Bit offset of the first sample bit of @slot within a frame's data. */
static unsigned int slot_data_offset(const struct openi2s_frame_fmt *fmt,
				     unsigned int slot)
{
	unsigned int off = slot * fmt->slot_width;

	if (fmt->mode == OPENI2S_MODE_RIGHT_J)
		off += fmt->slot_width - fmt->sample_width;
	return off;
}

/**
 * openi2s_tx_init() - start a transmitter with an idle (zero) data line
 * @tx: the transmitter
 * @fmt: its format, which must be valid
 */
void openi2s_tx_init(struct openi2s_tx *tx, const struct openi2s_frame_fmt *fmt)
{
	tx->fmt = *fmt;
	tx->carry = 0;
}
EXPORT_SYMBOL_GPL(openi2s_tx_init);

/**
 * openi2s_tx_frame() - put one frame on the wire
 * @tx: the transmitter
 * @samples: one sample per channel, LSB-aligned (bits above the sample
 *	width are ignored), or NULL for a frame of silence
 * @wire: receives the frame: frame sync and data for each bit clock
 *
 * Each sample goes MSB first into its slot, zero padded to the slot width
 * (right-justified: zeros first). Philips and DSP A then delay the whole data
 * line by one bit clock, so the last bit of a frame leaves in the next one.
 */
void openi2s_tx_frame(struct openi2s_tx *tx, const u32 *samples,
		      struct openi2s_wire *wire)
{
	const struct openi2s_frame_fmt *fmt = &tx->fmt;
	unsigned int bits = openi2s_fmt_frame_bits(fmt);
	unsigned int words = (bits + 31) / 32;
	u32 data[OPENI2S_FRAME_WORDS] = { 0 };
	unsigned int slot, ch = 0, k;

	for (k = 0; k < words; k++)
		wire->fs[k] = 0;
	wire->bits = bits;

	if (samples) {
		for (slot = 0; slot < fmt->slots; slot++) {
			if (!(fmt->slot_mask & (1u << slot)))
				continue;
			put_bits(data, slot_data_offset(fmt, slot),
				 fmt->sample_width, samples[ch++]);
		}
	}

	/* Frame sync: a half-frame phase, or a one-bit pulse for DSP modes. */
	if (fmt->mode == OPENI2S_MODE_DSP_A || fmt->mode == OPENI2S_MODE_DSP_B)
		set_run(wire->fs, 0, 1);
	else
		set_run(wire->fs, 0, bits / 2);
	if (!start_level(fmt))
		for (k = 0; k < words; k++)
			wire->fs[k] = ~wire->fs[k];

	if (data_delay(fmt)) {
		u32 in = tx->carry;

		for (k = 0; k < words; k++) {
			wire->sd[k] = (data[k] >> 1) | (in << 31);
			in = data[k] & 1;
		}
		tx->carry = get_bits(data, bits - 1, 1);
	} else {
		for (k = 0; k < words; k++)
			wire->sd[k] = data[k];
	}

	/* Keep the bits past the frame end zero: receivers append whole words. */
	if (bits % 32) {
		u32 keep = ~low_bits(32 - bits % 32);

		wire->fs[words - 1] &= keep;
		wire->sd[words - 1] &= keep;
	}
}
EXPORT_SYMBOL_GPL(openi2s_tx_frame);

/**
 * openi2s_rx_init() - start a receiver that has not yet seen a frame start
 * @rx: the receiver
 * @fmt: its format, which must be valid
 */
void openi2s_rx_init(struct openi2s_rx *rx, const struct openi2s_frame_fmt *fmt)
{
	unsigned int k;

	rx->fmt = *fmt;
	rx->bits = openi2s_fmt_frame_bits(fmt);
	rx->channels = openi2s_fmt_channels(fmt);
	rx->delay = data_delay(fmt);
	rx->synced = false;
	rx->last_fs = !start_level(fmt);
	rx->head = 0;
	rx->len = 0;
	rx->fs_errors = 0;
	for (k = 0; k < ARRAY_SIZE(rx->fs); k++) {
		rx->fs[k] = 0;
		rx->sd[k] = 0;
	}
}
EXPORT_SYMBOL_GPL(openi2s_rx_init);

/*
 * Move the held bits to the first word, whole words at a time, so that
 * appending a frame never needs more than the arrays hold.
 */
static void compact(struct openi2s_rx *rx)
{
	unsigned int q = rx->head / 32, end = (rx->head + rx->len + 31) / 32;
	unsigned int k;

	if (!q)
		return;
	rx->last_fs = rx->fs[q - 1] & 1;
	for (k = q; k < end; k++) {
		rx->fs[k - q] = rx->fs[k];
		rx->sd[k - q] = rx->sd[k];
	}
	for (k = end - q; k < end; k++) {
		rx->fs[k] = 0;
		rx->sd[k] = 0;
	}
	rx->head -= q * 32;
}

/* OR the @n bits of @src in at bit @pos of @dst, which is zero from there. */
static void append_bits(u32 *dst, unsigned int pos, const u32 *src,
			unsigned int n)
{
	unsigned int full = n / 32, off = pos % 32, k;
	u32 *d = dst + pos / 32;
	u32 last = n % 32 ? src[full] & ~low_bits(32 - n % 32) : 0;

	if (!off) {
		for (k = 0; k < full; k++)
			d[k] = src[k];
		d[k] = last;
		return;
	}
	for (k = 0; k < full; k++) {
		d[k] |= src[k] >> off;
		d[k + 1] = src[k] << (32 - off);
	}
	d[k] |= last >> off;
	d[k + 1] = last << (32 - off);
}

/*
 * First frame start (a change of frame sync to the start level) at a bit
 * clock in [@from, @to) of the held bits, or -1. The level before bit 0
 * of the array is rx->last_fs.
 */
static int find_start(const struct openi2s_rx *rx, unsigned int from,
		      unsigned int to)
{
	u32 flip = start_level(&rx->fmt) ? 0 : ~0u;
	unsigned int k, last;
	u32 prev, first;

	if (from >= to)
		return -1;
	k = (rx->head + from) / 32;
	last = (rx->head + to - 1) / 32;
	prev = (k ? rx->fs[k - 1] & 1 : rx->last_fs) ? ~0u : 0;
	first = low_bits(32 - (rx->head + from) % 32);
	for (; k <= last; k++) {
		u32 cur = rx->fs[k] ^ flip;
		u32 edges = cur & ~((cur >> 1) | ((prev ^ flip) << 31)) & first;

		if (k == last)
			edges &= ~low_bits(31 - (rx->head + to - 1) % 32);
		if (edges)
			return (int)(k * 32 + (unsigned int)__builtin_clz(edges) -
				     rx->head);
		prev = rx->fs[k] & 1 ? ~0u : 0;
		first = ~0u;
	}
	return -1;
}

/* The bits stay in place: only what is held moves on. */
static void drop_bits(struct openi2s_rx *rx, unsigned int n)
{
	rx->head += n;
	rx->len -= n;
}

static s32 sign_extend(u32 v, unsigned int width)
{
	unsigned int shift = 32 - width;

	return (s32)(v << shift) >> shift;
}

/**
 * openi2s_rx_feed() - receive a stretch of wire and decode whole frames
 * @rx: the receiver
 * @wire: the bits, as a transmitter put them on the wire
 * @samples: room for @max_frames frames of channels samples, each sign
 *	extended from the receiver's sample width
 * @max_frames: frames to decode at most; undecoded bits stay buffered
 *
 * The receiver finds frames by itself: it waits for a frame-sync change to
 * its start level, then reads its own slots at its own data delay. When the
 * next frame start is not exactly one frame length later it counts a frame
 * sync error, drops the frame and looks for the next start.
 *
 * Return: the number of frames decoded into @samples.
 */
unsigned int openi2s_rx_feed(struct openi2s_rx *rx,
			     const struct openi2s_wire *wire,
			     s32 *samples, unsigned int max_frames)
{
	const struct openi2s_frame_fmt *fmt = &rx->fmt;
	unsigned int bits = rx->bits, delay = rx->delay, done = 0;

	if (rx->len + wire->bits > OPENI2S_RX_WORDS * 32) {
		/* Nobody drained the receiver: lose the oldest bits. */
		drop_bits(rx, rx->len + wire->bits - OPENI2S_RX_WORDS * 32);
		rx->synced = false;
	}
	compact(rx);
	append_bits(rx->fs, rx->head + rx->len, wire->fs, wire->bits);
	append_bits(rx->sd, rx->head + rx->len, wire->sd, wire->bits);
	rx->len += wire->bits;

	while (done < max_frames) {
		unsigned int slot, pos, ch = 0;
		int start;

		if (!rx->synced) {
			start = find_start(rx, 0, rx->len);
			if (start < 0) {
				drop_bits(rx, rx->len);
				break;
			}
			drop_bits(rx, (unsigned int)start);
			rx->synced = true;
		}
		/* Need the whole frame, its delayed last bit and the next start. */
		if (rx->len < bits + 1 || rx->len < bits + delay)
			break;
		if (find_start(rx, 1, bits + 1) != (int)bits) {
			rx->fs_errors++;
			rx->synced = false;
			drop_bits(rx, 1);
			continue;
		}
		pos = rx->head + delay;
		if (fmt->mode == OPENI2S_MODE_RIGHT_J)
			pos += fmt->slot_width - fmt->sample_width;
		for (slot = 0; slot < fmt->slots; slot++, pos += fmt->slot_width) {
			if (!(fmt->slot_mask & (1u << slot)))
				continue;
			samples[done * rx->channels + ch++] =
				sign_extend(get_bits(rx->sd, pos,
						     fmt->sample_width),
					    fmt->sample_width);
		}
		drop_bits(rx, bits);
		done++;
	}
	return done;
}
EXPORT_SYMBOL_GPL(openi2s_rx_feed);

static bool fmt_equal(const struct openi2s_frame_fmt *a,
		      const struct openi2s_frame_fmt *b)
{
	return a->mode == b->mode && a->bclk_inv == b->bclk_inv &&
	       a->fs_inv == b->fs_inv && a->slots == b->slots &&
	       a->slot_width == b->slot_width &&
	       a->sample_width == b->sample_width &&
	       a->slot_mask == b->slot_mask;
}

/**
 * openi2s_rx_direct_ready() - may a receiver skip the wire from now on?
 * @rx: the receiver, just fed a frame by a transmitter of format @tx_fmt
 * @tx_fmt: that transmitter's format
 *
 * A receiver of the transmitter's own format that holds exactly the frame
 * it was just sent, synchronised on its start, decodes each next frame the
 * wire brings into the samples of the one before it, bit for bit. The
 * caller may then use openi2s_rx_direct_decode() instead of framing and
 * feeding the wire, and openi2s_direct_resume() to go back.
 *
 * Return: true in that state.
 */
bool openi2s_rx_direct_ready(const struct openi2s_rx *rx,
			     const struct openi2s_frame_fmt *tx_fmt)
{
	return rx->synced && rx->len == rx->bits && fmt_equal(&rx->fmt, tx_fmt);
}
EXPORT_SYMBOL_GPL(openi2s_rx_direct_ready);

/**
 * openi2s_rx_direct_decode() - what a direct receiver decodes from a frame
 * @fmt: the format of both sides
 * @samples: the samples the transmitter sent in the frame before the one
 *	now on the wire, as given to openi2s_tx_frame()
 * @out: receives one sample per channel, as openi2s_rx_feed() decodes it
 */
void openi2s_rx_direct_decode(const struct openi2s_frame_fmt *fmt,
			      const u32 *samples, s32 *out)
{
	unsigned int ch, n = openi2s_fmt_channels(fmt), w = fmt->sample_width;

	for (ch = 0; ch < n; ch++)
		out[ch] = sign_extend(samples[ch], w);
}
EXPORT_SYMBOL_GPL(openi2s_rx_direct_decode);

/**
 * openi2s_direct_resume() - put a direct link back on the wire
 * @tx: the transmitter, whose carry is stale while the link is direct
 * @rx: the receiver, left as openi2s_rx_direct_ready() found it
 * @prev: the samples of the second to last frame sent (zeros if it was
 *	the transmitter's first)
 * @last: the samples of the last frame sent
 *
 * Leaves @tx and @rx as if every frame since had crossed the wire bit by
 * bit: the transmitter owes the last frame's delayed bit, and the receiver
 * holds the last frame, synchronised on its start.
 */
void openi2s_direct_resume(struct openi2s_tx *tx, struct openi2s_rx *rx,
			   const u32 *prev, const u32 *last)
{
	struct openi2s_wire wire;
	unsigned int k, words;

	tx->carry = 0;
	openi2s_tx_frame(tx, prev, &wire);
	openi2s_tx_frame(tx, last, &wire);

	words = (wire.bits + 31) / 32;
	for (k = 0; k < ARRAY_SIZE(rx->fs); k++) {
		rx->fs[k] = k < words ? wire.fs[k] : 0;
		rx->sd[k] = k < words ? wire.sd[k] : 0;
	}
	rx->head = 0;
	rx->len = wire.bits;
	rx->synced = true;
	/* Every format's frame ends at the level that is not its start. */
	rx->last_fs = !start_level(&rx->fmt);
}
EXPORT_SYMBOL_GPL(openi2s_direct_resume);
