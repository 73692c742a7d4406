// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <linux/genetlink.h>

#include "decode.h"

struct policy {
	enum mnl_attr_data_type type;	/* MNL_TYPE_UNSPEC: skip */
	__u16 len;			/* exact length of a binary */
};

struct parse_ctx {
	const struct policy *pol;
	unsigned int max;
	const struct nlattr **tb;
};

static const struct policy attr_policy[SYNGUARD_A_MAX + 1] = {
	[SYNGUARD_A_VERSION] = { MNL_TYPE_U32 },
	[SYNGUARD_A_CONFIG] = { MNL_TYPE_NESTED },
	[SYNGUARD_A_STATS] = { MNL_TYPE_NESTED },
	[SYNGUARD_A_FLAGS] = { MNL_TYPE_U32 },
	[SYNGUARD_A_LISTENER] = { MNL_TYPE_NESTED },
	[SYNGUARD_A_CONN] = { MNL_TYPE_NESTED },
	[SYNGUARD_A_FILTER_STATE] = { MNL_TYPE_U8 },
	[SYNGUARD_A_FILTER_PORT] = { MNL_TYPE_U16 },
	[SYNGUARD_A_EVENT] = { MNL_TYPE_U32 },
	[SYNGUARD_A_SERVICE] = { MNL_TYPE_NESTED },
	[SYNGUARD_A_COOKIE_SECRET] = { MNL_TYPE_BINARY },
	[SYNGUARD_A_COOKIE_SHARED] = { MNL_TYPE_FLAG },
};

static const struct policy listener_policy[SYNGUARD_L_A_MAX + 1] = {
	[SYNGUARD_L_A_ADDR] = { MNL_TYPE_BINARY, SG_ADDR_LEN },
	[SYNGUARD_L_A_PORT] = { MNL_TYPE_U16 },
	[SYNGUARD_L_A_COUNTS] = { MNL_TYPE_NESTED },
};

static const struct policy conn_policy[SYNGUARD_C_A_MAX + 1] = {
	[SYNGUARD_C_A_SRC] = { MNL_TYPE_BINARY, SG_ADDR_LEN },
	[SYNGUARD_C_A_DST] = { MNL_TYPE_BINARY, SG_ADDR_LEN },
	[SYNGUARD_C_A_SPORT] = { MNL_TYPE_U16 },
	[SYNGUARD_C_A_DPORT] = { MNL_TYPE_U16 },
	[SYNGUARD_C_A_STATE] = { MNL_TYPE_U8 },
	[SYNGUARD_C_A_CLOSER] = { MNL_TYPE_U8 },
	[SYNGUARD_C_A_EXPIRES] = { MNL_TYPE_U32 },
	[SYNGUARD_C_A_PICKED_UP] = { MNL_TYPE_FLAG },
	[SYNGUARD_C_A_AGE] = { MNL_TYPE_U32 },
};

static const struct policy service_policy[SYNGUARD_S_A_MAX + 1] = {
	[SYNGUARD_S_A_ADDR] = { MNL_TYPE_BINARY, SG_ADDR_LEN },
	[SYNGUARD_S_A_PREFIX] = { MNL_TYPE_U8 },
	[SYNGUARD_S_A_PORT_MIN] = { MNL_TYPE_U16 },
	[SYNGUARD_S_A_PORT_MAX] = { MNL_TYPE_U16 },
	[SYNGUARD_S_A_CONFIG] = { MNL_TYPE_NESTED },
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct parse_ctx *ctx = data;
	unsigned int type = mnl_attr_get_type(attr);
	const struct policy *p;
	int ret;

	if (type > ctx->max)
		return MNL_CB_OK;
	p = &ctx->pol[type];
	if (p->type == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (p->len)
		ret = mnl_attr_validate2(attr, p->type, p->len);
	else
		ret = mnl_attr_validate(attr, p->type);
	if (ret < 0)
		return MNL_CB_ERROR;
	ctx->tb[type] = attr;
	return MNL_CB_OK;
}

static int parse_nest(const struct nlattr *nest, const struct policy *pol,
		      unsigned int max, const struct nlattr **tb)
{
	struct parse_ctx ctx = { pol, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse_nested(nest, attr_cb, &ctx) < 0)
		return -EBADMSG;
	return 0;
}

int sg_parse_msg(const struct nlmsghdr *nlh,
		 const struct nlattr *tb[SYNGUARD_A_MAX + 1])
{
	struct parse_ctx ctx = { attr_policy, SYNGUARD_A_MAX, tb };

	memset(tb, 0, (SYNGUARD_A_MAX + 1) * sizeof(*tb));
	if (mnl_attr_parse(nlh, GENL_HDRLEN, attr_cb, &ctx) < 0)
		return -EBADMSG;
	return 0;
}

int sg_decode_table(const struct nlattr *nest, enum mnl_attr_data_type type,
		    __u64 *vals, bool *present, unsigned int n)
{
	const struct nlattr *attr;
	unsigned int id;

	memset(present, 0, n * sizeof(*present));
	mnl_attr_for_each_nested(attr, nest) {
		id = mnl_attr_get_type(attr) - 1;
		/* Ids past @n are newer than this tool; empty ones are pads. */
		if (id >= n || !mnl_attr_get_payload_len(attr))
			continue;
		if (mnl_attr_validate(attr, type))
			return -EBADMSG;
		if (type == MNL_TYPE_U64)
			vals[id] = mnl_attr_get_u64(attr);
		else
			vals[id] = mnl_attr_get_u32(attr);
		present[id] = true;
	}
	return 0;
}

int sg_decode_listener(const struct nlattr *nest, struct listener_row *l)
{
	const struct nlattr *tb[SYNGUARD_L_A_MAX + 1];
	int ret;

	memset(l, 0, sizeof(*l));
	ret = parse_nest(nest, listener_policy, SYNGUARD_L_A_MAX, tb);
	if (ret)
		return ret;
	if (!tb[SYNGUARD_L_A_ADDR] || !tb[SYNGUARD_L_A_PORT])
		return -EBADMSG;
	memcpy(l->addr, mnl_attr_get_payload(tb[SYNGUARD_L_A_ADDR]),
	       SG_ADDR_LEN);
	l->port = mnl_attr_get_u16(tb[SYNGUARD_L_A_PORT]);
	if (!tb[SYNGUARD_L_A_COUNTS])
		return 0;
	return sg_decode_table(tb[SYNGUARD_L_A_COUNTS], MNL_TYPE_U64,
			       l->counts, l->has_count, __SYNGUARD_LC_MAX);
}

int sg_decode_conn(const struct nlattr *nest, struct conn_row *c)
{
	const struct nlattr *tb[SYNGUARD_C_A_MAX + 1];
	int ret;

	memset(c, 0, sizeof(*c));
	ret = parse_nest(nest, conn_policy, SYNGUARD_C_A_MAX, tb);
	if (ret)
		return ret;
	if (!tb[SYNGUARD_C_A_SRC] || !tb[SYNGUARD_C_A_DST] ||
	    !tb[SYNGUARD_C_A_SPORT] || !tb[SYNGUARD_C_A_DPORT] ||
	    !tb[SYNGUARD_C_A_STATE])
		return -EBADMSG;
	memcpy(c->src, mnl_attr_get_payload(tb[SYNGUARD_C_A_SRC]), SG_ADDR_LEN);
	memcpy(c->dst, mnl_attr_get_payload(tb[SYNGUARD_C_A_DST]), SG_ADDR_LEN);
	c->sport = mnl_attr_get_u16(tb[SYNGUARD_C_A_SPORT]);
	c->dport = mnl_attr_get_u16(tb[SYNGUARD_C_A_DPORT]);
	c->state = mnl_attr_get_u8(tb[SYNGUARD_C_A_STATE]);
	if (tb[SYNGUARD_C_A_CLOSER])
		c->closer = mnl_attr_get_u8(tb[SYNGUARD_C_A_CLOSER]);
	if (tb[SYNGUARD_C_A_EXPIRES]) {
		c->has_expires = true;
		c->expires = mnl_attr_get_u32(tb[SYNGUARD_C_A_EXPIRES]);
	}
	if (tb[SYNGUARD_C_A_AGE]) {
		c->has_age = true;
		c->age = mnl_attr_get_u32(tb[SYNGUARD_C_A_AGE]);
	}
	c->picked_up = tb[SYNGUARD_C_A_PICKED_UP];
	return 0;
}

int sg_decode_svc(const struct nlattr *nest, struct svc_spec *svc)
{
	const struct nlattr *tb[SYNGUARD_S_A_MAX + 1];
	__u64 vals[__SYNGUARD_KNOB_MAX] = {};
	unsigned int i;
	int ret;

	memset(svc, 0, sizeof(*svc));
	ret = parse_nest(nest, service_policy, SYNGUARD_S_A_MAX, tb);
	if (ret)
		return ret;
	if (!tb[SYNGUARD_S_A_ADDR] || !tb[SYNGUARD_S_A_PREFIX] ||
	    !tb[SYNGUARD_S_A_PORT_MIN])
		return -EBADMSG;
	memcpy(&svc->addr, mnl_attr_get_payload(tb[SYNGUARD_S_A_ADDR]),
	       SG_ADDR_LEN);
	svc->prefix = mnl_attr_get_u8(tb[SYNGUARD_S_A_PREFIX]);
	if (svc->prefix > 128)
		return -EBADMSG;
	svc->port_min = mnl_attr_get_u16(tb[SYNGUARD_S_A_PORT_MIN]);
	svc->port_max = svc->port_min;
	if (tb[SYNGUARD_S_A_PORT_MAX])
		svc->port_max = mnl_attr_get_u16(tb[SYNGUARD_S_A_PORT_MAX]);
	if (!tb[SYNGUARD_S_A_CONFIG])
		return 0;
	ret = sg_decode_table(tb[SYNGUARD_S_A_CONFIG], MNL_TYPE_U32, vals,
			      svc->present, __SYNGUARD_KNOB_MAX);
	for (i = 0; i < __SYNGUARD_KNOB_MAX; i++)
		svc->val[i] = vals[i];
	return ret;
}

const char *sg_addr_str(const __u8 *addr, char *buf, size_t len)
{
	struct in6_addr a;

	memcpy(&a, addr, sizeof(a));
	if (IN6_IS_ADDR_V4MAPPED(&a))
		inet_ntop(AF_INET, &a.s6_addr[12], buf, len);
	else
		inet_ntop(AF_INET6, &a, buf, len);
	return buf;
}
