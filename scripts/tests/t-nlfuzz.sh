#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Netlink fuzzing (nlfuzz.py): random and mutated requests against a
# namespace holding thousands of half-open entries and 250 services (of
# at most 256), with a flood changing the table during dumps. No oops or
# WARN (test_run), the module's state always equals what the accepted
# requests said, and the configuration is back to the one before once the
# fuzzer restored it.
# NLFUZZ_SEED replays a run; NLFUZZ_SECONDS (default 40) sets its length.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sg.sh"

NLFUZZ=$SG_ROOT/scripts/tests/nlfuzz.py

test_nlfuzz()
{
	local srv cli seed=${NLFUZZ_SEED:-$(date +%s)} conns i out rc

	sg_unload
	sg_load
	pair srv cli
	"$SG" -n "$srv" set syn_timeout=600 max_conns=200000
	# Spoofed SYNs: each leaves a half-open entry behind, so dumps of
	# the table span many messages.
	# Slower kernels (the debug one) need more rounds.
	for i in $(seq 10); do
		ip netns exec "$cli" timeout 2 hping3 -q -S -p 8080 --flood \
			--rand-source $SRV4 >/dev/null 2>&1
		conns=$(sg_stat "$srv" conns)
		[ "$conns" -ge 5000 ] && break
	done
	log_info "$conns half-open entries"
	check_ge "at least 5000 entries to dump" 5000 "$conns"
	for i in $(seq 250); do
		echo "service $((10000 + i))"
	done >"$TMPDIR/services"
	echo "cookies = 2" >>"$TMPDIR/services"
	check_rc "250 services" 0 "$SG" -n "$srv" apply "$TMPDIR/services"
	"$SG" -n "$srv" -j show >"$TMPDIR/show.before"
	"$SG" -n "$srv" -j service list >"$TMPDIR/services.before"
	check_eq "services listed" 250 "$($PY -c "import json; print(len(json.load(open('$TMPDIR/services.before'))))")"

	# A slow flood changes the table under the dumps.
	ip netns exec "$cli" hping3 -q -S -p 8081 -i u2000 \
		--rand-source $SRV4 >/dev/null 2>&1 &
	log_info "nlfuzz seed $seed (NLFUZZ_SEED=$seed replays it)"
	out=$(ip netns exec "$srv" $PY "$NLFUZZ" --seed "$seed" \
		--seconds "${NLFUZZ_SECONDS:-40}" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	check_eq "nlfuzz found every state as its model said" 0 "$rc"
	check_eq "the configuration is the one before" \
		"$(cat "$TMPDIR/show.before")" "$("$SG" -n "$srv" -j show)"
	check_eq "the services are the ones before" \
		"$(cat "$TMPDIR/services.before")" "$("$SG" -n "$srv" -j service list)"
	check_rc "rmmod" 0 rmmod synguard
}

require_cmd hping3
TMPDIR=$(mktemp -d)
defer rm -rf "$TMPDIR"
defer sg_unload
test_run nlfuzz test_nlfuzz
ksft_summary
