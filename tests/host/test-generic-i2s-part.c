// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the generic codec's part logic
 * (sound/soc/codecs/generic-i2s-part.c): presets narrowed by a node, nodes
 * that contradict their preset or themselves, and links a part must refuse,
 * each naming the property at fault.
 */
#include <string.h>

#include "generic-i2s-part.h"
#include "tap.h"

#define GIVE(spec, p)	((spec)->given |= 1u << GENERIC_I2S_P_##p)

static const char *prop(const struct generic_i2s_err *e)
{
	return generic_i2s_prop_names[e->prop];
}

/* The node of a minimal fully generic part: stereo I2S playback DAC. */
static void generic_dac(struct generic_i2s_spec *s)
{
	memset(s, 0, sizeof(*s));
	GIVE(s, DIRECTION);
	s->part.dirs = GENERIC_I2S_PLAYBACK;
	GIVE(s, FORMATS);
	s->part.formats = 1u << GENERIC_I2S_FMT_I2S;
	GIVE(s, SAMPLES);
	s->part.samples = 1u << GENERIC_I2S_S16_LE;
	GIVE(s, RATE_RANGE);
	s->part.rate_min = 8000;
	s->part.rate_max = 48000;
}

/* A bare preset node gets the preset, strapping included. */
static void test_preset_alone(void)
{
	struct generic_i2s_spec spec = { 0 };
	struct generic_i2s_part p;
	struct generic_i2s_err e;
	int ret;

	ret = generic_i2s_part_build(&generic_i2s_preset_inmp441, &spec, &p, &e);
	tap_ok(!ret && p.dirs == GENERIC_I2S_CAPTURE && p.sig_bits == 24 &&
	       p.bclk_fs.n == 1 && p.bclk_fs.v[0] == 64 &&
	       p.chmode == GENERIC_I2S_CH_LEFT && !strcmp(p.name, "inmp441"),
	       "inmp441 preset: capture, 24 significant bits, 64 fs, left");
	ret = generic_i2s_part_build(&generic_i2s_preset_max98357b, &spec, &p,
				     &e);
	tap_ok(!ret && p.formats == 1u << GENERIC_I2S_FMT_LEFT_J &&
	       p.chmode == GENERIC_I2S_CH_MIX,
	       "max98357b preset: left-justified only, (L+R)/2 by default");
	ret = generic_i2s_part_build(&generic_i2s_preset_pcm1808, &spec, &p, &e);
	tap_ok(!ret && p.mclk_fs.n == 3 && p.roles == (GENERIC_I2S_CONSUMER |
						       GENERIC_I2S_PROVIDER),
	       "pcm1808 preset: needs MCLK, can provide the clocks");
}

/* A node narrows its preset: strapped format, a board's rates, one channel. */
static void test_preset_narrowed(void)
{
	struct generic_i2s_spec spec = { 0 };
	struct generic_i2s_part p;
	struct generic_i2s_err e;
	int ret;

	GIVE(&spec, FORMATS);
	spec.part.formats = 1u << GENERIC_I2S_FMT_LEFT_J;
	GIVE(&spec, RATES);
	spec.part.rates.n = 2;
	spec.part.rates.v[0] = 48000;
	spec.part.rates.v[1] = 96000;
	ret = generic_i2s_part_build(&generic_i2s_preset_pcm5102a, &spec, &p,
				     &e);
	tap_ok(!ret && p.formats == 1u << GENERIC_I2S_FMT_LEFT_J &&
	       p.rate_min == 48000 && p.rate_max == 96000 &&
	       generic_i2s_rate_ok(&p, 96000) && !generic_i2s_rate_ok(&p, 88200),
	       "pcm5102a strapped left-justified at 48 and 96 kHz");

	memset(&spec, 0, sizeof(spec));
	GIVE(&spec, CHMODE);
	spec.part.chmode = GENERIC_I2S_CH_RIGHT;
	GIVE(&spec, RATE_RANGE);
	spec.part.rate_min = 16000;
	spec.part.rate_max = 48000;
	ret = generic_i2s_part_build(&generic_i2s_preset_max98357a, &spec, &p,
				     &e);
	tap_ok(!ret && p.chmode == GENERIC_I2S_CH_RIGHT && p.rates.n == 4 &&
	       !generic_i2s_rate_ok(&p, 8000) && generic_i2s_rate_ok(&p, 44100) &&
	       !generic_i2s_rate_ok(&p, 88200),
	       "max98357a right channel, a range keeps 4 of its 7 rates");
}

/* Each contradiction of a preset names the property. */
static void test_preset_contradicted(void)
{
	struct generic_i2s_spec spec = { 0 };
	struct generic_i2s_part p;
	struct generic_i2s_err e;
	int ret;

	GIVE(&spec, DIRECTION);
	spec.part.dirs = GENERIC_I2S_CAPTURE;
	ret = generic_i2s_part_build(&generic_i2s_preset_max98357a, &spec, &p,
				     &e);
	tap_ok(ret == -EINVAL && !strcmp(prop(&e), "openi2s,direction") &&
	       strstr(e.why, "preset"),
	       "max98357a with capture: openi2s,direction contradicts the preset");

	memset(&spec, 0, sizeof(spec));
	GIVE(&spec, FORMATS);
	spec.part.formats = 1u << GENERIC_I2S_FMT_DSP_A;
	ret = generic_i2s_part_build(&generic_i2s_preset_pcm5102a, &spec, &p,
				     &e);
	tap_ok(ret == -EINVAL && !strcmp(prop(&e), "openi2s,dai-formats"),
	       "pcm5102a as dsp_a: openi2s,dai-formats is refused");

	memset(&spec, 0, sizeof(spec));
	GIVE(&spec, SIG_BITS);
	spec.part.sig_bits = 32;
	ret = generic_i2s_part_build(&generic_i2s_preset_sph0645lm4h, &spec, &p,
				     &e);
	tap_ok(ret == -EINVAL && !strcmp(prop(&e), "openi2s,sig-bits") &&
	       e.val == 32,
	       "sph0645lm4h with 32 significant bits: openi2s,sig-bits refused");

	memset(&spec, 0, sizeof(spec));
	GIVE(&spec, CHMODE);
	spec.part.chmode = GENERIC_I2S_CH_MIX;
	ret = generic_i2s_part_build(&generic_i2s_preset_inmp441, &spec, &p, &e);
	tap_ok(ret == -EINVAL && !strcmp(prop(&e), "openi2s,channel-mode"),
	       "inmp441 strapped to mix: openi2s,channel-mode refused");

	memset(&spec, 0, sizeof(spec));
	GIVE(&spec, RATES);
	spec.part.rates.n = 1;
	spec.part.rates.v[0] = 192000;
	ret = generic_i2s_part_build(&generic_i2s_preset_max98360a, &spec, &p,
				     &e);
	tap_ok(ret == -EINVAL && !strcmp(prop(&e), "openi2s,rates") &&
	       e.val == 192000,
	       "max98360a at 192 kHz: openi2s,rates names the rate");

	memset(&spec, 0, sizeof(spec));
	GIVE(&spec, BCLK_FS);
	spec.part.bclk_fs.n = 1;
	spec.part.bclk_fs.v[0] = 32;
	ret = generic_i2s_part_build(&generic_i2s_preset_inmp441, &spec, &p, &e);
	tap_ok(ret == -EINVAL && !strcmp(prop(&e), "openi2s,bclk-fs") &&
	       e.val == 32, "inmp441 at 32 fs: openi2s,bclk-fs refused");
}

/* Malformed nodes of the generic compatible. */
static void test_generic_malformed(void)
{
	struct generic_i2s_spec spec;
	struct generic_i2s_part p;
	struct generic_i2s_err e;
	int ret;

	generic_dac(&spec);
	ret = generic_i2s_part_build(NULL, &spec, &p, &e);
	tap_ok(!ret && p.dirs == GENERIC_I2S_PLAYBACK && p.rate_max == 48000 &&
	       p.channels_min == 1 && p.channels_max == 2 &&
	       p.roles == GENERIC_I2S_CONSUMER &&
	       p.inversions == 1u << GENERIC_I2S_NB_NF,
	       "generic: a complete node builds: 1 to 2 channels, a consumer of "
	       "normal clocks");

	generic_dac(&spec);
	GIVE(&spec, CHANNELS);
	spec.part.channels_min = 1;
	spec.part.channels_max = 16;
	ret = generic_i2s_part_build(NULL, &spec, &p, &e);
	tap_ok(!ret && p.channels_max == 16,
	       "generic: openi2s,channels replaces the 1 to 2 default");

	generic_dac(&spec);
	GIVE(&spec, ROLES);
	spec.part.roles = GENERIC_I2S_PROVIDER;
	GIVE(&spec, INVERSIONS);
	spec.part.inversions = 1u << GENERIC_I2S_IB_IF;
	ret = generic_i2s_part_build(NULL, &spec, &p, &e);
	tap_ok(!ret && p.roles == GENERIC_I2S_PROVIDER &&
	       p.inversions == 1u << GENERIC_I2S_IB_IF,
	       "generic: roles and polarities given replace the defaults");

	generic_dac(&spec);
	spec.given &= ~(1u << GENERIC_I2S_P_SAMPLES);
	ret = generic_i2s_part_build(NULL, &spec, &p, &e);
	tap_ok(ret == -EINVAL && !strcmp(prop(&e), "openi2s,sample-formats") &&
	       strstr(e.why, "required"),
	       "generic without sample formats: required property named");

	generic_dac(&spec);
	spec.given &= ~(1u << GENERIC_I2S_P_RATE_RANGE);
	ret = generic_i2s_part_build(NULL, &spec, &p, &e);
	tap_ok(ret == -EINVAL && !strcmp(prop(&e), "openi2s,rate-range"),
	       "generic without rates: required property named");

	generic_dac(&spec);
	GIVE(&spec, RATES);
	spec.part.rates.n = 0;
	spec.given &= ~(1u << GENERIC_I2S_P_RATE_RANGE);
	ret = generic_i2s_part_build(NULL, &spec, &p, &e);
	tap_ok(ret == -EINVAL && !strcmp(prop(&e), "openi2s,rates") &&
	       !strcmp(e.why, "is empty"), "generic: an empty rate list");

	generic_dac(&spec);
	GIVE(&spec, RATES);
	spec.part.rates.n = 1;
	spec.part.rates.v[0] = 48000;
	ret = generic_i2s_part_build(NULL, &spec, &p, &e);
	tap_ok(ret == -EINVAL && !strcmp(prop(&e), "openi2s,rate-range") &&
	       strstr(e.why, "conflicts with openi2s,rates"),
	       "generic: a rate list and a range conflict");

	generic_dac(&spec);
	spec.part.rate_min = 96000;
	ret = generic_i2s_part_build(NULL, &spec, &p, &e);
	tap_ok(ret == -EINVAL && !strcmp(prop(&e), "openi2s,rate-range"),
	       "generic: a range whose minimum is above its maximum");

	generic_dac(&spec);
	spec.part.formats = 0;
	ret = generic_i2s_part_build(NULL, &spec, &p, &e);
	tap_ok(ret == -EINVAL && !strcmp(prop(&e), "openi2s,dai-formats") &&
	       !strcmp(e.why, "is empty"), "generic: no bus format");

	generic_dac(&spec);
	spec.part.samples = 1u << GENERIC_I2S_S32_LE;
	GIVE(&spec, BCLK_FS);
	spec.part.bclk_fs.n = 1;
	spec.part.bclk_fs.v[0] = 32;
	ret = generic_i2s_part_build(NULL, &spec, &p, &e);
	tap_ok(ret == -EINVAL && !strcmp(prop(&e), "openi2s,bclk-fs") &&
	       strstr(e.why, "narrower"),
	       "generic: 32-bit samples in 16-bit slots (32 fs) refused");

	generic_dac(&spec);
	GIVE(&spec, SIG_BITS);
	spec.part.sig_bits = 24;
	ret = generic_i2s_part_build(NULL, &spec, &p, &e);
	tap_ok(ret == -EINVAL && !strcmp(prop(&e), "openi2s,sig-bits"),
	       "generic: 24 significant bits of 16-bit samples refused");

	generic_dac(&spec);
	GIVE(&spec, CHANNELS);
	spec.part.channels_min = 1;
	spec.part.channels_max = 1;
	GIVE(&spec, TDM_SLOTS);
	spec.part.tdm_slots = 0x0c;
	ret = generic_i2s_part_build(NULL, &spec, &p, &e);
	tap_ok(ret == -EINVAL && !strcmp(prop(&e), "openi2s,tdm-slots") &&
	       strstr(e.why, "openi2s,channels") && e.val == 2,
	       "generic: two TDM slots against one channel conflict");

	generic_dac(&spec);
	spec.part.dirs = GENERIC_I2S_CAPTURE;
	GIVE(&spec, CHMODE);
	spec.part.chmode = GENERIC_I2S_CH_MIX;
	ret = generic_i2s_part_build(NULL, &spec, &p, &e);
	tap_ok(ret == -EINVAL && !strcmp(prop(&e), "openi2s,channel-mode"),
	       "generic: a capture part cannot mix channels");
}

/* The links a part takes and those it refuses. */
static void test_links(void)
{
	struct generic_i2s_spec spec = { 0 };
	struct generic_i2s_frame f = {
		.slots = 2, .slot_width = 32, .sample_width = 24, .rate = 48000,
	};
	struct generic_i2s_part mic, adc;
	struct generic_i2s_err e;

	generic_i2s_part_build(&generic_i2s_preset_inmp441, &spec, &mic, &e);
	generic_i2s_part_build(&generic_i2s_preset_pcm1808, &spec, &adc, &e);

	tap_ok(!generic_i2s_check_fmt(&mic, GENERIC_I2S_FMT_I2S,
				      GENERIC_I2S_CONSUMER, GENERIC_I2S_NB_NF,
				      &e) &&
	       !generic_i2s_check_frame(&mic, &f, &e),
	       "inmp441: I2S, consumer, 2 x 32 at 48 kHz accepted");
	tap_ok(generic_i2s_check_fmt(&mic, GENERIC_I2S_FMT_LEFT_J,
				     GENERIC_I2S_CONSUMER, GENERIC_I2S_NB_NF,
				     &e) == -EINVAL &&
	       !strcmp(prop(&e), "openi2s,dai-formats"),
	       "inmp441: a left-justified link is refused by its formats");
	tap_ok(generic_i2s_check_fmt(&mic, GENERIC_I2S_FMT_I2S,
				     GENERIC_I2S_PROVIDER, GENERIC_I2S_NB_NF,
				     &e) == -EINVAL &&
	       !strcmp(prop(&e), "openi2s,clock-roles"),
	       "inmp441: cannot be the clock provider");
	tap_ok(generic_i2s_check_fmt(&mic, GENERIC_I2S_FMT_I2S,
				     GENERIC_I2S_CONSUMER, GENERIC_I2S_NB_IF,
				     &e) == -EINVAL &&
	       !strcmp(prop(&e), "openi2s,clock-polarities"),
	       "inmp441: an inverted frame sync is refused");
	tap_ok(generic_i2s_check_fmt(&mic, GENERIC_I2S_FMT_I2S, 0,
				     GENERIC_I2S_NB_NF, &e) == -EINVAL,
	       "inmp441: split clock roles are refused");

	f.slot_width = 16;
	f.sample_width = 16;
	tap_ok(generic_i2s_check_frame(&mic, &f, &e) == -EINVAL &&
	       !strcmp(prop(&e), "openi2s,sig-bits") && e.val == 16,
	       "inmp441: its 24 bits do not fit 16-bit slots");
	f.slot_width = 24;
	f.sample_width = 24;
	tap_ok(generic_i2s_check_frame(&mic, &f, &e) == -EINVAL &&
	       !strcmp(prop(&e), "openi2s,bclk-fs") && e.val == 48,
	       "inmp441: 48 fs is not its 64 fs");
	f.slot_width = 16;
	f.sample_width = 32;
	tap_ok(generic_i2s_check_frame(&adc, &f, &e) == -EINVAL &&
	       !strcmp(prop(&e), "openi2s,sample-formats") && e.val == 16,
	       "a 32-bit sample in 16-bit slots is refused");
	f.slot_width = 32;
	f.sample_width = 24;
	f.rate = 100000;
	tap_ok(generic_i2s_check_frame(&mic, &f, &e) == -EINVAL &&
	       !strcmp(prop(&e), "openi2s,rate-range") && e.val == 100000,
	       "inmp441: 100 kHz is outside its range");

	f.rate = 48000;
	tap_ok(generic_i2s_check_frame(&adc, &f, &e) == -EINVAL &&
	       !strcmp(prop(&e), "openi2s,mclk-fs") && strstr(e.why, "none"),
	       "pcm1808: no MCLK is refused");
	f.mclk_hz = 48000 * 128;
	tap_ok(generic_i2s_check_frame(&adc, &f, &e) == -EINVAL &&
	       e.val == 128, "pcm1808: MCLK at 128 fs is refused");
	f.mclk_hz = 48000 * 256;
	tap_ok(!generic_i2s_check_frame(&adc, &f, &e),
	       "pcm1808: MCLK at 256 fs is taken");
}

/* A TDM part must sit inside the link's frame. */
static void test_tdm(void)
{
	struct generic_i2s_spec spec;
	struct generic_i2s_frame f = {
		.slots = 8, .slot_width = 32, .sample_width = 32, .rate = 48000,
	};
	struct generic_i2s_part amp;
	struct generic_i2s_err e;

	memset(&spec, 0, sizeof(spec));
	GIVE(&spec, TDM_SLOTS);
	spec.part.tdm_slots = 1u << 6;
	GIVE(&spec, FORMATS);
	spec.part.formats = 1u << GENERIC_I2S_FMT_DSP_A;
	GIVE(&spec, DIRECTION);
	spec.part.dirs = GENERIC_I2S_PLAYBACK;
	GIVE(&spec, SAMPLES);
	spec.part.samples = 1u << GENERIC_I2S_S32_LE;
	GIVE(&spec, RATES);
	spec.part.rates.n = 1;
	spec.part.rates.v[0] = 48000;
	tap_ok(!generic_i2s_part_build(NULL, &spec, &amp, &e) &&
	       amp.channels_min == 1 && amp.channels_max == 1,
	       "a mono TDM amplifier in slot 6");
	tap_ok(!generic_i2s_check_frame(&amp, &f, &e),
	       "slot 6 of 8: accepted");
	f.slots = 4;
	tap_ok(generic_i2s_check_frame(&amp, &f, &e) == -EINVAL &&
	       !strcmp(prop(&e), "openi2s,tdm-slots") && e.val == 4,
	       "slot 6 of a 4-slot frame: refused");
}

static void test_names(void)
{
	tap_ok(generic_i2s_name_index(generic_i2s_format_names,
				      GENERIC_I2S_NUM_FORMATS, "dsp_b") ==
	       GENERIC_I2S_FMT_DSP_B &&
	       generic_i2s_name_index(generic_i2s_format_names,
				      GENERIC_I2S_NUM_FORMATS, "dsp") ==
	       -EINVAL &&
	       generic_i2s_name_index(generic_i2s_format_names,
				      GENERIC_I2S_NUM_FORMATS, "i2sx") ==
	       -EINVAL,
	       "format names: exact matches only");
}

int main(void)
{
	test_preset_alone();
	test_preset_narrowed();
	test_preset_contradicted();
	test_generic_malformed();
	test_links();
	test_tdm();
	test_names();
	return tap_done();
}
