# SPDX-License-Identifier: GPL-2.0
#
# OpenI2S top-level Makefile: the user's entry points.  The kernel modules
# themselves are described by ./Kbuild and built by the kernel's build system
# (make -C $(KDIR) M=$(CURDIR)); see README.md.

# The kernel tree to build modules against.  Left unset, it is the cached
# virtual-board kernel, built on demand by tools/kernel/build.
ifeq ($(origin KDIR),undefined)
OWN_KERNEL := 1
KDIR = $(shell tools/kernel/build --print-kdir)
endif

# The Kconfig symbols of the modules (defaults in ./Kbuild): against the
# cached virtual-board kernel, the simulated SoC, its board loader and the
# KUnit suites join the driver and the codec; against KDIR=..., the
# real-board defaults build the driver and the codec only.
ifdef OWN_KERNEL
KCONFIG_OPTS := OPENI2S_VIRTUAL_BOARD=1
endif

# Warnings are errors here and in CI; W=1 adds the kernel's extra warnings.
KBUILD_OPTS := W=1 KCFLAGS=-Werror $(KCONFIG_OPTS)

.PHONY: all help deps kernel modules modules_install dtbs host-tests selftests \
	variants cross-trees board-dtbs dkms-install dkms-remove arm64-userspace \
	check kcsan-check soak demo bench clean machine-i2s machine-i2s-tests

all: deps modules machine-i2s

help:
	@echo 'make deps          install missing Debian packages'
	@echo 'make kernel        build the cached virtual-board kernel'
	@echo 'make variants      build the kernel variants (nopm, arm64, sanitize) and their modules'
	@echo 'make cross-trees   prepare the arm64/armhf 6.12 and 6.1 trees'
	@echo 'make modules       build the project modules (KDIR=... for yours)'
	@echo 'make modules_install   install them into KDIR'"'"'s modules dir'
	@echo 'make dkms-install  install the driver and codec with DKMS (root)'
	@echo 'make dkms-remove   remove them from DKMS again'
	@echo 'make machine-i2s   build libmachine-i2s and its examples'
	@echo 'make dtbs          compile the devicetree overlays in dts/ and dts/boards/'
	@echo 'make board-dtbs    apply dts/boards/ ones to their mainline boards'
	@echo 'make demo          boot the virtual board and show it'
	@echo '  BOARD=NAME       ... with the parts of dts/openi2s-board-NAME.dtso'
	@echo 'make check         run every test; ends with "N passed, N failed"'
	@echo 'make kcsan-check   the sanitized suite on a KCSAN kernel (not in make check)'
	@echo 'make bench         print the benchmarks'
	@echo 'make soak          stream full duplex for SOAK_SECONDS (600), count lost and wrong frames'
	@echo 'make clean         remove build outputs from the work tree'

deps:
	@tools/deps/install

ifdef OWN_KERNEL
kernel: deps
	@tools/kernel/build >/dev/null
modules: kernel
else
kernel:
	@echo "KDIR=$(KDIR) is given: not building the virtual-board kernel"
endif

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_OPTS) modules

modules_install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KCONFIG_OPTS) modules_install

# The real-board modules through DKMS, for the running kernel and every
# kernel installed later (tools/dkms/openi2s-dkms, ./dkms.conf).
dkms-install:
	@tools/dkms/openi2s-dkms install

dkms-remove:
	@tools/dkms/openi2s-dkms remove

DTS_OVERLAYS := $(wildcard dts/*.dtso)
DTBOS := $(patsubst dts/%.dtso,build/dts/%.dtbo,$(DTS_OVERLAYS))

BOARD_DTSOS := $(wildcard dts/boards/*.dtso)
BOARD_DTBOS := $(patsubst dts/boards/%.dtso,build/dts/boards/%.dtbo,$(BOARD_DTSOS))

dtbs: deps $(DTBOS) $(BOARD_DTBOS)

# The real-board overlays carry symbols (-@), as boot firmware wants them.
build/dts/boards/%.dtbo: dts/boards/%.dtso
	@mkdir -p $(@D)
	dtc -@ -q -I dts -O dtb -o $@ $<

# Each real-board overlay applied to the mainline base devicetrees it
# names, built from the 6.12 source (tools/kernel/board-dtbs), into
# build/dts/boards/NAME+BOARD.dtb.
board-dtbs:
	@tools/kernel/board-dtbs >/dev/null

# No `dtc -@`: the x86 guest's empty live tree has no __symbols__ node, and
# of_overlay_fdt_apply() rejects overlays that carry symbols then.
build/dts/%.dtbo: dts/%.dtso $(wildcard dts/*.dtsi)
	@mkdir -p $(@D)
	dtc -q -i dts -I dts -O dtb -o $@ $<

# Host unit tests of the pure logic, under AddressSanitizer and UBSan.
PURE_SRCS := $(wildcard sound/soc/openi2s/sim/openi2s-frame.c \
	sound/soc/openi2s/sim/openi2s-part.c \
	sound/soc/openi2s/openi2s-clk-plan.c sound/soc/codecs/generic-i2s-part.c)
HOST_TESTS := $(patsubst tests/host/%.c,build/host/%,$(wildcard tests/host/test-*.c))
HOST_CFLAGS := -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined \
	-fno-sanitize-recover=all -Isound/soc/openi2s -Isound/soc/openi2s/sim \
	-Isound/soc/codecs -Itests/host

host-tests: deps $(HOST_TESTS)

build/host/%: tests/host/%.c $(PURE_SRCS) \
		$(wildcard sound/soc/openi2s/*.h sound/soc/openi2s/sim/*.h \
		sound/soc/codecs/*.h) \
		tests/host/tap.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $< $(PURE_SRCS) -lm

# libmachine-i2s, the ALSA test PCM its host tests run against, and the
# test programs.
include tools/machine-i2s/rules.mk
include tests/alsa-testpcm/rules.mk
include tests/machine-i2s/rules.mk

machine-i2s: deps $(MI2S_TARGETS)

machine-i2s-tests: machine-i2s $(TESTPCM_TARGETS) $(MI2S_TEST_BINS)

# The kernel's own ALSA selftest, built from the same source tree.
SELFTEST_OUT = $(KDIR)/openi2s-selftests/alsa

selftests: kernel
	@mkdir -p $(SELFTEST_OUT)
	@$(MAKE) -s -C $(KDIR)/source/tools/testing/selftests/alsa \
		OUTPUT=$(SELFTEST_OUT) $(SELFTEST_OUT)/pcm-test

# The system suspend test's checker runs in the guest from a tmpfs.
build/vm/sleep-check: tests/vm/sleep-check.c tests/machine-i2s/test-util.h
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror -Itests/machine-i2s -o $@ $<

# The hw_params explorer walks the card's space in the guest (e2e explore).
build/vm/hw-params-explorer: tests/vm/hw-params-explorer.c \
		tests/machine-i2s/test-util.h
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -Itests/machine-i2s -o $@ $< \
		-lasound -lm

# The kernel variants the checks also run on (tools/kernel/build --variant),
# each with the modules built for it; arm64 is the virtual board on QEMU's
# arm64 virt machine, sanitize the x86 one with KASAN and UBSAN.
VARIANTS := nopm arm64 sanitize

variants: kernel
	@for v in $(VARIANTS); do \
		tools/kernel/build --variant $$v >/dev/null && \
		tools/kernel/variant-modules $$v >/dev/null || exit 1; \
	done

# The arm64 board's userspace: Debian's arm64 packages (tools/vm/arm64-root)
# and the on-board libmachine-i2s test, cross-built against them.
ARM64_CC := aarch64-linux-gnu-gcc
ARM64_OUT := build/arm64

arm64-userspace: deps $(ARM64_OUT)/test-on-board

$(ARM64_OUT)/root: tools/vm/arm64-root
	@mkdir -p $(@D)
	@ln -sfn "$$(tools/vm/arm64-root)" $@

# alsa-lib's headers are the host's (the same Debian version as the
# guest's library), without the rest of the host's /usr/include.
$(ARM64_OUT)/include/alsa:
	@mkdir -p $(@D)
	ln -sfn /usr/include/alsa $@

$(ARM64_OUT)/test-on-board: tests/machine-i2s/test-on-board.c $(MI2S_SRCS) \
		$(MI2S_HDRS) tests/host/tap.h tests/machine-i2s/test-util.h \
		tools/lib/openi2s-board.env $(ARM64_OUT)/root \
		$(ARM64_OUT)/include/alsa
	$(ARM64_CC) -O2 -g $(MI2S_TEST_CFLAGS) $(MI2S_BOARD_CFLAGS) -I$(MI2S_DIR)/src \
		-I$(ARM64_OUT)/include -o $@ $< $(MI2S_SRCS) \
		$(ARM64_OUT)/root/usr/lib/aarch64-linux-gnu/libasound.so.2 -lm

# The configured trees the real-board modules are cross-built against
# (tools/kernel/cross-tree): arm64 and armhf, Debian's 6.12 and 6.1.
CROSS_TREES := 6.12:arm64 6.12:arm 6.1:arm64 6.1:arm

cross-trees: deps
	@for t in $(CROSS_TREES); do \
		tools/kernel/cross-tree $${t%:*} $${t#*:} >/dev/null || exit 1; \
	done

check: deps host-tests machine-i2s-tests modules dtbs board-dtbs selftests variants cross-trees \
		arm64-userspace build/vm/sleep-check build/vm/hw-params-explorer
	@tests/check

# The sanitized kernel's suite (tests/vm/sanitize) on the data-race
# detector's kernel, with the guest's two CPUs. Not in make check: a
# third x86 kernel does not fit its cold budget on two cores.
kcsan-check: kernel machine-i2s-tests build/vm/sleep-check
	@tools/kernel/variant-modules kcsan >/dev/null
	@tests/vm/sanitize kcsan

# Full duplex through the virtual board for SOAK_SECONDS, every frame
# checked against the played counter (make check soaks for 60 s).
SOAK_SECONDS ?= 600
soak: modules
	@OPENI2S_SOAK_SECONDS=$(SOAK_SECONDS) tests/vm/openi2s-e2e soak

demo: modules dtbs
	@tools/demo $(BOARD)

bench: modules machine-i2s-tests $(TESTPCM_TARGETS)
	@tools/bench/run

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -rf build
