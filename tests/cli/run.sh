#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The CLI suite's cases that need no module (tests/cli/cases.sh), on the
# host, as 'make check' runs them. Builds nothing: run "make -C user"
# first (and "make -C tests/cli" for the parser unit tests, skipped if
# not built). The cases that load the module run in the VM, through
# scripts/tests/t-cli.sh and the same case list.

set -u
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ ! -x $SG ]]; then
	log_fail "synguard is built: $SG is missing; run 'make -C user' first"
else
	source "$(dirname "${BASH_SOURCE[0]}")/cases.sh"
	run_cases host
fi

totals=$(ksft_summary)
rc=$?
echo "$totals"
[[ $totals =~ pass:([0-9]+)\ fail:([0-9]+)\ skip:([0-9]+) ]]
echo "${BASH_REMATCH[1]} passed, ${BASH_REMATCH[2]} failed, ${BASH_REMATCH[3]} skipped"
((rc != 1))
