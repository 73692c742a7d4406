/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sending the segments synguard builds itself. Cookie SYN-ACKs and ACKs
 * to the client are routed as local output, from the server's address,
 * which need not be local. The SYN and ACK to the server enter the
 * receive path on the client's device, so that conntrack, NAT and the
 * firewall treat them as the client's own.
 */
#ifndef _SYNGUARD_XMIT_H
#define _SYNGUARD_XMIT_H

#include <linux/in6.h>
#include <linux/percpu.h>

struct sg_net;
struct sg_conn;
struct sg_tcp_out;

DECLARE_PER_CPU(bool, sg_xmit_active);

/* True while synguard itself is sending: its packets skip its hooks. */
static inline bool sg_own_packet(void)
{
	return this_cpu_read(sg_xmit_active);
}

/* How to route what synguard says to a client. */
struct sg_route {
	u32 mark;	/* the mark of the segment it answers */
	int iif;	/* the client's device: its VRF, if any */
};

/*
 * Build @seg and send it from @saddr (the server's address, which need
 * not be local) to @daddr, the client, as local output that conntrack
 * does not track. 0 or -errno; a failure is counted in xmit_failed.
 */
int sg_xmit(struct sg_net *sn, const struct in6_addr *saddr,
	    const struct in6_addr *daddr, const struct sg_tcp_out *seg,
	    const struct sg_route *route);

/*
 * Build @seg, from @saddr (the client) to @daddr, and hand it to the
 * stack as if it had just arrived on device @iif, the client's: it goes
 * through PREROUTING, conntrack, NAT, xfrm policy and the input or
 * forward chain like the client's own segments. It carries the IPsec
 * sec_path of @from, the client segment it answers, or with @from NULL
 * the one kept for connection @c (secpath.h). 0 or -errno; a failure is
 * counted in xmit_failed.
 */
int sg_inject(struct sg_net *sn, const struct in6_addr *saddr,
	      const struct in6_addr *daddr, const struct sg_tcp_out *seg,
	      int iif, const struct sg_conn *c, const struct sk_buff *from);

/*
 * Whether the routing table would send a reply to the source of @skb, a
 * SYN received from an Ethernet device, back out of that device to the
 * Ethernet address it came from (synack_inplace 1). Under RCU.
 */
bool sg_inplace_route_agrees(struct net *net, const struct sk_buff *skb);

/*
 * Turn @skb, a SYN received from an Ethernet device whose TCP header is
 * at @thoff from its network header (skb->data), into @seg, its SYN-ACK,
 * and send it back out of that device to the Ethernet address it came
 * from: addresses swapped, headers rewritten, checksums recomputed, no
 * allocation (unless @skb was cloned), no route lookup, no output hook.
 * 0 when sent (@skb is gone; a device that refused it is counted in
 * xmit_failed), or -errno when @skb could not take it (no room to grow
 * it, no memory to unclone it): then @skb, possibly trimmed, is the
 * caller's to drop, and @seg is to be sent by sg_xmit().
 */
int sg_xmit_inplace(struct sg_net *sn, struct sk_buff *skb,
		    unsigned int thoff, const struct sg_tcp_out *seg);

#endif /* _SYNGUARD_XMIT_H */
