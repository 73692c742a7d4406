// SPDX-License-Identifier: GPL-2.0
/*
 * conns: the connection table, one line per entry in the manner of
 * "conntrack -L", or only their number ("conntrack -C"). Entries are
 * printed as the dump arrives (the table may hold hundreds of thousands
 * of them), except in state close_wait, listed oldest first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "cmd.h"
#include "decode.h"
#include "nl.h"
#include "output.h"
#include "parse.h"
#include "svc.h"
#include "tables.h"

struct conns_filter {
	int state;		/* enum synguard_state, or -1 */
	int port;		/* either side's, or -1 */
	bool has_src, has_dst;
	struct svc_spec src, dst;	/* address and prefix only */
	bool count;		/* print how many, not which */
	bool by_age;		/* collect, then print oldest first */
};

struct conns_ctx {
	const struct conns_filter *f;
	char state_fmt[32];	/* as wide as the longest state name */
	unsigned long long n;
	struct conn_row *rows;	/* by_age: collected so far */
	size_t nrows, cap;
};

static void print_conn(const struct conns_ctx *ctx, const struct conn_row *c)
{
	char src[SG_ADDRSTRLEN], dst[SG_ADDRSTRLEN], num[12];

	out_open_obj(NULL);
	out_text("tcp  ");
	out_str("state", ctx->state_fmt,
		sg_name_of(sg_states, ARRAY_SIZE(sg_states), c->state, num,
			   sizeof(num)));
	out_str("src", " src=%s", sg_addr_str(c->src, src, sizeof(src)));
	out_str("dst", " dst=%s", sg_addr_str(c->dst, dst, sizeof(dst)));
	out_u64("sport", " sport=%llu", c->sport);
	out_u64("dport", " dport=%llu", c->dport);
	out_str("closer", " closer=%s",
		sg_name_of(sg_closers, ARRAY_SIZE(sg_closers), c->closer, num,
			   sizeof(num)));
	if (c->has_expires)
		out_u64("expires", " expires=%llu", c->expires);
	if (c->has_age)
		out_u64("age", " age=%llu", c->age);
	out_bool("picked_up", " [picked_up]", c->picked_up);
	out_text("\n");
	out_close_obj();
}

static int keep(struct conns_ctx *ctx, const struct conn_row *c)
{
	struct conn_row *rows;
	size_t cap;

	if (ctx->nrows == ctx->cap) {
		cap = ctx->cap ? 2 * ctx->cap : 256;
		rows = reallocarray(ctx->rows, cap, sizeof(*rows));
		if (!rows)
			return -ENOMEM;
		ctx->rows = rows;
		ctx->cap = cap;
	}
	ctx->rows[ctx->nrows++] = *c;
	return 0;
}

static int conn_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[SYNGUARD_A_MAX + 1];
	struct conns_ctx *ctx = data;
	const struct conns_filter *f = ctx->f;
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
	/* State and port were filtered by the module. */
	if ((f->has_src && !svc_prefix_has(&f->src, c.src)) ||
	    (f->has_dst && !svc_prefix_has(&f->dst, c.dst)))
		return 0;
	ctx->n++;
	if (f->count)
		return 0;
	if (f->by_age)
		return keep(ctx, &c);
	print_conn(ctx, &c);
	return 0;
}

/* Oldest first; then by client, for a stable order. */
static int by_age(const void *a, const void *b)
{
	const struct conn_row *x = a, *y = b;

	if (x->age != y->age)
		return x->age < y->age ? 1 : -1;
	return memcmp(x->src, y->src, sizeof(x->src)) ?:
	       (int)x->sport - (int)y->sport;
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

/* The value of filter @key: @val, parsed into @f. */
static int parse_filter(const char *key, const char *val,
			struct conns_filter *f)
{
	char msg[256];
	__u16 p;

	if (!strcmp(key, "state")) {
		f->state = state_lookup(val);
		if (f->state >= 0)
			return 0;
		sg_name_list(sg_states, ARRAY_SIZE(sg_states), msg,
			     sizeof(msg));
		pr_err("invalid state \"%s\"; valid states: %s", val, msg);
		return -EINVAL;
	}
	if (!strcmp(key, "port")) {
		if (parse_port(val, &p, msg, sizeof(msg))) {
			pr_err("%s", msg);
			return -EINVAL;
		}
		f->port = p;
		return 0;
	}
	if (svc_parse_prefix(val, !strcmp(key, "src") ? &f->src : &f->dst,
			     msg, sizeof(msg))) {
		pr_err("%s: %s", key, msg);
		return -EINVAL;
	}
	return 0;
}

/*
 * "state STATE", "port PORT", "src PREFIX", "dst PREFIX", each at most
 * once, and "count" (or -c), in any order.
 */
static int parse_filters(int argc, char **argv, struct conns_filter *f)
{
	static const char *const keys[] = { "state", "port", "src", "dst" };
	bool given[ARRAY_SIZE(keys)] = {};
	unsigned int k;
	int i;

	memset(f, 0, sizeof(*f));
	f->state = -1;
	f->port = -1;
	for (i = 1; i < argc; i++) {
		const char *key = argv[i];

		if (!strcmp(key, "count") || !strcmp(key, "-c")) {
			f->count = true;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(keys); k++)
			if (!strcmp(key, keys[k]))
				break;
		if (k == ARRAY_SIZE(keys)) {
			pr_err("unexpected argument \"%s\" for '%s'", key,
			       argv[0]);
			return -EINVAL;
		}
		if (i + 1 == argc) {
			pr_err("'%s' needs a value", key);
			return -EINVAL;
		}
		if (given[k]) {
			pr_err("'%s' given twice", key);
			return -EINVAL;
		}
		given[k] = true;
		if (parse_filter(key, argv[++i], f))
			return -EINVAL;
	}
	f->has_src = given[2];
	f->has_dst = given[3];
	f->by_age = !f->count && f->state == SYNGUARD_STATE_CLOSE_WAIT;
	return 0;
}

int cmd_conns(int argc, char **argv, const struct sg_opts *opts)
{
	struct conns_ctx ctx = {};
	char buf[NL_MSG_SIZE];
	struct conns_filter f;
	struct nlmsghdr *nlh;
	unsigned int i;
	size_t width = 0;
	int ret;

	if (parse_filters(argc, argv, &f))
		return EXIT_USAGE;
	ctx.f = &f;
	for (i = 0; i < ARRAY_SIZE(sg_states); i++)
		if (strlen(sg_states[i].name) > width)
			width = strlen(sg_states[i].name);
	snprintf(ctx.state_fmt, sizeof(ctx.state_fmt), "%%-%zus", width);

	nlh = nl_msg(buf, SYNGUARD_CMD_GET_CONNS, NLM_F_DUMP);
	if (f.state >= 0)
		mnl_attr_put_u8(nlh, SYNGUARD_A_FILTER_STATE, f.state);
	if (f.port >= 0)
		mnl_attr_put_u16(nlh, SYNGUARD_A_FILTER_PORT, f.port);
	if (!f.count)
		out_open_arr(NULL);
	ret = nl_call(opts->netns, nlh, conn_cb, &ctx);
	if (!ret && f.count) {
		out_open_obj(NULL);
		out_u64("count", "%llu\n", ctx.n);
		out_close_obj();
	}
	if (!ret && f.by_age) {
		qsort(ctx.rows, ctx.nrows, sizeof(*ctx.rows), by_age);
		for (i = 0; i < ctx.nrows; i++)
			print_conn(&ctx, &ctx.rows[i]);
	}
	free(ctx.rows);
	out_close_all();
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
