# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The harness of the CLI suite, on the host (tests/cli/run.sh) and in the
# VM (scripts/tests/t-cli.sh) alike: scripts/tests/lib.sh for the tally,
# test_run and defer, scripts/tests/sg.sh for the module, and the helpers
# below for running the tool and checking what it printed. The cases
# themselves are in tests/cli/cases.sh, listed once.
#
# Knob and state names are read from the uapi header, as the tool itself
# reads them, so the expected messages follow the header.

_cli_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$_cli_dir/../../scripts/tests/lib.sh"
source "$_cli_dir/../../scripts/tests/sg.sh"

SG=${SYNGUARD:-$SG}
header=$SG_ROOT/kmod/uapi/linux/synguard.h
NLRAW="$PY $SG_ROOT/scripts/tests/nlraw.py"
tmp=$(mktemp -d)
defer rm -rf "$tmp"

# fail WHAT DETAIL... - a failed check with its details indented.
fail()
{
	log_fail "$1"
	shift
	printf '    %s\n' "$@"
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
	"$SG" "$@" >"$tmp/out" 2>"$tmp/err"
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
		log_pass "$what"
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
		log_pass "$what"
		return 0
	fi
	fail "$what" "exit $rc, want 0" "stderr: $err"
	return 1
}

# expect_out RC STDOUT STDERR ARGS...: exit status RC and exactly STDOUT
# and STDERR.
expect_out()
{
	local want_rc=$1 want_out=$2 want_err=$3 what

	shift 3
	what="synguard$(printf ' %q' "$@")"
	run "$@"
	if [[ $rc == "$want_rc" && $err == "$want_err" && $out == "$want_out" ]]; then
		log_pass "$what"
	else
		fail "$what" "exit $rc, want $want_rc" "stderr: $err" \
		     "want:   $want_err" "stdout: $out" "want:   $want_out"
	fi
}

# bad DESC RC MESSAGE ARGS... - with the module loaded: synguard ARGS
# exits RC, prints MESSAGE on stderr, and the configuration is unchanged.
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

# cli_case WHERE NAME FUNC - one entry of the case list. WHERE is "host"
# for cases that need no module (and run anywhere), "module" for those
# that load it, which run in the VM.
_cli_cases=()
cli_case()
{
	_cli_cases+=("$1 $2 $3")
}

# run_cases WHERE - run the listed cases for WHERE, each through test_run.
run_cases()
{
	local entry where name func

	for entry in "${_cli_cases[@]}"; do
		read -r where name func <<<"$entry"
		[ "$where" = "$1" ] && test_run "$name" "$func"
	done
}
