// SPDX-License-Identifier: GPL-2.0
/*
 * hw-params-explorer PCM BOARD TDM_SLOTS SEED STREAMS [--stream-only]:
 * walk the hardware parameters a PCM advertises and check that the driver
 * keeps its word.
 *
 * Every sample format x channel count x standard rate in the advertised
 * space is tried in each direction, with a period and buffer size drawn
 * from the space that is left (a fixed seed, so a run can be repeated).
 * A configuration is then one of:
 *  - refused by the constraints: ALSA's refinement takes it out before
 *    the driver is asked, which userspace sees when it sets the value;
 *  - refused at hw_params: allowed only with a kernel message of warning
 *    level or worse, other than ASoC's own "error at" line;
 *  - accepted: hw_params took it, and prepare and trigger start must too.
 * STREAMS of the configurations both directions accept are then streamed
 * full duplex, linked, and the recording must hold the played frames
 * bit-exact.  Within the simulator's real-time envelope (at most
 * SLOT_LIMIT slots a second, periods of 5 ms or more in a buffer of 80 ms
 * or more, as an emulated guest can be late by tens of ms; TDM_SLOTS is the
 * board's TDM slot count, 0 for a frame of the channels) that must come
 * with no xrun; outside it an xrun may end the stream, but only as EPIPE.
 *
 * With --stream-only, nothing is walked: the sample is drawn from the
 * advertised space inside the envelope, each with a 25 ms period.
 *
 * Prints "ok - ..." and "not ok - ..." lines and "# ..." comments, which
 * the e2e suite numbers; exits 0 unless it cannot run at all.
 */
#include <alsa/asoundlib.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test-util.h"

#define SLOT_LIMIT 192000u	/* within REALTIME_SLOTS in openi2s_e2e.py */
#define MIN_PERIOD_S 0.005
#define MIN_BUFFER_S 0.08
#define MIN_STREAM_BUFFER_S 0.02
#define MAX_BUFFER_S 0.25
#define MAX_CHANNELS 32
#define N_REASONS 16
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const unsigned int std_rates[] = {
	8000, 11025, 16000, 22050, 32000, 44100, 48000,
	64000, 88200, 96000, 176400, 192000,
};

struct cfg {
	snd_pcm_format_t format;
	unsigned int channels;
	unsigned int rate;
	snd_pcm_uframes_t period;
	snd_pcm_uframes_t buffer;
};

struct counts {
	unsigned int walked;
	unsigned int accepted;
	unsigned int by_constraints;
	unsigned int at_hw_params;
	unsigned int silent_refusals;
	unsigned int late_refusals;
	unsigned int streamed;
	unsigned int exact;
	unsigned int xruns;
	unsigned int wrong;
};

static const char *const dirnames[] = { "playback", "capture" };
static const char *board;
static bool stream_only;
static unsigned int tdm_slots;
static int kmsg = -1;

/* The refusals' kernel messages, digits folded, with how often each came. */
static struct {
	char text[160];
	char first[128];
	unsigned int count;
} reasons[N_REASONS];

static void count_reason(const char *msg, const char *cfg)
{
	char key[160];
	size_t i, j = 0;

	for (i = 0; msg[i] && j + 1 < sizeof(key); i++)
		if (msg[i] < '0' || msg[i] > '9')
			key[j++] = msg[i];
		else if (!j || key[j - 1] != '#')
			key[j++] = '#';
	key[j] = 0;
	for (i = 0; i < N_REASONS && reasons[i].count; i++)
		if (!strcmp(reasons[i].text, key))
			break;
	if (i == N_REASONS)
		return;
	if (!reasons[i].count++) {
		snprintf(reasons[i].text, sizeof(reasons[i].text), "%s", key);
		snprintf(reasons[i].first, sizeof(reasons[i].first), "%s", cfg);
	}
}

/* xorshift64*: the same draws for the same seed on every machine. */
static uint64_t rnd_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static double rnd_unit(uint64_t *s)
{
	return (double)(rnd_next(s) >> 11) / (double)(1ULL << 53);
}

/* A size between lo and hi, log-uniform, so small ones are tried too. */
static snd_pcm_uframes_t rnd_log(uint64_t *s, snd_pcm_uframes_t lo,
				 snd_pcm_uframes_t hi)
{
	double l = log((double)lo), h = log((double)(hi > lo ? hi : lo));

	return (snd_pcm_uframes_t)exp(l + (h - l) * rnd_unit(s));
}

static size_t frame_bytes(const struct cfg *c)
{
	return snd_pcm_format_physical_width(c->format) / 8 * c->channels;
}

static void cfg_name(const struct cfg *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s: %s %u ch %u Hz", board,
		 snd_pcm_format_name(c->format), c->channels, c->rate);
}

/* Forget the kernel log so far: kmsg_reason() reads only what follows. */
static void kmsg_skip(void)
{
	if (kmsg >= 0)
		lseek(kmsg, 0, SEEK_END);
}

/*
 * The first driver message of warning level or worse since kmsg_skip(),
 * in BUF; false if there is none.  ASoC's "error at" line only repeats
 * the error code and is no reason.
 */
static bool kmsg_reason(char *buf, size_t len)
{
	char rec[2048];
	bool found = false;
	ssize_t n;

	while (kmsg >= 0) {
		char *text, *nl;

		n = read(kmsg, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records overwritten: read on */
		if (n <= 0)
			break;
		rec[n] = 0;
		text = strchr(rec, ';');
		if (!text || atoi(rec) % 8 > 4 || strstr(text, "ASoC: error at"))
			continue;
		nl = strchr(++text, '\n');
		if (nl)
			*nl = 0;
		if (!found)
			snprintf(buf, len, "%s", text);
		found = true;
	}
	return found;
}

/*
 * Set the format, channels and rate exactly, then period and buffer near
 * the wanted sizes (0: draw them with SEED).  Returns 0, or the failing
 * call's name in *what with its error.
 */
static int refine(snd_pcm_t *pcm, snd_pcm_hw_params_t *hw, struct cfg *c,
		  uint64_t *seed, const char **what)
{
	snd_pcm_uframes_t pmin, pmax, bmax, want;
	int dir = 0, err;

	*what = "any";
	err = snd_pcm_hw_params_any(pcm, hw);
	if (err < 0)
		return err;
	*what = "access";
	err = snd_pcm_hw_params_set_access(pcm, hw,
					   SND_PCM_ACCESS_RW_INTERLEAVED);
	if (err < 0)
		return err;
	*what = "format";
	err = snd_pcm_hw_params_set_format(pcm, hw, c->format);
	if (err < 0)
		return err;
	*what = "channels";
	err = snd_pcm_hw_params_set_channels(pcm, hw, c->channels);
	if (err < 0)
		return err;
	*what = "rate";
	err = snd_pcm_hw_params_set_rate(pcm, hw, c->rate, 0);
	if (err < 0)
		return err;
	*what = "period size";
	want = c->period;
	if (!want) {
		snd_pcm_hw_params_get_period_size_min(hw, &pmin, &dir);
		snd_pcm_hw_params_get_period_size_max(hw, &pmax, &dir);
		if (pmax > c->rate / 8)
			pmax = c->rate / 8;
		want = rnd_log(seed, pmin, pmax);
	}
	dir = 0;
	err = snd_pcm_hw_params_set_period_size_near(pcm, hw, &want, &dir);
	if (err < 0)
		return err;
	c->period = want;
	*what = "buffer size";
	want = c->buffer;
	if (!want) {
		snd_pcm_hw_params_get_buffer_size_max(hw, &bmax);
		if (bmax > c->rate * MAX_BUFFER_S)
			bmax = c->rate * MAX_BUFFER_S;
		want = c->period * (2 + rnd_next(seed) % 7);
		if (want > bmax)
			want = bmax;
	}
	err = snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &want);
	if (err < 0)
		return err;
	c->buffer = want;
	return 0;
}

static int set_sw(snd_pcm_t *pcm, const struct cfg *c);

/* Start a prepared stream (playback with its buffer full) and drop it. */
static int start_stop(snd_pcm_t *pcm, const struct cfg *c, const char **what)
{
	size_t fb = frame_bytes(c);
	snd_pcm_sframes_t r = 0;
	void *zeros = NULL;
	int err;

	*what = "sw_params";
	err = set_sw(pcm, c);
	if (err < 0)
		return err;
	if (snd_pcm_stream(pcm) == SND_PCM_STREAM_PLAYBACK) {
		*what = "filling the buffer";
		zeros = calloc(c->buffer, fb);
		if (!zeros)
			return -ENOMEM;
		r = snd_pcm_writei(pcm, zeros, c->buffer);
		free(zeros);
		if (r < 0)
			return r;
	}
	*what = "trigger start";
	err = snd_pcm_start(pcm);
	snd_pcm_drop(pcm);
	return err;
}

/*
 * One configuration in one direction: refused by the constraints (1),
 * refused at hw_params with a reason (2), accepted and prepared (0), or
 * a broken promise (-1, reported).
 */
static int try_cfg(snd_pcm_t *pcm, const char *dirname, struct cfg *c,
		   uint64_t seed, struct counts *n)
{
	snd_pcm_hw_params_t *hw;
	char name[96], reason[512];
	const char *what;
	int err, ret = 0;

	snd_pcm_hw_params_alloca(&hw);
	cfg_name(c, name, sizeof(name));
	if (refine(pcm, hw, c, &seed, &what) < 0) {
		n->by_constraints++;
		return 1;
	}
	kmsg_skip();
	err = snd_pcm_hw_params(pcm, hw);
	if (err < 0) {
		if (kmsg_reason(reason, sizeof(reason))) {
			char cfg[128];

			snprintf(cfg, sizeof(cfg), "%s %s", name, dirname);
			count_reason(reason, cfg);
			n->at_hw_params++;
			return 2;
		}
		printf("not ok - %s %s: hw_params refused it (%s) with no kernel message\n",
		       name, dirname, snd_strerror(err));
		n->silent_refusals++;
		return -1;
	}
	what = "prepare";
	err = snd_pcm_prepare(pcm);
	if (!err)
		err = start_stop(pcm, c, &what);
	if (err < 0) {
		printf("not ok - %s %s period %lu buffer %lu: hw_params accepted it, %s failed (%s)\n",
		       name, dirname, c->period, c->buffer, what,
		       snd_strerror(err));
		n->late_refusals++;
		ret = -1;
	}
	snd_pcm_hw_free(pcm);
	return ret;
}

static bool in_envelope(const struct cfg *c)
{
	unsigned int slots = tdm_slots;

	if (!slots)
		slots = c->channels < 2 ? 2 : (c->channels + 1) & ~1u;
	return (uint64_t)c->rate * slots <= SLOT_LIMIT &&
	       (double)c->period / c->rate >= MIN_PERIOD_S &&
	       (double)c->buffer / c->rate >= MIN_BUFFER_S;
}

/* Random frames; S24_LE sign-extended in its 32-bit container. */
static void fill_random(unsigned char *buf, const struct cfg *c,
			size_t frames, uint64_t seed)
{
	size_t i, n = frames * frame_bytes(c);

	for (i = 0; i < n; i++)
		buf[i] = rnd_next(&seed) >> 56;
	if (c->format == SND_PCM_FORMAT_S24_LE)
		for (i = 0; i < n; i += 4)
			buf[i + 3] = buf[i + 2] & 0x80 ? 0xff : 0;
}

static int set_sw(snd_pcm_t *pcm, const struct cfg *c)
{
	snd_pcm_sw_params_t *sw;
	snd_pcm_uframes_t boundary;

	snd_pcm_sw_params_alloca(&sw);
	snd_pcm_sw_params_current(pcm, sw);
	snd_pcm_sw_params_get_boundary(sw, &boundary);
	/* Both start together, by snd_pcm_start() on the linked pair. */
	snd_pcm_sw_params_set_start_threshold(pcm, sw, boundary);
	snd_pcm_sw_params_set_avail_min(pcm, sw, c->period);
	return snd_pcm_sw_params(pcm, sw);
}

static int set_hw(snd_pcm_t *pcm, struct cfg *c)
{
	snd_pcm_hw_params_t *hw;
	struct cfg want = *c;	/* period and buffer given: no draws */
	const char *what;
	int err;

	snd_pcm_hw_params_alloca(&hw);
	err = refine(pcm, hw, &want, NULL, &what);
	if (err < 0)
		return err;
	*c = want;
	err = snd_pcm_hw_params(pcm, hw);
	return err < 0 ? err : set_sw(pcm, c);
}

/*
 * Play the signal, then zeros, while recording until the signal and a
 * margin have come back.  Returns 0, -EPIPE on an xrun, -ETIMEDOUT, or
 * another error; *got is the frames recorded.
 */
static int run_duplex(snd_pcm_t *play, snd_pcm_t *cap, const struct cfg *c,
		      const unsigned char *sig, size_t sig_frames,
		      unsigned char *rec, size_t rec_frames, size_t *got)
{
	size_t fb = frame_bytes(c);
	unsigned char *zeros = calloc(c->buffer, fb);
	double deadline = now() + 3.0 * rec_frames / c->rate + 2.0;
	size_t sent = 0;
	snd_pcm_sframes_t r;
	int err = 0;

	*got = 0;
	if (!zeros)
		return -ENOMEM;
	/* Prefill the whole buffer, so the first period is never late. */
	r = snd_pcm_writei(play, sig, c->buffer < sig_frames ? c->buffer :
						       sig_frames);
	if (r < 0) {
		err = r;
		goto out;
	}
	sent = r;
	err = snd_pcm_start(play);
	if (err < 0)
		goto out;
	while (*got < rec_frames) {
		snd_pcm_sframes_t room;

		if (now() > deadline) {
			err = -ETIMEDOUT;
			break;
		}
		snd_pcm_wait(cap, 20);
		room = snd_pcm_avail_update(play);
		if (room < 0) {
			err = room;
			break;
		}
		while (room > 0) {
			size_t left = sig_frames - sent;
			const void *src = left ? sig + sent * fb : zeros;
			size_t len = left ? left : c->buffer;

			r = snd_pcm_writei(play, src, (size_t)room < len ?
						      (size_t)room : len);
			if (r == -EAGAIN)
				break;
			if (r < 0) {
				err = r;
				goto out;
			}
			if (left)
				sent += r;
			room -= r;
		}
		r = snd_pcm_readi(cap, rec + *got * fb, rec_frames - *got);
		if (r == -EAGAIN)
			continue;
		if (r < 0) {
			err = r;
			break;
		}
		*got += r;
	}
out:
	snd_pcm_drop(play);
	snd_pcm_drop(cap);
	free(zeros);
	return err;
}

static void stream_cfg(snd_pcm_t *play, snd_pcm_t *cap, struct cfg *c,
		       uint64_t seed, struct counts *n)
{
	size_t fb = frame_bytes(c);
	size_t sig_frames = c->rate / 4 > 3 * c->buffer ? c->rate / 4 :
							  3 * c->buffer;
	size_t rec_frames = sig_frames + 2 * c->buffer + c->rate / 10;
	size_t got = 0, at = 0;
	unsigned char *sig = malloc(sig_frames * fb);
	unsigned char *rec = malloc(rec_frames * fb);
	bool strict = false;
	char name[96], detail[160] = "";
	int err;

	cfg_name(c, name, sizeof(name));
	n->streamed++;
	if (!sig || !rec) {
		err = -ENOMEM;
		goto report;
	}
	fill_random(sig, c, sig_frames, seed);
	err = set_hw(play, c);
	if (!err) {
		struct cfg cc = *c;

		err = set_hw(cap, &cc);
	}
	if (!err)
		err = snd_pcm_link(play, cap);
	/* The envelope of the sizes the PCM took, not those asked for. */
	strict = in_envelope(c);
	if (err && stream_only && err != -ENOMEM) {
		/* Not walked: a refusal only means drawing another. */
		n->streamed--;
		goto out;
	}
	if (err) {
		snprintf(detail, sizeof(detail), "setting it up: %s",
			 snd_strerror(err));
		goto report;
	}
	err = run_duplex(play, cap, c, sig, sig_frames, rec, rec_frames, &got);
	snd_pcm_unlink(cap);
report:
	if (err == -EPIPE) {
		n->xruns++;
		/* An xrun reported is no silent loss, but costs real time. */
		printf("%s - %s period %lu buffer %lu: xrun (EPIPE)%s\n",
		       strict ? "not ok" : "ok", name, c->period, c->buffer,
		       strict ? " inside the real-time envelope" :
				", reported, outside the real-time envelope");
	} else if (err) {
		n->wrong++;
		printf("not ok - %s period %lu buffer %lu: %s\n", name, c->period,
		       c->buffer, detail[0] ? detail : snd_strerror(err));
	} else {
		unsigned char *hit = memmem(rec, got * fb, sig, 64 * fb);

		at = hit ? (size_t)(hit - rec) : 0;
		if (hit && at % fb == 0 && got * fb - at >= sig_frames * fb &&
		    !memcmp(hit, sig, sig_frames * fb)) {
			n->exact++;
			printf("ok - %s period %lu buffer %lu: %zu frames bit-exact at frame %zu%s\n",
			       name, c->period, c->buffer, sig_frames, at / fb,
			       strict ? ", no xrun" : "");
		} else {
			n->wrong++;
			printf("not ok - %s period %lu buffer %lu: %s, no xrun reported\n",
			       name, c->period, c->buffer,
			       hit ? "recorded frames differ from the played" :
				     "played frames not found in the recording");
		}
	}
out:
	free(sig);
	free(rec);
}

static snd_pcm_t *open_pcm(const char *name, int d)
{
	snd_pcm_t *pcm;
	int err;

	err = snd_pcm_open(&pcm, name, d ? SND_PCM_STREAM_CAPTURE :
					   SND_PCM_STREAM_PLAYBACK,
			   SND_PCM_NONBLOCK);
	if (err < 0) {
		printf("not ok - %s: opening %s for %s: %s\n", board, name,
		       dirnames[d], snd_strerror(err));
		return NULL;
	}
	return pcm;
}

struct entry {
	struct cfg c;
	int res[2];
};

int main(int argc, char **argv)
{
	snd_pcm_hw_params_t *hw;
	snd_pcm_format_mask_t *fmask;
	struct counts n = { 0 };
	struct entry *all = NULL, *grown;
	unsigned int cmin, cmax, rmin, rmax, ch, r, nall = 0, nboth, i, k;
	unsigned int streams;
	snd_pcm_t *pcm, *cap;
	uint64_t seed, pick;
	int f, d;
	bool walk;

	if (argc < 6 || argc > 7 ||
	    (argc == 7 && strcmp(argv[6], "--stream-only"))) {
		fprintf(stderr, "usage: %s PCM BOARD TDM_SLOTS SEED STREAMS [--stream-only]\n",
			argv[0]);
		return 2;
	}
	walk = argc == 6;
	stream_only = !walk;
	setvbuf(stdout, NULL, _IOLBF, 0);
	board = argv[2];
	tdm_slots = strtoul(argv[3], NULL, 0);
	/* Odd and distinct for every SEED (xorshift must not start at 0). */
	seed = strtoull(argv[4], NULL, 0) * 2 + 1;
	streams = strtoul(argv[5], NULL, 0);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg < 0) {
		printf("not ok - %s: opening /dev/kmsg: %s\n", board,
		       strerror(errno));
		return 1;
	}

	/* The space the card advertises, from the playback side. */
	pcm = open_pcm(argv[1], 0);
	if (!pcm)
		return 1;
	snd_pcm_hw_params_alloca(&hw);
	snd_pcm_format_mask_alloca(&fmask);
	snd_pcm_hw_params_any(pcm, hw);
	snd_pcm_hw_params_get_format_mask(hw, fmask);
	snd_pcm_hw_params_get_channels_min(hw, &cmin);
	snd_pcm_hw_params_get_channels_max(hw, &cmax);
	snd_pcm_hw_params_get_rate_min(hw, &rmin, NULL);
	snd_pcm_hw_params_get_rate_max(hw, &rmax, NULL);
	snd_pcm_close(pcm);
	printf("# %s: the card advertises channels %u..%u, rates %u..%u Hz\n",
	       board, cmin, cmax, rmin, rmax);
	if (cmax > MAX_CHANNELS)
		cmax = MAX_CHANNELS;	/* plugins advertise thousands */
	for (f = 0; f <= SND_PCM_FORMAT_LAST; f++) {
		if (!snd_pcm_format_mask_test(fmask, f))
			continue;
		for (ch = cmin; ch <= cmax; ch++)
			for (r = 0; r < N_OF(std_rates); r++) {
				struct entry e = { .c = { f, ch, std_rates[r], 0, 0 } };

				if (e.c.rate < rmin || e.c.rate > rmax)
					continue;
				grown = realloc(all, (nall + 1) * sizeof(*all));
				if (!grown) {
					printf("not ok - %s: out of memory\n", board);
					return 1;
				}
				all = grown;
				all[nall++] = e;
			}
	}

	/*
	 * Each direction walks with only itself open: ASoC keeps a
	 * symmetric rate latched while any substream of the DAI is open,
	 * even after hw_free, so with both open the first rate would stick.
	 */
	for (d = 0; d < 2 && walk; d++) {
		pcm = open_pcm(argv[1], d);
		if (!pcm)
			return 1;
		for (i = 0; i < nall; i++) {
			struct entry *e = &all[i];
			struct cfg dc = e->c;
			uint64_t s = seed ^ ((uint64_t)e->c.format << 40) ^
				     ((uint64_t)e->c.channels << 24) ^ e->c.rate;

			n.walked++;
			e->res[d] = try_cfg(pcm, dirnames[d], &dc, s, &n);
			if (!e->res[d])
				n.accepted++;
			/* Capture tries the sizes playback drew. */
			if (e->res[d] != 1)
				e->c = dc;
		}
		snd_pcm_close(pcm);
	}
	if (walk)
		printf("%s - %s: every refusal comes at hw_params with a kernel message (%u refused there, %u silently, %u after it)\n",
	       n.silent_refusals || n.late_refusals ? "not ok" : "ok", board,
	       n.at_hw_params, n.silent_refusals, n.late_refusals);

	/* A seeded sample of what both directions take, streamed. */
	for (i = nboth = 0; i < nall; i++)
		if (!all[i].res[0] && !all[i].res[1])
			all[nboth++] = all[i];
	pick = seed;
	for (i = 0; n.streamed < streams && nboth; i++) {
		struct cfg c;

		k = rnd_next(&pick) % nboth;
		c = all[k].c;
		all[k] = all[--nboth];
		/* Every other one gets sizes long enough to keep time. */
		if (!c.period ||
		    (i % 2 == 0 && (double)c.period / c.rate < MIN_PERIOD_S)) {
			c.period = c.rate / 40;
			c.buffer = 4 * c.period;
		}
		/*
		 * A buffer shorter than a few jiffies can lose a whole cycle
		 * unseen: ALSA's lost-interrupt check counts in jiffies, and a
		 * late wake-up that lets the DMA run more than a buffer ahead
		 * reads as a position modulo the buffer. Seen here: 51 frames
		 * at 22050 Hz lost their played frames with no xrun. Streamed
		 * buffers keep MIN_STREAM_BUFFER_S; the walk still takes the
		 * small ones through hw_params, prepare and start.
		 */
		if ((double)c.buffer / c.rate < MIN_STREAM_BUFFER_S)
			c.buffer = ((snd_pcm_uframes_t)(MIN_STREAM_BUFFER_S * c.rate) /
				    c.period + 1) * c.period;
		/* Unwalked, only what must stream clean: no xrun excuses it. */
		if (stream_only && !in_envelope(&c))
			continue;
		pcm = open_pcm(argv[1], 0);
		cap = open_pcm(argv[1], 1);
		if (pcm && cap)
			stream_cfg(pcm, cap, &c, rnd_next(&pick), &n);
		if (pcm)
			snd_pcm_close(pcm);
		if (cap)
			snd_pcm_close(cap);
	}
	printf("# %s: %u walked (format x channels x rate x direction), %u accepted, %u refused by the constraints, %u refused at hw_params; %u streamed: %u bit-exact, %u xruns, %u wrong\n",
	       board, n.walked, n.accepted, n.by_constraints, n.at_hw_params,
	       n.streamed, n.exact, n.xruns, n.wrong);
	for (i = 0; i < N_REASONS && reasons[i].count; i++)
		printf("# %s: refused at hw_params %u times (first %s): %s\n",
		       board, reasons[i].count, reasons[i].first,
		       reasons[i].text);
	free(all);
	close(kmsg);
	return 0;
}
