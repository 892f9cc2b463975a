// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the OpenI2S bit framer as the simulated SoC uses it (the
 * same source also runs as a host test, tests/host/test-frame.c).
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "openi2s-frame.h"

static u32 line_bits(const u32 *line, unsigned int from, unsigned int n)
{
	u32 v = 0;

	while (n--)
		v = (v << 1) | openi2s_wire_bit(line, from++);
	return v;
}

/* +45000 as 24 bits left-justified in a 32-bit slot (reference article). */
static void openi2s_frame_golden_left_j(struct kunit *test)
{
	struct openi2s_frame_fmt f = {
		.mode = OPENI2S_MODE_LEFT_J, .slots = 2, .slot_width = 32,
		.sample_width = 24, .slot_mask = 3,
	};
	u32 samples[2] = { 45000, 0 };
	struct openi2s_tx tx;
	struct openi2s_wire w;

	openi2s_tx_init(&tx, &f);
	openi2s_tx_frame(&tx, samples, &w);
	KUNIT_EXPECT_EQ(test, w.sd[0], 0x00afc800);
	KUNIT_EXPECT_EQ(test, w.fs[0], 0xffffffff);
	KUNIT_EXPECT_EQ(test, w.fs[1], 0);
}

/* Philips: WS changes one bit clock before the MSB. */
static void openi2s_frame_golden_philips(struct kunit *test)
{
	struct openi2s_frame_fmt f = {
		.mode = OPENI2S_MODE_I2S, .slots = 2, .slot_width = 16,
		.sample_width = 16, .slot_mask = 3,
	};
	u32 samples[2] = { 0x8001, 0x7ffe };
	struct openi2s_tx tx;
	struct openi2s_wire w;

	openi2s_tx_init(&tx, &f);
	openi2s_tx_frame(&tx, samples, &w);
	KUNIT_EXPECT_EQ(test, line_bits(w.fs, 15, 2), 0x1);
	KUNIT_EXPECT_EQ(test, line_bits(w.sd, 1, 16), 0x8001);
	KUNIT_EXPECT_EQ(test, line_bits(w.sd, 17, 15), 0x7ffe >> 1);
}

/* DSP A: pulse at bit 0, MSB at bit 1; DSP B: MSB with the pulse. */
static void openi2s_frame_golden_dsp(struct kunit *test)
{
	struct openi2s_frame_fmt f = {
		.mode = OPENI2S_MODE_DSP_A, .slots = 4, .slot_width = 16,
		.sample_width = 16, .slot_mask = 0xf,
	};
	u32 samples[4] = { 0xffff, 0, 0, 0 };
	struct openi2s_tx tx;
	struct openi2s_wire w;

	openi2s_tx_init(&tx, &f);
	openi2s_tx_frame(&tx, samples, &w);
	KUNIT_EXPECT_EQ(test, line_bits(w.fs, 0, 2), 0x2);
	KUNIT_EXPECT_EQ(test, line_bits(w.sd, 0, 18), 0x1fffe);
	f.mode = OPENI2S_MODE_DSP_B;
	openi2s_tx_init(&tx, &f);
	openi2s_tx_frame(&tx, samples, &w);
	KUNIT_EXPECT_EQ(test, line_bits(w.sd, 0, 17), 0x1fffe);
}

static u32 test_sample(unsigned int frame, unsigned int ch, unsigned int width)
{
	return (frame * 0x01010101u + ch * 0x2468ace1u) & GENMASK(width - 1, 0);
}

/* Send six frames of @f through the wire; check the fifth decodes exactly. */
static void round_trip_one(struct kunit *test, const struct openi2s_frame_fmt *f)
{
	unsigned int ch, n, w = f->sample_width;
	struct openi2s_tx tx;
	struct openi2s_rx *rx;
	struct openi2s_wire wire;
	u32 out[OPENI2S_FRAME_MAX_SLOTS];
	s32 in[OPENI2S_FRAME_MAX_SLOTS];

	rx = kunit_kzalloc(test, sizeof(*rx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rx);
	openi2s_tx_init(&tx, f);
	openi2s_rx_init(rx, f);
	for (n = 0; n < 6; n++) {
		unsigned int got;

		for (ch = 0; ch < f->slots; ch++)
			out[ch] = test_sample(n, ch, w);
		openi2s_tx_frame(&tx, out, &wire);
		got = openi2s_rx_feed(rx, &wire, in, 1);
		/* Frame n is decoded once frame n + 1 starts. */
		if (n >= 1)
			KUNIT_EXPECT_EQ(test, got, 1);
	}
	KUNIT_EXPECT_EQ(test, rx->fs_errors, 0);
	for (ch = 0; ch < f->slots; ch++)
		KUNIT_EXPECT_EQ_MSG(test, (u32)in[ch] & GENMASK(w - 1, 0),
				    test_sample(4, ch, w),
				    "mode %u, %u x %u bits, %u-bit samples",
				    f->mode, f->slots, f->slot_width, w);
	kunit_kfree(test, rx);
}

/* Every valid format round-trips bit for bit through the wire. */
static void openi2s_frame_round_trip(struct kunit *test)
{
	static const unsigned int slot_ws[] = { 16, 24, 32 };
	static const unsigned int widths[] = { 16, 20, 24, 32 };
	struct openi2s_frame_fmt f = { };
	unsigned int a, b;

	for (f.mode = 0; f.mode <= OPENI2S_MODE_DSP_B; f.mode++) {
		for (a = 0; a < ARRAY_SIZE(slot_ws) * ARRAY_SIZE(widths); a++) {
			f.slot_width = slot_ws[a / ARRAY_SIZE(widths)];
			f.sample_width = widths[a % ARRAY_SIZE(widths)];
			for (b = 1; b <= OPENI2S_FRAME_MAX_SLOTS; b *= 2) {
				f.slots = b;
				f.slot_mask = GENMASK(b - 1, 0);
				if (openi2s_fmt_valid(&f))
					round_trip_one(test, &f);
			}
		}
	}
}

static struct kunit_case openi2s_frame_cases[] = {
	KUNIT_CASE(openi2s_frame_golden_left_j),
	KUNIT_CASE(openi2s_frame_golden_philips),
	KUNIT_CASE(openi2s_frame_golden_dsp),
	KUNIT_CASE(openi2s_frame_round_trip),
	{ }
};

static struct kunit_suite openi2s_frame_suite = {
	.name = "openi2s-frame",
	.test_cases = openi2s_frame_cases,
};

kunit_test_suite(openi2s_frame_suite);

MODULE_DESCRIPTION("KUnit tests of the OpenI2S bit framer");
MODULE_LICENSE("GPL");
