#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Half-open connections from spoofed SYNs (hping3): backlog overflow
# reporting, handshake timeouts, and a dump of 100,000 entries.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sg.sh"

test_backlog_overflow()
{
	local srv cli out=$TMPDIR/monitor

	fresh
	pair srv cli
	"$SG" -n "$srv" set syn_backlog=10 syn_timeout=12
	"$SG" -n "$srv" monitor >"$out" &
	local mon=$!

	sleep 0.5
	# Spoofed sources: the server has no route back, so every SYN
	# leaves a half-open connection behind, as in a flood.
	ip netns exec "$cli" hping3 -q -S -p 8080 -c 50 -i u2000 \
		--rand-source $SRV4 >/dev/null 2>&1
	sleep 1
	# Both snapshots now, read later: the entries expire 12 s on.
	sg_json "$srv" stats >"$TMPDIR/stats"
	sg_json "$srv" listeners >"$TMPDIR/listeners"
	sleep 13
	check_eq "50 SYNs seen" 50 "$(json_stat "$TMPDIR/stats" syn_received)"
	check_eq "50 half-open at the listener" 50 \
		"$(json_listener "$TMPDIR/listeners" $SRV4 8080 half_open)"
	check_eq "one overflow, counted once" 1 \
		"$(json_stat "$TMPDIR/stats" backlog_overflows)"
	check_eq "listener counts it too" 1 \
		"$(json_listener "$TMPDIR/listeners" $SRV4 8080 backlog_overflows)"
	check_eq "all 50 timed out" 50 "$(sg_stat "$srv" handshake_timeouts)"
	check_eq "half-open drained" 0 "$(sg_listener "$srv" $SRV4 8080 half_open)"
	# Below half of the limit again, a new burst is a new overflow.
	ip netns exec "$cli" hping3 -q -S -p 8080 -c 20 -i u2000 \
		--rand-source $SRV4 >/dev/null 2>&1
	sleep 1
	check_eq "a second overflow" 2 "$(sg_stat "$srv" backlog_overflows)"
	kill -INT $mon
	wait $mon
	check_eq "two overflow events naming the listener" 2 \
		"$(grep -c "^event backlog_overflow addr=$SRV4 port=8080" "$out")"
}

test_dump_100k()
{
	local srv cli n=100000 conns i

	fresh
	pair srv cli
	"$SG" -n "$srv" set syn_timeout=600 max_conns=$((2 * n))
	for i in $(seq 30); do
		ip netns exec "$cli" timeout 5 hping3 -q -S -p 8080 --flood \
			--rand-source $SRV4 >/dev/null 2>&1
		conns=$(sg_stat "$srv" conns)
		# A debug kernel under emulation takes some hundreds of SYNs
		# a second: 30 rounds would not reach 100k. Its dump is
		# still checked, at a scale it reaches.
		if [ "$i" = 1 ] && [ "$conns" -lt $((n / 30)) ]; then
			log_info "$conns entries in 5 s: a slow kernel; 5000 will do"
			n=5000
		fi
		[ "$conns" -ge $n ] && break
	done
	sleep 1
	conns=$(sg_stat "$srv" conns)
	log_info "$conns entries after $i rounds of flooding"
	check_ge "at least $n entries" "$n" "$conns"
	check_eq "all half-open" "$conns" "$(sg_stat "$srv" half_open)"
	sg_json "$srv" conns >"$TMPDIR/conns.json"
	check_eq "the dump lists each entry exactly once" "$conns $conns" \
		"$($PY -c "
import json
c = json.load(open('$TMPDIR/conns.json'))
print(len(c), len({(x['src'], x['sport'], x['dst'], x['dport']) for x in c}))")"
	check_eq "filtered dump" "$conns" "$(conns_count "$srv" state syn_sent port 8080)"
	check_eq "listener agrees" "$conns" \
		"$(sg_listener "$srv" $SRV4 8080 half_open)"
}

require_cmd hping3
TMPDIR=$(mktemp -d)
defer rm -rf "$TMPDIR"
defer sg_unload
test_run backlog_overflow test_backlog_overflow
test_long dump_100k test_dump_100k
ksft_summary
