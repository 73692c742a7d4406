// SPDX-License-Identifier: GPL-2.0
/*
 * conns: the connection table, one line per entry in the manner of
 * "conntrack -L". Entries are printed as the dump arrives; the table may
 * hold hundreds of thousands of them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "cmd.h"
#include "decode.h"
#include "nl.h"
#include "output.h"
#include "parse.h"
#include "tables.h"

struct conns_ctx {
	char state_fmt[32];	/* as wide as the longest state name */
};

static int conn_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SYNGUARD_A_MAX + 1];
	char src[SG_ADDRSTRLEN], dst[SG_ADDRSTRLEN], num[12];
	struct conns_ctx *ctx = data;
	struct conn_row c;
	int ret;

	ret = sg_parse_msg(nlh, tb);
	if (ret)
		return ret;
	if (!tb[SYNGUARD_A_CONN])
		return -EBADMSG;
	ret = sg_decode_conn(tb[SYNGUARD_A_CONN], &c);
	if (ret)
		return ret;

	out_open_obj(NULL);
	out_text("tcp  ");
	out_str("state", ctx->state_fmt,
		sg_name_of(sg_states, ARRAY_SIZE(sg_states), c.state, num,
			   sizeof(num)));
	out_str("src", " src=%s", sg_addr_str(c.src, src, sizeof(src)));
	out_str("dst", " dst=%s", sg_addr_str(c.dst, dst, sizeof(dst)));
	out_u64("sport", " sport=%llu", c.sport);
	out_u64("dport", " dport=%llu", c.dport);
	out_str("closer", " closer=%s",
		sg_name_of(sg_closers, ARRAY_SIZE(sg_closers), c.closer, num,
			   sizeof(num)));
	if (c.has_expires)
		out_u64("expires", " expires=%llu", c.expires);
	out_bool("picked_up", " [picked_up]", c.picked_up);
	out_text("\n");
	out_close_obj();
	return 0;
}

/* A state by its name, or as ss spells it: time-wait for time_wait. */
static int state_lookup(const char *name)
{
	char buf[32];
	size_t i;

	if (strlen(name) >= sizeof(buf))
		return -ENOENT;
	for (i = 0; name[i]; i++)
		buf[i] = name[i] == '-' ? '_' : name[i];
	buf[i] = '\0';
	return sg_name_lookup(sg_states, ARRAY_SIZE(sg_states), buf);
}

/* "state STATE" and "port PORT", each at most once, in any order. */
static int parse_filters(int argc, char **argv, int *state, int *port)
{
	char list[256];
	__u16 p;
	int i;

	*state = -1;
	*port = -1;
	for (i = 1; i < argc; i += 2) {
		const char *key = argv[i], *val = argv[i + 1];
		bool is_state = !strcmp(key, "state");

		if (!is_state && strcmp(key, "port")) {
			pr_err("unexpected argument \"%s\" for '%s'", key,
			       argv[0]);
			return -EINVAL;
		}
		if (i + 1 == argc) {
			pr_err("'%s' needs a value", key);
			return -EINVAL;
		}
		if ((is_state ? *state : *port) >= 0) {
			pr_err("'%s' given twice", key);
			return -EINVAL;
		}
		if (is_state) {
			*state = state_lookup(val);
			if (*state >= 0)
				continue;
			sg_name_list(sg_states, ARRAY_SIZE(sg_states), list,
				     sizeof(list));
			pr_err("invalid state \"%s\"; valid states: %s", val,
			       list);
			return -EINVAL;
		}
		if (parse_port(val, &p, list, sizeof(list))) {
			pr_err("%s", list);
			return -EINVAL;
		}
		*port = p;
	}
	return 0;
}

int cmd_conns(int argc, char **argv, const struct sg_opts *opts)
{
	char buf[NL_MSG_SIZE];
	struct conns_ctx ctx;
	struct nlmsghdr *nlh;
	int state, port, ret;
	unsigned int i;
	size_t width = 0;

	if (parse_filters(argc, argv, &state, &port))
		return EXIT_USAGE;

	for (i = 0; i < ARRAY_SIZE(sg_states); i++)
		if (strlen(sg_states[i].name) > width)
			width = strlen(sg_states[i].name);
	snprintf(ctx.state_fmt, sizeof(ctx.state_fmt), "%%-%zus", width);

	nlh = nl_msg(buf, SYNGUARD_CMD_GET_CONNS, NLM_F_DUMP);
	if (state >= 0)
		mnl_attr_put_u8(nlh, SYNGUARD_A_FILTER_STATE, state);
	if (port >= 0)
		mnl_attr_put_u16(nlh, SYNGUARD_A_FILTER_PORT, port);
	out_open_arr(NULL);
	ret = nl_call(opts->netns, nlh, conn_cb, &ctx);
	out_close_all();
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
