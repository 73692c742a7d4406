#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The cookie proxy behind a stateful firewall: conntrack loaded and the
# rulesets real hosts run (ufw/firewalld shape in the input chain, a
# router's forward chain with a DNAT port forward and a blocklist), every
# connection forced through cookies. Conntrack must see each proxied
# connection established and nothing invalid; blind RSTs, clients with
# and without window scaling, spoofed server SYN-ACKs and mode=off must
# not break proxied connections.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sg.sh"

# The forwarding topology's addresses (routed() has only IPv4).
RCLI6=2001:db8:1::2
RBLK4=198.51.100.3
RBLK6=2001:db8:1::3
RGW4=198.51.100.1
RGW6=2001:db8:1::1
RSRV6=2001:db8:2::2

fresh()
{
	sg_unload
	sg_load
}

# fw_host NS PORT - what ufw or firewalld leave in the input chain.
fw_host()
{
	modprobe nf_conntrack
	ip netns exec "$1" nft -f - <<-EOF2
		table inet fw {
			chain input {
				type filter hook input priority filter; policy drop;
				ct state established,related accept
				ct state invalid counter drop
				iif lo accept
				tcp dport $2 ct state new accept
				meta l4proto ipv6-icmp accept
			}
		}
	EOF2
}

# fw_router NS - the same shape in a router's forward chain, a source on
# its blocklist, and port 9090 of the router forwarded to the server's
# 8080.
fw_router()
{
	modprobe nf_conntrack
	ip netns exec "$1" nft -f - <<-EOF2
		table inet fw {
			chain forward {
				type filter hook forward priority filter; policy drop;
				ct state established,related accept
				ct state invalid counter drop
				ip saddr $RBLK4 drop
				ip6 saddr $RBLK6 drop
				tcp dport 8080 ct state new accept
				meta l4proto ipv6-icmp accept
			}
			chain pre {
				type nat hook prerouting priority dstnat;
				ip daddr $RGW4 tcp dport 9090 dnat ip to $RSRV4:8080
				ip6 daddr $RGW6 tcp dport 9090 dnat ip6 to [$RSRV6]:8080
			}
		}
	EOF2
}

# fwd_topo CLI ROUTER SRV - routed() with IPv6 too, and a second client
# address (the blocklisted one).
fwd_topo()
{
	routed "$1" "$2" "$3"
	local c=${!1} r=${!2} s=${!3}

	ip -n "$c" addr add $RBLK4/24 dev v0
	ip -n "$c" addr add $RCLI6/64 dev v0 nodad
	# Deprecated, so that it is the source only when asked for: IPv6 has
	# no primary address to prefer.
	ip -n "$c" addr add $RBLK6/64 dev v0 nodad preferred_lft 0
	ip -n "$r" addr add $RGW6/64 dev v0 nodad
	ip -n "$r" addr add 2001:db8:2::1/64 dev v1 nodad
	ip -n "$s" addr add $RSRV6/64 dev v1 nodad
	ip -n "$c" -6 route add default via $RGW6
	ip -n "$s" -6 route add default via 2001:db8:2::1
	ip netns exec "$r" sysctl -qw net.ipv6.conf.all.forwarding=1
}

# ct_log_invalid NS - have conntrack log what it finds invalid in NS
# (outside the initial namespace nf_log stays silent unless
# nf_log_all_netns is set, and it needs a logger).
ct_log_invalid()
{
	modprobe nf_log_syslog 2>/dev/null
	sysctl -qw net.netfilter.nf_log_all_netns=1
	defer sysctl -qw net.netfilter.nf_log_all_netns=0
	ip netns exec "$1" sysctl -qw net.netfilter.nf_conntrack_log_invalid=255
}

# ct_invalid_log - what conntrack logged as invalid, to explain a failure.
ct_invalid_log()
{
	dmesg | grep -E 'nf_ct_proto|nf_ct_tcp' | tail -8 | sed 's/^/# /'
}

# ct_invalid NS - conntrack's invalid counter, all CPUs.
ct_invalid()
{
	ip netns exec "$1" conntrack -S 2>/dev/null |
		sed -n 's/.* invalid=\([0-9]*\).*/\1/p' |
		awk '{ n += $1 } END { print n + 0 }'
}

# ct_list NS PORT - conntrack's TCP entries to PORT, both families.
ct_list()
{
	local f

	for f in ipv4 ipv6; do
		ip netns exec "$1" conntrack -L -f $f -p tcp --dport "$2" 2>/dev/null
	done
}

# ct_est NS PORT - entries to PORT that are ESTABLISHED and ASSURED.
ct_est()
{
	ct_list "$1" "$2" | grep ' ESTABLISHED ' | grep -c 'ASSURED'
}

# The peers: an echo server for any number of connections, each until
# EOF, and a client that opens COUNT connections (from SRC, port SPORT,
# if given), checks a round trip on each byte for byte, goes on for
# SECONDS, or until the file HOLD exists, then one more round trip and
# a clean close. It prints "up N" once all are open, "ok N/COUNT" last.
write_peer()
{
	rm -f "$TMPDIR"/go "$TMPDIR"/*.out
	cat >"$TMPDIR"/peer.py <<-'EOF2'
		import argparse, os, socket, sys, threading, time

		def fam(a):
		    return socket.AF_INET6 if ":" in a else socket.AF_INET

		def recv_exact(s, n):
		    buf = bytearray()
		    while len(buf) < n:
		        b = s.recv(min(65536, n - len(buf)))
		        if not b:
		            break
		        buf += b
		    return bytes(buf)

		def echo(c):
		    try:
		        while True:
		            b = c.recv(65536)
		            if not b:
		                break
		            c.sendall(b)
		    except OSError:
		        pass
		    c.close()

		def server(a):
		    ls = socket.socket(fam(a.addr))
		    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
		    ls.bind((a.addr, a.port))
		    ls.listen(128)
		    while True:
		        c, _ = ls.accept()
		        threading.Thread(target=echo, args=(c,), daemon=True).start()

		def rt(s, n):
		    data = os.urandom(n)
		    s.sendall(data)
		    return recv_exact(s, n) == data

		def client(a):
		    conns, good = [], 0
		    for i in range(a.count):
		        try:
		            s = socket.socket(fam(a.addr))
		            if a.src or a.sport:
		                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
		                s.bind((a.src or "", a.sport + i if a.sport else 0))
		            s.settimeout(a.timeout)
		            s.connect((a.addr, a.port))
		            conns.append([s, rt(s, a.chunk)])
		        except OSError as e:
		            print("error:", e, file=sys.stderr, flush=True)
		    print("up", sum(1 for c in conns if c[1]), flush=True)
		    end = time.time() + a.seconds
		    total = 0
		    while conns and a.seconds and time.time() < end:
		        for c in conns:
		            try:
		                c[1] = c[1] and rt(c[0], a.chunk)
		                total += a.chunk
		                time.sleep(a.pause)
		            except OSError as e:
		                print("error:", e, file=sys.stderr, flush=True)
		                c[1] = False
		    while a.hold and not os.path.exists(a.hold):
		        time.sleep(0.1)
		    for s, ok in conns:
		        try:
		            ok = ok and rt(s, a.chunk)
		            s.shutdown(socket.SHUT_WR)
		            ok = ok and s.recv(1) == b""
		            s.close()
		        except OSError as e:
		            print("error:", e, file=sys.stderr, flush=True)
		            ok = False
		        good += ok
		    print("ok %d/%d bytes %d" % (good, a.count, total), flush=True)

		p = argparse.ArgumentParser()
		p.add_argument("role")
		p.add_argument("addr")
		p.add_argument("port", type=int)
		p.add_argument("--count", type=int, default=1)
		p.add_argument("--chunk", type=int, default=20000)
		p.add_argument("--seconds", type=float, default=0)
		p.add_argument("--pause", type=float, default=0)
		p.add_argument("--hold")
		p.add_argument("--src")
		p.add_argument("--sport", type=int, default=0)
		p.add_argument("--timeout", type=float, default=20)
		a = p.parse_args()
		server(a) if a.role == "server" else client(a)
	EOF2
}

# echo_serve NS ADDR PORT - the echo server, in the background.
echo_serve()
{
	ip netns exec "$1" $PY "$TMPDIR"/peer.py server "$2" "$3" >/dev/null 2>&1 &
	wait_local_port_listen "$1" "$3" tcp
}

# client_bg NS OUT ADDR PORT ARGS... - the client in the background,
# its output in OUT.
client_bg()
{
	local ns=$1 out=$2

	shift 2
	# Emptied here, not by the background job: wait_line must not read
	# what an earlier test left.
	: >"$out"
	ip netns exec "$ns" $PY "$TMPDIR"/peer.py client "$@" >>"$out" 2>&1 &
}

# wait_line FILE REGEX [SECONDS] - wait for a line of FILE to match.
wait_line()
{
	local i

	for ((i = 0; i < ${3:-60} * 10; i++)); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# Each proxied connection ESTABLISHED and ASSURED in conntrack while
# open, nothing invalid, and byte-exact round trips before and after.
host_firewall()
{
	local sa=$1 ca=$2 srv cli inv out=$TMPDIR/cli.out

	fresh
	pair srv cli
	write_peer
	fw_host "$srv" 8080
	ct_log_invalid "$srv"
	"$SG" -n "$srv" service add 8080 cookies=2
	inv=$(ct_invalid "$srv")
	echo_serve "$srv" "$sa" 8080
	client_bg "$cli" "$out" "$sa" 8080 --count 4 --chunk 200000 \
		--hold "$TMPDIR"/go
	wait_line "$out" '^(up|ok)'
	check_eq "4 proxied connections up, a round trip each" "up 4" \
		"$(grep '^up' "$out")"
	check_eq "all through cookies" 4 "$(sg_stat "$srv" cookies_valid)"
	check_eq "conntrack: 4 ESTABLISHED [ASSURED]" 4 "$(ct_est "$srv" 8080)"
	check_eq "the server's sockets are established" 4 \
		"$(ss_count "$srv" established 8080)"
	touch "$TMPDIR"/go
	wait_line "$out" '^ok'
	check_eq "a second round trip and a clean close" "ok 4/4" \
		"$(grep -o '^ok [0-9/]*' "$out")"
	check_eq "conntrack's invalid count unchanged" "$inv" \
		"$(ct_invalid "$srv")" || ct_invalid_log
	ct_list "$srv" 8080 | sed 's/^/# /'
}

test_host_v4()
{
	host_firewall $SRV4 $CLI4
}

test_host_v6()
{
	host_firewall $SRV6 $CLI6
}

# synguard on a router with a stateful forward chain: a forwarded
# service and a DNAT port forward work through cookies, conntrack sees
# them established, and a blocklisted source gets no connection at the
# server.
router_firewall()
{
	local fam=$1 c r s inv out=$TMPDIR/cli.out out2=$TMPDIR/cli2.out
	local out3=$TMPDIR/blk.out sa gw blk

	if [ "$fam" = 4 ]; then
		sa=$RSRV4 gw=$RGW4 blk=$RBLK4
	else
		sa=$RSRV6 gw=$RGW6 blk=$RBLK6
	fi
	fresh
	fwd_topo c r s
	write_peer
	fw_router "$r"
	ct_log_invalid "$r"
	echo_serve "$s" :: 8080
	# The topology and the ruleset first, without synguard.
	check_eq "without synguard: a connection through the router" \
		"ok 1/1" "$(ip netns exec "$c" $PY "$TMPDIR"/peer.py client \
			"$sa" 8080 --timeout 10 2>&1 | grep -o '^ok [0-9/]*')"
	"$SG" -n "$r" service add 8080 cookies=2
	"$SG" -n "$r" service add 9090 cookies=2
	inv=$(ct_invalid "$r")
	client_bg "$c" "$out" "$sa" 8080 --count 3 --chunk 100000 \
		--hold "$TMPDIR"/go
	client_bg "$c" "$out2" "$gw" 9090 --count 3 --chunk 100000 \
		--hold "$TMPDIR"/go
	client_bg "$c" "$out3" "$sa" 8080 --count 1 --src "$blk" \
		--timeout 5
	wait_line "$out" '^(up|ok)'
	wait_line "$out2" '^(up|ok)'
	wait_line "$out3" '^ok'
	check_eq "forwarded: 3 proxied connections up" "up 3" \
		"$(grep '^up' "$out")"
	check_eq "port forward: 3 proxied connections up" "up 3" \
		"$(grep '^up' "$out2")"
	# The blocklisted client proves its address too: it gets a cookie
	# answer from the router, but its SYN must not reach the server.
	check_eq "router: all 7 through cookies" 7 \
		"$(sg_stat "$r" cookies_valid)"
	check_eq "router's conntrack: 6 ESTABLISHED [ASSURED]" 6 \
		"$(($(ct_est "$r" 8080) + $(ct_est "$r" 9090)))"
	check_eq "the blocklisted source did not connect" "ok 0/1" \
		"$(grep -o '^ok [0-9/]*' "$out3")"
	check_eq "the server has no socket from the blocklisted source" 0 \
		"$(ip netns exec "$s" ss -Htna | awk '{ print $5 }' |
			grep -c -F -e "$blk:" -e "[$blk]:")"
	touch "$TMPDIR"/go
	wait_line "$out" '^ok'
	wait_line "$out2" '^ok'
	check_eq "forwarded: second round trips, clean close" "ok 3/3" \
		"$(grep -o '^ok [0-9/]*' "$out")"
	check_eq "port forward: second round trips, clean close" "ok 3/3" \
		"$(grep -o '^ok [0-9/]*' "$out2")"
	# Until synguard's ACKs after the server's SYN-ACK took their ports
	# from the key, a port-forwarded connection's went out with the
	# server's port and the client's address: the router answered one
	# itself, the client reset the other, 3 INVALID per family.
	check_eq "router's conntrack invalid count unchanged" "$inv" \
		"$(ct_invalid "$r")" || ct_invalid_log
}

test_router_v4()
{
	router_firewall 4
}

test_router_v6()
{
	router_firewall 6
}

# Blind RSTs from the client's address and port, their sequence numbers
# spread over two windows around the client's (sniffed afresh for every
# dozen), against a proxied connection that goes on for 25 s: Linux answers each with a challenge
# ACK (RFC 5961) and the transfer must complete.
blind_rst()
{
	local sa=$1 ca=$2 fw=$3 srv cli out=$TMPDIR/cli.out ip=IP

	[[ $sa == *:* ]] && ip=IPv6
	fresh
	pair srv cli
	write_peer
	[ "$fw" = 1 ] && fw_host "$srv" 8080
	"$SG" -n "$srv" service add 8080 cookies=2
	echo_serve "$srv" "$sa" 8080
	# The client's sequence number, read from its own segments on the
	# way out (a packet socket sees outgoing packets), a dozen RSTs
	# around it, twenty times over. Scapy takes long to start under
	# emulation: it is ready before the transfer starts.
	rm -f "$TMPDIR"/rst.ready "$TMPDIR"/rst.out
	ip netns exec "$cli" $PY - >"$TMPDIR"/rst.out 2>&1 <<-EOF2 &
		import socket, struct
		from scapy.all import IP, IPv6, TCP, conf
		conf.verb = 0
		sock = conf.L3socket6() if "$ip" == "IPv6" else conf.L3socket()
		ps = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
		                   socket.htons(3))
		ps.bind(("veth0", 0))
		ps.settimeout(60)
		open("$TMPDIR/rst.ready", "w").close()

		def client_seq():
		    while True:
		        f = ps.recv(200)
		        et = struct.unpack("!H", f[12:14])[0]
		        if et == 0x0800 and f[23] == 6:
		            th = 14 + (f[14] & 15) * 4
		        elif et == 0x86dd and f[20] == 6:
		            th = 54
		        else:
		            continue
		        sp, dp, seq = struct.unpack("!HHI", f[th:th + 8])
		        if sp == 40001 and dp == 8080:
		            return seq

		offs = (-40009, -15017, -997, 7, 997, 3001, 7013, 15017, 30011,
		        60013, 90019, 120011)
		n = 0
		for _ in range(20):
		    try:
		        seq = client_seq()
		    except OSError:
		        break
		    for off in offs:
		        sock.send($ip(src="$ca", dst="$sa") /
		                  TCP(sport=40001, dport=8080, flags="R",
		                      seq=(seq + off) % 2**32))
		        n += 1
		print("# %d RSTs sent" % n, flush=True)
	EOF2
	local rst=$!
	local i
	for ((i = 0; i < 1200; i++)); do
		[ -e "$TMPDIR"/rst.ready ] && break
		sleep 0.1
	done
	client_bg "$cli" "$out" "$sa" 8080 --sport 40001 --chunk 5000 \
		--seconds 30 --pause 0.05 --timeout 10
	wait $rst
	cat "$TMPDIR"/rst.out
	check_eq "the RSTs went out" 1 "$([ "$(sg_stat "$srv" rst_seen)" -ge 200 ] && echo 1)"
	wait_line "$out" '^ok' 90
	check_eq "the transfer went through the proxy" 1 \
		"$(sg_stat "$srv" cookies_valid)"
	check_eq "the 25 s transfer completed byte for byte" "ok 1/1" \
		"$(grep -o '^ok [0-9/]*' "$out")"
	grep -E '^(ok|error)' "$out" | sed 's/^/# /'
}

test_blind_rst_v4()
{
	blind_rst $SRV4 $CLI4 0
}

test_blind_rst_v6()
{
	blind_rst $SRV6 $CLI6 0
}

test_blind_rst_firewall_v4()
{
	blind_rst $SRV4 $CLI4 1
}

# timed_transfer NS ADDR COUNT BYTES - seconds COUNT transfers of BYTES
# each way take; "fail" unless all are byte-exact.
timed_transfer()
{
	local t0 t1 out

	t0=$(date +%s.%N)
	out=$(peer_client "$1" "$2" 8080 --count "$3" --bytes "$4" \
		--timeout 30 --keep-going)
	t1=$(date +%s.%N)
	[ "$out" = "ok $3/$3" ] || { echo fail; return; }
	echo "$t1 - $t0" | bc
}

# A client without window scaling, then clients with it: all complete,
# at least half as fast as the same transfer without synguard, and the
# first client after it, like every other, scales its windows at both
# ends or at neither.
wscale_mix()
{
	local sa=$1 fw=$2 srv cli base t1 t2 copts sopts

	fresh
	pair srv cli
	[ "$fw" = 1 ] && fw_host "$srv" 8080
	ip netns exec "$srv" $PY "$PEER" server "$sa" 8080 --count 100 \
		--options >"$TMPDIR"/srvopts &
	wait_local_port_listen "$srv" 8080 tcp
	base=$(timed_transfer "$cli" "$sa" 2 4000000)
	log_info "without synguard: $base s"
	"$SG" -n "$srv" service add 8080 cookies=2
	ip netns exec "$cli" sysctl -qw net.ipv4.tcp_window_scaling=0
	t1=$(timed_transfer "$cli" "$sa" 1 2000000)
	log_info "client without window scaling: $t1 s"
	ip netns exec "$cli" sysctl -qw net.ipv4.tcp_window_scaling=1
	# What the kernel negotiated at both ends of the next connection: a
	# window scale on both or on neither, or one side misreads the
	# other's windows.
	copts=$(peer_client "$cli" "$sa" 8080 --count 1 --bytes 1000 \
		--options | grep '^client options')
	sleep 0.5
	sopts=$(grep '^server options' "$TMPDIR"/srvopts | tail -n 1)
	log_info "$copts; $sopts"
	check_eq "client and server agree on window scaling" \
		"$([[ $copts == *wscale* ]] && echo yes)" \
		"$([[ $sopts == *wscale* ]] && echo yes)"
	check_eq "and both scale" yes "$([[ $copts == *wscale* ]] && echo yes)"
	t2=$(timed_transfer "$cli" "$sa" 2 4000000)
	log_info "clients with window scaling after it: $t2 s"
	check_eq "all went through the proxy" 4 \
		"$(sg_stat "$srv" cookies_valid)"
	check_eq "the client without window scaling completed" 1 \
		"$([ "$t1" != fail ] && echo 1)"
	check_eq "the clients with it completed" 1 \
		"$([ "$t2" != fail ] && echo 1)"
	[ "$base" != fail ] && [ "$t2" != fail ] &&
		check_eq "and at least half as fast as without synguard" 1 \
			"$(echo "$base / $t2 >= 0.5" | bc -l)"
}

test_wscale_mix_v4()
{
	wscale_mix $SRV4 0
}

test_wscale_mix_v6()
{
	wscale_mix $SRV6 0
}

test_wscale_mix_firewall_v4()
{
	wscale_mix $SRV4 1
}

# Policy routing by mark: the server reaches the client's network
# 198.51.100.0/24 only through table 100, which fwmark 1 selects; an nft
# rule ahead of synguard's hook marks what comes from that network, and
# tcp_fwmark_accept has the server's sockets keep the mark. synguard's
# SYN-ACKs and ACKs must be routed with the mark of the segment they
# answer, or they find no route (xmit_failed) and no client connects.
test_mark_route()
{
	local srv cli out

	fresh
	pair srv cli
	ip -n "$cli" addr add 198.51.100.2/32 dev veth0
	ip -n "$cli" route add $SRV4/32 dev veth0 src 198.51.100.2
	ip -n "$srv" route add 198.51.100.0/24 via $CLI4 table 100
	ip -n "$srv" rule add fwmark 1 table 100
	ip netns exec "$srv" sysctl -qw net.ipv4.tcp_fwmark_accept=1
	ip netns exec "$srv" nft -f - <<-EOF2
		table inet cmark {
			chain cpre {
				type filter hook prerouting priority -400;
				ip saddr 198.51.100.0/24 meta mark set 1
			}
		}
	EOF2
	"$SG" -n "$srv" service add 8080 cookies=2
	peer_serve "$srv" $SRV4 8080 --count 100
	out=$(peer_client "$cli" $SRV4 8080 --count 4 --bytes 100000 \
		--timeout 5 --keep-going)
	log_info "xmit_failed $(sg_stat "$srv" xmit_failed)"
	check_eq "clients routed by mark all served" "ok 4/4" "$out"
	check_eq "each through a cookie" 4 "$(sg_stat "$srv" cookies_valid)"
	check_eq "nothing unroutable" 0 "$(sg_stat "$srv" xmit_failed)"
}

# A VRF: the server's link is enslaved to vrf-blue, so the route to the
# client is in the VRF's table alone (tcp_l3mdev_accept lets the server's
# unbound socket take its connections). synguard's SYN-ACKs and ACKs
# must be routed in the VRF of the device the client's segment came in
# on, or they find no route and no client connects.
test_vrf_route()
{
	local srv cli out

	fresh
	pair srv cli
	if ! ip -n "$srv" link add vrf-blue type vrf table 10 2>/dev/null; then
		log_info "no VRF support in this kernel"
		return $KSFT_SKIP
	fi
	ip -n "$srv" link set vrf-blue up
	ip -n "$srv" link set veth0 master vrf-blue
	ip netns exec "$srv" sysctl -qw net.ipv4.tcp_l3mdev_accept=1
	"$SG" -n "$srv" service add 8080 cookies=2
	peer_serve "$srv" 0.0.0.0 8080 --count 100
	out=$(peer_client "$cli" $SRV4 8080 --count 4 --bytes 100000 \
		--timeout 5 --keep-going)
	log_info "xmit_failed $(sg_stat "$srv" xmit_failed)"
	check_eq "clients behind a VRF all served" "ok 4/4" "$out"
	check_eq "each through a cookie" 4 "$(sg_stat "$srv" cookies_valid)"
	check_eq "nothing unroutable" 0 "$(sg_stat "$srv" xmit_failed)"
}

# ESP with AES-CBC and HMAC-SHA256, the same keys for every SA: the
# tests are about which packets xfrm sees, not about secrecy.
XFRM_ALG=(enc 'cbc(aes)' 0x000102030405060708090a0b0c0d0e0f
	  auth 'hmac(sha256)' 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f)

# xfrm_sas SPI MODE A B NS... - the ESP SAs from A to B (SPI) and back
# (SPI + 1), in each NS.
xfrm_sas()
{
	local spi=$1 mode=$2 a=$3 b=$4 ns

	shift 4
	for ns in "$@"; do
		ip -n "$ns" xfrm state add src "$a" dst "$b" proto esp \
			spi $spi mode "$mode" "${XFRM_ALG[@]}" || return 1
		ip -n "$ns" xfrm state add src "$b" dst "$a" proto esp \
			spi $((spi + 1)) mode "$mode" "${XFRM_ALG[@]}" || return 1
	done
}

# xfrm_packets NS SRC DST SPI - packets that went through that SA in NS.
xfrm_packets()
{
	ip -n "$1" -s xfrm state get src "$2" dst "$3" proto esp spi "$4" |
		sed -n 's/.*(bytes), *\([0-9]*\)(packets).*/\1/p'
}

# xfrm_errors NS - what xfrm refused in NS (the sum of /proc/net/xfrm_stat:
# a segment without the SA its policy requires counts in
# XfrmInTmplMismatch), or "none" if the kernel keeps no such statistics.
xfrm_errors()
{
	ip netns exec "$1" cat /proc/net/xfrm_stat 2>/dev/null |
		awk '{ n += $2; seen = 1 } END { print seen ? n : "none" }'
}

# xfrm_error_list NS - the counters of /proc/net/xfrm_stat that are not 0,
# to say what a failure was.
xfrm_error_list()
{
	ip netns exec "$1" awk '$2 != 0 { printf "%s %s ", $1, $2 }' \
		/proc/net/xfrm_stat 2>/dev/null
}

# xfrm_port NS MODE TO FROM A NA B NB - NS's policies for port 8080
# between the networks NA (the client's side) and NB: what goes to the
# port takes direction TO and the SA from A to B, what comes back from it
# direction FROM and the SA from B to A; required, as every template.
xfrm_port()
{
	local ns=$1 mode=$2 to=$3 from=$4 a=$5 na=$6 b=$7 nb=$8

	ip -n "$ns" xfrm policy add src "$na" dst "$nb" proto tcp dport 8080 \
		dir "$to" tmpl src "$a" dst "$b" proto esp mode "$mode"
	ip -n "$ns" xfrm policy add src "$nb" dst "$na" proto tcp sport 8080 \
		dir "$from" tmpl src "$b" dst "$a" proto esp mode "$mode"
}

# esp_host SRV SA CLI CA LEN - IPsec transport mode between the client
# CA and the server SA for port 8080 only, as a policy that protects one
# service is written, required in both directions at both ends: a segment
# to or from port 8080 that xfrm did not carry is dropped.
esp_host()
{
	local srv=$1 sa=$2 cli=$3 ca=$4 len=$5

	xfrm_sas 0x100 transport "$ca" "$sa" "$cli" "$srv" || return 1
	xfrm_port "$cli" transport out in "$ca" "$ca/$len" "$sa" "$sa/$len"
	xfrm_port "$srv" transport in out "$ca" "$ca/$len" "$sa" "$sa/$len"
}

# A server that takes port 8080 over IPsec only: synguard's SYN-ACKs and
# ACKs to the client must go through the client's SA, and the SYN and
# ACK it hands the server in the client's name must carry what the
# client's own segments carried (the server's input policy checks it),
# or no client connects.
test_xfrm_host()
{
	local srv cli out

	fresh
	pair srv cli
	if ! esp_host "$srv" $SRV4 "$cli" $CLI4 32 2>"$TMPDIR"/xfrm.err; then
		log_info "no ESP in this kernel: $(head -n 1 "$TMPDIR"/xfrm.err)"
		return $KSFT_SKIP
	fi
	esp_host "$srv" $SRV6 "$cli" $CLI6 128
	"$SG" -n "$srv" service add 8080 cookies=2
	peer_serve "$srv" :: 8080 --count 100
	out=$(peer_client "$cli" $SRV4 8080 --count 4 --bytes 100000 \
		--timeout 5 --keep-going)
	check_eq "IPv4 clients over IPsec all served" "ok 4/4" "$out"
	out=$(peer_client "$cli" $SRV6 8080 --count 4 --bytes 100000 \
		--timeout 5 --keep-going)
	check_eq "IPv6 clients over IPsec all served" "ok 4/4" "$out"
	log_info "xmit_failed $(sg_stat "$srv" xmit_failed)," \
		"SA packets to the client $(xfrm_packets "$srv" $SRV4 $CLI4 0x101)" \
		"and $(xfrm_packets "$srv" $SRV6 $CLI6 0x101)"
	check_eq "each through a cookie" 8 "$(sg_stat "$srv" cookies_valid)"
	# The client's data would complete a handshake whose ACK the
	# policy dropped: the server's own statistics say whether one was.
	log_info "server's xfrm errors: $(xfrm_error_list "$srv")"
	check_eq "nothing refused by the server's policy" 0 \
		"$(xfrm_errors "$srv" | sed 's/none/0/')"
	check_eq "nothing unroutable" 0 "$(sg_stat "$srv" xmit_failed)"
	check_eq "the IPv4 server's answers went through ESP" yes \
		"$([ "$(xfrm_packets "$srv" $SRV4 $CLI4 0x101)" -ge 16 ] && echo yes)"
	check_eq "the IPv6 server's answers went through ESP" yes \
		"$([ "$(xfrm_packets "$srv" $SRV6 $CLI6 0x101)" -ge 16 ] && echo yes)"
}

# A VPN gateway: the client reaches the server's subnet through an ESP
# tunnel to the router, whose forward policy requires it for port 8080.
# synguard on the router answers the client's SYNs into the tunnel, and
# the SYN and ACK it forwards to the server in the client's name must
# pass the forward policy as the client's own segments do.
test_xfrm_gateway()
{
	local cli rtr srv out

	fresh
	routed cli rtr srv
	if ! xfrm_sas 0x200 tunnel $RCLI4 198.51.100.1 "$cli" "$rtr" \
	     2>"$TMPDIR"/xfrm.err; then
		log_info "no ESP in this kernel: $(head -n 1 "$TMPDIR"/xfrm.err)"
		return $KSFT_SKIP
	fi
	xfrm_port "$cli" tunnel out in $RCLI4 $RCLI4/32 198.51.100.1 \
		203.0.113.0/24
	xfrm_port "$rtr" tunnel fwd out $RCLI4 $RCLI4/32 198.51.100.1 \
		203.0.113.0/24
	"$SG" -n "$rtr" service add 8080 cookies=2
	peer_serve "$srv" $RSRV4 8080 --count 100
	out=$(peer_client "$cli" $RSRV4 8080 --count 4 --bytes 100000 \
		--timeout 5 --keep-going)
	log_info "xmit_failed $(sg_stat "$rtr" xmit_failed)," \
		"tunnel packets to the client $(xfrm_packets "$rtr" 198.51.100.1 $RCLI4 0x201)"
	check_eq "clients through the tunnel all served" "ok 4/4" "$out"
	check_eq "each through a cookie" 4 "$(sg_stat "$rtr" cookies_valid)"
	log_info "router's xfrm errors: $(xfrm_error_list "$rtr")"
	check_eq "nothing refused by the router's forward policy" 0 \
		"$(xfrm_errors "$rtr" | sed 's/none/0/')"
	check_eq "nothing unroutable" 0 "$(sg_stat "$rtr" xmit_failed)"
	check_eq "the answers went into the tunnel" yes \
		"$([ "$(xfrm_packets "$rtr" 198.51.100.1 $RCLI4 0x201)" -ge 16 ] && echo yes)"
}

# pmtu WHERE SA - a link of MTU 1400 between the router and the client,
# whose own link takes 1500: the client's MSS lets the server send more
# than that link carries, and the router's "fragmentation needed" (IPv6:
# "packet too big") must teach the server the path's MTU. synguard runs
# on the router (WHERE rtr) or on the server (srv); the service announces
# a small MSS so that the client's own segments fit. The error quotes the
# server's segment as the client sees it, in the cookie's sequence space:
# unless synguard puts it back in the server's, the server ignores the
# error as out of window and the transfer stalls.
pmtu()
{
	local where=$1 sa=$2 cli rtr srv ns out

	fresh
	fwd_topo cli rtr srv
	ip -n "$rtr" link set v0 mtu 1400
	ns=$rtr
	[ "$where" = srv ] && ns=$srv
	"$SG" -n "$ns" service add 8080 cookies=2 mss=1300
	peer_serve "$srv" :: 8080 --count 100
	out=$(peer_client "$cli" "$sa" 8080 --count 2 --bytes 300000 \
		--timeout 10 --keep-going)
	log_info "out of window ICMP at the server:" \
		"$(ip netns exec "$srv" nstat -asz TcpExtOutOfWindowIcmps |
		   awk '$1 == "TcpExtOutOfWindowIcmps" { print $2 }');" \
		"icmp_translated $(sg_stat "$ns" icmp_translated)"
	check_eq "transfers past the smaller link complete" "ok 2/2" "$out"
	check_eq "each through a cookie" 2 "$(sg_stat "$ns" cookies_valid)"
	check_eq "the server heeded every error" 0 \
		"$(ip netns exec "$srv" nstat -asz TcpExtOutOfWindowIcmps |
		   awk '$1 == "TcpExtOutOfWindowIcmps" { print $2 }')"
}

test_pmtu_router_v4()
{
	pmtu rtr $RSRV4
}

test_pmtu_router_v6()
{
	pmtu rtr $RSRV6
}

test_pmtu_host_v4()
{
	pmtu srv $RSRV4
}

test_pmtu_host_v6()
{
	pmtu srv $RSRV6
}

# options_told SACK TS - a server whose own stack does SACK if SACK is 1
# and timestamps if TS is 1, declared so with the service's sack= and
# timestamps=: a client through cookies ends with the options the server
# ends with (TCP_INFO at both ends), and the transfer completes. Sets
# COPTS to the client's options.
options_told()
{
	local srv cli copts sopts out

	fresh
	pair srv cli
	ip netns exec "$srv" sysctl -qw net.ipv4.tcp_sack="$1" \
		net.ipv4.tcp_timestamps="$2"
	ip netns exec "$srv" $PY "$PEER" server $SRV4 8080 --count 100 \
		--options >"$TMPDIR"/srvopts &
	wait_local_port_listen "$srv" 8080 tcp
	"$SG" -n "$srv" service add 8080 cookies=2 sack="$1" timestamps="$2"
	out=$(peer_client "$cli" $SRV4 8080 --count 1 --bytes 200000 --options)
	copts=$(grep '^client options' <<<"$out")
	check_eq "the transfer completes" "ok 1/1" "$(grep '^ok' <<<"$out")"
	sleep 0.5
	sopts=$(grep '^server options' "$TMPDIR"/srvopts | tail -n 1)
	log_info "$copts; $sopts"
	check_eq "proxied" 1 "$(sg_stat "$srv" cookies_valid)"
	# wscale:SND,RCV at one end is wscale:RCV,SND at the other.
	check_eq "the client was told what the server does" \
		"$(sed 's/^server options: //; s/wscale:.*/wscale/' <<<"$sopts")" \
		"$(sed 's/^client options: //; s/wscale:.*/wscale/' <<<"$copts")"
	COPTS=$(sed 's/^client options: //; s/wscale:.*/wscale/' <<<"$copts")
}

test_options_server_without()
{
	options_told 0 0
	check_eq "neither SACK nor timestamps offered" wscale "$COPTS"
}

test_options_server_with()
{
	options_told 1 1
	check_eq "both offered" "ts sack wscale" "$COPTS"
}

# cookie_synack NS SADDR CADDR SPORT - the MSS and window scale of the
# cookie SYN-ACK a client offering both gets, as "mss=N wscale=N".
cookie_synack()
{
	local ip=IP

	[[ $2 == *:* ]] && ip=IPv6
	ip netns exec "$1" $PY - <<-EOF2
		from scapy.all import IP, IPv6, TCP, sr1, conf
		conf.verb = 0
		r = sr1($ip(src="$3", dst="$2") /
		        TCP(sport=$4, dport=8080, flags="S", seq=1000,
		            options=[("MSS", 1460), ("SAckOK", b""),
		                     ("WScale", 7)]), timeout=5)
		o = dict(r[TCP].options) if r else {}
		print("mss=%s wscale=%s" % (o.get("MSS"), o.get("WScale")))
	EOF2
}

# A client that lets its cookie open a connection, while the server's
# SYN-ACK is held back, then sends a SYN-ACK of its own "from the
# server" (MSS 536, no window scale): what later clients are told must
# not change.
spoof_synack()
{
	local sa=$1 ca=$2 srv cli before after ip=IP mac

	[[ $sa == *:* ]] && ip=IPv6
	fresh
	pair srv cli
	"$SG" -n "$srv" service add 8080 cookies=2
	peer_serve "$srv" "$sa" 8080 --count 100
	# One real connection, so that whatever is learned is learned.
	check_eq "a real proxied connection" "ok 1/1" \
		"$(peer_client "$cli" "$sa" 8080 --count 1 --bytes 1000)"
	before=$(cookie_synack "$cli" "$sa" "$ca" 40010)
	# The server's answers to port 40002 are lost on the way out (the
	# attacker's own connection; the rule runs before synguard's hook),
	# not synguard's, whose window is 65535: no Linux SYN-ACK's is.
	ip netns exec "$srv" nft -f - <<-EOF2
		table inet hold {
			chain out {
				type filter hook output priority -400;
				tcp dport 40002 tcp window != 65535 drop
			}
		}
	EOF2
	ip netns exec "$cli" nft -f - <<-EOF2
		table inet norst {
			chain out {
				type filter hook output priority 0;
				tcp sport { 40002, 40010, 40011 } tcp flags rst drop
			}
		}
	EOF2
	mac=$(ip -n "$srv" -br link show veth0 | awk '{print $3}')
	# The spoofed SYN-ACK goes out on the link to the server, addressed
	# to its MAC: it arrives there as if the server's stack had routed it.
	ip netns exec "$cli" $PY - <<-EOF2
		from scapy.all import Ether, IP, IPv6, TCP, sr1, send, sendp, conf
		import time
		conf.verb = 0
		syn = $ip(src="$ca", dst="$sa") / TCP(sport=40002, dport=8080,
		        flags="S", seq=5000, options=[("MSS", 1460), ("WScale", 7)])
		sa = sr1(syn, timeout=5)
		send($ip(src="$ca", dst="$sa") / TCP(sport=40002, dport=8080,
		     flags="A", seq=5001, ack=sa[TCP].seq + 1))
		time.sleep(0.5)
		sendp(Ether(dst="$mac") / $ip(src="$sa", dst="$ca") /
		      TCP(sport=8080, dport=40002, flags="SA", seq=777, ack=5001,
		          options=[("MSS", 536)]), iface="veth0")
	EOF2
	sleep 1
	ip netns exec "$srv" nft delete table inet hold
	after=$(cookie_synack "$cli" "$sa" "$ca" 40011)
	log_info "cookie SYN-ACK before: $before, after: $after"
	check_eq "a cookie SYN-ACK was captured" 1 \
		"$([[ $before == mss=[0-9]* ]] && echo 1)"
	check_eq "the spoofed SYN-ACK changed nothing later clients are told" \
		"$before" "$after"
}

test_spoof_synack_v4()
{
	spoof_synack $SRV4 $CLI4
}

test_spoof_synack_v6()
{
	spoof_synack $SRV6 $CLI6
}

# The cookie proxy's SYN phase, the server's SYN-ACKs held back: a
# client that keeps sending early segments makes synguard send its SYN
# again a few times, not once per segment, and the client's RST at the
# next sequence number ends the attempt (the entry closes) rather than
# sending yet another SYN.
test_syn_phase()
{
	local srv cli n

	fresh
	pair srv cli
	"$SG" -n "$srv" service add 8080 cookies=2
	peer_serve "$srv" $SRV4 8080 --count 10
	ip netns exec "$srv" nft -f - <<-EOF2
		table inet hold {
			chain out {
				type filter hook output priority -400;
				tcp dport 40003 tcp window != 65535 drop
			}
			chain in {
				type filter hook input priority 0;
				tcp sport 40003 tcp flags syn counter comment "syn"
			}
		}
	EOF2
	ip netns exec "$cli" nft -f - <<-EOF2
		table inet norst {
			chain out {
				type filter hook output priority 0;
				tcp sport 40003 tcp flags rst drop
			}
		}
	EOF2
	ip netns exec "$cli" $PY - <<-EOF2
		import time
		from scapy.all import IP, TCP, Raw, sr1, send, conf
		conf.verb = 0
		ip = IP(src="$CLI4", dst="$SRV4")
		sa = sr1(ip / TCP(sport=40003, dport=8080, flags="S", seq=9000,
		                  options=[("MSS", 1460)]), timeout=5)
		ack = sa[TCP].seq + 1
		send(ip / TCP(sport=40003, dport=8080, flags="A", seq=9001, ack=ack))
		for _ in range(8):
		    time.sleep(0.3)
		    send(ip / TCP(sport=40003, dport=8080, flags="PA", seq=9001,
		                  ack=ack) / Raw(b"early data"))
	EOF2
	sleep 1
	n=$(ip netns exec "$srv" nft list chain inet hold in |
		sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
	log_info "SYNs the server received: $n"
	check_eq "the client proved its address" 1 \
		"$(sg_stat "$srv" cookies_valid)"
	check_eq "at most 3 SYNs to the server for 9 early segments" 1 \
		"$([ "${n:-0}" -ge 1 ] && [ "${n:-0}" -le 3 ] && echo 1)"
	ip netns exec "$cli" $PY - <<-EOF2
		from scapy.all import IP, TCP, send, conf
		conf.verb = 0
		send(IP(src="$CLI4", dst="$SRV4") /
		     TCP(sport=40003, dport=8080, flags="R", seq=9001))
	EOF2
	sleep 1
	check_eq "the client's RST closed the entry" 1 \
		"$(conns_count "$srv" state close)"
}

# mode=off while a proxied connection is open: either the connection
# carries on, or synguard refuses to turn off, saying why.
mode_off()
{
	local sa=$1 ca=$2 fw=$3 srv cli out=$TMPDIR/cli.out rc msg

	fresh
	pair srv cli
	write_peer
	[ "$fw" = 1 ] && fw_host "$srv" 8080
	"$SG" -n "$srv" set mode=enforce
	"$SG" -n "$srv" service add 8080 cookies=2
	echo_serve "$srv" "$sa" 8080
	client_bg "$cli" "$out" "$sa" 8080 --chunk 50000 --hold "$TMPDIR"/go
	wait_line "$out" '^(up|ok)'
	check_eq "a proxied connection is up" "up 1" "$(grep '^up' "$out")"
	rc=0
	msg=$("$SG" -n "$srv" set mode=off 2>&1) || rc=$?
	log_info "set mode=off: exit $rc: $msg"
	touch "$TMPDIR"/go
	wait_line "$out" '^ok' 60
	if [ "$rc" = 0 ]; then
		check_eq "mode=off: the proxied connection completes" "ok 1/1" \
			"$(grep -o '^ok [0-9/]*' "$out")"
	else
		check_eq "mode=off refused with a message" 1 \
			"$([ -n "$msg" ] && echo 1)"
		check_eq "and the connection completes" "ok 1/1" \
			"$(grep -o '^ok [0-9/]*' "$out")"
	fi
}

test_mode_off_v4()
{
	mode_off $SRV4 $CLI4 0
}

test_mode_off_firewall_v6()
{
	mode_off $SRV6 $CLI6 1
}

require_cmd nft conntrack bc
TMPDIR=$(mktemp -d)
defer rm -rf "$TMPDIR"
defer sg_unload
test_run host_v4 test_host_v4
test_run host_v6 test_host_v6
test_run router_v4 test_router_v4
test_run router_v6 test_router_v6
test_long blind_rst_v4 test_blind_rst_v4
test_long blind_rst_v6 test_blind_rst_v6
test_run blind_rst_firewall_v4 test_blind_rst_firewall_v4
test_long wscale_mix_v4 test_wscale_mix_v4
test_long wscale_mix_v6 test_wscale_mix_v6
test_run wscale_mix_firewall_v4 test_wscale_mix_firewall_v4
test_run options_server_without test_options_server_without
test_run mark_route test_mark_route
test_run vrf_route test_vrf_route
test_run xfrm_host test_xfrm_host
test_run xfrm_gateway test_xfrm_gateway
test_run pmtu_router_v4 test_pmtu_router_v4
test_run pmtu_router_v6 test_pmtu_router_v6
test_run pmtu_host_v4 test_pmtu_host_v4
test_long pmtu_host_v6 test_pmtu_host_v6
test_run options_server_with test_options_server_with
test_run spoof_synack_v4 test_spoof_synack_v4
test_long spoof_synack_v6 test_spoof_synack_v6
test_run syn_phase test_syn_phase
test_run mode_off_v4 test_mode_off_v4
test_run mode_off_firewall_v6 test_mode_off_firewall_v6
ksft_summary
