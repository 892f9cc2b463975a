// SPDX-License-Identifier: LGPL-2.1-or-later
/* Play a PCM WAV file (16/24/32-bit, mono or stereo) on an I2S bus. */
#include "example-args.h"
#include "wav.h"

int main(int argc, char **argv)
{
	struct example_args args = { 0 };
	static unsigned char buf[1 << 16];
	struct machine_i2s_stats st;
	struct machine_i2s *out;
	struct wav_info w;
	size_t frame, n;
	uint32_t left;
	FILE *f;

	example_parse(argc, argv, &args, "FILE.wav");
	if (!args.file)
		example_usage(argv[0], "FILE.wav");
	f = fopen(args.file, "rb");
	if (!f || wav_read_header(f, &w)) {
		fprintf(stderr, "%s: not a PCM WAV file\n", args.file);
		return 1;
	}
	out = example_open(&args, MACHINE_I2S_TX, w.bits, w.channels, w.rate);
	if (!out)
		return example_fail("I2S");
	frame = w.channels * w.bits / 8;
	for (left = w.data_bytes; left; left -= (uint32_t)n) {
		n = left < sizeof(buf) ? left : sizeof(buf);
		n = fread(buf, 1, n - n % frame, f);
		if (!n)
			break;
		if (machine_i2s_write(out, buf, n) < 0)
			return example_fail("write");
	}
	machine_i2s_drain(out);
	machine_i2s_get_stats(out, &st);
	printf("%s: %u Hz, %u-bit, %u channel(s), %.2f s on %s, %llu underruns\n",
	       args.file, w.rate, w.bits, w.channels,
	       (double)st.frames / w.rate, machine_i2s_device(out),
	       (unsigned long long)st.xruns);
	machine_i2s_free(out);
	fclose(f);
	return 0;
}
