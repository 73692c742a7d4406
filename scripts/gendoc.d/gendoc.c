// SPDX-License-Identifier: GPL-2.0
/*
 * Print the reference parts of Documentation/ from the tables in the
 * uapi header, so the documentation cannot drift from the code.
 *
 *   gendoc knobs   Documentation/knobs.rst
 *   gendoc stats   Documentation/stats.rst
 */
#include <stdio.h>
#include <string.h>

#include <linux/synguard.h>

static const char *const knob_unit[] = {
	[SYNGUARD_KT_U32] = "",
	[SYNGUARD_KT_SECS] = " s",
	[SYNGUARD_KT_MODE] = "",
};

#define MODE_NAME(id, name) #name,
static const char *const mode_names[] = { SYNGUARD_MODES(MODE_NAME) };

static void banner(const char *title)
{
	size_t i;

	printf(".. SPDX-License-Identifier: GPL-2.0\n");
	printf(".. Generated from kmod/uapi/linux/synguard.h by scripts/gendoc.\n");
	printf(".. Do not edit: change the table in the header and run 'make docs'.\n\n");
	for (i = 0; i < strlen(title); i++)
		putchar('=');
	printf("\n%s\n", title);
	for (i = 0; i < strlen(title); i++)
		putchar('=');
	printf("\n\n");
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
	       "``synguard_<name>_total`` and gauges as ``synguard_<name>``.\n\n");
	printf("Namespace counters\n==================\n\n");
	SYNGUARD_COUNTERS(COUNTER)
	printf("Per-listener counts\n===================\n\n"
	       "A listener is the responder of a connection, keyed by address and\n"
	       "port. The client is the side that sent the SYN.\n\n");
	SYNGUARD_LISTENER_COUNTS(COUNTER)
	printf("Connection states\n=================\n\n");
	SYNGUARD_STATES(STATE)
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "knobs"))
		knobs();
	else if (argc == 2 && !strcmp(argv[1], "stats"))
		stats();
	else {
		fprintf(stderr, "usage: gendoc knobs|stats\n");
		return 2;
	}
	return 0;
}
