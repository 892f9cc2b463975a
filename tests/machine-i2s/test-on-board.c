// SPDX-License-Identifier: GPL-2.0
/*
 * libmachine-i2s against the OpenI2S driver on the virtual board, in the
 * VM: bit-exact round trips through the board's loopback wire in the
 * three transfer styles with TX and RX running at once, MicroPython's
 * rate check, and xrun counting while the simulated SoC stalls its DMA.
 * Bus 0 is the board's card (the runner sets MACHINE_I2S_0).  TAP.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "machine_i2s.h"
#include "tap.h"
#include "test-util.h"

/* The simulated SoC's debugfs directory: tools/lib/openi2s-board.env. */
#define SIMDEV OPENI2S_SIMDEV

enum style { BLOCKING, IRQ, POLL };
static const char *const style_name[] = { "blocking", "irq", "poll" };

static struct machine_i2s *open_bus(int mode, int bits, int format, int rate,
				    int ibuf)
{
	struct machine_i2s_config cfg = {
		.id = 0, .mode = mode, .bits = bits, .format = format,
		.rate = rate, .ibuf = ibuf,
	};
	struct machine_i2s *o = machine_i2s_new(&cfg);

	if (!o)
		printf("# I2S(%s %d-bit %d Hz): %s\n",
		       mode == MACHINE_I2S_TX ? "TX" : "RX", bits, rate,
		       machine_i2s_last_error());
	return o;
}

/* Sample @c of frame @k of the played sequence: never zero. */
static uint32_t seq_sample(size_t k, int c, int bits)
{
	uint32_t v = (uint32_t)((k * 2 + (size_t)c) * 2654435761u) | 1u;

	return bits == 16 ? v >> 16 | 1u : v;
}

static void make_seq(unsigned char *buf, size_t frames, int bits, int ch)
{
	size_t k;
	int c, b;

	for (k = 0; k < frames; k++)
		for (c = 0; c < ch; c++) {
			uint32_t v = seq_sample(k, c, bits);

			for (b = 0; b < bits / 8; b++)
				*buf++ = (unsigned char)(v >> (8 * b));
		}
}

/* Find the sequence in the recording; report how it went. */
static bool find_seq(const unsigned char *rec, size_t rec_frames,
		     const unsigned char *seq, size_t frames, size_t fb,
		     char *why, size_t whylen)
{
	size_t k, first;

	for (first = 0; first < rec_frames; first++) {
		for (k = 0; k < fb && !rec[first * fb + k]; k++)
			;
		if (k < fb)
			break;
	}
	if (first + frames > rec_frames) {
		snprintf(why, whylen, "sequence not found (first sound at frame %zu of %zu)",
			 first, rec_frames);
		return false;
	}
	if (memcmp(rec + first * fb, seq, frames * fb)) {
		for (k = 0; k < frames &&
		     !memcmp(rec + (first + k) * fb, seq + k * fb, fb); k++)
			;
		snprintf(why, whylen, "frame %zu of %zu differs (latency %zu): got %02x%02x%02x%02x, want %02x%02x%02x%02x",
			 k, frames, first, rec[(first + k) * fb], rec[(first + k) * fb + 1],
			 rec[(first + k) * fb + 2], rec[(first + k) * fb + 3],
			 seq[k * fb], seq[k * fb + 1], seq[k * fb + 2], seq[k * fb + 3]);
		return false;
	}
	snprintf(why, whylen, "%zu frames bit-exact after %zu frames of latency",
		 frames, first);
	return true;
}

static void on_done(struct machine_i2s *i2s, void *arg)
{
	(void)i2s;
	atomic_fetch_add((atomic_int *)arg, 1);
}

static bool run_poll(struct machine_i2s *tx, struct machine_i2s *rx,
		     unsigned char *out, size_t out_len, unsigned char *in,
		     size_t in_len)
{
	struct pollfd p[2];
	size_t sent = 0, got = 0;
	ssize_t n;

	machine_i2s_set_nonblocking(tx, true);
	machine_i2s_set_nonblocking(rx, true);
	p[0].fd = machine_i2s_fileno(tx);
	p[1].fd = machine_i2s_fileno(rx);
	p[0].events = p[1].events = POLLIN;
	while (got < in_len) {
		if (poll(p, 2, 3000) <= 0)
			return false;
		if ((p[0].revents & POLLIN) && sent < out_len) {
			n = machine_i2s_write(tx, out + sent, out_len - sent);
			if (n < 0 && n != -EAGAIN)
				return false;
			sent += n > 0 ? (size_t)n : 0;
		}
		if (p[0].revents & POLLIN && sent == out_len)
			p[0].events = 0;	/* the wire idles on silence */
		if (p[1].revents & POLLIN) {
			n = machine_i2s_readinto(rx, in + got, in_len - got);
			if (n < 0 && n != -EAGAIN)
				return false;
			got += n > 0 ? (size_t)n : 0;
		}
	}
	return true;
}

static void round_trip(int bits, int format, int rate, enum style style)
{
	int ch = format == MACHINE_I2S_STEREO ? 2 : 1;
	size_t fb = (size_t)(bits / 8 * ch);
	size_t play = (size_t)rate / 4, rec_frames = play + (size_t)rate / 2;
	/*
	 * The sequence is followed by 100 ms of silence, as MicroPython's
	 * DMA would send: stopping on an underrun right after the last frame
	 * would drop the frames still in the controller's FIFO.
	 */
	size_t pad = (size_t)rate / 10, out_len = (play + pad) * fb;
	unsigned char *seq = calloc(play + pad, fb), *rec = calloc(rec_frames, fb);
	struct machine_i2s *rx, *tx = NULL;
	struct machine_i2s_stats ts = { 0 }, rs = { 0 };
	struct io_thread r;
	char why[160] = "could not open the bus";
	bool pass = false;
	pthread_t th;
	atomic_int done = 0;

	make_seq(seq, play, bits, ch);
	/* 200 ms buffers: slack for the emulator, short enough periods. */
	rx = open_bus(MACHINE_I2S_RX, bits, format, rate, (int)(rate / 5 * fb));
	if (rx)
		tx = open_bus(MACHINE_I2S_TX, bits, format, rate,
			      (int)(rate / 5 * fb));
	if (!tx)
		goto out;
	/* Capture runs before the first played frame reaches the wire. */
	if (machine_i2s_readinto(rx, rec, 64 * fb) != (ssize_t)(64 * fb))
		goto out;
	switch (style) {
	case BLOCKING:
		r = (struct io_thread){ rx, rec, rec_frames * fb, false, 0 };
		pthread_create(&th, NULL, io_thread_run, &r);
		pass = machine_i2s_write(tx, seq, out_len) == (ssize_t)out_len;
		pthread_join(th, NULL);
		pass = pass && r.ret == (ssize_t)(rec_frames * fb);
		break;
	case IRQ:
		machine_i2s_irq(rx, on_done, &done);
		machine_i2s_irq(tx, on_done, &done);
		pass = machine_i2s_readinto(rx, rec, rec_frames * fb) ==
			(ssize_t)(rec_frames * fb) &&
		       machine_i2s_write(tx, seq, out_len) == (ssize_t)out_len;
		for (int i = 0; i < 10000 && atomic_load(&done) < 2; i++)
			sleep_ms(1);
		pass = pass && atomic_load(&done) == 2;
		break;
	case POLL:
		pass = run_poll(tx, rx, seq, out_len, rec, rec_frames * fb);
		break;
	}
	if (!pass)
		snprintf(why, sizeof(why), "transfer failed: %s",
			 machine_i2s_last_error());
	machine_i2s_get_stats(tx, &ts);
	machine_i2s_get_stats(rx, &rs);
	pass = pass && find_seq(rec, rec_frames, seq, play, fb, why, sizeof(why));
out:
	tap_ok(pass, "round trip %s %d-bit %s %d Hz: %s", style_name[style],
	       bits, ch == 2 ? "STEREO" : "MONO", rate, why);
	if (!pass || ts.xruns || rs.xruns)
		printf("# xruns: TX %llu RX %llu\n",
		       (unsigned long long)ts.xruns,
		       (unsigned long long)rs.xruns);
	machine_i2s_free(tx);
	machine_i2s_free(rx);
	free(seq);
	free(rec);
}

/*
 * MicroPython's rate check: ibuf = 200 bytes at 11025 Hz; once one 200 ms
 * transfer has filled the pipeline, two more take 400 ms within 4 ms.
 * Under software emulation a wake-up now and then comes late by tens of
 * ms, and a 20 ms buffer can overrun: that is the emulator's, while a
 * wrong rate shows in every transfer.  So six transfers are timed and the
 * time two take is the median of the slopes between pairs of completion
 * times (Theil-Sen).  Pairs an xrun falls between are left out, and so are
 * pairs across a transfer more than 10% off the median transfer: one late
 * wake-up shifts every later completion, and would otherwise tilt more
 * than half of the slopes.
 */
#define RATE_TRANSFERS 6

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Seconds per transfer from completion times @t and xrun counts @xr; the
 * number of transfers far off the median goes to @steps.
 */
static double theil_sen(const double *t, const unsigned long long *xr,
			int n, int *pairs, int *steps)
{
	double slope[RATE_TRANSFERS * (RATE_TRANSFERS + 1) / 2];
	double d[RATE_TRANSFERS + 1], typical;
	bool off[RATE_TRANSFERS + 1] = { false };
	int i, j, k = 0;

	for (i = 1; i < n; i++)
		d[i - 1] = t[i] - t[i - 1];
	typical = median(d, n - 1);
	*steps = 0;
	for (i = 1; i < n; i++) {
		off[i] = fabs(t[i] - t[i - 1] - typical) > typical / 10;
		*steps += off[i];
	}
	for (i = 0; i < n; i++) {
		bool across = false;

		for (j = i + 1; j < n; j++) {
			across |= off[j];
			if (!across && xr[i] == xr[j])
				slope[k++] = (t[j] - t[i]) / (j - i);
		}
	}
	*pairs = k;
	return k ? median(slope, k) : -1;
}

static void rate_check(int mode, int bits, int format)
{
	int ch = format == MACHINE_I2S_STEREO ? 2 : 1;
	size_t len = 11025 / 5 * (size_t)(bits / 8 * ch);
	struct machine_i2s_stats st = { 0 };
	unsigned char *buf = calloc(1, len);
	double t[RATE_TRANSFERS + 1], two = -1, lo = 0, hi = 0;
	unsigned long long xr[RATE_TRANSFERS + 1];
	bool tx = mode == MACHINE_I2S_TX;
	int n = 0, pairs = 0, steps = 0, i, attempt;
	struct machine_i2s *o;

	/*
	 * Xruns that leave too few pairs make a run say nothing about the
	 * rate (an emulated arm64 guest beside another one had them): such
	 * a run is made again, up to three in all. A wrong rate with enough
	 * pairs fails at once.
	 */
	for (attempt = 0; attempt < 3; attempt++) {
		o = open_bus(mode, bits, format, 11025, 200);
		n = pairs = steps = 0;
		two = -1;
		/* t[0] is the end of the filling transfer. */
		while (o && n <= RATE_TRANSFERS &&
		       (tx ? machine_i2s_write(o, buf, len) :
			     machine_i2s_readinto(o, buf, len)) == (ssize_t)len) {
			t[n] = now();
			machine_i2s_get_stats(o, &st);
			xr[n++] = st.xruns;
		}
		if (n < RATE_TRANSFERS + 1)
			printf("# transfer %d failed: %s\n", n,
			       machine_i2s_last_error());
		machine_i2s_free(o);
		if (n < RATE_TRANSFERS + 1)
			break;
		two = 2 * theil_sen(t, xr, n, &pairs, &steps);
		/* At least as many pairs as transfers, or xruns decide it. */
		if (pairs >= RATE_TRANSFERS)
			break;
		two = -1;
		printf("# rate check: %llu xruns left %d pairs, again\n",
		       (unsigned long long)st.xruns, pairs);
	}
	for (i = 1; i < n; i++) {
		lo = i == 1 || t[i] - t[i - 1] < lo ? t[i] - t[i - 1] : lo;
		hi = t[i] - t[i - 1] > hi ? t[i] - t[i - 1] : hi;
	}
	tap_ok(two >= 0.396 && two <= 0.404,
	       "rate check %s %d-bit %s: 400 ms of audio took %.1f ms (400 +- 4; %d transfers of %.1f..%.1f ms, %d off, %d pairs; %zu-byte buffer, %zu-byte period, %llu xruns)",
	       tx ? "TX" : "RX", bits, ch == 2 ? "STEREO" : "MONO", two * 1000,
	       n ? n - 1 : 0, lo * 1000, hi * 1000, steps, pairs, st.buffer_bytes,
	       st.period_bytes, (unsigned long long)st.xruns);
	free(buf);
}

static void knob(const char *name, const char *value)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), SIMDEV "/%s", name);
	f = fopen(path, "w");
	if (f) {
		fputs(value, f);
		fclose(f);
	}
}

struct staller {
	const char *knob;
};

static void *stall(void *arg)
{
	struct staller *s = arg;

	sleep_ms(700);
	knob(s->knob, "1");
	sleep_ms(300);
	knob(s->knob, "0");
	return NULL;
}

/* 2 s of blocking transfer while the SoC stalls the DMA for 0.3 s. */
static void xrun_check(int mode)
{
	bool tx = mode == MACHINE_I2S_TX;
	struct staller s = { tx ? "fault_stall_tx_dma" : "fault_stall_rx_dma" };
	struct machine_i2s *o = open_bus(mode, 16, MACHINE_I2S_STEREO, 48000,
					 8192);
	struct machine_i2s_stats st = { 0 };
	unsigned char *buf = calloc(48000, 4);
	bool moved = false;
	pthread_t th;

	if (o) {
		pthread_create(&th, NULL, stall, &s);
		moved = tx ? machine_i2s_write(o, buf, 96000 * 2) == 96000 * 2 :
			     machine_i2s_readinto(o, buf, 96000 * 2) == 96000 * 2;
		pthread_join(th, NULL);
		machine_i2s_get_stats(o, &st);
	}
	tap_ok(moved && st.xruns >= 1,
	       "xrun %s: a stalled DMA is recovered and counted (%llu), the transfer completes",
	       tx ? "TX underrun" : "RX overrun",
	       (unsigned long long)st.xruns);
	machine_i2s_free(o);
	free(buf);
}

int main(int argc, char **argv)
{
	static const int rates[] = { 8000, 22050, 48000 };
	/* "rate": the rate checks alone; "norate": everything else. */
	bool rate_only = argc > 1 && !strcmp(argv[1], "rate");
	bool no_rate = argc > 1 && !strcmp(argv[1], "norate");

	for (int bits = 16; !rate_only && bits <= 32; bits += 16)
		for (int f = MACHINE_I2S_MONO; f <= MACHINE_I2S_STEREO; f++)
			for (int i = 0; i < 3; i++)
				round_trip(bits, f, rates[i], BLOCKING);
	if (!rate_only) {
		round_trip(16, MACHINE_I2S_STEREO, 48000, IRQ);
		round_trip(32, MACHINE_I2S_MONO, 22050, IRQ);
		round_trip(16, MACHINE_I2S_MONO, 8000, POLL);
		round_trip(32, MACHINE_I2S_STEREO, 48000, POLL);
	}
	for (int mode = MACHINE_I2S_TX; !no_rate && mode <= MACHINE_I2S_RX; mode++)
		for (int bits = 16; bits <= 32; bits += 16)
			for (int f = MACHINE_I2S_MONO; f <= MACHINE_I2S_STEREO; f++)
				rate_check(mode, bits, f);
	if (!rate_only) {
		xrun_check(MACHINE_I2S_TX);
		xrun_check(MACHINE_I2S_RX);
	}
	return tap_done();
}
