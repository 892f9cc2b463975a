// SPDX-License-Identifier: GPL-2.0
/*
 * libmachine-i2s's front end linked against a fake backend (backend.h)
 * instead of alsa-lib, to see what it makes of the faults the ALSA test
 * PCM cannot easily produce on cue: an open that finds the device busy,
 * -EPIPE and -ESTRPIPE from a transfer, a recovery that fails, short
 * transfers, -EAGAIN, an error after some frames moved, a drain that
 * underruns at the end.  Each test scripts the fake's next results, then
 * checks the front end's error, message, counters and the bytes the fake
 * was given.  Built under ASan/UBSan, without -lasound.
 */
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "backend.h"
#include "machine_i2s.h"
#include "tap.h"
#include "test-util.h"

#define BUFFER	4096		/* frames the fake grants */
#define PERIOD	1024
#define ALL	SSIZE_MAX	/* a scripted transfer moving all it is given */
#define FRAMES	1024		/* one write() */

struct mi2s_pcm {
	int fd;			/* eventfd: what the front end polls */
	unsigned int frame;	/* bytes of a granted frame */
};

/* The fake's script and what it saw; reset for each test. */
static struct {
	int open_err;
	int configure_err;
	unsigned int layout;	/* index of the granted layout */
	bool quiet;		/* its descriptor never polls ready */
	ssize_t script[8];	/* the next transfers' results, then after */
	unsigned int nscript, step;
	ssize_t after;
	int stopped;		/* -EPIPE or -ESTRPIPE until recovered */
	int recover_err;
	int drains[4];		/* the next drain steps' results, then 0 */
	unsigned int ndrains, drain_step;
	unsigned int drain_misuse;	/* steps that said "started" wrongly */
	ssize_t avail;

	int opens, closes, recovers, recovered, waits, starts;
	_Atomic int transfers;
	unsigned char sink[65536];	/* what writes were given */
	size_t sunk;
} fake;

static void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.after = ALL;
	fake.avail = BUFFER;
}

int mi2s_pcm_bus_name(int id, char **name)
{
	(void)id;
	*name = NULL;
	return -ENODEV;
}

int mi2s_pcm_open(struct mi2s_pcm **pcm, const char *name, bool tx)
{
	(void)name;
	(void)tx;
	*pcm = NULL;
	fake.opens++;
	if (fake.open_err)
		return fake.open_err;
	*pcm = calloc(1, sizeof(**pcm));
	if (!*pcm)
		return -ENOMEM;
	(*pcm)->fd = eventfd(fake.quiet ? 0 : 1, EFD_NONBLOCK | EFD_CLOEXEC);
	if ((*pcm)->fd < 0) {
		perror("fake backend: eventfd");
		exit(1);
	}
	return 0;
}

int mi2s_pcm_configure(struct mi2s_pcm *pcm, const char *name,
		       const struct mi2s_pcm_want *want,
		       struct mi2s_pcm_got *got)
{
	(void)name;
	if (fake.configure_err)
		return mi2s_error(-fake.configure_err, "invalid rate");
	got->dev = want->layouts[fake.layout];
	got->dev.channels = want->channels;
	got->buffer_frames = BUFFER;
	got->period_frames = PERIOD;
	pcm->frame = got->dev.bytes * got->dev.channels;
	return 0;
}

static ssize_t transfer(struct mi2s_pcm *pcm, unsigned char *buf,
			size_t frames, bool tx)
{
	ssize_t r;
	size_t len;

	fake.transfers++;
	/* As a PCM does, an xrun or a suspend stays until recovered. */
	if (fake.stopped)
		return fake.stopped;
	r = fake.step < fake.nscript ? fake.script[fake.step++] : fake.after;
	if (r == -EPIPE || r == -ESTRPIPE)
		fake.stopped = (int)r;
	if (r > (ssize_t)frames)
		r = (ssize_t)frames;
	if (r <= 0)
		return r;
	len = (size_t)r * pcm->frame;
	if (!tx) {
		memset(buf, 0x5a, len);
	} else if (fake.sunk + len <= sizeof(fake.sink)) {
		memcpy(fake.sink + fake.sunk, buf, len);
		fake.sunk += len;
	}
	return r;
}

long mi2s_pcm_write(struct mi2s_pcm *pcm, const void *buf,
		    unsigned long frames)
{
	return transfer(pcm, (unsigned char *)buf, frames, true);
}

long mi2s_pcm_read(struct mi2s_pcm *pcm, void *buf, unsigned long frames)
{
	return transfer(pcm, buf, frames, false);
}

int mi2s_pcm_start(struct mi2s_pcm *pcm)
{
	(void)pcm;
	fake.starts++;
	return 0;
}

ssize_t mi2s_pcm_avail(struct mi2s_pcm *pcm)
{
	(void)pcm;
	return fake.stopped ? fake.stopped : fake.avail;
}

int mi2s_pcm_recover(struct mi2s_pcm *pcm, int err)
{
	(void)pcm;
	fake.recovers++;
	fake.recovered = err;
	if (!fake.recover_err)
		fake.stopped = 0;
	return fake.recover_err;
}

int mi2s_pcm_poll_fds(struct mi2s_pcm *pcm, struct pollfd *pfds,
		      unsigned int space)
{
	if (space >= 1) {
		pfds[0].fd = pcm->fd;
		pfds[0].events = POLLIN;
		pfds[0].revents = 0;
	}
	return 1;
}

int mi2s_pcm_poll_revents(struct mi2s_pcm *pcm, struct pollfd *pfds,
			  unsigned int n)
{
	(void)pcm;
	(void)n;
	fake.waits++;
	return pfds[0].revents;
}

int mi2s_pcm_drain(struct mi2s_pcm *pcm, bool started)
{
	(void)pcm;
	/* The first step starts the drain, every later one asks after it. */
	if (started != (fake.drain_step > 0))
		fake.drain_misuse++;
	return fake.drain_step < fake.ndrains ? fake.drains[fake.drain_step++] :
						 0;
}

void mi2s_pcm_close(struct mi2s_pcm *pcm)
{
	if (!pcm)
		return;
	fake.closes++;
	close(pcm->fd);
	free(pcm);
}

const char *mi2s_pcm_strerror(int err)
{
	return strerror(-err);
}

/* The tests. */

static const struct machine_i2s_config tx_cfg = {
	.device = "fake", .mode = MACHINE_I2S_TX, .bits = 16,
	.format = MACHINE_I2S_STEREO, .rate = 48000, .ibuf = 16384,
};

static int16_t samples[FRAMES * 2];
static int bus;		/* a bus each: a leaked claim fails one test only */

static void script(const ssize_t *steps, unsigned int n)
{
	memcpy(fake.script, steps, n * sizeof(*steps));
	fake.nscript = n;
	fake.step = 0;
}

#define SCRIPT(...) do { \
	const ssize_t s_[] = { __VA_ARGS__ }; \
	script(s_, sizeof(s_) / sizeof(s_[0])); \
} while (0)

static struct machine_i2s_stats stats(struct machine_i2s *o)
{
	struct machine_i2s_stats st = { 0 };

	machine_i2s_get_stats(o, &st);
	return st;
}

static bool error_is(const char *want)
{
	if (!strcmp(machine_i2s_last_error(), want))
		return true;
	printf("# message \"%s\", not \"%s\"\n", machine_i2s_last_error(), want);
	return false;
}

/* A TX object on a fresh fake; the sink emptied after the open. */
static struct machine_i2s *tx_new(unsigned int flags)
{
	struct machine_i2s_config cfg = tx_cfg;
	struct machine_i2s *o;

	cfg.id = ++bus;
	cfg.flags = flags;
	o = machine_i2s_new(&cfg);
	if (!o)
		printf("# new: %s\n", machine_i2s_last_error());
	fake.sunk = 0;
	return o;
}

/* The fake was given exactly one write()'s samples, once. */
static bool sink_holds_samples(void)
{
	return fake.sunk == sizeof(samples) &&
	       !memcmp(fake.sink, samples, sizeof(samples));
}

static void test_open(void)
{
	struct machine_i2s_config cfg = tx_cfg;
	struct machine_i2s *o;

	fake_reset();
	fake.open_err = -EBUSY;
	errno = 0;
	o = machine_i2s_new(&tx_cfg);
	tap_ok(!o && errno == EBUSY &&
	       error_is("cannot open fake: Device or resource busy"),
	       "open -EBUSY: new() fails with EBUSY and the open's message");
	/* The bus's claim went with the failed open. */
	fake.open_err = 0;
	o = machine_i2s_new(&tx_cfg);
	tap_ok(!!o, "open -EBUSY: the next new() on the bus succeeds");
	machine_i2s_free(o);
	tap_ok(fake.opens == 2 && fake.closes == 1,
	       "open -EBUSY: one stream opened, and closed by free()");

	fake_reset();
	fake.configure_err = -EINVAL;
	cfg.id = ++bus;
	errno = 0;
	o = machine_i2s_new(&cfg);
	tap_ok(!o && errno == EINVAL && error_is("invalid rate") &&
	       fake.opens == 1 && fake.closes == 1,
	       "configure fails: EINVAL, its message, the stream closed");
}

static void test_fast_path(void)
{
	struct machine_i2s *o;
	ssize_t r;

	fake_reset();
	o = tx_new(0);
	r = machine_i2s_write(o, samples, sizeof(samples));
	tap_ok(r == (ssize_t)sizeof(samples) && fake.transfers == 1 &&
	       stats(o).frames == FRAMES && sink_holds_samples(),
	       "write(): one transfer of all frames, counted");
	machine_i2s_free(o);
}

static void test_xruns(void)
{
	struct machine_i2s *o;
	ssize_t r;

	fake_reset();
	o = tx_new(0);
	SCRIPT(-EPIPE);
	r = machine_i2s_write(o, samples, sizeof(samples));
	tap_ok(r == (ssize_t)sizeof(samples) && fake.recovers == 1 &&
	       fake.recovered == -EPIPE && sink_holds_samples(),
	       "-EPIPE: recovered with -EPIPE, then every frame written once");
	tap_ok(stats(o).xruns == 1 && stats(o).frames == FRAMES,
	       "-EPIPE: one xrun and the frames counted");
	machine_i2s_free(o);

	fake_reset();
	o = tx_new(0);
	SCRIPT(-ESTRPIPE);
	r = machine_i2s_write(o, samples, sizeof(samples));
	tap_ok(r == (ssize_t)sizeof(samples) && fake.recovers == 1 &&
	       fake.recovered == -ESTRPIPE && stats(o).xruns == 1,
	       "-ESTRPIPE: recovered with -ESTRPIPE, counted, all written");
	machine_i2s_free(o);

	fake_reset();
	o = tx_new(MACHINE_I2S_XRUN_ERRORS);
	SCRIPT(-EPIPE);
	r = machine_i2s_write(o, samples, sizeof(samples));
	tap_ok(r == -EPIPE && error_is("underrun") && stats(o).xruns == 1,
	       "XRUN_ERRORS: -EPIPE with \"underrun\", counted");
	r = machine_i2s_write(o, samples, sizeof(samples));
	tap_ok(r == (ssize_t)sizeof(samples) && sink_holds_samples(),
	       "XRUN_ERRORS: the next write() goes on");
	machine_i2s_free(o);

	fake_reset();
	o = tx_new(0);
	SCRIPT(-EPIPE);
	fake.recover_err = -EIO;
	r = machine_i2s_write(o, samples, sizeof(samples));
	tap_ok(r == -EIO &&
	       error_is("fake: cannot recover from Broken pipe: Input/output error"),
	       "recovery fails: its error and message");
	machine_i2s_free(o);
}

static void test_short(void)
{
	struct machine_i2s *o;
	ssize_t r;

	fake_reset();
	o = tx_new(0);
	SCRIPT(256);
	r = machine_i2s_write(o, samples, sizeof(samples));
	tap_ok(r == (ssize_t)sizeof(samples) && fake.transfers == 2 &&
	       sink_holds_samples() && stats(o).frames == FRAMES,
	       "short transfer, blocking: the rest follows, in order");
	machine_i2s_free(o);

	fake_reset();
	o = tx_new(0);
	machine_i2s_set_nonblocking(o, true);
	SCRIPT(256);
	r = machine_i2s_write(o, samples, sizeof(samples));
	tap_ok(r == 256 * 4 && fake.transfers == 1 && stats(o).frames == 256,
	       "short transfer, non-blocking: returns what moved");
	machine_i2s_free(o);

	fake_reset();
	o = tx_new(0);
	SCRIPT(256, -EIO);
	r = machine_i2s_write(o, samples, sizeof(samples));
	tap_ok(r == 256 * 4, "error after a short transfer: what moved returned");
	r = machine_i2s_write(o, samples, sizeof(samples));
	tap_ok(r == -EIO && error_is("fake: Input/output error"),
	       "error after a short transfer: the next write() reports it");
	r = machine_i2s_write(o, samples, sizeof(samples));
	tap_ok(r == (ssize_t)sizeof(samples),
	       "error after a short transfer: reported once");
	machine_i2s_free(o);

	fake_reset();
	o = tx_new(0);
	SCRIPT(-ENODEV, -ENODEV);
	r = machine_i2s_write(o, samples, sizeof(samples));
	tap_ok(r == -ENODEV && error_is("fake: No such device") &&
	       fake.recovers == 0 && stats(o).frames == 0,
	       "-ENODEV: returned at once with its message, no recovery");
	machine_i2s_free(o);
}

static void test_again(void)
{
	struct machine_i2s *o;
	double t;
	ssize_t r;

	fake_reset();
	o = tx_new(0);
	machine_i2s_set_nonblocking(o, true);
	SCRIPT(-EAGAIN, -EAGAIN);
	r = machine_i2s_write(o, samples, sizeof(samples));
	tap_ok(r == -EAGAIN && error_is("no room or data now") &&
	       fake.waits == 0,
	       "-EAGAIN, non-blocking: EAGAIN at once, no wait");
	machine_i2s_free(o);

	fake_reset();
	o = tx_new(0);
	SCRIPT(-EAGAIN, -EAGAIN);
	r = machine_i2s_write(o, samples, sizeof(samples));
	tap_ok(r == (ssize_t)sizeof(samples) && fake.waits == 1 &&
	       sink_holds_samples(),
	       "-EAGAIN, blocking: one wait, then all written");
	machine_i2s_free(o);

	/* The descriptor never wakes and no room comes: the device stalled. */
	fake_reset();
	fake.quiet = true;
	o = tx_new(0);
	fake.after = -EAGAIN;
	t = now();
	r = machine_i2s_write(o, samples, sizeof(samples));
	t = now() - t;
	tap_ok(r == -ETIMEDOUT && error_is("fake: the device stalled") &&
	       t > 1.9 && t < 10,
	       "no room ever: ETIMEDOUT after the stall time (%.1f s)", t);
	machine_i2s_free(o);
}

static void test_drain(void)
{
	struct machine_i2s *o;
	int err;

	fake_reset();
	o = tx_new(0);
	fake.drains[0] = -EAGAIN;
	fake.drains[1] = -EAGAIN;
	fake.drains[2] = -EPIPE;
	fake.ndrains = 3;
	err = machine_i2s_drain(o);
	tap_ok(!err && fake.drain_step == 3 && stats(o).xruns == 1 &&
	       !fake.drain_misuse,
	       "drain() ending in -EPIPE: started once, all played, one xrun");
	machine_i2s_free(o);

	fake_reset();
	o = tx_new(0);
	fake.drains[0] = -EIO;
	fake.ndrains = 1;
	err = machine_i2s_drain(o);
	tap_ok(err == -EIO && error_is("fake: drain: Input/output error"),
	       "drain() failing: its error and message");
	machine_i2s_free(o);
}

static void test_stats(void)
{
	struct machine_i2s_stats st;
	struct machine_i2s *o;

	fake_reset();
	o = tx_new(0);
	fake.avail = 1000;
	st = stats(o);
	tap_ok(st.buffer_bytes == BUFFER * 4 && st.period_bytes == PERIOD * 4 &&
	       st.fill_bytes == (BUFFER - 1000) * 4,
	       "stats: the granted buffer and period, the fill from avail");
	fake.avail = -EPIPE;
	st = stats(o);
	tap_ok(st.fill_bytes == 0, "stats: TX in an xrun holds nothing");
	machine_i2s_free(o);
}

/* 16-bit samples on a device granted 32-bit: converted on the way. */
static void test_granted_layout(void)
{
	int16_t in[2] = { 0x1234, -2 };
	int32_t want[2] = { 0x12340000, -2 * 65536 };
	struct machine_i2s *o;
	ssize_t r;

	fake_reset();
	fake.layout = 1;	/* device.c's second choice for 16 bits */
	o = tx_new(0);
	r = machine_i2s_write(o, in, sizeof(in));
	tap_ok(r == sizeof(in) && stats(o).device_bits == 32 &&
	       fake.sunk == sizeof(want) && !memcmp(fake.sink, want, sizeof(want)),
	       "granted 32-bit for 16-bit: the fake gets widened samples");
	machine_i2s_free(o);
}

static void test_rx(void)
{
	struct machine_i2s_config cfg = tx_cfg;
	unsigned char buf[64];
	struct machine_i2s *o;
	ssize_t r;

	fake_reset();
	cfg.id = ++bus;
	cfg.mode = MACHINE_I2S_RX;
	cfg.flags = MACHINE_I2S_XRUN_ERRORS;
	o = machine_i2s_new(&cfg);
	SCRIPT(-EPIPE);
	r = machine_i2s_readinto(o, buf, sizeof(buf));
	tap_ok(r == -EPIPE && error_is("overrun") && fake.starts >= 1 &&
	       fake.recovered == -EPIPE,
	       "RX: started, -EPIPE as \"overrun\" with XRUN_ERRORS");
	r = machine_i2s_readinto(o, buf, sizeof(buf));
	tap_ok(r == sizeof(buf) && buf[0] == 0x5a && buf[63] == 0x5a,
	       "RX: the next readinto() reads");
	machine_i2s_free(o);
}

static _Atomic int called;

static void on_done(struct machine_i2s *o, void *arg)
{
	(void)o;
	(void)arg;
	called++;
}

/* A callback-mode transfer that fails still calls back; write() then
 * reports the error. */
static void test_callback_error(void)
{
	struct machine_i2s *o;
	int i;
	ssize_t r;

	fake_reset();
	o = tx_new(0);
	called = 0;
	SCRIPT(-EIO);
	machine_i2s_irq(o, on_done, NULL);
	r = machine_i2s_write(o, samples, sizeof(samples));
	for (i = 0; i < 200 && !called; i++)
		sleep_ms(10);
	tap_ok(r == (ssize_t)sizeof(samples) && called == 1,
	       "callback mode, -EIO: queued, and called back");
	machine_i2s_irq(o, NULL, NULL);
	r = machine_i2s_write(o, samples, sizeof(samples));
	tap_ok(r == -EIO && error_is("fake: Input/output error"),
	       "callback mode, -EIO: the next write() reports it");
	machine_i2s_free(o);
}

int main(void)
{
	unsigned int i;

	for (i = 0; i < FRAMES * 2; i++)
		samples[i] = (int16_t)(i * 7919);
	test_open();
	test_fast_path();
	test_xruns();
	test_short();
	test_again();
	test_drain();
	test_stats();
	test_granted_layout();
	test_rx();
	test_callback_error();
	return tap_done();
}
