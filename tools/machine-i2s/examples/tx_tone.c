// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The seed's TX example in C: 44.1 kHz, 16-bit MONO, a 16 KiB ibuf,
 * playing a 440 Hz tone in the blocking style.
 *
 *   MicroPython:  audio_out = I2S(2, sck=Pin("P2"), ws=Pin("P3"),
 *                     sd=Pin("P0"), mode=I2S.TX, bits=16,
 *                     format=I2S.MONO, rate=44100, ibuf=16384)
 *                 audio_out.write(buf)
 */
#include <math.h>
#include <stdint.h>

#include "example-args.h"

#define RATE	44100

int main(int argc, char **argv)
{
	struct example_args args = { .seconds = 2 };
	struct machine_i2s_config cfg = {
		.sck = "P2", .ws = "P3", .sd = "P0",
		.mode = MACHINE_I2S_TX, .bits = 16, .format = MACHINE_I2S_MONO,
		.rate = RATE, .ibuf = 16384,
	};
	int16_t buf[RATE / 10];	/* 100 ms: 4410 samples */
	struct machine_i2s_stats st;
	struct machine_i2s *out;
	long n = 0, total;
	size_t i;

	example_parse(argc, argv, &args, "");
	cfg.id = args.id;
	cfg.device = args.device;
	out = machine_i2s_new(&cfg);
	if (!out)
		return example_fail("I2S");
	total = (long)(args.seconds * RATE);
	while (n < total) {
		for (i = 0; i < sizeof(buf) / sizeof(buf[0]); i++, n++)
			buf[i] = (int16_t)(8000 * sin(2 * M_PI * 440 * n / RATE));
		if (machine_i2s_write(out, buf, sizeof(buf)) < 0)
			return example_fail("write");
	}
	machine_i2s_drain(out);
	machine_i2s_get_stats(out, &st);
	printf("played %.1f s at %d Hz on %s, %llu underruns\n",
	       (double)st.frames / RATE, RATE, machine_i2s_device(out),
	       (unsigned long long)st.xruns);
	machine_i2s_free(out);
	return 0;
}
