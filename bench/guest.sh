#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The VM half of `make bench` (bench/run starts it in one boot of
# scripts/vm-run): every scenario against every server configuration, one
# after another, each line of results printed as "BENCH {json}" for the
# host to collect. See Documentation/performance.rst.
#
# Configurations of the server's namespace:
#   a   none: tcp_syncookies=0
#   b   kernel syncookies: tcp_syncookies=1 (2 where every connection
#       must come through a cookie)
#   c   nft synproxy + conntrack, the documented way: raw notrack for
#       SYNs, "ct state invalid,untracked synproxy", tcp_loose=0
#   cn  c without the notrack rule (scenario 1 only: conntrack fills)
#   d   synguard, port protected, the kernel's defaults otherwise
#       (tcp_syncookies=1); conntrack active in the namespace
#   d0  d with tcp_syncookies=0 (scenario 1 only)
#   di  d with synack_inplace=1 (scenarios 2, 5 and 6)
#   ni  a SYN's way cut short at the server link's ingress (nft netdev
#       drop of TCP to the port, counted; scenario 6 only)
#   np  the same at IP prerouting, before conntrack (scenario 6 only)
#   dr  d with synack_rate=1: synguard decides to answer, and its rate
#       limit drops the SYN unanswered (scenario 6 only)
#   e   the kernel's XDP SYN proxy (the BPF selftests' xdp_synproxy, built
#       by `make -C bench xdp`) on both of the server's links, in front
#       of c's conntrack and nft synproxy (scenario 2 only)
#
# Topology: a client namespace and an attacker namespace, each on its own
# veth link to the server namespace. The flood comes from the attacker's
# link with random sources in 10.0.0.0/8; the server routes them back to
# the attacker, which drops them at its link's ingress. The client is not flooded,
# but the server receives both links on CPU 0 (RPS), the generator runs on
# CPU 1.
#
# BENCH_QUICK=1: fewer steps and connections, for iteration.
# BENCH_CFGS: the configurations scenario 2 runs (default "a b c d di e");
# BENCH_CFGS5 those of scenario 5 (default "b c d di"), BENCH_CFGS6 those
# of scenario 6 (default "ni np dr di d c b").
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SG=$ROOT/user/synguard
KO=$ROOT/kmod/synguard.ko
FLOOD=$ROOT/bench/synflood
XDP_SRC=$ROOT/bench/xdp
LEGIT=$ROOT/bench/legit.py
PEER=$ROOT/scripts/tests/tcp-peer.py
PY=/usr/bin/python3
QUICK=${BENCH_QUICK:-0}
T=$(mktemp -d /tmp/bench.XXXXXX)
# The XDP loader of (e), copied here: it opens its BPF object as
# "${argv[0]}_kern.bpf.o".
XDP=$T/xdp_synproxy

SRV=bn-srv
CLI=bn-cli
ATK=bn-atk
SADDR=192.0.2.1
PORT=8080

if [ "$QUICK" = 1 ]; then
	S1_RATE=${BENCH_RATE:-5000}
	S1_COUNT=60
	S1_ROUNDS=1
	S5_ROUNDS=1
	S2_RATES=(2000 8000 32000 0)
	S2_COUNT=50
	S3_ROUNDS=2
	S3_SECS=3
	S4_COUNT=5
else
	S1_RATE=${BENCH_RATE:-5000}
	S1_COUNT=200
	S1_ROUNDS=3
	S5_ROUNDS=3
	S2_RATES=(1000 2000 4000 8000 16000 32000 0)
	S2_COUNT=100
	S3_ROUNDS=9
	S3_SECS=4
	S4_COUNT=20
fi

emit()
{
	echo "BENCH $*"
}

log()
{
	echo "# $*" >&2
}

pids=()

teardown()
{
	local p n

	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	pids=()
	# (e)'s XDP programs.
	for n in a0 c0; do
		ip -n $SRV link set dev $n xdp off 2>/dev/null
	done
	for n in $CLI $ATK; do
		ip -n "$n" link set dev eth0 xdp off 2>/dev/null
	done
	for n in $SRV $CLI $ATK; do
		ip netns del $n 2>/dev/null
	done
	return 0
}
trap 'teardown; rm -rf "$T"' EXIT

sg_unload()
{
	! grep -q '^synguard ' /proc/modules || rmmod synguard
}

sg_load()
{
	grep -q '^synguard ' /proc/modules || insmod "$KO"
}

topo()
{
	local n

	teardown
	for n in $SRV $CLI $ATK; do
		ip netns add $n
		ip -n $n link set lo up
	done
	ip link add c0 netns $SRV type veth peer name eth0 netns $CLI
	ip link add a0 netns $SRV type veth peer name eth0 netns $ATK
	ip -n $SRV addr add $SADDR/24 dev c0
	ip -n $CLI addr add 192.0.2.2/24 dev eth0
	ip -n $SRV addr add 198.51.100.1/24 dev a0
	ip -n $ATK addr add 198.51.100.2/24 dev eth0
	for n in $SRV $CLI $ATK; do
		ip -n $n link set dev "$([ $n = $SRV ] && echo c0 || echo eth0)" up
	done
	ip -n $SRV link set a0 up
	ip -n $SRV route add default via 198.51.100.2
	ip -n $ATK route add default via 198.51.100.1
	# The answers to spoofed sources end at the attacker's link: left
	# to its IP layer, each would be routed, found unreachable and
	# looked up in the ICMP rate limiter's inet_peer tree, where a new
	# source is an allocation and an insertion under one lock, which
	# would cost every configuration the same and cap what two CPUs
	# can answer.
	ip netns exec $ATK nft -f - <<-EOF
		table netdev sink {
			chain in {
				type filter hook ingress device eth0 priority 0;
				meta l4proto tcp drop
			}
		}
	EOF
	# veth processes what it receives on the sending CPU, so a generator
	# would be slowed down by the very defence it measures and could
	# never saturate it. RPS moves all of the server's receive processing
	# (both links, as one NIC queue would) to CPU 0; the generator runs
	# on CPU 1 (flood_start).
	ip netns exec $SRV sh -c 'echo 1 >/sys/class/net/a0/queues/rx-0/rps_cpus &&
		echo 1 >/sys/class/net/c0/queues/rx-0/rps_cpus'
}

# The ruleset of nftables' wiki for SYNPROXY; notrack=0 leaves out the
# raw-table rule.
synproxy_rules()
{
	local notrack=$1

	{
		echo "table ip sp {"
		if [ "$notrack" = 1 ]; then
			echo " chain pre { type filter hook prerouting priority raw;"
			echo "  tcp dport $PORT tcp flags syn notrack; }"
		fi
		echo " chain in { type filter hook input priority filter;"
		echo "  tcp dport $PORT ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm"
		echo "  ct state invalid drop; }"
		echo "}"
	} | ip netns exec $SRV nft -f -
}

# The XDP programs of (e), compiled once per boot against the BTF of the
# kernel they will be loaded into: this one, which need not be the
# host's. Returns 1 if they cannot be built.
XDP_BUILT=
xdp_build()
{
	local p

	[ -z "$XDP_BUILT" ] || return "$XDP_BUILT"
	XDP_BUILT=1
	if [ ! -x "$XDP_SRC/xdp_synproxy" ]; then
		log "no $XDP_SRC/xdp_synproxy (make -C bench xdp): no (e)"
		return 1
	fi
	bpftool btf dump file /sys/kernel/btf/vmlinux format c \
		>"$T/vmlinux.h" || return 1
	for p in xdp_synproxy_kern xdp_dummy; do
		clang -O2 -g -target bpf -Wno-compare-distinct-pointer-types \
			-I"$T" -I"/usr/include/$(gcc -print-multiarch)" \
			-c "$XDP_SRC/$p.c" -o "$T/$p.bpf.o" || return 1
	done
	cp "$XDP_SRC/xdp_synproxy" "$XDP" || return 1
	XDP_BUILT=0
}

# The XDP SYN proxy on both of the server's links (the client's SYNs go
# through it too). What veth needs for it:
# - veth runs XDP in its NAPI poll, and XDP_TX puts the SYN-ACK on the
#   peer's NAPI ring, whose poll is scheduled only if the peer has an XDP
#   program of its own: the selftests' XDP_PASS program on the client's
#   and the attacker's ends.
# - The program verifies the SYN's checksums, which the client's veth
#   would leave to offload: checksums computed on send there.
# - NAPI runs on the CPU that scheduled it, the sender's, which would put
#   the XDP program beside the generator on CPU 1: threaded NAPI on the
#   server's links, pinned to CPU 0 with the rest of its receive path.
xdp_on()
{
	local l pid pids

	xdp_build || return 1
	ip -n $ATK link set dev eth0 xdp obj "$T/xdp_dummy.bpf.o" sec xdp &&
		ip -n $CLI link set dev eth0 xdp obj "$T/xdp_dummy.bpf.o" \
			sec xdp &&
		ip netns exec $CLI ethtool -K eth0 tx off >/dev/null ||
		return 1
	for l in a0 c0; do
		if ! ip netns exec $SRV "$XDP" --iface $l --ports $PORT \
			--single --mss4 1460 --mss6 1440 --wscale 7 --ttl 64 \
			>"$T/xdp" 2>&1; then
			cat "$T/xdp" >&2
			return 1
		fi
		ip netns exec $SRV sh -c "echo 1 >/sys/class/net/$l/threaded" ||
			return 1
		pids=$(pgrep -x "napi/$l-[0-9]+") || return 1
		for pid in $pids; do
			taskset -pc 0 "$pid" >/dev/null || return 1
		done
		log "$l: $(ip -n $SRV -d link show dev $l |
			grep -o 'prog/xdp[a-z]* id [0-9]*'), NAPI thread" \
			"${pids//$'\n'/ } on CPU 0"
	done
	xdp_attached
}

# Both links with the program attached in native (driver) mode.
xdp_attached()
{
	local l

	for l in a0 c0; do
		ip -n $SRV -d link show dev $l | grep -q 'prog/xdp ' || return 1
	done
}

# xdp_synacks LINK -> the SYN-ACKs the program on LINK has made, by its
# own counter (null if it cannot be read).
xdp_synacks()
{
	local n

	n=$(ip netns exec $SRV "$XDP" --iface "$1" --single 2>/dev/null |
		sed -n 's/^Total SYNACKs generated: //p')
	echo "${n:-null}"
}

# xdp_tx_json -> the frames veth sent back from a0's XDP program
# (XDP_TX) and those it could not, summed over its queues.
xdp_tx_json()
{
	ip netns exec $SRV ethtool -S a0 | awk -F': *' '
		$1 ~ /rx_queue_[0-9]+_xdp_tx$/ { tx += $2 }
		$1 ~ /rx_queue_[0-9]+_xdp_tx_errors$/ { err += $2 }
		END { printf "\"xdp_tx\": %d, \"xdp_tx_errors\": %d", tx, err }'
}

# cfg_apply CFG - configure the server's namespace (after topo).
cfg_apply()
{
	local sx="ip netns exec $SRV sysctl -qw"

	case $1 in
	a)
		sg_unload
		$sx net.ipv4.tcp_syncookies=0
		;;
	b)
		sg_unload
		$sx net.ipv4.tcp_syncookies=1
		;;
	c|cn|e)
		sg_unload
		modprobe nf_conntrack
		$sx net.ipv4.tcp_syncookies=1
		$sx net.ipv4.tcp_timestamps=1
		$sx net.netfilter.nf_conntrack_tcp_loose=0
		synproxy_rules "$([ "$1" = cn ] && echo 0 || echo 1)"
		# After conntrack: the program looks connections up in it.
		[ "$1" != e ] || xdp_on || log "cannot attach the XDP program"
		;;
	ni)
		$sx net.ipv4.tcp_syncookies=1
		ip netns exec $SRV nft -f - <<-EOF
			table netdev stage {
				chain in {
					type filter hook ingress device a0 priority 0;
					tcp dport $PORT counter drop
				}
			}
		EOF
		;;
	np)
		$sx net.ipv4.tcp_syncookies=1
		ip netns exec $SRV nft -f - <<-EOF
			table inet stage {
				chain pre {
					type filter hook prerouting priority -300;
					tcp dport $PORT counter drop
				}
			}
		EOF
		;;
	d|d0|di|dr)
		sg_load
		modprobe nf_conntrack
		$sx net.ipv4.tcp_syncookies="$([ "$1" = d0 ] && echo 0 || echo 1)"
		ip netns exec $SRV nft -f - <<-EOF
			table inet f {
				chain in {
					type filter hook input priority 0;
					ct state established,related accept
				}
			}
		EOF
		"$SG" -n $SRV service add $PORT
		# di: the cookie SYN-ACK made from the SYN and sent back where
		# it came from (the flood's frames come from the gateway's MAC).
		[ "$1" = di ] && "$SG" -n $SRV set synack_inplace=1
		# dr: every SYN goes through synguard's decision to answer,
		# then all but one a second are dropped by its rate limit.
		[ "$1" = dr ] && "$SG" -n $SRV set synack_rate=1
		;;
	esac
}

has_conntrack()
{
	case $1 in c|cn|d|d0|di|e) return 0 ;; esac
	return 1
}

ct_count()
{
	ip netns exec $SRV cat /proc/sys/net/netfilter/nf_conntrack_count
}

# A proxy answers SYNs whether or not the server listens: wait for it.
wait_listen()
{
	for _ in $(seq 100); do
		ip netns exec $SRV ss -Hltn "( sport = :$PORT )" | grep -q . &&
			return 0
		sleep 0.1
	done
	log "server did not start"
	return 1
}

serve()
{
	ip netns exec $SRV $PY "$LEGIT" server 0.0.0.0 $PORT >/dev/null &
	pids+=($!)
	wait_listen
}

# CPU time, measured as what was not idle. The kernel counts user,
# system and softirq time by sampling at the tick, and an idle CPU stops
# its tick (NO_HZ): a CPU woken from idle to process a packet and idle
# again before the next tick is mostly not counted, so light packet
# loads read as almost no CPU at all. Idle time is measured exactly (from
# the idle entry and exit times), so busy = wall time x CPUs - idle.
# cpu_sample -> "uptime_s idle idle_cpu0 softirq all" (ticks of USER_HZ)
cpu_sample()
{
	awk 'FILENAME == "/proc/uptime" { up = $1; next }
		/^cpu / { idle = $5 + $6; sirq = $8;
			all = $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }
		/^cpu0 / { idle0 = $5 + $6 }
		END { print up, idle, idle0, sirq, all }' /proc/uptime /proc/stat
}

# cpu_pct "S0" "S1" -> "busy% busy_cpu0% softirq%": busy% of all CPUs,
# busy_cpu0% of CPU 0 alone (where RPS puts the server's receive
# processing), softirq% the tick-sampled share, kept in the JSON only
# (it undercounts, see above).
cpu_pct()
{
	local u0 i0 z0 s0 t0 u1 i1 z1 s1 t1

	read -r u0 i0 z0 s0 t0 <<<"$1"
	read -r u1 i1 z1 s1 t1 <<<"$2"
	awk -v u0="$u0" -v u1="$u1" -v i=$((i1 - i0)) -v z=$((z1 - z0)) \
		-v s=$((s1 - s0)) -v t=$((t1 - t0)) -v n="$(nproc)" \
		-v hz="$(getconf CLK_TCK)" \
		'function pct(idle, cpus) {
			if (u1 <= u0)
				return 0;
			idle = 100 * (1 - idle / hz / ((u1 - u0) * cpus));
			return idle < 0 ? 0 : idle;
		}
		BEGIN { printf "%.1f %.1f %.1f", pct(i, n), pct(z, 1),
			(t > 0 ? 100 * s / t : 0) }'
}

# The attacker's link as the server sees it: "rx_packets tx_packets
# uptime_s". Starting a command in the namespace can take a second or
# more on a busy guest, so the time goes with the counters.
link_sample()
{
	echo "$(ip netns exec $SRV cat /sys/class/net/a0/statistics/rx_packets \
		/sys/class/net/a0/statistics/tx_packets | paste -sd ' ')" \
		"$(cut -d ' ' -f 1 /proc/uptime)"
}

# link_json "S0" "S1" -> per-second JSON fields, over the time the
# samples really span (flood_secs)
link_json()
{
	local r0 t0 u0 r1 t1 u1

	read -r r0 t0 u0 <<<"$1"
	read -r r1 t1 u1 <<<"$2"
	awk -v r=$((r1 - r0)) -v t=$((t1 - t0)) -v u0="$u0" -v u1="$u1" \
		'BEGIN { s = u1 - u0; if (s <= 0) s = 1;
			printf "\"flood_rx_pps\": %d, \"flood_tx_pps\": %d, \"flood_secs\": %.2f",
				r / s, t / s, s }'
}

flood_start()
{
	local mac

	mac=$(ip netns exec $SRV cat /sys/class/net/a0/address)
	ip netns exec $ATK taskset -c 1 "$FLOOD" eth0 "$mac" $SADDR $PORT \
		"$1" 100000 >"$T/flood" 2>&1 &
	FLOOD_PID=$!
}

# Sets FLOOD_PPS to the rate it achieved. Not in a subshell: only this
# shell can wait for the generator to write its last line.
flood_stop()
{
	kill -INT "$FLOOD_PID" 2>/dev/null
	wait "$FLOOD_PID"
	FLOOD_PPS=$(sed -n 's/.*pps=\([0-9]*\).*/\1/p' "$T/flood")
}

# One flooded run: the legitimate client during a flood at RATE.
# flooded_run CFG RATE COUNT -> sets RUN_JSON
flooded_run()
{
	local cfg=$1 rate=$2 count=$3 c0 c1 out pps cpu cpu0 sirq
	local fcpu fcpu0 fsirq ct=null ct0=null l0 l1

	topo
	cfg_apply "$cfg"
	# (e) without its XDP program would be (c) again.
	if [ "$cfg" = e ] && ! xdp_attached; then
		teardown
		return 1
	fi
	serve || return 1
	flood_start "$rate"
	sleep 1
	# What the flood alone costs, before the client adds its own load,
	# and how many of its SYNs the server really received and answered
	# (the attacker's link carries nothing else).
	c0=$(cpu_sample)
	l0=$(link_sample)
	sleep 5
	c1=$(cpu_sample)
	l1=$(link_sample)
	read -r fcpu fcpu0 fsirq <<<"$(cpu_pct "$c0" "$c1")"
	has_conntrack "$cfg" && ct0=$(ct_count)
	c0=$(cpu_sample)
	out=$(ip netns exec $CLI $PY "$LEGIT" client $SADDR $PORT \
		--count "$count" --rate 20 --bytes 65536)
	c1=$(cpu_sample)
	has_conntrack "$cfg" && ct=$(ct_count)
	flood_stop
	pps=$FLOOD_PPS
	read -r cpu cpu0 sirq <<<"$(cpu_pct "$c0" "$c1")"
	RUN_JSON="\"cfg\": \"$cfg\", \"target_pps\": $rate, \"pps\": ${pps:-0}, \"flood_cpu\": $fcpu, \"flood_cpu0\": $fcpu0, \"flood_softirq\": $fsirq, $(link_json "$l0" "$l1"), \"cpu\": $cpu, \"cpu0\": $cpu0, \"softirq\": $sirq, \"conntrack_start\": $ct0, \"conntrack\": $ct, \"client\": $out"
	if [ "${cfg#d}" != "$cfg" ]; then
		RUN_JSON+=", $("$SG" -n $SRV -j stats | $PY -c 'import json,sys
s = json.load(sys.stdin)
print(", ".join(f"\"{k}\": {s[k]}" for k in ("cookies_sent", "cookies_inplace")))')"
	fi
	# What the XDP programs answered themselves: the flood's SYNs on the
	# attacker's link, the client's on its own; and what veth sent back.
	if [ "$cfg" = e ]; then
		RUN_JSON+=", \"xdp_synacks\": $(xdp_synacks a0), \"xdp_synacks_client\": $(xdp_synacks c0), $(xdp_tx_json)"
	fi
	teardown
}

# The generator: hping3 at full speed against ours, as the server's link
# counts them.
generator_check()
{
	local before after mac

	topo
	cfg_apply a
	before=$(ip netns exec $SRV cat /sys/class/net/a0/statistics/rx_packets)
	ip netns exec $ATK timeout 5 hping3 -q -S -p $PORT --flood \
		--rand-source $SADDR >/dev/null 2>&1
	after=$(ip netns exec $SRV cat /sys/class/net/a0/statistics/rx_packets)
	local hping=$(((after - before) / 5))
	mac=$(ip netns exec $SRV cat /sys/class/net/a0/address)
	before=$after
	ip netns exec $ATK "$FLOOD" eth0 "$mac" $SADDR $PORT 0 5 >"$T/flood"
	after=$(ip netns exec $SRV cat /sys/class/net/a0/statistics/rx_packets)
	emit "{\"s\": 0, \"hping3_pps\": $hping, \"synflood_pps\": $(((after - before) / 5)), \"synflood_says\": \"$(cat "$T/flood")\"}"
	teardown
}

# The configurations take turns, round after round, so that a change in
# the host's load falls on all of them.
scenario1()
{
	local cfg r

	for r in $(seq "$S1_ROUNDS"); do
		for cfg in a b c cn d d0; do
			log "scenario 1: $cfg at $S1_RATE SYN/s, round $r"
			flooded_run "$cfg" "$S1_RATE" "$S1_COUNT" &&
				emit "{\"s\": 1, \"round\": $r, $RUN_JSON}"
		done
	done
}

scenario2()
{
	local cfg rate

	for cfg in ${BENCH_CFGS:-a b c d di e}; do
		for rate in "${S2_RATES[@]}"; do
			log "scenario 2: $cfg at ${rate/#0/max} SYN/s"
			flooded_run "$cfg" "$rate" "$S2_COUNT" &&
				emit "{\"s\": 2, $RUN_JSON}"
		done
	done
}

iperf_once()
{
	local case=$1 c0 c1 out cpu cpu0 sirq bps valid=null

	c0=$(cpu_sample)
	out=$(ip netns exec $CLI iperf3 -c $SADDR -p $PORT -t "$S3_SECS" -J)
	c1=$(cpu_sample)
	bps=$($PY -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"])' <<<"$out")
	read -r cpu cpu0 sirq <<<"$(cpu_pct "$c0" "$c1")"
	[ "$case" = enforce ] && valid=$("$SG" -n $SRV -j stats |
		$PY -c 'import json,sys; print(json.load(sys.stdin)["cookies_valid"])')
	emit "{\"s\": 3, \"round\": $2, \"case\": \"$case\", \"bps\": $bps, \"cpu\": $cpu, \"softirq\": $sirq, \"cookies_valid\": $valid}"
}

scenario3()
{
	local r

	topo
	ip netns exec $SRV iperf3 -s -p $PORT >/dev/null 2>&1 &
	pids+=($!)
	wait_listen
	for r in $(seq "$S3_ROUNDS"); do
		log "scenario 3: round $r"
		sg_unload
		iperf_once absent "$r"
		sg_load
		"$SG" -n $SRV service add $PORT
		iperf_once idle "$r"
		sg_unload
		sg_load
		"$SG" -n $SRV set mode=enforce
		"$SG" -n $SRV service add $PORT cookies=2
		iperf_once enforce "$r"
	done
	teardown
	memory
}

# slab_objects CACHE -> objects allocated from CACHE (merged caches
# included: SLUB may share one cache between several users).
slab_field()
{
	sed 's/ .*//' "/sys/kernel/slab/$1/$2"
}

memory()
{
	local cache real o0 o1 m0 m1 n secs=5

	log "memory: entries from a flood in observe mode"
	sg_unload
	sg_load
	topo
	"$SG" -n $SRV set syn_timeout=600 max_conns=1000000 half_open_max=1000000
	cache=sg_conn
	real=$(basename "$(readlink -f /sys/kernel/slab/$cache)")
	sleep 1
	o0=$(slab_field $cache objects)
	m0=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
	ip netns exec $ATK "$FLOOD" eth0 \
		"$(ip netns exec $SRV cat /sys/class/net/a0/address)" \
		$SADDR 9090 0 $secs >"$T/flood"
	sleep 1
	n=$("$SG" -n $SRV -j stats |
		$PY -c 'import json,sys; print(json.load(sys.stdin)["conns"])')
	o1=$(slab_field $cache objects)
	m1=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
	emit "{\"s\": \"mem\", \"entries\": $n, \"cache\": \"$real\", \"object_size\": $(slab_field $cache object_size), \"slab_size\": $(slab_field $cache slab_size), \"objects_delta\": $((o1 - o0)), \"meminfo_slab_kb_delta\": $((m1 - m0))}"
	grep -E "^(# name|$cache |${real#:} )" /proc/slabinfo >&2 || true
	teardown
	sg_unload
}

# NETSTAT_PY FILE PREFIX NAME: one counter of /proc/net/netstat.
NETSTAT_PY='
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.startswith(sys.argv[2])]
print(dict(zip(rows[0], rows[1]))[sys.argv[3]])'

# SYNPROXY_PY: cookie_valid summed over the CPUs (hexadecimal columns).
SYNPROXY_PY='
rows = [l.split() for l in open("/proc/net/stat/synproxy")]
i = rows[0].index("cookie_valid")
print(sum(int(r[i], 16) for r in rows[1:]))'

# What the kernel negotiated at both ends, through each proxy, with a
# client that sends no timestamps.
scenario4()
{
	local cfg srv_out=$T/srv cli_out kept n

	for cfg in b c d; do
		log "scenario 4: $cfg"
		topo
		ip netns exec $CLI sysctl -qw net.ipv4.tcp_timestamps=0
		case $cfg in
		b)
			sg_unload
			ip netns exec $SRV sysctl -qw net.ipv4.tcp_syncookies=2
			;;
		c)
			cfg_apply c
			;;
		d)
			sg_load
			"$SG" -n $SRV service add $PORT cookies=2
			;;
		esac
		ip netns exec $SRV $PY "$PEER" server 0.0.0.0 $PORT \
			--count $S4_COUNT --options >"$srv_out" &
		pids+=($!)
		wait_listen
		cli_out=$(ip netns exec $CLI $PY "$PEER" client $SADDR $PORT \
			--count $S4_COUNT --bytes 100000 --options)
		sleep 0.5
		n=$(grep -c '^server options' "$srv_out")
		kept=$(paste -d' ' <(grep '^server options' "$srv_out") \
			<(grep '^client options' <<<"$cli_out") |
			grep -c 'server options: .*sack.*wscale.*client options: .*sack.*wscale')
		local proxied
		case $cfg in
		b) proxied=$(ip netns exec $SRV $PY -c "$NETSTAT_PY" \
			/proc/net/netstat TcpExt: SyncookiesRecv) ;;
		c) proxied=$(ip netns exec $SRV $PY -c "$SYNPROXY_PY") ;;
		d) proxied=$("$SG" -n $SRV -j stats | $PY -c \
			'import json,sys; print(json.load(sys.stdin)["cookies_valid"])') ;;
		esac
		emit "{\"s\": 4, \"cfg\": \"$cfg\", \"conns\": $n, \"kept\": $kept, \"proxied\": ${proxied:-0}, \"sample_server\": \"$(grep -m1 '^server options' "$srv_out")\", \"sample_client\": \"$(grep -m1 '^client options' <<<"$cli_out")\", \"client_ok\": \"$(grep '^ok' <<<"$cli_out")\"}"
		teardown
	done
	sg_unload
}

# Idle time of each CPU: "uptime_s idle_cpu0 idle_cpu1" (USER_HZ ticks).
cpu_idle_sample()
{
	awk 'FILENAME == "/proc/uptime" { up = $1; next }
		/^cpu0 / { i0 = $5 + $6 } /^cpu1 / { i1 = $5 + $6 }
		END { print up, i0, i1 }' /proc/uptime /proc/stat
}

# cpu_busy_json "S0" "S1" -> the busy fraction of each CPU, as JSON.
cpu_busy_json()
{
	local u0 a0 b0 u1 a1 b1

	read -r u0 a0 b0 <<<"$1"
	read -r u1 a1 b1 <<<"$2"
	awk -v u0="$u0" -v u1="$u1" -v i0=$((a1 - a0)) -v i1=$((b1 - b0)) \
		-v hz="$(getconf CLK_TCK)" \
		'function busy(i) { if (u1 <= u0) return 0;
			i = 1 - i / hz / (u1 - u0);
			return i < 0 ? 0 : i > 1 ? 1 : i }
		BEGIN { printf "\"busy_cpu0\": %.3f, \"busy_cpu1\": %.3f",
			busy(i0), busy(i1) }'
}

# Scaling: the server's receive work on one vCPU, then on both. veth
# does the receiving side's work on the sending CPU, so without RPS a
# generator pinned to a CPU has that CPU process what it sends: one
# generator on CPU 0 (CPU 1 idle), then one on each CPU. Each CPU then
# shares itself between its generator and the server's work in the same
# proportion in both runs, and the SYN-ACKs a second with two CPUs over
# those with one is the scaling, both measured at saturation. Nothing
# else can stand apart from the CPUs it loads: the host has two cores,
# both running the guest. (e) is left out: its XDP program runs in NAPI
# threads pinned to CPU 0.
#
# scaling_run ROUND CFG N - one run of scenario 5: N generators, one on
# each of the first N CPUs, RPS off.
scaling_run()
{
	local r=$1 cfg=$2 n=$3 cpu c0 c1 l0 l1 mac pps

	log "scenario 5: $cfg, $n receive CPUs, round $r"
	topo
	ip netns exec $SRV sh -c 'echo 0 >/sys/class/net/a0/queues/rx-0/rps_cpus &&
		echo 0 >/sys/class/net/c0/queues/rx-0/rps_cpus'
	cfg_apply "$cfg"
	serve || { teardown; return; }
	mac=$(ip netns exec $SRV cat /sys/class/net/a0/address)
	for ((cpu = 0; cpu < n; cpu++)); do
		ip netns exec $ATK taskset -c $cpu "$FLOOD" eth0 \
			"$mac" $SADDR $PORT 0 100000 \
			>"$T/flood$cpu" 2>&1 &
		pids+=($!)
	done
	sleep 1
	c0=$(cpu_idle_sample)
	l0=$(link_sample)
	sleep 5
	c1=$(cpu_idle_sample)
	l1=$(link_sample)
	# The generators print their rate when interrupted.
	pkill -INT -x synflood
	sleep 1
	pps=$(cat "$T"/flood[01] 2>/dev/null |
		sed -n 's/.*pps=\([0-9]*\).*/\1/p' |
		awk '{ s += $1 } END { print s + 0 }')
	emit "{\"s\": 5, \"round\": $r, \"cfg\": \"$cfg\", \"rx_cpus\": $n, \"pps\": $pps, $(link_json "$l0" "$l1"), $(cpu_busy_json "$c0" "$c1")}"
	rm -f "$T"/flood[01]
	teardown
}

# Rounds, the configurations taking turns (one run's ratio moved by a
# quarter from one run to the next; the report takes the median).
scenario5()
{
	local r cfg n

	for r in $(seq "$S5_ROUNDS"); do
		for cfg in ${BENCH_CFGS5:-b c d di}; do
			for n in 1 2; do
				scaling_run "$r" "$cfg" "$n"
			done
		done
	done
	sg_unload
}

# stage_sample CFG -> "count uptime_s": how many of the flood's SYNs the
# configuration has dealt with: its nft counter for ni and np, the SYNs
# synguard decided to answer for dr (those its rate limit dropped and
# those it answered), else the SYN-ACKs the server's link sent.
stage_sample()
{
	local n

	case $1 in
	ni|np)
		n=$(ip netns exec $SRV nft list ruleset |
			sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
		;;
	dr)
		n=$("$SG" -n $SRV -j stats | awk '
			BEGIN { RS = "[{},]" }
			/^"(synack_ratelimited|cookies_sent)":/ {
				sub(/.*:/, ""); s += $0
			}
			END { print s + 0 }')
		;;
	*)
		n=$(ip netns exec $SRV cat /sys/class/net/a0/statistics/tx_packets)
		;;
	esac
	echo "${n:-0} $(cut -d ' ' -f 1 /proc/uptime)"
}

# rate_between "COUNT UPTIME_S" "COUNT UPTIME_S" -> the count's rate a
# second between the two samples
rate_between()
{
	awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " ")
		s = y[2] - x[2]; printf "%d", (s > 0 ? (y[1] - x[1]) / s : 0) }'
}

# Where a SYN's time goes on the CPU that receives it: the scenario-2
# layout (RPS puts all of the server's receive work on CPU 0, the
# generator runs at full speed on CPU 1), with configurations that stop
# the SYN at successive points of its way (ni at the link's ingress, np
# at IP prerouting, dr in synguard's hook once it has decided to answer)
# and those that answer it. CPU 0's busy time over the SYNs it dealt
# with is the time one SYN took, up to that point, whether or not CPU 0
# was saturated; the differences are the stages' costs.
scenario6()
{
	local cfg c0 c1 n0 n1

	for cfg in ${BENCH_CFGS6:-ni np dr di d c b}; do
		log "scenario 6: $cfg, generator at full speed"
		topo
		cfg_apply "$cfg"
		serve || { teardown; continue; }
		flood_start 0
		sleep 1
		c0=$(cpu_idle_sample)
		n0=$(stage_sample "$cfg")
		sleep 5
		c1=$(cpu_idle_sample)
		n1=$(stage_sample "$cfg")
		flood_stop
		emit "{\"s\": 6, \"cfg\": \"$cfg\", \"pps\": ${FLOOD_PPS:-0}, \"dealt_pps\": $(rate_between "$n0" "$n1"), $(cpu_busy_json "$c0" "$c1")}"
		teardown
	done
	sg_unload
}

# Where the CPU goes under the scenario-1 flood, for c and d (cpu-clock
# samples: TCG has no PMU). The guest is mostly idle at that rate, so
# the shares are of the busy samples: idle ones are left out.
IDLE_SYMS='native_safe_halt|default_idle|arch_cpu_idle|cpuidle|do_idle|poll_idle'
profile()
{
	local cfg l0 l1 share hot

	command -v perf >/dev/null || { log "no perf; no profile"; return; }
	for cfg in c d; do
		log "profile: $cfg at $S1_RATE SYN/s"
		topo
		cfg_apply $cfg
		serve
		flood_start "$S1_RATE"
		sleep 1
		l0=$(link_sample)
		perf record -q -e cpu-clock -a -o "$T/perf.data" -- sleep 10 \
			>/dev/null 2>&1
		l1=$(link_sample)
		flood_stop
		echo "PERF $cfg server link: $(link_json "$l0" "$l1")"
		perf report -q -i "$T/perf.data" --stdio --sort dso,sym \
			--percent-limit 0 2>/dev/null >"$T/perf.txt"
		# "share% dso symbol" of the busy samples, top 30.
		grep -vE "$IDLE_SYMS" "$T/perf.txt" |
			awk '$1 ~ /%$/ { p = $1 + 0; busy += p; line[++n] = p;
				$1 = ""; text[n] = $0 }
				END { for (i = 1; i <= n && i <= 30; i++)
					printf "%6.2f%% %s\n", 100 * line[i] / busy, text[i];
					printf "busy %.1f%% of all samples\n", busy }' |
			sed "s/^/PERF $cfg /"
		# Busy samples per CPU: CPU 0 runs the server's receive path.
		perf report -q -i "$T/perf.data" --stdio --sort cpu,sym \
			--percent-limit 0 2>/dev/null |
			grep -vE "$IDLE_SYMS" |
			awk '$1 ~ /%$/ { c[$2 + 0] += $1 }
				END { printf "busy samples: CPU 0 %.1f%%, CPU 1 %.1f%% of all\n",
					c[0], c[1] }' |
			sed "s/^/PERF $cfg /"
		# The module's own share (its symbols resolve through
		# kallsyms), and where in its hottest function.
		if [ $cfg = d ]; then
			awk '$4 == "[synguard]" { print $3 }' /proc/kallsyms \
				>"$T/syms"
			# "share hottest": one pass over the busy samples.
			read -r share hot <<<"$(grep -vE "$IDLE_SYMS" "$T/perf.txt" |
				awk 'FILENAME == ARGV[1] { mod[$1] = 1; next }
					$1 ~ /%$/ { p = $1 + 0; busy += p;
						if ($4 in mod) { sg += p;
							if (!hot) hot = $4 } }
					END { printf "%.1f %s\n",
						busy ? 100 * sg / busy : 0, hot }' \
					"$T/syms" -)"
			echo "PERF $cfg synguard module $share% of busy (hottest: $hot)"
			perf annotate -q -i "$T/perf.data" --stdio -s "$hot" \
				2>/dev/null |
				awk '$1 + 0 >= 1.0' | head -20 |
				sed "s/^/PERF d-annotate /"
		fi
		teardown
	done
	sg_unload
}

uname -r >&2
nproc >&2
emit "{\"s\": \"env\", \"kernel\": \"$(uname -r)\", \"cpus\": $(nproc), \"mem_kb\": $(awk '/MemTotal/ { print $2 }' /proc/meminfo), \"quick\": $QUICK, \"tcp_max_syn_backlog\": $(sysctl -n net.ipv4.tcp_max_syn_backlog), \"somaxconn\": $(sysctl -n net.core.somaxconn), \"s1_rate\": $S1_RATE, \"s1_count\": $S1_COUNT, \"s2_count\": $S2_COUNT}"
ONLY=${BENCH_ONLY:-gen 1 2 3 4 5 6 profile}
for s in $ONLY; do
	case $s in
	gen) generator_check ;;
	1) scenario1 ;;
	2) scenario2 ;;
	3) scenario3 ;;
	4) scenario4 ;;
	5) scenario5 ;;
	6) scenario6 ;;
	profile) [ "$QUICK" = 1 ] || profile ;;
	esac
done
emit '{"s": "end"}'
