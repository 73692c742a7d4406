#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Differential test: every per-listener gauge synguard reports against
# what ss says of the server's own sockets, over randomized connection
# lifecycles (scripts/tests/diff-peer.py): who closes first, crossing
# FINs, half-close with data, FINs and ACKs lost after synguard's hook,
# RSTs, TIME_WAIT reuse. Exact equality at every quiescent point, for a
# local server over IPv4 and IPv6 and for a server behind a router.
#
# SEED=N replays a run (default: random, printed); DIFF_CONNS (default
# 40) connections per round, DIFF_ROUNDS rounds per test (default 2, 6
# in make test-long).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sg.sh"

DRIVER=$SG_ROOT/scripts/tests/diff-peer.py
SEED=${SEED:-$((RANDOM * 32768 + RANDOM))}
CONNS=${DIFF_CONNS:-40}
ROUNDS=${DIFF_ROUNDS:-$(long_or 2 6)}

# diff NAME ARGS... - run the driver; PASS when every comparison matched.
diff_run()
{
	local name=$1 out=$TMPDIR/$1.log

	shift
	$PY "$DRIVER" --seed "$SEED" --conns "$CONNS" --rounds "$ROUNDS" \
		"$@" >"$out" 2>&1
	local rc=$?

	sed 's/^/    /' "$out"
	case $rc in
	0)	log_pass "$name: gauges equal ss at every point (seed $SEED)" ;;
	4)	log_skip "$name: too slow to compare before TIME_WAIT ends (seed $SEED)" ;;
	*)	log_fail "$name: gauges differ from ss (seed $SEED)" ;;
	esac
}

# Orphaned FIN-WAIT-2 sockets last tcp_fin_timeout (60 s); a round must
# not see them expire.
long_fin_timeout()
{
	local ns

	for ns in "$@"; do
		ip netns exec "$ns" sysctl -qw net.ipv4.tcp_fin_timeout=600
	done
}

test_local()
{
	local srv cli sa=$1 ca=$2

	sg_unload
	sg_load
	pair srv cli
	long_fin_timeout "$srv" "$cli"
	diff_run "local_$3" --srv-ns "$srv" --cli-ns "$cli" --sg-ns "$srv" \
		--drop-ns "$srv" --mode local --addr "$sa" --cli-addr "$ca"
}

test_local_v4()
{
	test_local $SRV4 $CLI4 v4
}

test_local_v6()
{
	test_local $SRV6 $CLI6 v6
}

test_routed()
{
	local cli rtr srv

	sg_unload
	sg_load
	routed cli rtr srv
	long_fin_timeout "$srv" "$cli"
	diff_run routed_v4 --srv-ns "$srv" --cli-ns "$cli" --sg-ns "$rtr" \
		--drop-ns "$rtr" --mode routed --addr $RSRV4 --cli-addr $RCLI4
}

require_cmd ip ss nft
TMPDIR=$(mktemp -d)
defer rm -rf "$TMPDIR"
defer sg_unload
log_info "SEED=$SEED"
test_run local_v4 test_local_v4
test_run local_v6 test_local_v6
test_run routed_v4 test_routed
log_info "SEED=$SEED"
ksft_summary
