#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The CLI suite's cases that load the module (tests/cli/cases.sh, marked
# "module"): bad input gets a clear error and leaves the configuration as
# it was, privileges, the kernel's own checks of hand-built messages, and
# what operators see of services, stats and listeners. The cases that
# need no module run on the host, in 'make check', from the same list.
source "$(dirname "$0")/../../tests/cli/lib.sh"
source "$SG_ROOT/tests/cli/cases.sh"

require_cmd setpriv
defer sg_unload
run_cases module
ksft_summary
