#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs on the host (scripts/run-suites vm): scripts/vm-run from a checkout
# under /tmp, and from a directory under /tmp, both of which the guest's
# own /tmp would hide. The guest must see them at the same path, may
# write there, and the host's copy must stay as it was.
source "$(dirname "$0")/lib.sh"

SG_ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# in_guest DIR VMRUN - run a few commands through VMRUN from DIR; prints
# what the guest saw.
in_guest()
{
	(cd "$1" && "$2" --timeout 300 -- sh -c \
		'pwd; cat marker; echo guest >marker && cat marker' 2>&1)
}

tmp=$(mktemp -d /tmp/sg-vm-run.XXXXXX) || exit $KSFT_FAIL
defer rm -rf "$tmp"

# A checkout under /tmp: vm-run shares the directory above its scripts/.
mkdir -p "$tmp/checkout/scripts"
cp "$SG_ROOT/scripts/vm-run" "$SG_ROOT/scripts/vm-init" "$tmp/checkout/scripts/"
echo host >"$tmp/checkout/marker"
out=$(in_guest "$tmp/checkout" scripts/vm-run)
rc=$?
check_eq "checkout under /tmp: vm-run exit status" 0 "$rc"
check_eq "checkout under /tmp: the guest sees it at its path" \
	"$(printf '%s\nhost\nguest' "$tmp/checkout")" \
	"$(grep -x -e "$tmp/checkout" -e host -e guest <<<"$out")"
check_eq "checkout under /tmp: the host's copy is untouched" host \
	"$(cat "$tmp/checkout/marker")"

# Any directory under /tmp, with vm-run from this checkout.
mkdir -p "$tmp/cwd"
echo host >"$tmp/cwd/marker"
out=$(in_guest "$tmp/cwd" "$SG_ROOT/scripts/vm-run")
rc=$?
check_eq "directory under /tmp: vm-run exit status" 0 "$rc"
check_eq "directory under /tmp: the guest sees it at its path" \
	"$(printf '%s\nhost\nguest' "$tmp/cwd")" \
	"$(grep -x -e "$tmp/cwd" -e host -e guest <<<"$out")"
check_eq "directory under /tmp: the host's copy is untouched" host \
	"$(cat "$tmp/cwd/marker")"

ksft_summary
