#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# callgrind.sh MICRO [N] - instructions per operation of the shared logic,
# counted by callgrind over N (default 20000) runs of each operation of
# bench/micro, only inside that operation's function. Prints a
# Markdown table. Repeatable: the same build gives the same counts.
set -euo pipefail

micro=$1
n=${2:-20000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

desc()
{
	case $1 in
	synack) echo "cookie generation + SYN-ACK construction" ;;
	check) echo "cookie validation (valid cookie)" ;;
	hit) echo "segment of a known connection: parse + flags + state step (no bucket walk)" ;;
	miss) echo "segment with no entry (SYN): parse + flags + track init (no bucket walk)" ;;
	step) echo "state-machine step (established, data)" ;;
	esac
}

echo "| operation | what is counted | instructions/op |"
echo "|---|---|---:|"
for op in synack check hit miss step; do
	valgrind --tool=callgrind --callgrind-out-file="$out/cg.$op" \
		--toggle-collect="op_$op*" "$micro" "$op" "$n" \
		>/dev/null 2>"$out/log.$op" || {
		cat "$out/log.$op" >&2
		exit 1
	}
	ir=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$out/cg.$op")
	[ -n "$ir" ] || ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$out/cg.$op")
	printf '| %s | %s | %s |\n' "$op" "$(desc "$op")" \
		"$(awk -v i="$ir" -v n="$n" 'BEGIN { printf "%.0f", i / n }')"
done
