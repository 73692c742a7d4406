// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks: where packets enter synguard.
 *
 * Inbound packets are seen at PRE_ROUTING after defragmentation (-400)
 * and before the raw table (-300) and conntrack (-200), so that a later
 * verdict can keep a packet from ever reaching conntrack. Locally
 * generated packets are seen at LOCAL_OUT at the same priority. A
 * forwarded connection is seen twice at PRE_ROUTING, once per direction;
 * a local one once at PRE_ROUTING and once at LOCAL_OUT.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "hooks.h"
#include "netlink.h"
#include "netns.h"
#include "stats.h"
#include "tcp.h"

#define SG_HOOK_PRIORITY	(NF_IP_PRI_CONNTRACK_DEFRAG + 50)

/* What the L3 layer tells us about a TCP segment. */
struct sg_pkt {
	struct sg_key key;
	unsigned int thoff;	/* offset of the TCP header */
	unsigned int len;	/* TCP header and payload */
};

static const u8 flags_counter[] = {
	[SG_FLAGS_SYN_FIN] = SYNGUARD_CNT_INVALID_SYN_FIN,
	[SG_FLAGS_SYN_RST] = SYNGUARD_CNT_INVALID_SYN_RST,
	[SG_FLAGS_FIN_NOACK] = SYNGUARD_CNT_INVALID_FIN_NOACK,
	[SG_FLAGS_NULL] = SYNGUARD_CNT_INVALID_NULL,
	[SG_FLAGS_XMAS] = SYNGUARD_CNT_INVALID_XMAS,
	[SG_FLAGS_OTHER] = SYNGUARD_CNT_INVALID_OTHER,
};

/* Count a bad packet under @reason; drop it only when enforcing. */
static unsigned int bad_packet(struct sg_net *sn, const struct sg_config *cfg,
			       enum synguard_counter reason)
{
	sg_count(sn, reason);
	if (cfg->v[SYNGUARD_KNOB_MODE] != SYNGUARD_MODE_ENFORCE)
		return NF_ACCEPT;
	sg_count(sn, SYNGUARD_CNT_DROPPED);
	return NF_DROP;
}

/* Per-listener packet counts, by which side sent the segment. */
static void count_at_listener(struct sg_listener *l, enum sg_dir dir,
			      u8 flags)
{
	bool syn = flags & SG_TCP_SYN, ack = flags & SG_TCP_ACK;

	if (dir == SG_DIR_ORIG) {
		if (syn && !ack)
			sg_lc_add(l, SYNGUARD_LC_SYN_IN, 1);
		if (flags & SG_TCP_RST)
			sg_lc_add(l, SYNGUARD_LC_RST_IN, 1);
	} else {
		if (syn && ack)
			sg_lc_add(l, SYNGUARD_LC_SYNACK_OUT, 1);
		if (flags & SG_TCP_RST)
			sg_lc_add(l, SYNGUARD_LC_RST_OUT, 1);
	}
}

/*
 * The live entry for @key, if any. Entries past their timeout that the
 * reaper has not reached yet are removed here, and so is a closed entry
 * whose old responder now opens the same tuple the other way round.
 */
static struct sg_conn *find_live(struct sg_net *sn, const struct sg_key *key,
				 u32 hash, const struct sg_tcp *t,
				 enum sg_dir *dir)
{
	struct sg_conn *c = sg_conn_find(&sn->conns, key, hash, dir);

	if (!c)
		return NULL;
	if (time_after_eq(jiffies, READ_ONCE(c->expires))) {
		sg_conn_unlink(sn, c, hash, true);
		return NULL;
	}
	if ((t->flags & (SG_TCP_SYN | SG_TCP_ACK)) == SG_TCP_SYN &&
	    *dir == SG_DIR_REPLY) {
		u8 state = READ_ONCE(c->tr.state);

		if (state != SYNGUARD_STATE_TIME_WAIT &&
		    state != SYNGUARD_STATE_CLOSE)
			return c;
		if (state == SYNGUARD_STATE_TIME_WAIT)
			sg_count(sn, SYNGUARD_CNT_TW_REUSED);
		sg_conn_unlink(sn, c, hash, false);
		return NULL;
	}
	return c;
}

static void track(struct sg_net *sn, const struct sg_config *cfg,
		  const struct sg_key *key, const struct sg_tcp *t)
{
	u32 hash = sg_key_hash(&sn->conns, key);
	struct sg_conn *c = NULL;
	enum sg_dir dir;
	int tries;

	if (t->flags & SG_TCP_SYN)
		sg_count(sn, t->flags & SG_TCP_ACK ? SYNGUARD_CNT_SYNACK_SEEN :
			 SYNGUARD_CNT_SYN_RECEIVED);
	if (t->flags & SG_TCP_RST)
		sg_count(sn, SYNGUARD_CNT_RST_SEEN);

	/* Two rounds: another CPU may insert the same connection first. */
	for (tries = 0; tries < 2; tries++) {
		c = find_live(sn, key, hash, t, &dir);
		if (c) {
			sg_conn_step(sn, cfg, c, dir, t);
			break;
		}
		/* A RST for a connection never seen is not worth an entry. */
		if (t->flags & SG_TCP_RST)
			return;
		c = sg_conn_insert(sn, cfg, key, hash, t);
		if (!IS_ERR(c)) {
			dir = SG_DIR_ORIG;
			break;
		}
		if (PTR_ERR(c) != -EEXIST) {
			sg_count(sn, PTR_ERR(c) == -ENOSPC ?
				 SYNGUARD_CNT_TABLE_FULL :
				 SYNGUARD_CNT_ALLOC_FAILED);
			if (PTR_ERR(c) == -ENOSPC)
				sg_event(sn, SYNGUARD_EVENT_TABLE_FULL, NULL);
			return;
		}
		c = NULL;
	}
	if (c)
		count_at_listener(c->lst, dir, t->flags);
}

static unsigned int inspect(struct sg_net *sn, struct sk_buff *skb,
			    const struct nf_hook_state *state,
			    const struct sg_pkt *p)
{
	const struct sg_config *cfg = rcu_dereference(sn->cfg);
	u8 buf[SG_TCP_HDR_MAX];
	enum sg_flags_verdict fv;
	struct sg_key key;
	enum sg_parse_err err;
	struct sg_tcp t;
	const u8 *th;

	sg_count(sn, SYNGUARD_CNT_PACKETS);
	th = skb_header_pointer(skb, p->thoff, min(p->len, SG_TCP_HDR_MAX), buf);
	if (!th)
		return bad_packet(sn, cfg, SYNGUARD_CNT_MALFORMED);
	err = sg_tcp_parse(th, min(p->len, SG_TCP_HDR_MAX), &t);
	if (err == SG_PARSE_BAD_OPTION)
		return bad_packet(sn, cfg, SYNGUARD_CNT_BAD_OPTIONS);
	if (err)
		return bad_packet(sn, cfg, SYNGUARD_CNT_MALFORMED);
	/* GSO packets on their way out may carry more than 64 KiB. */
	t.payload_len = p->len - t.hdr_len;
	key = p->key;
	key.sport = htons(t.sport);
	key.dport = htons(t.dport);

	/*
	 * Only inbound packets carry checksums worth checking: local ones
	 * are usually left for the device to fill in.
	 */
	if (state->hook == NF_INET_PRE_ROUTING &&
	    nf_checksum(skb, state->hook, p->thoff, IPPROTO_TCP, state->pf)) {
		sg_count(sn, SYNGUARD_CNT_BAD_CHECKSUM);
		return NF_ACCEPT;
	}

	fv = sg_tcp_check_flags(t.flags);
	if (fv != SG_FLAGS_OK) {
		sg_count(sn, SYNGUARD_CNT_INVALID_FLAGS);
		return bad_packet(sn, cfg, flags_counter[fv]);
	}
	track(sn, cfg, &key, &t);
	return NF_ACCEPT;
}

/* Loopback packets were already seen on their way out. */
static bool seen_at_local_out(const struct nf_hook_state *state)
{
	return state->hook == NF_INET_PRE_ROUTING && state->in &&
	       (state->in->flags & IFF_LOOPBACK);
}

static unsigned int sg_ipv4_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct sg_net *sn = sg_pernet(state->net);
	const struct iphdr *iph = ip_hdr(skb);
	struct sg_pkt p;

	if (iph->protocol != IPPROTO_TCP || seen_at_local_out(state) ||
	    READ_ONCE(rcu_dereference(sn->cfg)->v[SYNGUARD_KNOB_MODE]) ==
	    SYNGUARD_MODE_OFF)
		return NF_ACCEPT;
	if (ip_is_fragment(iph)) {
		sg_count(sn, SYNGUARD_CNT_FRAGMENTS);
		return NF_ACCEPT;
	}
	p.thoff = skb_network_offset(skb) + ip_hdrlen(skb);
	if (skb->len < p.thoff)
		return NF_ACCEPT;
	p.len = skb->len - p.thoff;
	ipv6_addr_set_v4mapped(iph->saddr, &p.key.src);
	ipv6_addr_set_v4mapped(iph->daddr, &p.key.dst);
	return inspect(sn, skb, state, &p);
}

static unsigned int sg_ipv6_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct sg_net *sn = sg_pernet(state->net);
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	int frag_flags = 0;
	unsigned int thoff = 0;
	struct sg_pkt p;
	int proto;

	if (seen_at_local_out(state) ||
	    READ_ONCE(rcu_dereference(sn->cfg)->v[SYNGUARD_KNOB_MODE]) ==
	    SYNGUARD_MODE_OFF)
		return NF_ACCEPT;
	proto = ipv6_find_hdr(skb, &thoff, -1, NULL, &frag_flags);
	if (proto != IPPROTO_TCP)
		return NF_ACCEPT;
	if (frag_flags & IP6_FH_F_FRAG) {
		sg_count(sn, SYNGUARD_CNT_FRAGMENTS);
		return NF_ACCEPT;
	}
	if (skb->len < thoff)
		return NF_ACCEPT;
	p.thoff = thoff;
	p.len = skb->len - thoff;
	p.key.src = ip6h->saddr;
	p.key.dst = ip6h->daddr;
	return inspect(sn, skb, state, &p);
}

static const struct nf_hook_ops sg_nf_ops[] = {
	{
		.hook = sg_ipv4_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = SG_HOOK_PRIORITY,
	},
	{
		.hook = sg_ipv4_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = SG_HOOK_PRIORITY,
	},
	{
		.hook = sg_ipv6_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = SG_HOOK_PRIORITY,
	},
	{
		.hook = sg_ipv6_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = SG_HOOK_PRIORITY,
	},
};

int sg_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, sg_nf_ops, ARRAY_SIZE(sg_nf_ops));
}

void sg_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, sg_nf_ops, ARRAY_SIZE(sg_nf_ops));
}
