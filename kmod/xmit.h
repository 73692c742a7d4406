/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sending the segments synguard builds itself: cookie SYN-ACKs and ACKs
 * to the client, the SYN and ACK to the server. They are routed as local
 * output, from addresses that need not be local: synguard speaks for the
 * server towards the client and for the client towards the server.
 */
#ifndef _SYNGUARD_XMIT_H
#define _SYNGUARD_XMIT_H

#include <linux/in6.h>
#include <linux/percpu.h>

struct sg_net;
struct sg_tcp_out;

DECLARE_PER_CPU(bool, sg_xmit_active);

/* True while synguard itself is sending: its packets skip its hooks. */
static inline bool sg_own_packet(void)
{
	return this_cpu_read(sg_xmit_active);
}

/* Who should see a segment synguard sends. */
enum sg_xmit_track {
	SG_XMIT_TRACKED,	/* conntrack too: it opens the server side */
	SG_XMIT_UNTRACKED,	/* not conntrack: an answer for the server */
};

/*
 * Build @seg and send it from @saddr to @daddr. 0 or -errno; a failure
 * is counted in xmit_failed.
 */
int sg_xmit(struct sg_net *sn, const struct in6_addr *saddr,
	    const struct in6_addr *daddr, const struct sg_tcp_out *seg,
	    enum sg_xmit_track track);

#endif /* _SYNGUARD_XMIT_H */
