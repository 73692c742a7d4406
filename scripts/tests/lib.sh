# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers for synguard's shell tests, in the spirit of the kernel's
# tools/testing/selftests/net/lib.sh. Source it from a bash test script:
#
#	source "$(dirname "$0")/lib.sh"
#
#	test_basic()
#	{
#		setup_ns ns1 ns2
#		defer echo "runs when test_basic ends, even on failure"
#		check_eq "lo is up" UP "$(ip -n "$ns1" -br link show lo | awk '{print $2}')"
#	}
#
#	require_cmd ip ss
#	test_run basic test_basic
#	ksft_summary
#
# Each test_run runs its function in a subshell: namespaces, sysctls,
# background jobs and defer'ed commands created inside a test are undone
# when the test ends; those created at the top level when the script
# exits, after the script's own cleanup_hook function (if defined) runs.
# Scripts must not replace the EXIT trap; use defer or cleanup_hook.
#
# TEST_FILTER, if set, is an extended regex: test_run skips tests whose
# name does not match it, without counting them. (Which files run is
# TEST_FILES, read by scripts/tests/run.)
#
# test_long NAME FUNC is test_run for the long suite only (make
# test-long, TEST_LONG=1): tests that repeat another one's path at a
# greater cost (the second address family of an expensive test),
# baselines without synguard, scale tests, the DKMS build. Elsewhere it
# only says that NAME was left to the long suite.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

# PASS/FAIL/SKIP results are appended to a file rather than counted in
# variables, so that results from test subshells and background jobs are
# tallied too.
_lib_tally=$(mktemp "${TMPDIR:-/tmp}/sg-tally.XXXXXX") || exit $KSFT_FAIL
_lib_top=$BASHPID

# Resources to undo, per (sub)shell; test_run resets them in its subshell.
_lib_ns=()
_lib_sysctls=()
_lib_defers=()

log_pass()
{
	echo "PASS: $*"
	echo PASS >>"$_lib_tally"
}

log_fail()
{
	echo "FAIL: $*"
	echo FAIL >>"$_lib_tally"
}

log_skip()
{
	echo "SKIP: $*"
	echo SKIP >>"$_lib_tally"
}

log_info()
{
	echo "# $*"
}

_lib_count()
{
	grep -c -x "$1" "$_lib_tally" || true
}

# check_eq DESC EXPECTED ACTUAL
check_eq()
{
	if [ "$2" = "$3" ]; then
		log_pass "$1"
		return 0
	fi
	log_fail "$1"
	printf '    expected: %s\n    actual:   %s\n' "'$2'" "'$3'"
	return 1
}

# check_ge DESC MIN ACTUAL - ACTUAL is an integer of at least MIN.
check_ge()
{
	if [ "$3" -ge "$2" ] 2>/dev/null; then
		log_pass "$1"
		return 0
	fi
	log_fail "$1"
	printf '    expected: >= %s\n    actual:   %s\n' "$2" "'$3'"
	return 1
}

# check_le DESC MAX ACTUAL - ACTUAL is an integer of at most MAX.
check_le()
{
	if [ "$3" -le "$2" ] 2>/dev/null; then
		log_pass "$1"
		return 0
	fi
	log_fail "$1"
	printf '    expected: <= %s\n    actual:   %s\n' "$2" "'$3'"
	return 1
}

# check_rc DESC EXPECTED_RC CMD [ARGS...] - CMD's output is not redirected;
# to silence it, redirect inside CMD (sh -c '... >/dev/null'), since
# redirecting check_rc would hide its FAIL line too.
check_rc()
{
	local desc=$1 expected=$2 rc

	shift 2
	# "|| rc=$?" also keeps a caller's set -e from firing on CMD.
	rc=0
	"$@" || rc=$?
	check_eq "$desc (exit status of: $*)" "$expected" "$rc"
}

# require_cmd CMD... - skip (the test, or the whole script when called at
# the top level) unless all commands are available.
require_cmd()
{
	local c

	for c in "$@"; do
		if ! command -v "$c" >/dev/null; then
			log_skip "command '$c' not found"
			exit $KSFT_SKIP
		fi
	done
}

# defer CMD [ARGS...] - run CMD when the current test (or the script, at
# the top level) ends; deferred commands run last-in first-out.
defer()
{
	_lib_defers+=("$(printf '%q ' "$@")")
}

# kernel_before MAJOR.MINOR - true when the running kernel is older.
kernel_before()
{
	local rel want=$1

	rel=$(uname -r)
	rel=${rel%%-*}
	[ "$(printf '%s\n%s\n' "$want" "$rel" | sort -V | head -n 1)" != "$want" ]
}

# setup_ns VAR... - create a network namespace per VAR, with lo up, and
# store its (random, so parallel runs cannot collide) name in VAR. The
# namespaces are made by one `ip -b`: on the debug kernel every process
# started costs a second or two.
setup_ns()
{
	local __var __ns __cmds=

	for __var in "$@"; do
		printf -v __ns 'sg-%s-%04x%04x' "${__var,,}" $RANDOM $RANDOM
		_lib_ns+=("$__ns")
		__cmds+="netns add $__ns"$'\n'
		printf -v "$__var" '%s' "$__ns"
	done
	ip -b - <<<"$__cmds" || return $KSFT_FAIL
	for __var in "$@"; do
		ip -n "${!__var}" link set lo up || return $KSFT_FAIL
	done
}

# cleanup_ns - delete the namespaces setup_ns made (those already gone
# are passed over), with one process.
cleanup_ns()
{
	local cmds

	[ ${#_lib_ns[@]} -gt 0 ] || return 0
	printf -v cmds 'netns del %s\n' "${_lib_ns[@]}"
	ip -force -b - <<<"$cmds" >/dev/null 2>&1
	_lib_ns=()
}

# sysctl_save KEY - remember KEY's current value (in the initial network
# namespace) and restore it at cleanup.
sysctl_save()
{
	local val

	val=$(sysctl -n "$1") || return $KSFT_FAIL
	_lib_sysctls+=("$1=$val")
}

_lib_sysctl_restore()
{
	local i

	for ((i = ${#_lib_sysctls[@]} - 1; i >= 0; i--)); do
		sysctl -q -w "${_lib_sysctls[i]}" >/dev/null
	done
	_lib_sysctls=()
}

# _lib_kill_tree SIG PID... - signal processes and all their descendants:
# a job like "( ip netns exec ns socat ... ) &" is a subshell whose
# children would outlive it otherwise.
_lib_kill_tree()
{
	local sig=$1 pid

	shift
	for pid in "$@"; do
		# shellcheck disable=SC2046
		_lib_kill_tree "$sig" $(pgrep -P "$pid")
		kill -"$sig" "$pid" 2>/dev/null
	done
}

# Stop the background jobs of this (sub)shell; SIGKILL whatever ignores
# SIGTERM for 2 s.
_lib_kill_jobs()
{
	local i

	[ -n "$(jobs -p)" ] || return 0
	# shellcheck disable=SC2046
	_lib_kill_tree TERM $(jobs -p)
	for ((i = 0; i < 20; i++)); do
		[ -n "$(jobs -rp)" ] || break
		sleep 0.1
	done
	# shellcheck disable=SC2046
	_lib_kill_tree KILL $(jobs -rp)
	wait 2>/dev/null
}

cleanup()
{
	local i

	# A failing step must neither stop the cleanup nor, via set -e,
	# change the script's exit status.
	set +e
	for ((i = ${#_lib_defers[@]} - 1; i >= 0; i--)); do
		eval "${_lib_defers[i]}"
	done
	_lib_defers=()
	if [ "$BASHPID" = "$_lib_top" ] &&
	   [ "$(type -t cleanup_hook)" = function ]; then
		cleanup_hook
	fi
	_lib_kill_jobs
	_lib_sysctl_restore
	cleanup_ns
	[ "$BASHPID" = "$_lib_top" ] && rm -f "$_lib_tally"
}

trap cleanup EXIT
# Turn signals into a normal exit so that the EXIT trap runs.
trap 'exit 130' INT
trap 'exit 143' TERM

# Timestamp of the newest kernel message (0 if none or not readable).
_lib_dmesg_ts()
{
	dmesg 2>/dev/null | awk '
		match($0, /^\[ *[0-9]+\.[0-9]+\]/) {
			ts = substr($0, 2, RLENGTH - 2) + 0
		}
		END { printf "%.6f\n", ts }'
}

# Kernel messages newer than timestamp $1. Timestamps rather than line
# counts, since the ring buffer may wrap during a long run.
_lib_dmesg_since()
{
	dmesg 2>/dev/null | awk -v since="$1" '
		match($0, /^\[ *[0-9]+\.[0-9]+\]/) {
			ts = substr($0, 2, RLENGTH - 2) + 0
		}
		ts > since + 0'
}

_lib_taint()
{
	local t=0

	read -r t 2>/dev/null </proc/sys/kernel/tainted
	echo "${t:-0}"
}

# Taint bits as the letters of Documentation/admin-guide/tainted-kernels.rst.
_lib_taint_letters()
{
	local flags=PFSRMBUDAWCIOELKXTN i out=

	for ((i = 0; i < ${#flags}; i++)); do
		(($1 & (1 << i))) && out+=${flags:i:1}
	done
	echo "${out:-none}"
}

_lib_dmesg_bad='WARNING:|BUG:|Oops|general protection|refcount_t:|lockdep|possible recursive locking|INFO: task|Call Trace|KASAN|kmemleak|UBSAN'

# test_run NAME FUNC - run FUNC as one test. It fails if FUNC returns
# non-zero (4 = skip), if a check_* inside it failed, or if the kernel
# logged a warning/bug or got newly tainted (out-of-tree and unsigned
# module taints excepted) while it ran.
test_run()
{
	local name=$1 func=$2 rc errexit=
	local ts taint fails new bad first start=$SECONDS

	if [ -n "${TEST_FILTER:-}" ] && ! [[ "$name" =~ $TEST_FILTER ]]; then
		return 0
	fi
	[ -n "${VERBOSE:-}" ] && [ "${VERBOSE:-}" != 0 ] && log_info "running $name"

	ts=$(_lib_dmesg_ts)
	taint=$(_lib_taint)
	fails=$(_lib_count FAIL)

	# Run FUNC with the caller's errexit setting, but never let its
	# failure end the caller.
	[[ $- == *e* ]] && errexit=1 && set +e
	(
		_lib_ns=()
		_lib_sysctls=()
		_lib_defers=()
		# Subshells do not inherit the EXIT trap.
		trap cleanup EXIT
		[ -n "$errexit" ] && set -e
		"$func"
	)
	rc=$?

	[ "$rc" = 0 ] && [ "$(_lib_count FAIL)" != "$fails" ] && rc=$KSFT_FAIL

	new=$(_lib_dmesg_since "$ts")
	bad=$(grep -E "$_lib_dmesg_bad" <<<"$new")
	if [ -n "$bad" ]; then
		echo "    kernel log during $name:"
		# From the first hit on, so that call traces are included.
		first=$(grep -n -m1 -E "$_lib_dmesg_bad" <<<"$new" | cut -d: -f1)
		tail -n +"$first" <<<"$new" | head -n 60 | sed 's/^/    /'
		rc=$KSFT_FAIL
	fi

	taint=$(($(_lib_taint) & ~taint & ~(4096 | 8192)))
	if [ "$taint" != 0 ]; then
		echo "    kernel newly tainted during $name: $(_lib_taint_letters "$taint")"
		rc=$KSFT_FAIL
	fi

	log_info "$name took $((SECONDS - start)) s"
	case "$rc" in
	0)		log_pass "$name" ;;
	"$KSFT_SKIP")	log_skip "$name" ;;
	*)		log_fail "$name" ;;
	esac
	[ -z "$errexit" ] || set -e
}

# is_long - true in the long suite.
is_long()
{
	[ -n "${TEST_LONG:-}" ] && [ "$TEST_LONG" != 0 ]
}

test_long()
{
	if is_long; then
		test_run "$@"
	elif [ -z "${TEST_FILTER:-}" ] || [[ "$1" =~ $TEST_FILTER ]]; then
		log_info "$1: in the long suite only (make test-long)"
	fi
}

# long_or QUICK LONG - LONG in the long suite, else QUICK.
long_or()
{
	if is_long; then
		echo "$2"
	else
		echo "$1"
	fi
}

# ksft_summary - print the tally; return 1 if anything failed, 4 if
# everything was skipped, else 0. Typically the script's last command.
ksft_summary()
{
	local pass fail skip

	pass=$(_lib_count PASS)
	fail=$(_lib_count FAIL)
	skip=$(_lib_count SKIP)
	echo "# Totals: pass:$pass fail:$fail skip:$skip"
	if [ "$fail" -gt 0 ]; then
		return $KSFT_FAIL
	elif [ "$pass" -eq 0 ] && [ "$skip" -gt 0 ]; then
		return $KSFT_SKIP
	fi
	return $KSFT_PASS
}

# nap SECONDS - sleep without starting a process (on the debug kernel a
# process start costs a second or more): a read that times out on a
# pipe no one writes to.
exec {_lib_nap_fd}<> <(:)
nap()
{
	read -r -t "$1" -u "$_lib_nap_fd" || :
}

# wait_local_port_listen NS PORT [tcp|udp] - wait up to 10 s for a
# listening socket on PORT inside NS.
wait_local_port_listen()
{
	local ns=$1 port=$2 proto=${3:-tcp} opt=-Hltn i

	[ "$proto" = udp ] && opt=-Hlun
	for ((i = 0; i < 100; i++)); do
		[ -n "$(ss -N "$ns" $opt "sport = :$port")" ] && return 0
		nap 0.1
	done
	return 1
}
