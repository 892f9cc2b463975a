// SPDX-License-Identifier: GPL-2.0
/*
 * Generic I2S codec: the codec side of a DAI link for control-less parts
 * (I2S DACs, amplifiers, ADCs, MEMS microphones) described by devicetree.
 *
 * This first version describes a part that plays and records 1 to 16
 * channels of 16- to 32-bit samples at 8 to 192 kHz in any framing, taking
 * its clocks from the CPU DAI. Per-part limits from devicetree are not
 * implemented yet.
 */
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#include <sound/pcm.h>
#include <sound/soc.h>

#define GENERIC_I2S_FORMATS	(SNDRV_PCM_FMTBIT_S16_LE | \
				 SNDRV_PCM_FMTBIT_S20_LE | \
				 SNDRV_PCM_FMTBIT_S24_LE | \
				 SNDRV_PCM_FMTBIT_S32_LE)

#define GENERIC_I2S_STREAM(name) {			\
	.stream_name = name,				\
	.channels_min = 1,				\
	.channels_max = 16,				\
	.rates = SNDRV_PCM_RATE_CONTINUOUS,		\
	.rate_min = 8000,				\
	.rate_max = 192000,				\
	.formats = GENERIC_I2S_FORMATS,			\
}

static struct snd_soc_dai_driver generic_i2s_dai = {
	.name = "generic-i2s",
	.playback = GENERIC_I2S_STREAM("Playback"),
	.capture = GENERIC_I2S_STREAM("Capture"),
};

static const struct snd_soc_component_driver generic_i2s_component = {
	.idle_bias_on = 1,
	.use_pmdown_time = 1,
	.endianness = 1,
};

static int generic_i2s_probe(struct platform_device *pdev)
{
	return devm_snd_soc_register_component(&pdev->dev,
					       &generic_i2s_component,
					       &generic_i2s_dai, 1);
}

static const struct of_device_id generic_i2s_of_match[] = {
	{ .compatible = "openi2s,generic-i2s" },
	{ }
};
MODULE_DEVICE_TABLE(of, generic_i2s_of_match);

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
