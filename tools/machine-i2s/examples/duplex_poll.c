// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Full duplex from one poll() loop: a TX and an RX object on the same
 * bus, both non-blocking, driven by their machine_i2s_fileno()
 * descriptors as asyncio would drive MicroPython's I2S streams.  TX plays
 * a counting sequence; RX records.  On a board whose data out is wired to
 * data in (the OpenI2S virtual board's loopback) it checks that the
 * sequence came back bit for bit.  48 kHz, 16-bit STEREO.
 */
#include <poll.h>
#include <errno.h>
#include <stdint.h>

#include "example-args.h"

#define RATE	48000

/* Frame k of the sequence; never all zero, so it stands out from the
 * silence before it on the wire. */
static void seq_frame(int16_t *lr, long k)
{
	lr[0] = (int16_t)(k % 30000 + 1);
	lr[1] = (int16_t)-lr[0];
}

int main(int argc, char **argv)
{
	struct example_args args = { .seconds = 1 };
	struct machine_i2s_config cfg = {
		.bits = 16, .format = MACHINE_I2S_STEREO, .rate = RATE,
		.ibuf = 32768,
	};
	struct machine_i2s *tx, *rx;
	struct machine_i2s_stats ts, rs;
	long play, rec_len, sent = 0, got = 0, first = -1, k, bad = 0;
	int16_t chunk[2 * 512], *rec;
	struct pollfd p[2];

	example_parse(argc, argv, &args, "");
	cfg.id = args.id;
	cfg.device = args.device;
	cfg.mode = MACHINE_I2S_RX;
	rx = machine_i2s_new(&cfg);
	cfg.mode = MACHINE_I2S_TX;
	tx = rx ? machine_i2s_new(&cfg) : NULL;
	if (!tx)
		return example_fail("I2S");
	play = (long)(args.seconds * RATE);
	rec_len = play + RATE / 2;	/* room for the wire's latency */
	rec = calloc((size_t)rec_len, 4);
	machine_i2s_set_nonblocking(tx, true);
	machine_i2s_set_nonblocking(rx, true);
	p[0].fd = machine_i2s_fileno(tx);
	p[1].fd = machine_i2s_fileno(rx);
	p[0].events = p[1].events = POLLIN;
	if (!rec || p[0].fd < 0 || p[1].fd < 0)
		return example_fail("fileno");

	/* TX sends the sequence then silence until RX has all it needs. */
	while (got < rec_len) {
		if (poll(p, 2, 2000) <= 0) {
			fprintf(stderr, "poll: timed out\n");
			return 1;
		}
		if (p[0].revents & POLLIN) {
			long n = 512, i;
			ssize_t w;

			for (i = 0; i < n; i++) {
				if (sent + i < play)
					seq_frame(chunk + 2 * i, sent + i);
				else
					chunk[2 * i] = chunk[2 * i + 1] = 0;
			}
			w = machine_i2s_write(tx, chunk, sizeof(chunk));
			if (w < 0 && w != -EAGAIN)
				return example_fail("write");
			if (w > 0)
				sent += w / 4;
		}
		if (p[1].revents & POLLIN) {
			ssize_t r = machine_i2s_readinto(rx, rec + 2 * got,
							 (size_t)(rec_len - got) * 4);

			if (r < 0 && r != -EAGAIN)
				return example_fail("readinto");
			if (r > 0)
				got += r / 4;
		}
	}
	machine_i2s_get_stats(tx, &ts);
	machine_i2s_get_stats(rx, &rs);
	printf("sent %ld frames (%llu underruns), received %ld (%llu overruns)\n",
	       sent, (unsigned long long)ts.xruns, got,
	       (unsigned long long)rs.xruns);

	for (k = 0; k < rec_len && first < 0; k++)
		if (rec[2 * k] || rec[2 * k + 1])
			first = k;
	if (first < 0 || first + play > rec_len) {
		printf("loopback: the sequence did not come back\n");
		return 1;
	}
	for (k = 0; k < play; k++) {
		int16_t want[2];

		seq_frame(want, k);
		bad += rec[2 * (first + k)] != want[0] ||
		       rec[2 * (first + k) + 1] != want[1];
	}
	printf("loopback: %ld frames after %ld frames of latency, %ld differ\n",
	       play, first, bad);
	machine_i2s_free(tx);
	machine_i2s_free(rx);
	free(rec);
	return bad || ts.xruns || rs.xruns ? 1 : 0;
}
