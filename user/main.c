// SPDX-License-Identifier: GPL-2.0
/*
 * synguard: configure and inspect the synguard module.
 *
 * Exit status: 0 on success, 1 when something failed at run time (module
 * not loaded, the kernel refused, no permission, no such namespace, a
 * file that does not read or does not validate), 2 for bad usage (unknown
 * command, option or key, a bad value on the command line, -j where no
 * JSON can be produced).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <linux/synguard.h>

#include "../kmod/version.h"
#include "cmd.h"
#include "knobs.h"
#include "output.h"
#include "service.h"
#include "tables.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv, const struct sg_opts *opts);
	const char *args;
	const char *help;
	bool json;
} commands[] = {
	{ "show", cmd_show, "",
	  "print every knob as name = value", true },
	{ "get", cmd_get, "KEY...",
	  "print the given knobs", true },
	{ "set", cmd_set, "KEY=VALUE...",
	  "change knobs, all of them or none", false },
	{ "apply", cmd_apply, "[--check] FILE",
	  "set knobs and services from FILE (- for stdin)", false },
	{ "knobs", cmd_knobs, "",
	  "describe the knobs: type, range, default", true },
	{ "stats", cmd_stats, "[reset] [--prometheus]",
	  "print the counters; reset zeroes them as it reads", true },
	{ "listeners", cmd_listeners, "[--prometheus]",
	  "print per-listener counts", true },
	{ "conns", cmd_conns, "[state STATE] [port PORT]",
	  "list tracked connections", true },
	{ "monitor", cmd_monitor, "",
	  "print events until interrupted", true },
	/* One row per verb, for the help; they share one function. */
	{ "service", cmd_service, "[list]",
	  "list protected services", true },
	{ "service", cmd_service, "add SPEC [KEY=VALUE...]",
	  "protect SPEC, with the given knobs overridden", true },
	{ "service", cmd_service, "del SPEC",
	  "stop protecting SPEC", true },
	{ "secret", cmd_secret, "[show]",
	  "say whether an operator's cookie secret is in use", true },
	{ "secret", cmd_secret, "set HEX|-",
	  "share a cookie secret (32 hex digits) with other hosts", true },
	{ "secret", cmd_secret, "clear",
	  "go back to random, rotating cookie secrets", true },
};

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "netns", required_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{}
};

bool no_args(int argc, char **argv)
{
	if (argc < 2)
		return true;
	pr_err("unexpected argument \"%s\" for '%s'", argv[1], argv[0]);
	return false;
}

static void print_usage(void)
{
	char states[256], knobs[256];
	unsigned int i;
	int width = 0, w;

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		w = strlen(commands[i].name) + 1 + strlen(commands[i].args);
		if (w > width)
			width = w;
	}
	sg_name_list(sg_states, ARRAY_SIZE(sg_states), states,
		     sizeof(states));
	knob_service_list(knobs, sizeof(knobs));

	printf("Usage: synguard [-j|--json] [-n|--netns NAME] COMMAND [ARGS]\n");
	printf("       synguard -h|--help | --version\n\n");
	printf("Commands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		printf("  %s %-*s  %s\n", commands[i].name,
		       width - (int)strlen(commands[i].name) - 1,
		       commands[i].args, commands[i].help);
	printf("\nOptions:\n");
	printf("  -j, --json        print JSON\n");
	printf("  -n, --netns NAME  act in network namespace NAME (/run/netns/NAME)\n");
	printf("  -h, --help        print this help\n");
	printf("      --version     print the version\n");
	printf("\nSTATE is one of: %s.\n", states);
	printf("SPEC is %s, for example 192.0.2.0/24:80,\n",
	       SG_SERVICE_SYNTAX);
	printf("[2001:db8::/64]:443 (IPv6 in brackets) or 8000-8100 (every address).\n");
	printf("Service KEYs: %s.\n", knobs);
	printf("An apply FILE has \"key = value\" and \"service SPEC [KEY=VALUE...]\" lines;\n");
	printf("one with service lines replaces all services, one without leaves them alone.\n");
	printf("Run 'synguard knobs' for the knobs and their ranges.\n");
	printf("\nExit status: 0 success, 1 failure, 2 usage error.\n");
}

static bool netns_name_ok(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") &&
	       strcmp(name, "..");
}

int main(int argc, char **argv)
{
	const struct command *cmd = NULL;
	struct sg_opts opts = {};
	unsigned int i;
	int c, ret;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:jn:hV", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'j':
			opts.json = true;
			break;
		case 'n':
			if (!netns_name_ok(optarg)) {
				pr_err("invalid network namespace name \"%s\"",
				       optarg);
				return EXIT_USAGE;
			}
			opts.netns = optarg;
			break;
		case 'h':
			print_usage();
			return EXIT_SUCCESS;
		case 'V':
			printf("synguard %s (netlink %u)\n", SYNGUARD_VERSION,
			       SYNGUARD_GENL_VERSION);
			return EXIT_SUCCESS;
		case ':':
			pr_err("option \"%s\" needs an argument; see 'synguard --help'",
			       argv[optind - 1]);
			return EXIT_USAGE;
		default:
			if (optopt)
				pr_err("unknown option \"-%c\"; see 'synguard --help'",
				       optopt);
			else
				pr_err("unknown option \"%s\"; see 'synguard --help'",
				       argv[optind - 1]);
			return EXIT_USAGE;
		}
	}

	if (optind == argc) {
		pr_err("no command given; see 'synguard --help'");
		return EXIT_USAGE;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[optind], commands[i].name))
			cmd = &commands[i];
	if (!cmd) {
		pr_err("unknown command \"%s\"; see 'synguard --help'",
		       argv[optind]);
		return EXIT_USAGE;
	}
	if (opts.json && !cmd->json) {
		pr_err("-j is not supported by '%s'", cmd->name);
		return EXIT_USAGE;
	}

	out_init(opts.json);
	ret = cmd->fn(argc - optind, argv + optind, &opts);
	if (fflush(stdout) || ferror(stdout)) {
		pr_err("cannot write output: %m");
		return EXIT_FAILURE;
	}
	return ret;
}
