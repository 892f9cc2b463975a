// SPDX-License-Identifier: GPL-2.0
/*
 * What a control-less I2S part can do: the presets of common parts, the
 * merge of a preset with a devicetree node's properties, and the checks of
 * a DAI link against the result. See generic-i2s-part.h.
 */
#include "generic-i2s-part.h"

#define ALL(n)		((1u << (n)) - 1)

const char *const generic_i2s_prop_names[GENERIC_I2S_NUM_PROPS] = {
	[GENERIC_I2S_P_DIRECTION] = "openi2s,direction",
	[GENERIC_I2S_P_FORMATS] = "openi2s,dai-formats",
	[GENERIC_I2S_P_ROLES] = "openi2s,clock-roles",
	[GENERIC_I2S_P_INVERSIONS] = "openi2s,clock-polarities",
	[GENERIC_I2S_P_SAMPLES] = "openi2s,sample-formats",
	[GENERIC_I2S_P_SIG_BITS] = "openi2s,sig-bits",
	[GENERIC_I2S_P_CHMODE] = "openi2s,channel-mode",
	[GENERIC_I2S_P_CHANNELS] = "openi2s,channels",
	[GENERIC_I2S_P_TDM_SLOTS] = "openi2s,tdm-slots",
	[GENERIC_I2S_P_RATES] = "openi2s,rates",
	[GENERIC_I2S_P_RATE_RANGE] = "openi2s,rate-range",
	[GENERIC_I2S_P_BCLK_FS] = "openi2s,bclk-fs",
	[GENERIC_I2S_P_MCLK_FS] = "openi2s,mclk-fs",
};
EXPORT_SYMBOL_GPL(generic_i2s_prop_names);

const char *const generic_i2s_format_names[GENERIC_I2S_NUM_FORMATS] = {
	"i2s", "left_j", "right_j", "dsp_a", "dsp_b",
};
EXPORT_SYMBOL_GPL(generic_i2s_format_names);

const char *const generic_i2s_inversion_names[GENERIC_I2S_NUM_INVERSIONS] = {
	"normal", "bitclock-inversion", "frame-inversion",
	"bitclock-frame-inversion",
};
EXPORT_SYMBOL_GPL(generic_i2s_inversion_names);

const char *const generic_i2s_sample_names[GENERIC_I2S_NUM_SAMPLES] = {
	"s16_le", "s24_le", "s24_3le", "s32_le",
};
EXPORT_SYMBOL_GPL(generic_i2s_sample_names);

const char *const generic_i2s_chmode_names[GENERIC_I2S_NUM_CHMODES] = {
	"stereo", "left", "right", "mix",
};
EXPORT_SYMBOL_GPL(generic_i2s_chmode_names);

/* Indexed by role bit: consumer, provider. */
const char *const generic_i2s_role_names[2] = { "consumer", "provider" };
EXPORT_SYMBOL_GPL(generic_i2s_role_names);

/* Indexed by direction mask - 1. */
const char *const generic_i2s_direction_names[3] = {
	"playback", "capture", "both",
};
EXPORT_SYMBOL_GPL(generic_i2s_direction_names);

#define STD_RATES_TO_96K { 7, { 8000, 16000, 32000, 44100, 48000, 88200, \
				96000 } }

/*
 * Maxim MAX98357A/B, MAX98360A class-D amplifiers: I2S (A) or
 * left-justified (B), 32, 48 or 64 BCLK per frame, no MCLK; SD_MODE
 * picks the left channel, the right one, or their average.
 */
#define MAX9835X(part, fmt) {						\
	.name = part,							\
	.dirs = GENERIC_I2S_PLAYBACK,					\
	.formats = BIT(fmt),						\
	.roles = GENERIC_I2S_CONSUMER,					\
	.inversions = BIT(GENERIC_I2S_NB_NF),			\
	.samples = BIT(GENERIC_I2S_S16_LE) |				\
		   BIT(GENERIC_I2S_S24_LE) |				\
		   BIT(GENERIC_I2S_S32_LE),				\
	.chmodes = BIT(GENERIC_I2S_CH_LEFT) |			\
		   BIT(GENERIC_I2S_CH_RIGHT) |			\
		   BIT(GENERIC_I2S_CH_MIX),				\
	.chmode = GENERIC_I2S_CH_MIX,					\
	.channels_min = 1,						\
	.channels_max = 2,						\
	.rate_min = 8000,						\
	.rate_max = 96000,						\
	.rates = STD_RATES_TO_96K,					\
	.bclk_fs = { 3, { 32, 48, 64 } },				\
}

const struct generic_i2s_part generic_i2s_preset_max98357a =
	MAX9835X("max98357a", GENERIC_I2S_FMT_I2S);
EXPORT_SYMBOL_GPL(generic_i2s_preset_max98357a);
const struct generic_i2s_part generic_i2s_preset_max98357b =
	MAX9835X("max98357b", GENERIC_I2S_FMT_LEFT_J);
EXPORT_SYMBOL_GPL(generic_i2s_preset_max98357b);
const struct generic_i2s_part generic_i2s_preset_max98360a =
	MAX9835X("max98360a", GENERIC_I2S_FMT_I2S);
EXPORT_SYMBOL_GPL(generic_i2s_preset_max98360a);

/*
 * I2S MEMS microphones: 64 BCLK per frame, a 24- or 18-bit sample in a
 * 32-bit slot, the L/R pin picking the slot the part drives.
 */
#define MEMS_MIC(part, bits, lo, hi) {					\
	.name = part,							\
	.dirs = GENERIC_I2S_CAPTURE,					\
	.formats = BIT(GENERIC_I2S_FMT_I2S),				\
	.roles = GENERIC_I2S_CONSUMER,					\
	.inversions = BIT(GENERIC_I2S_NB_NF),			\
	.samples = BIT(GENERIC_I2S_S24_LE) |				\
		   BIT(GENERIC_I2S_S32_LE),				\
	.sig_bits = bits,						\
	.chmodes = BIT(GENERIC_I2S_CH_LEFT) |			\
		   BIT(GENERIC_I2S_CH_RIGHT),			\
	.chmode = GENERIC_I2S_CH_LEFT,					\
	.channels_min = 1,						\
	.channels_max = 2,						\
	.rate_min = lo,							\
	.rate_max = hi,							\
	.bclk_fs = { 1, { 64 } },					\
}

/* INMP441: SCK 0.5 to 3.2 MHz at 64 fs. */
const struct generic_i2s_part generic_i2s_preset_inmp441 =
	MEMS_MIC("inmp441", 24, 7813, 50000);
EXPORT_SYMBOL_GPL(generic_i2s_preset_inmp441);
/* ICS-43434: SCK 0.46 to 3.38 MHz at 64 fs. */
const struct generic_i2s_part generic_i2s_preset_ics43434 =
	MEMS_MIC("ics43434", 24, 7190, 52800);
EXPORT_SYMBOL_GPL(generic_i2s_preset_ics43434);
/* SPH0645LM4H: SCK 1.024 to 4.096 MHz at 64 fs. */
const struct generic_i2s_part generic_i2s_preset_sph0645lm4h =
	MEMS_MIC("sph0645lm4h", 18, 16000, 64000);
EXPORT_SYMBOL_GPL(generic_i2s_preset_sph0645lm4h);

/*
 * TI PCM5102A stereo DAC: I2S or left-justified (FMT pin), 32, 48 or 64
 * BCLK per frame, its PLL making the system clock from BCLK.
 */
const struct generic_i2s_part generic_i2s_preset_pcm5102a = {
	.name = "pcm5102a",
	.dirs = GENERIC_I2S_PLAYBACK,
	.formats = BIT(GENERIC_I2S_FMT_I2S) | BIT(GENERIC_I2S_FMT_LEFT_J),
	.roles = GENERIC_I2S_CONSUMER,
	.inversions = BIT(GENERIC_I2S_NB_NF),
	.samples = BIT(GENERIC_I2S_S16_LE) | BIT(GENERIC_I2S_S24_LE) |
		   BIT(GENERIC_I2S_S32_LE),
	.chmodes = BIT(GENERIC_I2S_CH_STEREO),
	.chmode = GENERIC_I2S_CH_STEREO,
	.channels_min = 2,
	.channels_max = 2,
	.rate_min = 8000,
	.rate_max = 384000,
	.bclk_fs = { 3, { 32, 48, 64 } },
};
EXPORT_SYMBOL_GPL(generic_i2s_preset_pcm5102a);

/*
 * TI PCM1808 stereo ADC: 24-bit I2S or left-justified (FMT pin) at 64
 * BCLK per frame, provider or consumer (MD pins), needing a 256, 384 or
 * 512 fs system clock on SCKI.
 */
const struct generic_i2s_part generic_i2s_preset_pcm1808 = {
	.name = "pcm1808",
	.dirs = GENERIC_I2S_CAPTURE,
	.formats = BIT(GENERIC_I2S_FMT_I2S) | BIT(GENERIC_I2S_FMT_LEFT_J),
	.roles = GENERIC_I2S_CONSUMER | GENERIC_I2S_PROVIDER,
	.inversions = BIT(GENERIC_I2S_NB_NF),
	.samples = BIT(GENERIC_I2S_S24_LE) | BIT(GENERIC_I2S_S32_LE),
	.sig_bits = 24,
	.chmodes = BIT(GENERIC_I2S_CH_STEREO),
	.chmode = GENERIC_I2S_CH_STEREO,
	.channels_min = 2,
	.channels_max = 2,
	.rate_min = 8000,
	.rate_max = 96000,
	.bclk_fs = { 1, { 64 } },
	.mclk_fs = { 3, { 256, 384, 512 } },
};
EXPORT_SYMBOL_GPL(generic_i2s_preset_pcm1808);

/*
 * What "openi2s,generic-i2s" starts from: anything, narrowed by the node;
 * without its properties, the part is a consumer of normal clocks.
 */
static const struct generic_i2s_part generic_any = {
	.name = "generic",
	.dirs = GENERIC_I2S_PLAYBACK | GENERIC_I2S_CAPTURE,
	.formats = ALL(GENERIC_I2S_NUM_FORMATS),
	.roles = GENERIC_I2S_CONSUMER | GENERIC_I2S_PROVIDER,
	.inversions = ALL(GENERIC_I2S_NUM_INVERSIONS),
	.samples = ALL(GENERIC_I2S_NUM_SAMPLES),
	.chmodes = ALL(GENERIC_I2S_NUM_CHMODES),
	.chmode = GENERIC_I2S_CH_STEREO,
	.channels_min = 1,
	.channels_max = GENERIC_I2S_MAX_SLOTS,
	.rate_min = GENERIC_I2S_RATE_MIN,
	.rate_max = GENERIC_I2S_RATE_MAX,
};

/* Properties a node with the generic compatible must have. */
#define GENERIC_REQUIRED (BIT(GENERIC_I2S_P_DIRECTION) |		\
			  BIT(GENERIC_I2S_P_FORMATS) |		\
			  BIT(GENERIC_I2S_P_SAMPLES))

/**
 * generic_i2s_name_index() - look a devicetree string up in a table
 * @names: the table
 * @n: its length
 * @s: the string
 *
 * Return: the index of @s in @names, or -EINVAL.
 */
int generic_i2s_name_index(const char *const *names, unsigned int n,
			   const char *s)
{
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; names[i][j] && names[i][j] == s[j]; j++)
			;
		if (names[i][j] == s[j])
			return i;
	}
	return -EINVAL;
}
EXPORT_SYMBOL_GPL(generic_i2s_name_index);

/**
 * generic_i2s_sample_width() - significant bits of a sample format
 * @s: the sample format
 *
 * Return: 16, 24 or 32.
 */
unsigned int generic_i2s_sample_width(enum generic_i2s_sample s)
{
	static const u8 width[GENERIC_I2S_NUM_SAMPLES] = { 16, 24, 24, 32 };

	return width[s];
}
EXPORT_SYMBOL_GPL(generic_i2s_sample_width);

static int fail(struct generic_i2s_err *err, enum generic_i2s_prop prop,
		const char *why, unsigned int val)
{
	err->prop = prop;
	err->why = why;
	err->val = val;
	return -EINVAL;
}

static bool in_list(const struct generic_i2s_list *l, u32 v)
{
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (l->v[i] == v)
			return true;
	return false;
}

/**
 * generic_i2s_rate_ok() - whether a part takes a frame rate
 * @part: the part
 * @rate: the rate, Hz
 *
 * Return: true if it does.
 */
bool generic_i2s_rate_ok(const struct generic_i2s_part *part, u32 rate)
{
	if (rate < part->rate_min || rate > part->rate_max)
		return false;
	return !part->rates.n || in_list(&part->rates, rate);
}
EXPORT_SYMBOL_GPL(generic_i2s_rate_ok);

static unsigned int popcount(u32 v)
{
	unsigned int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

static unsigned int widest_sample(unsigned int samples, bool widest)
{
	unsigned int s, w = widest ? 0 : 32;

	for (s = 0; s < GENERIC_I2S_NUM_SAMPLES; s++) {
		if (!(samples & BIT(s)))
			continue;
		if (widest ? generic_i2s_sample_width(s) > w :
			     generic_i2s_sample_width(s) < w)
			w = generic_i2s_sample_width(s);
	}
	return w;
}

/* A list property of the node: not empty, within @lo..@hi, in @allowed. */
static int narrow_list(struct generic_i2s_list *have,
		       const struct generic_i2s_list *given,
		       enum generic_i2s_prop prop, u32 lo, u32 hi,
		       const char *contradicts, struct generic_i2s_err *err)
{
	unsigned int i;

	if (!given->n)
		return fail(err, prop, "is empty", 0);
	for (i = 0; i < given->n; i++) {
		if (given->v[i] < lo || given->v[i] > hi)
			return fail(err, prop, "has a value out of range", given->v[i]);
		if (have->n && !in_list(have, given->v[i]))
			return fail(err, prop, contradicts, given->v[i]);
	}
	*have = *given;
	return 0;
}

/*
 * A bit-set property of the node, if it has it: not empty, and within what
 * @have has.
 */
static int narrow_bits(const struct generic_i2s_spec *spec,
		       enum generic_i2s_prop prop, unsigned int *have,
		       unsigned int given, const char *contradicts,
		       struct generic_i2s_err *err)
{
	if (!(spec->given & BIT(prop)))
		return 0;
	if (!given)
		return fail(err, prop, "is empty", 0);
	if (given & ~*have)
		return fail(err, prop, contradicts, 0);
	*have = given;
	return 0;
}

static int narrow_rates(struct generic_i2s_part *p,
			const struct generic_i2s_spec *spec,
			const char *contradicts, struct generic_i2s_err *err)
{
	const struct generic_i2s_part *s = &spec->part;
	struct generic_i2s_list keep = { 0 };
	unsigned int i;
	int ret;

	if (spec->given & BIT(GENERIC_I2S_P_RATE_RANGE)) {
		if (spec->given & BIT(GENERIC_I2S_P_RATES))
			return fail(err, GENERIC_I2S_P_RATE_RANGE,
				    "conflicts with openi2s,rates", 0);
		if (s->rate_min > s->rate_max ||
		    s->rate_min < GENERIC_I2S_RATE_MIN ||
		    s->rate_max > GENERIC_I2S_RATE_MAX)
			return fail(err, GENERIC_I2S_P_RATE_RANGE,
				    "is not a range within 8000..768000 Hz", 0);
		if (s->rate_min < p->rate_min || s->rate_max > p->rate_max)
			return fail(err, GENERIC_I2S_P_RATE_RANGE, contradicts,
				    0);
		for (i = 0; i < p->rates.n; i++)
			if (p->rates.v[i] >= s->rate_min &&
			    p->rates.v[i] <= s->rate_max)
				keep.v[keep.n++] = p->rates.v[i];
		if (p->rates.n && !keep.n)
			return fail(err, GENERIC_I2S_P_RATE_RANGE,
				    "leaves none of the part's rates", 0);
		p->rates = keep;
		p->rate_min = s->rate_min;
		p->rate_max = s->rate_max;
	}
	if (spec->given & BIT(GENERIC_I2S_P_RATES)) {
		for (i = 0; i < s->rates.n; i++)
			if (!generic_i2s_rate_ok(p, s->rates.v[i]))
				return fail(err, GENERIC_I2S_P_RATES,
					    "has a rate the part does not take, Hz",
					    s->rates.v[i]);
		ret = narrow_list(&p->rates, &s->rates, GENERIC_I2S_P_RATES,
				  GENERIC_I2S_RATE_MIN, GENERIC_I2S_RATE_MAX,
				  contradicts, err);
		if (ret)
			return ret;
		p->rate_min = GENERIC_I2S_RATE_MAX;
		p->rate_max = 0;
		for (i = 0; i < p->rates.n; i++) {
			if (p->rates.v[i] < p->rate_min)
				p->rate_min = p->rates.v[i];
			if (p->rates.v[i] > p->rate_max)
				p->rate_max = p->rates.v[i];
		}
	}
	return 0;
}

static int narrow_channels(struct generic_i2s_part *p,
			   const struct generic_i2s_spec *spec,
			   const char *contradicts, struct generic_i2s_err *err)
{
	const struct generic_i2s_part *s = &spec->part;
	unsigned int n;

	if (spec->given & BIT(GENERIC_I2S_P_CHANNELS)) {
		if (s->channels_min < 1 || s->channels_min > s->channels_max ||
		    s->channels_max > GENERIC_I2S_MAX_SLOTS)
			return fail(err, GENERIC_I2S_P_CHANNELS,
				    "is not a range within 1..32", 0);
		if (s->channels_min < p->channels_min ||
		    s->channels_max > p->channels_max)
			return fail(err, GENERIC_I2S_P_CHANNELS, contradicts, 0);
		p->channels_min = s->channels_min;
		p->channels_max = s->channels_max;
	}
	if (spec->given & BIT(GENERIC_I2S_P_TDM_SLOTS)) {
		n = popcount(s->tdm_slots);
		if (!n)
			return fail(err, GENERIC_I2S_P_TDM_SLOTS, "is empty", 0);
		if (n < p->channels_min || n > p->channels_max)
			return fail(err, GENERIC_I2S_P_TDM_SLOTS,
				    spec->given & BIT(GENERIC_I2S_P_CHANNELS) ?
				    "conflicts with openi2s,channels" :
				    contradicts, n);
		p->tdm_slots = s->tdm_slots;
		p->channels_min = n;
		p->channels_max = n;
	}
	return 0;
}

/* What the finished description must make sense as. */
static int check_part(const struct generic_i2s_part *p,
		      struct generic_i2s_err *err)
{
	unsigned int i, narrowest = widest_sample(p->samples, false);
	bool fits = !p->bclk_fs.n;

	if (p->chmode == GENERIC_I2S_CH_MIX && p->dirs != GENERIC_I2S_PLAYBACK)
		return fail(err, GENERIC_I2S_P_CHMODE,
			    "is mix, which only a playback-only part can do", 0);
	if (p->sig_bits &&
	    (p->sig_bits < 8 || p->sig_bits > widest_sample(p->samples, true)))
		return fail(err, GENERIC_I2S_P_SIG_BITS,
			    "is not 8 up to the widest sample format", 0);
	/* A usual frame has two slots; a TDM part's slots come from the link. */
	for (i = 0; i < p->bclk_fs.n && !p->tdm_slots; i++)
		if (p->bclk_fs.v[i] / 2 >= narrowest &&
		    p->bclk_fs.v[i] / 2 >= p->sig_bits)
			fits = true;
	if (!fits && !p->tdm_slots)
		return fail(err, GENERIC_I2S_P_BCLK_FS,
			    "makes slots narrower than every sample format", 0);
	return 0;
}

/**
 * generic_i2s_part_build() - describe a part from a preset and its node
 * @preset: the part preset of the node's compatible, or NULL for the
 *	fully generic compatible
 * @spec: the node's properties
 * @part: receives the description
 * @err: receives the property at fault on failure
 *
 * A node may narrow its preset (the pins it is strapped with, the rates a
 * board uses) but not widen it. Without a preset, openi2s,direction,
 * openi2s,dai-formats, openi2s,sample-formats and the rates are required;
 * left out, the clock roles are consumer, the polarities normal and the
 * channels 1 to 2.
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int generic_i2s_part_build(const struct generic_i2s_part *preset,
			   const struct generic_i2s_spec *spec,
			   struct generic_i2s_part *part,
			   struct generic_i2s_err *err)
{
	const char *contradicts = preset ? "contradicts the preset" :
					   "is out of range";
	const struct generic_i2s_part *s = &spec->part;
	unsigned int missing, i;
	int ret;

	*part = preset ? *preset : generic_any;
	if (!preset) {
		missing = GENERIC_REQUIRED & ~spec->given;
		if (!(spec->given & (BIT(GENERIC_I2S_P_RATES) |
				     BIT(GENERIC_I2S_P_RATE_RANGE))))
			missing |= BIT(GENERIC_I2S_P_RATE_RANGE);
		for (i = 0; i < GENERIC_I2S_NUM_PROPS; i++)
			if (missing & BIT(i))
				return fail(err, i,
					    "is required with openi2s,generic-i2s",
					    0);
	}

	ret = narrow_bits(spec, GENERIC_I2S_P_DIRECTION, &part->dirs, s->dirs,
			  contradicts, err) ?:
	      narrow_bits(spec, GENERIC_I2S_P_FORMATS, &part->formats,
			  s->formats, contradicts, err) ?:
	      narrow_bits(spec, GENERIC_I2S_P_ROLES, &part->roles, s->roles,
			  contradicts, err) ?:
	      narrow_bits(spec, GENERIC_I2S_P_INVERSIONS, &part->inversions,
			  s->inversions, contradicts, err) ?:
	      narrow_bits(spec, GENERIC_I2S_P_SAMPLES, &part->samples,
			  s->samples, contradicts, err);
	if (ret)
		return ret;
	if (spec->given & BIT(GENERIC_I2S_P_SIG_BITS)) {
		if (s->sig_bits < 8 || s->sig_bits > 32)
			return fail(err, GENERIC_I2S_P_SIG_BITS,
				    "is not 8 to 32", s->sig_bits);
		if (part->sig_bits && s->sig_bits != part->sig_bits)
			return fail(err, GENERIC_I2S_P_SIG_BITS, contradicts,
				    s->sig_bits);
		part->sig_bits = s->sig_bits;
	}
	if (spec->given & BIT(GENERIC_I2S_P_CHMODE)) {
		if (!(part->chmodes & BIT(s->chmode)))
			return fail(err, GENERIC_I2S_P_CHMODE, contradicts, 0);
		part->chmode = s->chmode;
	}
	if (!preset && !(spec->given & BIT(GENERIC_I2S_P_ROLES)))
		part->roles = GENERIC_I2S_CONSUMER;
	if (!preset && !(spec->given & BIT(GENERIC_I2S_P_INVERSIONS)))
		part->inversions = BIT(GENERIC_I2S_NB_NF);
	if (!preset && !(spec->given & (BIT(GENERIC_I2S_P_CHANNELS) |
					BIT(GENERIC_I2S_P_TDM_SLOTS))))
		part->channels_max = 2;
	ret = narrow_channels(part, spec, contradicts, err);
	if (ret)
		return ret;
	ret = narrow_rates(part, spec, contradicts, err);
	if (ret)
		return ret;
	if (spec->given & BIT(GENERIC_I2S_P_BCLK_FS)) {
		ret = narrow_list(&part->bclk_fs, &s->bclk_fs,
				  GENERIC_I2S_P_BCLK_FS, 16, 1024, contradicts,
				  err);
		if (ret)
			return ret;
	}
	if (spec->given & BIT(GENERIC_I2S_P_MCLK_FS)) {
		ret = narrow_list(&part->mclk_fs, &s->mclk_fs,
				  GENERIC_I2S_P_MCLK_FS, 32, 3072, contradicts,
				  err);
		if (ret)
			return ret;
	}
	return check_part(part, err);
}
EXPORT_SYMBOL_GPL(generic_i2s_part_build);

/**
 * generic_i2s_check_fmt() - whether a part can take a link's bus format
 * @part: the part
 * @fmt: the link's bus format
 * @role: GENERIC_I2S_PROVIDER if the part is to drive BCLK and FS,
 *	GENERIC_I2S_CONSUMER if it is to take them, 0 if the link splits them
 * @inv: the link's clock polarities
 * @err: receives the property at fault on failure
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int generic_i2s_check_fmt(const struct generic_i2s_part *part,
			  enum generic_i2s_format fmt, unsigned int role,
			  enum generic_i2s_inversion inv,
			  struct generic_i2s_err *err)
{
	if (!(part->formats & BIT(fmt)))
		return fail(err, GENERIC_I2S_P_FORMATS,
			    "does not list the link's format", 0);
	if (!(part->roles & role))
		return fail(err, GENERIC_I2S_P_ROLES,
			    "does not list the link's clock role for the part",
			    0);
	if (!(part->inversions & BIT(inv)))
		return fail(err, GENERIC_I2S_P_INVERSIONS,
			    "does not list the link's clock polarities", 0);
	return 0;
}
EXPORT_SYMBOL_GPL(generic_i2s_check_fmt);

/**
 * generic_i2s_check_slots() - whether a part fits in a link's slots
 * @part: the part
 * @frame: the frames the link makes (@frame->rate and @frame->mclk_hz
 *	are not looked at)
 * @err: receives the property at fault on failure
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int generic_i2s_check_slots(const struct generic_i2s_part *part,
			    const struct generic_i2s_frame *frame,
			    struct generic_i2s_err *err)
{
	unsigned int bits = frame->slots * frame->slot_width;

	if (frame->sample_width > frame->slot_width)
		return fail(err, GENERIC_I2S_P_SAMPLES,
			    "has samples wider than the link's slots of bits",
			    frame->slot_width);
	if (part->sig_bits > frame->slot_width)
		return fail(err, GENERIC_I2S_P_SIG_BITS,
			    "is more than the link's slots carry, bits",
			    frame->slot_width);
	if (part->bclk_fs.n && !in_list(&part->bclk_fs, bits))
		return fail(err, GENERIC_I2S_P_BCLK_FS,
			    "does not list the link's bit clocks per frame", bits);
	if (frame->slots < GENERIC_I2S_MAX_SLOTS &&
	    part->tdm_slots >> frame->slots)
		return fail(err, GENERIC_I2S_P_TDM_SLOTS,
			    "reaches past the link's slots", frame->slots);
	return 0;
}
EXPORT_SYMBOL_GPL(generic_i2s_check_slots);

/**
 * generic_i2s_check_frame() - whether a part can take a link's frames
 * @part: the part
 * @frame: the frames the link makes
 * @err: receives the property at fault on failure
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int generic_i2s_check_frame(const struct generic_i2s_part *part,
			    const struct generic_i2s_frame *frame,
			    struct generic_i2s_err *err)
{
	int ret;

	if (!generic_i2s_rate_ok(part, frame->rate))
		return fail(err, part->rates.n ? GENERIC_I2S_P_RATES :
						 GENERIC_I2S_P_RATE_RANGE,
			    "does not take the link's rate, Hz", frame->rate);
	ret = generic_i2s_check_slots(part, frame, err);
	if (ret || !part->mclk_fs.n)
		return ret;
	if (!frame->mclk_hz)
		return fail(err, GENERIC_I2S_P_MCLK_FS,
			    "says the part needs MCLK, and the link gives none",
			    0);
	if (frame->mclk_hz % frame->rate ||
	    !in_list(&part->mclk_fs, frame->mclk_hz / frame->rate))
		return fail(err, GENERIC_I2S_P_MCLK_FS,
			    "does not list the link's MCLK ratio",
			    frame->mclk_hz / frame->rate);
	return 0;
}
EXPORT_SYMBOL_GPL(generic_i2s_check_frame);
