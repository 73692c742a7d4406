# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The cases of the CLI suite, listed once at the end of this file. Cases
# marked "host" need no module and run in 'make check' (tests/cli/run.sh);
# those marked "module" load it and run in the VM
# (scripts/tests/t-cli.sh). Each case is a function run by test_run, so
# that it passes only if every check inside it does.

knobs=$(xnames SYNGUARD_KNOBS | join)
states=$(xnames SYNGUARD_STATES | join)
genl_version=$(awk '$2 == "SYNGUARD_GENL_VERSION" { print $3 }' "$header")
version=$(sed -n 's/^#define SYNGUARD_VERSION "\(.*\)"$/\1/p' \
	"$SG_ROOT/kmod/version.h")
help="see 'synguard --help'"
notloaded='Error: synguard module is not loaded (family "synguard" not found);'
notloaded+=" load it with 'insmod kmod/synguard.ko' or 'modprobe synguard'"
svc_knobs=$(awk '/^#define SYNGUARD_SERVICE_KNOBS\(X\)/ { on = 1; next }
	on { print; if (!/\\$/) exit }' "$header" |
	grep -o 'X([A-Z0-9_]*)' | sed 's/X(\(.*\))/\1/' | tr A-Z a-z | join)
syntax='[ADDR[/PREFIX]:]PORT[-PORT]'
port_range='expected a number from 1 to 65535'
suffixes='expected seconds, optionally with a suffix s, m, h or d'
own_line='comments must be on a line of their own'
modes='expected one of off, observe, enforce'
anyhint='*, like [::/0], is every address of both families'
prom_down="# HELP synguard_up 1 if the synguard module answered, else 0
# TYPE synguard_up gauge
synguard_up 0
# HELP synguard_build_info the synguard tool's version and the netlink version it speaks
# TYPE synguard_build_info gauge
synguard_build_info{version=\"$version\",netlink=\"$genl_version\"} 1"

# Files more than one case reads.
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

# bad_file NAME LINE MESSAGE CONTENT: apply --check reports NAME:LINE.
bad_file()
{
	local f=$tmp/$1.conf

	printf '%s' "$4" >"$f"
	expect 1 "$f:$2: $3" apply --check "$f"
}

# --- host: no module needed ---

case_options()
{
	for opt in --help -h; do
		if expect_ok "$opt"; then
			missing=
			for cmd in show get set apply knobs stats listeners conns \
				   monitor service; do
				grep -q "^  $cmd " <<<"$out" || missing+=" $cmd"
			done
			if [[ $out == "Usage: synguard "* && -z $missing ]]; then
				log_pass "$opt lists every command"
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
			log_pass "--help lists service list, add and del"
		else
			fail "--help lists service list, add and del" "missing:$missing"
		fi
	fi

	if expect_ok --version; then
		if [[ $out =~ ^synguard\ [^\ ]+\ \(netlink\ $genl_version\)$ ]]; then
			log_pass "--version prints \"synguard <version> (netlink $genl_version)\""
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
	nsname='give a name from /run/netns or the path of a namespace file, such as /proc/PID/ns/net'
	expect 2 "Error: invalid network namespace name \"a/b\"; $nsname" \
		-n a/b show
	expect 2 "Error: invalid network namespace name \"..\"; $nsname" \
		-n .. show
	expect 1 'Error: cannot open network namespace "/nonexistent/net": No such file or directory' \
		-n /nonexistent/net show
	expect 1 'Error: "/etc/hostname" is not a network namespace' \
		-n /etc/hostname show
	# The option that is wrong, by the name it was given.
	expect 2 "Error: option \"--json\" takes no value; $help" --json=1 show
	expect 2 "Error: option \"--help\" takes no value; $help" --help=x
	expect 2 "Error: unknown option \"--bogus\"; $help" --bogus=1 show
	expect 2 "Error: option \"-n\" needs an argument; $help" -jn
	expect 2 "Error: unknown option \"-x\"; $help" -jx show
	ns=synguard-test-nosuch-$$
	expect 1 "Error: network namespace \"$ns\" not found" -n "$ns" show
	expect 2 "Error: unexpected argument \"x\" for 'show'" show x
	expect 2 "Error: unexpected argument \"x\" for 'listeners'" listeners x
	expect 2 "Error: unexpected argument \"x\" for 'monitor'" monitor x
	expect 2 "Error: unexpected argument \"x\" for 'knobs'" knobs x
}

case_get_set()
{
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
	expect 2 "Error: invalid value \"5x\" for syn_timeout: $suffixes" \
		set syn_timeout=5x
	expect 2 'Error: expected KEY=VALUE, got "mode"' set mode
	expect 2 "Error: unknown key \"bogus\"; known keys: $knobs" set bogus=1
	expect 2 'Error: key "mode" given twice' set mode=off max_conns=5 mode=observe
	# Nothing is sent if any value is bad, even when the bad one comes last.
	expect 2 'Error: empty value for event_rate' set mode=off event_rate=
	expect 2 "Error: -j is not supported by 'set'" -j set mode=observe
}

case_conns()
{
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
	expect 2 'Error: src: 192.0.2.1/24 has host bits set; did you mean 192.0.2.0/24?' \
		conns src 192.0.2.1/24
	expect 2 'Error: dst: invalid IPv6 address "2001:db8::g"' \
		conns dst 2001:db8::g
	expect 2 "Error: 'dst' given twice" conns dst ::1 count dst ::2
	expect 2 "Error: 'src' needs a value" conns -c src
}

case_stats()
{
	expect 2 "Error: -j cannot be combined with --prometheus" -j stats --prometheus
	expect 2 "Error: unexpected argument \"bogus\" for 'stats'" stats bogus
	# Watch mode.
	local secs='expected whole seconds from 1 to 3600'
	expect 2 "Error: -j cannot be combined with -w" -j stats -w
	expect 2 "Error: -j cannot be combined with -w" -j listeners -w 2
	expect 2 "Error: invalid interval \"0\" for -w: $secs" stats -w 0
	expect 2 "Error: invalid interval \"3601\" for -w: $secs" listeners -w 3601
	expect 2 "Error: reset cannot be combined with -w" stats reset -w 2
	expect 2 "Error: --prometheus cannot be combined with -w" \
		stats -w --prometheus
	expect 2 "Error: -c needs -w" stats -c 2
	expect 2 "Error: -c needs -w" listeners -c 2
	expect 2 'Error: invalid count "x" for -c: expected a whole number, at least 1' \
		stats -w -c x
	expect 2 "Error: '-c' needs a value" listeners -w -c
	expect 2 "Error: unexpected argument \"x\" for 'listeners'" listeners -w x
}

case_service_specs()
{
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
}

case_apply()
{
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
	bad_file svc_any 2 "service *:80 overlaps service [2001:db8::1]:80 on line 1 ($anyhint)" \
		$'service [2001:db8::1]:80\nservice 80\n'
	# [::/0] is every address, IPv4 included (carried IPv4-mapped), and
	# prints as *; 0.0.0.0/0 is only IPv4, so the two overlap.
	bad_file svc_any6 2 "service 0.0.0.0/0:443 overlaps service *:443 on line 1 ($anyhint)" \
		$'service [::/0]:443\nservice 0.0.0.0/0:443\n'
	bad_file svc_any4 2 "service *:80-90 overlaps service 192.0.2.0/24:80 on line 1 ($anyhint)" \
		$'service 192.0.2.0/24:80\nservice *:80-90\n'
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
	cc -std=gnu11 -I"$SG_ROOT/kmod/uapi" -x c -o "$tmp/defaults" - <<'EOF'
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

	# Values in quotes, as in shell and systemd files, are taken without
	# them; a bad one is named without them.
	printf '%s\n' 'mode = "enforce"' "syn_timeout = '2m'" \
		'service 80 mode="observe"' >"$tmp/quoted.conf"
	expect 0 "" apply --check "$tmp/quoted.conf"
	bad_file quoted 2 "invalid value \"bogus\" for mode: $modes" \
		$'max_conns = 5\nmode = "bogus"\n'
	bad_file unbalanced 1 "invalid value \"\\\"enforce\" for mode: $modes" \
		$'mode = "enforce\n'
}

case_knobs()
{
	if expect_ok knobs; then
		listed=$(grep -o '^[a-z0-9_]\+' <<<"$out" | join)
		if [[ $listed == "$knobs" ]]; then
			log_pass "knobs lists the header's knobs in order"
		else
			fail "knobs lists the header's knobs" "got:  $listed" \
			     "want: $knobs"
		fi
	fi
	if command -v python3 >/dev/null && expect_ok -j knobs; then
		names=$(python3 -c 'import json, sys
print(", ".join(k["name"] for k in json.load(sys.stdin)))' <<<"$out")
		if [[ $names == "$knobs" ]]; then
			log_pass "-j knobs is JSON with the header's knobs"
		else
			fail "-j knobs is JSON with the header's knobs" "got: $names"
		fi
	fi
}

case_not_loaded()
{
	if [[ -d /sys/module/synguard ]]; then
		log_info "the synguard module is loaded here"
		return $KSFT_SKIP
	else
		expect 1 "$notloaded" show
		expect 1 "$notloaded" -j show
		expect 1 "$notloaded" get mode
		expect 1 "$notloaded" set mode=enforce syn_timeout=1m
		expect 1 "$notloaded" apply "$good"
		expect 1 "$notloaded" stats
		expect_out 1 "$prom_down" "$notloaded" stats reset --prometheus
		expect 1 "$notloaded" listeners
		expect 1 "$notloaded" conns state established port 80
		expect 1 "$notloaded" monitor
		expect 1 "$notloaded" service
		expect 1 "$notloaded" -j service list
		expect 1 "$notloaded" service add 192.0.2.0/24:80 mode=enforce cookies=2
		expect 1 "$notloaded" service del '[2001:db8::/64]:443'
		expect 1 "$notloaded" apply "$svc_good"
		# A namespace file, as nsenter and ip netns exec users have them.
		expect 1 "$notloaded" -n /proc/self/ns/net show
		expect 1 "$notloaded" -n "/proc/$$/ns/net" stats
		# ss's spelling of the states.
		expect 1 "$notloaded" conns state time-wait
		expect 1 "$notloaded" conns state syn-recv port 80
		expect 1 "$notloaded" stats -w 1 -c 1
		expect 1 "$notloaded" listeners -w
		# Prometheus: the module did not answer.
		expect_out 1 "$prom_down" "$notloaded" stats --prometheus
		mkdir -p "$tmp/prom"
		check_rc "prometheus-textfile --once: exit 1" 1 \
			sh -c "SYNGUARD='$SG' '$SG_ROOT/scripts/prometheus-textfile' --once '$tmp/prom/sg.prom' 2>/dev/null"
		check_eq "prometheus-textfile: synguard_up 0" "$prom_down" \
			"$(cat "$tmp/prom/sg.prom")"
	fi
}

case_parser_units()
{
	if [[ -x $SG_ROOT/tests/cli/test_parse ]]; then
		if unit=$("$SG_ROOT/tests/cli/test_parse" 2>&1); then
			log_pass "parser unit tests: ${unit##*$'\n'}"
		else
			fail "parser unit tests" "$unit"
		fi
	else
		log_info "parser unit tests not built; run 'make -C tests/cli'"
		return $KSFT_SKIP
	fi
}

# The textfile exporter's systemd service and timer, with the exporter
# where this tree has it rather than where make install puts it.
case_units()
{
	local d=$tmp/units out

	if ! command -v systemd-analyze >/dev/null; then
		log_info "systemd-analyze not installed"
		return $KSFT_SKIP
	fi
	mkdir -p "$d"
	sed "s#/usr/local/share/doc/synguard/prometheus-textfile#$SG_ROOT/scripts/prometheus-textfile#" \
		"$SG_ROOT/scripts/synguard-prometheus.service" \
		>"$d/synguard-prometheus.service"
	cp "$SG_ROOT/scripts/synguard-prometheus.timer" "$d/"
	out=$(cd "$d" && systemd-analyze verify --man=no \
		./synguard-prometheus.timer ./synguard-prometheus.service 2>&1)
	check_eq "systemd-analyze verify: exit 0" 0 $?
	check_eq "systemd-analyze verify: no warning" "" "$out"
	check_eq "the timer runs the service every 15 s" "OnUnitActiveSec=15s" \
		"$(grep '^OnUnitActiveSec=' "$d/synguard-prometheus.timer")"
}

# --- module: run in the VM ---

# A configuration that differs from the defaults, so that a half-applied
# change would show.
baseline()
{
	"$SG" set mode=observe max_conns=5000 syn_timeout=30 tw_timeout=45
	"$SG" show
}

case_bad_values()
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

case_bad_files()
{
	local f=$tmp/bad.conf

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

case_privileges()
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
case_kernel_policy()
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

case_no_module()
{
	local err rc

	sg_unload
	err=$("$SG" set mode=off 2>&1)
	rc=$?
	check_eq "no module: exit 1" 1 "$rc"
	check_eq "no module: message" 1 \
		"$(grep -c 'synguard module is not loaded' <<<"$err")"
}

# What 'service list' shows: the mode of each service (enforce unless it
# says otherwise, whatever the namespace's mode) and its overrides; adding
# a service again as it is changes nothing and is not an error.
case_services()
{
	local ns before

	sg_load
	setup_ns ns
	check_rc "add 192.0.2.0/24:80 cookies=2" 0 \
		"$SG" -n "$ns" service add 192.0.2.0/24:80 cookies=2
	check_rc "add 443 mode=observe" 0 \
		"$SG" -n "$ns" service add 443 mode=observe
	check_eq "the namespace observes" "mode = observe" \
		"$("$SG" -n "$ns" get mode)"
	check_eq "list: each service's mode and overrides" \
		"*:443 mode=observe
192.0.2.0/24:80 mode=enforce cookies=2" "$("$SG" -n "$ns" service list)"
	check_eq "-j list: mode next to the overrides" \
		'[{"addr":"::","prefix":0,"family":"any","port_min":443,"port_max":443,"spec":"*:443","mode":"observe","config":{"mode":"observe"}},{"addr":"192.0.2.0","prefix":24,"family":"ipv4","port_min":80,"port_max":80,"spec":"192.0.2.0/24:80","mode":"enforce","config":{"cookies":2}}]' \
		"$("$SG" -n "$ns" -j service list)"

	before=$("$SG" -n "$ns" service list)
	ns_expect "$ns" 0 "service 192.0.2.0/24:80 already exists as given; nothing changed" "" \
		service add 192.0.2.0/24:80 cookies=2
	# Its mode, given or not, is the same.
	ns_expect "$ns" 0 "service 192.0.2.0/24:80 already exists as given; nothing changed" "" \
		service add 192.0.2.0/24:80 cookies=2 mode=enforce
	# [::/0] is *, every address.
	ns_expect "$ns" 0 "service *:443 already exists as given; nothing changed" "" \
		service add '[::/0]:443' mode=observe
	ns_expect "$ns" 1 "" \
		"Error: service 192.0.2.0/24:80 already exists with mode=enforce cookies=2; delete it first, or use apply" \
		service add 192.0.2.0/24:80 cookies=1
	ns_expect "$ns" 1 "" \
		"Error: service 0.0.0.0/0:80-81 overlaps service 192.0.2.0/24:80" \
		service add 0.0.0.0/0:80-81
	ns_expect "$ns" 1 "" \
		"Error: service 0.0.0.0/0:443 overlaps service *:443 ($anyhint)" \
		service add 0.0.0.0/0:443
	check_eq "nothing changed" "$before" "$("$SG" -n "$ns" service list)"
}

iso_re='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{3})?([+-][0-9]{2}:[0-9]{2}|Z)'

# block_sum FILE NAME - the sum, over every block of 'stats -w', of
# counter NAME's per-second rate times the seconds it is over, rounded.
block_sum()
{
	awk -v name="$2:" '/ every / { secs = $(NF - 1) }
		$1 == name { sub(/\/s$/, "", $2); s += $2 * secs }
		END { printf "%.0f\n", s }' "$1"
}

# about WANT GOT - WANT if GOT is within 10% of it, else GOT.
about()
{
	if (($2 * 10 >= $1 * 9 && $2 * 10 <= $1 * 11)); then
		echo "$1"
	else
		echo "$2"
	fi
}

# blocks_after FILE1 FILE2 N - wait up to 20 s until both have N blocks.
blocks_after()
{
	local i

	for ((i = 0; i < 200; i++)); do
		(($(grep -c 'every 1 s' "$1") >= $3 &&
		  $(grep -c 'every 1 s' "$2") >= $3)) && return 0
		sleep 0.1
	done
	return 1
}

# stats -w and listeners -w: every interval, counters as per-second
# rates and gauges as values, each block under a timestamp.
case_watch()
{
	local srv cli w=$tmp/watch l=$tmp/lwatch n nb out rc
	local counters

	sg_load
	pair srv cli
	peer_serve "$srv" $SRV4 8080 --count 100000 --close server
	"$SG" -n "$srv" stats -w 1 >"$w" 2>&1 &
	local st=$!
	"$SG" -n "$srv" listeners -w 1 >"$l" 2>&1 &
	local ls=$!
	# The connections after the first block of each, and two more blocks
	# of each after them, however slowly the client starts.
	blocks_after "$w" "$l" 1
	check_eq "the client's 10 connections" "ok 10/10" \
		"$(peer_client "$cli" $SRV4 8080 --count 10)"
	blocks_after "$w" "$l" $(($(grep -c 'every 1 s' "$w") + 2))
	kill -INT $st $ls
	wait $st
	check_eq "stats -w: exit 0 on SIGINT" 0 $?
	wait $ls
	check_eq "listeners -w: exit 0 on SIGINT" 0 $?
	nb=$(grep -c 'every 1 s' "$w")
	log_info "stats -w:"
	grep -E '^(20|handshakes)' "$w"
	log_info "listeners -w:"
	grep -E "^(20|$SRV4)" "$l"

	check_eq "stats -w: every block under a timestamp" "$nb" \
		"$(grep -cE "^$iso_re  every 1 s; counters per second over the last [0-9]+\\.[0-9] s\$" "$w")"
	n=$(xnames SYNGUARD_COUNTERS | wc -l)
	check_eq "every counter and gauge in each block" $((nb * n)) \
		"$(grep -cE '^[a-z_0-9]+: +[0-9]+(\.[0-9])?(/s)?$' "$w")"
	counters=$(awk '/^#define SYNGUARD_COUNTERS\(X\)/ { on = 1; next }
		on && /SYNGUARD_CK_COUNTER/ { c++ }
		on && !/\\$/ { on = 0 } END { print c }' "$header")
	check_eq "counters as rates" $((nb * counters)) \
		"$(grep -cE '^[a-z_0-9]+: +[0-9]+\.[0-9]/s$' "$w")"
	# Rates times the seconds they are over: 10, give or take rounding.
	check_eq "the 10 handshakes, over the blocks" 10 \
		"$(about 10 "$(block_sum "$w" handshakes)")"
	check_eq "gauges as values" $((nb * (n - counters))) \
		"$(grep -cE '^[a-z_0-9]+: +[0-9]+$' "$w")"

	check_eq "listeners -w: every block under a timestamp" \
		"$(grep -c 'every 1 s' "$l")" \
		"$(grep -cE "^$iso_re  every 1 s; counters per second over the last [0-9]+\\.[0-9] s\$" "$l")"
	out=$("$SG" -n "$srv" stats -w 1 -c 2)
	rc=$?
	check_eq "stats -w 1 -c 2: two blocks, then exit 0" "2 0" \
		"$(grep -c 'every 1 s' <<<"$out") $rc"
	check_eq "listeners -w: the listener's handshakes, over the blocks" 10 \
		"$(about 10 "$(awk -v addr=$SRV4 '$1 == "ADDR" { for (i = 1; i <= NF; i++) if ($i == "HANDSHAKES") c = i }
			/ every / { secs = $(NF - 1) }
			$1 == addr && $2 == 8080 { s += $c * secs } END { printf "%.0f\n", s }' "$l")")"
}

# monitor: each event with its time, in ISO 8601.
case_monitor_time()
{
	local ns out=$tmp/mon jout=$tmp/jmon

	sg_load
	setup_ns ns
	"$SG" -n "$ns" monitor >"$out" &
	local mon=$!
	"$SG" -n "$ns" -j monitor >"$jout" &
	local jmon=$!
	sleep 0.5
	"$SG" -n "$ns" set mode=observe
	sleep 0.5
	kill -INT $mon $jmon
	wait $mon $jmon
	check_eq "event line with its time" 1 \
		"$(grep -cE "^event config time=$iso_re\$" "$out")"
	check_eq "JSON event with its time" 1 \
		"$(grep -cE "^\{\"event\":\"config\",\"time\":\"$iso_re\"\}\$" "$jout")"
}

# stats --prometheus: per-listener and per-service metrics, the invalid
# packets by reason, synguard_up and synguard_build_info; the textfile
# exporter labels them all with the namespace.
case_prometheus()
{
	local srv cli out p=$tmp/p/synguard.prom n reasons

	sg_load
	pair srv cli
	peer_serve "$srv" $SRV4 8080 --count 100000 --close server
	check_eq "5 connections" "ok 5/5" \
		"$(peer_client "$cli" $SRV4 8080 --count 5)"
	"$SG" -n "$srv" service add 8080 cookies=2
	"$SG" -n "$srv" service add 192.0.2.0/24:443 mode=observe
	out=$("$SG" -n "$srv" stats --prometheus)
	check_eq "stats --prometheus: exit 0" 0 $?

	check_eq "synguard_up" "synguard_up 1" "$(grep '^synguard_up ' <<<"$out")"
	check_eq "synguard_build_info" \
		"synguard_build_info{version=\"$version\",netlink=\"$genl_version\"} 1" \
		"$(grep '^synguard_build_info' <<<"$out")"
	n=$(xnames SYNGUARD_LISTENER_COUNTS | wc -l)
	check_eq "every count of the listener, labelled" "$n" \
		"$(grep -cE "^synguard_listener_[a-z_]+\\{addr=\"$SRV4\",port=\"8080\"\\} [0-9]+\$" <<<"$out")"
	check_eq "the listener's handshakes" \
		"synguard_listener_handshakes_total{addr=\"$SRV4\",port=\"8080\"} 5" \
		"$(grep "^synguard_listener_handshakes_total{addr=\"$SRV4\"" <<<"$out")"
	check_eq "each service with its mode" \
		'synguard_service_info{spec="*:8080",mode="enforce"} 1
synguard_service_info{spec="192.0.2.0/24:443",mode="observe"} 1' \
		"$(grep '^synguard_service_info' <<<"$out")"
	check_eq "each override" \
		'synguard_service_override{spec="*:8080",knob="cookies"} 2
synguard_service_override{spec="192.0.2.0/24:443",knob="mode"} 1' \
		"$(grep '^synguard_service_override' <<<"$out")"
	check_eq "services" "synguard_services 2" \
		"$(grep '^synguard_services ' <<<"$out")"
	# invalid_flags is their sum.
	reasons=$(xnames SYNGUARD_COUNTERS | grep '^invalid_' |
		grep -vx invalid_flags | sed 's/^invalid_//' | paste -sd' ')
	check_eq "invalid packets by reason" "$reasons" \
		"$(sed -n 's/^synguard_invalid_packets_total{reason="\([a-z_]*\)"} [0-9]*$/\1/p' <<<"$out" | paste -sd' ')"
	check_eq "the old names still there" "synguard_invalid_syn_fin_total 0" \
		"$(grep '^synguard_invalid_syn_fin_total ' <<<"$out")"
	check_eq "one TYPE per metric" "" \
		"$(grep '^# TYPE ' <<<"$out" | cut -d' ' -f3 | sort | uniq -d)"
	check_eq "a TYPE for every sample" "" \
		"$(comm -23 <(grep -v '^#' <<<"$out" | sed 's/[{ ].*//' | sort -u) \
			<(grep '^# TYPE ' <<<"$out" | cut -d' ' -f3 | sort -u))"

	# Without CAP_NET_ADMIN: all but the listeners, and no error.
	out=$(ip netns exec "$srv" setpriv --reuid=65534 --regid=65534 \
		--clear-groups --inh-caps=-all "$SG" stats --prometheus 2>&1)
	check_eq "unprivileged: exit 0" 0 $?
	check_eq "unprivileged: up, no listeners, no error" "synguard_up 1 0 0" \
		"$(grep '^synguard_up ' <<<"$out") $(grep -c '^synguard_listener_' <<<"$out") $(grep -c 'Error' <<<"$out")"

	mkdir -p "$tmp/p"
	check_rc "prometheus-textfile --once -n NETNS" 0 \
		env SYNGUARD="$SG" "$SG_ROOT/scripts/prometheus-textfile" \
		--once -n "$srv" "$p"
	check_eq "the exporter adds the namespace to every label set" \
		"synguard_listener_handshakes_total{netns=\"$srv\",addr=\"$SRV4\",port=\"8080\"} 5" \
		"$(grep "^synguard_listener_handshakes_total{netns=\"$srv\",addr=\"$SRV4\"" "$p")"
	check_eq "every sample labelled" \
		"$(grep -vc '^#' "$p")" "$(grep -c "^synguard_[a-z0-9_]*{netns=\"$srv\"[,}]" "$p")"
}

# ns_expect NS RC STDOUT STDERR ARGS... - expect_out in namespace NS.
ns_expect()
{
	local ns=$1

	shift
	expect_out "$1" "$2" "$3" -n "$ns" "${@:4}"
}

# The cookie secret comes from a file or standard input, never from the
# command line, where /proc/PID/cmdline shows it to every user; all of
# this is refused before anything is sent.
case_secret_input()
{
	local key=00112233445566778899aabbccddeeff f=$tmp/secret

	expect 2 "Error: a secret on the command line is visible to every user in /proc/PID/cmdline: give it in a file or on standard input ('secret set -')" \
		secret set $key
	expect 1 "Error: $tmp/nosuch: No such file or directory" \
		secret set "$tmp/nosuch"
	printf 'xyz\n' >"$f"
	expect 1 "Error: a cookie secret is 32 hexadecimal digits (16 bytes)" \
		secret set "$f"
	printf '%s00\n' $key >"$f"
	expect 1 "Error: a cookie secret is 32 hexadecimal digits (16 bytes)" \
		secret set "$f"
	: >"$f"
	expect 1 "Error: no secret in $f" secret set "$f"
	expect 1 "Error: no secret in standard input" secret set - </dev/null
	expect 2 "Error: usage: secret [show] | secret set FILE|- | secret clear" \
		secret set
	if [[ ! -d /sys/module/synguard ]]; then
		printf '%s\n' $key >"$f"
		expect 1 "$notloaded" secret set "$f"
		expect 1 "$notloaded" secret set - <"$f"
	fi
}

# WHERE NAME FUNC
cli_case host options case_options
cli_case host get_set case_get_set
cli_case host conns case_conns
cli_case host stats case_stats
cli_case host service_specs case_service_specs
cli_case host apply case_apply
cli_case host knobs case_knobs
cli_case host not_loaded case_not_loaded
cli_case host parser_units case_parser_units
cli_case host units case_units
cli_case host secret_input case_secret_input
cli_case module bad_values case_bad_values
cli_case module bad_files case_bad_files
cli_case module privileges case_privileges
cli_case module kernel_policy case_kernel_policy
cli_case module services case_services
cli_case module watch case_watch
cli_case module monitor_time case_monitor_time
cli_case module prometheus case_prometheus
cli_case module no_module case_no_module
