#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Window tracking against real Linux sockets: segments crafted with scapy
# outside a live connection's window (data, acknowledgments, blind RSTs)
# are dropped and counted before the server's stack sees them, the
# connection carries on byte-exact, and real transfers over a lossy,
# reordering link, proxied or not, never trip the check.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sg.sh"

# nft counters in the server's raw prerouting chain, which runs after
# synguard: what got past it.
raw_counters()
{
	ip netns exec "$1" nft -f - <<-EOF2
		table inet t {
			chain pre {
				type filter hook prerouting priority raw;
				tcp dport 8080 tcp flags & rst == rst counter comment "rst"
				tcp dport 8080 @th,160,32 0x4556494c counter comment "evil"
			}
		}
	EOF2
}

# Out-of-window segments are logged with the tracked window (rate
# limited, through dynamic debug): turn that on, to explain a failure.
window_debug()
{
	local ctl=/sys/kernel/debug/dynamic_debug/control

	[ -e $ctl ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
	[ -e $ctl ] && echo 'module synguard +p' >$ctl
}

# held_conn SRV CLI SADDR CADDR - a connection from CADDR:40001 to
# SADDR:8080 that stays open. The server writes what it received to
# $TMPDIR/srv.bin and how it ended ("eof" or "reset") to
# $TMPDIR/srv.status. The client sends "hello", writes its next sequence
# number and the next it expects to $TMPDIR/seqs (read with TCP_REPAIR),
# then waits (up to 3 minutes) for $TMPDIR/go before sending "world"
# and closing.
held_conn()
{
	rm -f "$TMPDIR"/srv.bin "$TMPDIR"/srv.status "$TMPDIR"/seqs \
		"$TMPDIR"/go "$TMPDIR"/cli.status
	ip netns exec "$1" $PY - <<-EOF2 &
		import socket
		s = socket.socket(socket.AF_INET6 if ":" in "$3" else socket.AF_INET)
		s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
		s.bind(("$3", 8080))
		s.listen(1)
		c, _ = s.accept()
		got, how = b"", "eof"
		try:
		    while True:
		        b = c.recv(65536)
		        if not b:
		            break
		        got += b
		except ConnectionResetError:
		    how = "reset"
		open("$TMPDIR/srv.bin", "wb").write(got)
		open("$TMPDIR/srv.status", "w").write(how)
	EOF2
	wait_local_port_listen "$1" 8080 tcp
	ip netns exec "$2" $PY - <<-EOF2 &
		import os, socket, time
		s = socket.socket(socket.AF_INET6 if ":" in "$4" else socket.AF_INET)
		s.bind(("$4", 40001))
		s.connect(("$3", 8080))
		s.sendall(b"hello")
		time.sleep(0.3)
		# TCP_REPAIR (19), TCP_REPAIR_QUEUE (20), TCP_QUEUE_SEQ (21):
		# queue 2 is the send queue, 1 the receive queue.
		s.setsockopt(socket.SOL_TCP, 19, 1)
		seq = {}
		for q in (1, 2):
		    s.setsockopt(socket.SOL_TCP, 20, q)
		    seq[q] = int.from_bytes(s.getsockopt(socket.SOL_TCP, 21, 4), "little")
		s.setsockopt(socket.SOL_TCP, 19, 0)
		open("$TMPDIR/seqs", "w").write("%d %d\n" % (seq[2], seq[1]))
		for _ in range(1800):
		    if os.path.exists("$TMPDIR/go"):
		        break
		    time.sleep(0.1)
		try:
		    s.sendall(b"world")
		    s.shutdown(socket.SHUT_WR)
		    while s.recv(100):
		        pass
		    how = "done"
		except OSError as e:
		    how = "error %d" % e.errno
		open("$TMPDIR/cli.status", "w").write(how)
	EOF2
	local i
	for i in $(seq 50); do
		[ -s "$TMPDIR"/seqs ] && return 0
		sleep 0.1
	done
	return 1
}

# inject NS SADDR CADDR SEGMENT... - crafted segments from the client's
# address and port, each FLAGS:SEQ:ACK[:PAYLOAD], sent by one scapy (it
# takes seconds to start under emulation), then a second to settle.
inject()
{
	local ns=$1 saddr=$2 caddr=$3 ip=IP

	shift 3
	[[ $saddr == *:* ]] && ip=IPv6
	ip netns exec "$ns" $PY - "$@" <<-EOF2
		import sys
		from scapy.all import IP, IPv6, TCP, Raw, send, conf
		conf.verb = 0
		for spec in sys.argv[1:]:
		    flags, seq, ack, *data = spec.split(":")
		    p = $ip(src="$caddr", dst="$saddr") / TCP(sport=40001, dport=8080,
		        flags=flags, seq=int(seq) % 2**32, ack=int(ack) % 2**32,
		        window=502)
		    if data:
		        p = p / Raw(data[0].encode())
		    send(p)
	EOF2
	sleep 1
}

# wait_file FILE - wait up to 10 s for FILE to exist.
wait_file()
{
	local i

	for i in $(seq 100); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

bad_segments()
{
	local saddr=$1 caddr=$2 srv cli seq ack f=$TMPDIR/before

	fresh
	pair srv cli
	raw_counters "$srv"
	"$SG" -n "$srv" service add 8080
	held_conn "$srv" "$cli" "$saddr" "$caddr" || {
		check_eq "connection up" ok failed
		return
	}
	read -r seq ack <"$TMPDIR"/seqs
	stats_save "$srv" "$f"
	# Data a quarter of the sequence space ahead and behind, an
	# acknowledgment of a megabyte the server never sent, and blind RSTs
	# with and without ACK.
	inject "$cli" "$saddr" "$caddr" \
		"PA:$((seq + 0x40000000)):$ack:EVIL" \
		"PA:$((seq - 0x40000000)):$ack:EVIL" \
		"PA:$seq:$((ack + 0x100000)):EVIL" \
		"R:$((seq + 0x20000000)):0" \
		"RA:$((seq - 0x20000000)):$ack"
	check_eq "out_of_window +3" 3 "$(delta "$f" "$srv" out_of_window)"
	check_eq "rst_out_of_window +2" 2 "$(delta "$f" "$srv" rst_out_of_window)"
	check_eq "dropped +5" 5 "$(delta "$f" "$srv" dropped)"
	check_eq "no RST got past synguard" 0 "$(nft_packets "$srv" rst)"
	check_eq "no injected data got past synguard" 0 "$(nft_packets "$srv" evil)"
	check_eq "the server's socket is still established" 1 \
		"$(ss_count "$srv" established 8080)"

	# In observe mode the blind RST is only counted; Linux itself
	# ignores it (RFC 5961), so the connection lives on.
	"$SG" -n "$srv" service del 8080
	"$SG" -n "$srv" service add 8080 mode=observe
	stats_save "$srv" "$f"
	inject "$cli" "$saddr" "$caddr" "R:$((seq + 0x20000000)):0"
	check_eq "observe: rst_out_of_window +1" 1 \
		"$(delta "$f" "$srv" rst_out_of_window)"
	check_eq "observe: would_drop +1" 1 "$(delta "$f" "$srv" would_drop)"
	check_eq "observe: dropped +0" 0 "$(delta "$f" "$srv" dropped)"
	check_eq "observe: the RST reached the stack" 1 "$(nft_packets "$srv" rst)"
	check_eq "observe: the stack ignored it" 1 \
		"$(ss_count "$srv" established 8080)"

	"$SG" -n "$srv" service del 8080
	"$SG" -n "$srv" service add 8080
	stats_save "$srv" "$f"
	touch "$TMPDIR"/go
	wait_file "$TMPDIR"/srv.status
	wait_file "$TMPDIR"/cli.status
	check_eq "the server received exactly hello world" helloworld \
		"$(cat "$TMPDIR"/srv.bin)"
	check_eq "and saw a clean close" eof "$(cat "$TMPDIR"/srv.status)"
	check_eq "the client finished" done "$(cat "$TMPDIR"/cli.status)"
	check_eq "nothing of the real connection was out of window" 0 \
		"$(delta "$f" "$srv" out_of_window)"
}

test_bad_segments_v4()
{
	bad_segments $SRV4 $CLI4
}

test_bad_segments_v6()
{
	bad_segments $SRV6 $CLI6
}

# An RST at exactly the sequence number the server expects is in the
# window: it passes and resets the server's socket.
test_rst_in_window()
{
	local srv cli seq ack f=$TMPDIR/before

	fresh
	pair srv cli
	raw_counters "$srv"
	"$SG" -n "$srv" service add 8080
	held_conn "$srv" "$cli" $SRV4 $CLI4 || {
		check_eq "connection up" ok failed
		return
	}
	read -r seq ack <"$TMPDIR"/seqs
	stats_save "$srv" "$f"
	inject "$cli" $SRV4 $CLI4 "R:$seq:0"
	wait_file "$TMPDIR"/srv.status
	check_eq "the RST passed" 1 "$(nft_packets "$srv" rst)"
	check_eq "the server's socket was reset" reset "$(cat "$TMPDIR"/srv.status)"
	check_eq "rst_out_of_window +0" 0 "$(delta "$f" "$srv" rst_out_of_window)"
	check_eq "the entry is closed" 1 "$(conns_count "$srv" state close)"
	touch "$TMPDIR"/go
	wait_file "$TMPDIR"/cli.status
}

# Real transfers over a link that loses, duplicates and reorders, so
# that retransmissions, SACK and window probes all happen: nothing may be
# out of window, direct or through the cookie proxy.
lossy_transfer()
{
	local cookies=$1 addr=$2 srv cli f=$TMPDIR/before out oow

	fresh
	pair srv cli
	if ! ip netns exec "$cli" tc qdisc add dev veth0 root netem \
		delay 2ms 1ms loss 2% duplicate 1% reorder 5%; then
		log_info "no netem qdisc in this kernel"
		return $KSFT_SKIP
	fi
	ip netns exec "$srv" tc qdisc add dev veth0 root netem \
		delay 2ms 1ms loss 2% duplicate 1% reorder 5%
	"$SG" -n "$srv" service add 8080 cookies="$cookies"
	window_debug
	stats_save "$srv" "$f"
	peer_serve "$srv" "$addr" 8080 --count 4 --timeout 60
	out=$(peer_client "$cli" "$addr" 8080 --count 4 --bytes 3000000 \
		--timeout 60)
	check_eq "4 transfers of 3 MB each way, byte-exact" "ok 4/4" "$out"
	oow=$(delta "$f" "$srv" out_of_window)
	check_eq "out_of_window +0" 0 "$oow"
	check_eq "rst_out_of_window +0" 0 "$(delta "$f" "$srv" rst_out_of_window)"
	[ "$oow" = 0 ] || dmesg | grep 'out of window' | tail -5
	if [ "$cookies" = 2 ]; then
		check_eq "all four went through the proxy" 4 \
			"$(delta "$f" "$srv" cookies_valid)"
	fi
}

test_lossy_direct_v4()
{
	lossy_transfer 0 $SRV4
}

test_lossy_proxied_v4()
{
	lossy_transfer 2 $SRV4
}

test_lossy_proxied_v6()
{
	lossy_transfer 2 $SRV6
}

test_run bad_segments_v4 test_bad_segments_v4
test_run bad_segments_v6 test_bad_segments_v6
test_run rst_in_window test_rst_in_window
test_run lossy_direct_v4 test_lossy_direct_v4
test_run lossy_proxied_v4 test_lossy_proxied_v4
test_long lossy_proxied_v6 test_lossy_proxied_v6
