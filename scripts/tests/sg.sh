# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# synguard-specific helpers for the VM tests; source after lib.sh.

SG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SG=$SG_ROOT/user/synguard
SG_KO=$SG_ROOT/kmod/synguard.ko
PEER=$SG_ROOT/scripts/tests/tcp-peer.py
PY=/usr/bin/python3

# Documentation ranges, used only inside namespaces the tests create.
SRV4=192.0.2.1
CLI4=192.0.2.2
SRV6=2001:db8::1
CLI6=2001:db8::2

sg_loaded()
{
	[ -d /sys/module/synguard ]
}

sg_load()
{
	sg_loaded || insmod "$SG_KO" "$@"
}

sg_unload()
{
	! sg_loaded || rmmod synguard
}

# fresh [PARAM=VALUE...] - a newly loaded module, so that counters and
# listeners start empty.
fresh()
{
	sg_unload
	sg_load "$@"
}

# pair SRV CLI - two new namespaces joined by veth, with IPv4 and IPv6.
# Each namespace's commands go to one `ip -b` (a process start costs a
# second or more on the debug kernel).
pair()
{
	setup_ns "$1" "$2" || return
	local s=${!1} c=${!2}

	ip link add veth0 netns "$s" type veth peer name veth0 netns "$c" ||
		return
	ip -n "$s" -b - <<-EOF || return
		addr add $SRV4/24 dev veth0
		addr add $SRV6/64 dev veth0 nodad
		link set veth0 up
	EOF
	ip -n "$c" -b - <<-EOF
		addr add $CLI4/24 dev veth0
		addr add $CLI6/64 dev veth0 nodad
		link set veth0 up
	EOF
}

# Addresses of the routed topology: the client's and the server's subnet.
RCLI4=198.51.100.2
RSRV4=203.0.113.2

# routed CLI ROUTER SRV - three new namespaces, client -- router -- server,
# each link its own subnet, the router forwarding between them.
routed()
{
	setup_ns "$1" "$2" "$3" || return
	local c=${!1} r=${!2} s=${!3}

	ip -b - <<-EOF || return
		link add v0 netns $c type veth peer name v0 netns $r
		link add v1 netns $r type veth peer name v1 netns $s
	EOF
	ip -n "$c" -b - <<-EOF || return
		addr add $RCLI4/24 dev v0
		link set v0 up
		route add default via 198.51.100.1
	EOF
	ip -n "$r" -b - <<-EOF || return
		addr add 198.51.100.1/24 dev v0
		addr add 203.0.113.1/24 dev v1
		link set v0 up
		link set v1 up
	EOF
	ip -n "$s" -b - <<-EOF || return
		addr add $RSRV4/24 dev v1
		link set v1 up
		route add default via 203.0.113.1
	EOF
	ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1
}

# sg_json NS ARGS... - run synguard -j in NS and print its JSON.
sg_json()
{
	local ns=$1

	shift
	"$SG" -n "$ns" -j "$@"
}

# sg_stat NS NAME - one counter's value. The tool's JSON is flat (see
# json_stat), so bash finds the counter itself: one process a call.
sg_stat()
{
	local json re="\"$2\":([^],}]*)"

	json=$(sg_json "$1" stats) || return 1
	[[ $json =~ $re ]] || return 1
	echo "${BASH_REMATCH[1]}"
}

# json_stat FILE NAME - one counter of a saved `synguard -j stats` (FILE
# "-": standard input); fails, printing nothing, if there is none.
#
# The tool's JSON is compact and flat ({"name":value,...}, listeners and
# connections an array of such objects), so awk reads it: Python's
# start-up costs most of a second per call under emulation, and these
# are called a few thousand times per run of the suite.
json_stat()
{
	awk -v k="\"$2\"" '
		BEGIN { RS = "[][{},\n]" }
		{
			i = index($0, ":")
			if (i && substr($0, 1, i - 1) == k) {
				print substr($0, i + 1)
				found = 1
				exit
			}
		}
		END { exit !found }' "$1"
}

# stats_save NS FILE, then delta FILE NS NAME - a counter's change since.
stats_save()
{
	sg_json "$1" stats >"$2"
}

delta()
{
	local before now

	before=$(json_stat "$1" "$3") && now=$(sg_json "$2" stats | json_stat - "$3") ||
		{ echo "delta: no counter $3" >&2; return 1; }
	echo $((now - before))
}

# sg_listener NS ADDR PORT FIELD - one per-listener count (0 if no listener).
sg_listener()
{
	sg_json "$1" listeners | json_listener - "$2" "$3" "$4"
}

# json_listener FILE ADDR PORT FIELD - the same from a saved
# `synguard -j listeners` (FILE "-": standard input); fails, printing
# nothing, if the listener has no such field.
json_listener()
{
	awk -v addr="\"$2\"" -v port="$3" -v k="\"$4\"" '
		BEGIN { RS = "}" }
		{
			sub(/^[][,\n]*\{/, "")
			n = split($0, kv, ",")
			delete m
			for (j = 1; j <= n; j++) {
				i = index(kv[j], ":")
				m[substr(kv[j], 1, i - 1)] = substr(kv[j], i + 1)
			}
			if (m["\"addr\""] != addr || m["\"port\""] != port)
				next
			done = 1
			if (!(k in m))
				exit 1
			print m[k]
			exit
		}
		END { if (!done) print 0 }' "$1"
}

# nft_packets NS COMMENT - the packets counted by the rule of chain
# "pre" in table inet t that carries COMMENT. Inline counters: named
# counter objects need nft_objref, which the debug kernel does not have.
nft_packets()
{
	ip netns exec "$1" nft list chain inet t pre |
		sed -n "/comment \"$2\"/s/.*counter packets \([0-9]*\).*/\1/p"
}

# conns_count NS [FILTER...] - entries the conns dump lists.
conns_count()
{
	local ns=$1

	shift
	sg_json "$ns" conns "$@" | tr -cd '{' | wc -c
}

# ss_count NS STATE PORT - sockets in STATE on local PORT, as ss sees them.
ss_count()
{
	ip netns exec "$1" ss -Htan state "$2" "( sport = :$3 )" | wc -l
}

# ss_count_dport NS STATE PORT - sockets in STATE with remote PORT.
ss_count_dport()
{
	ip netns exec "$1" ss -Htan state "$2" "( dport = :$3 )" | wc -l
}

# peer_serve NS ADDR PORT ARGS... - start tcp-peer.py server in the background
# and wait until it listens.
peer_serve()
{
	local ns=$1 addr=$2 port=$3

	shift 3
	ip netns exec "$ns" $PY "$PEER" server "$addr" "$port" "$@" >/dev/null &
	wait_local_port_listen "$ns" "$port" tcp
}

# peer_client NS ADDR PORT ARGS... - run tcp-peer.py client; prints "ok N/M".
peer_client()
{
	local ns=$1 addr=$2 port=$3

	shift 3
	ip netns exec "$ns" $PY "$PEER" client "$addr" "$port" "$@"
}
