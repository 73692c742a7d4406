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
#include "svc.h"
#include "tables.h"

#define CMD_FN(f)	f
#include "commands.h"

bool no_args(int argc, char **argv)
{
	if (argc < 2)
		return true;
	pr_err("unexpected argument \"%s\" for '%s'", argv[1], argv[0]);
	return false;
}

/* "  -n, --netns NAME  help" */
static void print_option(const struct global_option *o)
{
	char name[32];

	snprintf(name, sizeof(name), "--%s%s%s", o->name, o->arg ? " " : "",
		 o->arg ? o->arg : "");
	if (o->has_short)
		printf("  -%c, %-12s  %s\n", o->val, name, o->help);
	else
		printf("      %-12s  %s\n", name, o->help);
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
	for (i = 0; i < ARRAY_SIZE(global_options); i++)
		print_option(&global_options[i]);
	printf("\nSTATE is one of: %s.\n", states);
	printf("SPEC is %s, for example 192.0.2.0/24:80,\n",
	       SVC_SYNTAX);
	printf("[2001:db8::/64]:443 (IPv6 in brackets) or 8000-8100 (every address).\n");
	printf("Service KEYs: %s.\n", knobs);
	printf("An apply FILE has \"key = value\" and \"service SPEC [KEY=VALUE...]\" lines;\n");
	printf("one with service lines replaces all services, one without leaves them alone.\n");
	printf("Run 'synguard knobs' for the knobs and their ranges.\n");
	printf("\nExit status: 0 success, 1 failure, 2 usage error.\n");
}

/* A name in /run/netns, or the absolute path of a namespace file. */
static bool netns_ok(const char *name)
{
	if (name[0] == '/')
		return true;
	return *name && !strchr(name, '/') && strcmp(name, ".") &&
	       strcmp(name, "..");
}

/*
 * What getopt_long() refused, by the name the user gave it: a long
 * option by its full name (it takes unique prefixes), a short one alone
 * rather than with the cluster it was in.
 */
static void bad_option(const char *arg, int c)
{
	const char *help = "see 'synguard --help'";
	unsigned int i;
	int len;

	if (strncmp(arg, "--", 2)) {
		if (c == ':')
			pr_err("option \"-%c\" needs an argument; %s", optopt, help);
		else
			pr_err("unknown option \"-%c\"; %s", optopt, help);
		return;
	}
	for (i = 0; optopt && i < ARRAY_SIZE(global_options); i++)
		if (global_options[i].val == optopt)
			break;
	len = strcspn(arg + 2, "=");
	if (!optopt || i == ARRAY_SIZE(global_options))
		pr_err("unknown option \"--%.*s\"; %s", len, arg + 2, help);
	else if (c == ':')
		pr_err("option \"--%s\" needs an argument; %s",
		       global_options[i].name, help);
	else
		pr_err("option \"--%s\" takes no value; %s",
		       global_options[i].name, help);
}

int main(int argc, char **argv)
{
	struct option long_options[ARRAY_SIZE(global_options) + 1] = {};
	const struct command *cmd = NULL;
	struct sg_opts opts = {};
	unsigned int i;
	int c, ret;

	for (i = 0; i < ARRAY_SIZE(global_options); i++) {
		long_options[i].name = global_options[i].name;
		long_options[i].has_arg = global_options[i].arg ?
					  required_argument : no_argument;
		long_options[i].val = global_options[i].val;
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:jn:hV", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'j':
			opts.json = true;
			break;
		case 'n':
			if (!netns_ok(optarg)) {
				pr_err("invalid network namespace name \"%s\"; give a name from /run/netns or the path of a namespace file, such as /proc/PID/ns/net",
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
		default:
			bad_option(argv[optind - 1], c);
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
