// SPDX-License-Identifier: GPL-2.0
/*
 * OpenI2S part models. See openi2s-part.h and
 * Documentation/sound/openi2s-virtual-board.rst ("Parts on the wire").
 *
 * A sink is a frame receiver in the part's own format (reading every slot
 * whole, then taking its own) whose slot width, unless the part's frame
 * rule fixes it, follows the bus's frame length, as parts that count bit
 * clocks per frame do. A source is edge driven: at
 * each frame-sync edge of its own start level (and, in the two-phase
 * formats, at each edge) it starts its next word, so a word too long for
 * its half frame is cut at the edge, as on a real bus.
 */
#include "openi2s-part.h"

const char *const openi2s_verdict_names[OPENI2S_NUM_VERDICTS] = {
	[OPENI2S_VERDICT_IDLE] = "idle",
	[OPENI2S_VERDICT_NO_SIGNAL] = "no_signal",
	[OPENI2S_VERDICT_LOCKED] = "locked",
	[OPENI2S_VERDICT_NO_FS] = "no_frame_sync",
	[OPENI2S_VERDICT_BIT_EARLY] = "one_bit_early",
	[OPENI2S_VERDICT_BIT_LATE] = "one_bit_late",
	[OPENI2S_VERDICT_SWAP] = "channel_swap",
	[OPENI2S_VERDICT_RATIO] = "clock_ratio",
	[OPENI2S_VERDICT_GARBLED] = "garbled",
};
EXPORT_SYMBOL_GPL(openi2s_verdict_names);

const char *const openi2s_signal_names[OPENI2S_NUM_SIGNALS] = {
	[OPENI2S_SIGNAL_SINE] = "sine",
	[OPENI2S_SIGNAL_RAMP] = "ramp",
};
EXPORT_SYMBOL_GPL(openi2s_signal_names);

/* The codec's format numbers are the framer's modes. */
static_assert((int)GENERIC_I2S_FMT_I2S == (int)OPENI2S_MODE_I2S);
static_assert((int)GENERIC_I2S_FMT_LEFT_J == (int)OPENI2S_MODE_LEFT_J);
static_assert((int)GENERIC_I2S_FMT_RIGHT_J == (int)OPENI2S_MODE_RIGHT_J);
static_assert((int)GENERIC_I2S_FMT_DSP_A == (int)OPENI2S_MODE_DSP_A);
static_assert((int)GENERIC_I2S_FMT_DSP_B == (int)OPENI2S_MODE_DSP_B);

#define FNV_OFFSET	2166136261u
#define FNV_PRIME	16777619u

static u32 low_mask(unsigned int n)
{
	return n >= 32 ? 0xffffffffu : (1u << n) - 1;
}

static unsigned int count_bits(u32 v)
{
	unsigned int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

static bool valid_slot_width(unsigned int w)
{
	return w == 16 || w == 24 || w == 32;
}

/**
 * openi2s_part_fmt_from() - the bus format of a part, from what it can do
 * @part: the part, as its codec node describes it
 * @pf: receives its format
 * @err: receives the property at fault when it fails, and a value
 *	(when @err->why ends in a colon)
 *
 * A control-less part is strapped to one format: the model takes the first
 * bus format and clock polarity the part lists, its widest sample format,
 * its significant bits, its TDM slots or the slots its channel mode picks,
 * and, when its frame rule allows one frame length only, the slot width
 * that gives.
 *
 * Return: 0, or -EINVAL when the simulated bus cannot carry the part.
 */
int openi2s_part_fmt_from(const struct generic_i2s_part *part,
			  struct openi2s_part_fmt *pf,
			  struct generic_i2s_err *err)
{
	static const u16 chmode_slots[GENERIC_I2S_NUM_CHMODES] = {
		[GENERIC_I2S_CH_STEREO] = 0x3,
		[GENERIC_I2S_CH_LEFT] = 0x1,
		[GENERIC_I2S_CH_RIGHT] = 0x2,
		[GENERIC_I2S_CH_MIX] = 0x3,
	};
	unsigned int s, inv, widest = 0;

	for (s = 0; s < GENERIC_I2S_NUM_SAMPLES; s++)
		if ((part->samples & BIT(s)) &&
		    generic_i2s_sample_width(s) > widest)
			widest = generic_i2s_sample_width(s);
	inv = __builtin_ctz(part->inversions | BIT(GENERIC_I2S_NUM_INVERSIONS));

	pf->mode = (enum openi2s_mode)__builtin_ctz(part->formats |
					BIT(GENERIC_I2S_NUM_FORMATS));
	pf->bclk_inv = inv == GENERIC_I2S_IB_NF || inv == GENERIC_I2S_IB_IF;
	pf->fs_inv = inv == GENERIC_I2S_NB_IF || inv == GENERIC_I2S_IB_IF;
	pf->sample_width = widest;
	pf->sig_bits = part->sig_bits && part->sig_bits < widest ?
		       part->sig_bits : widest;
	pf->chmode = part->chmode;
	pf->bclk_fs = part->bclk_fs;
	err->val = 0;
	err->why = "leaves the part nothing to model";
	err->prop = GENERIC_I2S_P_FORMATS;
	if (pf->mode > OPENI2S_MODE_DSP_B)
		return -EINVAL;
	err->prop = GENERIC_I2S_P_SAMPLES;
	if (!widest)
		return -EINVAL;
	err->prop = GENERIC_I2S_P_INVERSIONS;
	if (inv >= GENERIC_I2S_NUM_INVERSIONS)
		return -EINVAL;

	if (part->tdm_slots) {
		/* A TDM part's slots are as wide as its widest sample's word. */
		pf->slots = 0;
		pf->slot_width = widest > 16 ? 32 : 16;
		pf->slot_mask = part->tdm_slots & 0xffff;
		pf->chmode = GENERIC_I2S_CH_STEREO;
		if (part->tdm_slots >> OPENI2S_FRAME_MAX_SLOTS) {
			err->prop = GENERIC_I2S_P_TDM_SLOTS;
			err->why = "has a slot beyond the simulated bus's 16";
			return -EINVAL;
		}
		return 0;
	}
	pf->slots = 2;
	pf->slot_mask = chmode_slots[pf->chmode];
	pf->slot_width = 0;
	if (part->bclk_fs.n == 1) {
		pf->slot_width = part->bclk_fs.v[0] / 2;
		if (!valid_slot_width(pf->slot_width) ||
		    part->bclk_fs.v[0] % 2) {
			err->prop = GENERIC_I2S_P_BCLK_FS;
			err->why = "is not a frame of two 16, 24 or 32-bit slots:";
			err->val = part->bclk_fs.v[0];
			return -EINVAL;
		}
	}
	return 0;
}
EXPORT_SYMBOL_GPL(openi2s_part_fmt_from);

/**
 * openi2s_part_frame_fmt() - the part's frame at a bus frame length
 * @pf: the part's format
 * @frame_bits: bit clocks per frame on the bus
 * @fmt: receives the frame the part expects
 *
 * Return: true when that is a frame the framer can model.
 */
bool openi2s_part_frame_fmt(const struct openi2s_part_fmt *pf,
			    unsigned int frame_bits,
			    struct openi2s_frame_fmt *fmt)
{
	fmt->mode = pf->mode;
	fmt->bclk_inv = pf->bclk_inv;
	fmt->fs_inv = pf->fs_inv;
	if (pf->slots) {
		fmt->slots = pf->slots;
		fmt->slot_width = pf->slot_width ? pf->slot_width :
						   frame_bits / pf->slots;
	} else {
		fmt->slot_width = pf->slot_width;
		fmt->slots = frame_bits / pf->slot_width;
	}
	fmt->sample_width = pf->sample_width < fmt->slot_width ?
			    pf->sample_width : fmt->slot_width;
	fmt->slot_mask = pf->slot_mask;
	return openi2s_fmt_valid(fmt);
}
EXPORT_SYMBOL_GPL(openi2s_part_frame_fmt);

/**
 * openi2s_part_ratio_ok() - does the part work at this frame length?
 * @pf: the part's format
 * @frame_bits: bit clocks per frame on the bus
 *
 * Return: true when its frame rule allows @frame_bits, or it has none.
 */
bool openi2s_part_ratio_ok(const struct openi2s_part_fmt *pf,
			   unsigned int frame_bits)
{
	unsigned int i;

	for (i = 0; i < pf->bclk_fs.n; i++)
		if (pf->bclk_fs.v[i] == frame_bits)
			return true;
	return !pf->bclk_fs.n;
}
EXPORT_SYMBOL_GPL(openi2s_part_ratio_ok);

/**
 * openi2s_sink_init() - a sink that has heard nothing yet
 * @s: the sink
 * @pf: its format
 */
void openi2s_sink_init(struct openi2s_sink *s,
		       const struct openi2s_part_fmt *pf)
{
	unsigned int slots = count_bits(pf->slot_mask);

	s->pf = *pf;
	s->channels = pf->chmode == GENERIC_I2S_CH_MIX && slots == 2 ? 1 :
									slots;
	openi2s_sink_restart(s);
}
EXPORT_SYMBOL_GPL(openi2s_sink_init);

/**
 * openi2s_sink_restart() - the bus starts over: the sink's receiver looks
 *	for a frame start again, and it forgets what it heard
 * @s: the sink
 *
 * Every sink on a bus restarts in the same frame, so sinks that frame the
 * bus alike keep receivers in the same state (see openi2s_sink_frame()).
 */
void openi2s_sink_restart(struct openi2s_sink *s)
{
	s->rx_ok = false;
	s->rx.fs_errors = 0;
	s->raw_n = 0;
	s->bus_bits = 0;
	s->bad_bits = 0;
	openi2s_sink_reset(s);
}
EXPORT_SYMBOL_GPL(openi2s_sink_restart);

/**
 * openi2s_sink_reset() - forget what was heard; the receiver runs on
 * @s: the sink
 */
void openi2s_sink_reset(struct openi2s_sink *s)
{
	unsigned int i, j;

	s->fs_errors_at_reset = s->rx.fs_errors;
	/* A frame length outside the part's rule is still one. */
	s->bad_bits = s->bus_bits && !openi2s_part_ratio_ok(&s->pf, s->bus_bits) ?
		      s->bus_bits : 0;
	s->bus_frames = 0;
	s->frames = 0;
	s->checksum = FNV_OFFSET;
	for (i = 0; i < OPENI2S_PART_LAST; i++)
		for (j = 0; j < OPENI2S_FRAME_MAX_SLOTS; j++)
			s->last[i][j] = 0;
	s->last_head = 0;
	for (i = 0; i < OPENI2S_PART_HISTORY; i++)
		for (j = 0; j < OPENI2S_FRAME_MAX_SLOTS; j++)
			s->sent[i][j] = 0;
	s->sent_head = 0;
	s->sent_slots = 0;
	s->sent_bits = 0;
	for (i = 0; i < OPENI2S_NUM_VERDICTS; i++) {
		s->judged[i] = 0;
		s->evidence[i] = (struct openi2s_evidence){ 0 };
	}
}
EXPORT_SYMBOL_GPL(openi2s_sink_reset);

/* Keep the controller's frame, MSB aligned per slot, for judging. */
static void remember_sent(struct openi2s_sink *s,
			  const struct openi2s_frame_fmt *tx_fmt,
			  const u32 *tx_samples)
{
	unsigned int slot, ch = 0;
	u32 *row;

	s->sent_head = (s->sent_head + 1) % OPENI2S_PART_HISTORY;
	row = s->sent[s->sent_head];
	/* Judging reads the first sent_slots of a row: keep those current. */
	if (!tx_fmt || !tx_samples) {
		for (slot = 0; slot < s->sent_slots; slot++)
			row[slot] = 0;
		return;
	}
	s->sent_slots = tx_fmt->slots;
	s->sent_bits = tx_fmt->sample_width;
	for (slot = 0; slot < tx_fmt->slots; slot++)
		row[slot] = tx_fmt->slot_mask & BIT(slot) ?
			    tx_samples[ch++] << (32 - tx_fmt->sample_width) : 0;
}

/*
 * How a heard sample relates to a sent one, comparing their top @m bits:
 * the same, or shifted by one bit clock (data early: the part missed the
 * MSB and hears the value doubled; late: it hears a stale bit first and
 * the value halved).
 */
static int relation(u32 heard, u32 sent, u32 m)
{
	if (!((heard ^ sent) & m))
		return OPENI2S_VERDICT_LOCKED;
	if (!(((heard << 1) ^ sent) & (m << 1)))
		return OPENI2S_VERDICT_BIT_LATE;
	if (!((heard ^ (sent << 1)) & (m << 1)))
		return OPENI2S_VERDICT_BIT_EARLY;
	return OPENI2S_VERDICT_GARBLED;
}

/* Preference among explanations of one sample: lower is better. */
static unsigned int rank(int verdict)
{
	switch (verdict) {
	case OPENI2S_VERDICT_LOCKED:
		return 0;
	case OPENI2S_VERDICT_SWAP:
		return 1;
	case OPENI2S_VERDICT_BIT_EARLY:
	case OPENI2S_VERDICT_BIT_LATE:
		return 2;
	}
	return 3;
}

/*
 * Judge one decoded frame: match each heard sample to the sent samples of
 * the last frames, in every slot, exactly or one bit shifted. Silence and
 * values a one-bit shift leaves as they are (0, -1) prove nothing.
 */
static void judge(struct openi2s_sink *s, const s32 *in)
{
	const struct openi2s_frame_fmt *f = &s->fmt;
	unsigned int bits, slot, ch = 0, k, from;
	u32 m;

	bits = f->sample_width < s->sent_bits ? f->sample_width : s->sent_bits;
	if (s->pf.sig_bits < bits)
		bits = s->pf.sig_bits;
	if (bits < 2)
		return;
	m = ~low_mask(32 - bits);

	for (slot = 0; slot < f->slots; slot++) {
		struct openi2s_evidence ev = { .slot = slot, .bits = bits };
		int best = -1, v;
		u32 heard;

		if (!(f->slot_mask & BIT(slot)))
			continue;
		heard = (u32)in[ch++] << (32 - f->sample_width);
		ev.heard = heard;
		for (k = 0; k < OPENI2S_PART_HISTORY &&
		     best != OPENI2S_VERDICT_LOCKED; k++) {
			const u32 *row = s->sent[(s->sent_head + OPENI2S_PART_HISTORY - k) %
						 OPENI2S_PART_HISTORY];

			for (from = 0; from < s->sent_slots &&
			     best != OPENI2S_VERDICT_LOCKED; from++) {
				u32 e = row[from];

				if (!(e & m) || !((e ^ (e << 1)) & m))
					continue;
				v = relation(heard, e, m);
				if (v == OPENI2S_VERDICT_LOCKED && from != slot)
					v = OPENI2S_VERDICT_SWAP;
				if (best < 0 || rank(v) < rank(best)) {
					best = v;
					ev.from_slot = from;
					ev.sent = e;
				}
			}
		}
		if (best < 0)
			continue;
		s->judged[best]++;
		s->evidence[best] = ev;
	}
}

/* What the part plays of a decoded frame: its sig bits, its channel mode. */
static void play(struct openi2s_sink *s, const s32 *in, s32 *out)
{
	unsigned int width = s->fmt.sample_width;
	unsigned int n = count_bits(s->fmt.slot_mask), c;
	u32 keep = ~0u;
	s32 v[OPENI2S_FRAME_MAX_SLOTS];

	if (s->pf.sig_bits < width)
		keep = ~low_mask(width - s->pf.sig_bits);
	for (c = 0; c < n; c++)
		v[c] = (s32)((u32)in[c] & keep);
	if (s->channels == 1 && n == 2)
		out[0] = (s32)(((s64)v[0] + v[1]) >> 1);
	else
		for (c = 0; c < n; c++)
			out[c] = v[c];

	s->last_head = (s->last_head + 1) % OPENI2S_PART_LAST;
	for (c = 0; c < s->channels; c++) {
		s->checksum = (s->checksum ^ (u32)out[c]) * FNV_PRIME;
		s->last[s->last_head][c] = out[c];
	}
}

/* The part's samples of a frame its receiver read whole. */
static void own_slots(const struct openi2s_sink *s, const s32 *raw, s32 *in)
{
	const struct openi2s_frame_fmt *f = &s->fmt;
	unsigned int slot, ch = 0, w = f->sample_width;

	for (slot = 0; slot < f->slots; slot++) {
		if (!(f->slot_mask & BIT(slot)))
			continue;
		/* Right-justified: the slot's last bits; else its first. */
		if (f->mode == OPENI2S_MODE_RIGHT_J)
			in[ch++] = (s32)((u32)raw[slot] << (32 - w)) >> (32 - w);
		else
			in[ch++] = raw[slot] >> (f->slot_width - w);
	}
}

/* Whether @a and @b frame the bus alike, so their receivers agree. */
static bool same_framing(const struct openi2s_sink *a,
			 const struct openi2s_sink *b)
{
	const struct openi2s_frame_fmt *f = &a->rx.fmt, *g = &b->rx.fmt;

	return a->rx_ok && b->rx_ok && f->mode == g->mode &&
	       f->fs_inv == g->fs_inv && f->slots == g->slots &&
	       f->slot_width == g->slot_width;
}

/**
 * openi2s_sink_frame() - the sink hears one bus frame
 * @s: the sink
 * @before: the sink that heard this frame before @s on the same bus, or
 *	NULL. The caller gives every sink of a bus every frame, in the same
 *	order, and restarts them together; so when the two frame the bus
 *	alike their receivers are in the same state, and @s takes what
 *	@before's receiver read instead of reading the frame again.
 * @wire: the frame: the bus's frame sync and the transmit data line
 * @tx_fmt: the controller's transmit format, NULL while it sends nothing
 * @tx_samples: the samples it sent in @wire, one per channel, LSB aligned
 * @out: room for two frames of output samples, @s->channels each, sign
 *	extended from the part's sample width
 *
 * Return: the number of frames the part decoded into @out.
 */
unsigned int openi2s_sink_frame(struct openi2s_sink *s,
				const struct openi2s_sink *before,
				const struct openi2s_wire *wire,
				const struct openi2s_frame_fmt *tx_fmt,
				const u32 *tx_samples, s32 *out)
{
	s32 in[OPENI2S_FRAME_MAX_SLOTS];
	unsigned int i, k, slots;

	s->bus_frames++;
	/* The frame length changes with the stream, not per frame. */
	if (wire->bits != s->bus_bits) {
		struct openi2s_frame_fmt whole;

		s->bus_bits = wire->bits;
		s->rx_ok = openi2s_part_frame_fmt(&s->pf, wire->bits, &s->fmt);
		s->fs_errors_at_reset = 0;
		if (s->rx_ok) {
			whole = s->fmt;
			whole.sample_width = whole.slot_width;
			whole.slot_mask = (u16)low_mask(whole.slots);
			openi2s_rx_init(&s->rx, &whole);
		}
		if (!openi2s_part_ratio_ok(&s->pf, wire->bits))
			s->bad_bits = wire->bits;
	}
	remember_sent(s, tx_fmt, tx_samples);
	s->raw_n = 0;
	if (!s->rx_ok)
		return 0;

	slots = s->rx.fmt.slots;
	if (before && same_framing(before, s)) {
		s->raw_n = before->raw_n;
		for (k = 0; k < s->raw_n * slots; k++)
			s->raw[k] = before->raw[k];
		s->rx.fs_errors = before->rx.fs_errors;
	} else {
		s->raw_n = openi2s_rx_feed(&s->rx, wire, s->raw, 2);
	}
	for (i = 0; i < s->raw_n; i++) {
		own_slots(s, s->raw + i * slots, in);
		if (++s->frames % OPENI2S_PART_JUDGE_EVERY == 0)
			judge(s, in);
		play(s, in, out + i * s->channels);
	}
	return s->raw_n;
}
EXPORT_SYMBOL_GPL(openi2s_sink_frame);

/**
 * openi2s_sink_verdict() - what the sink concludes
 * @s: the sink
 * @ev: receives the sample behind the verdict, or NULL when it rests on
 *	counts alone
 *
 * No frames, a frame length outside the part's rule and no frame found
 * come first; then the explanation most judged samples agree on.
 *
 * Return: the verdict.
 */
enum openi2s_verdict openi2s_sink_verdict(const struct openi2s_sink *s,
					  const struct openi2s_evidence **ev)
{
	enum openi2s_verdict v, best = OPENI2S_VERDICT_NO_SIGNAL;
	u64 most = 0;

	*ev = NULL;
	if (!s->bus_frames)
		return OPENI2S_VERDICT_IDLE;
	if (s->bad_bits)
		return OPENI2S_VERDICT_RATIO;
	if (!s->frames)
		return OPENI2S_VERDICT_NO_FS;
	for (v = 0; v < OPENI2S_NUM_VERDICTS; v++) {
		if (s->judged[v] > most) {
			most = s->judged[v];
			best = v;
		}
	}
	if (most)
		*ev = &s->evidence[best];
	return best;
}
EXPORT_SYMBOL_GPL(openi2s_sink_verdict);

/* sin(2 pi phase / 2^32) in Q30: Taylor to the 11th power on a quarter. */
#define Q30		((u32)BIT(30))
#define HALF_PI_Q30	1686629713u

static s32 sin_q30(u32 phase)
{
	static const u8 div[] = { 110, 72, 42, 20, 6 };
	unsigned int quarter = phase >> 30, i;
	u32 x = phase & (Q30 - 1);
	u64 th, th2, t = Q30;

	if (quarter & 1)
		x = Q30 - x;
	th = ((u64)x * HALF_PI_Q30) >> 30;
	th2 = (th * th) >> 30;
	/* Horner: every partial sum stays positive below pi / 2. */
	for (i = 0; i < ARRAY_SIZE(div); i++)
		t = Q30 - (u32)((th2 * t) >> 30) / div[i];
	t = (th * t) >> 30;
	return quarter & 2 ? -(s32)t : (s32)t;
}

/**
 * openi2s_signal_sample() - one sample of a test signal
 * @sig: the signal
 * @channel: the channel (n-th slot the part drives)
 * @n: frames since the bus clock started
 * @bits: the sample's significant bits, 2 to 32
 *
 * The sine is level/1000 of full scale times sin(2 pi f n / rate), with
 * f = (@channel + 1) * freq and sin as sin_q30() computes it; the ramp is
 * n * (@channel + 1) * step, wrapped to @bits bits. Both are defined in
 * integers, so a test can compute each sample exactly.
 *
 * Return: the sample, sign extended from @bits.
 */
s32 openi2s_signal_sample(const struct openi2s_signal *sig,
			  unsigned int channel, u64 n, unsigned int bits)
{
	u32 full = low_mask(bits - 1), rate = sig->rate ? sig->rate : 1;
	u32 f = sig->freq * (channel + 1), ph, pos;
	u64 amp, mag;
	s32 s;

	if (sig->kind == OPENI2S_SIGNAL_RAMP) {
		u32 v = (u32)(n * f) & low_mask(bits);

		return (s32)(v << (32 - bits)) >> (32 - bits);
	}
	div_u64_rem(n, rate, &pos);
	div_u64_rem((u64)pos * f, rate, &ph);
	s = sin_q30((u32)div_u64((u64)ph << 32, rate));
	amp = div_u64((u64)full * (sig->level > 1000 ? 1000 : sig->level),
		      1000);
	mag = ((u64)(s < 0 ? -s : s) * amp) >> 30;
	return s < 0 ? -(s32)mag : (s32)mag;
}
EXPORT_SYMBOL_GPL(openi2s_signal_sample);

/**
 * openi2s_source_init() - a source with its default signal
 * @src: the source
 * @pf: its format
 *
 * The default is a sine of 1 kHz at half of full scale.
 */
void openi2s_source_init(struct openi2s_source *src,
			 const struct openi2s_part_fmt *pf)
{
	src->pf = *pf;
	src->sig.kind = OPENI2S_SIGNAL_SINE;
	src->sig.freq = 1000;
	src->sig.level = 500;
	openi2s_source_start(src, 48000);
}
EXPORT_SYMBOL_GPL(openi2s_source_init);

/**
 * openi2s_source_start() - the bus clock starts: the signal starts over
 * @src: the source
 * @rate: the bus's frame rate, Hz
 */
void openi2s_source_start(struct openi2s_source *src, u32 rate)
{
	unsigned int k;

	src->sig.rate = rate;
	src->sig.n = 0;
	src->synced = false;
	src->last_fs = !openi2s_start_level(src->pf.mode, src->pf.fs_inv);
	for (k = 0; k < OPENI2S_PART_PEND_WORDS; k++)
		src->pend[k] = 0;
	src->pend_bits = 0;
	src->bus_bits = 0;
	src->fmt_ok = false;
	src->bad_bits = 0;
	src->bus_frames = 0;
	src->frames = 0;
}
EXPORT_SYMBOL_GPL(openi2s_source_start);

/* Zero the pending bits from @pos on. */
static void clear_from(struct openi2s_source *src, unsigned int pos)
{
	unsigned int k = pos / 32, end = (src->pend_bits + 31) / 32;

	if (pos >= src->pend_bits)
		return;
	src->pend[k] &= ~low_mask(32 - pos % 32);
	while (++k < end)
		src->pend[k] = 0;
	src->pend_bits = pos;
}

/* The next frame's words: @fmt.sample_width bits, only sig bits set. */
static void next_frame(struct openi2s_source *src,
		       const struct openi2s_frame_fmt *fmt)
{
	unsigned int w = fmt->sample_width, sig = src->pf.sig_bits;
	unsigned int slot, ch = 0;

	for (slot = 0; slot < fmt->slots; slot++) {
		u32 v;

		if (!(fmt->slot_mask & BIT(slot)))
			continue;
		v = (u32)openi2s_signal_sample(&src->sig, ch++, src->sig.n,
					       sig) & low_mask(sig);
		src->cur[slot] = sig <= w ? v << (w - sig) : v >> (sig - w);
	}
	src->sig.n++;
	src->frames++;
}

/*
 * A frame-sync edge at bus bit @t starting @phase (0: the frame, 1: the
 * second half of a two-phase frame): the words of that phase go out from
 * the data delay on, replacing whatever of the last ones was still due.
 */
static void on_edge(struct openi2s_source *src,
		    const struct openi2s_frame_fmt *fmt, unsigned int t,
		    unsigned int phase)
{
	unsigned int delay = openi2s_mode_delay(fmt->mode);
	unsigned int sw = fmt->slot_width, w = fmt->sample_width;
	unsigned int first = 0, end = fmt->slots, slot, pos;

	if (!phase) {
		next_frame(src, fmt);
		src->synced = true;
	}
	if (!src->synced)
		return;
	if (fmt->mode <= OPENI2S_MODE_RIGHT_J) {
		first = phase * fmt->slots / 2;
		end = first + fmt->slots / 2;
	}
	clear_from(src, t + delay);
	for (slot = first; slot < end; slot++) {
		if (!(fmt->slot_mask & BIT(slot)))
			continue;
		pos = t + delay + (slot - first) * sw;
		if (fmt->mode == OPENI2S_MODE_RIGHT_J)
			pos += sw - w;
		if (pos + w > OPENI2S_PART_PEND_WORDS * 32)
			continue;
		openi2s_line_put(src->pend, pos, w, src->cur[slot]);
		if (pos + w > src->pend_bits)
			src->pend_bits = pos + w;
	}
}

/**
 * openi2s_source_frame() - the source drives its slots of one bus frame
 * @src: the source
 * @bus: the bus frame: its frame sync (the data line is not looked at)
 * @sd: the receive data line of that frame, which the source's bits are
 *	ORed into (an undriven line reads zero)
 */
void openi2s_source_frame(struct openi2s_source *src,
			  const struct openi2s_wire *bus, u32 *sd)
{
	bool start = openi2s_start_level(src->pf.mode, src->pf.fs_inv);
	bool two_phase = src->pf.mode <= OPENI2S_MODE_RIGHT_J;
	unsigned int bits = bus->bits, words = (bits + 31) / 32, k;

	src->bus_frames++;
	if (!bits)
		return;
	/* The frame length changes with the stream, not per frame. */
	if (bits != src->bus_bits) {
		src->bus_bits = bits;
		src->fmt_ok = openi2s_part_frame_fmt(&src->pf, bits, &src->fmt);
		if (!openi2s_part_ratio_ok(&src->pf, bits))
			src->bad_bits = bits;
	}
	if (src->fmt_ok) {
		for (k = 0; k < words; k++) {
			u32 prev = k ? bus->fs[k - 1] & 1 : src->last_fs;
			u32 cur = bus->fs[k];
			u32 edges = cur ^ ((cur >> 1) | (prev << 31));

			if (k == words - 1 && bits % 32)
				edges &= ~low_mask(32 - bits % 32);
			while (edges) {
				unsigned int b = __builtin_clz(edges);
				bool level = cur & (0x80000000u >> b);

				edges &= ~(0x80000000u >> b);
				if (level == start)
					on_edge(src, &src->fmt, k * 32 + b, 0);
				else if (two_phase)
					on_edge(src, &src->fmt, k * 32 + b, 1);
			}
		}
	}
	src->last_fs = openi2s_line_get(bus->fs, bits - 1, 1);
	if (!src->pend_bits)
		return;
	for (k = 0; k < words; k++)
		sd[k] |= src->pend[k];
	if (bits % 32)
		sd[words - 1] &= ~low_mask(32 - bits % 32);
	/* What is left is due in the next frames. */
	if (src->pend_bits > bits) {
		openi2s_line_shift(src->pend, src->pend_bits, bits);
		src->pend_bits -= bits;
	} else {
		for (k = 0; k < (src->pend_bits + 31) / 32; k++)
			src->pend[k] = 0;
		src->pend_bits = 0;
	}
}
EXPORT_SYMBOL_GPL(openi2s_source_frame);
