// SPDX-License-Identifier: GPL-2.0
/*
 * Generic I2S codec: the codec end of a DAI link for parts without a
 * control interface (I2S DACs, amplifiers, ADCs, MEMS microphones). What a
 * part can do comes from a preset chosen by compatible, narrowed by the
 * node's properties, or from the properties alone; the DAI's streams are
 * patched to match before it is registered, and a link the part cannot do
 * is refused with a message naming the node and the property.
 *
 * Power goes through DAPM: the enable GPIO (which may sleep, as on an I2C
 * expander), the supplies and MCLK are supply widgets of the streams.
 */
#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/clk.h>
#include <linux/delay.h>
#include <linux/gpio/consumer.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <sound/pcm.h>
#include <sound/pcm_params.h>
#include <sound/soc.h>

#include "generic-i2s.h"

struct generic_i2s {
	struct device *dev;
	struct generic_i2s_part part;
	struct snd_pcm_hw_constraint_list rate_list;
	unsigned int rate_values[GENERIC_I2S_MAX_LIST];
	struct snd_soc_dai_driver dai_drv;
	u64 auto_fmt[2];
	struct gpio_desc *enable;
	u32 up_delay_ms;
	u32 down_delay_ms;
	struct clk *mclk;
	unsigned int sysclk;
	unsigned int tdm_slots;
	unsigned int tdm_width;
	unsigned int bclk_ratio;
	bool dsp;
};

/* SNDRV_PCM_FORMAT_* of each enum generic_i2s_sample. */
static const snd_pcm_format_t generic_i2s_pcm_formats[] = {
	[GENERIC_I2S_S16_LE] = SNDRV_PCM_FORMAT_S16_LE,
	[GENERIC_I2S_S24_LE] = SNDRV_PCM_FORMAT_S24_LE,
	[GENERIC_I2S_S24_3LE] = SNDRV_PCM_FORMAT_S24_3LE,
	[GENERIC_I2S_S32_LE] = SNDRV_PCM_FORMAT_S32_LE,
};

static int generic_i2s_refuse(struct device *dev, struct device_node *np,
			      const struct generic_i2s_err *err,
			      const char *link)
{
	if (err->val)
		dev_err(dev, "%pOF: property \"%s\" %s: %u%s\n", np,
			generic_i2s_prop_names[err->prop], err->why, err->val,
			link);
	else
		dev_err(dev, "%pOF: property \"%s\" %s%s\n", np,
			generic_i2s_prop_names[err->prop], err->why, link);
	return -EINVAL;
}

static const struct of_device_id generic_i2s_of_match[] = {
	{ .compatible = "openi2s,generic-i2s" },
	{ .compatible = "openi2s,max98357a", .data = &generic_i2s_preset_max98357a },
	{ .compatible = "openi2s,max98357b", .data = &generic_i2s_preset_max98357b },
	{ .compatible = "openi2s,max98360a", .data = &generic_i2s_preset_max98360a },
	{ .compatible = "openi2s,inmp441", .data = &generic_i2s_preset_inmp441 },
	{ .compatible = "openi2s,ics43434", .data = &generic_i2s_preset_ics43434 },
	{ .compatible = "openi2s,sph0645lm4h",
	  .data = &generic_i2s_preset_sph0645lm4h },
	{ .compatible = "openi2s,pcm5102a", .data = &generic_i2s_preset_pcm5102a },
	{ .compatible = "openi2s,pcm1808", .data = &generic_i2s_preset_pcm1808 },
	{ }
};
MODULE_DEVICE_TABLE(of, generic_i2s_of_match);

/* A string-list property as a bit set of its values' indices in @names. */
static int parse_names(struct device *dev, struct device_node *np,
		       enum generic_i2s_prop prop, const char *const *names,
		       unsigned int n, unsigned int *mask, unsigned int *given)
{
	const char *name = generic_i2s_prop_names[prop];
	const char *s;
	int count, i, idx;

	if (!of_find_property(np, name, NULL))
		return 0;
	*given |= BIT(prop);
	*mask = 0;
	count = of_property_count_strings(np, name);
	if (count <= 0)
		return dev_err_probe(dev, -EINVAL,
				     "%pOF: property \"%s\" is %s\n", np, name,
				     count == -ENODATA || !count ? "empty" :
				     "not a string list");
	for (i = 0; i < count; i++) {
		of_property_read_string_index(np, name, i, &s);
		idx = generic_i2s_name_index(names, n, s);
		if (idx < 0)
			return dev_err_probe(dev, -EINVAL,
					     "%pOF: property \"%s\" has unknown value \"%s\"\n",
					     np, name, s);
		*mask |= BIT(idx);
	}
	return 0;
}

/* A u32-list property of at most @max values (0 of them is allowed). */
static int parse_u32s(struct device *dev, struct device_node *np,
		      enum generic_i2s_prop prop, u32 *v, unsigned int max,
		      unsigned int *n, unsigned int *given)
{
	const char *name = generic_i2s_prop_names[prop];
	int count;

	if (!of_find_property(np, name, NULL))
		return 0;
	*given |= BIT(prop);
	count = of_property_count_u32_elems(np, name);
	if (count == -ENODATA || count == 0) {
		*n = 0;
		return 0;
	}
	if (count < 0 || count > max)
		return dev_err_probe(dev, -EINVAL,
				     "%pOF: property \"%s\" must be 1 to %u cells\n",
				     np, name, max);
	*n = count;
	return of_property_read_u32_array(np, name, v, count);
}

/* A u32-list property of exactly @want values. */
static int parse_u32_n(struct device *dev, struct device_node *np,
		       enum generic_i2s_prop prop, u32 *v, unsigned int want,
		       unsigned int *given)
{
	const char *name = generic_i2s_prop_names[prop];

	if (!of_find_property(np, name, NULL))
		return 0;
	*given |= BIT(prop);
	if (of_property_count_u32_elems(np, name) != want)
		return dev_err_probe(dev, -EINVAL,
				     "%pOF: property \"%s\" must be %u cell%s\n",
				     np, name, want, want > 1 ? "s" : "");
	return of_property_read_u32_array(np, name, v, want);
}

/* A property of one string from @names: its index, or -1 if absent. */
static int parse_one_name(struct device *dev, struct device_node *np,
			  enum generic_i2s_prop prop, const char *const *names,
			  unsigned int n, int *index, unsigned int *given)
{
	unsigned int mask = 0;
	int ret;

	*index = -1;
	ret = parse_names(dev, np, prop, names, n, &mask, given);
	if (ret || !mask)
		return ret;
	if (mask & (mask - 1))
		return dev_err_probe(dev, -EINVAL,
				     "%pOF: property \"%s\" must be one string\n",
				     np, generic_i2s_prop_names[prop]);
	*index = __ffs(mask);
	return 0;
}

static int parse_tdm_slots(struct device *dev, struct device_node *np,
			   struct generic_i2s_spec *spec)
{
	u32 slots[GENERIC_I2S_MAX_SLOTS];
	unsigned int i, n = 0;
	int ret;

	ret = parse_u32s(dev, np, GENERIC_I2S_P_TDM_SLOTS, slots,
			 GENERIC_I2S_MAX_SLOTS, &n, &spec->given);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		if (slots[i] >= GENERIC_I2S_MAX_SLOTS)
			return dev_err_probe(dev, -EINVAL,
					     "%pOF: property \"%s\" has slot %u, past slot 31\n",
					     np,
					     generic_i2s_prop_names[GENERIC_I2S_P_TDM_SLOTS],
					     slots[i]);
		spec->part.tdm_slots |= BIT(slots[i]);
	}
	return 0;
}

/**
 * generic_i2s_parse_node() - describe the part a devicetree node stands for
 * @dev: device to report errors against
 * @np: the part's node
 * @part: receives what the part can do
 * @bad: if not NULL, receives the property at fault when it fails
 *
 * Reads the node's openi2s,* properties and merges them with the preset of
 * its compatible (see generic_i2s_part_build()). Every failure is reported
 * with the node and the property at fault.
 *
 * Return: 0, -ENODEV if @np is not a generic codec node, or -EINVAL.
 */
int generic_i2s_parse_node(struct device *dev, struct device_node *np,
			   struct generic_i2s_part *part,
			   enum generic_i2s_prop *bad)
{
	const struct of_device_id *match = of_match_node(generic_i2s_of_match,
							 np);
	const struct generic_i2s_part *preset;
	struct generic_i2s_spec *spec;
	struct generic_i2s_part *s;
	struct generic_i2s_err err;
	u32 pair[2] = { };
	int ret, index;

	if (!match)
		return dev_err_probe(dev, -ENODEV,
				     "%pOF: property \"compatible\": not a generic I2S part\n",
				     np);
	preset = match->data;
	/* Too big for the stack of a probe path with three lists in it. */
	spec = kzalloc(sizeof(*spec), GFP_KERNEL);
	if (!spec)
		return -ENOMEM;
	s = &spec->part;

	ret = parse_one_name(dev, np, GENERIC_I2S_P_DIRECTION,
			     generic_i2s_direction_names, 3, &index,
			     &spec->given);
	/* "playback", "capture", "both" are direction masks 1, 2, 3. */
	s->dirs = index + 1;
	if (!ret)
		ret = parse_names(dev, np, GENERIC_I2S_P_FORMATS,
				  generic_i2s_format_names,
				  GENERIC_I2S_NUM_FORMATS, &s->formats,
				  &spec->given);
	if (!ret)
		ret = parse_names(dev, np, GENERIC_I2S_P_ROLES,
				  generic_i2s_role_names, 2, &s->roles,
				  &spec->given);
	if (!ret)
		ret = parse_names(dev, np, GENERIC_I2S_P_INVERSIONS,
				  generic_i2s_inversion_names,
				  GENERIC_I2S_NUM_INVERSIONS, &s->inversions,
				  &spec->given);
	if (!ret)
		ret = parse_names(dev, np, GENERIC_I2S_P_SAMPLES,
				  generic_i2s_sample_names,
				  GENERIC_I2S_NUM_SAMPLES, &s->samples,
				  &spec->given);
	if (!ret)
		ret = parse_u32_n(dev, np, GENERIC_I2S_P_SIG_BITS, &s->sig_bits,
				  1, &spec->given);
	if (!ret) {
		ret = parse_one_name(dev, np, GENERIC_I2S_P_CHMODE,
				     generic_i2s_chmode_names,
				     GENERIC_I2S_NUM_CHMODES, &index,
				     &spec->given);
		s->chmode = index < 0 ? 0 : index;
	}
	if (!ret) {
		ret = parse_u32_n(dev, np, GENERIC_I2S_P_CHANNELS, pair, 2,
				  &spec->given);
		s->channels_min = pair[0];
		s->channels_max = pair[1];
	}
	if (!ret)
		ret = parse_tdm_slots(dev, np, spec);
	if (!ret)
		ret = parse_u32s(dev, np, GENERIC_I2S_P_RATES, s->rates.v,
				 GENERIC_I2S_MAX_LIST, &s->rates.n,
				 &spec->given);
	if (!ret) {
		ret = parse_u32_n(dev, np, GENERIC_I2S_P_RATE_RANGE, pair, 2,
				  &spec->given);
		s->rate_min = pair[0];
		s->rate_max = pair[1];
	}
	if (!ret)
		ret = parse_u32s(dev, np, GENERIC_I2S_P_BCLK_FS, s->bclk_fs.v,
				 GENERIC_I2S_MAX_LIST, &s->bclk_fs.n,
				 &spec->given);
	if (!ret)
		ret = parse_u32s(dev, np, GENERIC_I2S_P_MCLK_FS, s->mclk_fs.v,
				 GENERIC_I2S_MAX_LIST, &s->mclk_fs.n,
				 &spec->given);
	/*
	 * The properties are read in the order of enum generic_i2s_prop, and
	 * each reader marks its property given before it can fail: the last
	 * one given is the one a reader failed at.
	 */
	if (ret) {
		err.prop = fls(spec->given) - 1;
	} else if (generic_i2s_part_build(preset, spec, part, &err)) {
		char what[48] = "";

		if (preset)
			snprintf(what, sizeof(what), " (%s)", preset->name);
		ret = generic_i2s_refuse(dev, np, &err, what);
	}
	if (ret && bad)
		*bad = err.prop;
	kfree(spec);
	return ret;
}
EXPORT_SYMBOL_GPL(generic_i2s_parse_node);

static int generic_i2s_startup(struct snd_pcm_substream *substream,
			       struct snd_soc_dai *dai)
{
	struct generic_i2s *gi = snd_soc_dai_get_drvdata(dai);
	struct snd_pcm_runtime *runtime = substream->runtime;
	u64 formats = 0;
	unsigned int s;
	int ret;

	if (gi->rate_list.count) {
		ret = snd_pcm_hw_constraint_list(runtime, 0,
						 SNDRV_PCM_HW_PARAM_RATE,
						 &gi->rate_list);
		if (ret < 0)
			return ret;
	}
	/*
	 * The frame rule: unless the link sets its slots, a CPU DAI makes an
	 * I2S or justified frame of up to two channels as two slots of the
	 * sample format's physical width, so offer only the formats whose
	 * frame the part takes. hw_params checks every other frame.
	 */
	if (!gi->part.bclk_fs.n || gi->tdm_slots || gi->bclk_ratio ||
	    gi->part.tdm_slots || gi->dsp || gi->part.channels_max > 2)
		return 0;
	for (s = 0; s < GENERIC_I2S_NUM_SAMPLES; s++) {
		struct generic_i2s_frame frame = {
			.slots = 2,
			.slot_width = snd_pcm_format_physical_width(generic_i2s_pcm_formats[s]),
			.sample_width = generic_i2s_sample_width(s),
		};
		struct generic_i2s_err err;

		if ((gi->part.samples & BIT(s)) &&
		    !generic_i2s_check_slots(&gi->part, &frame, &err))
			formats |= pcm_format_to_bits(generic_i2s_pcm_formats[s]);
	}
	/* None fits (16-bit samples in 32-bit slots): the link must say so. */
	if (!formats)
		return 0;
	return snd_pcm_hw_constraint_mask64(runtime, SNDRV_PCM_HW_PARAM_FORMAT,
					    formats);
}

static int generic_i2s_hw_params(struct snd_pcm_substream *substream,
				 struct snd_pcm_hw_params *params,
				 struct snd_soc_dai *dai)
{
	struct generic_i2s *gi = snd_soc_dai_get_drvdata(dai);
	unsigned int channels = params_channels(params);
	struct generic_i2s_frame frame = {
		.rate = params_rate(params),
		.sample_width = params_width(params),
		.mclk_hz = gi->sysclk,
	};
	struct generic_i2s_err err;
	char link[64];

	/* The frame a CPU DAI makes unless told: as the OpenI2S one does. */
	frame.slots = gi->tdm_slots ?: gi->dsp ? channels : round_up(channels, 2);
	frame.slot_width = gi->tdm_width ?:
			   gi->bclk_ratio ? gi->bclk_ratio / frame.slots :
			   params_physical_width(params);
	if (!frame.mclk_hz && gi->mclk)
		frame.mclk_hz = clk_get_rate(gi->mclk);
	if (!generic_i2s_check_frame(&gi->part, &frame, &err))
		return 0;
	snprintf(link, sizeof(link), " (the link: %u x %u-bit slots at %u Hz)",
		 frame.slots, frame.slot_width, frame.rate);
	return generic_i2s_refuse(gi->dev, gi->dev->of_node, &err, link);
}

static int generic_i2s_set_fmt(struct snd_soc_dai *dai, unsigned int fmt)
{
	struct generic_i2s *gi = snd_soc_dai_get_drvdata(dai);
	enum generic_i2s_inversion inv;
	enum generic_i2s_format f;
	struct generic_i2s_err err;
	unsigned int role;
	const char *who;
	char link[80];

	switch (fmt & SND_SOC_DAIFMT_FORMAT_MASK) {
	case SND_SOC_DAIFMT_I2S:
		f = GENERIC_I2S_FMT_I2S;
		break;
	case SND_SOC_DAIFMT_LEFT_J:
		f = GENERIC_I2S_FMT_LEFT_J;
		break;
	case SND_SOC_DAIFMT_RIGHT_J:
		f = GENERIC_I2S_FMT_RIGHT_J;
		break;
	case SND_SOC_DAIFMT_DSP_A:
		f = GENERIC_I2S_FMT_DSP_A;
		break;
	case SND_SOC_DAIFMT_DSP_B:
		f = GENERIC_I2S_FMT_DSP_B;
		break;
	default:
		dev_err(gi->dev, "%pOF: the card's link format %#x (the card's format property) is not an I2S one\n",
			gi->dev->of_node, fmt & SND_SOC_DAIFMT_FORMAT_MASK);
		return -EINVAL;
	}
	switch (fmt & SND_SOC_DAIFMT_INV_MASK) {
	case SND_SOC_DAIFMT_NB_NF:
		inv = GENERIC_I2S_NB_NF;
		break;
	case SND_SOC_DAIFMT_IB_NF:
		inv = GENERIC_I2S_IB_NF;
		break;
	case SND_SOC_DAIFMT_NB_IF:
		inv = GENERIC_I2S_NB_IF;
		break;
	case SND_SOC_DAIFMT_IB_IF:
		inv = GENERIC_I2S_IB_IF;
		break;
	default:
		dev_err(gi->dev, "%pOF: the link's polarity %#x is unknown\n",
			gi->dev->of_node, fmt);
		return -EINVAL;
	}
	switch (fmt & SND_SOC_DAIFMT_CLOCK_PROVIDER_MASK) {
	case SND_SOC_DAIFMT_CBP_CFP:
		role = GENERIC_I2S_PROVIDER;
		who = "clock provider";
		break;
	case SND_SOC_DAIFMT_CBC_CFC:
		role = GENERIC_I2S_CONSUMER;
		who = "clock consumer";
		break;
	default:
		role = 0;
		who = "provider of one clock only";
		break;
	}
	if (generic_i2s_check_fmt(&gi->part, f, role, inv, &err)) {
		snprintf(link, sizeof(link), " (the link: %s, %s, part as %s)",
			 generic_i2s_format_names[f],
			 generic_i2s_inversion_names[inv], who);
		return generic_i2s_refuse(gi->dev, gi->dev->of_node, &err, link);
	}
	gi->dsp = f == GENERIC_I2S_FMT_DSP_A || f == GENERIC_I2S_FMT_DSP_B;
	return 0;
}

/*
 * Keep the link's TDM masks as it gives them: 0 means "not given", where
 * the core's default would make every slot the part's.
 */
static int generic_i2s_xlate_tdm_slot_mask(unsigned int slots,
					   unsigned int *tx_mask,
					   unsigned int *rx_mask)
{
	return 0;
}

static int generic_i2s_set_tdm_slot(struct snd_soc_dai *dai,
				    unsigned int tx_mask, unsigned int rx_mask,
				    int slots, int slot_width)
{
	struct generic_i2s *gi = snd_soc_dai_get_drvdata(dai);
	unsigned int want = gi->part.tdm_slots;
	unsigned int got = 0;

	/* Each direction's mask, if the link gives one, is the part's slots. */
	if (want && gi->part.dirs & GENERIC_I2S_PLAYBACK && tx_mask &&
	    tx_mask != want)
		got = tx_mask;
	if (want && gi->part.dirs & GENERIC_I2S_CAPTURE && rx_mask &&
	    rx_mask != want)
		got = rx_mask;
	if (got) {
		dev_err(gi->dev,
			"%pOF: property \"%s\" is slots %#x, the link's mask %#x\n",
			gi->dev->of_node,
			generic_i2s_prop_names[GENERIC_I2S_P_TDM_SLOTS], want, got);
		return -EINVAL;
	}
	gi->tdm_slots = slots;
	gi->tdm_width = slots ? slot_width : 0;
	return 0;
}

static int generic_i2s_set_bclk_ratio(struct snd_soc_dai *dai,
				      unsigned int ratio)
{
	struct generic_i2s *gi = snd_soc_dai_get_drvdata(dai);

	gi->bclk_ratio = ratio;
	return 0;
}

static int generic_i2s_set_sysclk(struct snd_soc_dai *dai, int clk_id,
				  unsigned int freq, int dir)
{
	struct generic_i2s *gi = snd_soc_dai_get_drvdata(dai);

	gi->sysclk = freq;
	return 0;
}

static int generic_i2s_enable_event(struct snd_soc_dapm_widget *w,
				    struct snd_kcontrol *kcontrol, int event)
{
	struct snd_soc_component *component = snd_soc_dapm_to_component(w->dapm);
	struct generic_i2s *gi = snd_soc_component_get_drvdata(component);
	bool on = SND_SOC_DAPM_EVENT_ON(event);
	unsigned int delay = on ? gi->up_delay_ms : gi->down_delay_ms;

	gpiod_set_value_cansleep(gi->enable, on);
	if (delay)
		msleep(delay);
	return 0;
}

/* Add supply widget @w and make each of the part's streams need it. */
static int generic_i2s_add_supply(struct snd_soc_dapm_context *dapm,
				  const struct generic_i2s *gi,
				  const struct snd_soc_dapm_widget *w)
{
	/* Indexed by direction bit: GENERIC_I2S_PLAYBACK, GENERIC_I2S_CAPTURE. */
	static const char *const streams[] = { "HiFi Playback", "HiFi Capture" };
	unsigned int i;
	int ret;

	ret = snd_soc_dapm_new_controls(dapm, w, 1);
	for (i = 0; !ret && i < ARRAY_SIZE(streams); i++) {
		struct snd_soc_dapm_route r = { streams[i], NULL, w->name };

		if (gi->part.dirs & BIT(i))
			ret = snd_soc_dapm_add_routes(dapm, &r, 1);
	}
	return ret;
}

static int generic_i2s_add_regulator(struct snd_soc_dapm_context *dapm,
				     struct generic_i2s *gi, const char *name)
{
	struct snd_soc_dapm_widget w = SND_SOC_DAPM_REGULATOR_SUPPLY(name, 0, 0);

	return generic_i2s_add_supply(dapm, gi, &w);
}

/* Supplies, MCLK and the enable GPIO, each feeding every stream. */
static int generic_i2s_add_power(struct snd_soc_component *component)
{
	struct snd_soc_dapm_context *dapm = snd_soc_component_get_dapm(component);
	struct generic_i2s *gi = snd_soc_component_get_drvdata(component);
	struct property *pp;
	int ret;

	/*
	 * Each widget is initialised where it is declared: before 6.5 the
	 * SND_SOC_DAPM_* macros are initialisers, not compound literals.
	 */
	for_each_property_of_node(gi->dev->of_node, pp) {
		size_t len = strlen(pp->name);
		const char *name;

		if (len <= 7 || strcmp(pp->name + len - 7, "-supply"))
			continue;
		name = devm_kasprintf(gi->dev, GFP_KERNEL, "%.*s", (int)(len - 7),
				      pp->name);
		if (!name)
			return -ENOMEM;
		ret = generic_i2s_add_regulator(dapm, gi, name);
		if (ret)
			return ret;
	}
	if (gi->mclk) {
		struct snd_soc_dapm_widget w = SND_SOC_DAPM_CLOCK_SUPPLY("mclk");

		ret = generic_i2s_add_supply(dapm, gi, &w);
		if (ret)
			return ret;
	}
	if (gi->enable) {
		struct snd_soc_dapm_widget w =
			SND_SOC_DAPM_SUPPLY("Enable", SND_SOC_NOPM, 0, 0,
					    generic_i2s_enable_event,
					    SND_SOC_DAPM_POST_PMU |
					    SND_SOC_DAPM_POST_PMD);

		return generic_i2s_add_supply(dapm, gi, &w);
	}
	return 0;
}

static const struct snd_soc_dapm_widget generic_i2s_widgets[] = {
	SND_SOC_DAPM_OUTPUT("OUT"),
	SND_SOC_DAPM_INPUT("IN"),
};

static const struct snd_soc_dapm_route generic_i2s_playback_route = {
	"OUT", NULL, "HiFi Playback"
};

static const struct snd_soc_dapm_route generic_i2s_capture_route = {
	"HiFi Capture", NULL, "IN"
};

static int generic_i2s_component_probe(struct snd_soc_component *component)
{
	struct snd_soc_dapm_context *dapm = snd_soc_component_get_dapm(component);
	struct generic_i2s *gi = snd_soc_component_get_drvdata(component);
	int ret = 0;

	if (gi->part.dirs & GENERIC_I2S_PLAYBACK)
		ret = snd_soc_dapm_new_controls(dapm, &generic_i2s_widgets[0], 1) ?:
		      snd_soc_dapm_add_routes(dapm, &generic_i2s_playback_route,
					      1);
	if (!ret && gi->part.dirs & GENERIC_I2S_CAPTURE)
		ret = snd_soc_dapm_new_controls(dapm, &generic_i2s_widgets[1], 1) ?:
		      snd_soc_dapm_add_routes(dapm, &generic_i2s_capture_route,
					      1);
	return ret ?: generic_i2s_add_power(component);
}

static const struct snd_soc_component_driver generic_i2s_component = {
	.probe = generic_i2s_component_probe,
	.use_pmdown_time = 1,
	.endianness = 1,
};

/* The DAI stream of one direction, as the part description allows. */
static void generic_i2s_stream(struct generic_i2s *gi,
			       struct snd_soc_pcm_stream *st, const char *name)
{
	const struct generic_i2s_part *p = &gi->part;
	unsigned int s, i;

	st->stream_name = name;
	st->channels_min = p->channels_min;
	st->channels_max = p->channels_max;
	st->rate_min = p->rate_min;
	st->rate_max = p->rate_max;
	st->rates = p->rates.n ? SNDRV_PCM_RATE_KNOT : SNDRV_PCM_RATE_CONTINUOUS;
	st->sig_bits = p->sig_bits;
	for (s = 0; s < GENERIC_I2S_NUM_SAMPLES; s++)
		if (p->samples & BIT(s))
			st->formats |= pcm_format_to_bits(generic_i2s_pcm_formats[s]);
	for (i = 0; i < p->rates.n; i++)
		gi->rate_values[i] = p->rates.v[i];
	gi->rate_list.list = gi->rate_values;
	gi->rate_list.count = p->rates.n;
}

/*
 * What audio-graph-card2 may pick when the link leaves the format out: the
 * part's formats and polarities, as a clock consumer first if it can be
 * one, and as a provider next.
 */
static unsigned int generic_i2s_auto_fmt(const struct generic_i2s_part *p,
					 u64 *fmt)
{
	static const u64 formats[] = {
		SND_SOC_POSSIBLE_DAIFMT_I2S, SND_SOC_POSSIBLE_DAIFMT_LEFT_J,
		SND_SOC_POSSIBLE_DAIFMT_RIGHT_J, SND_SOC_POSSIBLE_DAIFMT_DSP_A,
		SND_SOC_POSSIBLE_DAIFMT_DSP_B,
	};
	static const u64 inversions[] = {
		SND_SOC_POSSIBLE_DAIFMT_NB_NF, SND_SOC_POSSIBLE_DAIFMT_IB_NF,
		SND_SOC_POSSIBLE_DAIFMT_NB_IF, SND_SOC_POSSIBLE_DAIFMT_IB_IF,
	};
	unsigned int i, n = 0;

	fmt[0] = 0;
	for (i = 0; i < ARRAY_SIZE(formats); i++)
		if (p->formats & BIT(i))
			fmt[0] |= formats[i];
	for (i = 0; i < ARRAY_SIZE(inversions); i++)
		if (p->inversions & BIT(i))
			fmt[0] |= inversions[i];
	if (p->roles & GENERIC_I2S_CONSUMER)
		fmt[n++] |= SND_SOC_POSSIBLE_DAIFMT_CBC_CFC;
	if (p->roles & GENERIC_I2S_PROVIDER)
		fmt[n++] |= SND_SOC_POSSIBLE_DAIFMT_CBP_CFP;
	return n;
}

/* The DAI's ops: the common ones, with this part's automatic formats. */
static const struct snd_soc_dai_ops *generic_i2s_ops(struct generic_i2s *gi)
{
	const struct snd_soc_dai_ops ops = {
		.startup = generic_i2s_startup,
		.hw_params = generic_i2s_hw_params,
		.set_fmt = generic_i2s_set_fmt,
		.set_tdm_slot = generic_i2s_set_tdm_slot,
		.xlate_tdm_slot_mask = generic_i2s_xlate_tdm_slot_mask,
		.set_bclk_ratio = generic_i2s_set_bclk_ratio,
		.set_sysclk = generic_i2s_set_sysclk,
		.auto_selectable_formats = gi->auto_fmt,
		.num_auto_selectable_formats =
			generic_i2s_auto_fmt(&gi->part, gi->auto_fmt),
	};

	return devm_kmemdup(gi->dev, &ops, sizeof(ops), GFP_KERNEL);
}

static int generic_i2s_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct generic_i2s *gi;
	int ret;

	gi = devm_kzalloc(dev, sizeof(*gi), GFP_KERNEL);
	if (!gi)
		return -ENOMEM;
	gi->dev = dev;
	platform_set_drvdata(pdev, gi);

	ret = generic_i2s_parse_node(dev, dev->of_node, &gi->part, NULL);
	if (ret)
		return ret;

	gi->enable = devm_gpiod_get_optional(dev, "enable", GPIOD_OUT_LOW);
	if (IS_ERR(gi->enable))
		return dev_err_probe(dev, PTR_ERR(gi->enable),
				     "%pOF: property \"enable-gpios\"\n",
				     dev->of_node);
	of_property_read_u32(dev->of_node, "openi2s,power-up-delay-ms",
			     &gi->up_delay_ms);
	of_property_read_u32(dev->of_node, "openi2s,power-down-delay-ms",
			     &gi->down_delay_ms);
	gi->mclk = devm_clk_get_optional(dev, "mclk");
	if (IS_ERR(gi->mclk))
		return dev_err_probe(dev, PTR_ERR(gi->mclk),
				     "%pOF: property \"clocks\": MCLK\n",
				     dev->of_node);

	gi->dai_drv.name = "generic-i2s";
	gi->dai_drv.ops = generic_i2s_ops(gi);
	if (!gi->dai_drv.ops)
		return -ENOMEM;
	if (gi->part.dirs & GENERIC_I2S_PLAYBACK)
		generic_i2s_stream(gi, &gi->dai_drv.playback, "HiFi Playback");
	if (gi->part.dirs & GENERIC_I2S_CAPTURE)
		generic_i2s_stream(gi, &gi->dai_drv.capture, "HiFi Capture");

	return devm_snd_soc_register_component(dev, &generic_i2s_component,
					       &gi->dai_drv, 1);
}

static struct platform_driver generic_i2s_driver = {
	.driver = {
		.name = "generic-i2s-codec",
		.of_match_table = generic_i2s_of_match,
	},
	.probe = generic_i2s_probe,
};
module_platform_driver(generic_i2s_driver);

MODULE_DESCRIPTION("Generic devicetree-described I2S codec");
MODULE_LICENSE("GPL");
