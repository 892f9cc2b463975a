// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The seed's RX example in C: 22.05 kHz, 32-bit STEREO, a 16 KiB ibuf,
 * reading in the blocking style and printing each channel's peak level
 * ten times a second.
 *
 *   MicroPython:  audio_in = I2S(2, sck=Pin("P2"), ws=Pin("P3"),
 *                     sd=Pin("P1"), mode=I2S.RX, bits=32,
 *                     format=I2S.STEREO, rate=22050, ibuf=16384)
 *                 num_read = audio_in.readinto(buf)
 */
#include <math.h>
#include <stdint.h>

#include "example-args.h"

#define RATE	22050

static double dbfs(int64_t peak)
{
	return peak ? 20 * log10((double)peak / 2147483648.0) : -INFINITY;
}

int main(int argc, char **argv)
{
	struct example_args args = { .seconds = 1 };
	struct machine_i2s_config cfg = {
		.sck = "P2", .ws = "P3", .sd = "P1",
		.mode = MACHINE_I2S_RX, .bits = 32, .format = MACHINE_I2S_STEREO,
		.rate = RATE, .ibuf = 16384,
	};
	int32_t buf[RATE / 10 * 2];	/* 100 ms of left, right pairs */
	struct machine_i2s_stats st;
	struct machine_i2s *in;
	int blocks, b;
	size_t i;

	example_parse(argc, argv, &args, "");
	cfg.id = args.id;
	cfg.device = args.device;
	in = machine_i2s_new(&cfg);
	if (!in)
		return example_fail("I2S");
	blocks = (int)(args.seconds * 10);
	for (b = 0; b < blocks; b++) {
		int64_t peak[2] = { 0, 0 };

		if (machine_i2s_readinto(in, buf, sizeof(buf)) < 0)
			return example_fail("readinto");
		for (i = 0; i < sizeof(buf) / sizeof(buf[0]); i++) {
			int64_t v = llabs((int64_t)buf[i]);

			if (v > peak[i % 2])
				peak[i % 2] = v;
		}
		printf("L %6.1f dBFS  R %6.1f dBFS\n", dbfs(peak[0]),
		       dbfs(peak[1]));
	}
	machine_i2s_get_stats(in, &st);
	printf("read %.1f s at %d Hz on %s, %llu overruns\n",
	       (double)st.frames / RATE, RATE, machine_i2s_device(in),
	       (unsigned long long)st.xruns);
	machine_i2s_free(in);
	return 0;
}
