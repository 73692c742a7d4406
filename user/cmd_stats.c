// SPDX-License-Identifier: GPL-2.0
/* stats: the namespace-wide counters, as text, JSON or Prometheus. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "cmd.h"
#include "decode.h"
#include "nl.h"
#include "output.h"
#include "tables.h"

struct stats {
	__u64 val[__SYNGUARD_CNT_MAX];
	bool present[__SYNGUARD_CNT_MAX];
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SYNGUARD_A_MAX + 1];
	struct stats *st = data;
	int ret;

	ret = sg_parse_msg(nlh, tb);
	if (ret)
		return ret;
	if (!tb[SYNGUARD_A_STATS])
		return -EBADMSG;
	return sg_decode_table(tb[SYNGUARD_A_STATS], MNL_TYPE_U64, st->val,
			       st->present, __SYNGUARD_CNT_MAX);
}

static int read_stats(const struct sg_opts *opts, bool reset,
		      struct stats *st)
{
	char buf[NL_MSG_SIZE];
	struct nlmsghdr *nlh;

	nlh = nl_msg(buf, SYNGUARD_CMD_GET_STATS, NLM_F_ACK);
	if (reset)
		mnl_attr_put_u32(nlh, SYNGUARD_A_FLAGS, SYNGUARD_F_RESET);
	return nl_call(opts->netns, nlh, stats_cb, st);
}

/* "name:" padded so that the values line up. */
static void print_stats(const struct stats *st)
{
	char label[64];
	unsigned int i;
	int width = 0;

	for (i = 0; i < __SYNGUARD_CNT_MAX; i++)
		if (st->present[i] && (int)strlen(sg_counters[i].name) > width)
			width = strlen(sg_counters[i].name);

	out_open_obj(NULL);
	for (i = 0; i < __SYNGUARD_CNT_MAX; i++) {
		if (!st->present[i])
			continue;
		snprintf(label, sizeof(label), "%s:", sg_counters[i].name);
		out_text("%-*s ", width + 1, label);
		out_u64(sg_counters[i].name, "%llu\n", st->val[i]);
	}
	out_close_obj();
}

/* HELP text escapes backslash and newline. */
static void prom_help(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", stdout);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	}
}

static void print_prometheus(const struct stats *st)
{
	const struct sg_counter *c;
	const char *kind, *suffix;
	unsigned int i;

	for (i = 0; i < __SYNGUARD_CNT_MAX; i++) {
		if (!st->present[i])
			continue;
		c = &sg_counters[i];
		if (c->kind == SYNGUARD_CK_COUNTER) {
			kind = "counter";
			suffix = "_total";
		} else {
			kind = "gauge";
			suffix = "";
		}
		printf("# HELP synguard_%s%s ", c->name, suffix);
		prom_help(c->desc);
		printf("\n# TYPE synguard_%s%s %s\n", c->name, suffix, kind);
		printf("synguard_%s%s %llu\n", c->name, suffix, st->val[i]);
	}
}

int cmd_stats(int argc, char **argv, const struct sg_opts *opts)
{
	bool reset = false, prometheus = false;
	struct stats st = {};
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "reset") && !reset) {
			reset = true;
		} else if (!strcmp(argv[i], "--prometheus") && !prometheus) {
			prometheus = true;
		} else {
			pr_err("unexpected argument \"%s\" for '%s'", argv[i],
			       argv[0]);
			return EXIT_USAGE;
		}
	}
	if (prometheus && opts->json) {
		pr_err("-j cannot be combined with --prometheus");
		return EXIT_USAGE;
	}

	if (read_stats(opts, reset, &st))
		return EXIT_FAILURE;
	if (prometheus)
		print_prometheus(&st);
	else
		print_stats(&st);
	return EXIT_SUCCESS;
}
