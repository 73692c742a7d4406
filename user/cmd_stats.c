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
#include "watch.h"

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

int read_stats(const struct sg_opts *opts, bool reset, struct stats *st)
{
	char buf[NL_MSG_SIZE];
	struct nlmsghdr *nlh;

	nlh = nl_msg(buf, SYNGUARD_CMD_GET_STATS, NLM_F_ACK);
	if (reset)
		mnl_attr_put_u32(nlh, SYNGUARD_A_FLAGS, SYNGUARD_F_RESET);
	return nl_call(opts->netns, nlh, stats_cb, st);
}

/*
 * "name:" padded so that the values line up. With @prev, read @secs
 * earlier, counters are per-second rates (text only, for watch mode).
 */
static void print_stats(const struct stats *st, const struct stats *prev,
			double secs)
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
		if (prev && sg_counters[i].kind == SYNGUARD_CK_COUNTER)
			out_text("%.1f/s\n",
				 watch_rate(st->val[i], prev->val[i], secs));
		else
			out_u64(sg_counters[i].name, "%llu\n", st->val[i]);
	}
	out_close_obj();
}

static int watch_stats(const struct sg_opts *opts, struct watch *w)
{
	struct stats prev = {}, st = {};
	int ret = EXIT_SUCCESS;
	double secs;

	if (read_stats(opts, false, &prev) || watch_start(w))
		return EXIT_FAILURE;
	while (watch_next(w, &secs)) {
		if (read_stats(opts, false, &st)) {
			ret = EXIT_FAILURE;
			break;
		}
		watch_header(w, secs);
		print_stats(&st, &prev, secs);
		fflush(stdout);
		prev = st;
	}
	watch_end(w);
	return ret;
}

int cmd_stats(int argc, char **argv, const struct sg_opts *opts)
{
	static const char *const words[] = { "reset", "--prometheus", NULL };
	bool seen[ARRAY_SIZE(words)] = {}, reset, prometheus;
	struct stats st = {};
	struct watch w = {};

	if (!watch_args(&w, argc, argv, words, seen, opts))
		return EXIT_USAGE;
	reset = seen[0];
	prometheus = seen[1];
	if (prometheus && opts->json) {
		pr_err("-j cannot be combined with --prometheus");
		return EXIT_USAGE;
	}
	if (w.interval && (reset || prometheus)) {
		pr_err("%s cannot be combined with -w",
		       reset ? "reset" : "--prometheus");
		return EXIT_USAGE;
	}
	if (w.interval)
		return watch_stats(opts, &w);

	if (prometheus)
		return print_prometheus(opts, reset);
	if (read_stats(opts, reset, &st))
		return EXIT_FAILURE;
	print_stats(&st, NULL, 0);
	return EXIT_SUCCESS;
}
