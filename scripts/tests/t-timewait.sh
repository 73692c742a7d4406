#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TIME_WAIT policies (RFC 1337, RFC 6191, tw_max) and the shared cookie
# secret, with crafted packets from scapy against real Linux sockets.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sg.sh"

# A connection from CLI4:40000 that the server closes first; prints the
# client's sequence number just past its FIN, read with TCP_REPAIR.
server_closed_conn()
{
	peer_serve "$1" $SRV4 8080 --count 1 --close server
	ip netns exec "$2" $PY - <<-EOF2
		import socket
		s = socket.socket()
		s.bind(("$CLI4", 40000))
		s.connect(("$SRV4", 8080))
		s.sendall((3).to_bytes(4, "big") + b"abc")
		while s.recv(100):
		    pass
		# TCP_REPAIR (19), TCP_REPAIR_QUEUE (20) = TCP_SEND_QUEUE (2),
		# TCP_QUEUE_SEQ (21): the next sequence number to send.
		s.setsockopt(socket.SOL_TCP, 19, 1)
		s.setsockopt(socket.SOL_TCP, 20, 2)
		seq = int.from_bytes(s.getsockopt(socket.SOL_TCP, 21, 4), "little")
		s.setsockopt(socket.SOL_TCP, 19, 0)
		s.close()
		print(seq + 1)
	EOF2
	sleep 1
}

# crafted NS FLAGS SEQ - one segment from CLI4:40000 to the server.
crafted()
{
	ip netns exec "$1" $PY -c "
from scapy.all import IP, TCP, send, conf
conf.verb = 0
send(IP(src='$CLI4', dst='$SRV4') / TCP(sport=40000, dport=8080, flags='$2', seq=$3))"
	sleep 0.5
}

test_rfc1337()
{
	local srv cli end f=$TMPDIR/before

	fresh
	pair srv cli
	"$SG" -n "$srv" service add 8080
	end=$(server_closed_conn "$srv" "$cli")
	check_eq "the server holds the TIME_WAIT" 1 "$(ss_count "$srv" time-wait 8080)"
	stats_save "$srv" "$f"
	crafted "$cli" R "$end"
	check_eq "the RST was dropped" 1 "$(delta "$f" "$srv" tw_rst_dropped)"
	check_eq "TIME_WAIT survived" 1 "$(ss_count "$srv" time-wait 8080)"
	"$SG" -n "$srv" set rfc1337=0
	crafted "$cli" R "$end"
	check_eq "with rfc1337=0 the RST passes" 1 "$(delta "$f" "$srv" tw_rst_dropped)"
	check_eq "and kills the TIME_WAIT socket (tcp_rfc1337=0)" 0 \
		"$(ss_count "$srv" time-wait 8080)"
}

test_rfc6191()
{
	local srv cli end f=$TMPDIR/before

	fresh
	pair srv cli
	"$SG" -n "$srv" service add 8080
	end=$(server_closed_conn "$srv" "$cli")
	stats_save "$srv" "$f"
	crafted "$cli" S $(( (end - 1000) & 0xffffffff ))
	check_eq "an older SYN is dropped" 1 "$(delta "$f" "$srv" tw_syn_dropped)"
	check_eq "the entry stays in time_wait" 1 \
		"$(conns_count "$srv" state time_wait port 40000)"
	crafted "$cli" S $(( (end + 100000) & 0xffffffff ))
	check_eq "a newer SYN reopens the tuple" 1 "$(delta "$f" "$srv" tw_reused)"
	check_eq "no more drops" 1 "$(delta "$f" "$srv" tw_syn_dropped)"
}

test_tw_max()
{
	local srv cli

	fresh
	pair srv cli
	"$SG" -n "$srv" set tw_max=3
	peer_serve "$srv" $SRV4 8080 --count 6 --close server
	peer_client "$cli" $SRV4 8080 --count 6 >/dev/null
	sleep 2
	check_eq "three overflowed" 3 "$(sg_stat "$srv" tw_overflow)"
	check_eq "three kept" 3 "$(sg_stat "$srv" time_wait)"
	check_eq "the server still has all six (its own limit)" 6 \
		"$(ss_count "$srv" time-wait 8080)"
}

# Two servers with the same address on two links from one client: a
# cookie one of them made, validated by the other.
test_shared_secret()
{
	local a b cli mac_a mac_b f=$TMPDIR/before out
	local key=000102030405060708090a0b0c0d0e0f

	fresh
	setup_ns a b cli
	ip link add ea netns "$cli" type veth peer name eth0 netns "$a"
	ip link add eb netns "$cli" type veth peer name eth0 netns "$b"
	for ns in "$a" "$b"; do
		ip -n "$ns" addr add $SRV4/24 dev eth0
		ip -n "$ns" link set eth0 up
		"$SG" -n "$ns" service add 8080 cookies=2
	done
	ip -n "$cli" addr add $CLI4/24 dev ea
	ip -n "$cli" link set ea up
	ip -n "$cli" link set eb up
	mac_a=$(ip -n "$a" -br link show eth0 | awk '{print $3}')
	mac_b=$(ip -n "$b" -br link show eth0 | awk '{print $3}')
	ip netns exec "$b" $PY "$PEER" server $SRV4 8080 --count 10 >/dev/null &

	handshake()
	{
		ip netns exec "$cli" $PY - <<-EOF2
			from scapy.all import Ether, IP, TCP, srp1, sendp, conf
			conf.verb = 0
			syn = IP(src="$CLI4", dst="$SRV4") / TCP(sport=$1, dport=8080,
			                                         flags="S", seq=1000)
			sa = srp1(Ether(dst="$mac_a") / syn, iface="ea", timeout=5)
			ack = IP(src="$CLI4", dst="$SRV4") / TCP(sport=$1, dport=8080,
			       flags="A", seq=1001, ack=sa[TCP].seq + 1)
			sendp(Ether(dst="$mac_b") / ack, iface="eb")
			print("cookie", sa[TCP].seq)
		EOF2
		sleep 1
	}

	stats_save "$b" "$f"
	out=$(handshake 41000)
	log_info "host a answered with $out"
	check_eq "random secrets: b rejects a's cookie" 1 \
		"$(delta "$f" "$b" cookies_invalid)"
	printf '%s\n' $key >"$TMPDIR/secret"
	check_rc "share a secret on a, from a file" 0 \
		"$SG" -n "$a" secret set "$TMPDIR/secret"
	check_rc "and on b, from standard input" 0 \
		sh -c "echo $key | '$SG' -n '$b' secret set -"
	check_eq "b says it shares one" "cookie secret: shared" \
		"$("$SG" -n "$b" secret)"
	handshake 41001 >/dev/null
	check_eq "shared secret: b accepts a's cookie" 1 \
		"$(delta "$f" "$b" cookies_valid)"
	check_rc "back to random secrets" 0 "$SG" -n "$b" secret clear
	check_eq "b says so" "cookie secret: random" "$("$SG" -n "$b" secret)"
	handshake 41002 >/dev/null
	check_eq "and rejects a's cookies again" 2 \
		"$(delta "$f" "$b" cookies_invalid)"
	check_rc "a malformed secret is refused" 1 \
		sh -c "echo 0011 | '$SG' -n '$a' secret set - 2>/dev/null"
	check_eq "b still shares none" "cookie secret: random" \
		"$("$SG" -n "$b" secret)"
}

require_cmd ss
TMPDIR=$(mktemp -d)
defer rm -rf "$TMPDIR"
defer sg_unload
test_run rfc1337 test_rfc1337
test_run rfc6191 test_rfc6191
test_run tw_max test_tw_max
test_run shared_secret test_shared_secret
ksft_summary
