#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Foundation: the module loads and unloads cleanly (alone, 20 times, and
# with traffic flowing), survives namespaces coming and going, and the
# tool talks to it over generic netlink.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sg.sh"

test_load_unload()
{
	sg_unload
	check_rc "insmod" 0 insmod "$SG_KO"
	check_eq "module listed" 1 "$(grep -c '^synguard ' /proc/modules)"
	check_eq "genl family registered" 1 \
		"$(genl ctrl list 2>/dev/null | grep -c 'Name: synguard$')"
	check_rc "rmmod" 0 rmmod synguard
	check_eq "module gone" 0 "$(grep -c '^synguard ' /proc/modules)"
}

test_load_unload_20()
{
	local i ok=0

	sg_unload
	for i in $(seq 20); do
		insmod "$SG_KO" && "$SG" show >/dev/null && rmmod synguard &&
			ok=$((ok + 1))
	done
	check_eq "20 load/show/unload cycles" 20 "$ok"
}

test_unload_with_traffic()
{
	local srv cli out

	pair srv cli
	sg_load
	peer_serve "$srv" $SRV4 8080 --count 100000 --close server
	# Connections keep flowing while the module comes and goes.
	ip netns exec "$cli" $PY "$PEER" client $SRV4 8080 --count 400 \
		--bytes 20000 >"$TMPDIR/flow.out" 2>&1 &
	local flow=$!
	local i ok=0

	for i in $(seq 5); do
		sleep 0.5
		rmmod synguard && insmod "$SG_KO" && ok=$((ok + 1))
	done
	check_eq "5 unload/load cycles under traffic" 5 "$ok"
	wait $flow
	out=$(cat "$TMPDIR/flow.out")
	check_eq "every connection completed intact" "ok 400/400" "$out"
	sg_unload
}

test_netns_churn()
{
	local i ns ok=0 mode

	sg_load
	for i in $(seq 20); do
		ns=sg-churn-$i-$RANDOM
		ip netns add "$ns" || continue
		ip -n "$ns" link set lo up
		mode=$("$SG" -n "$ns" show | sed -n 's/^mode = //p')
		ip netns del "$ns"
		[ "$mode" = observe ] && ok=$((ok + 1))
	done
	check_eq "20 namespaces created, read and deleted" 20 "$ok"
	check_rc "rmmod after churn" 0 rmmod synguard
}

test_cli()
{
	local out rc

	sg_load
	out=$("$SG" --version)
	check_rc "--version exits 0" 0 "$SG" --version
	check_eq "--version names the tool" synguard "${out%% *}"
	check_rc "--help exits 0" 0 sh -c "'$SG' --help >/dev/null"
	out=$("$SG" show | grep -c ' = ')
	check_eq "show lists every knob" \
		"$(grep -c '^	X([A-Z0-9_]*, [a-z0-9_]*, SYNGUARD_KT_' "$SG_ROOT/kmod/uapi/linux/synguard.h")" \
		"$out"
	check_eq "show reads mode from the module" "mode = observe" \
		"$("$SG" show | grep '^mode = ')"
	check_rc "unknown command exits 2" 2 sh -c "'$SG' frobnicate 2>/dev/null"
	check_rc "unknown option exits 2" 2 sh -c "'$SG' --frobnicate 2>/dev/null"
	sg_unload
	out=$("$SG" show 2>&1)
	rc=$?
	check_eq "show without the module exits 1" 1 "$rc"
	check_eq "show without the module says so" 1 \
		"$(grep -c 'synguard module is not loaded' <<<"$out")"
}

test_vm_run_example()
{
	# The README's one-liner.
	check_rc "insmod && show && rmmod" 0 \
		sh -c "insmod '$SG_KO' && '$SG' show >/dev/null && rmmod synguard"
}

require_cmd ip ss genl
TMPDIR=$(mktemp -d)
defer rm -rf "$TMPDIR"
test_run load_unload test_load_unload
test_run load_unload_20 test_load_unload_20
test_run unload_with_traffic test_unload_with_traffic
test_run netns_churn test_netns_churn
test_run cli test_cli
test_run vm_run_example test_vm_run_example
ksft_summary
