// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Argument checks, in MicroPython's order and with its messages.  Pure:
 * no device is touched, so the fuzz target runs this file alone.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

#define MI2S_RATE_MAX	768000		/* the fastest rate ALSA names */
#define MI2S_IBUF_MAX	(64 << 20)	/* far beyond any device's buffer */
#define MI2S_PIN_MAX	31

unsigned int mi2s_frame_bytes(const struct machine_i2s_config *cfg)
{
	unsigned int channels = cfg->format == MACHINE_I2S_STEREO ? 2 : 1;

	return (unsigned int)cfg->bits / 8 * channels;
}

static bool pin_name_ok(const char *name)
{
	size_t i, len;

	if (!name)
		return true;
	len = strnlen(name, MI2S_PIN_MAX + 1);
	if (len == 0 || len > MI2S_PIN_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (name[i] <= ' ' || name[i] > '~')
			return false;
	return true;
}

int machine_i2s_validate(const struct machine_i2s_config *cfg)
{
	static const char *const pin_label[] = { "sck", "ws", "sd", "mck" };
	const char *pins[4];
	unsigned int i;

	if (!cfg)
		return mi2s_error(EINVAL, "invalid config");
	if (cfg->id < 0)
		return mi2s_error(EINVAL, "invalid id");
	pins[0] = cfg->sck;
	pins[1] = cfg->ws;
	pins[2] = cfg->sd;
	pins[3] = cfg->mck;
	for (i = 0; i < 4; i++)
		if (!pin_name_ok(pins[i]))
			return mi2s_error(EINVAL, "invalid %s pin",
					  pin_label[i]);
	if (cfg->mode != MACHINE_I2S_TX && cfg->mode != MACHINE_I2S_RX)
		return mi2s_error(EINVAL, "invalid mode");
	if (cfg->bits != 16 && cfg->bits != 24 && cfg->bits != 32)
		return mi2s_error(EINVAL, "invalid bits");
	if (cfg->format != MACHINE_I2S_MONO && cfg->format != MACHINE_I2S_STEREO)
		return mi2s_error(EINVAL, "invalid format");
	if (cfg->rate <= 0 || cfg->rate > MI2S_RATE_MAX)
		return mi2s_error(EINVAL, "invalid rate");
	if (cfg->ibuf <= 0 || cfg->ibuf > MI2S_IBUF_MAX ||
	    (unsigned int)cfg->ibuf < mi2s_frame_bytes(cfg))
		return mi2s_error(EINVAL, "invalid ibuf");
	if (cfg->flags & ~(MACHINE_I2S_XRUN_ERRORS | MACHINE_I2S_EINTR))
		return mi2s_error(EINVAL, "invalid flags");
	return 0;
}
