# SPDX-License-Identifier: GPL-2.0
#
# The openi2s_test ALSA PCM plugin (a timer-paced fake sound card for host
# tests) and its self-test.  Included by the top-level Makefile, or used
# alone from the top of the checkout:
#
#	make -f tests/alsa-testpcm/rules.mk testpcm-check
#
# Two builds of the plugin, each with an asound.conf that loads it by
# absolute path (use it as ALSA_CONFIG_PATH):
#   TESTPCM_ASAN_CONF	ASan/UBSan build, for test programs built with ASan
#   TESTPCM_PLAIN_CONF	-O2 -g build, for valgrind and callgrind
# TESTPCM_TARGETS lists every output.  All paths are absolute.

TESTPCM_DIR := tests/alsa-testpcm
TESTPCM_OUT := $(abspath build/alsa-testpcm)
TESTPCM_LIBNAME := libasound_module_pcm_openi2s_test.so

TESTPCM_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -pthread \
	-I$(TESTPCM_DIR)
# PIC selects the shared-object form of SND_PCM_PLUGIN_SYMBOL().
TESTPCM_SO_FLAGS := -fPIC -shared -DPIC
TESTPCM_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
TESTPCM_LIBS := -lasound -pthread
TESTPCM_DEPS := $(TESTPCM_DIR)/testpcm.h $(TESTPCM_DIR)/rules.mk

TESTPCM_ASAN_SO := $(TESTPCM_OUT)/asan/$(TESTPCM_LIBNAME)
TESTPCM_PLAIN_SO := $(TESTPCM_OUT)/plain/$(TESTPCM_LIBNAME)
TESTPCM_ASAN_CONF := $(TESTPCM_OUT)/asan/asound.conf
TESTPCM_PLAIN_CONF := $(TESTPCM_OUT)/plain/asound.conf
TESTPCM_SELFTEST := $(TESTPCM_OUT)/selftest

TESTPCM_TARGETS := $(TESTPCM_ASAN_SO) $(TESTPCM_ASAN_CONF) \
	$(TESTPCM_PLAIN_SO) $(TESTPCM_PLAIN_CONF) $(TESTPCM_SELFTEST)

export TESTPCM_ASAN_CONF TESTPCM_PLAIN_CONF

# Alone, `testpcm` is the default goal; included, leave the includer's.
testpcm_saved_goal := $(.DEFAULT_GOAL)

.PHONY: testpcm testpcm-check
testpcm: $(TESTPCM_TARGETS)

# The self-test prints TAP; LSan runs too, so leaks fail it.
testpcm-check: $(TESTPCM_TARGETS)
	ALSA_CONFIG_PATH=$(TESTPCM_ASAN_CONF) $(TESTPCM_SELFTEST)

ifneq ($(testpcm_saved_goal),)
.DEFAULT_GOAL := $(testpcm_saved_goal)
endif

# The same files named relative to the checkout, e.g. on the command line.
$(patsubst $(CURDIR)/%,%,$(TESTPCM_TARGETS)): %: $(CURDIR)/%

$(TESTPCM_ASAN_SO): $(TESTPCM_DIR)/pcm_openi2s_test.c $(TESTPCM_DEPS)
	@mkdir -p $(@D)
	$(CC) -O1 -g $(TESTPCM_SAN) $(TESTPCM_SO_FLAGS) $(TESTPCM_CFLAGS) \
		-o $@ $< $(TESTPCM_LIBS)

$(TESTPCM_PLAIN_SO): $(TESTPCM_DIR)/pcm_openi2s_test.c $(TESTPCM_DEPS)
	@mkdir -p $(@D)
	$(CC) -O2 -g $(TESTPCM_SO_FLAGS) $(TESTPCM_CFLAGS) -o $@ $< $(TESTPCM_LIBS)

$(TESTPCM_OUT)/%/asound.conf: $(TESTPCM_DIR)/asound.conf.in $(TESTPCM_DIR)/rules.mk
	@mkdir -p $(@D)
	sed 's|@LIB@|$(TESTPCM_OUT)/$*/$(TESTPCM_LIBNAME)|g' $< > $@.tmp
	mv $@.tmp $@

$(TESTPCM_SELFTEST): $(TESTPCM_DIR)/selftest.c $(TESTPCM_DEPS) tests/host/tap.h
	@mkdir -p $(@D)
	$(CC) -O1 -g $(TESTPCM_SAN) $(TESTPCM_CFLAGS) -Itests/host -o $@ $< \
		$(TESTPCM_LIBS)
