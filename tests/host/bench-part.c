// SPDX-License-Identifier: GPL-2.0
/*
 * What the part models cost the simulated SoC's frame loop, on the host:
 * frames per second of the loopback wire (the controller's transmitter
 * and receiver, the anchor) against the same frames with parts on the
 * wire (sinks hearing the transmit line, sources driving the receive
 * line the controller decodes), measured in the same run. A benchmark,
 * not a test.
 */
#include <stdio.h>
#include <time.h>

#include "openi2s-part.h"

#define FRAMES	200000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Frames per second with @sinks and @sources on the wire (none: loopback). */
static double run(struct openi2s_frame_fmt f, struct openi2s_sink *sink,
		  unsigned int sinks, struct openi2s_source *src,
		  unsigned int sources)
{
	static struct openi2s_rx rx;
	struct openi2s_wire w, bus;
	u32 out[OPENI2S_FRAME_MAX_SLOTS] = { 0 };
	s32 in[OPENI2S_FRAME_MAX_SLOTS], o[2 * OPENI2S_FRAME_MAX_SLOTS];
	struct openi2s_tx tx;
	unsigned long n, got = 0;
	unsigned int i, k;
	double t0;

	openi2s_tx_init(&tx, &f);
	openi2s_rx_init(&rx, &f);
	t0 = now();
	for (n = 0; n < FRAMES; n++) {
		out[0] = n * 2654435761u;
		out[1] = n;
		openi2s_tx_frame(&tx, out, &w);
		if (!sinks && !sources) {
			got += openi2s_rx_feed(&rx, &w, in, 1);
			continue;
		}
		for (i = 0; i < sinks; i++)
			got += openi2s_sink_frame(&sink[i],
						  i ? &sink[i - 1] : NULL,
						  &w, &f, out, o);
		bus.bits = w.bits;
		for (k = 0; k < OPENI2S_FRAME_WORDS; k++) {
			bus.fs[k] = w.fs[k];
			bus.sd[k] = 0;
		}
		for (i = 0; i < sources; i++)
			openi2s_source_frame(&src[i], &w, bus.sd);
		got += openi2s_rx_feed(&rx, &bus, in, 1);
	}
	if (!got)
		printf("(nothing decoded)\n");
	return FRAMES / (now() - t0);
}

static struct openi2s_part_fmt fmt(const struct generic_i2s_part *p,
				   unsigned int formats, u32 tdm_slots)
{
	struct generic_i2s_part q = *p;
	struct openi2s_part_fmt pf;
	struct generic_i2s_err e;

	if (formats)
		q.formats = formats;
	if (tdm_slots) {
		q.tdm_slots = tdm_slots;
		q.bclk_fs.n = 0;
	}
	openi2s_part_fmt_from(&q, &pf, &e);
	return pf;
}

int main(void)
{
	struct openi2s_frame_fmt i2s = { OPENI2S_MODE_I2S, false, false,
					 2, 32, 32, 0x3 };
	struct openi2s_frame_fmt tdm = { OPENI2S_MODE_DSP_A, false, false,
					 8, 32, 32, 0x3f };
	struct openi2s_part_fmt pf;
	struct openi2s_sink sink[4];
	struct openi2s_source src[2];
	double anchor, parts;
	unsigned int i;

	printf("part models in the frame loop, host CPU (frames/s; ratio to the loopback wire):\n");
	anchor = run(i2s, NULL, 0, NULL, 0);
	pf = fmt(&generic_i2s_preset_pcm5102a, 0, 0);
	openi2s_sink_init(&sink[0], &pf);
	pf = fmt(&generic_i2s_preset_inmp441, 0, 0);
	openi2s_source_init(&src[0], &pf);
	parts = run(i2s, sink, 1, src, 1);
	printf("%-44s %10.0f   loopback %10.0f   %.2fx\n",
	       "i2s 2 x 32: a DAC and a microphone", parts, anchor,
	       parts / anchor);

	anchor = run(tdm, NULL, 0, NULL, 0);
	for (i = 0; i < 4; i++) {
		pf = fmt(&generic_i2s_preset_max98357a,
			 BIT(GENERIC_I2S_FMT_DSP_A), BIT(i));
		openi2s_sink_init(&sink[i], &pf);
	}
	for (i = 0; i < 2; i++) {
		pf = fmt(&generic_i2s_preset_inmp441,
			 BIT(GENERIC_I2S_FMT_DSP_A), BIT(4 + i));
		openi2s_source_init(&src[i], &pf);
	}
	parts = run(tdm, sink, 4, src, 2);
	printf("%-44s %10.0f   loopback %10.0f   %.2fx\n",
	       "dsp_a 8 x 32: four amplifiers, two mics", parts, anchor,
	       parts / anchor);
	return 0;
}
