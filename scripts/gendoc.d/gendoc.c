// SPDX-License-Identifier: GPL-2.0
/*
 * Print the reference parts of the documentation from the tables in the
 * uapi header, so that they cannot drift from the code.
 *
 *   gendoc knobs       Documentation/knobs.rst
 *   gendoc stats       Documentation/stats.rst
 *   gendoc man         Documentation/synguard.8
 *   gendoc completion  the generated block of scripts/completion/synguard
 *   gendoc conf        scripts/synguard.conf, the sample /etc/synguard.conf
 *
 * Knobs, counters, states and events come from the X-macro tables; the
 * commands and global options from the tool's own table in
 * user/commands.h, which its --help prints too.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <linux/synguard.h>

#include "../../kmod/version.h"
#include "../../user/commands.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const knob_unit[] = {
	[SYNGUARD_KT_U32] = "",
	[SYNGUARD_KT_SECS] = " s",
	[SYNGUARD_KT_MODE] = "",
};

#define MODE_NAME(id, name) #name,
static const char *const mode_names[] = { SYNGUARD_MODES(MODE_NAME) };

#define KNOB_NAME(id, name, ...) [SYNGUARD_KNOB_##id] = #name,
static const char *const knob_names[] = { SYNGUARD_KNOBS(KNOB_NAME) };

/* The knobs a protected service may override. */
#define SERVICE_KNOB(id) SYNGUARD_KNOB_##id,
static const int service_knobs[] = { SYNGUARD_SERVICE_KNOBS(SERVICE_KNOB) };

static bool per_service(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(service_knobs); i++)
		if (!strcmp(knob_names[service_knobs[i]], name))
			return true;
	return false;
}

static void underline(const char *title, char c)
{
	size_t i;

	for (i = 0; i < strlen(title); i++)
		putchar(c);
	putchar('\n');
}

static void banner(const char *title)
{
	printf(".. SPDX-License-Identifier: GPL-2.0\n");
	printf(".. Generated from kmod/uapi/linux/synguard.h by scripts/gendoc.\n");
	printf(".. Do not edit: change the table in the header and run 'make docs'.\n\n");
	underline(title, '=');
	printf("%s\n", title);
	underline(title, '=');
	printf("\n");
}

static void knob(const char *name, int type, unsigned long min,
		 unsigned long max, unsigned long def, const char *desc)
{
	printf("``%s``\n", name);
	if (type == SYNGUARD_KT_MODE) {
		unsigned long i;

		printf("  Values: ");
		for (i = min; i <= max; i++)
			printf("``%s``%s", mode_names[i], i < max ? ", " : "");
		printf(". Default: ``%s``.\n\n", mode_names[def]);
	} else {
		printf("  Range: %lu to %lu%s. Default: %lu%s.\n\n", min, max,
		       knob_unit[type], def, knob_unit[type]);
	}
	printf("  %s.\n\n", desc);
}

#define KNOB(id, name, type, min, max, def, desc) \
	knob(#name, type, min, max, def, desc);

static void knobs(void)
{
	banner("synguard knobs");
	printf("Every knob is per network namespace; a new namespace starts from\n"
	       "the defaults below. ``synguard show`` lists them all, ``synguard\n"
	       "set KEY=VALUE...`` changes several at once, all or nothing.\n\n");
	SYNGUARD_KNOBS(KNOB)
}

static void counter(const char *name, int kind, const char *desc)
{
	printf("``%s`` (%s)\n  %s.\n\n", name,
	       kind == SYNGUARD_CK_GAUGE ? "gauge" : "counter", desc);
}

#define COUNTER(id, name, kind, desc) counter(#name, kind, desc);
#define STATE(id, name, desc) printf("``%s``\n  %s.\n\n", #name, desc);

static void stats(void)
{
	banner("synguard counters");
	printf("``synguard stats`` prints the namespace-wide counters, ``synguard\n"
	       "listeners`` the per-listener ones. Counters only grow until\n"
	       "``synguard stats reset``; gauges are current values and are never\n"
	       "reset. With ``--prometheus``, counters are exported as\n"
	       "``synguard_<name>_total`` and gauges as ``synguard_<name>``, the\n"
	       "per-listener counts as ``synguard_listener_<name>[_total]`` with\n"
	       "labels ``addr`` and ``port``; synguard(8) lists the other metrics.\n"
	       "``stats -w`` and ``listeners -w`` print counters as per-second\n"
	       "rates.\n\n");
	printf("Namespace counters\n==================\n\n");
	SYNGUARD_COUNTERS(COUNTER)
	printf("Per-listener counts\n===================\n\n"
	       "A listener is the responder of a connection, keyed by address and\n"
	       "port. The client is the side that sent the SYN.\n\n");
	SYNGUARD_LISTENER_COUNTS(COUNTER)
	printf("Connection states\n=================\n\n");
	SYNGUARD_STATES(STATE)
}

/*
 * Text from the tables, as one roff text line: backslashes escaped, and
 * a leading period or apostrophe kept from being read as a request.
 */
static void roff_text(const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", stdout);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", stdout);
		else
			putchar(*s);
	}
}

/*
 * A synopsis as --help prints it, typeset as man pages do: words the
 * user types in bold, placeholders (upper case) in italics.
 */
static void roff_synopsis(const char *s)
{
	const char *font = NULL, *want;

	for (; *s; s++) {
		if (isupper((unsigned char)*s) ||
		    (font && !strcmp(font, "I") && *s == '_'))
			want = "I";
		else if (islower((unsigned char)*s) || *s == '_' ||
			 (*s == '-' && (s[1] == '-' || isalpha((unsigned char)s[1]))))
			want = "B";
		else
			want = NULL;
		if (want != font) {
			printf("\\f%s", want ? want : "R");
			font = want;
		}
		if (*s == '-')
			fputs("\\-", stdout);
		else if (*s == '.' && s[1] == '.' && s[2] == '.')
			fputs("\\&...", stdout), s += 2;
		else
			putchar(*s);
	}
	if (font)
		fputs("\\fR", stdout);
}

static void man_knob(const char *name, int type, unsigned long min,
		     unsigned long max, unsigned long def, const char *desc)
{
	unsigned long i;

	printf(".TP\n.B %s\n", name);
	if (type == SYNGUARD_KT_MODE) {
		printf("Values:");
		for (i = min; i <= max; i++)
			printf(" \\fB%s\\fR%s", mode_names[i],
			       i < max ? "," : ".");
		printf(" Default: \\fB%s\\fR.\n", mode_names[def]);
	} else if (type == SYNGUARD_KT_SECS) {
		printf("Range: %lu to %lu seconds. Default: %lu seconds.\n",
		       min, max, def);
	} else {
		printf("Range: %lu to %lu. Default: %lu.\n", min, max, def);
	}
	if (per_service(name))
		printf("Per service.\n");
	printf(".br\n");
	roff_text(desc);
	printf(".\n");
}

#define MAN_KNOB(id, name, type, min, max, def, desc) \
	man_knob(#name, type, min, max, def, desc);

static void man_counter(const char *name, int kind, const char *desc)
{
	printf(".TP\n.BR %s \" (%s)\"\n", name,
	       kind == SYNGUARD_CK_GAUGE ? "gauge" : "counter");
	roff_text(desc);
	printf(".\n");
}

#define MAN_COUNTER(id, name, kind, desc) man_counter(#name, kind, desc);

static void man_name(const char *name, const char *desc)
{
	printf(".TP\n.B %s\n", name);
	roff_text(desc);
	printf(".\n");
}

/* Event 0 is never sent. */
static void man_event(int id, const char *name, const char *desc)
{
	if (id != SYNGUARD_EVENT_NONE)
		man_name(name, desc);
}

#define MAN_STATE(id, name, desc) man_name(#name, desc);
#define MAN_EVENT(id, name, desc) man_event(SYNGUARD_EVENT_##id, #name, desc);

static void man(void)
{
	const struct global_option *o;
	const struct command *c;
	size_t i;

	printf(".\\\" SPDX-License-Identifier: GPL-2.0\n"
	       ".\\\" Generated from kmod/uapi/linux/synguard.h by scripts/gendoc.\n"
	       ".\\\" Do not edit: change the tables (or scripts/gendoc.d/gendoc.c)\n"
	       ".\\\" and run 'make docs'.\n");
	printf(".TH SYNGUARD 8 \"\" \"synguard %s\" \"System Administration\"\n",
	       SYNGUARD_VERSION);
	/* Names such as close_wait_timeout must not be hyphenated. */
	printf(".nh\n.ad l\n.nr HY 0\n");

	printf(".SH NAME\n"
	       "synguard \\- configure and inspect the synguard TCP handshake guard\n");

	printf(".SH SYNOPSIS\n"
	       ".B synguard\n"
	       ".RB [ \\-j | \\-\\-json ]\n"
	       ".RB [ \\-n | \\-\\-netns\n"
	       ".IR NAME ]\n"
	       ".I COMMAND\n"
	       ".RI [ ARGS ]\n"
	       ".br\n"
	       ".B synguard\n"
	       ".BR \\-h | \\-\\-help | \\-\\-version\n");

	printf(".SH DESCRIPTION\n"
	       ".B synguard\n"
	       "configures and reads the synguard kernel module over generic\n"
	       "netlink. The module sits on netfilter hooks and follows every TCP\n"
	       "connection through its handshake and teardown, per network\n"
	       "namespace: half-open connections per listening service, completed\n"
	       "and timed-out handshakes, which side closed first and the\n"
	       "CLOSE_WAIT and TIME_WAIT that follow, and packets that break TCP's\n"
	       "rules, each under a named counter.\n"
	       ".PP\n"
	       "In mode\n"
	       ".B observe\n"
	       "(the default) nothing is dropped. In mode\n"
	       ".B enforce\n"
	       "packets with an invalid flag combination or a malformed TCP header\n"
	       "are dropped and counted, and every inbound port is protected as a\n"
	       "service is. For a protected service\n"
	       ".RB ( \"service add\" ),\n"
	       "synguard answers SYNs past its half-open limits itself, with SYN\n"
	       "cookies, and opens the connection to the server only for a client\n"
	       "that returns a valid cookie, translating its sequence numbers from\n"
	       "then on; spoofed SYNs never reach the server.\n"
	       ".PP\n"
	       "Every knob and counter belongs to a network namespace, and a new\n"
	       "namespace starts from the defaults. Reading the configuration and\n"
	       "the counters and listing services is allowed to every user;\n"
	       "changing the configuration or the services, resetting counters and\n"
	       "listing listeners and connections need CAP_NET_ADMIN in the\n"
	       "namespace.\n");

	printf(".SH OPTIONS\n");
	for (i = 0; i < ARRAY_SIZE(global_options); i++) {
		o = &global_options[i];
		printf(".TP\n");
		if (o->has_short)
			printf("\\fB\\-%c\\fR, ", o->val);
		printf("\\fB\\-\\-%s\\fR", o->name);
		if (o->arg) {
			putchar(' ');
			roff_synopsis(o->arg);
		}
		printf("\n%s", o->man);
	}

	printf(".SH COMMANDS\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		c = &commands[i];
		printf(".TP\n\\fB%s\\fR", c->name);
		if (*c->args) {
			putchar(' ');
			roff_synopsis(c->args);
		}
		printf("\n%s", c->man);
	}
	printf(".PP\n"
	       "With\n"
	       ".BR \\-j ,\n"
	       "every command with output prints one JSON value: an object for\n"
	       ".BR show ,\n"
	       ".B get\n"
	       "and\n"
	       ".BR stats ,\n"
	       "an array of objects for\n"
	       ".BR knobs ,\n"
	       ".BR listeners ,\n"
	       ".B conns\n"
	       "and\n"
	       ".BR \"service list\" ,\n"
	       "and one object per line for\n"
	       ".BR monitor .\n"
	       "Keys are the names used in this page.\n");

	printf(".SH KNOBS\n"
	       "Every knob is per network namespace; a new namespace starts from\n"
	       "the defaults below. Knobs marked \"Per service\" can also be set\n"
	       "for one protected service, overriding the namespace's value there\n"
	       "(see\n"
	       ".BR \"service add\" ).\n");
	SYNGUARD_KNOBS(MAN_KNOB)

	printf(".SH COUNTERS\n"
	       "Counters only grow, until\n"
	       ".BR \"synguard stats reset\" ;\n"
	       "gauges are current values and are never reset.\n"
	       ".SS Namespace counters\n"
	       "Printed by\n"
	       ".BR \"synguard stats\" .\n");
	SYNGUARD_COUNTERS(MAN_COUNTER)
	printf(".SS Per-listener counts\n"
	       "Printed by\n"
	       ".BR \"synguard listeners\" .\n"
	       "A listener is the responder of a connection, keyed by address\n"
	       "and port; the client is the side that sent the SYN.\n");
	SYNGUARD_LISTENER_COUNTS(MAN_COUNTER)

	printf(".SH STATES\n"
	       "The states a connection goes through as a middlebox sees them,\n"
	       "as printed by\n"
	       ".B synguard conns\n"
	       "and accepted by its\n"
	       ".B state\n"
	       "filter:\n");
	SYNGUARD_STATES(MAN_STATE)

	printf(".SH EVENTS\n"
	       "Multicast on the generic netlink group\n"
	       ".BR \"%s\" ,\n"
	       "printed by\n"
	       ".BR \"synguard monitor\" :\n", SYNGUARD_MCGRP_EVENTS);
	SYNGUARD_EVENTS(MAN_EVENT)

	printf(".SH EXIT STATUS\n"
	       ".TP\n.B 0\nSuccess.\n"
	       ".TP\n.B 1\n"
	       "A failure at run time: the module is not loaded, the kernel\n"
	       "refused the request, permission was denied, the namespace does\n"
	       "not exist, or a file could not be read or did not validate.\n"
	       ".TP\n.B 2\n"
	       "Bad usage: an unknown command, option or key, a bad value on the\n"
	       "command line, or\n"
	       ".B \\-j\n"
	       "where no JSON can be produced.\n");

	printf(".SH FILES\n"
	       ".TP\n.I /etc/synguard.conf\n"
	       "Knobs to set at boot, in the format of\n"
	       ".BR apply .\n"
	       "The synguard.service unit loads the module and runs\n"
	       ".BR \"synguard apply /etc/synguard.conf\" ;\n"
	       "a commented sample is installed as\n"
	       ".IR /usr/local/share/doc/synguard/synguard.conf .\n"
	       ".TP\n.I /usr/local/lib/systemd/system/synguard.service\n"
	       "The systemd unit, as installed by\n"
	       ".BR \"make install\" .\n"
	       ".TP\n.I /usr/local/lib/systemd/system/synguard-prometheus.service\n"
	       ".TQ\n.I /usr/local/lib/systemd/system/synguard-prometheus.timer\n"
	       "Units, installed by\n"
	       ".BR \"make install\" ,\n"
	       "that write the output of\n"
	       ".B stats \\-\\-prometheus\n"
	       "every 15 seconds to\n"
	       ".IR /var/lib/prometheus/node-exporter/synguard.prom ,\n"
	       "for node_exporter's textfile collector, with the exporter\n"
	       ".IR /usr/local/share/doc/synguard/prometheus-textfile .\n"
	       ".TP\n.BI /run/netns/ NAME\n"
	       "Network namespaces for\n"
	       ".BR \\-n .\n");

	printf(".SH EXAMPLES\n"
	       "Load the module and read its configuration:\n"
	       ".PP\n.RS 4\n.EX\n"
	       "# modprobe synguard\n"
	       "# synguard show\n"
	       "mode = observe\n"
	       "max_conns = 262144\n"
	       "\\&...\n"
	       ".EE\n.RE\n"
	       ".PP\n"
	       "Enforce on every inbound port: drop invalid packets, and answer\n"
	       "SYNs with cookies for a listener with 256 half-open connections or\n"
	       "more (see\n"
	       ".BR cookies ).\n"
	       "Both knobs change together or not at all:\n"
	       ".PP\n.RS 4\n.EX\n"
	       "# synguard set mode=enforce syn_backlog=256\n"
	       ".EE\n.RE\n"
	       ".PP\n"
	       "Make a connection to a local web server that closes first, then\n"
	       "read the counters. The handshake completed and the connection is\n"
	       "in TIME_WAIT, closed by the server:\n"
	       ".PP\n.RS 4\n.EX\n"
	       "# python3 \\-m http.server \\-\\-bind 127.0.0.1 8080 &\n"
	       "# curl \\-s \\-o /dev/null http://127.0.0.1:8080/\n"
	       "# synguard stats | grep \\-E \\(aq^(handshakes|tw_entered|time_wait):\\(aq\n"
	       "handshakes:         1\n"
	       "tw_entered:         1\n"
	       "time_wait:          1\n"
	       ".EE\n.RE\n"
	       ".PP\n"
	       "In the listener's line for 127.0.0.1 port 8080, SYN_IN, SYNACK_OUT,\n"
	       "HANDSHAKES, CLOSED_BY_SERVER and TIME_WAIT are 1:\n"
	       ".PP\n.RS 4\n.EX\n"
	       "# synguard listeners\n"
	       ".EE\n.RE\n"
	       ".PP\n"
	       "The connection itself, and the same socket as the kernel\n"
	       "shows it:\n"
	       ".PP\n.RS 4\n.EX\n"
	       "# synguard conns state time_wait\n"
	       "tcp  time_wait   src=127.0.0.1 dst=127.0.0.1 sport=56810 dport=8080 closer=server expires=60\n"
	       "# ss \\-Htan state time\\-wait\n"
	       "0      0          127.0.0.1:8080    127.0.0.1:56810\n"
	       ".EE\n.RE\n"
	       ".PP\n"
	       "Check a configuration file without applying it, then apply it in\n"
	       "the namespace\n"
	       ".BR blue :\n"
	       ".PP\n.RS 4\n.EX\n"
	       "# synguard apply \\-\\-check /etc/synguard.conf\n"
	       "# synguard \\-n blue apply /etc/synguard.conf\n"
	       ".EE\n.RE\n");

	printf(".SH SEE ALSO\n"
	       ".BR ss (8),\n"
	       ".BR nstat (8),\n"
	       ".BR conntrack (8),\n"
	       ".BR nft (8),\n"
	       ".BR ip\\-netns (8),\n"
	       ".BR sysctl.conf (5)\n"
	       ".PP\n"
	       "Documentation/admin-guide.rst and Documentation/netlink.rst in the\n"
	       "synguard sources.\n");
}

/* @text as "# " comment lines of at most 72 columns. */
static void comment(const char *text)
{
	const char *p = text, *end;
	int col = 0, len;

	while (*p) {
		while (*p == ' ')
			p++;
		end = strchr(p, ' ');
		if (!end)
			end = p + strlen(p);
		len = end - p;
		if (!len)
			break;
		if (col && col + 1 + len > 72) {
			putchar('\n');
			col = 0;
		}
		col += printf("%s%.*s", col ? " " : "# ", len, p);
		p = end;
	}
	if (col)
		putchar('\n');
}

/* Knobs the sample sets; the others are listed commented out. */
static const char *const conf_active[] = { "mode" };

static void conf_knob(const char *name, int type, unsigned long min,
		      unsigned long max, unsigned long def, const char *desc)
{
	char text[1024], range[256];
	unsigned long i;
	size_t n = 0;
	bool active = false;

	for (i = 0; i < ARRAY_SIZE(conf_active); i++)
		active |= !strcmp(conf_active[i], name);
	if (type == SYNGUARD_KT_MODE) {
		n = snprintf(range, sizeof(range), "Values:");
		for (i = min; i <= max; i++)
			n += snprintf(range + n, sizeof(range) - n, " %s%s",
				      mode_names[i], i < max ? "," : ".");
	} else {
		snprintf(range, sizeof(range), "Range: %lu to %lu%s.", min,
			 max, type == SYNGUARD_KT_SECS ? " seconds" : "");
	}
	snprintf(text, sizeof(text), "%s. %s", desc, range);
	printf("\n");
	comment(text);
	if (type == SYNGUARD_KT_MODE)
		printf("%s%s = %s\n", active ? "" : "#", name, mode_names[def]);
	else
		printf("%s%s = %lu\n", active ? "" : "#", name, def);
}

#define CONF_KNOB(id, name, type, min, max, def, desc) \
	conf_knob(#name, type, min, max, def, desc);

static void conf(void)
{
	size_t i;

	printf("# SPDX-License-Identifier: GPL-2.0\n"
	       "#\n"
	       "# /etc/synguard.conf: the synguard knobs to set at boot. synguard.service\n"
	       "# loads the module and runs \"synguard apply /etc/synguard.conf\"; check\n"
	       "# a change first with \"synguard apply --check /etc/synguard.conf\".\n"
	       "#\n"
	       "# One \"key = value\" per line; blank lines and lines starting with # or ;\n"
	       "# are ignored, and a comment may not follow a value on the same line.\n"
	       "# Each key may be given once. Keys not given keep their values: the\n"
	       "# defaults, at boot. Every knob is listed below with its default, all\n"
	       "# but mode commented out. The file applies to the initial network\n"
	       "# namespace; for others, see synguard(8), option -n.\n"
	       "#\n"
	       "# Generated from kmod/uapi/linux/synguard.h by scripts/gendoc.\n");
	SYNGUARD_KNOBS(CONF_KNOB)
	printf("\n");
	comment("Protected services, one per line: \"service SPEC [KEY=VALUE...]\", "
		"SPEC being [ADDR[/PREFIX]:]PORT[-PORT] (IPv6 addresses in brackets) "
		"and each KEY one of the knobs a service may override:");
	printf("#");
	for (i = 0; i < ARRAY_SIZE(service_knobs); i++)
		printf(" %s", knob_names[service_knobs[i]]);
	printf(".\n");
	comment("A file with service lines makes the namespace's services "
		"exactly those; a file without any leaves them alone.");
	printf("#service 192.0.2.0/24:80 cookies=1\n"
	       "#service [2001:db8::/64]:443 syn_backlog=256\n");
}

/* Words for scripts/completion/synguard, between its markers. */
#define WORD(id, name, ...) " " #name
#define MODE_WORD(id, name) " " #name

static void completion(void)
{
	size_t i;

	printf("# Generated by scripts/gendoc from kmod/uapi/linux/synguard.h;\n"
	       "# 'make docs' rewrites the lines between the markers.\n");
	printf("_synguard_commands='");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!i || strcmp(commands[i].name, commands[i - 1].name))
			printf("%s%s", i ? " " : "", commands[i].name);
	printf("'\n");
	printf("_synguard_options='");
	for (i = 0; i < ARRAY_SIZE(global_options); i++)
		if (global_options[i].has_short)
			printf("-%c ", global_options[i].val);
	for (i = 0; i < ARRAY_SIZE(global_options); i++)
		printf("--%s%s", global_options[i].name,
		       i + 1 < ARRAY_SIZE(global_options) ? " " : "'\n");
	printf("_synguard_knobs='%s'\n", SYNGUARD_KNOBS(WORD) + 1);
	printf("_synguard_modes='%s'\n", SYNGUARD_MODES(MODE_WORD) + 1);
	printf("_synguard_service_knobs='");
	for (i = 0; i < ARRAY_SIZE(service_knobs); i++)
		printf("%s%s", i ? " " : "", knob_names[service_knobs[i]]);
	printf("'\n");
	printf("_synguard_states='%s'\n", SYNGUARD_STATES(WORD) + 1);
}

int main(int argc, char **argv)
{
	if (argc != 2)
		goto usage;
	if (!strcmp(argv[1], "knobs")) {
		knobs();
	} else if (!strcmp(argv[1], "stats")) {
		stats();
	} else if (!strcmp(argv[1], "man")) {
		man();
	} else if (!strcmp(argv[1], "completion")) {
		completion();
	} else if (!strcmp(argv[1], "conf")) {
		conf();
	} else {
		goto usage;
	}
	return 0;
usage:
	fprintf(stderr, "usage: gendoc knobs|stats|man|completion|conf\n");
	return 2;
}
