#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input, with the module loaded: every case gets a clear error and the
# configuration is left exactly as it was. The kernel's own checks are
# exercised with hand-built netlink messages that bypass the tool's.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sg.sh"

NLRAW="$PY $SG_ROOT/scripts/tests/nlraw.py"

# A configuration that differs from the defaults, so that a half-applied
# change would show.
baseline()
{
	"$SG" set mode=observe max_conns=5000 syn_timeout=30 tw_timeout=45
	"$SG" show
}

# bad DESC RC MESSAGE ARGS... - synguard ARGS exits RC, prints MESSAGE on
# stderr, and the configuration is unchanged.
bad()
{
	local desc=$1 rc=$2 msg=$3 before after err got

	shift 3
	before=$("$SG" show)
	err=$("$SG" "$@" 2>&1 >/dev/null)
	got=$?
	after=$("$SG" show)
	check_eq "$desc: exit $rc" "$rc" "$got"
	check_eq "$desc: message" "$msg" "$err"
	check_eq "$desc: configuration unchanged" "$before" "$after"
}

test_bad_values()
{
	sg_load
	baseline >/dev/null
	local keys

	keys=$("$SG" knobs | grep -v '^	' | cut -d' ' -f1 | paste -sd, | sed 's/,/, /g')
	bad "unknown key" 2 "Error: unknown key \"nosuch\"; known keys: $keys" \
		set nosuch=1
	bad "misspelled key" 2 "Error: unknown key \"max_con\"; known keys: $keys" \
		set mode=off max_con=5
	bad "negative" 2 'Error: invalid value "-1" for max_conns: negative values are not allowed' \
		set max_conns=-1
	bad "overflow" 2 'Error: invalid value "99999999999999999999" for max_conns: out of range 1..16777216' \
		set max_conns=99999999999999999999
	bad "trailing junk" 2 'Error: invalid value "12abc" for max_conns: expected a decimal number' \
		set max_conns=12abc
	bad "empty value" 2 'Error: empty value for max_conns' set max_conns=
	bad "out of range" 2 'Error: invalid value "0" for syn_timeout: out of range 1..600 seconds' \
		set syn_timeout=0
	bad "one bad value of three" 2 'Error: invalid value "601" for tw_timeout: out of range 1..600 seconds' \
		set mode=enforce max_conns=7 tw_timeout=601
	bad "bad mode" 2 'Error: invalid value "bogus" for mode: expected one of off, observe, enforce' \
		set mode=bogus
	bad "no =" 2 'Error: expected KEY=VALUE, got "mode"' set mode
	bad "port 0" 2 'Error: invalid port "0": expected a number from 1 to 65535' \
		conns port 0
	bad "port 65536" 2 'Error: invalid port "65536": expected a number from 1 to 65535' \
		conns port 65536
	bad "-j with set" 2 "Error: -j is not supported by 'set'" -j set mode=off
	bad "-j with apply" 2 "Error: -j is not supported by 'apply'" -j apply /dev/null
	bad "missing netns" 1 'Error: network namespace "nosuchns" not found' \
		-n nosuchns set mode=off
}

test_bad_files()
{
	local f=$TMPDIR/bad.conf

	sg_load
	baseline >/dev/null
	printf 'mode = enforce\n# comment\nmax_conns = 12\nbogus = 1\n' >"$f"
	bad "apply: unknown key, line 4" 1 "$f:4: unknown key \"bogus\"; known keys: $("$SG" knobs | grep -v '^	' | cut -d' ' -f1 | paste -sd, | sed 's/,/, /g')" \
		apply "$f"
	printf 'mode = enforce\nmax_conns 12\n' >"$f"
	bad "apply: missing =, line 2" 1 "$f:2: expected \"key = value\", got \"max_conns 12\"" \
		apply "$f"
	printf 'mode = enforce\n\ntw_timeout = 0\n' >"$f"
	bad "apply: out of range, line 3" 1 "$f:3: invalid value \"0\" for tw_timeout: out of range 1..600 seconds" \
		apply "$f"
	bad "apply: missing file" 1 'Error: cannot open "/nonexistent": No such file or directory' \
		apply /nonexistent
	printf 'mode = enforce\nmax_conns = 12\n' >"$f"
	bad "apply --check applies nothing" 0 "" apply --check "$f"
	check_rc "apply of a good file" 0 "$SG" apply "$f"
	check_eq "it applied both" "mode = enforce
max_conns = 12" "$("$SG" get mode max_conns)"
	"$SG" set mode=observe
}

test_privileges()
{
	local nobody="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all"

	sg_load
	baseline >/dev/null
	local before err rc

	before=$("$SG" show)
	err=$($nobody "$SG" set mode=off 2>&1)
	rc=$?
	check_eq "unprivileged set: exit 1" 1 "$rc"
	check_eq "unprivileged set: message" \
		'Error: permission denied: this needs CAP_NET_ADMIN' "$err"
	check_eq "unprivileged set: unchanged" "$before" "$("$SG" show)"
	check_rc "unprivileged show works" 0 $nobody sh -c "'$SG' show >/dev/null"
	check_rc "unprivileged stats works" 0 $nobody sh -c "'$SG' stats >/dev/null"
	check_rc "unprivileged conns refused" 1 $nobody sh -c "'$SG' conns 2>/dev/null"
	check_rc "unprivileged listeners refused" 1 $nobody sh -c "'$SG' listeners 2>/dev/null"
	check_rc "unprivileged stats reset refused" 1 \
		$nobody sh -c "'$SG' stats reset 2>/dev/null"
}

# The kernel checks everything again, whatever a client sends.
test_kernel_policy()
{
	local before

	sg_load
	baseline >/dev/null
	before=$("$SG" show)
	# Attribute numbers are knob ids + 1: mode 1, max_conns 2, ...
	check_eq "out of range" "errno 34: integer out of range" \
		"$($NLRAW set 1=3)"
	check_eq "one bad knob fails the whole set" \
		"errno 34: integer out of range" "$($NLRAW set 2=100 3=0)"
	check_eq "unknown knob attribute" "errno 22: Unknown attribute type" \
		"$($NLRAW set 99=1)"
	check_eq "knob 0 is not a knob" "errno 22: Unknown attribute type" \
		"$($NLRAW set 0=1)"
	check_eq "missing config" \
		"errno 22: SYNGUARD_A_CONFIG or SYNGUARD_A_COOKIE_SECRET is required" \
		"$($NLRAW set-raw '')"
	check_eq "empty config" "errno 22: no knob to set" \
		"$($NLRAW set-raw 04000280)"
	check_eq "config not nested" "errno 22: NLA_F_NESTED is missing" \
		"$($NLRAW set-raw 0c0002000800020064000000)"
	check_eq "truncated attribute" \
		"errno 22: bytes leftover after parsing attributes" \
		"$($NLRAW set-raw 08000200ff)"
	check_eq "unknown flag bit" "errno 22: reserved bit set" \
		"$($NLRAW cmd 3 0800040002000000)"
	check_eq "unknown command" "errno 95" "$($NLRAW cmd 42)"
	check_eq "nothing changed" "$before" "$("$SG" show)"
	check_eq "a valid raw set works" "errno 0" "$($NLRAW set 2=4242)"
	check_eq "and is applied" "max_conns = 4242" "$("$SG" get max_conns)"
}

test_no_module()
{
	local err rc

	sg_unload
	err=$("$SG" set mode=off 2>&1)
	rc=$?
	check_eq "no module: exit 1" 1 "$rc"
	check_eq "no module: message" 1 \
		"$(grep -c 'synguard module is not loaded' <<<"$err")"
}

require_cmd setpriv
TMPDIR=$(mktemp -d)
defer rm -rf "$TMPDIR"
defer sg_unload
test_run bad_values test_bad_values
test_run bad_files test_bad_files
test_run privileges test_privileges
test_run kernel_policy test_kernel_policy
test_run no_module test_no_module
ksft_summary
