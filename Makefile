# vpnsh -- hand-written Makefile.
#
#   make run      set up the machine, build, start the console on the default store
#   make check    set up the machine, build, run the whole test suite
#   make check-kernel  the XFRM dataplane end to end in a Debian kernel under qemu
#   make          build build/vpnsh (after `make setup` or ./configure)
#   make asan     the unit tests, transcripts and IKE test with -fsanitize=address,undefined
#   make bench    run the benchmarks under bench/
#   make bench-kernel  the XFRM dataplane's throughput in the qemu guest: vpnsh's states against hand-set ones
#   make fuzz     build the libFuzzer harnesses (clang) into build-fuzz/
#
# Dependencies come from config.mk, which configure writes (pkg-config).
# Objects go to $(B) so that a sanitizer build can sit beside the normal one.
# Command definitions are positional initializers that leave the remaining
# fields zero, hence -Wno-missing-field-initializers.

B ?= build
-include config.mk

CFLAGS_BASE = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-missing-field-initializers -O2 -g -pthread -I. -DVPNSH_VERSION='"$(VPNSH_VERSION)"'
SANITIZE ?=
ifneq ($(SANITIZE),)
CFLAGS_BASE += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -O1
LDFLAGS += -fsanitize=$(SANITIZE)
endif
CFLAGS += $(CFLAGS_BASE) $(DEP_CFLAGS)

# Layers, lowest first. Each folder is one layer; dependencies point down only.
MODULES = platform grammar dataplane ikecore cli
LIB_SRC = $(filter-out cli/main.c,$(foreach m,$(MODULES),$(wildcard $(m)/*.c)))
LIB_OBJ = $(LIB_SRC:%.c=$(B)/%.o)
UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_OBJ = $(UNIT_SRC:%.c=$(B)/%.o)

all: $(B)/vpnsh

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c $< -o $@

$(B)/libvpnsh.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/vpnsh: $(B)/cli/main.o $(B)/libvpnsh.a
	$(CC) $(LDFLAGS) -o $@ $^ $(DEP_LIBS) -lcrypt -lm -pthread

$(B)/check_unit: $(UNIT_OBJ) $(B)/libvpnsh.a
	$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(DEP_LIBS) -lcrypt -lm -pthread

-include $(LIB_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(B)/cli/main.d

setup:
	@sh scripts/setup.sh

run: setup
	@$(MAKE) --no-print-directory all
	$(B)/vpnsh

# The whole suite: unit tests (Check), transcript tests of batch mode, the
# network tests (namespaces; they skip with a reason where none can be made).
check: setup
	@$(MAKE) --no-print-directory all $(B)/check_unit
	$(B)/check_unit
	sh tests/run-transcripts.sh $(B)/vpnsh
	sh tests/run-shell-tests.sh $(B)/vpnsh

# The kernel XFRM dataplane end to end inside a stock Debian 12 kernel under
# qemu (build machines' kernels may have no ESP): tests/kernel/guest.sh. The
# first run downloads the kernel. Then again under AddressSanitizer and UBSan
# (the daemons must stop with nothing on standard error). tests/kernel/smoke.sh
# checks the guest itself.
check-kernel: setup
	@$(MAKE) --no-print-directory all
	sh tests/kernel/qemu.sh tests/kernel/guest.sh $(B)/vpnsh
	@$(MAKE) --no-print-directory B=build-asan SANITIZE=address,undefined build-asan/vpnsh
	sh tests/kernel/qemu.sh tests/kernel/guest.sh build-asan/vpnsh

unit: $(B)/check_unit
	$(B)/check_unit

# The unit tests, the transcripts and the IKE and ESP network tests (daemons that
# must exit with nothing on standard error) under AddressSanitizer and UBSan.
asan:
	@$(MAKE) --no-print-directory B=build-asan SANITIZE=address,undefined unit build-asan/vpnsh
	sh tests/run-transcripts.sh build-asan/vpnsh
	sh tests/net/ike.sh build-asan/vpnsh || [ $$? -eq 77 ]
	sh tests/net/esp.sh build-asan/vpnsh || [ $$? -eq 77 ]

bench: all
	sh bench/run.sh $(B)/vpnsh

# iperf3 through the kernel's ESP in the guest of check-kernel: the states
# vpnsh installs against the same states set by hand with ip xfrm, and the
# clear path (bench/xfrm.sh; BENCH_SECONDS, BENCH_ROUNDS).
bench-kernel: setup
	@$(MAKE) --no-print-directory all
	sh bench/xfrm.sh $(B)/vpnsh

# libFuzzer harnesses (clang): make fuzz, then build-fuzz/fuzz_gram or fuzz_ike [corpus]
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -I. -fsanitize=fuzzer,address,undefined
fuzz:
	@mkdir -p build-fuzz
	clang $(FUZZ_CFLAGS) -o build-fuzz/fuzz_gram tests/fuzz/fuzz_gram.c $(wildcard grammar/*.c)
	clang $(FUZZ_CFLAGS) -o build-fuzz/fuzz_ike tests/fuzz/fuzz_ike.c ikecore/ike_codec.c

clean:
	rm -rf build build-asan build-fuzz

distclean: clean
	rm -rf config.mk config.log config.status configure autom4te.cache aclocal.m4

.PHONY: all setup run check check-kernel unit asan bench bench-kernel fuzz clean distclean
