// SPDX-License-Identifier: GPL-2.0
/*
 * libmachine-i2s benchmarks, printed by `make bench`:
 *
 *   bench-machine-i2s write|writei SECONDS PCM
 *	play SECONDS of 48 kHz 16-bit stereo silence to PCM through the
 *	library's write() or a plain snd_pcm_writei() loop; run under
 *	callgrind, which counts the instructions between the toggles only.
 *   bench-machine-i2s shift MIB
 *	shift() and shift_saturating() throughput against memcpy(), in
 *	cache and over MIB MiB.
 */
#include <alsa/asoundlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <valgrind/callgrind.h>

#include "machine_i2s.h"

#define RATE	48000
#define CHUNK	1024	/* frames per call, as an application would */

static int play_lib(double seconds, const char *pcm)
{
	struct machine_i2s_config cfg = {
		.device = pcm, .mode = MACHINE_I2S_TX, .bits = 16,
		.format = MACHINE_I2S_STEREO, .rate = RATE, .ibuf = 16384,
	};
	static int16_t buf[CHUNK * 2];
	struct machine_i2s *o = machine_i2s_new(&cfg);
	long n, calls = (long)(seconds * RATE / CHUNK);

	if (!o) {
		fprintf(stderr, "%s\n", machine_i2s_last_error());
		return 1;
	}
	CALLGRIND_TOGGLE_COLLECT;
	for (n = 0; n < calls; n++)
		machine_i2s_write(o, buf, sizeof(buf));
	CALLGRIND_TOGGLE_COLLECT;
	machine_i2s_free(o);
	return 0;
}

static int play_alsa(double seconds, const char *name)
{
	static int16_t buf[CHUNK * 2];
	long n, calls = (long)(seconds * RATE / CHUNK);
	snd_pcm_t *pcm;

	if (snd_pcm_open(&pcm, name, SND_PCM_STREAM_PLAYBACK, 0) < 0 ||
	    snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE,
			       SND_PCM_ACCESS_RW_INTERLEAVED, 2, RATE, 0,
			       85333) < 0) {
		fprintf(stderr, "cannot open %s\n", name);
		return 1;
	}
	CALLGRIND_TOGGLE_COLLECT;
	for (n = 0; n < calls; n++)
		if (snd_pcm_writei(pcm, buf, CHUNK) < 0)
			snd_pcm_prepare(pcm);
	CALLGRIND_TOGGLE_COLLECT;
	snd_pcm_close(pcm);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds for variant @i over @len bytes, @reps times. */
static double shift_time(int i, unsigned char *a, unsigned char *b,
			 size_t len, int reps)
{
	double t = now();
	int k;

	for (k = 0; k < reps; k++)
		switch (i) {
		case 0: memcpy(b, a, len); break;
		case 1: machine_i2s_shift(b, len, 16, -3); break;
		case 2: machine_i2s_shift(b, len, 32, -3); break;
		case 3: machine_i2s_shift_saturating(b, len, 16, 3); break;
		case 4: machine_i2s_shift_saturating(b, len, 32, 3); break;
		}
	return now() - t;
}

/*
 * shift() in place against memcpy() between two buffers, in cache
 * (64 KiB, repeated to the large size) and at @mib MiB.
 */
static int shift_speed(int mib)
{
	size_t big = (size_t)mib << 20, small = 64 << 10;
	size_t size[2] = { small, big };
	int reps[2] = { (int)(big / small), 1 };
	unsigned char *a = malloc(big), *b = malloc(big);
	const char *what[5] = { "memcpy", "shift 16-bit -3", "shift 32-bit -3",
				"saturating 16-bit +3", "saturating 32-bit +3" };
	double t[2][5], dt;
	int i, r, z;

	for (size_t k = 0; k < big; k++)
		a[k] = (unsigned char)(k * 131);
	memcpy(b, a, big);
	/* Best of seven rounds, the variants interleaved in each round. */
	for (z = 0; z < 2; z++)
		for (r = 0; r < 7; r++)
			for (i = 0; i < 5; i++) {
				dt = shift_time(i, a, b, size[z], reps[z]);
				if (!r || dt < t[z][i])
					t[z][i] = dt;
			}
	printf("  %-22s %8s %10s %5d MiB %10s\n", "", "64 KiB", "", mib, "");
	printf("  %-22s %8s %10s %8s %10s\n", "on the same buffer", "GB/s",
	       "vs memcpy", "GB/s", "vs memcpy");
	for (i = 0; i < 5; i++)
		printf("  %-22s %8.2f %9.2fx %8.2f %9.2fx\n", what[i],
		       (double)big / t[0][i] / 1e9, t[0][0] / t[0][i],
		       (double)big / t[1][i] / 1e9, t[1][0] / t[1][i]);
	free(a);
	free(b);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "write"))
		return play_lib(atof(argv[2]), argv[3]);
	if (argc == 4 && !strcmp(argv[1], "writei"))
		return play_alsa(atof(argv[2]), argv[3]);
	if (argc == 3 && !strcmp(argv[1], "shift") && atoi(argv[2]) >= 1)
		return shift_speed(atoi(argv[2]));
	fprintf(stderr, "usage: %s write|writei SECONDS PCM | shift MIB (>= 1)\n",
		argv[0]);
	return 2;
}
