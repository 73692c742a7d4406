# SPDX-License-Identifier: GPL-2.0
#
# synguard: `make` builds the module and the tool; `make demo` shows it
# working in a VM; `make test` runs every test. See README.
#
# The kernel to build for is KVER, a release: the running kernel's unless
# given (make KVER=6.12.107-sg612). Its tree, KDIR, follows from it:
# /lib/modules/KVER/build, or the tree of a kernel scripts/build-kernel
# made (~/.cache/synguard/kernel-*/lib/modules/KVER/build). KDIR=TREE
# builds against any tree, and KVER is then read from the tree. Only when
# the running kernel has no tree is the newest Debian
# linux-headers-*-amd64 used, with a warning: that module will not load
# on the running kernel (the VM tests boot the kernel it is for).
#
# Targets that install packages first (scripts/deps SET) then run make
# again for their own work (_TARGET), so that headers scripts/deps just
# installed are found.

SG_CACHE := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/synguard
RUNNING := $(shell uname -r)

# $(call release,TREE): the kernel release TREE builds for (what the
# module's vermagic will say; Debian's kernel.release holds another one).
release = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"$$/\1/p' \
	$(1)/include/generated/utsrelease.h 2>/dev/null)
# $(call tree,KVER): the tree for release KVER, if there is one.
tree = $(firstword $(wildcard /lib/modules/$(1)/build \
	$(SG_CACHE)/kernel-*/lib/modules/$(1)/build))
NEWEST_HEADERS = $(shell ls -dv /usr/src/linux-headers-*-amd64 2>/dev/null | tail -n 1)

ifdef KDIR
KVER ?= $(call release,$(KDIR))
else ifdef KVER
KDIR := $(call tree,$(KVER))
else
KDIR := $(or $(call tree,$(RUNNING)),$(NEWEST_HEADERS))
KVER := $(or $(call release,$(KDIR)),$(RUNNING))
endif

VM := scripts/vm-run

.PHONY: all module user check test test-vm test-long test-debug test-6.12 test-5.10 test-system fuzz demo \
	bench bench-host docs install uninstall dkms-install dkms-uninstall \
	clean _demo _check _test _test-vm _test-long _test-debug _test-6.12 _test-5.10 _test-system _fuzz \
	_bench _bench-host _install _dkms-install deb _deb

all: module user

# Before building: a tree, and a warning when it is not the running
# kernel's.
define check_tree
if [ -z "$(KDIR)" ] || [ ! -d "$(KDIR)" ]; then \
	echo "make: no kernel tree for $(KVER): /lib/modules/$(KVER)/build is missing; run scripts/deps build (as root), or set KDIR" >&2; \
	exit 1; \
fi; \
if [ "$(KVER)" != "$(RUNNING)" ]; then \
	echo "make: warning: building for kernel $(KVER) ($(KDIR)), not for the running kernel $(RUNNING): this module will not load on it (the VM tests boot $(KVER))" >&2; \
	if [ ! -d /lib/modules/$(RUNNING)/build ]; then \
		echo "make: warning: the running kernel has no headers (no /lib/modules/$(RUNNING)/build); install linux-headers-$(RUNNING) to build for it" >&2; \
	fi; \
fi
endef

module:
	@$(check_tree)
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

user:
	$(MAKE) -C user

# Targets that need packages: which set of scripts/deps each installs.
DEPS_demo := demo
DEPS_check := check
DEPS_test := test
DEPS_test-vm := test
DEPS_test-long := test
DEPS_test-debug := debug
DEPS_test-6.12 := debug
DEPS_test-5.10 := test
DEPS_test-system := system
DEPS_fuzz := fuzz
DEPS_bench := bench
DEPS_bench-host := bench
DEPS_install := build
DEPS_dkms-install := build dkms
DEPS_deb := deb

demo check test test-vm test-long test-debug test-6.12 test-5.10 test-system fuzz bench bench-host install dkms-install deb:
	@scripts/deps $(DEPS_$@)
	@$(MAKE) --no-print-directory _$@

# A VM boots the kernel the module was built for, found by its release.
_demo: all
	KVER=$(KVER) $(VM) --timeout 600 -- scripts/demo

# Host-only: unit tests of the shared logic, CLI tests, style, docs drift.
_check: user
	@scripts/run-suites check

# Everything: `make check`, then the whole VM suite.
_test: all
	@KVER=$(KVER) scripts/run-suites check vm

_test-vm: all
	@KVER=$(KVER) scripts/run-suites vm

# The long suite: `make check`, then every VM test with its long
# settings: both address families of the expensive tests, the DKMS
# build, more unload rounds and differential rounds (TEST_LONG=1; about
# 90 minutes). Not part of make test.
_test-long: all
	@KVER=$(KVER) TEST_LONG=1 scripts/run-suites check vm

# The VM suite on another kernel, built on first use and cached by
# scripts/build-kernel: `debug` (Debian's 6.1 with KASAN, kmemleak,
# lockdep, fault injection; about an hour on 2 cores), `6.12` (Debian
# trixie's) or `5.10` (Debian bullseye's own, fetched, not built). Not
# part of make test. See Documentation/testing.rst.
_test-debug _test-6.12 _test-5.10: user
	@scripts/run-suites $(patsubst _test-%,%,$@)

# The Debian packages on a Debian 12 system booted with systemd under
# QEMU: upgrade from the previous packages, a reboot, a spoofed flood,
# purge (about 30 minutes; the image is made once and cached). Not part
# of make test. See scripts/system-test and Documentation/testing.rst.
_test-system:
	@scripts/system-test

# libFuzzer targets over the shared logic and the tool's parsers, built
# with clang and run for FUZZ_SECONDS (default 60) each. See tests/fuzz.
_fuzz:
	$(MAKE) -C tests/fuzz run

# Benchmarks, never part of `make test`: see Documentation/performance.rst.
# `make bench` (about 50 minutes; BENCH_QUICK=1 for a short run) compares
# synguard with kernel syncookies and nft synproxy in one VM boot;
# `make bench-host` counts instructions per operation with callgrind.
_bench: all
	@KVER=$(KVER) bench/run

_bench-host:
	@mkdir -p bench/results
	$(MAKE) -s -C bench micro
	@cd bench && ./callgrind.sh ./micro | tee results/host.md

docs:
	@scripts/gendoc --write

# make install puts, under DESTDIR if set (for packaging; depmod and
# systemctl are then left to the package's scripts):
#   /lib/modules/KVER/updates/kmod/synguard.ko     (kbuild modules_install)
#   /usr/local/sbin/synguard
#   /usr/local/share/man/man8/synguard.8
#   /usr/local/lib/systemd/system/synguard.service
#   /usr/local/lib/systemd/system/synguard-prometheus.{service,timer}
#   /usr/local/share/bash-completion/completions/synguard
#   /usr/local/share/doc/synguard/   synguard.conf (the sample),
#                                    admin-guide.rst, prometheus-textfile
# and never writes /etc/synguard.conf. The directories it had to create
# are listed in /usr/local/share/doc/synguard/installed-dirs, so that
# make uninstall removes exactly what make install added.
SG_VERSION := $(shell sed -n 's/.*SYNGUARD_VERSION "\(.*\)"$$/\1/p' kmod/version.h)
MOD_INSTALL_DIR := updates
MODDIR = /lib/modules/$(KVER)/$(MOD_INSTALL_DIR)/kmod
SBINDIR := /usr/local/sbin
MAN8DIR := /usr/local/share/man/man8
UNITDIR := /usr/local/lib/systemd/system
COMPDIR := /usr/local/share/bash-completion/completions
DOCDIR := /usr/local/share/doc/synguard
INSTALLED = $(MODDIR)/synguard.ko $(SBINDIR)/synguard $(MAN8DIR)/synguard.8 \
	    $(UNITDIR)/synguard.service $(UNITDIR)/synguard-prometheus.service \
	    $(UNITDIR)/synguard-prometheus.timer $(COMPDIR)/synguard \
	    $(DOCDIR)/synguard.conf $(DOCDIR)/admin-guide.rst \
	    $(DOCDIR)/prometheus-textfile $(DOCDIR)/installed-dirs

# Distribution headers carry no module signing key, and kbuild's attempt
# to sign with it only prints SSL errors: sign only if the key is there.
SIGN_KEY = $(shell sed -n 's/^CONFIG_MODULE_SIG_KEY="*\([^"]*\)"*$$/\1/p' \
	   $(KDIR)/include/config/auto.conf 2>/dev/null)
NOSIGN = $(if $(filter pkcs11:%,$(SIGN_KEY))$(wildcard $(KDIR)/$(SIGN_KEY) \
	 $(filter /%,$(SIGN_KEY))),,CONFIG_MODULE_SIG_ALL=)

# Add the directories install is about to create (and their missing
# parents) to installed-dirs.
define record_dirs
set -e; \
new=$$(for d in $(sort $(patsubst %/,%,$(dir $(INSTALLED)))); do \
	while [ -n "$$d" ] && [ ! -d "$(DESTDIR)$$d" ]; do \
		echo "$$d"; d=$${d%/*}; \
	done; \
done); \
list=$(DESTDIR)$(DOCDIR)/installed-dirs; \
old=$$(cat "$$list" 2>/dev/null || true); \
mkdir -p $(DESTDIR)$(DOCDIR); \
printf '%s\n' $$old $$new | sed '/^$$/d' | sort -u >"$$list"
endef

_install: all
	@if [ -d "$(DESTDIR)/var/lib/dkms/synguard" ]; then \
		echo "make: synguard is installed with DKMS; run 'make dkms-uninstall' first" >&2; \
		exit 1; \
	fi
	@$(record_dirs)
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=$(MOD_INSTALL_DIR) $(NOSIGN) modules_install
	install -D -m 0755 user/synguard $(DESTDIR)$(SBINDIR)/synguard
	install -D -m 0644 Documentation/synguard.8 $(DESTDIR)$(MAN8DIR)/synguard.8
	install -D -m 0644 scripts/synguard.service $(DESTDIR)$(UNITDIR)/synguard.service
	install -D -m 0644 scripts/synguard-prometheus.service \
		$(DESTDIR)$(UNITDIR)/synguard-prometheus.service
	install -D -m 0644 scripts/synguard-prometheus.timer \
		$(DESTDIR)$(UNITDIR)/synguard-prometheus.timer
	install -D -m 0644 scripts/completion/synguard $(DESTDIR)$(COMPDIR)/synguard
	install -D -m 0644 scripts/synguard.conf $(DESTDIR)$(DOCDIR)/synguard.conf
	install -D -m 0644 Documentation/admin-guide.rst $(DESTDIR)$(DOCDIR)/admin-guide.rst
	install -D -m 0755 scripts/prometheus-textfile $(DESTDIR)$(DOCDIR)/prometheus-textfile
	@if [ -z "$(DESTDIR)" ]; then echo "depmod -a $(KVER)"; depmod -a $(KVER); fi
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
		echo "systemctl daemon-reload"; systemctl daemon-reload; \
	fi

# Also removes the module from extra/, where older versions installed it.
uninstall:
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
		for u in synguard-prometheus.timer synguard.service; do \
			systemctl cat $$u >/dev/null 2>&1 || continue; \
			echo "systemctl disable --now $$u"; \
			systemctl disable --now $$u; \
		done; \
	fi
	@set -e; \
	dirs=$$(cat "$(DESTDIR)$(DOCDIR)/installed-dirs" 2>/dev/null || true); \
	echo "rm -f $(INSTALLED) /lib/modules/$(KVER)/extra/kmod/synguard.ko"; \
	rm -f $(addprefix $(DESTDIR),$(INSTALLED)) \
	      $(DESTDIR)/lib/modules/$(KVER)/extra/kmod/synguard.ko; \
	for d in $$(printf '%s\n' $$dirs $(DOCDIR) | sort -ru); do \
		[ -d "$(DESTDIR)$$d" ] || continue; \
		echo "rmdir --ignore-fail-on-non-empty $$d"; \
		rmdir --ignore-fail-on-non-empty "$(DESTDIR)$$d"; \
	done
	@if [ -z "$(DESTDIR)" ]; then echo "depmod -a $(KVER)"; depmod -a $(KVER); fi
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
		echo "systemctl daemon-reload"; systemctl daemon-reload; \
	fi

# DKMS: the module's sources go to /usr/src/synguard-VERSION, and dkms
# builds and installs the module for KVER now (in updates/dkms) and for
# every kernel installed later. Only one of make install and DKMS at a
# time: two synguard.ko would leave depmod to choose.
DKMS_SRC = /usr/src/synguard-$(SG_VERSION)
DKMS_FILES = Kbuild dkms.conf kmod/Kbuild kmod/uapi/linux/synguard.h \
	     $(filter-out %.mod.c,$(wildcard kmod/*.[ch]))

_dkms-install:
	@$(check_tree)
	@command -v dkms >/dev/null || \
		{ echo "make: dkms is not installed; run scripts/deps dkms" >&2; exit 1; }
	@if [ -e $(MODDIR)/synguard.ko ]; then \
		echo "make: $(MODDIR)/synguard.ko is from 'make install'; run 'make uninstall' first" >&2; \
		exit 1; \
	fi
	@if [ -n "$$(dkms status -m synguard -v $(SG_VERSION))" ]; then \
		echo "dkms remove -m synguard -v $(SG_VERSION) --all"; \
		dkms remove -m synguard -v $(SG_VERSION) --all; \
	fi
	rm -rf $(DKMS_SRC)
	@echo "copy Kbuild, dkms.conf and kmod/ to $(DKMS_SRC)"
	@for f in $(DKMS_FILES); do \
		install -D -m 0644 $$f $(DKMS_SRC)/$$f || exit 1; \
	done
	dkms add -m synguard -v $(SG_VERSION)
	dkms build -m synguard -v $(SG_VERSION) -k $(KVER)
	dkms install -m synguard -v $(SG_VERSION) -k $(KVER)

dkms-uninstall:
	@if command -v dkms >/dev/null && \
	    [ -n "$$(dkms status -m synguard -v $(SG_VERSION))" ]; then \
		echo "dkms remove -m synguard -v $(SG_VERSION) --all"; \
		dkms remove -m synguard -v $(SG_VERSION) --all; \
	fi
	rm -rf $(DKMS_SRC)

# Also without a kernel tree: kbuild's own clean when there is one, and
# its outputs by name either way.
# Debian packages, synguard and synguard-dkms (debian/), built from the
# files git tracks, copied to build/deb/synguard-VERSION, with
# dpkg-buildpackage; the .debs land in build/deb/, then lintian checks
# them (its overrides are in debian/*.lintian-overrides). Install with
# apt-get install ./build/deb/synguard_VERSION_ARCH.deb
# ./build/deb/synguard-dkms_VERSION_all.deb.
DEB_DIR := build/deb
_deb:
	@v=$$(dpkg-parsechangelog -l debian/changelog -S Version); \
	if [ "$$v" != "$(SG_VERSION)" ]; then \
		echo "make: debian/changelog is at $$v, kmod/version.h at $(SG_VERSION)" >&2; \
		exit 1; \
	fi
	@git rev-parse --is-inside-work-tree >/dev/null 2>&1 || \
		{ echo "make: deb builds from the files git tracks: run it in a git checkout" >&2; exit 1; }
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/synguard-$(SG_VERSION)
	git ls-files -z | tar --null -T - -cf - | \
		tar -xf - -C $(DEB_DIR)/synguard-$(SG_VERSION)
	cd $(DEB_DIR)/synguard-$(SG_VERSION) && dpkg-buildpackage -b -us -uc
	lintian --fail-on error,warning \
		$(DEB_DIR)/synguard_$(SG_VERSION)_*.deb \
		$(DEB_DIR)/synguard-dkms_$(SG_VERSION)_all.deb
	@ls -l $(DEB_DIR)/*.deb

clean:
	-test -d "$(KDIR)" && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf build
	rm -f Module.symvers modules.order kmod/*.o kmod/*.ko kmod/*.mod \
	      kmod/*.mod.c kmod/modules.order kmod/.*.cmd .*.cmd
	$(MAKE) -C user clean
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/cli clean
	$(MAKE) -C tests/fuzz clean
	$(MAKE) -C bench clean
