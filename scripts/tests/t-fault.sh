#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Faults and load: namespaces deleted under a flood and proxied
# transfers, max_conns reached by a flood of real handshakes, knobs
# changed concurrently while traffic flows, and allocation failures of
# the connection cache (failslab, on kernels built with fault injection).
# rmmod under a flood and proxied transfers is in t-enforce.sh.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sg.sh"

# echo_serve NS ADDR PORT - a threaded echo server in the background:
# every connection gets back what it sends, until it closes.
echo_serve()
{
	ip netns exec "$1" $PY - "$2" "$3" <<-'EOF2' &
		import socket, sys, threading
		ls = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else
		                   socket.AF_INET)
		ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
		ls.bind((sys.argv[1], int(sys.argv[2])))
		ls.listen(1024)
		def echo(c):
		    while True:
		        d = c.recv(65536)
		        if not d:
		            break
		        c.sendall(d)
		    c.close()
		while True:
		    c, _ = ls.accept()
		    threading.Thread(target=echo, args=(c,), daemon=True).start()
	EOF2
	wait_local_port_listen "$1" "$3" tcp
}

# held_client NS ADDR PORT N GOFILE - N connections held open: each
# echoes 50 kB, then prints "ready", waits for GOFILE to exist, echoes
# 200 kB more and closes. Prints "ok K/N", K the connections whose every
# echoed byte was right.
held_client()
{
	ip netns exec "$1" $PY - "$2" "$3" "$4" "$5" <<-'EOF2'
		import hashlib, os, socket, sys, time
		addr, port, n, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
		def echo(s, size):
		    data = os.urandom(size)
		    s.sendall(data)
		    got = bytearray()
		    while len(got) < size:
		        d = s.recv(65536)
		        if not d:
		            break
		        got += d
		    return hashlib.sha256(got).digest() == hashlib.sha256(data).digest()
		socks = [socket.create_connection((addr, port), timeout=30)
		         for _ in range(n)]
		good = [echo(s, 50000) for s in socks]
		print("ready", flush=True)
		while not os.path.exists(go):
		    time.sleep(0.1)
		good = [g and echo(s, 200000) for g, s in zip(good, socks)]
		for s in socks:
		    s.close()
		print("ok %d/%d" % (sum(good), n), flush=True)
	EOF2
}

# handshakes NS ADDR PORT N - N real handshakes, each closed with a RST
# at once (SO_LINGER 0): three packets at the server (SYN, SYN-ACK, ACK)
# plus the RST. Prints how many connected. On one CPU: veth queues a
# packet on the sending CPU, so an ACK and a RST sent from two CPUs may
# arrive swapped, and the ACK then draws a RST from the server.
handshakes()
{
	ip netns exec "$1" taskset -c 0 $PY - "$2" "$3" "$4" <<-'EOF2'
		import socket, struct, sys
		ok = 0
		for _ in range(int(sys.argv[3])):
		    s = socket.create_connection((sys.argv[1], int(sys.argv[2])),
		                                 timeout=10)
		    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
		                 struct.pack("ii", 1, 0))
		    s.close()
		    ok += 1
		print(ok)
	EOF2
}

wait_for_line()
{
	local i

	for ((i = 0; i < 300; i++)); do
		grep -qx "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# A flood of real handshakes while the table is full: each of their
# packets is refused an entry and counted in table_full (the client's
# RST is never worth an entry), the connections already tracked keep
# their entries and their payloads arrive intact.
test_max_conns_flood()
{
	local srv cli f=$TMPDIR/before out=$TMPDIR/held m=300 k=10 n

	fresh
	pair srv cli
	"$SG" -n "$srv" set max_conns=$k
	echo_serve "$srv" $SRV4 8080
	# Never accepts: the handshakes only fill its accept queue.
	ip netns exec "$srv" $PY -c "
import socket, time
s = socket.socket()
s.bind(('$SRV4', 8081))
s.listen(4096)
time.sleep(600)" &
	wait_local_port_listen "$srv" 8081 tcp
	rm -f "$TMPDIR/go"
	held_client "$cli" $SRV4 8080 $k "$TMPDIR/go" >"$out" &
	local held=$!

	check_rc "$k connections open" 0 wait_for_line "$out" ready
	check_eq "the table is full" "$k $k" \
		"$(sg_stat "$srv" conns) $(sg_stat "$srv" established)"
	stats_save "$srv" "$f"
	n=$(handshakes "$cli" $SRV4 8081 $m)
	check_eq "$m handshakes completed" $m "$n"
	# The last RST may still be on its way.
	sleep 0.5
	check_eq "syn_received +$m" $m "$(delta "$f" "$srv" syn_received)"
	check_eq "rst_seen +$m" $m "$(delta "$f" "$srv" rst_seen)"
	# A SYN-ACK whose SYN has no entry makes none: it does not count.
	check_eq "table_full: SYN and ACK of each" $((2 * m)) \
		"$(delta "$f" "$srv" table_full)"
	check_eq "synack_seen +$m" $m "$(delta "$f" "$srv" synack_seen)"
	check_eq "no entry created" 0 "$(delta "$f" "$srv" conns_created)"
	check_eq "no allocation failed" 0 "$(delta "$f" "$srv" alloc_failed)"
	check_eq "the held connections keep their entries" "$k $k" \
		"$(sg_stat "$srv" conns) $(sg_stat "$srv" established)"
	touch "$TMPDIR/go"
	wait $held
	check_eq "their payloads arrive intact" "ready ok $k/$k" \
		"$(paste -sd' ' "$out")"
}

# Knobs changed by set and apply from two processes, with traffic through
# a protected service on both vCPUs: every configuration read meanwhile
# is one of the three whole ones, never a mix; the last one is one of
# the two written; the traffic completes.
test_concurrent_config()
{
	local srv cli i a b init seen bad n=40

	fresh
	pair srv cli
	"$SG" -n "$srv" service add 8080
	a="syn_timeout=31 fin_timeout=32 tw_timeout=33 syn_backlog=34 src_backlog=35 cookies=2 mss=1300"
	b="syn_timeout=41 fin_timeout=42 tw_timeout=43 syn_backlog=44 src_backlog=45 cookies=1 mss=0"
	tr ' ' '\n' <<<"$b" | sed 's/=/ = /' >"$TMPDIR/b.conf"
	proj()
	{
		$PY -c "
import json, sys
keys = [kv.split('=')[0] for kv in '$a'.split()]
for line in sys.stdin:
    c = json.loads(line)
    print(' '.join('%s=%s' % (k, c[k]) for k in keys))"
	}
	init=$("$SG" -n "$srv" -j show | proj)
	peer_serve "$srv" $SRV4 8080 --count 100000
	peer_client "$cli" $SRV4 8080 --count 150 --bytes 30000 \
		>"$TMPDIR/c1" 2>&1 &
	local c1=$!
	peer_client "$cli" $SRV4 8080 --count 150 --bytes 30000 \
		>"$TMPDIR/c2" 2>&1 &
	local c2=$!
	(for ((i = 0; i < n; i++)); do
		# shellcheck disable=SC2086
		"$SG" -n "$srv" set $a || echo "set failed"
	done) >"$TMPDIR/wa" 2>&1 &
	local wa=$!
	(for ((i = 0; i < n; i++)); do
		"$SG" -n "$srv" apply "$TMPDIR/b.conf" || echo "apply failed"
	done) >"$TMPDIR/wb" 2>&1 &
	local wb=$!
	while kill -0 $wa 2>/dev/null || kill -0 $wb 2>/dev/null; do
		"$SG" -n "$srv" -j show
	done >"$TMPDIR/reads"
	wait $wa $wb
	check_eq "every set and apply succeeded" "" "$(cat "$TMPDIR/wa" "$TMPDIR/wb")"
	seen=$(wc -l <"$TMPDIR/reads")
	bad=$(proj <"$TMPDIR/reads" | grep -vxF -e "$init" -e "$a" -e "$b" |
		head -n 3)
	log_info "$seen configurations read during the writes, $(proj <"$TMPDIR/reads" | sort -u | wc -l) different"
	check_eq "no configuration read was a mix" "" "$bad"
	check_eq "the last one is one of those written" 1 \
		"$("$SG" -n "$srv" -j show | proj | grep -cxF -e "$a" -e "$b")"
	wait $c1 $c2
	check_eq "traffic on the first client completed" "ok 150/150" "$(cat "$TMPDIR/c1")"
	check_eq "traffic on the second client completed" "ok 150/150" "$(cat "$TMPDIR/c2")"
	check_ge "it went through cookies part of the time" 1 \
		"$(sg_stat "$srv" cookies_valid)"
}

# Deleting the namespaces while a flood is answered with cookies and
# proxied transfers run: the module's per-namespace teardown, with
# entries, timers and proxied connections live, then rmmod.
test_netns_delete_under_load()
{
	local srv cli atk sw i

	fresh
	setup_ns sw srv cli atk
	ip -n "$sw" link add br0 type bridge
	ip -n "$sw" link set br0 up
	i=0
	for ns in "$srv" "$cli" "$atk"; do
		i=$((i + 1))
		ip link add p$i netns "$sw" type veth peer name eth0 netns "$ns"
		ip -n "$sw" link set p$i master br0 up
		ip -n "$ns" addr add 192.0.2.$i/24 dev eth0
		ip -n "$ns" link set eth0 up
	done
	ip -n "$srv" route add default via 192.0.2.254
	"$SG" -n "$srv" service add 8080 cookies=2
	"$SG" -n "$cli" set syn_timeout=600
	peer_serve "$srv" 0.0.0.0 8080 --count 100000
	ip netns exec "$atk" hping3 -q -S -p 8080 -i u200 --rand-source \
		$SRV4 >/dev/null 2>&1 &
	ip netns exec "$cli" $PY "$PEER" client $SRV4 8080 --count 100 \
		--bytes 500000 --timeout 3 --keep-going >/dev/null 2>&1 &
	# Until a transfer is proxied: a few seconds, more on a busy host.
	for ((i = 0; i < 60; i++)); do
		[ "$(sg_stat "$srv" proxied)" -ge 1 ] && break
		sleep 0.5
	done
	check_ge "proxied transfers in flight" 1 "$(sg_stat "$srv" proxied)"
	check_ge "the flood is answered" 100 "$(sg_stat "$srv" cookies_sent)"
	check_ge "the client's namespace tracks entries too" 1 \
		"$(sg_stat "$cli" conns)"
	check_rc "delete the server's namespace" 0 ip netns del "$srv"
	check_rc "delete the client's namespace" 0 ip netns del "$cli"
	sleep 1
	check_rc "the attacker's namespace still answers" 0 \
		sh -c "'$SG' -n '$atk' stats >/dev/null"
	check_rc "delete the others" 0 sh -c "ip netns del '$atk' && ip netns del '$sw'"
	check_rc "rmmod after the namespaces went" 0 rmmod synguard
}

# Every allocation from the connection cache fails (failslab restricted
# to it): a flood is counted in alloc_failed, one for each SYN, and
# nothing is tracked; a cookie client cannot be proxied until the
# failures stop, and then completes.
test_failslab()
{
	local srv cli f=$TMPDIR/before fs=/sys/kernel/debug/failslab out i

	if [ ! -d $fs ]; then
		log_info "no $fs: kernel without CONFIG_FAILSLAB"
		return $KSFT_SKIP
	fi
	fresh
	# 6.1 marks a cache for failslab only at boot (slub_debug=a,sg_conn,
	# as the debug kernel boots): the sysfs attribute is read-only.
	if [ "$(cat /sys/kernel/slab/sg_conn/failslab 2>/dev/null)" != 1 ]; then
		log_info "sg_conn is not marked for failslab: boot with slub_debug=a,sg_conn"
		return $KSFT_SKIP
	fi
	pair srv cli
	ip -n "$srv" route add default via 192.0.2.254
	"$SG" -n "$srv" service add 8080 cookies=2
	peer_serve "$srv" $SRV4 8080 --count 100
	stats_save "$srv" "$f"
	defer sh -c "echo 0 >$fs/probability"
	echo Y >$fs/cache-filter
	echo N >$fs/task-filter
	echo 0 >$fs/verbose
	echo 0 >$fs/space
	echo 1 >$fs/interval
	echo -1 >$fs/times
	echo 100 >$fs/probability
	# Unprotected port, observe mode: each SYN would create an entry.
	ip netns exec "$cli" hping3 -q -S -p 9090 -c 100 -i u2000 \
		--rand-source $SRV4 >/dev/null 2>&1
	sleep 0.5
	check_eq "syn_received +100" 100 "$(delta "$f" "$srv" syn_received)"
	check_eq "alloc_failed +100" 100 "$(delta "$f" "$srv" alloc_failed)"
	check_eq "nothing tracked" 0 "$(sg_stat "$srv" conns)"
	# The cookie's ACK finds no memory for the proxied entry. One
	# segment of data: every segment the client repeats then starts
	# right after its SYN, as the first ACK does, so each carries the
	# cookie (a later one, say a tail loss probe, could not: like the
	# kernel's syncookies, synguard would refuse it).
	ip netns exec "$cli" $PY "$PEER" client $SRV4 8080 --count 1 \
		--bytes 100 --timeout 120 >"$TMPDIR/out" 2>&1 &
	local client=$!
	# Until its ACK came (slow kernels take seconds to start a client),
	# then memory comes back at once: the client doubles its timeout
	# with every segment lost, and on a debug kernel under emulation the
	# seconds Python takes to read a counter would run up minutes. The
	# text output is read instead, and the checks come after.
	local base
	base=$(($(json_stat "$f" alloc_failed) + 100))
	for ((i = 0; i < 240; i++)); do
		[ "$("$SG" -n "$srv" stats |
			awk '$1 == "alloc_failed:" { print $2 }')" -gt $base ] &&
			break
		sleep 0.25
	done
	sg_json "$srv" stats >"$TMPDIR/during"
	echo 0 >$fs/probability
	wait $client
	out=$(cat "$TMPDIR/out")
	check_eq "its SYN was answered with a cookie" 1 \
		"$(($(json_stat "$TMPDIR/during" cookies_sent) - $(json_stat "$f" cookies_sent)))"
	check_eq "no proxied entry while allocations failed" 0 \
		"$(json_stat "$TMPDIR/during" proxied)"
	check_ge "its ACKs failed to allocate" "$((base + 1))" \
		"$(json_stat "$TMPDIR/during" alloc_failed)"
	check_eq "the client completes once memory is back" "ok 1/1" "$out"
	check_eq "through one cookie" 1 "$(delta "$f" "$srv" cookies_valid)"
	check_eq "none of its segments was refused" 0 \
		"$(delta "$f" "$srv" cookies_invalid)"
}

require_cmd hping3
TMPDIR=$(mktemp -d)
defer rm -rf "$TMPDIR"
defer sg_unload
test_run max_conns_flood test_max_conns_flood
test_run concurrent_config test_concurrent_config
test_run netns_delete_under_load test_netns_delete_under_load
test_run failslab test_failslab
ksft_summary
