// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the OpenI2S bit framer
 * (sound/soc/openi2s/sim/openi2s-frame.c):
 * golden bit patterns from the I2S specification and the reference articles,
 * round trips in every format, and what a receiver makes of a transmitter
 * that disagrees with it.
 */
#include <stdlib.h>
#include <string.h>

#include "openi2s-frame.h"
#include "tap.h"

/* Render bits [from, from + n) of a line as '0'/'1' characters. */
static const char *bits_str(const u32 *line, unsigned int from,
			    unsigned int n)
{
	static char buf[OPENI2S_MAX_FRAME_BITS + 1];
	unsigned int i;

	for (i = 0; i < n; i++)
		buf[i] = openi2s_wire_bit(line, from + i) ? '1' : '0';
	buf[n] = 0;
	return buf;
}

static struct openi2s_frame_fmt fmt_of(enum openi2s_mode mode,
				       unsigned int slots, unsigned int slot_w,
				       unsigned int sample_w, u16 mask)
{
	struct openi2s_frame_fmt f = {
		.mode = mode, .slots = slots, .slot_width = slot_w,
		.sample_width = sample_w, .slot_mask = mask,
	};
	return f;
}

/*
 * The reference article's example: +45000 as a 24-bit sample, left
 * justified in a 32-bit slot, MSB first then eight zero bits. (The article
 * prints the bits of 44976; 45000 is 0x00afc8.)
 */
static void test_golden_left_justified_24_in_32(void)
{
	struct openi2s_frame_fmt f = fmt_of(OPENI2S_MODE_LEFT_J, 2, 32, 24, 3);
	u32 samples[2] = { 45000, 0 };
	struct openi2s_tx tx;
	struct openi2s_wire w;
	const char *want = "00000000101011111100100000000000";

	openi2s_tx_init(&tx, &f);
	openi2s_tx_frame(&tx, samples, &w);
	tap_ok(!strcmp(bits_str(w.sd, 0, 32), want),
	       "left-justified 24-in-32: +45000 is sent MSB first, then 8 zeros (%s)",
	       bits_str(w.sd, 0, 32));
	tap_ok(!strcmp(bits_str(w.fs, 0, 64),
		       "1111111111111111111111111111111100000000000000000000000000000000"),
	       "left-justified: frame sync high for the left slot, low for the right");
}

/* Philips: WS changes one bit clock before the MSB; the LSB of the right
 * word goes out in the first bit clock of the next frame. */
static void test_golden_philips(void)
{
	struct openi2s_frame_fmt f = fmt_of(OPENI2S_MODE_I2S, 2, 16, 16, 3);
	u32 a[2] = { 0x8001, 0x7ffe }, b[2] = { 0, 0 };
	struct openi2s_tx tx;
	struct openi2s_wire w;

	openi2s_tx_init(&tx, &f);
	openi2s_tx_frame(&tx, a, &w);
	tap_ok(!strcmp(bits_str(w.fs, 0, 32), "00000000000000001111111111111111"),
	       "philips: WS low for the left word, high for the right");
	tap_ok(!strcmp(bits_str(w.sd, 0, 32), "01000000000000001011111111111111"),
	       "philips: each MSB one bit clock after the WS change (%s)",
	       bits_str(w.sd, 0, 32));
	openi2s_tx_frame(&tx, b, &w);
	tap_ok(openi2s_wire_bit(w.sd, 0) == 0 &&
	       !strcmp(bits_str(w.sd, 0, 2), "00"),
	       "philips: the right LSB (0) leads the next frame");
	openi2s_tx_frame(&tx, a, &w);
	openi2s_tx_frame(&tx, b, &w);
	tap_ok(!strcmp(bits_str(w.sd, 0, 1), "0"),
	       "philips: a zero right LSB carries over as zero");
	a[1] = 0x7fff;
	openi2s_tx_frame(&tx, a, &w);
	openi2s_tx_frame(&tx, b, &w);
	tap_ok(!strcmp(bits_str(w.sd, 0, 1), "1"),
	       "philips: a one right LSB carries over into the next frame");
}

static void test_golden_dsp(void)
{
	struct openi2s_frame_fmt fa = fmt_of(OPENI2S_MODE_DSP_A, 4, 16, 16, 0xf);
	struct openi2s_frame_fmt fb = fmt_of(OPENI2S_MODE_DSP_B, 4, 16, 16, 0xf);
	u32 s[4] = { 0xffff, 0, 0x8000, 0x0001 };
	struct openi2s_tx tx;
	struct openi2s_wire w;

	openi2s_tx_init(&tx, &fa);
	openi2s_tx_frame(&tx, s, &w);
	tap_ok(!strcmp(bits_str(w.fs, 0, 4), "1000") &&
	       !strcmp(bits_str(w.fs, 4, 60), bits_str((u32[2]){ 0, 0 }, 0, 60)),
	       "dsp a: a one-bit frame pulse at the start of the frame");
	tap_ok(!strcmp(bits_str(w.sd, 0, 18), "011111111111111110"),
	       "dsp a: slot 0 MSB one bit clock after the pulse (%s)",
	       bits_str(w.sd, 0, 18));
	openi2s_tx_init(&tx, &fb);
	openi2s_tx_frame(&tx, s, &w);
	tap_ok(!strcmp(bits_str(w.sd, 0, 17), "11111111111111110"),
	       "dsp b: slot 0 MSB with the pulse");
	tap_ok(!strcmp(bits_str(w.sd, 32, 32), "10000000000000000000000000000001"),
	       "dsp b: slots 2 and 3 back to back");
}

static void test_golden_right_justified(void)
{
	struct openi2s_frame_fmt f = fmt_of(OPENI2S_MODE_RIGHT_J, 2, 24, 16, 3);
	u32 s[2] = { 0xc003, 0x0001 };
	struct openi2s_tx tx;
	struct openi2s_wire w;

	openi2s_tx_init(&tx, &f);
	openi2s_tx_frame(&tx, s, &w);
	tap_ok(!strcmp(bits_str(w.sd, 0, 24), "000000001100000000000011"),
	       "right-justified 16-in-24: 8 zeros, then the sample ending on the slot's last bit");
	tap_ok(!strcmp(bits_str(w.sd, 24, 24), "000000000000000000000001"),
	       "right-justified: the right sample's LSB is the frame's last bit");
}

static void test_tdm_slot_mask(void)
{
	struct openi2s_frame_fmt f = fmt_of(OPENI2S_MODE_DSP_B, 8, 32, 32, 0xa5);
	u32 s[4] = { 0x11111111, 0x22222222, 0x55555555, 0x77777777 };
	unsigned int slot_of[4] = { 0, 2, 5, 7 }, i, ok = 1;
	struct openi2s_tx tx;
	struct openi2s_wire w;

	openi2s_tx_init(&tx, &f);
	openi2s_tx_frame(&tx, s, &w);
	for (i = 0; i < 4; i++)
		ok &= w.sd[slot_of[i]] == s[i];
	ok &= !w.sd[1] && !w.sd[3] && !w.sd[4] && !w.sd[6];
	tap_ok(ok, "tdm: channels fill the masked slots in order, others are zero");
	tap_ok(openi2s_fmt_channels(&f) == 4 && openi2s_fmt_frame_bits(&f) == 256,
	       "tdm: 8 slots of 32 bits with mask 0xa5 carry 4 channels in 256 bits");
}

static u32 rng = 12345;

static u32 next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static s32 sext(u32 v, unsigned int width)
{
	return (s32)(v << (32 - width)) >> (32 - width);
}

/*
 * Send @frames random frames with @txf and decode them with @rxf; fill @sent
 * and @got. Returns the number of frames the receiver decoded.
 */
static unsigned int run_wire(const struct openi2s_frame_fmt *txf,
			     const struct openi2s_frame_fmt *rxf,
			     unsigned int frames, u32 *sent, s32 *got,
			     unsigned int *fs_errors)
{
	unsigned int txch = openi2s_fmt_channels(txf);
	unsigned int rxch = openi2s_fmt_channels(rxf);
	struct openi2s_tx tx;
	struct openi2s_rx rx;
	struct openi2s_wire w;
	unsigned int n, decoded = 0;

	openi2s_tx_init(&tx, txf);
	openi2s_rx_init(&rx, rxf);
	for (n = 0; n < frames + 2; n++) {
		u32 *s = &sent[n * txch];
		unsigned int c;

		for (c = 0; c < txch; c++)
			s[c] = n < frames ? next_rand() : 0;
		openi2s_tx_frame(&tx, s, &w);
		decoded += openi2s_rx_feed(&rx, &w, &got[decoded * rxch],
					   frames + 2 - decoded);
	}
	*fs_errors = rx.fs_errors;
	return decoded;
}

static void test_round_trips(void)
{
	static const unsigned int slot_ws[] = { 16, 24, 32 };
	static const unsigned int sample_ws[] = { 16, 20, 24, 32 };
	static const unsigned int slot_counts[] = { 1, 2, 4, 6, 8, 16 };
	enum { FRAMES = 50 };
	u32 *sent = calloc((FRAMES + 2) * 16, sizeof(*sent));
	s32 *got = calloc((FRAMES + 2) * 16, sizeof(*got));
	unsigned int mode, a, b, c, combos = 0, bad = 0;

	for (mode = 0; mode <= OPENI2S_MODE_DSP_B; mode++)
	for (a = 0; a < 3; a++)
	for (b = 0; b < 4; b++)
	for (c = 0; c < 6; c++) {
		unsigned int slots = slot_counts[c];
		u16 masks[2] = {
			(u16)((1u << slots) - 1),
			(u16)(0x5a5a & ((1u << slots) - 1)),
		};
		unsigned int m;

		for (m = 0; m < 2; m++) {
			struct openi2s_frame_fmt f = fmt_of(mode, slots,
				slot_ws[a], sample_ws[b], masks[m]);
			unsigned int ch, n, i, errs, dec;

			if (!openi2s_fmt_valid(&f))
				continue;
			combos++;
			ch = openi2s_fmt_channels(&f);
			dec = run_wire(&f, &f, FRAMES, sent, got, &errs);
			/* The receiver locks on the first frame start. */
			if (dec < FRAMES || errs) {
				bad++;
				continue;
			}
			for (n = 0; n < FRAMES; n++)
				for (i = 0; i < ch; i++)
					if (got[n * ch + i] !=
					    sext(sent[n * ch + i], f.sample_width)) {
						bad++;
						n = FRAMES;
						break;
					}
		}
	}
	tap_ok(!bad && combos > 300,
	       "round trip is bit exact in %u format/width/slot/mask combinations (%u bad)",
	       combos, bad);
	free(sent);
	free(got);
}

/*
 * The receiver as the spec states it, one bit clock at a time, for the
 * word-at-a-time receiver to match: find a frame start, expect the next one
 * exactly a frame later (else count an error, drop a bit and look again),
 * read the slots at the data delay; lose the oldest bits when full.
 */
#define REF_CAP	(OPENI2S_RX_WORDS * 32)

struct ref_rx {
	struct openi2s_frame_fmt fmt;
	int synced, last_fs;
	unsigned int len, fs_errors;
	unsigned char fs[REF_CAP], sd[REF_CAP];
};

static unsigned int line_bit(const u32 *line, unsigned int t)
{
	return line[t / 32] >> (31 - t % 32) & 1;
}

static void ref_init(struct ref_rx *r, const struct openi2s_frame_fmt *f)
{
	memset(r, 0, sizeof(*r));
	r->fmt = *f;
	r->last_fs = !openi2s_start_level(f->mode, f->fs_inv);
}

static void ref_drop(struct ref_rx *r, unsigned int n)
{
	if (!n)
		return;
	r->last_fs = r->fs[n - 1];
	memmove(r->fs, r->fs + n, r->len - n);
	memmove(r->sd, r->sd + n, r->len - n);
	r->len -= n;
}

static int ref_start_at(const struct ref_rx *r, unsigned int t)
{
	int level = openi2s_start_level(r->fmt.mode, r->fmt.fs_inv);

	return r->fs[t] == level && (t ? r->fs[t - 1] : r->last_fs) != level;
}

static unsigned int ref_feed(struct ref_rx *r, const struct openi2s_wire *w,
			     s32 *out, unsigned int max)
{
	const struct openi2s_frame_fmt *f = &r->fmt;
	unsigned int bits = f->slots * f->slot_width, done = 0, t, slot, b;
	unsigned int delay = f->mode == OPENI2S_MODE_I2S ||
			     f->mode == OPENI2S_MODE_DSP_A;
	unsigned int pad = f->mode == OPENI2S_MODE_RIGHT_J ?
			   f->slot_width - f->sample_width : 0;

	if (r->len + w->bits > REF_CAP) {
		ref_drop(r, r->len + w->bits - REF_CAP);
		r->synced = 0;
	}
	for (t = 0; t < w->bits; t++) {
		r->fs[r->len + t] = line_bit(w->fs, t);
		r->sd[r->len + t] = line_bit(w->sd, t);
	}
	r->len += w->bits;
	while (done < max) {
		int bad;

		if (!r->synced) {
			for (t = 0; t < r->len && !ref_start_at(r, t); t++)
				;
			if (t == r->len) {
				ref_drop(r, r->len);
				break;
			}
			ref_drop(r, t);
			r->synced = 1;
		}
		if (r->len < bits + 1 || r->len < bits + delay)
			break;
		bad = !ref_start_at(r, bits);
		for (t = 1; t < bits; t++)
			bad |= ref_start_at(r, t);
		if (bad) {
			r->fs_errors++;
			r->synced = 0;
			ref_drop(r, 1);
			continue;
		}
		for (slot = 0; slot < f->slots; slot++) {
			u32 v = 0;

			if (!(f->slot_mask & (1u << slot)))
				continue;
			for (b = 0; b < f->sample_width; b++)
				v = v << 1 | r->sd[delay + slot * f->slot_width +
						   pad + b];
			*out++ = sext(v, f->sample_width);
		}
		ref_drop(r, bits);
		done++;
	}
	return done;
}

static struct openi2s_frame_fmt random_fmt(void)
{
	static const unsigned int ws[] = { 16, 24, 32 };
	static const unsigned int samples[] = { 16, 20, 24, 32 };
	struct openi2s_frame_fmt f;

	do {
		f = fmt_of(next_rand() % 5, 1 + next_rand() % 16,
			   ws[next_rand() % 3], samples[next_rand() % 4],
			   (u16)next_rand());
		f.fs_inv = next_rand() & 1;
		f.slot_mask &= (1u << f.slots) - 1;
	} while (!openi2s_fmt_valid(&f));
	return f;
}

/* A wire of @bits random bit clocks, zero past its end as a frame's is. */
static void noise_wire(struct openi2s_wire *w, unsigned int bits)
{
	unsigned int k;

	w->bits = bits;
	for (k = 0; k < OPENI2S_FRAME_WORDS; k++) {
		u32 keep = k * 32 >= bits ? 0 : bits - k * 32 >= 32 ? ~0u :
			   ~(~0u >> (bits - k * 32));

		w->fs[k] = next_rand() & keep;
		w->sd[k] = next_rand() & keep;
	}
}

/*
 * Random streams against the bit-at-a-time model: matching and other
 * formats, format changes, silence, noise, flipped frame-sync bits, and
 * feeds that decode nothing until the receiver overflows.
 */
static void test_rx_matches_bit_model(void)
{
	static struct ref_rx ref;
	unsigned int trial, feed, frames = 0, errors = 0, bad = 0;

	for (trial = 0; trial < 1000 && !bad; trial++) {
		struct openi2s_frame_fmt rf = random_fmt(), tf = rf;
		struct openi2s_rx rx;
		struct openi2s_tx tx;

		if (trial % 2)
			tf = random_fmt();
		openi2s_rx_init(&rx, &rf);
		ref_init(&ref, &rf);
		openi2s_tx_init(&tx, &tf);
		for (feed = 0; feed < 60 && !bad; feed++) {
			s32 got[4 * 16], want[4 * 16];
			u32 s[16];
			unsigned int max = trial % 7 == 3 && feed < 20 ? 0 :
					   next_rand() % 4;
			unsigned int c, n, m, t, r = next_rand() % 100;
			struct openi2s_wire w;

			/* Every fourth stream is undisturbed. */
			if (!(trial % 4))
				r = 50;

			for (c = 0; c < 16; c++)
				s[c] = next_rand();
			if (r < 2) {
				tf = random_fmt();
				openi2s_tx_init(&tx, &tf);
			}
			if (r < 5)
				noise_wire(&w, 1 + next_rand() % 512);
			else
				openi2s_tx_frame(&tx, r < 8 ? NULL : s, &w);
			if (r >= 95) {
				t = next_rand() % w.bits;
				w.fs[t / 32] ^= 1u << (31 - t % 32);
			}
			n = openi2s_rx_feed(&rx, &w, got, max);
			m = ref_feed(&ref, &w, want, max);
			frames += m;
			bad = n != m || rx.fs_errors != ref.fs_errors ||
			      memcmp(got, want, m * openi2s_fmt_channels(&rf) *
				     sizeof(*got));
		}
		errors += ref.fs_errors;
	}
	tap_ok(!bad && frames > 15000 && errors > 10000,
	       "the receiver decodes what the bit-at-a-time model does: %u frames, %u frame sync errors (trial %u %s)",
	       frames, errors, trial, bad ? "differs" : "agrees");
}

/* The frame-sync level a receiver saw just before the bits it holds. */
static bool level_before(const struct openi2s_rx *rx)
{
	return rx->head ? openi2s_line_get(rx->fs, rx->head - 1, 1) :
			  rx->last_fs;
}

/* Two receivers hold the same bits, from their heads on. */
static bool same_held(const struct openi2s_rx *a, const struct openi2s_rx *b)
{
	unsigned int t, n;

	if (a->len != b->len || a->synced != b->synced ||
	    level_before(a) != level_before(b))
		return false;
	for (t = 0; t < a->len; t += n) {
		n = a->len - t < 32 ? a->len - t : 32;
		if (openi2s_line_get(a->fs, a->head + t, n) !=
		    openi2s_line_get(b->fs, b->head + t, n) ||
		    openi2s_line_get(a->sd, a->head + t, n) !=
		    openi2s_line_get(b->sd, b->head + t, n))
			return false;
	}
	return true;
}

/*
 * One link skips the wire whenever its receiver is ready to, at random,
 * and goes back on it at random; another frames every frame. Both decode
 * the same, also through frame-sync errors made once the first is back on
 * the wire, which holds only if openi2s_direct_resume() left the very
 * state the wire would have.
 */
static void test_direct_matches_wire(void)
{
	unsigned int trial, n, bad = 0, direct = 0, resumes = 0, frames = 0;
	unsigned int errors = 0;

	for (trial = 0; trial < 2000 && !bad; trial++) {
		struct openi2s_frame_fmt f = random_fmt();
		unsigned int ch = openi2s_fmt_channels(&f);
		struct openi2s_tx wtx, dtx;
		struct openi2s_rx wrx, drx;
		u32 sent[2][16] = { { 0 } };
		bool on = false;

		openi2s_tx_init(&wtx, &f);
		openi2s_tx_init(&dtx, &f);
		openi2s_rx_init(&wrx, &f);
		openi2s_rx_init(&drx, &f);
		for (n = 0; n < 80 && !bad; n++) {
			/* sent[n % 2] holds frame n - 2 until frame n. */
			u32 *s = sent[n % 2], *before = sent[(n + 1) % 2];
			unsigned int r = next_rand() % 100, c, a, b = 0, t;
			struct openi2s_wire w = { 0 }, dw = { 0 };
			s32 want[16], got[16];
			bool silent = r < 5;

			if (on && r >= 85) {
				openi2s_direct_resume(&dtx, &drx, s, before);
				on = false;
				resumes++;
				bad |= !same_held(&wrx, &drx) ||
				       wtx.carry != dtx.carry;
			}
			for (c = 0; c < 16; c++)
				s[c] = silent ? 0 : next_rand();
			openi2s_tx_frame(&wtx, silent ? NULL : s, &w);
			if (on) {
				openi2s_rx_direct_decode(&f, before, got);
				b = 1;
				direct++;
			} else {
				openi2s_tx_frame(&dtx, silent ? NULL : s, &dw);
				bad |= memcmp(&w, &dw, sizeof(w));
				/* Errors on the wire, both links alike. */
				if (r >= 80 && r < 85) {
					t = next_rand() % w.bits;
					w.fs[t / 32] ^= 1u << (31 - t % 32);
					dw.fs[t / 32] ^= 1u << (31 - t % 32);
				}
				b = openi2s_rx_feed(&drx, &dw, got, 1);
			}
			a = openi2s_rx_feed(&wrx, &w, want, 1);
			frames += a;
			bad |= a != b || memcmp(want, got, a * ch * sizeof(*got)) ||
			       wrx.fs_errors != drx.fs_errors;
			if (!on && r < 70 &&
			    openi2s_rx_direct_ready(&drx, &dtx.fmt))
				on = true;
		}
		errors += wrx.fs_errors;
	}
	tap_ok(!bad && direct > 50000 && resumes > 10000 && errors > 1000,
	       "a direct link decodes what the wire does: %u frames, %u direct, %u resumes, %u frame sync errors (trial %u %s)",
	       frames, direct, resumes, errors, trial, bad ? "differs" : "agrees");
}

/* Only a receiver of the sender's own format may skip the wire. */
static void test_direct_needs_same_format(void)
{
	struct openi2s_frame_fmt f = fmt_of(OPENI2S_MODE_I2S, 2, 32, 24, 0x3);
	struct openi2s_frame_fmt g = f;
	struct openi2s_rx rx;
	struct openi2s_tx tx;
	struct openi2s_wire w;
	u32 s[2] = { 1, 2 };
	s32 out[2];
	int k;

	openi2s_tx_init(&tx, &f);
	openi2s_rx_init(&rx, &f);
	tap_ok(!openi2s_rx_direct_ready(&rx, &f),
	       "direct: not before the receiver has seen a frame start");
	for (k = 0; k < 3; k++) {
		openi2s_tx_frame(&tx, s, &w);
		openi2s_rx_feed(&rx, &w, out, 1);
	}
	tap_ok(openi2s_rx_direct_ready(&rx, &f),
	       "direct: ready once synchronised on the sender's own format");
	for (k = 0; k < 7; k++) {
		g = f;
		switch (k) {
		case 0:
			g.mode = OPENI2S_MODE_LEFT_J;
			break;
		case 1:
			g.bclk_inv = true;
			break;
		case 2:
			g.fs_inv = true;
			break;
		case 3:
			g.slots = 4;
			break;
		case 4:
			g.slot_width = 24;
			break;
		case 5:
			g.sample_width = 16;
			break;
		case 6:
			g.slot_mask = 0x1;
			break;
		}
		tap_ok(!openi2s_rx_direct_ready(&rx, &g),
		       "direct: not for a sender that differs in field %d", k);
	}
	openi2s_rx_feed(&rx, &w, out, 0);
	tap_ok(!openi2s_rx_direct_ready(&rx, &f),
	       "direct: not while more than a frame is held");
}

static void test_fmt_valid(void)
{
	struct openi2s_frame_fmt f = fmt_of(OPENI2S_MODE_I2S, 2, 16, 24, 3);

	tap_ok(!openi2s_fmt_valid(&f), "invalid: sample wider than its slot");
	f = fmt_of(OPENI2S_MODE_I2S, 3, 32, 24, 7);
	tap_ok(!openi2s_fmt_valid(&f), "invalid: odd slot count with a 50%% frame sync");
	f = fmt_of(OPENI2S_MODE_DSP_A, 3, 32, 24, 7);
	tap_ok(openi2s_fmt_valid(&f), "valid: odd slot count with a pulse frame sync");
	f = fmt_of(OPENI2S_MODE_DSP_A, 4, 32, 24, 0x10);
	tap_ok(!openi2s_fmt_valid(&f), "invalid: slot mask beyond the slot count");
	f = fmt_of(OPENI2S_MODE_DSP_A, 4, 20, 16, 0x3);
	tap_ok(!openi2s_fmt_valid(&f), "invalid: 20-bit slots");
	f = fmt_of(OPENI2S_MODE_DSP_A, 17, 32, 16, 0x3);
	tap_ok(!openi2s_fmt_valid(&f), "invalid: 17 slots");
}

/* Philips receiver: a longer word is truncated, a shorter one zero padded. */
static void test_width_mismatch(void)
{
	struct openi2s_frame_fmt t24 = fmt_of(OPENI2S_MODE_I2S, 2, 32, 24, 3);
	struct openi2s_frame_fmt r16 = fmt_of(OPENI2S_MODE_I2S, 2, 32, 16, 3);
	struct openi2s_frame_fmt r32 = fmt_of(OPENI2S_MODE_I2S, 2, 32, 32, 3);
	u32 sent[12 * 2];
	s32 got[12 * 2];
	unsigned int errs, dec, i, ok;

	dec = run_wire(&t24, &r16, 10, sent, got, &errs);
	ok = dec >= 10 && !errs;
	for (i = 0; ok && i < 20; i++)
		ok = got[i] == sext(sent[i] >> 8, 16);
	tap_ok(ok, "24-bit sender, 16-bit receiver: the 8 LSBs are dropped");
	dec = run_wire(&t24, &r32, 10, sent, got, &errs);
	ok = dec >= 10 && !errs;
	for (i = 0; ok && i < 20; i++)
		ok = got[i] == (s32)(sent[i] << 8);
	tap_ok(ok, "24-bit sender, 32-bit receiver: the sample arrives zero padded");
}

/*
 * Format mismatches give the field symptoms of the reference article; these
 * are exact consequences of the bit-level model:
 * - Philips sender, left-justified receiver: the receiver takes the other
 *   frame-sync phase as "left" (channels swap) and reads one bit early, so
 *   every sample is halved (the bit before the MSB is zero padding here).
 * - left-justified sender, Philips receiver: channels swap and every sample
 *   is read one bit late: doubled, losing its MSB.
 */
static void test_format_mismatch(void)
{
	struct openi2s_frame_fmt i2s = fmt_of(OPENI2S_MODE_I2S, 2, 32, 16, 3);
	struct openi2s_frame_fmt lj = fmt_of(OPENI2S_MODE_LEFT_J, 2, 32, 16, 3);
	u32 sent[22 * 2];
	s32 got[22 * 2];
	unsigned int errs, dec, n, ok;

	dec = run_wire(&i2s, &lj, 20, sent, got, &errs);
	ok = dec >= 19 && !errs;
	for (n = 0; ok && n < 19; n++)
		ok = got[2 * n] == (s32)((sent[2 * n + 1] & 0xffff) >> 1) &&
		     got[2 * n + 1] == (s32)((sent[2 * n + 2] & 0xffff) >> 1);
	tap_ok(ok, "philips sent, left-justified received: channels swap, samples halved");

	dec = run_wire(&lj, &i2s, 20, sent, got, &errs);
	ok = dec >= 19 && !errs;
	for (n = 0; ok && n < 19; n++)
		ok = got[2 * n] == sext(sent[2 * n + 1] << 1, 16) &&
		     got[2 * n + 1] == sext(sent[2 * n + 2] << 1, 16);
	tap_ok(ok, "left-justified sent, philips received: channels swap, samples doubled");
}

static void test_frame_sync_error(void)
{
	struct openi2s_frame_fmt t = fmt_of(OPENI2S_MODE_DSP_A, 2, 32, 32, 3);
	struct openi2s_frame_fmt r = fmt_of(OPENI2S_MODE_DSP_A, 2, 24, 24, 3);
	u32 sent[12 * 2];
	s32 got[12 * 2];
	unsigned int errs, dec;

	dec = run_wire(&t, &r, 10, sent, got, &errs);
	tap_ok(dec == 0 && errs >= 9,
	       "64-bit frames into a 48-bit receiver: frame sync errors, nothing decoded (%u errors)",
	       errs);
}

static void test_fs_polarity_swaps_channels(void)
{
	struct openi2s_frame_fmt t = fmt_of(OPENI2S_MODE_I2S, 2, 32, 32, 3);
	struct openi2s_frame_fmt r = t;
	u32 sent[12 * 2];
	s32 got[12 * 2];
	unsigned int errs, dec, n, ok;

	r.fs_inv = true;
	dec = run_wire(&t, &r, 10, sent, got, &errs);
	ok = dec >= 9 && !errs;
	for (n = 0; ok && n < 9; n++)
		ok = got[2 * n] == (s32)sent[2 * n + 1] &&
		     got[2 * n + 1] == (s32)sent[2 * n + 2];
	tap_ok(ok, "inverted frame sync at the receiver: left and right swap");
}

static void test_silence(void)
{
	struct openi2s_frame_fmt f = fmt_of(OPENI2S_MODE_I2S, 2, 32, 32, 3);
	struct openi2s_tx tx;
	struct openi2s_wire w;

	openi2s_tx_init(&tx, &f);
	openi2s_tx_frame(&tx, NULL, &w);
	tap_ok(!w.sd[0] && !w.sd[1] && w.bits == 64,
	       "a frame without samples (underrun) is silence with the frame sync running");
}

int main(void)
{
	test_golden_left_justified_24_in_32();
	test_golden_philips();
	test_golden_dsp();
	test_golden_right_justified();
	test_tdm_slot_mask();
	test_fmt_valid();
	test_round_trips();
	test_rx_matches_bit_model();
	test_direct_matches_wire();
	test_direct_needs_same_format();
	test_width_mismatch();
	test_format_mismatch();
	test_frame_sync_error();
	test_fs_polarity_swaps_channels();
	test_silence();
	return tap_done();
}
