// SPDX-License-Identifier: GPL-2.0
/*
 * Routed transmission of the segments synguard builds.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/tcp.h>

#include "netns.h"
#include "stats.h"
#include "tcp.h"
#include "xmit.h"

DEFINE_PER_CPU(bool, sg_xmit_active);

/* Conntrack must not track what synguard answers on its own. */
static void untrack(struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	skb->_nfct = IP_CT_UNTRACKED;
#endif
}

static struct dst_entry *route4(struct net *net, struct sk_buff *skb,
				const struct in6_addr *saddr,
				const struct in6_addr *daddr, unsigned int len)
{
	struct iphdr *iph = ip_hdr(skb);
	struct tcphdr *th = tcp_hdr(skb);
	struct flowi4 fl4 = {
		.daddr = daddr->s6_addr32[3],
		.saddr = saddr->s6_addr32[3],
		.flowi4_proto = IPPROTO_TCP,
		.flowi4_flags = FLOWI_FLAG_ANYSRC,
	};
	struct rtable *rt;

	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->frag_off = htons(IP_DF);
	iph->ttl = READ_ONCE(net->ipv4.sysctl_ip_default_ttl);
	iph->protocol = IPPROTO_TCP;
	iph->saddr = fl4.saddr;
	iph->daddr = fl4.daddr;
	th->check = tcp_v4_check(len, iph->saddr, iph->daddr,
				 csum_partial(th, len, 0));
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	skb->protocol = htons(ETH_P_IP);
	return &rt->dst;
}

static struct dst_entry *route6(struct net *net, struct sk_buff *skb,
				const struct in6_addr *saddr,
				const struct in6_addr *daddr, unsigned int len)
{
	struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct tcphdr *th = tcp_hdr(skb);
	struct flowi6 fl6 = {
		.daddr = *daddr,
		.saddr = *saddr,
		.flowi6_proto = IPPROTO_TCP,
	};
	struct dst_entry *dst;
	int err;

	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(len);
	ip6h->nexthdr = IPPROTO_TCP;
	ip6h->saddr = *saddr;
	ip6h->daddr = *daddr;
	th->check = csum_ipv6_magic(saddr, daddr, len, IPPROTO_TCP,
				    csum_partial(th, len, 0));
	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error) {
		err = dst->error;
		dst_release(dst);
		return ERR_PTR(err);
	}
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	skb->protocol = htons(ETH_P_IPV6);
	return dst;
}

static int send(struct net *net, const struct in6_addr *saddr,
		const struct in6_addr *daddr, const struct sg_tcp_out *seg,
		enum sg_xmit_track track)
{
	bool v4 = ipv6_addr_v4mapped(saddr);
	unsigned int nh = v4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	struct dst_entry *dst;
	struct sk_buff *skb;
	unsigned int len;
	int err;

	skb = alloc_skb(LL_MAX_HEADER + nh + SG_TCP_HDR_MAX, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	skb_put(skb, nh);
	skb_set_transport_header(skb, nh);
	len = sg_tcp_build(skb_tail_pointer(skb), seg);
	skb_put(skb, len);

	dst = v4 ? route4(net, skb, saddr, daddr, len) :
		   route6(net, skb, saddr, daddr, len);
	if (IS_ERR(dst)) {
		kfree_skb(skb);
		return PTR_ERR(dst);
	}
	skb_dst_set(skb, dst);
	if (track == SG_XMIT_UNTRACKED)
		untrack(skb);

	local_bh_disable();
	this_cpu_write(sg_xmit_active, true);
	err = v4 ? ip_local_out(net, NULL, skb) : ip6_local_out(net, NULL, skb);
	this_cpu_write(sg_xmit_active, false);
	local_bh_enable();
	return err;
}

int sg_xmit(struct sg_net *sn, const struct in6_addr *saddr,
	    const struct in6_addr *daddr, const struct sg_tcp_out *seg,
	    enum sg_xmit_track track)
{
	int err = send(sn->net, saddr, daddr, seg, track);

	if (err)
		sg_count(sn, SYNGUARD_CNT_XMIT_FAILED);
	return err;
}
