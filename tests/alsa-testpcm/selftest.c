// SPDX-License-Identifier: GPL-2.0
/*
 * Self-test of the openi2s_test ALSA plugin through plain alsa-lib: pacing,
 * poll and non-blocking I/O, recording, the capture pattern, xruns, fault
 * injection, drain and the event log.  Prints TAP.
 *
 * Run with ALSA_CONFIG_PATH pointing at the asound.conf that rules.mk
 * generates.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <alsa/asoundlib.h>

#include "tap.h"
#include "testpcm.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((format(printf, a, b)))

/* Wakeup latency allowed on a busy machine, in ms. */
#define SLACK_MS	10.0

static char tmpdir[] = "/tmp/testpcm-XXXXXX";
static char log_path[64], rec_path[64];

static __printf(1, 2) void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static bool near_ms(double got, double want)
{
	return got >= want - SLACK_MS && got <= want + SLACK_MS;
}

/* Whole file into a NUL-terminated buffer (caller frees), size in *len. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n = -1;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0)
		n = ftell(f);
	if (n >= 0 && fseek(f, 0, SEEK_SET) == 0)
		buf = malloc(n + 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf) {
		buf[n] = 0;
		if (len)
			*len = n;
	}
	fclose(f);
	return buf;
}

/* How many lines of the log are exactly @line. */
static int log_count(const char *line)
{
	char *log = slurp(log_path, NULL), *s, *save = NULL;
	int n = 0;

	if (!log)
		return -1;
	for (s = strtok_r(log, "\n", &save); s; s = strtok_r(NULL, "\n", &save))
		n += !strcmp(s, line);
	free(log);
	return n;
}

/* Whether the log is exactly these lines, in order. */
static bool log_is(const char *const *lines)
{
	char *log = slurp(log_path, NULL), *s, *save = NULL;
	bool same = !!log;

	for (s = log ? strtok_r(log, "\n", &save) : NULL; same && s;
	     s = strtok_r(NULL, "\n", &save)) {
		if (!*lines || strcmp(s, *lines)) {
			diag("log line \"%s\", expected \"%s\"", s,
			     *lines ? *lines : "(end)");
			same = false;
		}
		lines++;
	}
	if (same && *lines) {
		diag("log ends before \"%s\"", *lines);
		same = false;
	}
	free(log);
	return same;
}

static void reset_files(void)
{
	unlink(log_path);
	unlink(rec_path);
}

static snd_pcm_t *open_pcm(const char *args, snd_pcm_stream_t stream,
			   int mode)
{
	char name[256];
	snd_pcm_t *pcm;
	int err;

	snprintf(name, sizeof(name), "mi2s_test:LOG=%s%s%s", log_path,
		 *args ? "," : "", args);
	err = snd_pcm_open(&pcm, name, stream, mode);
	if (err < 0) {
		diag("snd_pcm_open(%s): %s", name, snd_strerror(err));
		return NULL;
	}
	return pcm;
}

struct cfg {
	snd_pcm_format_t format;
	snd_pcm_access_t access;
	unsigned int channels, rate;
	snd_pcm_uframes_t period, buffer;
	snd_pcm_uframes_t start;	/* start threshold, 0 = default */
	bool no_stop;			/* stop threshold = boundary */
};

/* Exact hardware parameters, or a negative error. */
static int setup(snd_pcm_t *pcm, const struct cfg *c)
{
	snd_pcm_hw_params_t *hw;
	snd_pcm_sw_params_t *sw;
	snd_pcm_uframes_t boundary;
	int err;

	snd_pcm_hw_params_alloca(&hw);
	snd_pcm_sw_params_alloca(&sw);
	err = snd_pcm_hw_params_any(pcm, hw);
	if (err > 0)
		err = 0;	/* "changed" */
	if (!err)
		err = snd_pcm_hw_params_set_access(pcm, hw, c->access);
	if (!err)
		err = snd_pcm_hw_params_set_format(pcm, hw, c->format);
	if (!err)
		err = snd_pcm_hw_params_set_channels(pcm, hw, c->channels);
	if (!err)
		err = snd_pcm_hw_params_set_rate(pcm, hw, c->rate, 0);
	if (!err)
		err = snd_pcm_hw_params_set_period_size(pcm, hw, c->period, 0);
	if (!err)
		err = snd_pcm_hw_params_set_buffer_size(pcm, hw, c->buffer);
	if (!err)
		err = snd_pcm_hw_params(pcm, hw);
	if (err < 0)
		return err;
	err = snd_pcm_sw_params_current(pcm, sw);
	if (!err && c->start)
		err = snd_pcm_sw_params_set_start_threshold(pcm, sw, c->start);
	if (!err && c->no_stop) {
		snd_pcm_sw_params_get_boundary(sw, &boundary);
		err = snd_pcm_sw_params_set_stop_threshold(pcm, sw, boundary);
	}
	if (!err)
		err = snd_pcm_sw_params(pcm, sw);
	return err;
}

/* Open and set up, or NULL (and nothing left open). */
static snd_pcm_t *open_setup(const char *args, snd_pcm_stream_t stream,
			     int mode, const struct cfg *c)
{
	snd_pcm_t *pcm = open_pcm(args, stream, mode);
	int err;

	if (!pcm)
		return NULL;
	err = setup(pcm, c);
	if (err < 0) {
		diag("setup: %s", snd_strerror(err));
		snd_pcm_close(pcm);
		return NULL;
	}
	return pcm;
}

static const struct cfg s16_8k = {
	.format = SND_PCM_FORMAT_S16_LE,
	.access = SND_PCM_ACCESS_RW_INTERLEAVED,
	.channels = 2, .rate = 8000, .period = 200, .buffer = 800,
};

/* Distinct playback data: frame @f of a stream, @bytes bytes per frame. */
static void make_data(unsigned char *buf, size_t first, size_t frames,
		      unsigned int bytes)
{
	size_t i;

	for (i = 0; i < frames * bytes; i++)
		buf[i] = (unsigned char)(((first * bytes + i) * 131) >> 3 ^
					 (first * bytes + i) >> 11);
}

static int32_t get_sample(const unsigned char *d, snd_pcm_format_t format)
{
	switch (format) {
	case SND_PCM_FORMAT_S16_LE:
		return (int16_t)(d[0] | d[1] << 8);
	case SND_PCM_FORMAT_S24_3LE:
		return (int32_t)((uint32_t)(d[0] | d[1] << 8 | d[2] << 16) << 8) >> 8;
	default:
		return (int32_t)((uint32_t)d[0] | (uint32_t)d[1] << 8 |
				 (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24);
	}
}

/* Check @frames captured frames starting at absolute frame @first. */
static bool check_pattern(const unsigned char *buf, uint64_t first,
			  size_t frames, const struct cfg *c)
{
	unsigned int bytes = snd_pcm_format_physical_width(c->format) / 8;
	unsigned int bits = snd_pcm_format_width(c->format);
	size_t i;
	unsigned int ch;

	for (i = 0; i < frames; i++)
		for (ch = 0; ch < c->channels; ch++) {
			const unsigned char *d = buf + (i * c->channels + ch) * bytes;
			int32_t want = testpcm_pattern(first + i, ch, bits);
			int32_t got = get_sample(d, c->format);

			if (got != want) {
				diag("frame %llu ch %u: got %d, want %d",
				     (unsigned long long)(first + i), ch, got, want);
				return false;
			}
		}
	return true;
}

/* Blocking writes of @frames frames of make_data(); 0 or an error. */
static long write_all(snd_pcm_t *pcm, size_t *pos, size_t frames,
		      unsigned int bytes)
{
	unsigned char *buf = malloc(frames * bytes);
	size_t done = 0;
	long n = 0;

	make_data(buf, *pos, frames, bytes);
	while (done < frames) {
		n = snd_pcm_writei(pcm, buf + done * bytes, frames - done);
		if (n < 0)
			break;
		done += n;
	}
	*pos += done;
	free(buf);
	return n < 0 ? n : 0;
}

/* The record file holds exactly frames [0, @frames) of make_data(). */
static bool check_record(size_t frames, unsigned int bytes)
{
	unsigned char *want = malloc(frames * bytes);
	size_t len = 0;
	char *got = slurp(rec_path, &len);
	bool same;

	make_data(want, 0, frames, bytes);
	same = got && len == frames * bytes && !memcmp(got, want, len);
	if (!same)
		diag("record: %zu bytes, want %zu", len, frames * bytes);
	free(want);
	free(got);
	return same;
}

static void test_pacing_and_record(void)
{
	unsigned int bytes = 4;
	struct cfg c = s16_8k;
	char args[128];
	snd_pcm_t *pcm;
	size_t pos = 0;
	double t0, t;
	long err;

	reset_files();
	c.start = c.buffer;
	snprintf(args, sizeof(args), "RECORD=%s", rec_path);
	pcm = open_setup(args, SND_PCM_STREAM_PLAYBACK, 0, &c);
	if (!tap_ok(pcm != NULL, "playback S16_LE 2ch 8 kHz set up"))
		return;

	/* The prefill starts the stream when the buffer is full. */
	err = write_all(pcm, &pos, 800, bytes);
	t0 = now_ms();
	tap_ok(!err && snd_pcm_state(pcm) == SND_PCM_STATE_RUNNING,
	   "prefill starts the stream");
	err = write_all(pcm, &pos, 4000, bytes);
	t = now_ms() - t0;
	tap_ok(!err && near_ms(t, 500), "0.5 s of audio written in %.1f ms", t);

	t0 = now_ms();
	err = snd_pcm_drain(pcm);
	t = now_ms() - t0;
	tap_ok(!err && near_ms(t, 100) &&
	   snd_pcm_state(pcm) == SND_PCM_STATE_SETUP,
	   "blocking drain plays the last 100 ms of the buffer (%.1f ms)", t);
	snd_pcm_close(pcm);

	tap_ok(check_record(4800, bytes), "record file is bit-exact (4800 frames)");
	{
		static const char *const want[] = {
			"open playback",
			"hw_params format=S16_LE channels=2 rate=8000 period=200 buffer=800",
			"prepare", "start", "drain", "stop", "close", NULL
		};

		tap_ok(log_is(want), "log has exactly the expected events");
	}
}

static void test_nonblock_playback(void)
{
	struct pollfd pfd[4];
	unsigned short revents = 0;
	unsigned char buf[800 * 4];
	struct cfg c = s16_8k;
	snd_pcm_t *pcm;
	double t0, t;
	int n, err;
	long w;

	reset_files();
	c.start = c.buffer;
	pcm = open_setup("", SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK, &c);
	if (!tap_ok(pcm != NULL, "non-blocking playback set up"))
		return;
	memset(buf, 0, sizeof(buf));

	n = snd_pcm_poll_descriptors_count(pcm);
	tap_ok(n == 1 && snd_pcm_poll_descriptors(pcm, pfd, 1) == 1,
	   "one poll descriptor");

	w = snd_pcm_writei(pcm, buf, 800);
	t0 = now_ms();
	tap_ok(w == 800, "prefill of a whole buffer accepted (%ld)", w);
	w = snd_pcm_writei(pcm, buf, 200);
	tap_ok(w == -EAGAIN, "write into the full buffer returns -EAGAIN (%ld)", w);

	/* Level-triggered: not ready now, so a zero-timeout poll is empty. */
	n = poll(pfd, 1, 0);
	snd_pcm_poll_descriptors_revents(pcm, pfd, 1, &revents);
	tap_ok(n == 0 || !(revents & POLLOUT), "not ready before the period ends");

	n = poll(pfd, 1, 1000);
	t = now_ms() - t0;
	err = snd_pcm_poll_descriptors_revents(pcm, pfd, 1, &revents);
	tap_ok(n == 1 && !err && revents == POLLOUT && near_ms(t, 25),
	   "poll wakes with POLLOUT at the period boundary (%.1f ms)", t);
	w = snd_pcm_writei(pcm, buf, 200);
	tap_ok(w == 200, "a period can be written after the wakeup (%ld)", w);

	err = snd_pcm_wait(pcm, 1000);
	t = now_ms() - t0;
	tap_ok(err == 1 && near_ms(t, 50),
	   "snd_pcm_wait() returns at the next period (%.1f ms)", t);
	w = snd_pcm_writei(pcm, buf, 200);

	/* 800 frames are queued at 50 ms: the drain takes until 150 ms. */
	err = snd_pcm_drain(pcm);
	t = now_ms() - t0;
	tap_ok(w == 200 && err == -EAGAIN && t < 60 &&
	   snd_pcm_state(pcm) == SND_PCM_STATE_DRAINING,
	   "non-blocking drain returns -EAGAIN at once (%d)", err);
	do {
		n = poll(pfd, 1, 1000);
		snd_pcm_poll_descriptors_revents(pcm, pfd, 1, &revents);
	} while (n == 1 && !revents && now_ms() - t0 < 1000);
	t = now_ms() - t0;
	err = snd_pcm_drain(pcm);
	tap_ok(n == 1 && near_ms(t, 150) && err == 0 &&
	   snd_pcm_state(pcm) == SND_PCM_STATE_SETUP,
	   "poll wakes when drained, drain then finishes (%.1f ms, %d)", t, err);
	snd_pcm_close(pcm);
	tap_ok(log_count("drain") == 1 && log_count("stop") == 1,
	   "one drain and one stop logged");
}

static void test_nonblock_capture(void)
{
	struct cfg c = s16_8k;
	unsigned char buf[200 * 2];
	unsigned short revents = 0;
	struct pollfd pfd;
	snd_pcm_t *pcm;
	double t0, t;
	long r;
	int n;

	reset_files();
	c.channels = 1;
	pcm = open_setup("", SND_PCM_STREAM_CAPTURE, SND_PCM_NONBLOCK, &c);
	if (!tap_ok(pcm != NULL, "non-blocking capture set up"))
		return;
	snd_pcm_poll_descriptors(pcm, &pfd, 1);
	snd_pcm_start(pcm);
	t0 = now_ms();
	r = snd_pcm_readi(pcm, buf, 200);
	tap_ok(r == -EAGAIN, "read with nothing captured returns -EAGAIN (%ld)", r);
	n = poll(&pfd, 1, 1000);
	t = now_ms() - t0;
	snd_pcm_poll_descriptors_revents(pcm, &pfd, 1, &revents);
	tap_ok(n == 1 && revents == POLLIN && near_ms(t, 25),
	   "poll wakes with POLLIN after a period (%.1f ms)", t);
	r = snd_pcm_readi(pcm, buf, 200);
	tap_ok(r == 200 && check_pattern(buf, 0, 200, &c),
	   "a period of pattern read (%ld)", r);
	snd_pcm_close(pcm);
}

static void test_capture_pattern(snd_pcm_format_t format,
				 snd_pcm_access_t access, unsigned int channels)
{
	static const size_t chunks[] = { 1, 37, 480, 1000, 3, 479, 2000 };
	struct cfg c = {
		.format = format, .access = access, .channels = channels,
		.rate = 48000, .period = 480, .buffer = 1920,
	};
	unsigned int bytes = snd_pcm_format_physical_width(format) / 8;
	unsigned char *buf = malloc(2000 * channels * bytes);
	bool mmap = access == SND_PCM_ACCESS_MMAP_INTERLEAVED;
	bool good = true, differ = true;
	uint64_t pos = 0;
	snd_pcm_t *pcm;
	size_t i;

	reset_files();
	pcm = open_setup("CHMAX=8", SND_PCM_STREAM_CAPTURE, 0, &c);
	if (!pcm) {
		tap_ok(false, "capture %s %uch set up", snd_pcm_format_name(format),
		   channels);
		goto out;
	}
	for (i = 0; good && i < ARRAY_SIZE(chunks); i++) {
		size_t done = 0;

		while (good && done < chunks[i]) {
			unsigned char *d = buf + done * channels * bytes;
			long r = mmap ? snd_pcm_mmap_readi(pcm, d, chunks[i] - done)
				      : snd_pcm_readi(pcm, d, chunks[i] - done);

			if (r < 0) {
				diag("read: %s", snd_strerror(r));
				good = false;
			} else {
				done += r;
			}
		}
		good = good && check_pattern(buf, pos, chunks[i], &c);
		pos += chunks[i];
	}
	for (i = 0; i < 1000; i++) {
		int32_t a = testpcm_pattern(i, 0, snd_pcm_format_width(format));

		differ &= a != testpcm_pattern(i + 1, 0, snd_pcm_format_width(format));
		if (channels > 1)
			differ &= a != testpcm_pattern(i, 1, snd_pcm_format_width(format));
	}
	tap_ok(good && differ, "capture %s %s %uch: %llu frames of pattern, in order",
	   snd_pcm_format_name(format), mmap ? "mmap" : "rw", channels,
	   (unsigned long long)pos);
out:
	if (pcm)
		snd_pcm_close(pcm);
	free(buf);
}

static void test_record_formats(void)
{
	static const struct {
		snd_pcm_format_t format;
		snd_pcm_access_t access;
		unsigned int channels;
	} t[] = {
		{ SND_PCM_FORMAT_S24_3LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1 },
		{ SND_PCM_FORMAT_S24_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 2 },
		{ SND_PCM_FORMAT_S32_LE, SND_PCM_ACCESS_MMAP_INTERLEAVED, 2 },
	};
	char args[128];
	size_t i;

	snprintf(args, sizeof(args), "RECORD=%s", rec_path);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct cfg c = {
			.format = t[i].format, .access = t[i].access,
			.channels = t[i].channels, .rate = 96000,
			.period = 960, .buffer = 3840,
		};
		unsigned int bytes = t[i].channels *
			snd_pcm_format_physical_width(t[i].format) / 8;
		unsigned char *buf = malloc(4800 * bytes);
		snd_pcm_t *pcm;
		size_t done = 0;
		long n = 0;

		reset_files();
		make_data(buf, 0, 4800, bytes);
		pcm = open_setup(args, SND_PCM_STREAM_PLAYBACK, 0, &c);
		if (pcm) {
			while (n >= 0 && done < 4800) {
				n = c.access == SND_PCM_ACCESS_MMAP_INTERLEAVED ?
				    snd_pcm_mmap_writei(pcm, buf + done * bytes,
							4800 - done) :
				    snd_pcm_writei(pcm, buf + done * bytes,
						   4800 - done);
				if (n > 0)
					done += n;
			}
			snd_pcm_drain(pcm);
			snd_pcm_close(pcm);
		}
		tap_ok(done == 4800 && check_record(4800, bytes),
		   "record of %s %s %uch is bit-exact",
		   snd_pcm_format_name(t[i].format),
		   c.access == SND_PCM_ACCESS_MMAP_INTERLEAVED ? "mmap" : "rw",
		   t[i].channels);
		free(buf);
	}
}

static void test_underrun(void)
{
	struct cfg c = s16_8k;
	unsigned char buf[200 * 4] = { 0 };
	size_t pos = 0;
	snd_pcm_t *pcm;
	long w;
	int err;

	reset_files();
	c.start = c.buffer;
	pcm = open_setup("", SND_PCM_STREAM_PLAYBACK, 0, &c);
	if (!tap_ok(pcm != NULL, "playback for underrun set up"))
		return;
	write_all(pcm, &pos, 800, 4);
	sleep_ms(150);
	w = snd_pcm_writei(pcm, buf, 200);
	tap_ok(w == -EPIPE && snd_pcm_state(pcm) == SND_PCM_STATE_XRUN &&
	   log_count("xrun underrun") == 1,
	   "late write after the buffer ran out gets -EPIPE (%ld)", w);
	err = snd_pcm_recover(pcm, w, 1);
	tap_ok(err == 0 && snd_pcm_state(pcm) == SND_PCM_STATE_PREPARED,
	   "snd_pcm_recover() prepares again (%d)", err);
	err = write_all(pcm, &pos, 1600, 4);
	tap_ok(!err && snd_pcm_state(pcm) == SND_PCM_STATE_RUNNING &&
	   log_count("xrun underrun") == 1 && log_count("start") == 2,
	   "stream restarts and keeps running (%d)", err);
	snd_pcm_close(pcm);
}

static void test_overrun(void)
{
	struct cfg c = s16_8k;
	unsigned char buf[200 * 4];
	snd_pcm_t *pcm;
	long r;
	int err;

	reset_files();
	pcm = open_setup("", SND_PCM_STREAM_CAPTURE, 0, &c);
	if (!tap_ok(pcm != NULL, "capture for overrun set up"))
		return;
	snd_pcm_start(pcm);
	sleep_ms(150);
	r = snd_pcm_readi(pcm, buf, 200);
	tap_ok(r == -EPIPE && log_count("xrun overrun") == 1,
	   "late read after the buffer filled up gets -EPIPE (%ld)", r);
	err = snd_pcm_recover(pcm, r, 1);
	r = snd_pcm_readi(pcm, buf, 200);
	tap_ok(!err && r == 200 && check_pattern(buf, 0, 200, &c),
	   "after recovery the pattern starts again at frame 0");
	snd_pcm_close(pcm);
}

static void test_inject(snd_pcm_stream_t stream)
{
	bool playback = stream == SND_PCM_STREAM_PLAYBACK;
	unsigned char buf[200 * 4] = { 0 };
	struct cfg c = s16_8k;
	double t0 = 0, txrun = 0;
	int xruns = 0, i;
	snd_pcm_t *pcm;
	long n;

	reset_files();
	c.start = playback ? c.buffer : 1;
	pcm = open_setup("XRUN=400", stream, 0, &c);
	if (!tap_ok(pcm != NULL, "%s with XRUN=400 set up",
		playback ? "playback" : "capture"))
		return;
	for (i = 0; i < 16; i++) {
		n = playback ? snd_pcm_writei(pcm, buf, 200)
			     : snd_pcm_readi(pcm, buf, 200);
		if (i == (playback ? 3 : 0) && !t0)
			t0 = now_ms() - (playback ? 0 : 25);
		if (n == -EPIPE) {
			xruns++;
			txrun = now_ms() - t0;
			snd_pcm_recover(pcm, n, 1);
		} else if (n < 0) {
			diag("transfer %d: %s", i, snd_strerror(n));
		}
	}
	snd_pcm_close(pcm);
	tap_ok(xruns == 1 && log_count("xrun injected") == 1 &&
	   log_count("xrun underrun") + log_count("xrun overrun") == 0,
	   "%s: exactly one -EPIPE and one injected xrun logged (%d)",
	   playback ? "playback" : "capture", xruns);
	tap_ok(near_ms(txrun, 50), "it comes when the position reaches 400 (%.1f ms)",
	   txrun);
}

static void test_stall(void)
{
	struct cfg c = s16_8k;
	unsigned char buf[800 * 4];
	size_t pos = 0;
	snd_pcm_t *pcm;
	double t0, t;
	long r;
	int err;

	/* Capture: the clock stops at frame 800 (100 ms) for 100 ms. */
	reset_files();
	c.buffer = 1600;
	pcm = open_setup("STALL=800,STALLMS=100", SND_PCM_STREAM_CAPTURE, 0, &c);
	if (!tap_ok(pcm != NULL, "capture with STALL set up"))
		return;
	snd_pcm_start(pcm);
	t0 = now_ms();
	sleep_ms(140);
	r = snd_pcm_readi(pcm, buf, 800);
	tap_ok(r == 800 && check_pattern(buf, 0, 800, &c) &&
	   snd_pcm_avail(pcm) == 0, "800 frames before the stall, then none");
	err = snd_pcm_wait(pcm, 30);
	tap_ok(err == 0 && snd_pcm_avail(pcm) == 0,
	   "no wakeup and no data during the stall (%d)", err);
	r = snd_pcm_readi(pcm, buf, 800);
	t = now_ms() - t0;
	tap_ok(r == 800 && check_pattern(buf, 800, 800, &c) && near_ms(t, 300),
	   "then the clock goes on: 1600 frames took %.1f ms", t);
	snd_pcm_close(pcm);
	tap_ok(log_count("xrun overrun") == 0, "no xrun from the stall");

	/* Playback: a stall longer than the buffer does not underrun. */
	reset_files();
	c.buffer = 800;
	c.start = c.buffer;
	pcm = open_setup("STALL=400,STALLMS=300", SND_PCM_STREAM_PLAYBACK, 0, &c);
	if (!tap_ok(pcm != NULL, "playback with STALL set up"))
		return;
	write_all(pcm, &pos, 800, 4);
	t0 = now_ms();
	err = write_all(pcm, &pos, 1600, 4);
	t = now_ms() - t0;
	tap_ok(!err && near_ms(t, 500) && log_count("xrun underrun") == 0,
	   "a 300 ms stall with a 100 ms buffer: no underrun, %.1f ms", t);
	snd_pcm_close(pcm);
}

static void test_drain_prepared(void)
{
	struct cfg c = s16_8k;
	size_t pos = 0;
	snd_pcm_t *pcm;
	double t0, t;
	int err;

	reset_files();
	c.period = 1000;
	c.buffer = 8000;
	c.start = c.buffer;
	pcm = open_setup("", SND_PCM_STREAM_PLAYBACK, 0, &c);
	if (!tap_ok(pcm != NULL, "playback with a 1 s buffer set up"))
		return;
	write_all(pcm, &pos, 2000, 4);
	tap_ok(snd_pcm_state(pcm) == SND_PCM_STATE_PREPARED,
	   "2000 frames do not start it");
	t0 = now_ms();
	err = snd_pcm_drain(pcm);
	t = now_ms() - t0;
	tap_ok(!err && near_ms(t, 250) && snd_pcm_state(pcm) == SND_PCM_STATE_SETUP,
	   "drain starts it and returns when they are played (%.1f ms)", t);
	snd_pcm_close(pcm);
	tap_ok(log_count("start") == 1 && log_count("drain") == 1,
	   "start and drain logged");
}

static void test_channels(void)
{
	static const struct {
		const char *args;
		unsigned int channels, rate;
		bool works;
	} t[] = {
		{ "", 1, 8000, true }, { "", 2, 192000, true },
		{ "", 3, 8000, false }, { "CHMIN=2", 1, 8000, false },
		{ "CHMIN=2", 2, 8000, true }, { "CHMIN=2,CHMAX=8", 8, 8000, true },
		{ "RATEMIN=16000", 2, 8000, false },
		{ "RATEMIN=16000,RATEMAX=16000", 2, 16000, true },
		{ "RECORD=\"\",LOG=''", 2, 8000, true },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		struct cfg c = s16_8k;
		snd_pcm_t *pcm;
		int err = -ENODEV;

		c.channels = t[i].channels;
		c.rate = t[i].rate;
		reset_files();
		pcm = open_pcm(t[i].args, SND_PCM_STREAM_PLAYBACK, 0);
		if (pcm) {
			err = setup(pcm, &c);
			snd_pcm_close(pcm);
		}
		tap_ok(t[i].works ? err == 0 : err < 0 && pcm,
		   "\"%s\": %u channels at %u Hz %s", t[i].args, t[i].channels,
		   t[i].rate, t[i].works ? "accepted" : "refused");
	}
}

static void test_pause(void)
{
	struct cfg c = s16_8k;
	snd_pcm_sframes_t a1, a2, a3;
	snd_pcm_hw_params_t *hw;
	size_t pos = 0;
	snd_pcm_t *pcm;
	int err;

	reset_files();
	c.start = c.buffer;
	snd_pcm_hw_params_alloca(&hw);
	pcm = open_setup("", SND_PCM_STREAM_PLAYBACK, 0, &c);
	if (!tap_ok(pcm != NULL, "playback for pause set up"))
		return;
	snd_pcm_hw_params_current(pcm, hw);
	write_all(pcm, &pos, 800, 4);
	sleep_ms(40);
	err = snd_pcm_pause(pcm, 1);
	a1 = snd_pcm_avail(pcm);
	sleep_ms(100);
	a2 = snd_pcm_avail(pcm);
	tap_ok(snd_pcm_hw_params_can_pause(hw) && !err && a1 == a2 &&
	   a1 >= 320 && a1 < 320 + 8 * SLACK_MS &&
	   snd_pcm_state(pcm) == SND_PCM_STATE_PAUSED,
	   "paused for 100 ms at avail %ld: the position stands still", a1);
	err = snd_pcm_pause(pcm, 0);
	sleep_ms(20);
	a3 = snd_pcm_avail(pcm);
	tap_ok(!err && a3 >= a2 + 160 && a3 < a2 + 160 + 8 * SLACK_MS &&
	   snd_pcm_state(pcm) == SND_PCM_STATE_RUNNING,
	   "released, it goes on from there (avail %ld)", a3);
	snd_pcm_close(pcm);
	tap_ok(log_count("pause") == 1 && log_count("pause_release") == 1 &&
	   log_count("xrun underrun") == 0, "pause and release logged");
}

/* The position is not taken modulo the buffer: long gaps are counted. */
static void test_long_gap(void)
{
	struct cfg c = s16_8k;
	snd_pcm_status_t *st;
	snd_pcm_sframes_t avail;
	snd_pcm_t *pcm;

	reset_files();
	c.no_stop = true;
	snd_pcm_status_alloca(&st);
	pcm = open_setup("", SND_PCM_STREAM_CAPTURE, 0, &c);
	if (!tap_ok(pcm != NULL, "capture without stop threshold"))
		return;
	snd_pcm_start(pcm);
	sleep_ms(250);
	avail = snd_pcm_avail(pcm);
	snd_pcm_status(pcm, st);
	tap_ok(avail >= 2000 && avail < 2000 + 8 * SLACK_MS &&
	   snd_pcm_status_get_state(st) == SND_PCM_STATE_RUNNING,
	   "2.5 buffers later avail is %ld, not wrapped", avail);
	snd_pcm_close(pcm);
}

static void test_log_format(void)
{
	static const char *const want[] = {
		"open capture",
		"hw_params format=S24_3LE channels=1 rate=48000 period=480 buffer=1920",
		"prepare", "start", "stop", "close", NULL
	};
	struct cfg c = {
		.format = SND_PCM_FORMAT_S24_3LE,
		.access = SND_PCM_ACCESS_RW_INTERLEAVED,
		.channels = 1, .rate = 48000, .period = 480, .buffer = 1920,
	};
	unsigned char buf[480 * 3];
	snd_pcm_t *pcm;

	reset_files();
	pcm = open_setup("", SND_PCM_STREAM_CAPTURE, 0, &c);
	if (pcm) {
		snd_pcm_readi(pcm, buf, 480);
		snd_pcm_drop(pcm);
		snd_pcm_close(pcm);
	}
	tap_ok(log_is(want), "capture log lines");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!getenv("ALSA_CONFIG_PATH")) {
		printf("Bail out! ALSA_CONFIG_PATH is not set\n");
		return 1;
	}
	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(log_path, sizeof(log_path), "%s/log", tmpdir);
	snprintf(rec_path, sizeof(rec_path), "%s/record.raw", tmpdir);

	test_pacing_and_record();
	test_nonblock_playback();
	test_nonblock_capture();
	test_capture_pattern(SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1);
	test_capture_pattern(SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 2);
	test_capture_pattern(SND_PCM_FORMAT_S32_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 2);
	test_capture_pattern(SND_PCM_FORMAT_S24_3LE, SND_PCM_ACCESS_RW_INTERLEAVED, 2);
	test_capture_pattern(SND_PCM_FORMAT_S24_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1);
	test_capture_pattern(SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_MMAP_INTERLEAVED, 2);
	test_capture_pattern(SND_PCM_FORMAT_S32_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 8);
	test_record_formats();
	test_underrun();
	test_overrun();
	test_inject(SND_PCM_STREAM_PLAYBACK);
	test_inject(SND_PCM_STREAM_CAPTURE);
	test_stall();
	test_drain_prepared();
	test_pause();
	test_channels();
	test_long_gap();
	test_log_format();

	reset_files();
	rmdir(tmpdir);
	snd_config_update_free_global();
	return tap_done();
}
