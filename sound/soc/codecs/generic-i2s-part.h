/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a control-less I2S part can do, as its pins and datasheet fix it:
 * directions, bus formats, clock roles, sample formats, rates, channels or
 * TDM slots, frame and MCLK ratios. Built from a preset and a devicetree
 * node's properties, and checked against what a DAI link asks of it.
 *
 * Pure C without kernel dependencies: used by the generic codec driver and
 * by host and KUnit tests. Errors name the devicetree property at fault.
 */
#ifndef GENERIC_I2S_PART_H
#define GENERIC_I2S_PART_H

#ifdef __KERNEL__
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/types.h>
#else
#include "openi2s-host.h"
#endif

#define GENERIC_I2S_PLAYBACK	BIT(0)
#define GENERIC_I2S_CAPTURE	BIT(1)

#define GENERIC_I2S_CONSUMER	BIT(0)	/* takes BCLK and FS */
#define GENERIC_I2S_PROVIDER	BIT(1)	/* drives BCLK and FS */

/* Bus formats, in the order and spelling of the kernel's "dai-format". */
enum generic_i2s_format {
	GENERIC_I2S_FMT_I2S,
	GENERIC_I2S_FMT_LEFT_J,
	GENERIC_I2S_FMT_RIGHT_J,
	GENERIC_I2S_FMT_DSP_A,
	GENERIC_I2S_FMT_DSP_B,
	GENERIC_I2S_NUM_FORMATS
};

/* Clock polarities: normal or inverted bit clock (b) and frame sync (f). */
enum generic_i2s_inversion {
	GENERIC_I2S_NB_NF,
	GENERIC_I2S_IB_NF,
	GENERIC_I2S_NB_IF,
	GENERIC_I2S_IB_IF,
	GENERIC_I2S_NUM_INVERSIONS
};

/* Sample formats, as the kernel's dai-params binding spells them. */
enum generic_i2s_sample {
	GENERIC_I2S_S16_LE,
	GENERIC_I2S_S24_LE,
	GENERIC_I2S_S24_3LE,
	GENERIC_I2S_S32_LE,
	GENERIC_I2S_NUM_SAMPLES
};

/* What a part does with the frame's channels (pin-strapped). */
enum generic_i2s_chmode {
	GENERIC_I2S_CH_STEREO,	/* each channel in its own slot */
	GENERIC_I2S_CH_LEFT,	/* only the left (first) slot */
	GENERIC_I2S_CH_RIGHT,	/* only the right (second) slot */
	GENERIC_I2S_CH_MIX,	/* (left + right) / 2, for a mono amplifier */
	GENERIC_I2S_NUM_CHMODES
};

/* The devicetree properties a part is described by. */
enum generic_i2s_prop {
	GENERIC_I2S_P_DIRECTION,
	GENERIC_I2S_P_FORMATS,
	GENERIC_I2S_P_ROLES,
	GENERIC_I2S_P_INVERSIONS,
	GENERIC_I2S_P_SAMPLES,
	GENERIC_I2S_P_SIG_BITS,
	GENERIC_I2S_P_CHMODE,
	GENERIC_I2S_P_CHANNELS,
	GENERIC_I2S_P_TDM_SLOTS,
	GENERIC_I2S_P_RATES,
	GENERIC_I2S_P_RATE_RANGE,
	GENERIC_I2S_P_BCLK_FS,
	GENERIC_I2S_P_MCLK_FS,
	GENERIC_I2S_NUM_PROPS
};

#define GENERIC_I2S_MAX_LIST	16
#define GENERIC_I2S_MAX_SLOTS	32
#define GENERIC_I2S_RATE_MIN	8000
#define GENERIC_I2S_RATE_MAX	768000

/**
 * struct generic_i2s_list - a short list of values
 * @n: number of values; 0 means no restriction
 * @v: the values
 */
struct generic_i2s_list {
	unsigned int n;
	u32 v[GENERIC_I2S_MAX_LIST];
};

/**
 * struct generic_i2s_part - what a part can do
 * @name: the preset's part name, or "generic"
 * @dirs: GENERIC_I2S_PLAYBACK and/or GENERIC_I2S_CAPTURE
 * @formats: bit n set: it speaks enum generic_i2s_format n
 * @roles: GENERIC_I2S_CONSUMER and/or GENERIC_I2S_PROVIDER
 * @inversions: bit n set: it works with enum generic_i2s_inversion n
 * @samples: bit n set: it takes enum generic_i2s_sample n
 * @sig_bits: significant bits of each sample, 0 for all of them
 * @chmodes: bit n set: it can be strapped to enum generic_i2s_chmode n
 * @chmode: the channel mode it is strapped to
 * @channels_min: fewest channels of a stream
 * @channels_max: most channels of a stream
 * @tdm_slots: bit n set: it uses TDM slot n; 0 for the usual slots
 * @rate_min: lowest frame rate, Hz
 * @rate_max: highest frame rate, Hz
 * @rates: the only rates it takes, within @rate_min..@rate_max
 * @bclk_fs: the bit clocks per frame it takes
 * @mclk_fs: the MCLK / frame rate ratios it takes; none: needs no MCLK
 */
struct generic_i2s_part {
	const char *name;
	unsigned int dirs;
	unsigned int formats;
	unsigned int roles;
	unsigned int inversions;
	unsigned int samples;
	unsigned int sig_bits;
	unsigned int chmodes;
	enum generic_i2s_chmode chmode;
	unsigned int channels_min;
	unsigned int channels_max;
	u32 tdm_slots;
	u32 rate_min;
	u32 rate_max;
	struct generic_i2s_list rates;
	struct generic_i2s_list bclk_fs;
	struct generic_i2s_list mclk_fs;
};

/**
 * struct generic_i2s_spec - what a devicetree node says of a part
 * @given: bit n set: property enum generic_i2s_prop n is present
 * @part: the values of the properties that are present; for
 *	%GENERIC_I2S_P_CHANNELS, @part.channels_min and @part.channels_max,
 *	for %GENERIC_I2S_P_RATE_RANGE, @part.rate_min and @part.rate_max
 */
struct generic_i2s_spec {
	unsigned int given;
	struct generic_i2s_part part;
};

/**
 * struct generic_i2s_err - why a description or a link was refused
 * @prop: the part's property at fault
 * @why: what is wrong, a phrase that follows the property's name
 * @val: the value at fault, printed after the phrase, or 0
 */
struct generic_i2s_err {
	enum generic_i2s_prop prop;
	const char *why;
	unsigned int val;
};

/**
 * struct generic_i2s_frame - the frame a link puts on the bus
 * @slots: slots per frame
 * @slot_width: bit clocks per slot
 * @sample_width: significant bits of the stream's sample format
 * @mclk_hz: the MCLK the part gets, 0 for none
 * @rate: frame rate, Hz
 */
struct generic_i2s_frame {
	unsigned int slots;
	unsigned int slot_width;
	unsigned int sample_width;
	u32 mclk_hz;
	u32 rate;
};

extern const char *const generic_i2s_prop_names[GENERIC_I2S_NUM_PROPS];
extern const char *const generic_i2s_format_names[GENERIC_I2S_NUM_FORMATS];
extern const char *const
	generic_i2s_inversion_names[GENERIC_I2S_NUM_INVERSIONS];
extern const char *const generic_i2s_sample_names[GENERIC_I2S_NUM_SAMPLES];
extern const char *const generic_i2s_chmode_names[GENERIC_I2S_NUM_CHMODES];
extern const char *const generic_i2s_role_names[2];
extern const char *const generic_i2s_direction_names[3];

extern const struct generic_i2s_part generic_i2s_preset_max98357a;
extern const struct generic_i2s_part generic_i2s_preset_max98357b;
extern const struct generic_i2s_part generic_i2s_preset_max98360a;
extern const struct generic_i2s_part generic_i2s_preset_inmp441;
extern const struct generic_i2s_part generic_i2s_preset_ics43434;
extern const struct generic_i2s_part generic_i2s_preset_sph0645lm4h;
extern const struct generic_i2s_part generic_i2s_preset_pcm5102a;
extern const struct generic_i2s_part generic_i2s_preset_pcm1808;

int generic_i2s_name_index(const char *const *names, unsigned int n,
			   const char *s);
unsigned int generic_i2s_sample_width(enum generic_i2s_sample s);
int generic_i2s_part_build(const struct generic_i2s_part *preset,
			   const struct generic_i2s_spec *spec,
			   struct generic_i2s_part *part,
			   struct generic_i2s_err *err);
bool generic_i2s_rate_ok(const struct generic_i2s_part *part, u32 rate);
int generic_i2s_check_fmt(const struct generic_i2s_part *part,
			  enum generic_i2s_format fmt, unsigned int role,
			  enum generic_i2s_inversion inv,
			  struct generic_i2s_err *err);
int generic_i2s_check_slots(const struct generic_i2s_part *part,
			    const struct generic_i2s_frame *frame,
			    struct generic_i2s_err *err);
int generic_i2s_check_frame(const struct generic_i2s_part *part,
			    const struct generic_i2s_frame *frame,
			    struct generic_i2s_err *err);

#endif /* GENERIC_I2S_PART_H */
