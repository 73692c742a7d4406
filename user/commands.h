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
	  "each key and service may appear once. A value (of a key, or of a\n"
	  "service's\n"
	  ".IR KEY = VALUE )\n"
	  "may be in double or single quotes, which are not part of it. Every\n"
	  "bad line is reported as\n"
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
	  "print the Prometheus text exposition format instead (not together\n"
	  "with\n"
	  ".BR \\-j ):\n"
	  ".B synguard_up\n"
	  "(1 if the module answered; when it does not, this and\n"
	  ".B synguard_build_info\n"
	  "are all there is, and the exit status is 1),\n"
	  ".B synguard_build_info\n"
	  "with labels\n"
	  ".B version\n"
	  "and\n"
	  ".BR netlink ,\n"
	  "the namespace's counters as\n"
	  ".BI synguard_ name _total\n"
	  "and gauges as\n"
	  ".BI synguard_ name\n"
	  "(see COUNTERS), the\n"
	  ".B invalid_*\n"
	  "counters once more as\n"
	  ".B synguard_invalid_packets_total\n"
	  "with a\n"
	  ".B reason\n"
	  "label\n"
	  ".RB ( syn_fin ,\n"
	  ".BR null ,\n"
	  "\\&...; their sum,\n"
	  ".BR invalid_flags ,\n"
	  "is not among them), each listener's counts as\n"
	  ".BI synguard_listener_ name _total\n"
	  "or\n"
	  ".BI synguard_listener_ name\n"
	  "with labels\n"
	  ".B addr\n"
	  "and\n"
	  ".B port\n"
	  "(only with CAP_NET_ADMIN, which listing listeners needs), and the\n"
	  "services:\n"
	  ".BR synguard_services ,\n"
	  "their number,\n"
	  ".B synguard_service_info\n"
	  "(1) with labels\n"
	  ".B spec\n"
	  "and\n"
	  ".BR mode ,\n"
	  "and\n"
	  ".B synguard_service_override\n"
	  "with labels\n"
	  ".B spec\n"
	  "and\n"
	  ".BR knob ,\n"
	  "whose value is the knob's (a mode by its number, as in KNOBS).\n" },
	{ "stats", CMD_FN(cmd_stats), "-w [SECS] [-c COUNT]",
	  "every SECS (1) seconds, counters per second and gauges", true,
	  "Watch: every\n"
	  ".I SECS\n"
	  "seconds (1 to 3600, default 1), until interrupted or, with\n"
	  ".BR \\-c ,\n"
	  ".I COUNT\n"
	  "times, print a line with the time (ISO 8601) and the seconds since\n"
	  "the previous block (the interval, unless reading was late), then\n"
	  "every counter as its rate per second over those seconds,\n"
	  ".IR name \": \" rate \"/s\",\n"
	  "and every gauge as its value. On a terminal the screen is cleared\n"
	  "first, as\n"
	  ".BR top (1)\n"
	  "does; otherwise blocks follow each other, separated by an empty\n"
	  "line. Not with\n"
	  ".BR \\-j ,\n"
	  ".B reset\n"
	  "or\n"
	  ".BR \\-\\-prometheus .\n" },
	{ "listeners", CMD_FN(cmd_listeners), "",
	  "print per-listener counts", true,
	  "Print one line per listener (the address and port that answered a\n"
	  "SYN), sorted by port and address, with every per-listener count\n"
	  "of the COUNTERS section as a column. Needs CAP_NET_ADMIN.\n" },
	{ "listeners", CMD_FN(cmd_listeners), "-w [SECS] [-c COUNT]",
	  "every SECS (1) seconds, per-listener rates and gauges", true,
	  "Watch the listeners as\n"
	  ".B stats \\-w\n"
	  "watches the counters: every\n"
	  ".I SECS\n"
	  "seconds the table, under the time, with each counter column as\n"
	  "its rate per second over the interval (from 0 for a listener new\n"
	  "in it) and each gauge column as its value.\n" },
	{ "conns", CMD_FN(cmd_conns),
	  "[state STATE] [port PORT] [src PREFIX] [dst PREFIX] [count]",
	  "list or count tracked connections", true,
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
	  "the seconds until the entry expires\n"
	  ".RB ( expires ),\n"
	  "the seconds since the connection, or the server's socket, last\n"
	  "changed state\n"
	  ".RB ( age ),\n"
	  "and\n"
	  ".B [picked_up]\n"
	  "for connections first seen after their handshake.\n"
	  ".B state\n"
	  "lists only connections in\n"
	  ".I STATE\n"
	  "(see STATES; as\n"
	  ".BR ss (8)\n"
	  "spells them, such as\n"
	  ".BR time\\-wait ,\n"
	  "too),\n"
	  ".B port\n"
	  "only those with\n"
	  ".I PORT\n"
	  "on either side,\n"
	  ".B src\n"
	  "and\n"
	  ".B dst\n"
	  "only those whose client or server address lies in\n"
	  ".I PREFIX\n"
	  "(an address, or an address and prefix length, as\n"
	  ".B 192.0.2.0/24\n"
	  "or\n"
	  ".BR 2001:db8::/64 ;\n"
	  "an IPv6 prefix, even\n"
	  ".BR ::/0 ,\n"
	  "matches no IPv4 connection). Connections in\n"
	  ".B close_wait\n"
	  "are listed oldest first: the server's application got the\n"
	  "client's FIN and has not closed, and the oldest is the likeliest\n"
	  "leak.\n"
	  ".B count\n"
	  "(or\n"
	  ".BR \\-c ,\n"
	  "as\n"
	  ".B conntrack \\-C\n"
	  "counts) prints only the number of connections that match.\n"
	  "A warning is printed if the table changed while it\n"
	  "was listed. Needs CAP_NET_ADMIN.\n" },
	{ "monitor", CMD_FN(cmd_monitor), "",
	  "print events until interrupted", true,
	  "Print one line per event (see EVENTS) until interrupted:\n"
	  ".BI \"event \" name\n"
	  "followed, for events about a listener, by\n"
	  ".BI addr= address\n"
	  "and\n"
	  "\\fBport=\\fIport\\fR,\n"
	  "and last by\n"
	  "\\fBtime=\\fItime\\fR,\n"
	  "when it was received, in ISO 8601 with milliseconds and the offset\n"
	  "from UTC (with\n"
	  ".BR \\-j ,\n"
	  "the key\n"
	  ".BR time ).\n"
	  "Events are limited to\n"
	  ".B event_rate\n"
	  "per second; the others are counted in\n"
	  ".BR events_suppressed .\n" },
	{ "service", CMD_FN(cmd_service), "[list]",
	  "list protected services", true,
	  "Print the protected services of the namespace, one per line as\n"
	  ".I SPEC\n"
	  "followed by\n"
	  ".BI mode= mode\n"
	  "(the mode the service is in:\n"
	  ".B enforce\n"
	  "unless it overrides it) and the other knobs it overrides, in the\n"
	  "syntax of\n"
	  ".BR \"service add\" ,\n"
	  "so that a line can be given back to it or to an\n"
	  ".B apply\n"
	  "file. With\n"
	  ".BR \\-j ,\n"
	  ".B mode\n"
	  "is the mode in effect and\n"
	  ".B config\n"
	  "holds only the overrides.\n" },
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
	  "(every address of both families).\n"
	  ".IP\n"
	  "A service enforces unless it is given\n"
	  ".BR mode=observe :\n"
	  "its mode does not follow the namespace's, whose default is\n"
	  ".BR observe .\n"
	  "For a dry run, add it with\n"
	  ".B mode=observe\n"
	  "and watch\n"
	  ".BR would_drop ,\n"
	  "the packets it would have dropped.\n"
	  ".IP\n"
	  "IPv4 addresses are carried as IPv4-mapped IPv6 addresses\n"
	  ".RB ( ::ffff:0:0/96 ),\n"
	  "so that\n"
	  ".B 0.0.0.0/0\n"
	  "is every IPv4 address and nothing else, while\n"
	  ".B [::/0]\n"
	  "is every address of both families, the same as no address or\n"
	  ".BR * ,\n"
	  "and is printed as\n"
	  ".BR * .\n"
	  "There is no prefix for \"every IPv6 address but not IPv4\"; use\n"
	  "the prefixes actually in use, such as\n"
	  ".BR [2000::/3] .\n"
	  ".IP\n"
	  "Adding a service exactly as it is already there (the same spec and\n"
	  "overrides, the mode as in effect) changes nothing, says so and\n"
	  "succeeds. One with the same spec and other settings, or one that\n"
	  "overlaps another, is refused, naming the service in the way; to\n"
	  "change a service, delete it and add it again, or use\n"
	  ".BR apply .\n"
	  "Needs CAP_NET_ADMIN.\n" },
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
	{ "secret", CMD_FN(cmd_secret), "set FILE|-",
	  "share a cookie secret (32 hex digits) with other hosts", true,
	  "Use an operator's 16-byte cookie secret: 32 hexadecimal digits on\n"
	  "the first line of\n"
	  ".IR FILE ,\n"
	  "or of standard input with\n"
	  ".BR \\- .\n"
	  "Never on the command line, where every user could read it in\n"
	  ".IR /proc/ PID /cmdline ;\n"
	  "keep the file readable by root only.\n"
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
	  "act in network namespace NAME (/run/netns/NAME, or a path)",
	  "Act in the network namespace\n"
	  ".IR NAME ,\n"
	  "as created by\n"
	  ".BR \"ip netns add\"\n"
	  "(the file \\fB/run/netns/\\fINAME\\fR),\n"
	  "or, given as an absolute path, in the namespace of that file, such\n"
	  "as\n"
	  ".BI /proc/ PID /ns/net\n"
	  "(the namespace of process\n"
	  ".IR PID ).\n"
	  "Every knob and counter is per network namespace; without this\n"
	  "option the tool acts in its own.\n" },
	{ "help", 'h', true, NULL, "print this help",
	  "Print a summary of the usage and exit.\n" },
	{ "version", 'V', false, NULL, "print the version",
	  "Print the version of the tool and of the netlink interface it\n"
	  "speaks, and exit.\n" },
};

#endif /* SYNGUARD_COMMANDS_H */
