/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink socket: family lookup, one request with its
 * replies, and multicast events. Errors are reported here, on stderr, in
 * the words the user needs (the kernel's extended ack message when there
 * is one); callers only pass the -errno on.
 */
#ifndef SYNGUARD_NL_H
#define SYNGUARD_NL_H

#include <linux/types.h>

struct nl;
struct nlmsghdr;

/*
 * Enter network namespace @netns (unless NULL), open a socket and look up
 * the synguard family and its events group.
 */
int nl_open(struct nl **nlp, const char *netns);
void nl_close(struct nl *nl);

/* Room for any request the tool sends. */
#define NL_MSG_SIZE	4096

/*
 * Start a request for @cmd in @buf, NL_MSG_SIZE bytes; add attributes to
 * it. The family and sequence number are filled in when it is sent.
 */
struct nlmsghdr *nl_msg(void *buf, __u8 cmd, __u16 flags);

/*
 * Send @nlh and run @cb on every reply of the synguard family until the
 * ack or the end of the dump. @cb may be NULL and returns 0 or -errno;
 * it is given the whole message, generic netlink header included.
 */
int nl_exec(struct nl *nl, struct nlmsghdr *nlh,
	    int (*cb)(const struct nlmsghdr *nlh, void *data), void *data);

/*
 * The whole exchange for a command that sends one request: open a
 * socket in @netns, nl_exec() @nlh, close. Errors are reported.
 */
int nl_call(const char *netns, struct nlmsghdr *nlh,
	    int (*cb)(const struct nlmsghdr *nlh, void *data), void *data);

/*
 * Do not report error @err (-errno) of the next request: the caller
 * takes it as an answer.
 */
void nl_quiet(int err);

/* Warn, once, if the module speaks a newer protocol than this tool. */
void nl_check_version(__u32 version);

int nl_subscribe_events(struct nl *nl);
int nl_fd(const struct nl *nl);

/*
 * Read what is queued on the socket and run @cb on each message of the
 * family. Returns 0 or -errno; -ENOBUFS means events were lost.
 */
int nl_read(struct nl *nl, int (*cb)(const struct nlmsghdr *nlh, void *data),
	    void *data);

#endif /* SYNGUARD_NL_H */
