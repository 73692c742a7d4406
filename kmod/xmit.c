// SPDX-License-Identifier: GPL-2.0
/*
 * Transmission of the segments synguard builds: routed, or a cookie
 * SYN-ACK made in place from the SYN it answers.
 */
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <net/addrconf.h>
#include <net/arp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip_fib.h>
#include <net/ndisc.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/l3mdev.h>
#include <net/route.h>
#include <net/tcp.h>
#include <net/xfrm.h>

#include "netns.h"
#include "secpath.h"
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
				const struct in6_addr *daddr, unsigned int len,
				u32 mark, int oif)
{
	struct iphdr *iph = ip_hdr(skb);
	struct tcphdr *th = tcp_hdr(skb);
	struct flowi4 fl4 = {
		.daddr = daddr->s6_addr32[3],
		.saddr = saddr->s6_addr32[3],
		.flowi4_proto = IPPROTO_TCP,
		.flowi4_flags = FLOWI_FLAG_ANYSRC,
		.flowi4_mark = mark,
		.flowi4_oif = oif,
		/* xfrm selectors may name ports. */
		.fl4_sport = th->source,
		.fl4_dport = th->dest,
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
				const struct in6_addr *daddr, unsigned int len,
				u32 mark, int oif)
{
	struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct tcphdr *th = tcp_hdr(skb);
	struct flowi6 fl6 = {
		.daddr = *daddr,
		.saddr = *saddr,
		.flowi6_proto = IPPROTO_TCP,
		.flowi6_mark = mark,
		.flowi6_oif = oif,
		.fl6_sport = th->source,
		.fl6_dport = th->dest,
	};
	struct dst_entry *dst;

	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(len);
	ip6h->nexthdr = IPPROTO_TCP;
	ip6h->saddr = *saddr;
	ip6h->daddr = *daddr;
	th->check = csum_ipv6_magic(saddr, daddr, len, IPPROTO_TCP,
				    csum_partial(th, len, 0));
	/* Like ip_route_output_key() for IPv4: through xfrm too. */
	dst = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
	if (IS_ERR(dst))
		return dst;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	skb->protocol = htons(ETH_P_IPV6);
	return dst;
}

/* An skb holding @seg after room for the network header. */
static struct sk_buff *build(const struct sg_tcp_out *seg, unsigned int nh,
			     unsigned int *len)
{
	struct sk_buff *skb;

	skb = alloc_skb(LL_MAX_HEADER + nh + SG_TCP_HDR_MAX, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb_put(skb, nh);
	skb_set_transport_header(skb, nh);
	*len = sg_tcp_build(skb_tail_pointer(skb), seg);
	skb_put(skb, *len);
	return skb;
}

/*
 * Routed with the mark of the segment it answers, and in the VRF of the
 * client's device if it is enslaved to one.
 */
static int send(struct net *net, const struct in6_addr *saddr,
		const struct in6_addr *daddr, const struct sg_tcp_out *seg,
		const struct sg_route *route)
{
	bool v4 = ipv6_addr_v4mapped(saddr);
	unsigned int nh = v4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	int oif = l3mdev_master_ifindex_by_index(net, route->iif);
	struct dst_entry *dst;
	struct sk_buff *skb;
	unsigned int len;
	int err;

	skb = build(seg, nh, &len);
	if (!skb)
		return -ENOMEM;
	dst = v4 ? route4(net, skb, saddr, daddr, len, route->mark, oif) :
		   route6(net, skb, saddr, daddr, len, route->mark, oif);
	if (IS_ERR(dst)) {
		kfree_skb(skb);
		return PTR_ERR(dst);
	}
	skb_dst_set(skb, dst);
	skb->mark = route->mark;
	untrack(skb);

	local_bh_disable();
	this_cpu_write(sg_xmit_active, true);
	err = v4 ? ip_local_out(net, NULL, skb) : ip6_local_out(net, NULL, skb);
	this_cpu_write(sg_xmit_active, false);
	local_bh_enable();
	return err;
}

/* A valid neighbour entry holding the Ethernet source of @skb. */
static bool from_neigh(const struct neighbour *n, const struct sk_buff *skb)
{
	return n && (READ_ONCE(n->nud_state) & NUD_VALID) &&
	       ether_addr_equal(n->ha, eth_hdr(skb)->h_source);
}

/*
 * Whether the routing table would send a reply to the source of @skb
 * out of the device it came in on, to the Ethernet address it came
 * from: one path, a valid neighbour entry for its next hop, that entry's
 * address the frame's source. No dst is made for IPv4 (a FIB lookup);
 * IPv6 takes the per-CPU cached route of ip6_route_output().
 */
static bool route4_agrees(struct net *net, const struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct flowi4 fl4 = {
		.daddr = iph->saddr,
		.saddr = iph->daddr,
		.flowi4_proto = IPPROTO_TCP,
		.flowi4_flags = FLOWI_FLAG_ANYSRC,
		.flowi4_mark = skb->mark,
	};
	const struct fib_nh_common *nhc;
	struct fib_result res;
	__be32 gw;

	if (fib_lookup(net, &fl4, &res, 0) || res.type != RTN_UNICAST ||
	    fib_info_num_path(res.fi) != 1)
		return false;
	nhc = FIB_RES_NHC(res);
	if (nhc->nhc_dev != skb->dev)
		return false;
	if (nhc->nhc_gw_family == AF_INET)
		gw = nhc->nhc_gw.ipv4;
	else if (!nhc->nhc_gw_family)
		gw = iph->saddr;
	else
		return false;
	return from_neigh(__ipv4_neigh_lookup_noref(skb->dev, (__force u32)gw),
			  skb);
}

static bool route6_agrees(struct net *net, const struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct flowi6 fl6 = {
		.daddr = ip6h->saddr,
		.saddr = ip6h->daddr,
		.flowi6_proto = IPPROTO_TCP,
		.flowi6_mark = skb->mark,
	};
	const struct in6_addr *nh;
	struct dst_entry *dst;
	bool ok = false;

	if (ipv6_addr_type(&fl6.daddr) & IPV6_ADDR_LINKLOCAL)
		fl6.flowi6_oif = skb->dev->ifindex;
	dst = ip6_route_output(net, NULL, &fl6);
	if (!dst->error && dst->dev == skb->dev) {
		nh = rt6_nexthop(container_of(dst, struct rt6_info, dst),
				 &fl6.daddr);
		ok = from_neigh(__ipv6_neigh_lookup_noref(skb->dev, nh), skb);
	}
	dst_release(dst);
	return ok;
}

bool sg_inplace_route_agrees(struct net *net, const struct sk_buff *skb)
{
	return skb->protocol == htons(ETH_P_IP) ? route4_agrees(net, skb) :
						  route6_agrees(net, skb);
}

/* The received SYN's room for @total bytes of IP and TCP header, writable. */
static int make_room(struct sk_buff *skb, unsigned int total)
{
	/* Growing only into the tailroom of a linear skb: no allocation. */
	if (skb->len < total &&
	    (skb_is_nonlinear(skb) || skb_tailroom(skb) < total - skb->len))
		return -ENOSPC;
	/* Its head is written, the Ethernet header included. */
	if (skb_unclone(skb, GFP_ATOMIC))
		return -ENOMEM;
	if (skb->len > total) {
		if (pskb_trim(skb, total))
			return -ENOMEM;
	} else {
		__skb_put(skb, total - skb->len);
	}
	return pskb_may_pull(skb, total) ? 0 : -ENOMEM;
}

int sg_xmit_inplace(struct sg_net *sn, struct sk_buff *skb,
		    unsigned int thoff, const struct sg_tcp_out *seg)
{
	struct net_device *dev = skb->dev;
	u8 hdr[SG_TCP_HDR_MAX];
	unsigned int len = sg_tcp_build(hdr, seg);
	struct ethhdr *eth;
	struct tcphdr *th;
	int err;

	err = make_room(skb, thoff + len);
	if (err)
		return err;
	th = (struct tcphdr *)(skb->data + thoff);
	memcpy(th, hdr, len);
	if (skb->protocol == htons(ETH_P_IP)) {
		struct iphdr *iph = ip_hdr(skb);

		swap(iph->saddr, iph->daddr);
		iph->tos = 0;
		iph->tot_len = htons(thoff + len);
		iph->id = 0;
		iph->frag_off = htons(IP_DF);
		iph->ttl = READ_ONCE(sn->net->ipv4.sysctl_ip_default_ttl);
		ip_send_check(iph);
		th->check = tcp_v4_check(len, iph->saddr, iph->daddr,
					 csum_partial(th, len, 0));
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);
		struct inet6_dev *idev = __in6_dev_get(dev);

		swap(ip6h->saddr, ip6h->daddr);
		ip6_flow_hdr(ip6h, 0, 0);
		ip6h->payload_len = htons(len);
		ip6h->hop_limit = idev ? READ_ONCE(idev->cnf.hop_limit) :
			READ_ONCE(sn->net->ipv6.devconf_all->hop_limit);
		th->check = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
					    IPPROTO_TCP,
					    csum_partial(th, len, 0));
	}
	skb->ip_summed = CHECKSUM_NONE;
	/* Back to the address it came from, from this device's own. */
	eth = eth_hdr(skb);
	ether_addr_copy(eth->h_dest, eth->h_source);
	ether_addr_copy(eth->h_source, dev->dev_addr);
	__skb_push(skb, skb->data - skb_mac_header(skb));
	skb_orphan(skb);
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	secpath_reset(skb);
	skb_clear_hash(skb);
	skb->tstamp = 0;
	skb->priority = 0;
	if (dev_queue_xmit(skb) != NET_XMIT_SUCCESS)
		sg_count(sn, SYNGUARD_CNT_XMIT_FAILED);
	return 0;
}

int sg_xmit(struct sg_net *sn, const struct in6_addr *saddr,
	    const struct in6_addr *daddr, const struct sg_tcp_out *seg,
	    const struct sg_route *route)
{
	int err = send(sn->net, saddr, daddr, seg, route);

	if (err)
		sg_count(sn, SYNGUARD_CNT_XMIT_FAILED);
	return err;
}

static int inject(struct sg_net *sn, const struct in6_addr *saddr,
		  const struct in6_addr *daddr, const struct sg_tcp_out *seg,
		  int iif, const struct sg_conn *c, const struct sk_buff *from)
{
	struct net *net = sn->net;
	bool v4 = ipv6_addr_v4mapped(saddr);
	unsigned int nh = v4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	struct net_device *dev;
	struct sk_buff *skb;
	struct tcphdr *th;
	unsigned int len;

	skb = build(seg, nh, &len);
	if (!skb)
		return -ENOMEM;
	if (sg_sp_apply(sn, c, from, skb)) {
		kfree_skb(skb);
		return -ENOMEM;
	}
	th = tcp_hdr(skb);
	if (v4) {
		struct iphdr *iph = ip_hdr(skb);

		memset(iph, 0, sizeof(*iph));
		iph->version = 4;
		iph->ihl = 5;
		iph->tot_len = htons(nh + len);
		iph->frag_off = htons(IP_DF);
		iph->ttl = READ_ONCE(net->ipv4.sysctl_ip_default_ttl);
		iph->protocol = IPPROTO_TCP;
		iph->saddr = saddr->s6_addr32[3];
		iph->daddr = daddr->s6_addr32[3];
		ip_send_check(iph);
		th->check = tcp_v4_check(len, iph->saddr, iph->daddr,
					 csum_partial(th, len, 0));
		skb->protocol = htons(ETH_P_IP);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6_flow_hdr(ip6h, 0, 0);
		ip6h->payload_len = htons(len);
		ip6h->nexthdr = IPPROTO_TCP;
		ip6h->hop_limit = 64;
		ip6h->saddr = *saddr;
		ip6h->daddr = *daddr;
		th->check = csum_ipv6_magic(saddr, daddr, len, IPPROTO_TCP,
					    csum_partial(th, len, 0));
		skb->protocol = htons(ETH_P_IPV6);
	}

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, iif);
	if (!dev || !(dev->flags & IFF_UP)) {
		rcu_read_unlock();
		kfree_skb(skb);
		return -ENODEV;
	}
	skb->dev = dev;
	skb->pkt_type = PACKET_HOST;
	/*
	 * The backlog holds no reference on the device: unregistering it
	 * flushes the backlog first.
	 */
	netif_rx(skb);
	rcu_read_unlock();
	return 0;
}

int sg_inject(struct sg_net *sn, const struct in6_addr *saddr,
	      const struct in6_addr *daddr, const struct sg_tcp_out *seg,
	      int iif, const struct sg_conn *c, const struct sk_buff *from)
{
	int err = inject(sn, saddr, daddr, seg, iif, c, from);

	if (err)
		sg_count(sn, SYNGUARD_CNT_XMIT_FAILED);
	return err;
}
