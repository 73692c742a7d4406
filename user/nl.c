// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/synguard.h>

#include "knobs.h"
#include "nl.h"
#include "output.h"
#include "tables.h"

/* Big enough for a dump message batch (the kernel fills up to 32 KiB). */
#define RX_SIZE		(32 * 1024)

struct nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	__u16 family;
	__u32 events_group;		/* 0: the module has none */
	char tx[NL_MSG_SIZE];
	char rx[RX_SIZE];
};

/* State of one exchange, shared by the data and control callbacks. */
struct req {
	struct nl *nl;
	__u16 type;			/* family of the replies we want */
	int (*cb)(const struct nlmsghdr *nlh, void *data);
	void *data;
	int err;			/* from the kernel */
	int cb_err;			/* from @cb, e.g. a bad reply */
	bool intr_warned;
	char msg[256];			/* extended ack message */
	bool has_off;
	__u32 off;			/* of the attribute it is about */
};

static const char *const cmd_what[] = {
	[SYNGUARD_CMD_GET_CONFIG] = "read the configuration",
	[SYNGUARD_CMD_SET_CONFIG] = "change the configuration",
	[SYNGUARD_CMD_GET_STATS] = "read the counters",
	[SYNGUARD_CMD_GET_LISTENERS] = "list listeners",
	[SYNGUARD_CMD_GET_CONNS] = "list connections",
	[SYNGUARD_CMD_ADD_SERVICE] = "add the service",
	[SYNGUARD_CMD_DEL_SERVICE] = "delete the service",
	[SYNGUARD_CMD_GET_SERVICES] = "list services",
};

/* Request attributes as the command line calls them, for error messages. */
static const char *const attr_words[] = {
	[SYNGUARD_A_FLAGS] = "reset",
	[SYNGUARD_A_FILTER_STATE] = "state",
	[SYNGUARD_A_FILTER_PORT] = "port",
};

/*
 * @name is a name in /run/netns (ip netns add), or the absolute path of
 * a namespace file such as /proc/PID/ns/net.
 */
static int enter_netns(const char *name)
{
	static const char *const dirs[] = { "/run/netns", "/var/run/netns" };
	bool is_path = name[0] == '/';
	char path[PATH_MAX];
	unsigned int i;
	int fd = -1, ret = -ENOENT;

	if (is_path)
		fd = open(name, O_RDONLY | O_CLOEXEC);
	for (i = 0; !is_path && i < ARRAY_SIZE(dirs) && fd < 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && errno != ENOENT)
			ret = -errno;
	}
	if (fd < 0) {
		if (is_path)
			ret = -errno;
		if (ret == -ENOENT && !is_path)
			pr_err("network namespace \"%s\" not found", name);
		else
			pr_err("cannot open network namespace \"%s\": %s", name,
			       strerror(-ret));
		return ret;
	}
	ret = setns(fd, CLONE_NEWNET) ? -errno : 0;
	if (ret == -EINVAL)
		pr_err("\"%s\" is not a network namespace", name);
	else if (ret)
		pr_err("cannot enter network namespace \"%s\": %s", name,
		       strerror(-ret));
	close(fd);
	return ret;
}

/*
 * A part of a dump the kernel flags as interrupted (the table changed
 * since the dump began) is still worth showing, as ip(8) shows it, with
 * a warning; but libmnl ends the dump there with EINTR, so the flag is
 * taken off the @len bytes received before they are parsed.
 */
static void take_intr(struct req *req, void *buf, size_t len)
{
	struct nlmsghdr *nlh = buf;
	int left = len;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		if (!(nlh->nlmsg_flags & NLM_F_DUMP_INTR))
			continue;
		nlh->nlmsg_flags &= ~NLM_F_DUMP_INTR;
		if (req->intr_warned)
			continue;
		req->intr_warned = true;
		pr_warn("table changed during dump; listing may be inconsistent");
	}
}

static int extack_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= NLMSGERR_ATTR_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

/* Keep the extended ack message found @off bytes into @nlh's payload. */
static void extack(struct req *req, const struct nlmsghdr *nlh,
		   unsigned int off)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	const struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (off > mnl_nlmsg_get_payload_len(nlh))
		return;
	if (mnl_attr_parse(nlh, off, extack_attr_cb, tb) < 0)
		return;
	attr = tb[NLMSGERR_ATTR_MSG];
	if (attr && !mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
		snprintf(req->msg, sizeof(req->msg), "%s",
			 mnl_attr_get_str(attr));
	attr = tb[NLMSGERR_ATTR_OFFS];
	if (attr && !mnl_attr_validate(attr, MNL_TYPE_U32)) {
		req->has_off = true;
		req->off = mnl_attr_get_u32(attr);
	}
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	unsigned int off = sizeof(*err);
	struct req *req = data;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
		req->cb_err = -EBADMSG;
		return MNL_CB_ERROR;
	}
	/* Without NETLINK_CAP_ACK the request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    err->msg.nlmsg_len >= sizeof(err->msg))
		off += err->msg.nlmsg_len - sizeof(err->msg);
	extack(req, nlh, off);
	if (!err->error)
		return MNL_CB_STOP;
	req->err = err->error < 0 ? err->error : -err->error;
	return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct req *req = data;
	int error = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(error)) {
		memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
		extack(req, nlh, sizeof(error));
	}
	if (error >= 0)
		return MNL_CB_STOP;
	req->err = error;
	return MNL_CB_ERROR;
}

/* Not const: mnl_cb_run2() takes a plain pointer. */
static mnl_cb_t ctl_cb[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
};

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct req *req = data;
	int ret;

	if (nlh->nlmsg_type != req->type || !req->cb)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		ret = -EBADMSG;
	else
		ret = req->cb(nlh, req->data);
	if (!ret)
		return MNL_CB_OK;
	req->cb_err = ret;
	return MNL_CB_ERROR;
}

static void req_init(struct req *req, struct nl *nl, __u16 type,
		     int (*cb)(const struct nlmsghdr *nlh, void *data),
		     void *data)
{
	memset(req, 0, sizeof(*req));
	req->nl = nl;
	req->type = type;
	req->cb = cb;
	req->data = data;
}

static int req_result(const struct req *req, int ret)
{
	if (ret >= 0)
		return 0;
	if (req->cb_err)
		return req->cb_err;
	if (req->err)
		return req->err;
	return errno ? -errno : -EIO;
}

/* Send @nlh and process replies until the ack, the dump's end or an error. */
static int talk(struct nl *nl, struct nlmsghdr *nlh, struct req *req)
{
	int ret = MNL_CB_OK;
	ssize_t n;

	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	while (ret > MNL_CB_STOP) {
		n = mnl_socket_recvfrom(nl->sock, nl->rx, sizeof(nl->rx));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		take_intr(req, nl->rx, n);
		ret = mnl_cb_run2(nl->rx, n, nlh->nlmsg_seq, nl->portid,
				  data_cb, req, ctl_cb, ARRAY_SIZE(ctl_cb));
	}
	return req_result(req, ret);
}

static bool covers(const struct nlmsghdr *nlh, const struct nlattr *attr,
		   __u32 off)
{
	__u32 start = (const char *)attr - (const char *)nlh;

	return off >= start && off < start + attr->nla_len;
}

/*
 * The name the user gave the attribute @off bytes into request @nlh: a
 * knob name inside the config nest, else the command line word.
 */
static const char *attr_word(const struct nlmsghdr *nlh, __u32 off)
{
	const struct nlattr *attr, *knob;
	unsigned int type, id;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (!covers(nlh, attr, off))
			continue;
		type = mnl_attr_get_type(attr);
		if (type != SYNGUARD_A_CONFIG)
			return type < ARRAY_SIZE(attr_words) ?
			       attr_words[type] : NULL;
		mnl_attr_for_each_nested(knob, attr) {
			id = mnl_attr_get_type(knob) - 1;
			if (covers(nlh, knob, off) && id < __SYNGUARD_KNOB_MAX)
				return knob_defs[id].name;
		}
		return NULL;
	}
	return NULL;
}

static void report(const struct req *req, const struct nlmsghdr *nlh,
		   int err)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const char *what = "talk to the synguard module", *word = NULL;

	if (genl->cmd < ARRAY_SIZE(cmd_what) && cmd_what[genl->cmd])
		what = cmd_what[genl->cmd];
	if (req->cb_err == -EBADMSG) {
		pr_err("cannot %s: malformed reply from the synguard module",
		       what);
		return;
	}
	if (req->cb_err) {
		pr_err("cannot %s: %s", what, strerror(-req->cb_err));
		return;
	}

	if (req->has_off)
		word = attr_word(nlh, req->off);
	if (req->msg[0] && word && !strstr(req->msg, word))
		pr_err("%s (%s)", req->msg, word);
	else if (req->msg[0])
		pr_err("%s", req->msg);
	else if (err == -EPERM || err == -EACCES)
		pr_err("permission denied: this needs CAP_NET_ADMIN");
	else if (err == -ENOENT && genl->cmd == SYNGUARD_CMD_DEL_SERVICE)
		pr_err("no such service");
	else if (word)
		pr_err("cannot %s: %s (%s)", what, strerror(-err), word);
	else
		pr_err("cannot %s: %s", what, strerror(-err));
}

/* A generic netlink request header; the caller sets type and sequence. */
static struct nlmsghdr *put_genl(void *buf, __u8 cmd, __u8 version,
				 __u16 flags)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *nl_msg(void *buf, __u8 cmd, __u16 flags)
{
	return put_genl(buf, cmd, SYNGUARD_GENL_VERSION, flags);
}

static int quiet_err;

void nl_quiet(int err)
{
	quiet_err = err;
}

int nl_exec(struct nl *nl, struct nlmsghdr *nlh,
	    int (*cb)(const struct nlmsghdr *nlh, void *data), void *data)
{
	struct req req;
	int ret, quiet;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_seq = ++nl->seq;
	req_init(&req, nl, nl->family, cb, data);
	ret = talk(nl, nlh, &req);
	quiet = quiet_err;
	quiet_err = 0;
	if (ret) {
		if (ret != quiet || req.cb_err)
			report(&req, nlh, ret);
		return ret;
	}
	if (req.msg[0])
		pr_warn("%s", req.msg);
	return 0;
}

void nl_check_version(__u32 version)
{
	static bool warned;

	if (version <= SYNGUARD_GENL_VERSION || warned)
		return;
	warned = true;
	pr_warn("the synguard module speaks netlink version %u, this tool version %u; some information may be missing",
		version, SYNGUARD_GENL_VERSION);
}

static int group_cb(struct nl *nl, const struct nlattr *grp)
{
	const struct nlattr *attr;
	const char *name = NULL;
	__u32 id = 0;

	mnl_attr_for_each_nested(attr, grp) {
		switch (mnl_attr_get_type(attr)) {
		case CTRL_ATTR_MCAST_GRP_NAME:
			if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
				return -EBADMSG;
			name = mnl_attr_get_str(attr);
			break;
		case CTRL_ATTR_MCAST_GRP_ID:
			if (mnl_attr_validate(attr, MNL_TYPE_U32))
				return -EBADMSG;
			id = mnl_attr_get_u32(attr);
			break;
		}
	}
	if (name && !strcmp(name, SYNGUARD_MCGRP_EVENTS))
		nl->events_group = id;
	return 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *attr, *grp;
	struct nl *nl = data;
	int ret;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(attr)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(attr, MNL_TYPE_U16))
				return -EBADMSG;
			nl->family = mnl_attr_get_u16(attr);
			break;
		case CTRL_ATTR_VERSION:
			if (mnl_attr_validate(attr, MNL_TYPE_U32))
				return -EBADMSG;
			nl_check_version(mnl_attr_get_u32(attr));
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(grp, attr) {
				ret = group_cb(nl, grp);
				if (ret)
					return ret;
			}
			break;
		}
	}
	return nl->family ? 0 : -EBADMSG;
}

static int resolve_family(struct nl *nl)
{
	struct nlmsghdr *nlh;
	struct req req;
	int ret;

	nlh = put_genl(nl->tx, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_seq = ++nl->seq;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SYNGUARD_GENL_NAME);

	req_init(&req, nl, GENL_ID_CTRL, family_cb, nl);
	ret = talk(nl, nlh, &req);
	if (ret == -ENOENT && !req.cb_err)
		pr_err("synguard module is not loaded (family \"%s\" not found); load it with 'insmod kmod/synguard.ko' or 'modprobe synguard'",
		       SYNGUARD_GENL_NAME);
	else if ((ret == -EPERM || ret == -EACCES) && !req.cb_err)
		pr_err("permission denied: this needs CAP_NET_ADMIN");
	else if (ret)
		pr_err("cannot look up generic netlink family \"%s\": %s",
		       SYNGUARD_GENL_NAME, ret == -EBADMSG ?
		       "malformed reply" : strerror(-ret));
	return ret;
}

int nl_open(struct nl **nlp, const char *netns)
{
	int one = 1, ret;
	struct nl *nl;

	if (netns) {
		ret = enter_netns(netns);
		if (ret)
			return ret;
	}

	nl = calloc(1, sizeof(*nl));
	if (!nl) {
		pr_err("%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		ret = -errno;
		pr_err("cannot open a generic netlink socket: %s",
		       strerror(-ret));
		goto err_free;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		pr_err("cannot bind a generic netlink socket: %s",
		       strerror(-ret));
		goto err_close;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);
	/* Older kernels lack these; errors then come without a message. */
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));

	ret = resolve_family(nl);
	if (ret)
		goto err_close;
	*nlp = nl;
	return 0;

err_close:
	mnl_socket_close(nl->sock);
err_free:
	free(nl);
	return ret;
}

void nl_close(struct nl *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	free(nl);
}

int nl_call(const char *netns, struct nlmsghdr *nlh,
	    int (*cb)(const struct nlmsghdr *nlh, void *data), void *data)
{
	struct nl *nl;
	int ret;

	ret = nl_open(&nl, netns);
	if (ret)
		return ret;
	ret = nl_exec(nl, nlh, cb, data);
	nl_close(nl);
	return ret;
}

int nl_subscribe_events(struct nl *nl)
{
	int ret;

	if (!nl->events_group) {
		pr_err("the synguard module has no \"%s\" multicast group",
		       SYNGUARD_MCGRP_EVENTS);
		return -ENOENT;
	}
	if (!mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
				   &nl->events_group,
				   sizeof(nl->events_group)))
		return 0;
	ret = -errno;
	if (ret == -EPERM || ret == -EACCES)
		pr_err("permission denied: this needs CAP_NET_ADMIN");
	else
		pr_err("cannot subscribe to synguard events: %s",
		       strerror(-ret));
	return ret;
}

int nl_fd(const struct nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

int nl_read(struct nl *nl, int (*cb)(const struct nlmsghdr *nlh, void *data),
	    void *data)
{
	struct req req;
	ssize_t n;
	int ret;

	n = mnl_socket_recvfrom(nl->sock, nl->rx, sizeof(nl->rx));
	if (n < 0)
		return -errno;
	req_init(&req, nl, nl->family, cb, data);
	/* Multicast messages carry no sequence number or port id. */
	ret = mnl_cb_run2(nl->rx, n, 0, 0, data_cb, &req, ctl_cb,
			  ARRAY_SIZE(ctl_cb));
	return req_result(&req, ret);
}
