// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the OpenI2S part models
 * (sound/soc/openi2s/sim/openi2s-part.c): the format a preset straps a
 * part to, what a sink hears of a controller in its own or another format
 * and the verdict it names, and what a controller receives from sources
 * that follow its frame sync, alone, in pairs and on a TDM bus.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "openi2s-part.h"
#include "tap.h"

#define FRAMES	200

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

static struct openi2s_part_fmt part_fmt(const struct generic_i2s_part *p)
{
	struct openi2s_part_fmt pf;
	struct generic_i2s_err e;

	if (openi2s_part_fmt_from(p, &pf, &e)) {
		printf("# %s: %s %s\n", p->name, generic_i2s_prop_names[e.prop],
		       e.why);
		exit(1);
	}
	return pf;
}

/* A distinct, never-zero sample per frame and channel, @bits wide. */
static u32 tone(unsigned int frame, unsigned int ch, unsigned int bits)
{
	u32 v = (frame + 1) * 2654435761u ^ (ch + 1) * 40503u;

	return (v | 0x40000000u) >> (32 - bits);
}

static s32 sext(u32 v, unsigned int bits)
{
	return (s32)(v << (32 - bits)) >> (32 - bits);
}

/*
 * Run a controller transmitting @tx into @sink for FRAMES frames. Returns
 * the output frames in @out (FRAMES rows of up to 2 channels) and their
 * number; @sent receives the samples sent, row per frame.
 */
static unsigned int run_sink(struct openi2s_frame_fmt tx_fmt,
			     struct openi2s_sink *sink, s32 out[][2],
			     u32 sent[][2])
{
	unsigned int f, ch = openi2s_fmt_channels(&tx_fmt), c, n = 0, got;
	struct openi2s_tx tx;
	struct openi2s_wire w;
	s32 o[2 * OPENI2S_FRAME_MAX_SLOTS];

	openi2s_tx_init(&tx, &tx_fmt);
	for (f = 0; f < FRAMES; f++) {
		u32 s[OPENI2S_FRAME_MAX_SLOTS];

		for (c = 0; c < ch; c++)
			s[c] = tone(f, c, tx_fmt.sample_width);
		if (sent)
			memcpy(sent[f], s, 2 * sizeof(u32));
		openi2s_tx_frame(&tx, s, &w);
		got = openi2s_sink_frame(sink, NULL, &w, &tx_fmt, s, o);
		for (c = 0; c < got * sink->channels && n < FRAMES; c++) {
			out[n][c % sink->channels] = o[c];
			if (c % sink->channels == sink->channels - 1)
				n++;
		}
	}
	return n;
}

static enum openi2s_verdict verdict(const struct openi2s_sink *s,
				    const struct openi2s_evidence **ev)
{
	const struct openi2s_evidence *e;
	enum openi2s_verdict v = openi2s_sink_verdict(s, &e);

	if (ev)
		*ev = e;
	printf("# verdict %s", openi2s_verdict_names[v]);
	if (e)
		printf(": slot %u heard 0x%08x, slot %u sent 0x%08x", e->slot,
		       e->heard, e->from_slot, e->sent);
	printf("\n");
	return v;
}

static void test_preset_formats(void)
{
	struct openi2s_part_fmt pf;

	pf = part_fmt(&generic_i2s_preset_max98357a);
	tap_ok(pf.mode == OPENI2S_MODE_I2S && pf.slots == 2 &&
	       pf.slot_width == 0 && pf.slot_mask == 0x3 &&
	       pf.chmode == GENERIC_I2S_CH_MIX && pf.sample_width == 32,
	       "max98357a: Philips, counts its slot width, both slots, (L+R)/2");
	pf = part_fmt(&generic_i2s_preset_max98357b);
	tap_ok(pf.mode == OPENI2S_MODE_LEFT_J,
	       "max98357b: left-justified");
	pf = part_fmt(&generic_i2s_preset_inmp441);
	tap_ok(pf.mode == OPENI2S_MODE_I2S && pf.slot_width == 32 &&
	       pf.sig_bits == 24 && pf.slot_mask == 0x1,
	       "inmp441: 32-bit slots (64 fs), 24 significant bits, left slot");
	pf = part_fmt(&generic_i2s_preset_sph0645lm4h);
	tap_ok(pf.sig_bits == 18, "sph0645lm4h: 18 significant bits");
	pf = part_fmt(&generic_i2s_preset_pcm5102a);
	tap_ok(pf.mode == OPENI2S_MODE_I2S && pf.chmode == GENERIC_I2S_CH_STEREO,
	       "pcm5102a: the first format it lists (i2s), stereo");
}

static void test_tdm_part_fmt(void)
{
	struct generic_i2s_part p = generic_i2s_preset_max98357a;
	struct openi2s_part_fmt pf;
	struct openi2s_frame_fmt f;
	struct generic_i2s_err e;

	p.formats = BIT(GENERIC_I2S_FMT_DSP_A);
	p.tdm_slots = BIT(5);
	pf = part_fmt(&p);
	tap_ok(pf.slots == 0 && pf.slot_width == 32 && pf.slot_mask == BIT(5) &&
	       openi2s_part_frame_fmt(&pf, 256, &f) && f.slots == 8,
	       "a TDM part in slot 5: 32-bit slots, 8 of them in a 256-bit frame");
	p.tdm_slots = BIT(20);
	tap_ok(openi2s_part_fmt_from(&p, &pf, &e) == -EINVAL &&
	       e.prop == GENERIC_I2S_P_TDM_SLOTS,
	       "a TDM slot beyond the simulated bus's 16 is refused, naming openi2s,tdm-slots");
}

/* A stereo Philips DAC hears a Philips controller exactly. */
static void test_sink_locked(void)
{
	struct openi2s_part_fmt pf = part_fmt(&generic_i2s_preset_pcm5102a);
	static s32 out[FRAMES][2];
	static u32 sent[FRAMES][2];
	struct openi2s_sink s;
	unsigned int n, f, bad = 0, lag;

	openi2s_sink_init(&s, &pf);
	n = run_sink(fmt_of(OPENI2S_MODE_I2S, 2, 32, 24, 3), &s, out, sent);
	/* The receiver decodes a frame once the next one starts. */
	lag = FRAMES - n;
	for (f = 0; f < n; f++)
		if (out[f][0] != (s32)(sent[f + lag - 1][0] << 8) ||
		    out[f][1] != (s32)(sent[f + lag - 1][1] << 8))
			bad++;
	tap_ok(n >= FRAMES - 2 && !bad,
	       "pcm5102a on a Philips 2x32 bus: %u frames, each sample the sent one in 32 bits (%u wrong)",
	       n, bad);
	tap_ok(verdict(&s, NULL) == OPENI2S_VERDICT_LOCKED &&
	       s.judged[OPENI2S_VERDICT_LOCKED] > 40,
	       "pcm5102a: verdict locked, on %llu judged samples",
	       (unsigned long long)s.judged[OPENI2S_VERDICT_LOCKED]);
	tap_ok(s.bus_bits == 64 && s.rx.fmt.slot_width == 32,
	       "pcm5102a counted 64 bit clocks per frame: 32-bit slots");
}

/* A mono amplifier plays (L+R)/2. */
static void test_sink_mix(void)
{
	struct openi2s_part_fmt pf = part_fmt(&generic_i2s_preset_max98357a);
	static s32 out[FRAMES][2];
	static u32 sent[FRAMES][2];
	struct openi2s_sink s;
	unsigned int n, f, bad = 0, lag;

	openi2s_sink_init(&s, &pf);
	n = run_sink(fmt_of(OPENI2S_MODE_I2S, 2, 16, 16, 3), &s, out, sent);
	lag = FRAMES - n;
	for (f = 0; f < n; f++) {
		s32 l = sext(sent[f + lag - 1][0], 16);
		s32 r = sext(sent[f + lag - 1][1], 16);

		if (out[f][0] != (l + r) >> 1)
			bad++;
	}
	tap_ok(s.channels == 1 && n > 0 && !bad,
	       "max98357a on 2x16: one channel, (L+R)/2 of what was sent (%u of %u wrong)",
	       bad, n);
	tap_ok(verdict(&s, NULL) == OPENI2S_VERDICT_LOCKED,
	       "max98357a at 32 fs: locked");
}

/* The seed article's symptoms, each named. */
static void test_sink_mismatches(void)
{
	struct generic_i2s_part lj = generic_i2s_preset_pcm5102a;
	struct openi2s_part_fmt pf = part_fmt(&generic_i2s_preset_pcm5102a);
	const struct openi2s_evidence *ev;
	static s32 out[FRAMES][2];
	struct openi2s_frame_fmt tx;
	struct openi2s_sink s;

	/* CPU left-justified into a Philips DAC: it misses each MSB. */
	openi2s_sink_init(&s, &pf);
	run_sink(fmt_of(OPENI2S_MODE_LEFT_J, 2, 32, 24, 3), &s, out, NULL);
	tap_ok(verdict(&s, &ev) == OPENI2S_VERDICT_BIT_EARLY && ev &&
	       ev->heard >> 9 == (ev->sent << 1) >> 9 && ev->from_slot != ev->slot,
	       "left-justified CPU, Philips DAC: one bit early (values doubled), from the other channel's slot");

	/* CPU Philips into a left-justified part: it hears a stale bit. */
	lj.formats = BIT(GENERIC_I2S_FMT_LEFT_J);
	pf = part_fmt(&lj);
	openi2s_sink_init(&s, &pf);
	run_sink(fmt_of(OPENI2S_MODE_I2S, 2, 32, 24, 3), &s, out, NULL);
	tap_ok(verdict(&s, &ev) == OPENI2S_VERDICT_BIT_LATE && ev &&
	       (ev->heard << 1) >> 9 == ev->sent >> 9 && ev->from_slot != ev->slot,
	       "Philips CPU, left-justified DAC: one bit late (values halved), from the other channel's slot");

	/* An inverted frame sync: left and right trade places. */
	pf = part_fmt(&generic_i2s_preset_pcm5102a);
	openi2s_sink_init(&s, &pf);
	tx = fmt_of(OPENI2S_MODE_I2S, 2, 32, 24, 3);
	tx.fs_inv = true;
	run_sink(tx, &s, out, NULL);
	tap_ok(verdict(&s, &ev) == OPENI2S_VERDICT_SWAP && ev &&
	       ev->slot != ev->from_slot && ev->heard == ev->sent,
	       "inverted frame sync: channel swap (each slot hears the other's samples exactly)");

	/* A 64 fs part given 32 fs. */
	lj = generic_i2s_preset_pcm5102a;
	lj.bclk_fs = (struct generic_i2s_list){ 1, { 64 } };
	pf = part_fmt(&lj);
	openi2s_sink_init(&s, &pf);
	run_sink(fmt_of(OPENI2S_MODE_I2S, 2, 16, 16, 3), &s, out, NULL);
	tap_ok(verdict(&s, NULL) == OPENI2S_VERDICT_RATIO && s.bad_bits == 32 &&
	       s.frames == 0,
	       "a 64 fs DAC at 32 fs: clock ratio wrong (32 bit clocks), nothing decoded");

	/* A DSP-pulse part on a 50% frame sync finds no frame. */
	lj = generic_i2s_preset_pcm5102a;
	lj.formats = BIT(GENERIC_I2S_FMT_DSP_A);
	lj.bclk_fs.n = 0;
	lj.tdm_slots = 0x3;
	pf = part_fmt(&lj);
	openi2s_sink_init(&s, &pf);
	run_sink(fmt_of(OPENI2S_MODE_LEFT_J, 2, 16, 16, 3), &s, out, NULL);
	tap_ok(verdict(&s, NULL) != OPENI2S_VERDICT_LOCKED,
	       "a DSP A part in 32-bit slots on a 2x16 left-justified bus is not locked");

	/* Silence proves nothing; no frames is idle. */
	pf = part_fmt(&generic_i2s_preset_pcm5102a);
	openi2s_sink_init(&s, &pf);
	tap_ok(verdict(&s, NULL) == OPENI2S_VERDICT_IDLE, "no frames: idle");
}

/* The sine is the integer definition, close to the real one. */
static void test_signal(void)
{
	struct openi2s_signal sig = {
		.kind = OPENI2S_SIGNAL_SINE, .freq = 1000, .level = 1000,
		.rate = 48000,
	};
	double worst = 0;
	unsigned int n;
	s32 peak;

	for (n = 0; n < 48; n++) {
		double want = 8388607.0 * sin(2 * M_PI * 1000 * n / 48000.0);
		double d = fabs(openi2s_signal_sample(&sig, 0, n, 24) - want);

		if (d > worst)
			worst = d;
	}
	tap_ok(worst < 4, "sine 1 kHz, 24 bits: within %.1f LSB of sin()", worst);
	peak = openi2s_signal_sample(&sig, 0, 12, 24);
	tap_ok(peak >= 8388606 && openi2s_signal_sample(&sig, 0, 36, 24) == -peak &&
	       openi2s_signal_sample(&sig, 0, 48 * 1000 + 12, 24) == peak &&
	       openi2s_signal_sample(&sig, 0, 0, 24) == 0,
	       "sine: 0 at the start, full scale (%d) at a quarter period, its negative at three quarters, periodic",
	       peak);
	tap_ok(openi2s_signal_sample(&sig, 1, 6, 24) == peak,
	       "sine: channel 1 at twice the frequency");
	sig.level = 250;
	tap_ok(
	       abs(openi2s_signal_sample(&sig, 0, 12, 24) - 2097151) <= 1,
	       "sine: level 250/1000 peaks at a quarter of full scale (%d)",
	       openi2s_signal_sample(&sig, 0, 12, 24));
	sig.kind = OPENI2S_SIGNAL_RAMP;
	sig.freq = 3;
	tap_ok(openi2s_signal_sample(&sig, 0, 5, 18) == 15 &&
	       openi2s_signal_sample(&sig, 0, (1u << 17) / 3 + 1, 18) < 0,
	       "ramp: n times the step, wrapping to negative at 18 bits");
}

/*
 * A controller in @rx_fmt receives FRAMES frames from @n sources on one
 * line; @rows receives the samples per frame (up to 8 channels).
 */
static unsigned int run_sources(struct openi2s_frame_fmt rx_fmt,
				struct openi2s_source *src, unsigned int n,
				s32 rows[][8])
{
	struct openi2s_frame_fmt clk = rx_fmt;
	unsigned int f, i, got = 0, ch = openi2s_fmt_channels(&rx_fmt);
	struct openi2s_tx tx;
	struct openi2s_rx rx;
	struct openi2s_wire w;
	s32 in[2 * OPENI2S_FRAME_MAX_SLOTS];

	/* The provider's frame sync: an idle transmitter in its format. */
	clk.sample_width = 16;
	clk.slot_mask = 1;
	openi2s_tx_init(&tx, &clk);
	openi2s_rx_init(&rx, &rx_fmt);
	for (f = 0; f < FRAMES; f++) {
		unsigned int k, d;

		openi2s_tx_frame(&tx, NULL, &w);
		for (k = 0; k < OPENI2S_FRAME_WORDS; k++)
			w.sd[k] = 0;
		for (i = 0; i < n; i++)
			openi2s_source_frame(&src[i], &w, w.sd);
		d = openi2s_rx_feed(&rx, &w, in, 2);
		for (k = 0; k < d && got < FRAMES; k++, got++)
			memcpy(rows[got], in + k * ch, ch * sizeof(s32));
	}
	return got;
}

/* Index of @want in column @c of @rows, or -1. */
static int find(s32 rows[][8], unsigned int n, unsigned int c, s32 want)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (rows[i][c] == want)
			return (int)i;
	return -1;
}

static void test_source_mic(void)
{
	struct openi2s_part_fmt pf = part_fmt(&generic_i2s_preset_inmp441);
	static s32 rows[FRAMES][8];
	struct openi2s_source m;
	unsigned int n, i, bad = 0;
	int at;

	openi2s_source_init(&m, &pf);
	m.sig.kind = OPENI2S_SIGNAL_RAMP;
	m.sig.freq = 40503;
	openi2s_source_start(&m, 48000);
	n = run_sources(fmt_of(OPENI2S_MODE_I2S, 2, 32, 32, 3), &m, 1, rows);
	at = find(rows, n, 0, (s32)((u32)openi2s_signal_sample(&m.sig, 0, 10, 24) << 8));
	for (i = at < 0 ? n : (unsigned int)at; i < n; i++) {
		u32 want = (u32)openi2s_signal_sample(&m.sig, 0, 10 + i - at, 24) << 8;

		if ((u32)rows[i][0] != want || rows[i][1])
			bad++;
	}
	tap_ok(at >= 0 && !bad,
	       "inmp441 (left) on 2x32 Philips: the ramp's 24 bits, 8 zeros below, right slot silent (%u wrong)",
	       bad);
	tap_ok(!m.bad_bits, "inmp441 at 64 fs: no clock-ratio complaint");

	/* The same mic given 32 fs: it complains, its words are cut short. */
	openi2s_source_start(&m, 48000);
	n = run_sources(fmt_of(OPENI2S_MODE_I2S, 2, 16, 16, 3), &m, 1, rows);
	at = find(rows, n, 0, (s32)((u32)openi2s_signal_sample(&m.sig, 0, 10, 24) << 8) >> 16);
	tap_ok(m.bad_bits == 32 && at >= 0,
	       "inmp441 at 32 fs: clock ratio flagged (32 bit clocks); the controller gets the top 16 bits");
}

static void test_source_pair(void)
{
	struct generic_i2s_part right = generic_i2s_preset_ics43434;
	struct openi2s_part_fmt pl = part_fmt(&generic_i2s_preset_ics43434);
	struct openi2s_part_fmt pr;
	static s32 rows[FRAMES][8];
	struct openi2s_source m[2];
	unsigned int n, i, bad = 0;
	int at;

	right.chmode = GENERIC_I2S_CH_RIGHT;
	pr = part_fmt(&right);
	openi2s_source_init(&m[0], &pl);
	openi2s_source_init(&m[1], &pr);
	m[0].sig.kind = OPENI2S_SIGNAL_RAMP;
	m[0].sig.freq = 40503;
	m[1].sig.kind = OPENI2S_SIGNAL_RAMP;
	m[1].sig.freq = 7919;
	n = run_sources(fmt_of(OPENI2S_MODE_I2S, 2, 32, 24, 3), m, 2, rows);
	at = find(rows, n, 0, openi2s_signal_sample(&m[0].sig, 0, 20, 24));
	for (i = at < 0 ? n : (unsigned int)at; i < n; i++)
		if (rows[i][0] != openi2s_signal_sample(&m[0].sig, 0, 20 + i - at, 24) ||
		    rows[i][1] != openi2s_signal_sample(&m[1].sig, 0, 20 + i - at, 24))
			bad++;
	tap_ok(at >= 0 && !bad,
	       "a left and a right mic on one data line: each channel its own mic's ramp (%u wrong)",
	       bad);
}

/* Four amplifiers and two microphones on an 8-slot TDM bus. */
static void test_tdm_bus(void)
{
	struct openi2s_frame_fmt tx_fmt = fmt_of(OPENI2S_MODE_DSP_A, 8, 32, 32, 0x0f);
	struct generic_i2s_part p = generic_i2s_preset_max98357a;
	struct openi2s_frame_fmt rx_fmt = tx_fmt;
	struct openi2s_sink amp[4];
	struct openi2s_source mic[2];
	struct openi2s_part_fmt pf;
	struct openi2s_tx tx;
	struct openi2s_rx rx;
	struct openi2s_wire w;
	unsigned int f, i, heard_ok = 0, mic_ok = 0, got = 0;
	s32 in[16], o[32];

	p.formats = BIT(GENERIC_I2S_FMT_DSP_A);
	p.bclk_fs.n = 0;
	for (i = 0; i < 4; i++) {
		p.tdm_slots = BIT(i);
		pf = part_fmt(&p);
		openi2s_sink_init(&amp[i], &pf);
	}
	p = generic_i2s_preset_inmp441;
	p.formats = BIT(GENERIC_I2S_FMT_DSP_A);
	p.bclk_fs.n = 0;
	for (i = 0; i < 2; i++) {
		p.tdm_slots = BIT(4 + i);
		pf = part_fmt(&p);
		openi2s_source_init(&mic[i], &pf);
		mic[i].sig.kind = OPENI2S_SIGNAL_RAMP;
		mic[i].sig.freq = 1000 + i;
	}
	rx_fmt.slot_mask = 0x30;
	openi2s_tx_init(&tx, &tx_fmt);
	openi2s_rx_init(&rx, &rx_fmt);
	for (f = 0; f < FRAMES; f++) {
		u32 s[4];

		for (i = 0; i < 4; i++)
			s[i] = tone(f, i, 32);
		openi2s_tx_frame(&tx, s, &w);
		for (i = 0; i < 4; i++)
			if (openi2s_sink_frame(&amp[i], i ? &amp[i - 1] : NULL,
					       &w, &tx_fmt, s, o) &&
			    o[0] == (s32)tone(f - 1, i, 32))
				heard_ok++;
		{
			struct openi2s_wire bus = w;
			unsigned int k, d;

			for (k = 0; k < OPENI2S_FRAME_WORDS; k++)
				bus.sd[k] = 0;
			for (i = 0; i < 2; i++)
				openi2s_source_frame(&mic[i], &bus, bus.sd);
			d = openi2s_rx_feed(&rx, &bus, in, 1);
			/* Frame n of the ramps arrives when frame n + 1 starts. */
			if (d) {
				got++;
				if (in[0] == (s32)((u32)openi2s_signal_sample(&mic[0].sig, 0, f - 1, 24) << 8) &&
				    in[1] == (s32)((u32)openi2s_signal_sample(&mic[1].sig, 0, f - 1, 24) << 8))
					mic_ok++;
			}
		}
	}
	tap_ok(heard_ok >= 4 * (FRAMES - 2),
	       "TDM 8x32: each of four amplifiers hears its own slot (%u of %u frames)",
	       heard_ok, 4 * FRAMES);
	for (i = 0; i < 4; i++)
		if (verdict(&amp[i], NULL) != OPENI2S_VERDICT_LOCKED)
			break;
	tap_ok(i == 4, "TDM 8x32: all four amplifiers locked");
	tap_ok(got > FRAMES - 3 && mic_ok >= got - 1,
	       "TDM 8x32: two microphones in slots 4 and 5, each sample its ramp's (%u of %u)",
	       mic_ok, got);
}

static u32 rng = 2463534242u;

static u32 next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* An amplifier or a DAC in one random format, slots and width of its own. */
static struct openi2s_part_fmt random_sink_fmt(void)
{
	static const struct generic_i2s_part *const presets[] = {
		&generic_i2s_preset_max98357a, &generic_i2s_preset_pcm5102a,
	};
	struct openi2s_part_fmt pf;
	struct generic_i2s_err e;
	struct generic_i2s_part p;

	do {
		p = *presets[next_rand() % 2];
		p.formats = BIT(next_rand() % 5);
		p.bclk_fs.n = 0;
		p.tdm_slots = p.formats & (BIT(GENERIC_I2S_FMT_DSP_A) |
					   BIT(GENERIC_I2S_FMT_DSP_B)) ?
			      BIT(next_rand() % 4) | BIT(next_rand() % 4) : 0;
		if (next_rand() % 2)
			p.samples = BIT(GENERIC_I2S_S16_LE);
		p.inversions = BIT(next_rand() % 4);
	} while (openi2s_part_fmt_from(&p, &pf, &e));
	return pf;
}

static bool same_state(const struct openi2s_sink *a,
		       const struct openi2s_sink *b)
{
	const struct openi2s_evidence *ea, *eb;

	return a->frames == b->frames && a->checksum == b->checksum &&
	       a->rx.fs_errors == b->rx.fs_errors &&
	       a->bad_bits == b->bad_bits &&
	       !memcmp(a->judged, b->judged, sizeof(a->judged)) &&
	       openi2s_sink_verdict(a, &ea) == openi2s_sink_verdict(b, &eb);
}

static bool alike(const struct openi2s_sink *a, const struct openi2s_sink *b)
{
	return a->rx_ok && b->rx_ok && a->fmt.mode == b->fmt.mode &&
	       a->fmt.fs_inv == b->fmt.fs_inv && a->fmt.slots == b->fmt.slots &&
	       a->fmt.slot_width == b->fmt.slot_width;
}

/*
 * What the sink played of @n frames, @out, against a receiver of its own
 * slots and sample width fed the same wire: its significant bits, in its
 * channel mode ("mix" is (L + R) / 2).
 */
static bool plays(const struct openi2s_sink *s, struct openi2s_rx *rx,
		  const struct openi2s_wire *w, const s32 *out, unsigned int n)
{
	unsigned int ch = openi2s_fmt_channels(&s->fmt), i, c;
	unsigned int drop = s->pf.sig_bits < s->fmt.sample_width ?
			    s->fmt.sample_width - s->pf.sig_bits : 0;
	s32 in[2 * OPENI2S_FRAME_MAX_SLOTS];

	if (openi2s_rx_feed(rx, w, in, 2) != n)
		return false;
	for (i = 0; i < n; i++) {
		const s32 *v = in + i * ch, *o = out + i * s->channels;

		for (c = 0; c < ch; c++)
			in[i * ch + c] = (s32)((u32)v[c] & ~((1u << drop) - 1));
		if (s->channels == 1 && ch == 2) {
			if (o[0] != (s32)(((s64)v[0] + v[1]) >> 1))
				return false;
			continue;
		}
		for (c = 0; c < ch; c++)
			if (o[c] != v[c])
				return false;
	}
	return true;
}

/*
 * Sinks that frame the bus alike share one receiver's reading of each
 * frame. Random buses and parts, with frame-length changes, noise,
 * flipped frame-sync bits and single sinks reset mid-stream: each sink
 * sharing its neighbour's receiver must hear exactly what the same sink
 * with a receiver of its own hears.
 */
static void test_sinks_share_receivers(void)
{
	static const enum openi2s_mode modes[] = {
		OPENI2S_MODE_I2S, OPENI2S_MODE_LEFT_J, OPENI2S_MODE_RIGHT_J,
		OPENI2S_MODE_DSP_A, OPENI2S_MODE_DSP_B,
	};
	static const unsigned int widths[] = { 16, 24, 32 };
	static struct openi2s_sink own[4], shared[4];
	static struct openi2s_rx direct[4];
	unsigned int trial, f, i, k, differ = 0, shares = 0, frames = 0;
	unsigned int bits[4];

	for (trial = 0; trial < 300 && !differ; trial++) {
		struct openi2s_frame_fmt tx_fmt = fmt_of(OPENI2S_MODE_I2S, 2, 32,
							  32, 3);
		struct openi2s_tx tx;

		for (i = 0; i < 4; i++) {
			struct openi2s_part_fmt pf = random_sink_fmt();

			openi2s_sink_init(&own[i], &pf);
			openi2s_sink_init(&shared[i], &pf);
		}
		openi2s_tx_init(&tx, &tx_fmt);
		memset(bits, 0, sizeof(bits));
		for (f = 0; f < 200 && !differ; f++) {
			s32 oa[2 * OPENI2S_FRAME_MAX_SLOTS];
			s32 ob[2 * OPENI2S_FRAME_MAX_SLOTS];
			u32 smp[OPENI2S_FRAME_MAX_SLOTS];
			unsigned int r = next_rand() % 100, na, nb;
			struct openi2s_wire w;

			if (f % 50 == 0) {
				/* A new stream: another frame length. */
				do {
					tx_fmt = fmt_of(modes[next_rand() % 5],
							2 << next_rand() % 3,
							widths[next_rand() % 3],
							16, 3);
				} while (!openi2s_fmt_valid(&tx_fmt));
				openi2s_tx_init(&tx, &tx_fmt);
			}
			for (k = 0; k < OPENI2S_FRAME_MAX_SLOTS; k++)
				smp[k] = next_rand() & 0xffff;
			openi2s_tx_frame(&tx, r < 5 ? NULL : smp, &w);
			if (r >= 95)
				w.fs[0] ^= 1u << (31 - next_rand() % 16);
			if (r == 50) {
				k = next_rand() % 4;
				openi2s_sink_reset(&own[k]);
				openi2s_sink_reset(&shared[k]);
			}
			for (i = 0; i < 4 && !differ; i++) {
				na = openi2s_sink_frame(&own[i], NULL, &w,
							&tx_fmt, smp, oa);
				nb = openi2s_sink_frame(&shared[i],
							i ? &shared[i - 1] : NULL,
							&w, &tx_fmt, smp, ob);
				frames += na;
				shares += i && na && alike(&own[i], &own[i - 1]);
				differ = na != nb ||
					 memcmp(oa, ob, na * own[i].channels *
						sizeof(*oa));
				/* A receiver in the part's own slots and width. */
				if (w.bits != bits[i] && own[i].rx_ok)
					openi2s_rx_init(&direct[i], &own[i].fmt);
				bits[i] = w.bits;
				if (own[i].rx_ok)
					differ |= !plays(&own[i], &direct[i], &w,
							 oa, na);
			}
		}
		for (i = 0; i < 4; i++)
			differ |= !same_state(&own[i], &shared[i]);
	}
	tap_ok(!differ && shares > 3000,
	       "sinks framing the bus alike share a receiver and play what a receiver of their own slots would give them: %u frames, %u shared (trial %u %s)",
	       frames, shares, trial, differ ? "differs" : "agrees");
}

int main(void)
{
	test_preset_formats();
	test_tdm_part_fmt();
	test_sink_locked();
	test_sink_mix();
	test_sink_mismatches();
	test_signal();
	test_source_mic();
	test_source_pair();
	test_tdm_bus();
	test_sinks_share_receivers();
	return tap_done();
}
