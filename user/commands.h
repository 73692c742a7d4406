/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tool's commands and global options, each described once: the
 * synopsis and one line for 'synguard --help' (user/main.c), and roff for
 * the man page's COMMANDS and OPTIONS (scripts/gendoc.d/gendoc.c, which
 * includes this file too). Whatever includes it gets its own copy of the
 * tables; main.c defines CMD_FN(f) as f first, to get the functions,
 * while for gendoc, which links none of them, they are NULL.
 */
#ifndef SYNGUARD_COMMANDS_H
#define SYNGUARD_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#ifndef CMD_FN
#define CMD_FN(f)	NULL
#endif

struct sg_opts;

struct command {
	const char *name;
	int (*fn)(int argc, char **argv, const struct sg_opts *opts);
	const char *args;	/* synopsis after the name */
	const char *help;	/* one line for --help */
	bool json;		/* -j allowed */
	const char *man;	/* roff for the man page */
};

/* Commands with several verbs have one row per verb, sharing fn. */
static const struct command commands[] = {
	{ "show", CMD_FN(cmd_show), "",
	  "print every knob as name = value", true,
	  "Print every knob of the namespace as\n"
	  ".IR name \" = \" value ,\n"
	  "one per line, in the order of the KNOBS section below.\n" },
	{ "get", CMD_FN(cmd_get), "KEY...",
	  "print the given knobs", true,
	  "Print the given knobs, in the same form as\n"
	  ".BR show .\n"
	  "An unknown key is a usage error.\n" },
	{ "set", CMD_FN(cmd_set), "KEY=VALUE...",
	  "change knobs, all of them or none", false,
	  "Change one or more knobs in one step. Every value is checked\n"
	  "against its knob's range before anything is sent, and the module\n"
	  "checks again and applies all of them or none.\n"
	  ".B mode\n"
	  "takes a name, every other knob a decimal number.\n"
	  "Needs CAP_NET_ADMIN.\n" },
	{ "apply", CMD_FN(cmd_apply), "[--check] FILE",
	  "set knobs and services from FILE (- for stdin)", false,
	  "Set knobs and services from\n"
	  ".IR FILE ,\n"
	  "or from standard input if\n"
	  ".I FILE\n"
	  "is\n"
	  ".BR \\- .\n"
	  "The file is in the style of\n"
	  ".BR sysctl.conf (5):\n"
	  "one\n"
	  ".IR key \" = \" value\n"
	  "or\n"
	  ".BI \"service \" SPEC\n"
	  ".RI [ KEY = VALUE ...\\&]\n"
	  "per line; blank lines and lines starting with\n"
	  ".B #\n"
	  "or\n"
	  ".B ;\n"
	  "are ignored, a comment may not follow a value on the same line, and\n"
	  "each key and service may appear once. Every bad line is reported as\n"
	  "\\fIFILE\\fB:\\fILINE\\fB:\\fR \\fImessage\\fR\n"
	  "and then nothing is applied. The knobs of the file are set in one\n"
	  "step, as by\n"
	  ".BR set ;\n"
	  "knobs it does not name keep their values. A file with service lines\n"
	  "then makes the namespace's services exactly those; a file without\n"
	  "leaves the services alone. With\n"
	  ".BR \\-\\-check ,\n"
	  "the file is only checked, and the module need not be loaded.\n" },
	{ "knobs", CMD_FN(cmd_knobs), "",
	  "describe the knobs: type, range, default", true,
	  "Describe every knob: its type, range, default and meaning. This\n"
	  "is compiled into the tool and needs no module.\n" },
	{ "stats", CMD_FN(cmd_stats), "[reset] [--prometheus]",
	  "print the counters; reset zeroes them as it reads", true,
	  "Print the namespace's counters and gauges as\n"
	  ".IR name \": \" value .\n"
	  "With\n"
	  ".BR reset ,\n"
	  "the counters are read and zeroed in one step, so that no increment\n"
	  "is lost or reported twice; gauges are not reset. Resetting needs\n"
	  "CAP_NET_ADMIN. With\n"
	  ".BR \\-\\-prometheus ,\n"
	  "print the Prometheus text exposition format instead: counters as\n"
	  ".BI synguard_ name _total\n"
	  "and gauges as\n"
	  ".BI synguard_ name\n"
	  "(not together with\n"
	  ".BR \\-j ).\n" },
	{ "listeners", CMD_FN(cmd_listeners), "",
	  "print per-listener counts", true,
	  "Print one line per listener (the address and port that answered a\n"
	  "SYN), sorted by port and address, with every per-listener count\n"
	  "of the COUNTERS section as a column. Needs CAP_NET_ADMIN.\n" },
	{ "conns", CMD_FN(cmd_conns), "[state STATE] [port PORT]",
	  "list tracked connections", true,
	  "Print one line per tracked connection, in the manner of\n"
	  ".BR \"conntrack \\-L\" :\n"
	  "its state, the client\n"
	  ".RB ( src ,\n"
	  ".BR sport ),\n"
	  "the server\n"
	  ".RB ( dst ,\n"
	  ".BR dport ),\n"
	  "which side sent the first FIN\n"
	  ".RB ( closer ),\n"
	  "the seconds until the entry expires, and\n"
	  ".B [picked_up]\n"
	  "for connections first seen after their handshake.\n"
	  ".B state\n"
	  "lists only connections in\n"
	  ".I STATE\n"
	  "(see STATES),\n"
	  ".B port\n"
	  "only those with\n"
	  ".I PORT\n"
	  "on either side. A warning is printed if the table changed while it\n"
	  "was listed. Needs CAP_NET_ADMIN.\n" },
	{ "monitor", CMD_FN(cmd_monitor), "",
	  "print events until interrupted", true,
	  "Print one line per event (see EVENTS) until interrupted:\n"
	  ".BI \"event \" name\n"
	  "followed, for events about a listener, by\n"
	  ".BI addr= address\n"
	  "and\n"
	  "\\fBport=\\fIport\\fR.\n"
	  "Events are limited to\n"
	  ".B event_rate\n"
	  "per second; the others are counted in\n"
	  ".BR events_suppressed .\n" },
	{ "service", CMD_FN(cmd_service), "[list]",
	  "list protected services", true,
	  "Print the protected services of the namespace, one per line as\n"
	  ".I SPEC\n"
	  "followed by the knobs it overrides, in the syntax of\n"
	  ".BR \"service add\" ,\n"
	  "so that a line can be given back to it or to an\n"
	  ".B apply\n"
	  "file.\n" },
	{ "service", CMD_FN(cmd_service), "add SPEC [KEY=VALUE...]",
	  "protect SPEC, with the given knobs overridden", true,
	  "Protect\n"
	  ".IR SPEC :\n"
	  "synguard enforces its half-open limits on inbound TCP to these\n"
	  "addresses and ports, with the given knobs (those marked \"Per\n"
	  "service\" in KNOBS) overriding the namespace's.\n"
	  ".I SPEC\n"
	  "is\n"
	  ".RI [ ADDR [/ PREFIX ]:] PORT [\\- PORT ],\n"
	  "for example\n"
	  ".BR 192.0.2.0/24:80 ,\n"
	  ".B [2001:db8::/64]:443\n"
	  "(IPv6 in brackets) or\n"
	  ".B 8000\\-8100\n"
	  "(every address of both families). The module refuses a service that\n"
	  "overlaps one already there. Needs CAP_NET_ADMIN.\n" },
	{ "service", CMD_FN(cmd_service), "del SPEC",
	  "stop protecting SPEC", true,
	  "Stop protecting\n"
	  ".IR SPEC ,\n"
	  "given as it was added. Connections synguard already proxies keep\n"
	  "being translated. Needs CAP_NET_ADMIN.\n" },
	{ "secret", CMD_FN(cmd_secret), "[show]",
	  "say whether an operator's cookie secret is in use", true,
	  "Say whether the cookie secret is the operator's\n"
	  ".RB ( shared )\n"
	  "or synguard's own, random and rotated every\n"
	  ".B cookie_rotate\n"
	  "seconds\n"
	  ".RB ( random ).\n"
	  "The secret itself is never shown.\n" },
	{ "secret", CMD_FN(cmd_secret), "set HEX|-",
	  "share a cookie secret (32 hex digits) with other hosts", true,
	  "Use an operator's 16-byte cookie secret, given as 32 hexadecimal\n"
	  "digits, or read from standard input with\n"
	  ".BR \\- .\n"
	  "Hosts behind ECMP or anycast that share it derive the same secret\n"
	  "for each period of\n"
	  ".B cookie_rotate\n"
	  "seconds of wall-clock time, and validate each other's cookies;\n"
	  "their clocks must agree. Needs CAP_NET_ADMIN.\n" },
	{ "secret", CMD_FN(cmd_secret), "clear",
	  "go back to random, rotating cookie secrets", true,
	  "Go back to random secrets. Needs CAP_NET_ADMIN.\n" },
};

struct global_option {
	const char *name;	/* long */
	int val;		/* short, or getopt's value for a long only */
	bool has_short;
	const char *arg;	/* NULL: takes no value */
	const char *help;	/* one line for --help */
	const char *man;	/* roff for the man page */
};

static const struct global_option global_options[] = {
	{ "json", 'j', true, NULL, "print JSON",
	  "Print JSON instead of text, for every command but\n"
	  ".B set\n"
	  "and\n"
	  ".BR apply .\n" },
	{ "netns", 'n', true, "NAME",
	  "act in network namespace NAME (/run/netns/NAME)",
	  "Act in the network namespace\n"
	  ".IR NAME ,\n"
	  "as created by\n"
	  ".BR \"ip netns add\"\n"
	  "(the file \\fB/run/netns/\\fINAME\\fR).\n"
	  "Every knob and counter is per network namespace; without this\n"
	  "option the tool acts in its own.\n" },
	{ "help", 'h', true, NULL, "print this help",
	  "Print a summary of the usage and exit.\n" },
	{ "version", 'V', false, NULL, "print the version",
	  "Print the version of the tool and of the netlink interface it\n"
	  "speaks, and exit.\n" },
};

#endif /* SYNGUARD_COMMANDS_H */
