// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Record a PCM WAV file from an I2S bus: wav_record [-t SECONDS]
 * [-r RATE] [-b BITS] [-c CHANNELS] FILE.wav (defaults 2 s, 48000, 16, 2).
 * Ctrl-C (SIGINT) or SIGTERM ends the recording early, with a valid file.
 */
#include <signal.h>

#include "example-args.h"
#include "wav.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct example_args args = { .seconds = 2 };
	struct wav_info w = { .channels = 2, .rate = 48000, .bits = 16 };
	static unsigned char buf[1 << 15];
	struct machine_i2s_stats st;
	struct machine_i2s *in;
	size_t frame, chunk;
	uint64_t left;
	char *rest[16];
	int i, nrest = 0;
	FILE *f;

	/* Take -r/-b/-c here, the common options in example_parse(). */
	rest[nrest++] = argv[0];
	for (i = 1; i < argc && nrest < 15; i++) {
		if (!strcmp(argv[i], "-r") && i + 1 < argc)
			w.rate = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "-b") && i + 1 < argc)
			w.bits = (unsigned int)atoi(argv[++i]);
		else if (!strcmp(argv[i], "-c") && i + 1 < argc)
			w.channels = (unsigned int)atoi(argv[++i]);
		else
			rest[nrest++] = argv[i];
	}
	example_parse(nrest, rest, &args, "[-r RATE] [-b BITS] [-c CH] FILE.wav");
	if (!args.file)
		example_usage(argv[0], "[-r RATE] [-b BITS] [-c CH] FILE.wav");
	in = example_open(&args, MACHINE_I2S_RX, w.bits, w.channels, w.rate);
	if (!in)
		return example_fail("I2S");
	f = fopen(args.file, "wb");
	if (!f || wav_write_header(f, &w)) {
		perror(args.file);
		return 1;
	}
	/* The chunk being read ends first: its samples are kept. */
	sigaction(SIGINT, &(struct sigaction){ .sa_handler = on_signal }, NULL);
	sigaction(SIGTERM, &(struct sigaction){ .sa_handler = on_signal }, NULL);
	frame = w.channels * w.bits / 8;
	chunk = sizeof(buf) - sizeof(buf) % frame;
	for (left = (uint64_t)(args.seconds * w.rate) * frame; left && !stop;
	     left -= chunk) {
		if (chunk > left)
			chunk = (size_t)left;
		if (machine_i2s_readinto(in, buf, chunk) < 0)
			return example_fail("readinto");
		if (fwrite(buf, 1, chunk, f) != chunk) {
			perror(args.file);
			return 1;
		}
		w.data_bytes += (uint32_t)chunk;
	}
	machine_i2s_get_stats(in, &st);
	if (wav_write_header(f, &w) || fclose(f)) {
		perror(args.file);
		return 1;
	}
	printf("%s: %u Hz, %u-bit, %u channel(s), %.2f s from %s, %llu overruns\n",
	       args.file, w.rate, w.bits, w.channels,
	       (double)st.frames / w.rate, machine_i2s_device(in),
	       (unsigned long long)st.xruns);
	machine_i2s_free(in);
	return 0;
}
