// SPDX-License-Identifier: GPL-2.0
/*
 * monitor: print events from the "events" multicast group until SIGINT
 * or SIGTERM, each with its time (ISO 8601, milliseconds, local offset).
 * The signals are taken through a signalfd polled next to the
 * socket, so that one arriving at any moment ends the loop cleanly.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "cmd.h"
#include "decode.h"
#include "nl.h"
#include "output.h"
#include "tables.h"
#include "watch.h"

/* @data is room for the listener an event may carry. */
static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[SYNGUARD_A_MAX + 1];
	char addr[SG_ADDRSTRLEN], num[12], now[40];
	struct listener_row *l = data;

	if (genl->cmd != SYNGUARD_CMD_EVENT)
		return 0;
	if (sg_parse_msg(nlh, tb) || !tb[SYNGUARD_A_EVENT] ||
	    (tb[SYNGUARD_A_LISTENER] &&
	     sg_decode_listener(tb[SYNGUARD_A_LISTENER], l))) {
		pr_warn("ignoring a malformed event");
		return 0;
	}

	out_open_obj(NULL);
	out_str("event", "event %s",
		sg_name_of(sg_events, ARRAY_SIZE(sg_events),
			   mnl_attr_get_u32(tb[SYNGUARD_A_EVENT]), num,
			   sizeof(num)));
	if (tb[SYNGUARD_A_LISTENER]) {
		out_str("addr", " addr=%s",
			sg_addr_str(l->addr, addr, sizeof(addr)));
		out_u64("port", " port=%llu", l->port);
	}
	out_str("time", " time=%s\n", iso_time(now, sizeof(now), true));
	out_close_obj();
	fflush(stdout);
	return 0;
}

static int monitor(struct nl *nl, int sfd)
{
	struct listener_row l;
	struct pollfd pfd[] = {
		{ .fd = nl_fd(nl), .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
	};
	int ret;

	for (;;) {
		if (poll(pfd, ARRAY_SIZE(pfd), -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			pr_err("poll: %s", strerror(-ret));
			return ret;
		}
		if (pfd[1].revents)
			return 0;
		if (!pfd[0].revents)
			continue;
		ret = nl_read(nl, event_cb, &l);
		if (ret == -ENOBUFS) {
			pr_warn("events lost: the receive buffer overflowed");
		} else if (ret && ret != -EINTR) {
			pr_err("cannot read events: %s", strerror(-ret));
			return ret;
		}
	}
}

int cmd_monitor(int argc, char **argv, const struct sg_opts *opts)
{
	struct nl *nl;
	int sfd, ret;

	if (!no_args(argc, argv))
		return EXIT_USAGE;
	sfd = signals_open();
	if (sfd < 0)
		return EXIT_FAILURE;

	ret = nl_open(&nl, opts->netns);
	if (!ret) {
		ret = nl_subscribe_events(nl);
		if (!ret)
			ret = monitor(nl, sfd);
		nl_close(nl);
	}
	close(sfd);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
