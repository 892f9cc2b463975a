// SPDX-License-Identifier: GPL-2.0
/*
 * Throughput of the bit framer on the host: frames serialised onto the
 * wire and deserialised again per second, and the bit clocks per second
 * that makes, for typical frame shapes. A benchmark, not a test: it tells
 * how much of real time the simulated SoC spends framing.
 */
#include <stdio.h>
#include <time.h>

#include "openi2s-frame.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void bench(const char *name, struct openi2s_frame_fmt f)
{
	static struct openi2s_rx rx;
	struct openi2s_tx tx;
	struct openi2s_wire w;
	u32 out[OPENI2S_FRAME_MAX_SLOTS] = { 0 };
	s32 in[OPENI2S_FRAME_MAX_SLOTS];
	unsigned long n, frames = 200000, got = 0;
	double t0, dt;

	openi2s_tx_init(&tx, &f);
	openi2s_rx_init(&rx, &f);
	t0 = now();
	for (n = 0; n < frames; n++) {
		out[0] = n;
		openi2s_tx_frame(&tx, out, &w);
		got += openi2s_rx_feed(&rx, &w, in, 1);
	}
	dt = now() - t0;
	printf("%-28s %10.0f frames/s %8.1f Mbit/s  (%lu decoded)\n", name,
	       frames / dt, frames * openi2s_fmt_frame_bits(&f) / dt / 1e6,
	       got);
}

int main(void)
{
	printf("bit framer, TX + RX per frame, host CPU:\n");
	bench("i2s 2 x 16 (S16 stereo)", (struct openi2s_frame_fmt){
		OPENI2S_MODE_I2S, false, false, 2, 16, 16, 0x3 });
	bench("i2s 2 x 32 (S24 stereo)", (struct openi2s_frame_fmt){
		OPENI2S_MODE_I2S, false, false, 2, 32, 24, 0x3 });
	bench("dsp_a 8 x 32 (TDM8)", (struct openi2s_frame_fmt){
		OPENI2S_MODE_DSP_A, false, false, 8, 32, 32, 0xff });
	bench("dsp_b 16 x 32 (TDM16)", (struct openi2s_frame_fmt){
		OPENI2S_MODE_DSP_B, false, false, 16, 32, 32, 0xffff });
	return 0;
}
