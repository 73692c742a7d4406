# SPDX-License-Identifier: GPL-2.0
#
# synguard: `make` builds the module and the tool; `make demo` shows it
# working in a VM; `make test` runs every test. See README.

# KVER=RELEASE picks another kernel: one built by scripts/build-kernel or
# scripts/build-kernel-612, found in ~/.cache/synguard by its release, is
# built against and booted by the VM suite (VM_KERNEL, see scripts/vm-run);
# any other is looked for in /lib/modules and /usr/src. KDIR=TREE builds
# against a tree and leaves the VM's kernel alone.
SG_CACHE := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/synguard
ifneq ($(KVER),)
ifeq ($(origin KDIR),undefined)
ifeq ($(origin VM_KERNEL),undefined)
VM_KERNEL := $(patsubst %/release,%,$(firstword $(shell grep -lxF -- \
	'$(KVER)' $(wildcard $(SG_CACHE)/kernel-*/release) /dev/null)))
endif
KDIR := $(if $(VM_KERNEL),$(VM_KERNEL)/build,$(firstword \
	$(wildcard /lib/modules/$(KVER)/build /usr/src/linux-headers-$(KVER))))
endif
endif
ifneq ($(VM_KERNEL),)
export VM_KERNEL
endif

# The kernel tree: the running kernel's when it has one, else the newest
# Debian linux-headers-*-amd64 installed.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))
KVER ?= $(patsubst linux-headers-%,%,$(notdir $(KDIR)))
export KVER

DEPS := scripts/deps
VM := scripts/vm-run

.PHONY: all module user check test test-vm demo install uninstall clean deps docs

all: module user

deps:
	@$(DEPS)

module:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || { echo "make: no kernel tree; run scripts/deps or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

user:
	$(MAKE) -C user

# Host-only: unit tests of the shared logic, CLI tests, style, docs drift.
check: deps user
	@scripts/run-suites check

# Everything: `make check`, then the whole VM suite.
test: deps all
	@scripts/run-suites check vm

test-vm: deps all
	@scripts/run-suites vm

# The VM suite on a debug kernel (KASAN, kmemleak, lockdep, fault
# injection) built from Debian's linux-source-6.1 on first use and cached
# (about an hour on 2 cores). Not part of make test. See
# Documentation/testing.rst.
.PHONY: test-debug
test-debug: deps user
	@scripts/run-suites debug

# The VM suite on Debian trixie's 6.12, built from its linux-source on
# first use and cached (scripts/build-kernel-612). Not part of make test.
.PHONY: test-6.12
test-6.12: deps user
	@scripts/run-suites 6.12

# libFuzzer targets over the shared logic and the tool's parsers, built
# with clang and run for FUZZ_SECONDS (default 60) each. See tests/fuzz.
.PHONY: fuzz
fuzz:
	$(MAKE) -C tests/fuzz run

demo: deps all
	$(VM) --timeout 600 -- scripts/demo

# Benchmarks, never part of `make test`: see Documentation/performance.rst.
# `make bench` (20 to 40 minutes; BENCH_QUICK=1 for a short run) compares
# synguard with kernel syncookies and nft synproxy in one VM boot;
# `make bench-host` counts instructions per operation with callgrind.
.PHONY: bench bench-host
bench: deps all
	@scripts/bench/run

bench-host: deps
	@mkdir -p bench/results
	$(MAKE) -s -C tests/bench micro
	@cd tests/bench && ./callgrind.sh ./micro | tee ../../bench/results/host.md

docs:
	@scripts/gendoc --write

# make install puts, under DESTDIR if set (for packaging; depmod and
# systemctl are then left to the package's scripts):
#   /lib/modules/KVER/updates/kmod/synguard.ko     (kbuild modules_install)
#   /usr/local/sbin/synguard
#   /usr/local/share/man/man8/synguard.8
#   /usr/local/lib/systemd/system/synguard.service
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
	    $(UNITDIR)/synguard.service $(COMPDIR)/synguard \
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

install: all
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
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ] && \
	    systemctl cat synguard.service >/dev/null 2>&1; then \
		echo "systemctl disable --now synguard.service"; \
		systemctl disable --now synguard.service; \
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

.PHONY: dkms-install dkms-uninstall

dkms-install:
	@command -v dkms >/dev/null || \
		{ echo "make: dkms is not installed; run scripts/deps" >&2; exit 1; }
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

clean:
	-test -d "$(KDIR)" && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C user clean
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/fuzz clean
	$(MAKE) -C tests/bench clean
