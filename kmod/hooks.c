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
 *
 * The walk of one packet, top to bottom:
 *
 *   sg_ipv4_hook / sg_ipv6_hook   what L3 says (addresses, fragments)
 *   inspect()                     parse the TCP header, resolve the
 *                                 policy, sg_verdict_segment()
 *   track()                       the entry, if any: sg_verdict_entry()
 *   new_syn() / orphan()          no entry: gather the listener's facts,
 *                                 sg_verdict_syn() / sg_verdict_orphan()
 *   step()                        step the entry, sg_verdict_step()
 *
 * Every decision is made in verdict.c from facts gathered here; this file
 * only gathers and acts.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_bridge.h>
#include <linux/netfilter_ipv6.h>
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/inet_connection_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/xfrm.h>

#include "hooks.h"
#include "netlink.h"
#include "netns.h"
#include "proxy.h"
#include "service.h"
#include "stats.h"
#include "tcp.h"
#include "verdict.h"
#include "xmit.h"

#define SG_HOOK_PRIORITY	(NF_IP_PRI_CONNTRACK_DEFRAG + 50)
/* The late hooks: right after conntrack, before mangle and NAT. */
#define SG_LATE_PRIORITY	(NF_IP_PRI_CONNTRACK + 1)

/* What the L3 layer tells us about a TCP segment. */
struct sg_pkt {
	struct sg_key key;
	unsigned int thoff;	/* offset of the TCP header */
	unsigned int len;	/* TCP header and payload */
	bool fragment, first_fragment, v4mapped;
};

/* Per-listener packet counts, by which side sent the segment. */
static void count_at_listener(struct sg_listener *l, enum sg_dir dir,
			      u8 flags)
{
	enum sg_seg_class seg = sg_tcp_class(flags);

	if (dir == SG_DIR_ORIG) {
		if (seg == SG_SEG_SYN)
			sg_lc_add(l, SYNGUARD_LC_SYN_IN, 1);
		else if (seg == SG_SEG_RST)
			sg_lc_add(l, SYNGUARD_LC_RST_IN, 1);
	} else {
		if (seg == SG_SEG_SYNACK)
			sg_lc_add(l, SYNGUARD_LC_SYNACK_OUT, 1);
		else if (seg == SG_SEG_RST)
			sg_lc_add(l, SYNGUARD_LC_RST_OUT, 1);
	}
}

/*
 * May this SYN reopen a tuple in time_wait? RFC 6191: only if it is
 * newer than the old connection: a later timestamp if both carried them,
 * else a sequence number past where its sender's side ended.
 */
static bool syn_may_reopen(const struct sg_conn *c, enum sg_dir dir,
			   const struct sg_tcp *t)
{
	u32 tsval = READ_ONCE(c->tsval);

	/* A last TSval of 0 reads as none: the sequence check then. */
	if (dir == SG_DIR_ORIG && t->has_ts && tsval)
		return sg_seq_after(t->tsval, tsval);
	return sg_seq_after(t->seq, READ_ONCE(c->tr.end[dir]));
}

/* The local socket listening for @key's destination, if any; no reference. */
static struct sock *local_listener(struct net *net, const struct sg_key *key,
				   const struct sg_tcp *t, int dif)
{
	struct inet_hashinfo *hinfo = net->ipv4.tcp_death_row.hashinfo;

	if (ipv6_addr_v4mapped(&key->dst))
		return inet_lookup_listener(net, hinfo, NULL, t->hdr_len,
					    key->src.s6_addr32[3], key->sport,
					    key->dst.s6_addr32[3], key->dport,
					    dif, 0);
	return inet6_lookup_listener(net, hinfo, NULL, t->hdr_len,
				     &key->src, key->sport, &key->dst,
				     ntohs(key->dport), dif, 0);
}

/*
 * How full the local listening socket's queues are, in percent of what
 * it can take: the SYN queue or the accept queue, whichever is fuller.
 * Without kernel syncookies the SYN queue also meets tcp_max_syn_backlog:
 * past three quarters of it the kernel drops SYNs from peers it has not
 * heard from before (tcp_conn_request()), synguard's own SYNs for proven
 * clients among them, so that much counts as full. -1 when no local
 * socket listens.
 */
static int local_queue_fill(struct net *net, const struct sg_key *key,
			    const struct sg_tcp *t, int dif)
{
	struct sock *sk = local_listener(net, key, t, dif);
	unsigned int max, len, fill, syn_max;

	if (!sk)
		return -1;
	max = max(1U, READ_ONCE(sk->sk_max_ack_backlog));
	len = max_t(unsigned int, inet_csk_reqsk_queue_len(sk),
		    READ_ONCE(sk->sk_ack_backlog));
	fill = len * 100 / max;
	if (!READ_ONCE(net->ipv4.sysctl_tcp_syncookies)) {
		syn_max = READ_ONCE(net->ipv4.sysctl_max_syn_backlog);
		syn_max = max(1U, syn_max - (syn_max >> 2));
		fill = max(fill, inet_csk_reqsk_queue_len(sk) * 100 / syn_max);
	}
	return min(100U, fill);
}

/* Whether a local socket owns the tuple: a connection older than us. */
static bool local_socket(struct net *net, const struct sg_key *key, int dif)
{
	struct inet_hashinfo *hinfo = net->ipv4.tcp_death_row.hashinfo;
	struct sock *sk;

	if (ipv6_addr_v4mapped(&key->dst))
		sk = __inet_lookup_established(net, hinfo,
					       key->src.s6_addr32[3], key->sport,
					       key->dst.s6_addr32[3],
					       ntohs(key->dport), dif, 0);
	else
		sk = __inet6_lookup_established(net, hinfo, &key->src,
						key->sport, &key->dst,
						ntohs(key->dport), dif, 0);
	if (!sk)
		return false;
	sock_gen_put(sk);
	return true;
}

/* A listener starts or stops answering with cookies. */
static void pressure_changed(struct sg_net *sn, struct sg_listener *l,
			     bool pressure)
{
	if (pressure && !test_and_set_bit(SG_LST_COOKIES, &l->flags)) {
		sg_gauge_add(sn, SYNGUARD_CNT_COOKIE_LISTENERS, 1);
		sg_event(sn, SYNGUARD_EVENT_COOKIES_ON, l);
		sg_listener_log(sn, l, true);
	} else if (!pressure && test_and_clear_bit(SG_LST_COOKIES, &l->flags)) {
		sg_gauge_add(sn, SYNGUARD_CNT_COOKIE_LISTENERS, -1);
		sg_event(sn, SYNGUARD_EVENT_COOKIES_OFF, l);
		sg_listener_log(sn, l, false);
	}
}

/* The context of one segment, as track() and its helpers share it. */
struct sg_ctx {
	struct sg_net *sn;
	const struct sg_config *cfg;
	const struct sg_policy *pol;
	struct sk_buff *skb;
	unsigned int thoff;
	const struct sg_key *key;
	struct sg_tcp *t;
	u32 hash;
	int dif;
	unsigned int hook;
};

/* A new entry for the segment; NULL when the table had no room. */
static struct sg_conn *insert(const struct sg_ctx *x, struct sg_listener *l,
			      unsigned int *verdict)
{
	struct sg_conn *c = sg_conn_insert(x->sn, x->cfg, x->key, x->hash,
					   x->t, NULL, l, x->pol->protected);

	*verdict = NF_ACCEPT;
	if (!IS_ERR(c)) {
		count_at_listener(c->lst, SG_DIR_ORIG, x->t->flags);
		return c;
	}
	if (PTR_ERR(c) == -ENOMEM)
		sg_count(x->sn, SYNGUARD_CNT_ALLOC_FAILED);
	return c;
}

/* A frame bridge netfilter passes to IP's hooks: not ours to turn around. */
static bool bridged(const struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	return nf_bridge_info_exists(skb);
#else
	return false;
#endif
}

/* Whether the cookie SYN-ACK for the SYN of @x may be made from it. */
static enum sg_inplace inplace(const struct sg_ctx *x)
{
	const struct sk_buff *skb = x->skb;
	const struct net_device *dev = skb->dev;
	struct sg_inplace_facts f = {
		.mode = x->cfg->v[SYNGUARD_KNOB_SYNACK_INPLACE],
		.ingress = x->hook == NF_INET_PRE_ROUTING && dev,
	};

	if (!f.mode || !f.ingress)
		return sg_verdict_inplace(&f);
	f.ether = dev->type == ARPHRD_ETHER && !(dev->flags & IFF_LOOPBACK) &&
		  skb->pkt_type == PACKET_HOST && skb_mac_header_was_set(skb) &&
		  skb_network_header(skb) - skb_mac_header(skb) == ETH_HLEN &&
		  skb->data == skb_network_header(skb) &&
		  !skb_vlan_tag_present(skb) && !bridged(skb);
	f.plain = skb->protocol == htons(ETH_P_IP) ?
		  x->thoff == sizeof(struct iphdr) :
		  x->thoff == sizeof(struct ipv6hdr);
	f.l3mdev = netif_is_l3_master(dev) || netif_is_l3_slave(dev);
#if IS_ENABLED(CONFIG_XFRM)
	f.ipsec = skb_sec_path(skb) ||
		  READ_ONCE(x->sn->net->xfrm.policy_count[XFRM_POLICY_OUT]);
#endif
	return sg_verdict_inplace(&f);
}

/*
 * A pure SYN with no entry: track it, answer it with a cookie, or drop
 * it. -EEXIST when another CPU inserted the connection first.
 */
static int new_syn(const struct sg_ctx *x, unsigned int *verdict)
{
	struct sg_net *sn = x->sn;
	const struct sg_policy *pol = x->pol;
	struct sg_syn_facts f = { .fill = -1 };
	struct sg_listener *l = NULL;
	struct sg_verdict v;
	struct sg_conn *c;
	bool pressure = false;

	if (pol->protected) {
		l = sg_listener_add(sn, &x->key->dst, ntohs(x->key->dport),
				    x->cfg->v[SYNGUARD_KNOB_MAX_CONNS]);
		f.listener = l;
		if (l) {
			f.cookies_on = test_bit(SG_LST_COOKIES, &l->flags);
			f.half_open = max_t(s64, 0, sg_listener_half_open(l));
		}
		if (l && sg_pressure_needs_fill(pol))
			f.fill = local_queue_fill(sn->net, x->key, x->t,
						  x->dif);
		f.src_half_open = sg_src_half_open(&sn->conns, &x->key->src);
		f.table_half_open = atomic_read(&sn->conns.half_open);
		f.half_open_max = x->cfg->v[SYNGUARD_KNOB_HALF_OPEN_MAX];
		if (l) {
			pressure = sg_pressure(pol, &f);
			pressure_changed(sn, l, pressure);
		}
	}

	v = sg_verdict_syn(pol, &f, pressure, false);
	if (v.act == SG_ACT_TRACK) {
		c = insert(x, l, verdict);
		if (!IS_ERR(c) || PTR_ERR(c) == -EEXIST)
			return PTR_ERR_OR_ZERO(c);
		if (PTR_ERR(c) == -ENOSPC)
			sg_table_full_event(sn);
		/* No room: never let a protected SYN through untracked. */
		v = sg_verdict_syn(pol, &f, pressure, true);
	}
	*verdict = sg_apply(sn, &v);
	if (v.act == SG_ACT_COOKIE) {
		struct sg_syn syn = {
			.skb = x->skb, .thoff = x->thoff,
			.inplace = inplace(x),
			.route = { .mark = x->skb->mark, .iif = x->dif },
		};

		if (l)
			count_at_listener(l, SG_DIR_ORIG, x->t->flags);
		*verdict = sg_proxy_answer(sn, x->cfg, pol, l, x->key, x->t,
					   &syn);
	}
	return 0;
}

/*
 * A segment other than a pure SYN with no entry: a cookie's return, a
 * connection to pick up, or one that belongs nowhere. -EEXIST when
 * another CPU inserted the connection first.
 */
static int orphan(const struct sg_ctx *x, unsigned int *verdict)
{
	struct sg_net *sn = x->sn;
	const struct sg_policy *pol = x->pol;
	struct sg_orphan_facts f = {
		.seg = sg_tcp_class(x->t->flags),
		.pure_ack = sg_tcp_is_ack(x->t->flags),
	};
	struct sg_listener *l = NULL;
	struct sg_verdict v;
	struct sg_conn *c;
	int err;

	if (pol->protected) {
		l = sg_listener_lookup(sn, &x->key->dst, ntohs(x->key->dport));
		f.cookies_recent = sg_cookies_recent(sn, l);
		f.shared_secret = READ_ONCE(sn->has_shared);
	}
	v = sg_verdict_orphan(pol, &f);
	if (v.act == SG_ACT_CHECK_COOKIE) {
		err = sg_proxy_open(sn, x->cfg, pol, x->key, x->hash, x->t, l,
				    x->dif, !!local_listener(sn->net, x->key,
							     x->t, x->dif),
				    x->skb);
		if (!err) {
			/* The data the ACK may carry comes back, retransmitted. */
			if (x->t->payload_len)
				sg_count(sn, SYNGUARD_CNT_PROXY_EARLY);
			*verdict = NF_DROP;
			return 0;
		}
		if (err == -EEXIST)
			return err;
		if (err != -ENOENT) {
			*verdict = sg_drop(sn, err == -ENOSPC ?
					   SYNGUARD_CNT_TABLE_FULL :
					   SYNGUARD_CNT_ALLOC_FAILED);
			return 0;
		}
		f.cookie_checked = true;
	}
	if (pol->protected) {
		f.local_socket = local_socket(sn->net, x->key, x->dif);
		f.local_listener = !f.local_socket && pol->in_grace &&
			local_listener(sn->net, x->key, x->t, x->dif);
	}
	v = sg_verdict_orphan(pol, &f);
	*verdict = sg_apply(sn, &v);
	if (v.act != SG_ACT_TRACK)
		return 0;
	c = insert(x, NULL, verdict);
	if (IS_ERR(c) && PTR_ERR(c) == -EEXIST)
		return -EEXIST;
	if (IS_ERR(c) && PTR_ERR(c) == -ENOSPC) {
		sg_table_full_event(sn);
		f.table_full = true;
		v = sg_verdict_orphan(pol, &f);
		*verdict = sg_apply(sn, &v);
	}
	return 0;
}

/* Step an entry by the segment and judge the result. */
static unsigned int step(const struct sg_ctx *x, struct sg_conn *c,
			 enum sg_dir dir)
{
	struct sg_verdict v;

	if (!sg_proxy_own_syn(c, dir, x->t))
		count_at_listener(c->lst, dir, x->t->flags);
	if (READ_ONCE(c->px.phase))
		return sg_proxy_packet(x->sn, x->cfg, x->pol, c, dir, x->skb,
				       x->thoff, x->t, x->hook);
	v = sg_verdict_step(x->pol, sg_conn_step(x->sn, x->cfg, c, dir, x->t),
			    sg_tcp_class(x->t->flags));
	return sg_apply(x->sn, &v);
}

static unsigned int track(const struct sg_ctx *x)
{
	struct sg_net *sn = x->sn;
	struct sg_entry_facts ef;
	unsigned int verdict;
	struct sg_verdict v;
	struct sg_conn *c;
	enum sg_dir dir;
	int tries;

	/* Two rounds: another CPU may insert the same connection first. */
	for (tries = 0; tries < 2; tries++) {
		c = sg_conn_find(&sn->conns, x->key, x->hash, &dir);
		if (c && sg_conn_expired(c)) {
			sg_conn_unlink(sn, c, x->hash, SG_UNLINK_EXPIRED);
			c = NULL;
		}
		if (c) {
			ef.state = READ_ONCE(c->tr.state);
			ef.unassured = sg_conn_unassured(c);
			ef.proxied = READ_ONCE(c->px.phase) != SG_PX_NONE;
			ef.seg = sg_tcp_class(x->t->flags);
			ef.may_reopen = ef.seg == SG_SEG_SYN &&
					syn_may_reopen(c, dir, x->t);
			v = sg_verdict_entry(x->pol, &ef);
			verdict = sg_apply(sn, &v);
			if (v.act == SG_ACT_DROP)
				return verdict;
			if (v.act != SG_ACT_REOPEN)
				return step(x, c, dir);
			sg_conn_unlink(sn, c, x->hash, SG_UNLINK_REPLACED);
		}
		if (sg_tcp_class(x->t->flags) == SG_SEG_SYN) {
			if (new_syn(x, &verdict) != -EEXIST)
				return verdict;
		} else if (orphan(x, &verdict) != -EEXIST) {
			return verdict;
		}
	}
	return NF_ACCEPT;
}

static unsigned int inspect(struct sg_net *sn, struct sk_buff *skb,
			    const struct nf_hook_state *state,
			    const struct sg_pkt *p)
{
	const struct sg_config *cfg = rcu_dereference(sn->cfg);
	unsigned int avail = min(p->len, SG_TCP_HDR_MAX);
	struct sg_seg_facts f = {
		.inbound = state->hook == NF_INET_PRE_ROUTING,
		.fragment = p->fragment,
		.first_fragment = p->first_fragment,
		.v4mapped = p->v4mapped,
	};
	struct sg_policy pol;
	u8 buf[SG_TCP_HDR_MAX];
	struct sg_verdict v;
	struct sg_key key = p->key;
	struct sg_tcp t;
	struct sg_ctx x;
	const u8 *th;

	sg_count(sn, SYNGUARD_CNT_PACKETS);
	th = skb_header_pointer(skb, p->thoff, avail, buf);
	f.parse = th ? sg_tcp_parse(th, avail, &t) : SG_PARSE_TRUNCATED;

	/* The destination's policy, where its port can be read. */
	if (th && avail >= 4 && f.inbound && !f.v4mapped &&
	    (!f.fragment || f.first_fragment))
		sg_policy_get(sn, cfg, &key.dst, get_unaligned_be16(th + 2),
			      &pol);
	else
		sg_policy_get(sn, cfg, NULL, 0, &pol);

	if (f.parse == SG_PARSE_OK && !f.fragment) {
		/* GSO packets on their way out may carry more than 64 KiB. */
		t.payload_len = p->len - t.hdr_len;
		f.flags = sg_tcp_check_flags(t.flags);
		f.opt_odd = t.opt_odd;
		/*
		 * Only inbound packets carry checksums worth checking: local
		 * ones are usually left for the device to fill in.
		 */
		f.bad_checksum = f.inbound &&
				 nf_checksum(skb, state->hook, p->thoff,
					     IPPROTO_TCP, state->pf);
	}
	v = sg_verdict_segment(&pol, &f);
	if (v.act != SG_ACT_TRACK)
		return sg_apply(sn, &v);
	sg_apply(sn, &v);

	if (t.flags & SG_TCP_SYN)
		sg_count(sn, t.flags & SG_TCP_ACK ? SYNGUARD_CNT_SYNACK_SEEN :
			 SYNGUARD_CNT_SYN_RECEIVED);
	if (t.flags & SG_TCP_RST)
		sg_count(sn, SYNGUARD_CNT_RST_SEEN);

	key.sport = htons(t.sport);
	key.dport = htons(t.dport);
	x = (struct sg_ctx){
		.sn = sn, .cfg = cfg, .pol = &pol, .skb = skb,
		.thoff = p->thoff, .key = &key, .t = &t,
		.hash = sg_key_hash(&sn->conns, &key),
		.dif = state->in ? state->in->ifindex : 0,
		.hook = state->hook,
	};
	return track(&x);
}

static bool mode_off(struct sg_net *sn)
{
	return READ_ONCE(rcu_dereference(sn->cfg)->v[SYNGUARD_KNOB_MODE]) ==
	       SYNGUARD_MODE_OFF;
}

/* Whether the cookie proxy has connections open in this namespace. */
static bool proxied(struct sg_net *sn)
{
	return atomic_read(&sn->conns.proxied) > 0;
}

/*
 * The connection a segment belongs to, if the cookie proxy opened it.
 * With conntrack, the lookup is by conntrack's original tuple: the tuple
 * of synguard's SYN before any NAT, which is the key synguard tracks the
 * connection by, so that a server behind DNAT is found too.
 */
static struct sg_conn *proxied_conn(struct sg_net *sn,
				    const struct sk_buff *skb,
				    struct sg_key *key, enum sg_dir *dir)
{
	bool reverse = false;
	struct sg_conn *c;
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	const struct nf_conntrack_tuple *tp;
	enum ip_conntrack_info ctinfo;
	const struct nf_conn *ct;

	ct = nf_ct_get(skb, &ctinfo);
	if (ct) {
		tp = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
		if (tp->dst.protonum == IPPROTO_TCP) {
			if (tp->src.l3num == NFPROTO_IPV4) {
				ipv6_addr_set_v4mapped(tp->src.u3.ip,
						       &key->src);
				ipv6_addr_set_v4mapped(tp->dst.u3.ip,
						       &key->dst);
			} else {
				key->src = tp->src.u3.in6;
				key->dst = tp->dst.u3.in6;
			}
			key->sport = tp->src.u.tcp.port;
			key->dport = tp->dst.u.tcp.port;
			reverse = CTINFO2DIR(ctinfo) == IP_CT_DIR_REPLY;
		}
	}
#endif
	c = sg_conn_find(&sn->conns, key, sg_key_hash(&sn->conns, key), dir);
	if (!c || !READ_ONCE(c->px.phase))
		return NULL;
	if (reverse)
		*dir = *dir == SG_DIR_ORIG ? SG_DIR_REPLY : SG_DIR_ORIG;
	return c;
}

/*
 * Mode off inspects nothing, but the connections the cookie proxy opened
 * are still translated: they would stall otherwise. At the late hooks,
 * the server's segments of proxied connections, which conntrack has just
 * seen as the server sent them: at PRE_ROUTING for a server beyond this
 * host, at LOCAL_OUT for a local one.
 */
static unsigned int proxied_only(struct sg_net *sn, struct sk_buff *skb,
				 const struct nf_hook_state *state,
				 struct sg_pkt *p, bool late)
{
	const struct sg_config *cfg = rcu_dereference(sn->cfg);
	unsigned int avail = min(p->len, SG_TCP_HDR_MAX);
	struct sg_policy pol;
	u8 buf[SG_TCP_HDR_MAX];
	struct sg_conn *c;
	enum sg_dir dir;
	struct sg_tcp t;
	const u8 *th;

	if (p->fragment)
		return NF_ACCEPT;
	th = skb_header_pointer(skb, p->thoff, avail, buf);
	if (!th || sg_tcp_parse(th, avail, &t) != SG_PARSE_OK)
		return NF_ACCEPT;
	t.payload_len = p->len - t.hdr_len;
	p->key.sport = htons(t.sport);
	p->key.dport = htons(t.dport);
	c = proxied_conn(sn, skb, &p->key, &dir);
	if (!c)
		return NF_ACCEPT;
	sg_policy_get(sn, cfg, NULL, 0, &pol);
	if (!late)
		return sg_proxy_packet(sn, cfg, &pol, c, dir, skb, p->thoff,
				       &t, state->hook);
	if (dir != SG_DIR_REPLY)
		return NF_ACCEPT;
	return sg_proxy_reply(sn, cfg, &pol, c, skb, p->thoff, &t);
}

/* Loopback packets were already seen on their way out. */
static bool seen_at_local_out(const struct nf_hook_state *state)
{
	return state->hook == NF_INET_PRE_ROUTING && state->in &&
	       (state->in->flags & IFF_LOOPBACK);
}

/*
 * A VRF runs a packet through the same hook twice: as its L3 master
 * device's (vrf_rcv_nfhook() at PRE_ROUTING, vrf_ip_out_direct() at
 * LOCAL_OUT) and as the real device's. Seen twice, a proxied segment
 * would be translated twice: the master's pass is skipped, as conntrack
 * skips it (the VRF marks it untracked, or it finds its entry attached).
 */
static bool l3mdev_pass(const struct nf_hook_state *state)
{
	const struct net_device *dev =
		state->hook == NF_INET_PRE_ROUTING ? state->in : state->out;

	return dev && netif_is_l3_master(dev);
}

/*
 * For the early hooks; the late ones run only while the proxy has
 * connections open.
 */
static bool skip(struct sg_net *sn, const struct nf_hook_state *state,
		 bool late)
{
	return seen_at_local_out(state) || l3mdev_pass(state) ||
	       sg_own_packet() || ((late || mode_off(sn)) && !proxied(sn));
}

static unsigned int dispatch(struct sg_net *sn, struct sk_buff *skb,
			     const struct nf_hook_state *state,
			     struct sg_pkt *p, bool late)
{
	if (late || mode_off(sn))
		return proxied_only(sn, skb, state, p, late);
	return inspect(sn, skb, state, p);
}

/*
 * An ICMP error about a segment the server sent on a proxied connection
 * quotes it as it left synguard, in the cookie's sequence space: the
 * server would find the sequence number outside its window and ignore
 * the error, Path MTU discovery's among them. Errors only, to a server,
 * seen in the early hooks: from the network at PRE_ROUTING, from this
 * host's forwarding path at LOCAL_OUT.
 */
static bool icmp_wanted(struct sg_net *sn, const struct nf_hook_state *state,
			bool late)
{
	return !late && proxied(sn) && !skip(sn, state, late);
}

static unsigned int icmp4(struct sg_net *sn, struct sk_buff *skb)
{
	unsigned int off = skb_network_offset(skb) + ip_hdrlen(skb);
	const struct icmphdr *ih;
	const struct iphdr *in;
	struct icmphdr _ih;
	struct iphdr _in;
	struct sg_key key;

	if (ip_is_fragment(ip_hdr(skb)))
		return NF_ACCEPT;
	ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
	if (!ih || (ih->type != ICMP_DEST_UNREACH &&
		    ih->type != ICMP_TIME_EXCEEDED &&
		    ih->type != ICMP_PARAMETERPROB))
		return NF_ACCEPT;
	in = skb_header_pointer(skb, off + sizeof(_ih), sizeof(_in), &_in);
	if (!in || in->protocol != IPPROTO_TCP || in->ihl < 5 ||
	    (in->frag_off & htons(IP_OFFSET)))
		return NF_ACCEPT;
	ipv6_addr_set_v4mapped(in->saddr, &key.src);
	ipv6_addr_set_v4mapped(in->daddr, &key.dst);
	return sg_proxy_icmp(sn, skb, &key, off + sizeof(_ih) + in->ihl * 4,
			     off + offsetof(struct icmphdr, checksum));
}

static unsigned int icmp6(struct sg_net *sn, struct sk_buff *skb,
			  unsigned int off)
{
	const struct icmp6hdr *ih;
	const struct ipv6hdr *in;
	struct icmp6hdr _ih;
	struct ipv6hdr _in;
	struct sg_key key;
	__be16 fragoff;
	u8 nexthdr;
	int toff;

	ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
	if (!ih || (ih->icmp6_type & ICMPV6_INFOMSG_MASK))
		return NF_ACCEPT;
	in = skb_header_pointer(skb, off + sizeof(_ih), sizeof(_in), &_in);
	if (!in)
		return NF_ACCEPT;
	nexthdr = in->nexthdr;
	toff = ipv6_skip_exthdr(skb, off + sizeof(_ih) + sizeof(_in), &nexthdr,
				&fragoff);
	if (toff < 0 || nexthdr != IPPROTO_TCP || (fragoff & htons(~0x7)))
		return NF_ACCEPT;
	key.src = in->saddr;
	key.dst = in->daddr;
	return sg_proxy_icmp(sn, skb, &key, toff,
			     off + offsetof(struct icmp6hdr, icmp6_cksum));
}

static unsigned int ipv4(struct sk_buff *skb,
			 const struct nf_hook_state *state, bool late)
{
	struct sg_net *sn = sg_pernet(state->net);
	const struct iphdr *iph = ip_hdr(skb);
	struct sg_pkt p = {};

	if (iph->protocol == IPPROTO_ICMP)
		return icmp_wanted(sn, state, late) ? icmp4(sn, skb) :
						      NF_ACCEPT;
	if (iph->protocol != IPPROTO_TCP || skip(sn, state, late))
		return NF_ACCEPT;
	p.fragment = ip_is_fragment(iph);
	p.first_fragment = p.fragment && !(iph->frag_off & htons(IP_OFFSET));
	p.thoff = skb_network_offset(skb) + ip_hdrlen(skb);
	if (skb->len < p.thoff)
		return NF_ACCEPT;
	p.len = skb->len - p.thoff;
	ipv6_addr_set_v4mapped(iph->saddr, &p.key.src);
	ipv6_addr_set_v4mapped(iph->daddr, &p.key.dst);
	return dispatch(sn, skb, state, &p, late);
}

static unsigned int ipv6(struct sk_buff *skb,
			 const struct nf_hook_state *state, bool late)
{
	struct sg_net *sn = sg_pernet(state->net);
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	unsigned short fragoff = 0;
	unsigned int thoff = 0;
	int frag_flags = 0;
	struct sg_pkt p = {};
	int proto;

	if (skip(sn, state, late))
		return NF_ACCEPT;
	proto = ipv6_find_hdr(skb, &thoff, -1, &fragoff, &frag_flags);
	if (proto == IPPROTO_ICMPV6 && !fragoff)
		return icmp_wanted(sn, state, late) ? icmp6(sn, skb, thoff) :
						      NF_ACCEPT;
	if (proto != IPPROTO_TCP || skb->len < thoff)
		return NF_ACCEPT;
	p.fragment = frag_flags & IP6_FH_F_FRAG;
	p.first_fragment = p.fragment && !fragoff;
	p.v4mapped = ipv6_addr_v4mapped(&ip6h->saddr) ||
		     ipv6_addr_v4mapped(&ip6h->daddr);
	p.thoff = thoff;
	p.len = skb->len - thoff;
	p.key.src = ip6h->saddr;
	p.key.dst = ip6h->daddr;
	return dispatch(sn, skb, state, &p, late);
}

static unsigned int sg_ipv4_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	return ipv4(skb, state, false);
}

static unsigned int sg_ipv6_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	return ipv6(skb, state, false);
}

static unsigned int sg_ipv4_late(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	return ipv4(skb, state, true);
}

static unsigned int sg_ipv6_late(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	return ipv6(skb, state, true);
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
	{
		.hook = sg_ipv4_late,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = SG_LATE_PRIORITY,
	},
	{
		.hook = sg_ipv4_late,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = SG_LATE_PRIORITY,
	},
	{
		.hook = sg_ipv6_late,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = SG_LATE_PRIORITY,
	},
	{
		.hook = sg_ipv6_late,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = SG_LATE_PRIORITY,
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
