// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the generic I2S codec's devicetree parsing: the nodes of
 * generic-i2s-test.dtso are applied as an overlay, the well-formed ones
 * must probe and describe the right part, and each malformed one must
 * fail to parse and to probe. (The failure messages name node and
 * property; the part logic's host tests check which property.)
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>

#include "generic-i2s.h"

static const struct {
	const char *node;
	int ret;
	enum generic_i2s_prop bad;
} generic_i2s_test_nodes[] = {
	{ "gi2s-test-good-generic", 0 },
	{ "gi2s-test-good-preset", 0 },
	{ "gi2s-test-bad-format", -EINVAL, GENERIC_I2S_P_FORMATS },
	{ "gi2s-test-empty-rates", -EINVAL, GENERIC_I2S_P_RATES },
	{ "gi2s-test-wider-than-slot", -EINVAL, GENERIC_I2S_P_BCLK_FS },
	{ "gi2s-test-conflict", -EINVAL, GENERIC_I2S_P_RATE_RANGE },
	{ "gi2s-test-contradicts-preset", -EINVAL, GENERIC_I2S_P_FORMATS },
	{ "gi2s-test-bad-channels", -EINVAL, GENERIC_I2S_P_CHANNELS },
	{ "gi2s-test-missing-samples", -EINVAL, GENERIC_I2S_P_SAMPLES },
	{ "gi2s-test-empty-mode", -EINVAL, GENERIC_I2S_P_CHMODE },
	{ "gi2s-test-bad-sig-bits", -EINVAL, GENERIC_I2S_P_SIG_BITS },
};

static void generic_i2s_test_remove(void *data)
{
	of_overlay_remove(data);
}

KUNIT_DEFINE_ACTION_WRAPPER(generic_i2s_test_put, put_device, struct device *);

/* Apply the test nodes for the current case; removed when it ends. */
static void generic_i2s_test_apply(struct kunit *test)
{
	int *ovcs = kunit_kzalloc(test, sizeof(*ovcs), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ovcs);
	KUNIT_ASSERT_EQ(test, 0,
			of_overlay_fdt_apply(generic_i2s_test_dtbo,
					     generic_i2s_test_dtbo_end -
					     generic_i2s_test_dtbo, ovcs, NULL));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   generic_i2s_test_remove,
							   ovcs));
}

static struct platform_device *generic_i2s_test_pdev(struct kunit *test,
						     const char *node)
{
	struct platform_device *pdev;
	struct device_node *np;
	char path[64];

	snprintf(path, sizeof(path), "/%s", node);
	np = of_find_node_by_path(path);
	KUNIT_ASSERT_NOT_NULL_MSG(test, np, "%s", path);
	pdev = of_find_device_by_node(np);
	of_node_put(np);
	KUNIT_ASSERT_NOT_NULL_MSG(test, pdev, "no device for %s", path);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   generic_i2s_test_put,
							   &pdev->dev));
	return pdev;
}

/* Every node parses or fails as it should, and probes the same way. */
static void generic_i2s_test_parse_and_probe(struct kunit *test)
{
	struct generic_i2s_part part;
	unsigned int i;

	generic_i2s_test_apply(test);
	for (i = 0; i < ARRAY_SIZE(generic_i2s_test_nodes); i++) {
		const char *node = generic_i2s_test_nodes[i].node;
		struct platform_device *pdev = generic_i2s_test_pdev(test, node);
		int want = generic_i2s_test_nodes[i].ret;
		enum generic_i2s_prop expect = generic_i2s_test_nodes[i].bad;
		enum generic_i2s_prop bad = GENERIC_I2S_NUM_PROPS;
		bool bound;

		KUNIT_EXPECT_EQ_MSG(test, want,
				    generic_i2s_parse_node(&pdev->dev,
							   pdev->dev.of_node,
							   &part, &bad),
				    "parsing %s", node);
		if (want)
			KUNIT_EXPECT_EQ_MSG(test, bad, expect,
					    "%s must fail at %s, not %s", node,
					    generic_i2s_prop_names[expect],
					    bad < GENERIC_I2S_NUM_PROPS ?
					    generic_i2s_prop_names[bad] : "none");
		device_lock(&pdev->dev);
		bound = device_is_bound(&pdev->dev);
		device_unlock(&pdev->dev);
		KUNIT_EXPECT_EQ_MSG(test, !want, bound, "%s %s", node,
				    want ? "must not probe" : "must probe");
	}
}

/* Apply the test nodes and parse the well-formed @node into @p. */
static void generic_i2s_test_parse(struct kunit *test, const char *node,
				   struct generic_i2s_part *p)
{
	struct platform_device *pdev;

	generic_i2s_test_apply(test);
	pdev = generic_i2s_test_pdev(test, node);
	KUNIT_ASSERT_EQ(test, 0, generic_i2s_parse_node(&pdev->dev,
							pdev->dev.of_node, p,
							NULL));
}

/* The generic node describes exactly what it says. */
static void generic_i2s_test_generic_part(struct kunit *test)
{
	struct generic_i2s_part p;

	generic_i2s_test_parse(test, "gi2s-test-good-generic", &p);
	KUNIT_EXPECT_EQ(test, p.dirs, GENERIC_I2S_PLAYBACK);
	KUNIT_EXPECT_EQ(test, p.formats, BIT(GENERIC_I2S_FMT_I2S) |
					 BIT(GENERIC_I2S_FMT_LEFT_J));
	KUNIT_EXPECT_EQ(test, p.samples, BIT(GENERIC_I2S_S16_LE) |
					 BIT(GENERIC_I2S_S32_LE));
	KUNIT_EXPECT_EQ(test, p.rates.n, 2);
	KUNIT_EXPECT_EQ(test, p.rates.v[1], 48000);
	KUNIT_EXPECT_EQ(test, p.rate_min, 44100);
	KUNIT_EXPECT_EQ(test, p.channels_min, 2);
	KUNIT_EXPECT_EQ(test, p.channels_max, 2);
	KUNIT_EXPECT_EQ(test, p.roles, GENERIC_I2S_CONSUMER);
}

/* The preset node: the INMP441's limits, narrowed by the node. */
static void generic_i2s_test_preset_part(struct kunit *test)
{
	struct generic_i2s_part p;

	generic_i2s_test_parse(test, "gi2s-test-good-preset", &p);
	KUNIT_EXPECT_STREQ(test, p.name, "inmp441");
	KUNIT_EXPECT_EQ(test, p.dirs, GENERIC_I2S_CAPTURE);
	KUNIT_EXPECT_EQ(test, p.sig_bits, 24);
	KUNIT_EXPECT_EQ(test, p.chmode, GENERIC_I2S_CH_RIGHT);
	KUNIT_EXPECT_EQ(test, p.rate_min, 16000);
	KUNIT_EXPECT_EQ(test, p.rate_max, 48000);
	KUNIT_EXPECT_EQ(test, p.bclk_fs.n, 1);
	KUNIT_EXPECT_EQ(test, p.bclk_fs.v[0], 64);
}

/* A node that is not a generic codec's is refused, not guessed at. */
static void generic_i2s_test_foreign_node(struct kunit *test)
{
	struct platform_device *pdev;
	struct generic_i2s_part p;
	struct device_node *np;

	generic_i2s_test_apply(test);
	pdev = generic_i2s_test_pdev(test, "gi2s-test-good-generic");
	np = of_find_node_by_path("/");
	KUNIT_ASSERT_NOT_NULL(test, np);
	KUNIT_EXPECT_EQ(test, -ENODEV,
			generic_i2s_parse_node(&pdev->dev, np, &p, NULL));
	of_node_put(np);
}

static struct kunit_case generic_i2s_test_cases[] = {
	KUNIT_CASE(generic_i2s_test_parse_and_probe),
	KUNIT_CASE(generic_i2s_test_generic_part),
	KUNIT_CASE(generic_i2s_test_preset_part),
	KUNIT_CASE(generic_i2s_test_foreign_node),
	{ }
};

static struct kunit_suite generic_i2s_test_suite = {
	.name = "generic-i2s",
	.test_cases = generic_i2s_test_cases,
};

kunit_test_suite(generic_i2s_test_suite);

MODULE_DESCRIPTION("KUnit tests of the generic I2S codec's devicetree parsing");
MODULE_LICENSE("GPL");
