// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of libmachine-i2s: every rule of the API, against the
 * project's timer-paced ALSA test PCM (tests/alsa-testpcm), with no
 * kernel and no sound card.  Run with ALSA_CONFIG_PATH pointing at the
 * test PCM's asound.conf; built with ASan and UBSan.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "machine_i2s.h"
#include "tap.h"
#include "test-util.h"
#include "testpcm.h"

static char tmpdir[64];

/* A path in the test's private directory. */
static const char *tmp(const char *name)
{
	static char path[8][128];
	static int next;
	char *p = path[next++ % 8];

	snprintf(p, sizeof(path[0]), "%s/%s", tmpdir, name);
	return p;
}

static struct machine_i2s_config config(int mode, int bits, int format,
					int rate, int ibuf, const char *dev)
{
	struct machine_i2s_config cfg = {
		.id = 0, .device = dev, .mode = mode, .bits = bits,
		.format = format, .rate = rate, .ibuf = ibuf,
	};

	return cfg;
}

static char *device(const char *args)
{
	static char name[8][256];
	static int next;
	char *p = name[next++ % 8];

	snprintf(p, sizeof(name[0]), "mi2s_test%s%s", *args ? ":" : "", args);
	return p;
}

/* A recognisable little-endian signal: sample i of channel c. */
static void fill(unsigned char *buf, size_t frames, int bits, int channels)
{
	size_t bytes = (size_t)bits / 8, i;
	int c, b;

	for (i = 0; i < frames; i++)
		for (c = 0; c < channels; c++) {
			uint32_t v = (uint32_t)(i * 2654435761u + (unsigned)c * 40503u + 7);

			for (b = 0; b < (int)bytes; b++)
				*buf++ = (unsigned char)(v >> (8 * b));
		}
}

static int64_t get_sample(const unsigned char *p, int bits)
{
	uint32_t v = 0;
	int b;

	for (b = 0; b < bits / 8; b++)
		v |= (uint32_t)p[b] << (8 * b);
	return (int32_t)(v << (32 - bits)) >> (32 - bits);
}

static bool expect_error(int ret, int err, const char *text)
{
	if (ret == -err && !strcmp(machine_i2s_last_error(), text))
		return true;
	printf("# got %d \"%s\", want %d \"%s\"\n", ret,
	       machine_i2s_last_error(), -err, text);
	return false;
}

/* ------------------------------------------------------------------ */

static void test_validation(void)
{
	static const struct {
		const char *what;
		struct machine_i2s_config cfg;
		const char *text;
	} cases[] = {
		{ "negative id", { .id = -1, .mode = MACHINE_I2S_TX, .bits = 16, .format = MACHINE_I2S_MONO, .rate = 8000, .ibuf = 64 }, "invalid id" },
		{ "mode 0", { .mode = 0, .bits = 16, .format = MACHINE_I2S_MONO, .rate = 8000, .ibuf = 64 }, "invalid mode" },
		{ "mode 3", { .mode = 3, .bits = 16, .format = MACHINE_I2S_MONO, .rate = 8000, .ibuf = 64 }, "invalid mode" },
		{ "mode before bits", { .mode = 9, .bits = 9, .format = MACHINE_I2S_MONO, .rate = 8000, .ibuf = 64 }, "invalid mode" },
		{ "bits 8", { .mode = MACHINE_I2S_TX, .bits = 8, .format = MACHINE_I2S_MONO, .rate = 8000, .ibuf = 64 }, "invalid bits" },
		{ "bits 20", { .mode = MACHINE_I2S_RX, .bits = 20, .format = MACHINE_I2S_MONO, .rate = 8000, .ibuf = 64 }, "invalid bits" },
		{ "format 0", { .mode = MACHINE_I2S_TX, .bits = 16, .format = 0, .rate = 8000, .ibuf = 64 }, "invalid format" },
		{ "rate 0", { .mode = MACHINE_I2S_TX, .bits = 16, .format = MACHINE_I2S_STEREO, .rate = 0, .ibuf = 64 }, "invalid rate" },
		{ "rate -44100", { .mode = MACHINE_I2S_TX, .bits = 16, .format = MACHINE_I2S_STEREO, .rate = -44100, .ibuf = 64 }, "invalid rate" },
		{ "ibuf 0", { .mode = MACHINE_I2S_TX, .bits = 16, .format = MACHINE_I2S_STEREO, .rate = 8000, .ibuf = 0 }, "invalid ibuf" },
		{ "ibuf below a frame", { .mode = MACHINE_I2S_TX, .bits = 32, .format = MACHINE_I2S_STEREO, .rate = 8000, .ibuf = 7 }, "invalid ibuf" },
		{ "empty sck pin", { .sck = "", .mode = MACHINE_I2S_TX, .bits = 16, .format = MACHINE_I2S_MONO, .rate = 8000, .ibuf = 64 }, "invalid sck pin" },
		{ "sd pin with a space", { .sd = "P 0", .mode = MACHINE_I2S_TX, .bits = 16, .format = MACHINE_I2S_MONO, .rate = 8000, .ibuf = 64 }, "invalid sd pin" },
		{ "unknown flag", { .mode = MACHINE_I2S_TX, .bits = 16, .format = MACHINE_I2S_MONO, .rate = 8000, .ibuf = 64, .flags = 1u << 7 }, "invalid flags" },
	};
	struct machine_i2s_config good = config(MACHINE_I2S_TX, 16,
		MACHINE_I2S_MONO, 44100, 16384, NULL);
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct machine_i2s *o;

		tap_ok(expect_error(machine_i2s_validate(&cases[i].cfg), EINVAL,
				    cases[i].text),
		       "validate: %s is \"%s\"", cases[i].what, cases[i].text);
		errno = 0;
		o = machine_i2s_new(&cases[i].cfg);
		tap_ok(!o && errno == EINVAL &&
		       !strcmp(machine_i2s_last_error(), cases[i].text),
		       "new: %s fails with EINVAL", cases[i].what);
	}
	good.sck = "P2";
	good.ws = "P3";
	good.sd = "P0";
	tap_ok(machine_i2s_validate(&good) == 0,
	       "validate: the seed's TX example with pins is valid");
}

static void test_id_mapping(void)
{
	struct machine_i2s_config cfg = config(MACHINE_I2S_TX, 16,
		MACHINE_I2S_STEREO, 48000, 4096, NULL);
	struct machine_i2s *o;

	cfg.id = 5;
	unsetenv("MACHINE_I2S_5");
	errno = 0;
	o = machine_i2s_new(&cfg);
	tap_ok(!o && errno == ENODEV &&
	       !strcmp(machine_i2s_last_error(), "invalid id"),
	       "id: a card that does not exist is \"invalid id\"");

	setenv("MACHINE_I2S_5", device(""), 1);
	o = machine_i2s_new(&cfg);
	tap_ok(o && !strcmp(machine_i2s_device(o), "mi2s_test"),
	       "id: MACHINE_I2S_5 names the PCM of bus 5");
	machine_i2s_free(o);

	cfg.device = device("CHMIN=2");
	o = machine_i2s_new(&cfg);
	tap_ok(o && !strcmp(machine_i2s_device(o), "mi2s_test:CHMIN=2"),
	       "id: cfg.device overrides the environment");
	machine_i2s_free(o);
	unsetenv("MACHINE_I2S_5");
}

static void test_claims_and_modes(void)
{
	struct machine_i2s_config tx = config(MACHINE_I2S_TX, 16,
		MACHINE_I2S_STEREO, 48000, 4096, device(""));
	struct machine_i2s_config rx = tx;
	struct machine_i2s *a, *b, *c;
	unsigned char buf[8] = { 0 };

	rx.mode = MACHINE_I2S_RX;
	a = machine_i2s_new(&tx);
	errno = 0;
	b = machine_i2s_new(&tx);
	tap_ok(a && !b && errno == EBUSY,
	       "bus: a second TX object on one id is EBUSY");
	c = machine_i2s_new(&rx);
	tap_ok(c != NULL, "bus: a TX and an RX object share an id (full duplex)");

	tap_ok(expect_error(machine_i2s_readinto(a, buf, 4), EPERM,
			    "readinto() on a TX object"),
	       "readinto() on a TX object is EPERM");
	tap_ok(expect_error(machine_i2s_write(c, buf, 4), EPERM,
			    "write() on an RX object"),
	       "write() on an RX object is EPERM");
	tap_ok(machine_i2s_readinto(c, buf, 3) == -EINVAL,
	       "readinto() of a partial frame is EINVAL");
	tap_ok(machine_i2s_write(a, buf, 0) == 0, "write() of nothing is 0");
	tap_ok(machine_i2s_drain(c) == -EPERM, "drain() on RX is EPERM");

	tap_ok(machine_i2s_deinit(a) == 0 && machine_i2s_deinit(a) == 0,
	       "deinit() twice is fine");
	tap_ok(machine_i2s_write(a, buf, 4) == -EBADF,
	       "write() after deinit() is EBADF");
	b = machine_i2s_new(&tx);
	tap_ok(b != NULL, "deinit() releases the bus direction");
	machine_i2s_free(b);
	tap_ok(machine_i2s_init(a, &tx) == 0 && machine_i2s_write(a, buf, 4) == 4,
	       "init() brings a deinitialised object back");
	machine_i2s_free(a);
	machine_i2s_free(c);
	machine_i2s_free(NULL);
}

static void test_ibuf(void)
{
	static const struct { int bits, format, ibuf; } cases[] = {
		{ 16, MACHINE_I2S_MONO, 16384 },
		{ 32, MACHINE_I2S_STEREO, 16384 },
		{ 16, MACHINE_I2S_STEREO, 4000 },
	};
	unsigned int i;

	for (i = 0; i < 3; i++) {
		struct machine_i2s_config cfg = config(MACHINE_I2S_TX,
			cases[i].bits, cases[i].format, 44100, cases[i].ibuf,
			device(""));
		struct machine_i2s_stats st;
		struct machine_i2s *o = machine_i2s_new(&cfg);

		tap_ok(o && !machine_i2s_get_stats(o, &st) &&
		       st.buffer_bytes == (size_t)cases[i].ibuf &&
		       st.period_bytes * 4 == st.buffer_bytes,
		       "ibuf %d at %d bits %s: a %d-byte buffer in 4 periods",
		       cases[i].ibuf, cases[i].bits,
		       cases[i].format == MACHINE_I2S_MONO ? "MONO" : "STEREO",
		       cases[i].ibuf);
		machine_i2s_free(o);
	}
	{
		/* MicroPython's rate test's ibuf: 25 frames, below the floor. */
		struct machine_i2s_config cfg = config(MACHINE_I2S_TX, 32,
			MACHINE_I2S_STEREO, 11025, 200, device(""));
		struct machine_i2s_stats st = { 0 };
		struct machine_i2s *o = machine_i2s_new(&cfg);

		if (o)
			machine_i2s_get_stats(o, &st);
		tap_ok(st.buffer_bytes == 220 * 8 && st.period_bytes <= 28 * 8,
		       "ibuf 200 at 11025 Hz: the 20 ms floor, 220 frames in periods of 2.5 ms (%zu, %zu bytes)",
		       st.buffer_bytes, st.period_bytes);
		machine_i2s_free(o);
	}
}

/* Play @frames frames blocking and compare what reached the device. */
static void test_tx_exact(int bits, int format, const char *args,
			  unsigned int dev_channels)
{
	int ch = format == MACHINE_I2S_STEREO ? 2 : 1;
	size_t fb = (size_t)bits / 8 * (size_t)ch, frames = 3000, len, i;
	char dev[256];
	struct machine_i2s_config cfg;
	struct machine_i2s_stats st;
	struct machine_i2s *o;
	unsigned char *buf = malloc(frames * fb), *rec = NULL;
	bool same = false;

	snprintf(dev, sizeof(dev), "RECORD=%s%s%s", tmp("tx.raw"),
		 *args ? "," : "", args);
	cfg = config(MACHINE_I2S_TX, bits, format, 48000, 2048, device(dev));
	fill(buf, frames, bits, ch);
	o = machine_i2s_new(&cfg);
	if (o && machine_i2s_write(o, buf, frames * fb) == (ssize_t)(frames * fb) &&
	    !machine_i2s_drain(o) && !machine_i2s_get_stats(o, &st) &&
	    st.device_channels == dev_channels) {
		machine_i2s_free(o);
		o = NULL;
		rec = slurp(tmp("tx.raw"), &len);
		same = rec && len == frames * fb / (size_t)ch * dev_channels;
		for (i = 0; same && i < frames * dev_channels; i++) {
			size_t src = (i / dev_channels) * (size_t)ch +
				     (ch == 2 ? i % 2 : 0);

			same = !memcmp(rec + i * ((size_t)bits / 8),
				       buf + src * ((size_t)bits / 8),
				       (size_t)bits / 8);
		}
	} else {
		printf("# %s\n", machine_i2s_last_error());
	}
	tap_ok(same, "TX %d-bit %s on %u device channel(s)%s%s: bit-exact",
	       bits, ch == 2 ? "STEREO" : "MONO", dev_channels,
	       *args ? " " : "", args);
	machine_i2s_free(o);
	free(buf);
	free(rec);
}

/* Record and compare against the test PCM's pattern. */
static void test_rx_exact(int bits, int format, const char *args,
			  unsigned int dev_channels)
{
	int ch = format == MACHINE_I2S_STEREO ? 2 : 1;
	size_t fb = (size_t)bits / 8 * (size_t)ch, frames = 2500, f;
	struct machine_i2s_config cfg = config(MACHINE_I2S_RX, bits, format,
		48000, 4096, device(args));
	struct machine_i2s_stats st;
	struct machine_i2s *o = machine_i2s_new(&cfg);
	unsigned char *buf = malloc(frames * fb);
	bool same = false;
	int c;

	/* Two reads: continuity across calls is part of the contract. */
	if (o && machine_i2s_readinto(o, buf, 1000 * fb) == (ssize_t)(1000 * fb) &&
	    machine_i2s_readinto(o, buf + 1000 * fb, 1500 * fb) == (ssize_t)(1500 * fb) &&
	    !machine_i2s_get_stats(o, &st) && st.device_channels == dev_channels &&
	    st.xruns == 0) {
		same = true;
		for (f = 0; same && f < frames; f++)
			for (c = 0; c < ch; c++)
				same = same && get_sample(buf + f * fb + (size_t)c * ((size_t)bits / 8), bits) ==
					testpcm_pattern(f, (unsigned int)c, (unsigned int)bits);
	} else {
		printf("# %s\n", machine_i2s_last_error());
	}
	tap_ok(same, "RX %d-bit %s on %u device channel(s)%s%s: bit-exact",
	       bits, ch == 2 ? "STEREO" : "MONO", dev_channels,
	       *args ? " " : "", args);
	machine_i2s_free(o);
	free(buf);
}

/*
 * MicroPython's rate check: with ibuf = 200 bytes at 11025 Hz, after a
 * first 200 ms transfer has filled the buffer, two more take 400 ms.
 */
static void test_rate(int mode, int bits, int format)
{
	int ch = format == MACHINE_I2S_STEREO ? 2 : 1;
	size_t len = 11025 / 5 * (size_t)(bits / 8 * ch);
	struct machine_i2s_config cfg = config(mode, bits, format, 11025, 200,
					       device(""));
	struct machine_i2s *o = machine_i2s_new(&cfg);
	unsigned char *buf = calloc(1, len);
	double t0, dt = -1;

	if (o) {
		ssize_t (*io)(struct machine_i2s *, void *, size_t) =
			mode == MACHINE_I2S_TX ?
			(ssize_t (*)(struct machine_i2s *, void *, size_t))machine_i2s_write :
			machine_i2s_readinto;

		io(o, buf, len);
		t0 = now();
		if (io(o, buf, len) == (ssize_t)len && io(o, buf, len) == (ssize_t)len)
			dt = now() - t0;
	}
	tap_ok(dt > 0.396 && dt < 0.404,
	       "rate: %s %d-bit %s, two 200 ms transfers take %.1f ms (400 +- 4)",
	       mode == MACHINE_I2S_TX ? "TX" : "RX", bits,
	       ch == 2 ? "STEREO" : "MONO", dt * 1000);
	machine_i2s_free(o);
	free(buf);
}

struct cb_state {
	atomic_int calls;
	struct machine_i2s *seen;
	pthread_t thread;
	int chain;		/* further writes to queue from the callback */
	unsigned char *buf;
	size_t len;
	int deinit_ret;
};

static void on_done(struct machine_i2s *i2s, void *arg)
{
	struct cb_state *s = arg;

	s->seen = i2s;
	s->thread = pthread_self();
	s->deinit_ret = machine_i2s_deinit(i2s);
	if (s->chain > 0) {
		s->chain--;
		machine_i2s_write(i2s, s->buf + (size_t)(3 - s->chain) * s->len,
				  s->len);
	}
	atomic_fetch_add(&s->calls, 1);
}

static bool wait_calls(struct cb_state *s, int n, int ms)
{
	while (atomic_load(&s->calls) < n && ms-- > 0)
		sleep_ms(1);
	return atomic_load(&s->calls) >= n;
}

/*
 * write() takes any length and keeps a trailing partial frame for the
 * next call (MicroPython's write() copies bytes, not frames): the frames
 * played are the bytes written, in order, in every style.
 */
static void test_partial_frames(void)
{
	static const size_t cuts[] = { 3, 5, 1, 1, 1, 4, 2, 7 };	/* 24 bytes */
	unsigned char buf[64], *rec;
	char dev[256], what[3][16] = { "blocking", "non-blocking", "callback" };
	struct machine_i2s_config cfg;
	struct cb_state s = { 0 };
	struct machine_i2s *o;
	size_t i, at, len;
	bool all;

	fill(buf, sizeof(buf) / 4, 16, 2);
	snprintf(dev, sizeof(dev), "RECORD=%s", tmp("partial.raw"));
	cfg = config(MACHINE_I2S_TX, 16, MACHINE_I2S_STEREO, 48000, 4096,
		     device(dev));
	for (int style = 0; style < 3; style++) {
		o = machine_i2s_new(&cfg);
		all = o != NULL;
		if (all && style == 1)
			machine_i2s_set_nonblocking(o, true);
		if (all && style == 2)
			machine_i2s_irq(o, on_done, &s);
		atomic_store(&s.calls, 0);
		for (i = 0, at = 0; all && i < sizeof(cuts) / sizeof(*cuts); i++) {
			all = machine_i2s_write(o, buf + at, cuts[i]) ==
			      (ssize_t)cuts[i];
			if (style == 2)
				all = all && wait_calls(&s, (int)i + 1, 2000);
			at += cuts[i];
		}
		/* Three bytes short of a frame stay unplayed. */
		all = all && machine_i2s_write(o, buf + at, 3) == 3;
		if (style == 2)
			all = all && wait_calls(&s, (int)i + 1, 2000) &&
			      machine_i2s_irq(o, NULL, NULL) == 0;
		all = all && machine_i2s_drain(o) == 0;
		machine_i2s_free(o);
		rec = slurp(tmp("partial.raw"), &len);
		tap_ok(all && rec && len == at && !memcmp(rec, buf, at),
		       "write(): %s, lengths that split frames play the bytes in order, a trailing partial frame is kept (%zu of %zu bytes)",
		       what[style], rec ? len : 0, at);
		free(rec);
	}

	/* deinit() drops a kept partial frame: it is not sent after init(). */
	o = machine_i2s_new(&cfg);
	all = o && machine_i2s_write(o, buf, 2) == 2 &&
	      !machine_i2s_init(o, &cfg) && machine_i2s_write(o, buf + 8, 8) == 8 &&
	      !machine_i2s_drain(o);
	machine_i2s_free(o);
	rec = slurp(tmp("partial.raw"), &len);
	tap_ok(all && rec && len == 8 && !memcmp(rec, buf + 8, 8),
	       "write(): init() drops the kept partial frame (%zu bytes played)",
	       rec ? len : 0);
	free(rec);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/*
 * MACHINE_I2S_EINTR: a signal handler that runs during a blocking write
 * ends it early with the count written, as write(2); without the flag
 * the write goes on to the end.  A handler that runs between two waits
 * ends none (as for write(2)), and on a loaded host one alarm can land
 * there, so the alarm repeats every 20 ms until it is disarmed.
 */
static void disarm(void)
{
	struct itimerval off = { 0 };

	setitimer(ITIMER_REAL, &off, NULL);
}

static void test_eintr(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { .tv_usec = 50000 },
				.it_interval = { .tv_usec = 20000 } };
	size_t len = 48000 / 2 * 4;	/* 500 ms, 16-bit STEREO */
	unsigned char *buf = calloc(1, len);
	struct machine_i2s_config cfg;
	struct machine_i2s *o;
	double t0, dt;
	ssize_t r;

	sigaction(SIGALRM, &sa, NULL);
	for (int flag = 0; flag < 2; flag++) {
		cfg = config(MACHINE_I2S_TX, 16, MACHINE_I2S_STEREO, 48000, 4096,
			     device(""));
		cfg.flags = flag ? MACHINE_I2S_EINTR : 0;
		o = machine_i2s_new(&cfg);
		alarms = 0;
		t0 = now();
		setitimer(ITIMER_REAL, &it, NULL);
		r = o ? machine_i2s_write(o, buf, len) : -1;
		dt = now() - t0;
		disarm();
		if (flag)
			tap_ok(alarms >= 1 && r > 0 && r < (ssize_t)len &&
			       r % 4 == 0 && dt < 0.2,
			       "EINTR flag: a signal ends a blocking write() early with the whole frames written (%zd of %zu bytes, %.0f ms, %d alarms)",
			       r, len, dt * 1000, (int)alarms);
		else
			tap_ok(alarms >= 1 && r == (ssize_t)len,
			       "no EINTR flag: signal handlers do not cut a blocking write() short (%zd of %zu bytes, %d alarms)",
			       r, len, (int)alarms);
		machine_i2s_free(o);
	}
	/* drain() too; a second drain() then waits out the rest. */
	cfg = config(MACHINE_I2S_TX, 16, MACHINE_I2S_STEREO, 48000, 65536,
		     device(""));
	cfg.flags = MACHINE_I2S_EINTR;
	o = machine_i2s_new(&cfg);
	r = o ? machine_i2s_write(o, buf, 48000 / 4 * 4) : -1;	/* 250 ms */
	alarms = 0;
	t0 = now();
	setitimer(ITIMER_REAL, &it, NULL);
	{
		int first = o ? machine_i2s_drain(o) : -1;
		double cut = now() - t0;
		int second;

		disarm();
		second = o ? machine_i2s_drain(o) : -1;
		double all = now() - t0;

		tap_ok(r == 48000 && first == -EINTR && cut < 0.15 &&
		       second == 0 && all > 0.15,
		       "EINTR flag: a signal ends drain() early (-EINTR after %.0f ms); the next drain() waits out the rest (%.0f ms)",
		       cut * 1000, all * 1000);
	}
	machine_i2s_free(o);

	/* Nothing moved yet: -EINTR, as read(2) and write(2). */
	cfg = config(MACHINE_I2S_RX, 16, MACHINE_I2S_STEREO, 48000, 4096,
		     device(""));
	cfg.flags = MACHINE_I2S_EINTR;
	o = machine_i2s_new(&cfg);
	it.it_value.tv_usec = 2000;
	alarms = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	r = o ? machine_i2s_readinto(o, buf, len) : -1;
	disarm();
	tap_ok(r == -EINTR || (r > 0 && r < (ssize_t)len),
	       "EINTR flag: readinto() too: -EINTR or the frames read (%zd)", r);
	machine_i2s_free(o);
	signal(SIGALRM, SIG_DFL);
	free(buf);
}

static void test_irq(void)
{
	size_t frames = 4800, len = frames * 4, rlen;
	char dev[256];
	struct machine_i2s_config cfg;
	struct cb_state s = { 0 };
	struct machine_i2s *o;
	unsigned char *buf = malloc(len * 4), *rec;
	double t0, dt;
	ssize_t r;

	snprintf(dev, sizeof(dev), "RECORD=%s", tmp("irq.raw"));
	cfg = config(MACHINE_I2S_TX, 16, MACHINE_I2S_STEREO, 48000, 1024,
		     device(dev));
	fill(buf, frames * 4, 16, 2);
	o = machine_i2s_new(&cfg);
	tap_ok(machine_i2s_irq(o, NULL, &s) == -EINVAL &&
	       !strcmp(machine_i2s_last_error(), "invalid callback"),
	       "irq: an argument without a handler is \"invalid callback\"");
	tap_ok(machine_i2s_irq(o, on_done, &s) == 0, "irq: handler installed");
	t0 = now();
	r = machine_i2s_write(o, buf, len);
	dt = now() - t0;
	tap_ok(r == (ssize_t)len && dt < 0.02,
	       "irq: write() of 100 ms returns at once (%.1f ms)", dt * 1000);
	tap_ok(machine_i2s_write(o, buf, len) == -EBUSY,
	       "irq: a second write() before the callback is EBUSY");
	tap_ok(wait_calls(&s, 1, 2000) && s.seen == o &&
	       !pthread_equal(s.thread, pthread_self()),
	       "irq: the handler ran once, on the library's thread, with the object");
	tap_ok(s.deinit_ret == -EDEADLK,
	       "irq: deinit() from the handler is refused (EDEADLK)");

	/* Chain three more buffers from the handler, MicroPython style. */
	s.chain = 3;
	s.buf = buf;
	s.len = len;
	tap_ok(machine_i2s_write(o, buf, len) == (ssize_t)len &&
	       wait_calls(&s, 5, 3000), "irq: the handler chains writes");
	tap_ok(machine_i2s_irq(o, NULL, NULL) == 0 && machine_i2s_drain(o) == 0,
	       "irq: back to blocking, drained");
	machine_i2s_free(o);
	rec = slurp(tmp("irq.raw"), &rlen);
	tap_ok(rec && rlen == 5 * len && !memcmp(rec, buf, len) &&
	       !memcmp(rec + len, buf, 4 * len),
	       "irq: nothing dropped or reordered (%zu of %zu bytes)", rlen,
	       5 * len);
	free(rec);
	free(buf);
}

static void test_irq_rx(void)
{
	size_t frames = 2400, len = frames * 8, f;
	struct machine_i2s_config cfg = config(MACHINE_I2S_RX, 32,
		MACHINE_I2S_STEREO, 48000, 2048, device(""));
	struct cb_state s = { 0 };
	struct machine_i2s *o = machine_i2s_new(&cfg);
	unsigned char *buf = calloc(1, len);
	bool same;

	tap_ok(o && !machine_i2s_irq(o, on_done, &s) &&
	       machine_i2s_readinto(o, buf, len) == (ssize_t)len &&
	       atomic_load(&s.calls) == 0,
	       "irq RX: readinto() returns before the data is there");
	same = wait_calls(&s, 1, 2000);
	for (f = 0; same && f < frames; f++)
		same = get_sample(buf + f * 8, 32) == testpcm_pattern(f, 0, 32) &&
		       get_sample(buf + f * 8 + 4, 32) == testpcm_pattern(f, 1, 32);
	tap_ok(same, "irq RX: the handler runs when the buffer is full and right");
	machine_i2s_free(o);
	free(buf);
}

static bool readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

static void test_poll(void)
{
	struct machine_i2s_config cfg = config(MACHINE_I2S_TX, 16,
		MACHINE_I2S_STEREO, 48000, 4096, device(""));
	struct machine_i2s *o = machine_i2s_new(&cfg);
	unsigned char buf[8192] = { 0 };
	struct machine_i2s_config rc = cfg;
	struct machine_i2s *r;
	ssize_t n, total = 0;
	int fd, rfd;

	machine_i2s_set_nonblocking(o, true);
	fd = machine_i2s_fileno(o);
	tap_ok(fd >= 0 && readable(fd, 100), "poll: an empty TX is writable");
	while ((n = machine_i2s_write(o, buf, sizeof(buf))) > 0)
		total += n;
	tap_ok(n == -EAGAIN && total >= 4096 && total < 4096 + 8192,
	       "poll: partial writes fill the buffer, then EAGAIN (%zd bytes)",
	       total);
	tap_ok(!readable(fd, 0), "poll: a full TX is not writable");
	tap_ok(readable(fd, 200) && machine_i2s_write(o, buf, sizeof(buf)) > 0,
	       "poll: writable again when a period has played");

	rc.mode = MACHINE_I2S_RX;
	r = machine_i2s_new(&rc);
	machine_i2s_set_nonblocking(r, true);
	rfd = machine_i2s_fileno(r);
	tap_ok(r && readable(rfd, 500) && machine_i2s_readinto(r, buf, 64) == 64,
	       "poll: RX becomes readable and reads without waiting");
	while ((n = machine_i2s_readinto(r, buf, sizeof(buf))) > 0)
		;
	tap_ok(n == -EAGAIN && !readable(rfd, 0),
	       "poll: reads end in EAGAIN, and a drained RX is not readable");
	machine_i2s_free(o);
	machine_i2s_free(r);
}

static void test_xruns(void)
{
	struct machine_i2s_config cfg = config(MACHINE_I2S_TX, 16,
		MACHINE_I2S_STEREO, 48000, 1024, device(""));
	unsigned char buf[4096] = { 0 };
	struct machine_i2s_stats st = { 0 };
	struct machine_i2s *o;
	bool ok;

	o = machine_i2s_new(&cfg);
	machine_i2s_write(o, buf, 1024);
	sleep_ms(30);	/* 256 frames last 5 ms */
	ok = machine_i2s_write(o, buf, 1024) == 1024 &&
	     !machine_i2s_get_stats(o, &st) && st.xruns == 1;
	tap_ok(ok, "xrun: an underrun is recovered and counted (%llu)",
	       (unsigned long long)st.xruns);
	machine_i2s_free(o);

	cfg.flags = MACHINE_I2S_XRUN_ERRORS;
	o = machine_i2s_new(&cfg);
	machine_i2s_write(o, buf, 1024);
	sleep_ms(30);
	tap_ok(expect_error(machine_i2s_write(o, buf, 1024), EPIPE, "underrun") &&
	       machine_i2s_write(o, buf, 1024) == 1024,
	       "xrun: MACHINE_I2S_XRUN_ERRORS reports it as EPIPE, then goes on");
	machine_i2s_free(o);

	cfg.flags = 0;
	cfg.device = device("XRUN=2000");
	o = machine_i2s_new(&cfg);
	for (int i = 0; i < 10; i++)
		machine_i2s_write(o, buf, sizeof(buf));
	tap_ok(!machine_i2s_get_stats(o, &st) && st.xruns == 1 &&
	       st.frames == 10 * 1024,
	       "xrun: a device-reported xrun is counted, no frame lost to the caller");
	machine_i2s_free(o);

	cfg.mode = MACHINE_I2S_RX;
	cfg.device = device("");
	o = machine_i2s_new(&cfg);
	machine_i2s_readinto(o, buf, 64);
	sleep_ms(30);
	tap_ok(machine_i2s_readinto(o, buf, 1024) == 1024 &&
	       !machine_i2s_get_stats(o, &st) && st.xruns == 1,
	       "xrun: an overrun is recovered and counted");
	machine_i2s_free(o);
}

/* With xruns as errors, what moved before one is not lost to the caller. */
static void test_xrun_partial(void)
{
	struct machine_i2s_config cfg = config(MACHINE_I2S_TX, 16,
		MACHINE_I2S_STEREO, 48000, 1024, device("XRUN=4000"));
	static unsigned char buf[64000];
	struct machine_i2s *o;
	ssize_t first, second;

	cfg.flags = MACHINE_I2S_XRUN_ERRORS;
	o = machine_i2s_new(&cfg);
	first = machine_i2s_write(o, buf, sizeof(buf));
	second = machine_i2s_write(o, buf, 4);
	tap_ok(first > 0 && first < (ssize_t)sizeof(buf) && first % 4 == 0 &&
	       second == -EPIPE &&
	       !strcmp(machine_i2s_last_error(), "underrun") &&
	       machine_i2s_write(o, buf, 4) == 4,
	       "xrun: a write cut by an xrun returns its short count (%zd), the next one EPIPE",
	       first);
	machine_i2s_free(o);
}

struct slow_cb {
	atomic_int running, finished;
};

static void on_slow(struct machine_i2s *i2s, void *arg)
{
	struct slow_cb *s = arg;

	(void)i2s;
	atomic_store(&s->running, 1);
	sleep_ms(100);
	atomic_store(&s->finished, 1);
}

static void test_irq_teardown(void)
{
	struct machine_i2s_config cfg = config(MACHINE_I2S_TX, 16,
		MACHINE_I2S_STEREO, 48000, 1024, device(""));
	struct slow_cb s = { 0 };
	unsigned char buf[1024] = { 0 };
	struct machine_i2s *o = machine_i2s_new(&cfg);
	int i, fd;

	machine_i2s_irq(o, on_slow, &s);
	machine_i2s_write(o, buf, sizeof(buf));
	for (i = 0; i < 2000 && !atomic_load(&s.running); i++)
		sleep_ms(1);
	tap_ok(atomic_load(&s.running) && machine_i2s_irq(o, NULL, NULL) == 0 &&
	       atomic_load(&s.finished),
	       "irq(NULL) returns only once a running handler has returned");

	/* The event-loop descriptor follows the PCM again after a job. */
	machine_i2s_set_nonblocking(o, true);
	fd = machine_i2s_fileno(o);
	while (machine_i2s_write(o, buf, sizeof(buf)) > 0)
		;
	s.running = s.finished = 0;
	machine_i2s_irq(o, on_slow, &s);
	machine_i2s_write(o, buf, sizeof(buf));
	for (i = 0; i < 2000 && !atomic_load(&s.finished); i++)
		sleep_ms(1);
	machine_i2s_irq(o, NULL, NULL);
	tap_ok(readable(fd, 500),
	       "poll: the descriptor wakes again after a callback-mode transfer");
	machine_i2s_free(o);
}

/* Not allowed, but it must not crash: deinit()/init() under a writer. */
static void test_rule_breaking(void)
{
	struct machine_i2s_config cfg = config(MACHINE_I2S_TX, 16,
		MACHINE_I2S_MONO, 48000, 1024, device("CHMIN=2"));
	struct machine_i2s_config wide = cfg;
	struct io_thread w = { .len = 48000 * 2, .tx = true };
	pthread_t th;
	int i;

	wide.bits = 32;
	wide.format = MACHINE_I2S_STEREO;
	for (i = 0; i < 2; i++) {
		w.o = machine_i2s_new(&cfg);
		w.buf = calloc(1, w.len);
		pthread_create(&th, NULL, io_thread_run, &w);
		sleep_ms(100);
		if (i)
			machine_i2s_init(w.o, &wide);
		else
			machine_i2s_deinit(w.o);
		pthread_join(th, NULL);
		tap_ok(w.ret == -EBADF,
		       "a blocking write() whose object is %s under it gives EBADF, nothing worse",
		       i ? "reconfigured" : "deinitialised");
		machine_i2s_free(w.o);
		free(w.buf);
	}
}

static void test_device_limits(void)
{
	struct machine_i2s_config cfg = config(MACHINE_I2S_TX, 16,
		MACHINE_I2S_STEREO, 7000, 1024, device(""));
	struct machine_i2s_stats st;
	struct machine_i2s *o;

	errno = 0;
	o = machine_i2s_new(&cfg);
	tap_ok(!o && errno == EINVAL &&
	       !strcmp(machine_i2s_last_error(), "invalid rate"),
	       "device: a rate it cannot make is \"invalid rate\"");
	cfg.rate = 48000;
	cfg.device = device("CHMIN=1,CHMAX=1");
	cfg.format = MACHINE_I2S_STEREO;
	o = machine_i2s_new(&cfg);
	tap_ok(!o && !strcmp(machine_i2s_last_error(), "invalid format"),
	       "device: STEREO on a mono-only device is \"invalid format\"");
	cfg.format = MACHINE_I2S_MONO;
	o = machine_i2s_new(&cfg);
	tap_ok(o && !machine_i2s_get_stats(o, &st) && st.device_channels == 1 &&
	       st.device_bits == 16 && st.device_rate == 48000,
	       "device: stats report the device's layout");
	machine_i2s_free(o);
}

/* MicroPython's shift(), written the obvious way, as the reference. */
static int32_t ref_shift(int32_t v, int bits, int sh, bool sat)
{
	int64_t r;

	if (sh < 0)
		return (int32_t)((int64_t)v >> (sh <= -bits ? bits - 1 : -sh));
	if (sh >= bits)
		return sat ? (v > 0 ? (bits == 16 ? INT16_MAX : INT32_MAX) :
			      v < 0 ? (bits == 16 ? INT16_MIN : INT32_MIN) : 0) : 0;
	r = (int64_t)v * ((int64_t)1 << sh);
	if (sat) {
		int64_t hi = bits == 16 ? INT16_MAX : INT32_MAX;

		return (int32_t)(r > hi ? hi : r < -hi - 1 ? -hi - 1 : r);
	}
	return bits == 16 ? (int16_t)(uint16_t)(uint64_t)r :
			    (int32_t)(uint32_t)(uint64_t)r;
}

/*
 * Scale the sample at @p down by a random power of two, so that every
 * magnitude is drawn, the clip thresholds of every shift included.
 */
static int32_t shrink(unsigned char *p, int bits)
{
	int32_t v = (int32_t)get_sample(p, bits) >> (rand() % bits);
	int b;

	for (b = 0; b < bits / 8; b++)
		p[b] = (unsigned char)((uint32_t)v >> (8 * b));
	return v;
}

/* shift() and shift_saturating() with the loops built for @isa. */
static void test_shift_isa(const char *isa)
{
	unsigned char raw[4 * 1000 + 3], *p;
	int bits, sh, sat, misalign;
	bool ok = true;
	size_t i, n;

	if (!mi2s_shift_use(isa)) {
		tap_ok(1, "shift (%s loops): # SKIP not in this build or CPU", isa);
		return;
	}
	srand(1);
	for (sat = 0; sat < 2; sat++)
		for (bits = 16; bits <= 32; bits += 16)
			for (misalign = 0; misalign < 2; misalign++)
				for (sh = -40; sh <= 40 && ok; sh++) {
					int32_t before[1000];

					p = raw + misalign;
					n = 997;	/* not a whole number of vectors */
					for (i = 0; i < sizeof(raw); i++)
						raw[i] = (unsigned char)rand();
					for (i = 0; i < n; i++)
						before[i] = shrink(p + i * (size_t)(bits / 8), bits);
					(sat ? machine_i2s_shift_saturating : machine_i2s_shift)
						(p, n * (size_t)(bits / 8) + 1, bits, sh);
					for (i = 0; i < n && ok; i++)
						ok = get_sample(p + i * (size_t)(bits / 8), bits) ==
						     ref_shift(before[i], bits, sh, sat);
					if (!ok)
						printf("# %s: bits %d shift %d sat %d misalign %d sample %zu\n",
						       isa, bits, sh, sat, misalign, i - 1);
				}
	tap_ok(ok, "shift (%s loops): wrap and saturate match the reference for 16/32 bits, -40..40, any alignment",
	       isa);
}

/* A fast generator: the large buffers would spend their time in rand(). */
static uint32_t xorshift(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* One shift_one() case: where, how long, and how. */
struct shift_case {
	size_t off, len;
	int bits, sh;
	bool sat;
};

/*
 * Shift the c->len bytes at @buf + c->off, random samples each scaled
 * down by a random power of two, and check each sample against
 * ref_shift() and each other byte of the first @size (a trailing partial
 * sample, 64 bytes either side) for being untouched.  @orig holds @size
 * bytes.
 */
static bool shift_one(unsigned char *buf, unsigned char *orig, size_t size,
		      const struct shift_case *c, uint32_t *seed)
{
	size_t w = (size_t)c->bits / 8, whole = c->len / w * w, i;
	unsigned char *p = buf + c->off;
	int b;

	for (i = 0; i < size; i++)
		buf[i] = (unsigned char)(xorshift(seed) >> 8);
	for (i = 0; i < whole; i += w) {
		int32_t v = (int32_t)get_sample(p + i, c->bits) >>
			    (xorshift(seed) % (uint32_t)c->bits);

		for (b = 0; b < c->bits / 8; b++)
			p[i + (size_t)b] = (unsigned char)((uint32_t)v >> (8 * b));
	}
	memcpy(orig, buf, size);
	(c->sat ? machine_i2s_shift_saturating : machine_i2s_shift)
		(p, c->len, c->bits, c->sh);
	for (i = 0; i < size; i++)
		if ((i < c->off || i >= c->off + whole) && buf[i] != orig[i])
			goto wrong;
	for (i = c->off; i < c->off + whole; i += w)
		if (get_sample(buf + i, c->bits) !=
		    ref_shift((int32_t)get_sample(orig + i, c->bits),
			      c->bits, c->sh, c->sat))
			goto wrong;
	return true;
wrong:
	printf("# bits %d shift %d sat %d offset %zu length %zu: wrong at byte %zu\n",
	       c->bits, c->sh, c->sat, c->off, c->len, i);
	return false;
}

/*
 * The edges of @isa's loops: the short copy, the unaligned first and last
 * vectors and the aligned loop between, for every vector width; then
 * every shift; then a buffer large enough to take the streaming stores.
 */
static void test_shift_edges(const char *isa)
{
	/* Each loop once: v >> 1, v >> 3, v << 3 and the saturating one. */
	static const struct { int sh; bool sat; } loop[] = {
		{ -1, false }, { -3, false }, { 3, false }, { 3, true },
	};
	static const int ends[] = { INT_MIN, INT_MIN + 1, INT_MAX - 1, INT_MAX };
	const size_t max = 4 * 64 + 3, big = ((size_t)8 << 20) + 3 * 1024 + 5;
	/* aligned_alloc() takes a multiple of the alignment */
	unsigned char *buf = aligned_alloc(64, (big + 128 + 63) / 64 * 64);
	unsigned char *orig = malloc(big + 128);
	bool edges = true, shifts = true, large = true;
	struct shift_case c;
	uint32_t seed = 1;
	size_t l;
	int r;

	if (!buf || !orig || !mi2s_shift_use(isa)) {
		tap_ok(1, "shift (%s loops) edges: # SKIP not in this build or CPU",
		       isa);
		free(buf);
		free(orig);
		return;
	}
	/* Every byte length to max at every offset from a 64-byte boundary. */
	for (c.bits = 16; c.bits <= 32; c.bits += 16)
		for (l = 0; l < sizeof(loop) / sizeof(loop[0]); l++) {
			c.sh = loop[l].sh;
			c.sat = loop[l].sat;
			for (c.off = 0; c.off < 64 && edges; c.off++)
				for (c.len = 0; c.len <= max && edges; c.len++)
					edges = shift_one(buf, orig, c.off + c.len + 64,
							  &c, &seed);
		}
	tap_ok(edges, "shift (%s loops): every length to %zu bytes at every offset from a 64-byte boundary",
	       isa, max);
	/*
	 * Every shift from -BITS-1 to BITS+1, and the ends of int (which
	 * must not be negated unclamped), at random offsets and lengths.
	 */
	for (c.sat = false; ; c.sat = true) {
		for (c.bits = 16; c.bits <= 32; c.bits += 16)
			for (l = 0; l < (size_t)c.bits * 2 + 3 + 4 && shifts; l++) {
				c.sh = l < sizeof(ends) / sizeof(ends[0]) ? ends[l] :
				       (int)(l - sizeof(ends) / sizeof(ends[0])) -
				       c.bits - 1;
				for (r = 0; r < 64 && shifts; r++) {
					c.off = xorshift(&seed) % 64;
					c.len = xorshift(&seed) % 700;
					shifts = shift_one(buf, orig, c.off + c.len + 64,
							   &c, &seed);
				}
			}
		if (c.sat)
			break;
	}
	tap_ok(shifts, "shift (%s loops): every shift from -BITS-1 to BITS+1 and INT_MIN, INT_MIN+1, INT_MAX-1, INT_MAX at random offsets and lengths",
	       isa);
	/* Past the streaming threshold, after a head: v >> 3 and saturating. */
	c.len = big;
	for (c.bits = 16; c.bits <= 32 && large; c.bits += 16)
		for (l = 1; l < sizeof(loop) / sizeof(loop[0]) && large; l += 2) {
			c.off = (size_t)c.bits / 8;
			c.sh = loop[l].sh;
			c.sat = loop[l].sat;
			large = shift_one(buf, orig, big + 128, &c, &seed);
		}
	tap_ok(large, "shift (%s loops): a buffer of over 8 MiB, streamed", isa);
	free(buf);
	free(orig);
}

static void test_shift(void)
{
	unsigned char raw[4];

	/* Every set of loops the library picks from; the CPU's own last. */
	test_shift_isa("generic");
	test_shift_isa("base");
	test_shift_isa("avx2");
	test_shift_isa("avx512");
	test_shift_edges("generic");
	test_shift_edges("base");
	test_shift_edges("avx2");
	test_shift_edges("avx512");

	tap_ok(expect_error(machine_i2s_shift(raw, 4, 24, 1), EINVAL, "invalid bits"),
	       "shift: 24 bits is \"invalid bits\", as in MicroPython");
	raw[0] = 0x11;
	raw[1] = 0x22;
	raw[2] = 0x33;
	machine_i2s_shift(raw, 3, 16, 4);
	tap_ok(raw[0] == 0x10 && raw[1] == 0x21 && raw[2] == 0x33,
	       "shift: a trailing partial sample is left alone");
}

int main(void)
{
	const char *conf = getenv("ALSA_CONFIG_PATH");

	if (!conf || !*conf) {
		printf("Bail out! ALSA_CONFIG_PATH must name the test PCM's asound.conf\n");
		return 1;
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/mi2s-test-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}

	test_validation();
	test_id_mapping();
	test_claims_and_modes();
	test_ibuf();
	test_tx_exact(16, MACHINE_I2S_STEREO, "", 2);
	test_tx_exact(32, MACHINE_I2S_STEREO, "", 2);
	test_tx_exact(24, MACHINE_I2S_STEREO, "", 2);
	test_tx_exact(16, MACHINE_I2S_MONO, "", 1);
	test_tx_exact(16, MACHINE_I2S_MONO, "CHMIN=2", 2);
	test_tx_exact(32, MACHINE_I2S_MONO, "CHMIN=2", 2);
	test_rx_exact(16, MACHINE_I2S_STEREO, "", 2);
	test_rx_exact(32, MACHINE_I2S_STEREO, "", 2);
	test_rx_exact(16, MACHINE_I2S_MONO, "", 1);
	test_rx_exact(32, MACHINE_I2S_MONO, "CHMIN=2", 2);
	test_rx_exact(24, MACHINE_I2S_STEREO, "", 2);
	for (int mode = MACHINE_I2S_TX; mode <= MACHINE_I2S_RX; mode++)
		for (int bits = 16; bits <= 32; bits += 16)
			for (int fmt = MACHINE_I2S_MONO; fmt <= MACHINE_I2S_STEREO; fmt++)
				test_rate(mode, bits, fmt);
	test_partial_frames();
	test_eintr();
	test_irq();
	test_irq_rx();
	test_poll();
	test_xruns();
	test_xrun_partial();
	test_irq_teardown();
	test_rule_breaking();
	test_device_limits();
	test_shift();

	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
		if (system(cmd))
			printf("# could not remove %s\n", tmpdir);
	}
	return tap_done();
}
