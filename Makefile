# SPDX-License-Identifier: GPL-2.0
#
# synguard: `make` builds the module and the tool; `make demo` shows it
# working in a VM; `make test` runs every test. See README.

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

demo: deps all
	$(VM) --timeout 600 -- scripts/demo

docs:
	@scripts/gendoc --write

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(KVER)
	install -D -m 0755 user/synguard $(DESTDIR)/usr/local/sbin/synguard

uninstall:
	rm -f /lib/modules/$(KVER)/updates/kmod/synguard.ko \
	      /lib/modules/$(KVER)/extra/kmod/synguard.ko
	-depmod -a $(KVER)
	rm -f $(DESTDIR)/usr/local/sbin/synguard

clean:
	-test -d "$(KDIR)" && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C user clean
	$(MAKE) -C tests/unit clean
