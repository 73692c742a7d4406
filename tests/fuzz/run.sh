#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh TARGET...: run each ./fuzz_TARGET for $FUZZ_SECONDS seconds
# (default 60) over a copy of corpus/TARGET/, so that what the run finds
# does not change the corpus in the tree, and print one line per target
# and the summary "N passed, N failed". A crash, a broken invariant, a
# leak or an input that runs for over $FUZZ_TIMEOUT seconds (default 10)
# fails the target; its input is kept in artifacts/ and its report shown.
set -uo pipefail
cd "$(dirname "$0")"

seconds=${FUZZ_SECONDS:-60}
timeout=${FUZZ_TIMEOUT:-10}
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p artifacts

for t in "$@"; do
	bin=./fuzz_$t
	corpus=$tmp/$t
	log=$tmp/$t.log
	mkdir -p "$corpus"
	cp corpus/"$t"/* "$corpus"/ 2>/dev/null
	seeds=$(ls "$corpus" | wc -l)

	"$bin" -max_total_time="$seconds" -timeout="$timeout" \
		-print_final_stats=1 -artifact_prefix=artifacts/"$t"- \
		"$corpus" >"$log" 2>&1
	rc=$?

	# "#123456 DONE cov: 101 ft: 250 corp: 40/1200b lim: ..." and
	# "stat::number_of_executed_units: 123456".
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	corp=$(ls "$corpus" | wc -l)
	info="${execs:-?} runs (${rate:-?}/s), ${cov:-no coverage}, corpus $seeds -> $corp"
	if [ "$rc" -eq 0 ]; then
		echo "PASS: fuzz_$t: $info"
		passed=$((passed + 1))
	else
		echo "FAIL: fuzz_$t exited $rc: $info"
		awk '/^==[0-9]+==|runtime error|invariant failed|ERROR: libFuzzer/ { p = 1 } p' \
			"$log" | head -n 60
		ls artifacts/"$t"-* 2>/dev/null | sed 's/^/  input: tests\/fuzz\//'
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
