#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Operator experience: 'make install' puts everything where it says and
# 'make uninstall' leaves the system exactly as it found it; the
# installed module loads with modprobe and the installed unit's commands
# do what they say; DKMS builds the module against the installed headers
# and cleans up after itself; apply takes the sample configuration and
# names the bad lines of a bad one; the man page renders and has every
# knob, counter, state and event; the bash completion completes; the
# Prometheus textfile exporter writes whole files.
#
# The guest's root is a tmpfs overlay over the host's, so installing here
# is safe and forgotten at power-off. Build on the host first (make).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/sg.sh"

# As on an ordinary host: make gets neither KVER nor KDIR from the
# environment and must find the running kernel's release and tree itself.
unset KVER KDIR VM_KERNEL
KVER=$(uname -r)
VERSION=$(sed -n 's/.*SYNGUARD_VERSION "\(.*\)"$/\1/p' "$SG_ROOT/kmod/version.h")
HEADER=$SG_ROOT/kmod/uapi/linux/synguard.h

# What make install adds (files only; directories are checked through the
# snapshots).
INSTALLED=(
	"/lib/modules/$KVER/updates/kmod/synguard.ko"
	/usr/local/sbin/synguard
	/usr/local/share/man/man8/synguard.8
	/usr/local/lib/systemd/system/synguard.service
	/usr/local/lib/systemd/system/synguard-prometheus.service
	/usr/local/lib/systemd/system/synguard-prometheus.timer
	/usr/local/share/bash-completion/completions/synguard
	/usr/local/share/doc/synguard/synguard.conf
	/usr/local/share/doc/synguard/admin-guide.rst
	/usr/local/share/doc/synguard/prometheus-textfile
	/usr/local/share/doc/synguard/installed-dirs
)

# snapshot DIR... - every file, directory and link under DIRs with its
# type and mode, and the checksum of each of depmod's modules.* files,
# which install and uninstall rewrite. In /usr/src only synguard's own
# directories are walked: the kernel headers there (17,000 files, slow to
# list over 9p under emulation) are never written by these targets; a
# new entry beside them still shows.
snapshot()
{
	local d

	for d in "$@"; do
		[ -e "$d" ] || { echo "absent $d"; continue; }
		find "$d" -xdev \( -path '/usr/src/*' ! -path '/usr/src/synguard-*' \
			-prune -printf '%y %m %p\n' \) -o -printf '%y %m %p\n'
	done | LC_ALL=C sort
	(cd "/lib/modules/$KVER" && md5sum modules.*)
}

# Where install, uninstall and the dkms targets may write.
WATCH=("/lib/modules/$KVER" /usr/local/sbin /usr/local/bin /usr/local/lib
       /usr/local/share /usr/local/etc /usr/src /var/lib/dkms /etc/systemd)

# make_in_tree TARGET... - make in the source tree, output to $TMPDIR/make.log.
make_in_tree()
{
	make -C "$SG_ROOT" -s "$@" >"$TMPDIR/make.log" 2>&1
}

show_log()
{
	sed 's/^/    | /' "$TMPDIR/make.log" | tail -n 40
}

# unit_run KEY - run the command of KEY= in the installed unit, split
# into words as systemd does for these plain commands.
unit_run()
{
	local -a cmd

	read -r -a cmd <<<"$(sed -n "s/^$1=//p" \
		/usr/local/lib/systemd/system/synguard.service)"
	"${cmd[@]}"
}

test_install()
{
	local f missing=0 path out

	sg_unload
	snapshot "${WATCH[@]}" >"$TMPDIR/before"
	check_rc "make install" 0 make_in_tree install || show_log
	check_eq "depmod ran for the running kernel" "depmod -a $KVER" \
		"$(grep '^depmod ' "$TMPDIR/make.log")"
	check_eq "no warning: the tree is the running kernel's" "" \
		"$(grep '^make: warning' "$TMPDIR/make.log")"
	for f in "${INSTALLED[@]}"; do
		[ -f "$f" ] || { log_info "missing: $f"; missing=$((missing + 1)); }
	done
	check_eq "every file installed" 0 "$missing"
	check_eq "tool executable" 755 "$(stat -c %a /usr/local/sbin/synguard)"
	check_eq "/etc/synguard.conf not written" absent \
		"$([ -e /etc/synguard.conf ] && echo present || echo absent)"

	# The installed module, found by modprobe through depmod.
	path=$(modinfo -n synguard 2>&1)
	check_eq "modinfo finds the installed module" \
		"/lib/modules/$KVER/updates/kmod/synguard.ko" "$path"
	check_eq "its version" "$VERSION" "$(modinfo -F version synguard)"
	check_rc "modprobe synguard" 0 modprobe synguard
	check_eq "module loaded" 1 "$(grep -c '^synguard ' /proc/modules)"
	out=$(/usr/local/sbin/synguard show)
	check_eq "installed tool: show" "mode = observe" "$(grep '^mode = ' <<<"$out")"
	check_rc "modprobe -r synguard" 0 modprobe -r synguard

	# The family alias loads the module on the tool's first request.
	out=$(/usr/local/sbin/synguard get mode 2>&1)
	check_eq "the tool autoloads the installed module" "mode = observe" "$out"
	sg_unload

	# /usr/local/man is a link to share/man, and comes first in manpath.
	if [ -r /usr/share/bash-completion/bash_completion ]; then
		out=$(env -u XDG_DATA_DIRS bash --norc -c '
			source /usr/share/bash-completion/bash_completion
			__load_completion synguard && complete -p synguard' 2>&1)
		check_eq "bash-completion finds the installed completion" \
			"complete -F _synguard synguard" "$out"
	else
		log_info "bash-completion not installed; its loader not tried"
	fi
	check_eq "man finds the page" /usr/local/share/man/man8/synguard.8 \
		"$(readlink -f "$(man -w synguard 2>&1)")"
	if command -v systemd-analyze >/dev/null; then
		out=$(systemd-analyze verify \
			/usr/local/lib/systemd/system/synguard.service \
			/usr/local/lib/systemd/system/synguard-prometheus.service \
			/usr/local/lib/systemd/system/synguard-prometheus.timer 2>&1)
		check_eq "systemd-analyze verify: exit status" 0 "$?"
		check_eq "systemd-analyze verify: no complaints" "" "$out"
	else
		log_info "systemd-analyze not found; unit not verified"
	fi

	# The unit's own commands, in order, as systemd would run them.
	cp /usr/local/share/doc/synguard/synguard.conf /etc/synguard.conf
	defer rm -f /etc/synguard.conf
	sed -i 's/^mode = .*/mode = enforce/' /etc/synguard.conf
	check_rc "unit: ExecStartPre" 0 unit_run ExecStartPre
	check_rc "unit: ExecStart" 0 unit_run ExecStart
	check_eq "unit: the file is applied" "mode = enforce" \
		"$(/usr/local/sbin/synguard get mode)"
	echo "syn_backlog = 300" >>/etc/synguard.conf
	check_rc "unit: ExecReload" 0 unit_run ExecReload
	check_eq "unit: reload applies again" "syn_backlog = 300" \
		"$(/usr/local/sbin/synguard get syn_backlog)"
	check_rc "unit: ExecStop" 0 unit_run ExecStop
	check_eq "unit: stop unloads the module" 0 "$(grep -c '^synguard ' /proc/modules)"
	echo "syn_backlog = 0" >>/etc/synguard.conf
	unit_run ExecStartPre
	out=$(unit_run ExecStart 2>&1)
	check_eq "unit: a bad file fails ExecStart" 1 "$?"
	check_eq "unit: naming the line" \
		"/etc/synguard.conf:$(wc -l </etc/synguard.conf): key \"syn_backlog\" already set on line $(($(wc -l </etc/synguard.conf) - 1))" \
		"$out"
	sg_unload
	rm -f /etc/synguard.conf

	check_rc "make uninstall" 0 make_in_tree uninstall || show_log
	check_eq "uninstall: depmod for the running kernel" "depmod -a $KVER" \
		"$(grep '^depmod ' "$TMPDIR/make.log")"
	snapshot "${WATCH[@]}" >"$TMPDIR/after"
	check_rc "uninstall leaves everything as before install" 0 \
		diff -u "$TMPDIR/before" "$TMPDIR/after"
	check_rc "modprobe no longer finds it" 1 \
		sh -c 'modprobe synguard 2>/dev/null'
}

test_dkms()
{
	local out

	require_cmd dkms
	sg_unload
	snapshot "${WATCH[@]}" >"$TMPDIR/before"
	check_rc "make dkms-install" 0 make_in_tree dkms-install || show_log
	check_eq "dkms status" "synguard/$VERSION, $KVER, $(uname -m): installed" \
		"$(dkms status -m synguard -v "$VERSION" -k "$KVER" 2>&1)"
	check_eq "sources in /usr/src" "/usr/src/synguard-$VERSION/dkms.conf" \
		"$(ls "/usr/src/synguard-$VERSION/dkms.conf")"
	check_eq "modinfo finds the DKMS module" \
		"/lib/modules/$KVER/updates/dkms/synguard.ko" \
		"$(modinfo -n synguard 2>&1)"
	log_info "DKMS signed it with: $(modinfo -F signer synguard 2>&1)"
	check_rc "modprobe synguard (DKMS build)" 0 modprobe synguard
	check_eq "the DKMS module answers" "mode = observe" \
		"$("$SG" get mode 2>&1)"
	check_rc "modprobe -r synguard" 0 modprobe -r synguard

	out=$(make -C "$SG_ROOT" -s install 2>&1)
	check_eq "make install refuses next to DKMS: exit status" 2 "$?"
	check_eq "make install refuses next to DKMS: message" 1 \
		"$(grep -c "synguard is installed with DKMS; run 'make dkms-uninstall' first" <<<"$out")"

	check_rc "make dkms-uninstall" 0 make_in_tree dkms-uninstall || show_log
	check_rc "make dkms-uninstall again: nothing to do" 0 \
		make_in_tree dkms-uninstall || show_log
	snapshot "${WATCH[@]}" >"$TMPDIR/after"
	# dkms keeps the key it made to sign modules (/var/lib/dkms/mok.*):
	# it is the machine's, shared by every DKMS module.
	check_rc "dkms-uninstall leaves everything as before" 0 \
		diff -u "$TMPDIR/before" \
		<(grep -Ev '^f [0-7]+ /var/lib/dkms/mok\.(key|pub)$' "$TMPDIR/after")
	check_eq "dkms forgot synguard" "" \
		"$(dkms status -m synguard 2>&1)"
}

# The Debian packages as a user installs them: both built here (make deb,
# as host-deb.sh checks on the host), installed with apt-get, DKMS
# building the module for the running kernel in the DKMS package's
# postinst; the module loads and answers; purging both leaves the
# system as it was, /etc/synguard.conf included.
test_deb()
{
	local arch deb watch

	require_cmd dkms dpkg-buildpackage apt-get
	sg_unload
	arch=$(dpkg --print-architecture)
	deb=$TMPDIR/deb
	watch=("${WATCH[@]}" /usr/sbin /usr/share/synguard /usr/share/doc/synguard
	       /usr/share/doc/synguard-dkms /lib/systemd/system /etc/synguard.conf)
	check_rc "make deb" 0 make_in_tree _deb DEB_DIR="$deb" || show_log
	snapshot "${watch[@]}" >"$TMPDIR/before"
	check_rc "apt-get install both" 0 sh -c "apt-get install -y \
		'$deb/synguard-dkms_${VERSION}_all.deb' \
		'$deb/synguard_${VERSION}_$arch.deb' >'$TMPDIR/apt.log' 2>&1" ||
		tail -n 30 "$TMPDIR/apt.log" | sed 's/^/    | /'
	check_eq "dkms built it for the running kernel" \
		"synguard/$VERSION, $KVER, $(uname -m): installed" \
		"$(dkms status -m synguard -v "$VERSION" -k "$KVER" 2>&1)"
	check_eq "the conffile is in place" "/etc/synguard.conf" \
		"$(dpkg-query -W -f='${Conffiles}' synguard | awk '{ print $1 }')"
	check_rc "modprobe synguard" 0 modprobe synguard
	check_eq "the packaged tool talks to the packaged module" \
		"mode = observe" "$(/usr/sbin/synguard get mode 2>&1)"
	check_rc "the unit's command applies the packaged config" 0 \
		/usr/sbin/synguard apply /etc/synguard.conf
	check_rc "modprobe -r synguard" 0 modprobe -r synguard
	check_rc "apt-get purge both" 0 sh -c "apt-get purge -y synguard \
		synguard-dkms >'$TMPDIR/apt.log' 2>&1" ||
		tail -n 30 "$TMPDIR/apt.log" | sed 's/^/    | /'
	snapshot "${watch[@]}" >"$TMPDIR/after"
	check_rc "purge leaves everything as before" 0 \
		diff -u "$TMPDIR/before" \
		<(grep -Ev '^f [0-7]+ /var/lib/dkms/mok\.(key|pub)$' "$TMPDIR/after")
}

test_apply()
{
	local sample=$SG_ROOT/scripts/synguard.conf conf=$TMPDIR/bad.conf
	local before out rc

	sg_load
	defer sg_unload
	"$SG" set mode=enforce syn_backlog=77
	check_rc "apply the sample" 0 "$SG" apply "$sample"
	check_eq "the sample's values" "mode = observe" "$("$SG" get mode)"
	check_eq "knobs the file leaves out keep their values" \
		"syn_backlog = 77" "$("$SG" get syn_backlog)"

	printf '%s\n' '# boot settings' 'mode = enforce' '' '; timeouts' \
		'tw_timeout = 30' '  syn_backlog=256  ' >"$TMPDIR/good.conf"
	check_rc "apply a file" 0 "$SG" apply "$TMPDIR/good.conf"
	check_eq "its values" "$(printf '%s\n' 'mode = enforce' \
		'syn_backlog = 256' 'tw_timeout = 30')" \
		"$("$SG" get mode syn_backlog tw_timeout)"

	before=$("$SG" show)
	printf '%s\n' 'mode = observe' '# fine so far' 'syn_backlog = 0' \
		'tw_timeout = 20' 'nosuch = 1' >"$conf"
	out=$("$SG" apply "$conf" 2>&1)
	rc=$?
	check_eq "a bad file: exit 1" 1 "$rc"
	check_eq "a bad file: line 3" 1 \
		"$(grep -c "^$conf:3: invalid value \"0\" for syn_backlog: out of range 1\.\.16777216$" <<<"$out")"
	check_eq "a bad file: line 5" 1 \
		"$(grep -c "^$conf:5: unknown key \"nosuch\"; known keys: " <<<"$out")"
	check_eq "a bad file: only those lines" 2 "$(wc -l <<<"$out")"
	check_eq "a bad file changes nothing" "$before" "$("$SG" show)"

	sg_unload
	check_rc "apply --check needs no module" 0 "$SG" apply --check "$sample"
}

# The names in one X-macro table of the uapi header.
table_names()
{
	awk -v table="$1" '
		$0 ~ "^#define " table "\\(X\\)" { on = 1 }
		on {
			s = $0
			while (match(s, /X\([A-Z0-9_]+, *[a-z0-9_]+/)) {
				m = substr(s, RSTART, RLENGTH)
				sub(/.*, */, "", m)
				print m
				s = substr(s, RSTART + RLENGTH)
			}
			if ($0 !~ /\\$/)
				exit
		}' "$HEADER"
}

test_man()
{
	local page=$SG_ROOT/Documentation/synguard.8 text name sect missing=0

	require_cmd man groff
	check_eq "groff -ww: no warnings" "" \
		"$(groff -man -Tutf8 -ww -z "$page" 2>&1)"
	text=$(MANWIDTH=80 man -l "$page" 2>&1)
	check_eq "man -l renders" 0 "$?"
	for sect in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS KNOBS COUNTERS \
		    STATES EVENTS "EXIT STATUS" FILES EXAMPLES "SEE ALSO"; do
		grep -qx "$sect" <<<"$text" ||
			{ log_info "no section $sect"; missing=$((missing + 1)); }
	done
	check_eq "every section" 0 "$missing"

	# Each name is a paragraph tag: on a line of its own, or followed
	# by its kind, or by the text when the tag is short.
	for name in $(table_names SYNGUARD_KNOBS) \
		    $(table_names SYNGUARD_STATES) \
		    $(table_names SYNGUARD_EVENTS | grep -vx none); do
		grep -qE "^       $name( |\$)" <<<"$text" ||
			{ log_info "not in the page: $name"; missing=$((missing + 1)); }
	done
	for name in $(table_names SYNGUARD_COUNTERS) \
		    $(table_names SYNGUARD_LISTENER_COUNTS); do
		grep -qE "^       $name \((counter|gauge)\)\$" <<<"$text" ||
			{ log_info "not in the page: $name"; missing=$((missing + 1)); }
	done
	check_eq "every knob, counter, state and event" 0 "$missing"
	check_eq "knob count as in the header" \
		"$(table_names SYNGUARD_KNOBS | wc -l)" \
		"$(grep -cE '(Values|Range): [^ ]' <<<"$text")"
	for name in $(table_names SYNGUARD_KNOBS); do
		[ "$(grep -c "$name" <<<"$text")" -ge 1 ] || missing=$((missing + 1))
	done
	check_eq "man -l | grep -c KNOB >= 1, for every knob" 0 "$missing"
}

# complete LINE - COMPREPLY for LINE, as bash would split it, one per line.
complete_line()
{
	(
		# shellcheck source=scripts/completion/synguard
		source "$SG_ROOT/scripts/completion/synguard"
		local line=$1
		# COMP_WORDBREAKS splits KEY=VALUE into KEY, =, VALUE.
		read -r -a COMP_WORDS <<<"${line//=/ = }"
		[[ $line == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$line
		COMP_POINT=${#line}
		_synguard
		printf '%s\n' "${COMPREPLY[@]}"
	)
}

test_completion()
{
	local ns

	setup_ns ns
	check_eq "registered" "complete -F _synguard synguard" \
		"$(source "$SG_ROOT/scripts/completion/synguard" && complete -p synguard)"
	check_eq "synguard sh" "show" "$(complete_line 'synguard sh')"
	check_eq "synguard se: the tool's commands" \
		"$("$SG" --help | sed -n '/^Commands:$/,/^$/s/^  \(se[a-z]*\) .*/\1/p' | uniq)" \
		"$(complete_line 'synguard se')"
	check_eq "synguard set mo" "mode=" "$(complete_line 'synguard set mo')"
	check_eq "synguard set mode=en" "enforce" \
		"$(complete_line 'synguard set mode=en')"
	check_eq "synguard set mode=off syn_b" "syn_backlog=" \
		"$(complete_line 'synguard set mode=off syn_b')"
	check_eq "synguard get tw" "$(table_names SYNGUARD_KNOBS | grep '^tw')" \
		"$(complete_line 'synguard get tw')"
	check_eq "synguard conns state ti" "time_wait" \
		"$(complete_line 'synguard conns state ti')"
	check_eq "synguard conns state close" "$(printf '%s\n' close_wait close)" \
		"$(complete_line 'synguard conns state close')"
	check_eq "synguard conns state time_wait p" "port" \
		"$(complete_line 'synguard conns state time_wait p')"
	check_eq "synguard stats " "$(printf '%s\n' reset --prometheus)" \
		"$(complete_line 'synguard stats ')"
	check_eq "synguard --j" "--json" "$(complete_line 'synguard --j')"
	check_eq "synguard -n <netns>" "$ns" \
		"$(complete_line 'synguard -n ' | grep -x "$ns")"
	check_eq "synguard -n NS -j sho" "show" \
		"$(complete_line "synguard -n $ns -j sho")"
	check_eq "synguard apply --c" "--check" \
		"$(complete_line 'synguard apply --c')"
	check_eq "synguard apply <file>" "$SG_ROOT/scripts/synguard.conf" \
		"$(complete_line "synguard apply $SG_ROOT/scripts/synguard.co")"
	check_eq "synguard service add 80 cook" "cookies=" \
		"$(complete_line 'synguard service add 80 cook')"
	check_eq "synguard knobs <nothing>" "" "$(complete_line 'synguard knobs ')"
}

test_prometheus()
{
	local exporter=$SG_ROOT/scripts/prometheus-textfile
	local out=$TMPDIR/prom/synguard.prom pid i ns

	mkdir -p "$TMPDIR/prom"
	sg_load
	defer sg_unload
	export SYNGUARD=$SG
	check_rc "--once" 0 "$exporter" --once "$out"
	check_eq "readable by node_exporter" 644 "$(stat -c %a "$out")"
	check_eq "the same metrics as stats --prometheus" \
		"$("$SG" stats --prometheus | grep -v '^#' | cut -d' ' -f1)" \
		"$(grep -v '^#' "$out" | cut -d' ' -f1)"
	check_eq "a counter's value" "synguard_table_full_total 0" \
		"$(grep '^synguard_table_full_total ' "$out")"

	setup_ns ns
	check_rc "--once -n NETNS" 0 "$exporter" --once -n "$ns" "$out"
	check_eq "every sample labelled" \
		"$("$SG" stats --prometheus | grep -vc '^#')" \
		"$(grep -c "^synguard_[a-z0-9_]*{netns=\"$ns\"[,}].* [0-9][0-9]*\$" "$out")"

	rm -f "$out"
	"$exporter" -i 1 "$out" &
	pid=$!
	for ((i = 0; i < 50; i++)); do
		[ -s "$out" ] && break
		sleep 0.1
	done
	rm -f "$out"
	for ((i = 0; i < 30; i++)); do
		[ -s "$out" ] && break
		sleep 0.1
	done
	check_rc "the loop writes again" 0 test -s "$out"
	kill "$pid"
	wait "$pid"
	check_eq "the loop exits 0 on SIGTERM" 0 "$?"
	check_eq "no temporary files left" "synguard.prom" \
		"$(ls -A "$TMPDIR/prom")"

	sg_unload
	check_rc "no module: --once fails" 1 \
		sh -c "'$exporter' --once '$out' 2>/dev/null"
	check_eq "no module: no stale numbers, synguard_up 0" "synguard_up 0" \
		"$(grep -v -e '^#' -e '^synguard_build_info{' "$out")"
	check_rc "bad interval: usage error" 2 \
		sh -c "'$exporter' -i 0 '$out' 2>/dev/null"
}

# The error examples of Documentation/netlink.rst, in order: "# nlraw.py
# ARGS" runs as root, "$ nlraw.py ARGS" as nobody, and the next line is
# the answer.
test_netlink_doc()
{
	local doc=$SG_ROOT/Documentation/netlink.rst nlraw=$SG_ROOT/scripts/tests/nlraw.py
	local prompt args want got n=0 bad=0
	local -a argv

	require_cmd setpriv
	sg_unload
	sg_load
	defer sg_unload
	while IFS=$'\t' read -r prompt args want; do
		eval "argv=($args)"
		if [ "$prompt" = '#' ]; then
			got=$($PY "$nlraw" "${argv[@]}" 2>&1)
		else
			got=$(setpriv --reuid=nobody --regid=nogroup --clear-groups \
				$PY "$nlraw" "${argv[@]}" 2>&1)
		fi
		n=$((n + 1))
		[ "$got" = "$want" ] && continue
		bad=$((bad + 1))
		log_info "$prompt nlraw.py $args"
		log_info "  documented: $want"
		log_info "  kernel:     $got"
	done < <(awk '
		/^    [#$] nlraw\.py / {
			prompt = substr($0, 5, 1)
			args = substr($0, 16)
			getline want
			sub(/^    /, "", want)
			print prompt "\t" args "\t" want
		}' "$doc")
	check_eq "netlink.rst has error examples" 1 "$((n >= 20))"
	check_eq "every example answers as documented ($n)" 0 "$bad"
}

# The minimal client of Documentation/netlink.rst.
test_netlink_client()
{
	local doc=$SG_ROOT/Documentation/netlink.rst out

	sg_load
	defer sg_unload
	awk '/^\.\. code-block:: python$/ { on = 1; next }
	     on && /^[^ ]/ { exit }
	     on { sub(/^    /, ""); print }' "$doc" >"$TMPDIR/client.py"
	out=$($PY "$TMPDIR/client.py" 2>&1)
	check_eq "the client runs" 0 "$?"
	check_eq "one line per counter" "$(table_names SYNGUARD_COUNTERS | wc -l)" \
		"$(grep -c '^[0-9][0-9]* [0-9][0-9]*$' <<<"$out")"
	check_eq "types from 1, in order" \
		"$(seq "$(table_names SYNGUARD_COUNTERS | wc -l)")" \
		"$(cut -d' ' -f1 <<<"$out")"
	# A counter that stays put while the two read it.
	check_eq "table_full as the tool reads it" \
		"$("$SG" -j stats | $PY -c 'import json, sys; print(json.load(sys.stdin)["table_full"])')" \
		"$(awk -v n="$(table_names SYNGUARD_COUNTERS | grep -nx table_full | cut -d: -f1)" \
			'$1 == n { print $2 }' <<<"$out")"
}

require_cmd make modprobe modinfo depmod man
[ -f "$SG_KO" ] && [ -x "$SG" ] || {
	log_fail "build on the host first: make"
	exit $KSFT_FAIL
}
TMPDIR=$(mktemp -d)
defer rm -rf "$TMPDIR"
# dkms and <(...) need /dev/fd, which the VM's bare devtmpfs lacks.
if [ ! -e /dev/fd ]; then
	ln -s /proc/self/fd /dev/fd
	defer rm -f /dev/fd
fi
test_run install test_install
# A DKMS build compiles the module inside the VM: over ten minutes.
test_long dkms test_dkms
# The same DKMS build, from the package.
test_long deb test_deb
for t in apply completion prometheus netlink_client; do
	test_run "$t" "test_$t"
done
test_long man test_man
test_long netlink_doc test_netlink_doc
ksft_summary
