#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb on the host: both packages build, lintian finds no error or
# warning (bar debian/*.lintian-overrides), and each package holds what
# it should: the tool's with /etc/synguard.conf as its only conffile and
# units that name /usr/sbin, the DKMS one with every module source git
# tracks and the dkms calls in its maintainer scripts. Installing them
# (with the DKMS build) runs in the VM: t-install.sh's deb test.
set -euo pipefail

cd "$(dirname "$0")/../.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0

check()
{
	if [ "$2" = "$3" ]; then
		echo "ok: $1"
	else
		echo "FAIL: $1"
		printf '    expected: %s\n    actual:   %s\n' "'$2'" "'$3'"
		fail=1
	fi
}

if ! make -s _deb DEB_DIR="$dir/deb" >"$dir/log" 2>&1; then
	tail -n 30 "$dir/log"
	echo "FAIL: make deb"
	exit 1
fi
echo "ok: make deb (lintian: $(grep -c '^[EW]: ' "$dir/log" || true) errors and warnings)"
v=$(sed -n 's/.*SYNGUARD_VERSION "\(.*\)"$/\1/p' kmod/version.h)
tool=$dir/deb/synguard_${v}_$(dpkg --print-architecture).deb
dkms=$dir/deb/synguard-dkms_${v}_all.deb

files()
{
	dpkg-deb -c "$1" | awk '$1 !~ /^d/ { sub(/^\.\//, "/", $6); print $6 }' |
		LC_ALL=C sort
}

check "the tool package's files" "$(printf '%s\n' \
	/etc/synguard.conf \
	/lib/systemd/system/synguard-prometheus.service \
	/lib/systemd/system/synguard-prometheus.timer \
	/lib/systemd/system/synguard.service \
	/usr/sbin/synguard \
	/usr/share/bash-completion/completions/synguard \
	/usr/share/doc/synguard/README.gz \
	/usr/share/doc/synguard/admin-guide.rst.gz \
	/usr/share/doc/synguard/changelog.gz \
	/usr/share/doc/synguard/copyright \
	/usr/share/doc/synguard/knobs.rst.gz \
	/usr/share/doc/synguard/stats.rst.gz \
	/usr/share/lintian/overrides/synguard \
	/usr/share/man/man8/synguard.8.gz \
	/usr/share/synguard/prometheus-textfile | LC_ALL=C sort)" \
	"$(files "$tool")"
dpkg-deb -e "$tool" "$dir/tool.ctl"
check "its only conffile" /etc/synguard.conf "$(cat "$dir/tool.ctl/conffiles")"
# Removal stops the unit, which unloads the module (make test-system
# found it left loaded after a purge).
check "its prerm stops synguard.service on removal" yes \
	"$(sh -n "$dir/tool.ctl/prerm" 2>/dev/null &&
	   sed -e :a -e '/\\$/N; s/\\\n//; ta' "$dir/tool.ctl/prerm" |
	   grep -q 'deb-systemd-invoke stop .*synguard\.service' &&
	   echo yes)"
dpkg-deb -x "$tool" "$dir/tool"
check "the unit applies /etc/synguard.conf with /usr/sbin/synguard" \
	"ExecStart=/usr/sbin/synguard apply /etc/synguard.conf" \
	"$(grep '^ExecStart=' "$dir/tool/lib/systemd/system/synguard.service")"
check "the exporter's unit runs the packaged script" \
	"ExecStart=/usr/share/synguard/prometheus-textfile --once /var/lib/prometheus/node-exporter/synguard.prom" \
	"$(grep '^ExecStart=' "$dir/tool/lib/systemd/system/synguard-prometheus.service")"
check "nothing in either unit names /usr/local" "" \
	"$(grep -l /usr/local "$dir"/tool/lib/systemd/system/* || true)"
check "the packaged tool runs" "synguard $v" \
	"$("$dir/tool/usr/sbin/synguard" --version 2>&1 | head -n 1 | cut -d' ' -f1,2)"

src=/usr/src/synguard-$v
check "the DKMS package's files" "$( (printf '%s\n' "$src/Kbuild" \
	"$src/dkms.conf" \
	/usr/share/doc/synguard-dkms/README.gz \
	/usr/share/doc/synguard-dkms/changelog.gz \
	/usr/share/doc/synguard-dkms/copyright \
	/usr/share/lintian/overrides/synguard-dkms
	git ls-files kmod | sed -n "s|^kmod/[^/]*\.[ch]$|$src/&|p; s|^kmod/Kbuild$|$src/&|p; s|^kmod/uapi/linux/synguard.h$|$src/&|p") |
	LC_ALL=C sort)" "$(files "$dkms")"
dpkg-deb -e "$dkms" "$dir/dkms.ctl"
check "postinst adds and builds it with dkms" yes \
	"$(grep -q 'dkms' "$dir/dkms.ctl/postinst" && echo yes)"
check "prerm removes it" yes \
	"$(grep -q 'dkms remove' "$dir/dkms.ctl/prerm" && echo yes)"
check "it depends on dkms" yes \
	"$(dpkg-deb -f "$dkms" Depends | grep -q '^dkms' && echo yes)"
exit $fail
