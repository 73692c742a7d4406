#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-only tests of the synguard command line: exit statuses and exact
# messages of everything that can be checked without the module. Builds
# nothing: run "make -C user" first (and "make -C tests/cli" for the
# parser unit tests, which are skipped if not built).
#
# Knob and state names are read from the uapi header, like the tool
# itself does, so the expected messages follow the header.

set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
sg=${SYNGUARD:-$top/user/synguard}
header=$top/kmod/uapi/linux/synguard.h
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0

pass()
{
	echo "PASS: $1"
	passed=$((passed + 1))
}

# fail WHAT DETAIL...
fail()
{
	echo "FAIL: $1"
	shift
	printf '    %s\n' "$@"
	failed=$((failed + 1))
}

skip()
{
	echo "SKIP: $1"
}

# Names in X-macro table $1 of the header, one per line.
xnames()
{
	awk -v def="#define $1(X)" '
		index($0, def) == 1 { on = 1; next }
		on && /^[ \t]*X\(/ {
			name = $0
			sub(/^[ \t]*X\([A-Z0-9_]+,[ \t]*/, "", name)
			sub(/[,)].*/, "", name)
			print name
		}
		on && !/\\$/ { on = 0 }
	' "$header"
}

# "a, b, c" from lines on stdin.
join()
{
	paste -sd, - | sed 's/,/, /g'
}

# run ARGS...: run synguard; sets rc, out and err. Stdin is inherited.
run()
{
	"$sg" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(<"$tmp/out")
	err=$(<"$tmp/err")
}

# expect RC STDERR ARGS...: exit status RC, exactly STDERR, empty stdout.
expect()
{
	local want_rc=$1 want_err=$2 what

	shift 2
	what="synguard$(printf ' %q' "$@")"
	run "$@"
	if [[ $rc == "$want_rc" && $err == "$want_err" && -z $out ]]; then
		pass "$what"
	else
		fail "$what" "exit $rc, want $want_rc" "stderr: $err" \
		     "want:   $want_err" "stdout: ${out:0:200}"
	fi
}

# expect_ok ARGS...: exit 0, empty stderr; stdout is left in $out.
expect_ok()
{
	local what

	what="synguard$(printf ' %q' "$@")"
	run "$@"
	if [[ $rc == 0 && -z $err ]]; then
		pass "$what"
		return 0
	fi
	fail "$what" "exit $rc, want 0" "stderr: $err"
	return 1
}

if [[ ! -x $sg ]]; then
	fail "synguard is built" "$sg is missing; run 'make -C user' first"
	echo "$passed passed, $failed failed"
	exit 1
fi

knobs=$(xnames SYNGUARD_KNOBS | join)
states=$(xnames SYNGUARD_STATES | join)
genl_version=$(awk '$2 == "SYNGUARD_GENL_VERSION" { print $3 }' "$header")
help="see 'synguard --help'"
notloaded='Error: synguard module is not loaded (family "synguard" not found);'
notloaded+=" load it with 'insmod kmod/synguard.ko' or 'modprobe synguard'"

# --- global options and commands ---

for opt in --help -h; do
	if expect_ok "$opt"; then
		missing=
		for cmd in show get set apply knobs stats listeners conns \
			   monitor service; do
			grep -q "^  $cmd " <<<"$out" || missing+=" $cmd"
		done
		if [[ $out == "Usage: synguard "* && -z $missing ]]; then
			pass "$opt lists every command"
		else
			fail "$opt lists every command" "missing:$missing"
		fi
	fi
done

if expect_ok --help; then
	missing=
	for usage in 'service [list]' 'service add SPEC [KEY=VALUE...]' \
		     'service del SPEC'; do
		grep -qF "  $usage  " <<<"$out" || missing+=" '$usage'"
	done
	if [[ -z $missing ]]; then
		pass "--help lists service list, add and del"
	else
		fail "--help lists service list, add and del" "missing:$missing"
	fi
fi

if expect_ok --version; then
	if [[ $out =~ ^synguard\ [^\ ]+\ \(netlink\ $genl_version\)$ ]]; then
		pass "--version prints \"synguard <version> (netlink $genl_version)\""
	else
		fail "--version format" "got: $out"
	fi
fi

expect 2 "Error: no command given; $help"
expect 2 "Error: unknown command \"bogus\"; $help" bogus
expect 2 "Error: unknown option \"--bogus\"; $help" --bogus
expect 2 "Error: unknown option \"-x\"; $help" -x show
expect 2 "Error: option \"-n\" needs an argument; $help" -n
expect 2 "Error: option \"--netns\" needs an argument; $help" --netns
expect 2 'Error: invalid network namespace name "a/b"' -n a/b show
expect 2 'Error: invalid network namespace name ".."' -n .. show
ns=synguard-test-nosuch-$$
expect 1 "Error: network namespace \"$ns\" not found" -n "$ns" show
expect 2 "Error: unexpected argument \"x\" for 'show'" show x
expect 2 "Error: unexpected argument \"x\" for 'listeners'" listeners x
expect 2 "Error: unexpected argument \"x\" for 'monitor'" monitor x
expect 2 "Error: unexpected argument \"x\" for 'knobs'" knobs x

# --- get / set ---

expect 2 "Error: unknown key \"nosuchknob\"; known keys: $knobs" \
	get nosuchknob
expect 2 "Error: unknown key \"nosuchknob\"; known keys: $knobs" \
	get mode nosuchknob
expect 2 "Error: 'get' needs at least one KEY" get
expect 2 "Error: 'set' needs at least one KEY=VALUE" set
expect 2 'Error: invalid value "bogus" for mode: expected one of off, observe, enforce' \
	set mode=bogus
expect 2 'Error: invalid value "3" for mode: expected one of off, observe, enforce' \
	set mode=3
expect 2 'Error: invalid value "-1" for max_conns: negative values are not allowed' \
	set max_conns=-1
expect 2 'Error: invalid value "99999999999999999999" for max_conns: out of range 1..16777216' \
	set max_conns=99999999999999999999
expect 2 'Error: invalid value "12abc" for max_conns: expected a decimal number' \
	set max_conns=12abc
expect 2 'Error: invalid value " 5" for max_conns: expected a decimal number' \
	set "max_conns= 5"
expect 2 'Error: empty value for max_conns' set max_conns=
expect 2 'Error: invalid value "0" for syn_timeout: out of range 1..600 seconds' \
	set syn_timeout=0
expect 2 'Error: invalid value "11m" for syn_timeout: out of range 1..600 seconds' \
	set syn_timeout=11m
suffixes='expected seconds, optionally with a suffix s, m, h or d'
expect 2 "Error: invalid value \"5x\" for syn_timeout: $suffixes" \
	set syn_timeout=5x
expect 2 'Error: expected KEY=VALUE, got "mode"' set mode
expect 2 "Error: unknown key \"bogus\"; known keys: $knobs" set bogus=1
expect 2 'Error: key "mode" given twice' set mode=off max_conns=5 mode=observe
# Nothing is sent if any value is bad, even when the bad one comes last.
expect 2 'Error: empty value for event_rate' set mode=off event_rate=
expect 2 "Error: -j is not supported by 'set'" -j set mode=observe

# --- conns ---

expect 2 'Error: invalid port "0": expected a number from 1 to 65535' \
	conns port 0
expect 2 'Error: invalid port "65536": expected a number from 1 to 65535' \
	conns port 65536
expect 2 'Error: invalid port "-1": expected a number from 1 to 65535' \
	conns port -1
expect 2 'Error: invalid port "80x": expected a number from 1 to 65535' \
	conns port 80x
expect 2 'Error: invalid port "": expected a number from 1 to 65535' \
	conns port ""
expect 2 "Error: invalid state \"nosuch\"; valid states: $states" \
	conns state nosuch
expect 2 "Error: 'port' needs a value" conns port
expect 2 "Error: 'state' given twice" conns state established state close
expect 2 "Error: unexpected argument \"bogus\" for 'conns'" conns bogus

# --- stats ---

expect 2 "Error: -j cannot be combined with --prometheus" -j stats --prometheus
expect 2 "Error: -j cannot be combined with --prometheus" -j listeners --prometheus
expect 2 "Error: unexpected argument \"x\" for 'listeners'" listeners --prometheus x
expect 2 "Error: unexpected argument \"bogus\" for 'stats'" stats bogus

# --- service ---

svc_knobs=$(awk '/^#define SYNGUARD_SERVICE_KNOBS\(X\)/ { on = 1; next }
	on { print; if (!/\\$/) exit }' "$header" |
	grep -o 'X([A-Z0-9_]*)' | sed 's/X(\(.*\))/\1/' | tr A-Z a-z | join)
syntax='[ADDR[/PREFIX]:]PORT[-PORT]'
port_range='expected a number from 1 to 65535'

expect 2 'Error: 192.0.2.1/24 has host bits set; did you mean 192.0.2.0/24?' \
	service add 192.0.2.1/24:80
expect 2 'Error: [2001:db8::1/64] has host bits set; did you mean [2001:db8::/64]?' \
	service add '[2001:db8::1/64]:443'
expect 2 'Error: 192.0.2.1/24 has host bits set; did you mean 192.0.2.0/24?' \
	service del 192.0.2.1/24:80
expect 2 'Error: invalid prefix length "33": expected 0 to 32 for IPv4' \
	service add 192.0.2.0/33:80
expect 2 'Error: invalid prefix length "129": expected 0 to 128 for IPv6' \
	service add '[2001:db8::/129]:80'
expect 2 'Error: invalid prefix length "": expected 0 to 32 for IPv4' \
	service add 192.0.2.0/:80
expect 2 'Error: invalid IPv4 address "192.0.2.256"' service add 192.0.2.256:80
expect 2 'Error: invalid IPv4 address "example.com"' service add example.com:80
expect 2 'Error: invalid IPv6 address "2001:db8::g"' service add '[2001:db8::g]:80'
expect 2 'Error: invalid IPv6 address "192.0.2.1"' service add '[192.0.2.1]:80'
expect 2 'Error: invalid service "2001:db8::1:443": an IPv6 address must be in brackets, as in [2001:db8::/64]:443' \
	service add 2001:db8::1:443
expect 2 'Error: missing "]" after the IPv6 address in "[2001:db8::1:443"' \
	service add '[2001:db8::1:443'
expect 2 "Error: invalid port \"0\": $port_range" service add 0
expect 2 "Error: invalid port \"65536\": $port_range" service add 65536
expect 2 "Error: invalid port \"65536\": $port_range" service add 80-65536
expect 2 "Error: invalid port \"0\": $port_range" service add 192.0.2.0/24:0
expect 2 "Error: invalid port \"-1\": $port_range" service add '*:80--1'
expect 2 "Error: invalid port \"80x\": $port_range" service add 80x
expect 2 "Error: invalid port \"\": $port_range" service add 80-
expect 2 'Error: port range 90-80: start is greater than end' service add 90-80
expect 2 'Error: port range 90-80: start is greater than end' \
	service del '[2001:db8::/64]:90-80'
expect 2 "Error: missing port in \"192.0.2.0/24\"; expected $syntax" \
	service add 192.0.2.0/24
expect 2 "Error: missing port in \"[2001:db8::1]\"; expected $syntax" \
	service add '[2001:db8::1]'
expect 2 "Error: missing port in \"192.0.2.1:\"; expected $syntax" \
	service add 192.0.2.1:
expect 2 "Error: invalid service \"[::1]443\"; expected $syntax" \
	service add '[::1]443'
expect 2 "Error: invalid service \":80\"; expected $syntax" service add :80
expect 2 "Error: invalid service \"\"; expected $syntax" service add ''
expect 2 "Error: knob \"max_conns\" cannot be set per service; service knobs: $svc_knobs" \
	service add 80 max_conns=5
expect 2 "Error: knob \"event_rate\" cannot be set per service; service knobs: $svc_knobs" \
	service add 80 mode=enforce event_rate=5
expect 2 "Error: unknown key \"bogus\"; service knobs: $svc_knobs" \
	service add 80 bogus=1
expect 2 'Error: invalid value "bogus" for mode: expected one of off, observe, enforce' \
	service add 80 mode=bogus
expect 2 'Error: invalid value "3" for cookies: out of range 0..2' \
	service add 192.0.2.0/24:80 cookies=3
expect 2 'Error: invalid value "-1" for mss: negative values are not allowed' \
	service add 80 mss=-1
expect 2 "Error: invalid value \"5x\" for pickup_grace: $suffixes" \
	service add 80 pickup_grace=5x
expect 2 'Error: empty value for wscale' service add 80 wscale=
expect 2 'Error: key "mode" given twice' \
	service add 80 mode=enforce cookies=2 mode=off
expect 2 'Error: expected KEY=VALUE, got "mode"' service add 80 mode
expect 2 "Error: 'service add' needs a service: $syntax" service add
expect 2 "Error: 'service del' needs a service: $syntax" service del
expect 2 "Error: unexpected argument \"mode=off\" for 'service del'" \
	service del 80 mode=off
expect 2 "Error: unexpected argument \"x\" for 'service list'" service list x
expect 2 'Error: unknown service command "bogus"; expected add, del or list' \
	service bogus
expect 2 "Error: -j is not supported by 'service add'" -j service add 80
expect 2 "Error: -j is not supported by 'service del'" -j service del 80

# --- apply ---

good=$tmp/good.conf
cat >"$good" <<'CONF'
# a comment
; another comment

mode = enforce
syn_timeout = 2m
est_timeout =1d
CONF
# Whitespace around keys and values, CRLF line ends.
printf '\tmax_conns=1000\t\n event_rate = 5\r\n' >>"$good"

expect 0 "" apply --check "$good"
expect 0 "" apply --check - <"$good"
: >"$tmp/empty.conf"
expect 0 "" apply --check "$tmp/empty.conf"
# Nothing to apply: nothing is sent, so this needs no module.
expect 0 "" apply "$tmp/empty.conf"
expect 2 "Error: -j is not supported by 'apply'" -j apply --check "$good"
expect 2 "Error: 'apply' needs a FILE (- for standard input)" apply --check
expect 2 "Error: unexpected argument \"b\" for 'apply': only one FILE is read" \
	apply --check "$good" b
expect 2 "Error: unknown option \"--bogus\" for 'apply'" apply --bogus "$good"
expect 1 "Error: cannot open \"$tmp/nosuch.conf\": No such file or directory" \
	apply --check "$tmp/nosuch.conf"
expect 1 "Error: cannot read \"$tmp\": Is a directory" apply --check "$tmp"

# bad_file NAME LINE MESSAGE CONTENT: apply --check reports NAME:LINE.
bad_file()
{
	local f=$tmp/$1.conf

	printf '%s' "$4" >"$f"
	expect 1 "$f:$2: $3" apply --check "$f"
}

own_line='comments must be on a line of their own'
bad_file value 3 'invalid value "12abc" for max_conns: expected a decimal number' \
	$'# header\nmode = off\nmax_conns = 12abc\nsyn_timeout = 30\n'
bad_file unknown 2 "unknown key \"bogus\"; known keys: $knobs" \
	$'mode = off\nbogus = 1\n'
bad_file noequal 4 'expected "key = value", got "syn_timeout 30"' \
	$'\n\n# x\nsyn_timeout 30\n'
bad_file empty 1 'empty value for event_rate' $'event_rate =\n'
bad_file nokey 2 'missing key before "="' $'mode = off\n = 5\n'
bad_file range 1 'invalid value "601" for tw_timeout: out of range 1..600 seconds' \
	$'tw_timeout = 601\n'
bad_file mode 1 'invalid value "on" for mode: expected one of off, observe, enforce' \
	$'mode = on\n'
bad_file comment 1 "comment after the value of fin_timeout; $own_line" \
	$'fin_timeout = 60 # one minute\n'
bad_file dup 3 'key "mode" already set on line 1' \
	$'mode = off\nmax_conns = 5\nmode = observe\n'

# Every bad line is reported, not just the first.
printf 'mode = x\nmax_conns = 5\nsyn_timeout = -1\n' >"$tmp/two.conf"
expect 1 "$tmp/two.conf:1: invalid value \"x\" for mode: expected one of off, observe, enforce
$tmp/two.conf:3: invalid value \"-1\" for syn_timeout: negative values are not allowed" \
	apply --check "$tmp/two.conf"
expect 1 '<stdin>:1: empty value for mode' apply --check - <<<'mode='

# Service lines next to knob lines.
svc_good=$tmp/services.conf
cat >"$svc_good" <<'CONF'
# knobs and services together
mode = observe
service 192.0.2.0/24:80 mode=enforce cookies=2
service *:443
	service   [2001:db8::/64]:8000-8100	pickup_grace=2m
service 192.0.2.7:22
service 0.0.0.0/0:25 syn_backlog=100
service [2001:db8:1::1]:25
CONF
expect 0 "" apply --check "$svc_good"
expect 0 "" apply --check - <"$svc_good"

bad_file svc_hostbits 2 '192.0.2.1/24 has host bits set; did you mean 192.0.2.0/24?' \
	$'mode = off\nservice 192.0.2.1/24:80\n'
bad_file svc_knob 1 "knob \"max_conns\" cannot be set per service; service knobs: $svc_knobs" \
	$'service 80 max_conns=5\n'
bad_file svc_range 1 'port range 90-80: start is greater than end' \
	$'service 90-80\n'
bad_file svc_empty 2 "expected \"service $syntax [KEY=VALUE...]\"" \
	$'# x\nservice\n'
bad_file svc_comment 1 "comment after a service; $own_line" \
	$'service 443 # https\n'
bad_file svc_dupkey 1 'key "mode" given twice' \
	$'service 443 mode=off mode=enforce\n'
bad_file svc_dup 3 'service 192.0.2.0/24:80 already given on line 1' \
	$'service 192.0.2.0/24:80\nservice 443\nservice 192.0.2.0/24:80 mode=off\n'
bad_file svc_overlap 2 'service 192.0.2.128/25:79-81 overlaps service 192.0.2.0/24:80 on line 1' \
	$'service 192.0.2.0/24:80\nservice 192.0.2.128/25:79-81\n'
bad_file svc_any 2 'service *:80 overlaps service [2001:db8::1]:80 on line 1' \
	$'service [2001:db8::1]:80\nservice 80\n'
bad_file svc_keyword 1 "unknown key \"service\"; known keys: $knobs" \
	$'service=80\n'

# Every bad line is reported, knob and service lines alike.
printf '%s\n' 'mode = enforce' 'service 80 mode=x' 'max_conns = 5' \
	'service [::1/64]:22' 'syn_timeout = 0' 'service 443' >"$tmp/svc.conf"
expect 1 "$tmp/svc.conf:2: invalid value \"x\" for mode: expected one of off, observe, enforce
$tmp/svc.conf:4: [::1/64] has host bits set; did you mean [::/64]?
$tmp/svc.conf:5: invalid value \"0\" for syn_timeout: out of range 1..600 seconds" \
	apply --check "$tmp/svc.conf"

# Every knob of the header, at its default, is accepted. The values come
# from the header's table itself, through the C preprocessor.
cc -std=gnu11 -I"$top/kmod/uapi" -x c -o "$tmp/defaults" - <<'EOF'
#include <stdio.h>
#include <linux/synguard.h>
#define DEF(id, name, type, min, max, def, desc) \
	printf("%s = %lu\n", #name, (unsigned long)(def));
int main(void)
{
	SYNGUARD_KNOBS(DEF)
	return 0;
}
EOF
"$tmp/defaults" >"$tmp/defaults.conf"
expect 0 "" apply --check "$tmp/defaults.conf"

# --- knobs: derived from the header ---

if expect_ok knobs; then
	listed=$(grep -o '^[a-z0-9_]\+' <<<"$out" | join)
	if [[ $listed == "$knobs" ]]; then
		pass "knobs lists the header's knobs in order"
	else
		fail "knobs lists the header's knobs" "got:  $listed" \
		     "want: $knobs"
	fi
fi
if command -v python3 >/dev/null && expect_ok -j knobs; then
	names=$(python3 -c 'import json, sys
print(", ".join(k["name"] for k in json.load(sys.stdin)))' <<<"$out")
	if [[ $names == "$knobs" ]]; then
		pass "-j knobs is JSON with the header's knobs"
	else
		fail "-j knobs is JSON with the header's knobs" "got: $names"
	fi
fi

# --- without the module ---

if [[ -d /sys/module/synguard ]]; then
	skip "module-not-loaded errors: the synguard module is loaded here"
else
	expect 1 "$notloaded" show
	expect 1 "$notloaded" -j show
	expect 1 "$notloaded" get mode
	expect 1 "$notloaded" set mode=enforce syn_timeout=1m
	expect 1 "$notloaded" apply "$good"
	expect 1 "$notloaded" stats
	expect 1 "$notloaded" stats reset --prometheus
	expect 1 "$notloaded" listeners
	expect 1 "$notloaded" conns state established port 80
	expect 1 "$notloaded" monitor
	expect 1 "$notloaded" service
	expect 1 "$notloaded" -j service list
	expect 1 "$notloaded" service add 192.0.2.0/24:80 mode=enforce cookies=2
	expect 1 "$notloaded" service del '[2001:db8::/64]:443'
	expect 1 "$notloaded" apply "$svc_good"
fi

# --- parser unit tests ---

if [[ -x $top/tests/cli/test_parse ]]; then
	if unit=$("$top/tests/cli/test_parse" 2>&1); then
		pass "parser unit tests: ${unit##*$'\n'}"
	else
		fail "parser unit tests" "$unit"
	fi
else
	skip "parser unit tests: not built; run 'make -C tests/cli'"
fi

echo "$passed passed, $failed failed"
((failed == 0))
