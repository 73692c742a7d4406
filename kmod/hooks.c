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
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/inet_connection_sock.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "hooks.h"
#include "netlink.h"
#include "netns.h"
#include "proxy.h"
#include "service.h"
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

static bool pure_syn(const struct sg_tcp *t)
{
	return (t->flags & (SG_TCP_SYN | SG_TCP_ACK)) == SG_TCP_SYN;
}

/*
 * May this SYN reopen a tuple in time_wait? RFC 6191: only if it is
 * newer than the old connection: a later timestamp if both carried them,
 * else a sequence number past where its sender's side ended.
 */
static bool syn_may_reopen(const struct sg_conn *c, enum sg_dir dir,
			   const struct sg_tcp *t)
{
	if (dir == SG_DIR_ORIG && t->has_ts && READ_ONCE(c->ts_seen))
		return sg_seq_after(t->tsval, READ_ONCE(c->tsval));
	return sg_seq_after(t->seq, READ_ONCE(c->tr.end[dir]));
}

/*
 * The live entry for @key, if any. Entries past their timeout that the
 * reaper has not reached yet are removed here, and so is a closed entry
 * whose tuple a new SYN opens again, from either side: the new
 * connection starts from a fresh entry. ERR_PTR(-EPERM) when the packet
 * must be dropped.
 */
static struct sg_conn *find_live(struct sg_net *sn, const struct sg_config *cfg,
				 const struct sg_policy *pol,
				 const struct sg_key *key, u32 hash,
				 const struct sg_tcp *t, enum sg_dir *dir)
{
	struct sg_conn *c = sg_conn_find(&sn->conns, key, hash, dir);
	bool enforce = pol->protected;
	u8 state;

	if (!c)
		return NULL;
	if (sg_conn_expired(c)) {
		sg_conn_unlink(sn, c, hash, true);
		return NULL;
	}
	state = READ_ONCE(c->tr.state);
	if (state == SYNGUARD_STATE_TIME_WAIT && (t->flags & SG_TCP_RST) &&
	    enforce && cfg->v[SYNGUARD_KNOB_RFC1337] &&
	    sg_refuse(sn, pol, SYNGUARD_CNT_TW_RST_DROPPED))
		return ERR_PTR(-EPERM);
	if (!pure_syn(t) || (state != SYNGUARD_STATE_TIME_WAIT &&
			     state != SYNGUARD_STATE_CLOSE))
		return c;
	if (state == SYNGUARD_STATE_TIME_WAIT) {
		if (enforce && cfg->v[SYNGUARD_KNOB_RFC6191] &&
		    !syn_may_reopen(c, *dir, t) &&
		    sg_refuse(sn, pol, SYNGUARD_CNT_TW_SYN_DROPPED))
			return ERR_PTR(-EPERM);
		sg_count(sn, SYNGUARD_CNT_TW_REUSED);
	}
	sg_conn_unlink(sn, c, hash, false);
	return NULL;
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

/* Whether the listener is under pressure; switches with hysteresis. */
static bool listener_pressure(struct sg_net *sn, const struct sg_policy *pol,
			      struct sg_listener *l, const struct sg_key *key,
			      const struct sg_tcp *t, int dif)
{
	s64 half_open = atomic64_read(&l->c[SYNGUARD_LC_HALF_OPEN]);
	bool on = test_bit(SG_LST_COOKIES, &l->flags);
	int fill = local_queue_fill(sn->net, key, t, dif);
	bool pressure;

	if (pol->cookies == 2)
		pressure = true;
	else if (on)
		pressure = half_open > pol->syn_backlog / 2 || fill > 25;
	else
		pressure = half_open >= pol->syn_backlog || fill >= 75;

	if (pressure && !on && !test_and_set_bit(SG_LST_COOKIES, &l->flags)) {
		sg_gauge_add(sn, SYNGUARD_CNT_COOKIE_LISTENERS, 1);
		sg_event(sn, SYNGUARD_EVENT_COOKIES_ON, l);
	} else if (!pressure && on &&
		   test_and_clear_bit(SG_LST_COOKIES, &l->flags)) {
		sg_gauge_add(sn, SYNGUARD_CNT_COOKIE_LISTENERS, -1);
		sg_event(sn, SYNGUARD_EVENT_COOKIES_OFF, l);
	}
	return pressure;
}

/*
 * A SYN to a protected service with no entry. Returns NF_ACCEPT to let
 * it create an entry and reach the server, or the verdict that ends it:
 * answered with a cookie, or dropped.
 */
static unsigned int syn_policy(struct sg_net *sn, const struct sg_config *cfg,
			       const struct sg_policy *pol,
			       const struct sg_key *key, const struct sg_tcp *t,
			       int dif)
{
	enum synguard_counter limit;
	struct sg_listener *l;
	unsigned int verdict;

	l = sg_listener_get(sn, &key->dst, ntohs(key->dport),
			    cfg->v[SYNGUARD_KNOB_MAX_CONNS]);
	if (!l)
		limit = SYNGUARD_CNT_LIMIT_TABLE;
	else if (listener_pressure(sn, pol, l, key, t, dif))
		limit = SYNGUARD_CNT_LIMIT_LISTENER;
	else if (sg_src_half_open(&sn->conns, &key->src) >= pol->src_backlog)
		limit = SYNGUARD_CNT_LIMIT_SOURCE;
	else if (atomic_read(&sn->conns.half_open) >=
		 cfg->v[SYNGUARD_KNOB_HALF_OPEN_MAX])
		limit = SYNGUARD_CNT_LIMIT_TABLE;
	else
		goto pass;

	/* cookies=2 answers every SYN: that is policy, not a limit hit. */
	if (pol->cookies != 2)
		sg_count(sn, limit);
	if (pol->mode != SYNGUARD_MODE_ENFORCE) {
		sg_count(sn, SYNGUARD_CNT_WOULD_DROP);
		goto pass;
	}
	if (pol->cookies == 0 || !l) {
		verdict = sg_drop(sn, SYNGUARD_CNT_SYN_DROPPED);
	} else {
		sg_lc_add(l, SYNGUARD_LC_SYN_IN, 1);
		verdict = sg_proxy_answer(sn, cfg, pol, l, key, t);
	}
	if (l)
		sg_listener_put(l);
	return verdict;
pass:
	if (l)
		sg_listener_put(l);
	return NF_ACCEPT;
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

/*
 * A packet that matched no entry. Returns NF_ACCEPT when tracking should
 * go on (creating an entry), or the verdict that ends the packet here.
 */
static unsigned int no_entry(struct sg_net *sn, const struct sg_config *cfg,
			     const struct sg_policy *pol,
			     const struct sg_key *key, u32 hash,
			     const struct sg_tcp *t, int dif)
{
	int err;

	if (!pol->protected)
		return NF_ACCEPT;
	if (pure_syn(t))
		return syn_policy(sn, cfg, pol, key, t, dif);

	if ((t->flags & (SG_TCP_SYN | SG_TCP_RST | SG_TCP_FIN | SG_TCP_ACK)) ==
	    SG_TCP_ACK && pol->mode == SYNGUARD_MODE_ENFORCE) {
		err = sg_proxy_open(sn, cfg, pol, key, hash, t);
		if (!err) {
			/* The data the ACK may carry comes back, retransmitted. */
			if (t->payload_len)
				sg_count(sn, SYNGUARD_CNT_PROXY_EARLY);
			return NF_DROP;
		}
		if (err == -ENOSPC || err == -ENOMEM)
			return sg_drop(sn, err == -ENOSPC ?
				       SYNGUARD_CNT_TABLE_FULL :
				       SYNGUARD_CNT_ALLOC_FAILED);
		if (err == -ENOENT)
			sg_count(sn, SYNGUARD_CNT_COOKIES_INVALID);
	}
	/*
	 * Connections that predate the service or the module keep working:
	 * a local one has its socket. A forwarded one is picked up during
	 * pickup_grace; not a local one, whose socket would answer with a
	 * RST: a cookie client's later segment arriving before its first
	 * (which alone can carry the cookie) would be reset, where dropped
	 * it is retransmitted in order.
	 */
	if (local_socket(sn->net, key, dif))
		return NF_ACCEPT;
	if (time_before(jiffies, pol->grace_end) &&
	    !local_listener(sn->net, key, t, dif))
		return NF_ACCEPT;
	return sg_refuse(sn, pol, SYNGUARD_CNT_NO_CONN) ? NF_DROP : NF_ACCEPT;
}

static unsigned int track(struct sg_net *sn, const struct sg_config *cfg,
			  const struct sg_policy *pol, struct sk_buff *skb,
			  unsigned int thoff, const struct sg_key *key,
			  struct sg_tcp *t, int dif)
{
	u32 hash = sg_key_hash(&sn->conns, key);
	unsigned int verdict = NF_ACCEPT;
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
		c = find_live(sn, cfg, pol, key, hash, t, &dir);
		if (IS_ERR(c))
			return NF_DROP;
		if (c)
			break;
		verdict = no_entry(sn, cfg, pol, key, hash, t, dif);
		/*
		 * A RST for a connection never seen is not worth an entry, and
		 * nor is a SYN-ACK: its SYN's entry expired or was never made
		 * (conntrack calls it invalid). Under a flood those are the
		 * server's retransmissions to spoofed sources, and an entry
		 * would take the client's side for the listener.
		 */
		if (verdict != NF_ACCEPT || (t->flags & SG_TCP_RST) ||
		    (t->flags & (SG_TCP_SYN | SG_TCP_ACK)) ==
		    (SG_TCP_SYN | SG_TCP_ACK))
			return verdict;
		c = sg_conn_insert(sn, cfg, key, hash, t, NULL);
		if (!IS_ERR(c)) {
			count_at_listener(c->lst, SG_DIR_ORIG, t->flags);
			return NF_ACCEPT;
		}
		if (PTR_ERR(c) != -EEXIST) {
			sg_count(sn, PTR_ERR(c) == -ENOSPC ?
				 SYNGUARD_CNT_TABLE_FULL :
				 SYNGUARD_CNT_ALLOC_FAILED);
			if (PTR_ERR(c) == -ENOSPC)
				sg_event(sn, SYNGUARD_EVENT_TABLE_FULL, NULL);
			return NF_ACCEPT;
		}
		c = NULL;
	}
	if (!c)
		return NF_ACCEPT;
	count_at_listener(c->lst, dir, t->flags);
	if (READ_ONCE(c->px.phase))
		return sg_proxy_packet(sn, cfg, pol, c, dir, skb, thoff, t);
	return sg_window_verdict(sn, pol, sg_conn_step(sn, cfg, c, dir, t), t);
}

static unsigned int inspect(struct sg_net *sn, struct sk_buff *skb,
			    const struct nf_hook_state *state,
			    const struct sg_pkt *p)
{
	const struct sg_config *cfg = rcu_dereference(sn->cfg);
	int dif = state->in ? state->in->ifindex : 0;
	u8 buf[SG_TCP_HDR_MAX];
	enum sg_flags_verdict fv;
	struct sg_policy pol = {
		.mode = cfg->v[SYNGUARD_KNOB_MODE],
	};
	struct sg_key key;
	enum sg_parse_err err;
	struct sg_tcp t;
	const u8 *th;

	sg_count(sn, SYNGUARD_CNT_PACKETS);
	th = skb_header_pointer(skb, p->thoff, min(p->len, SG_TCP_HDR_MAX), buf);
	if (!th)
		return sg_refuse(sn, &pol, SYNGUARD_CNT_MALFORMED) ? NF_DROP : NF_ACCEPT;
	err = sg_tcp_parse(th, min(p->len, SG_TCP_HDR_MAX), &t);
	if (err)
		return sg_refuse(sn, &pol, err == SG_PARSE_BAD_OPTION ?
			      SYNGUARD_CNT_BAD_OPTIONS :
			      SYNGUARD_CNT_MALFORMED) ? NF_DROP : NF_ACCEPT;
	/* GSO packets on their way out may carry more than 64 KiB. */
	t.payload_len = p->len - t.hdr_len;
	key = p->key;
	key.sport = htons(t.sport);
	key.dport = htons(t.dport);

	/*
	 * Only inbound packets carry checksums worth checking: local ones
	 * are usually left for the device to fill in. Only inbound packets
	 * can be for a protected service.
	 */
	if (state->hook == NF_INET_PRE_ROUTING) {
		if (nf_checksum(skb, state->hook, p->thoff, IPPROTO_TCP,
				state->pf)) {
			sg_count(sn, SYNGUARD_CNT_BAD_CHECKSUM);
			return NF_ACCEPT;
		}
		sg_policy_get(sn, cfg, &key.dst, t.dport, &pol);
	}

	fv = sg_tcp_check_flags(t.flags);
	if (fv != SG_FLAGS_OK) {
		sg_count(sn, SYNGUARD_CNT_INVALID_FLAGS);
		return sg_refuse(sn, &pol, flags_counter[fv]) ? NF_DROP : NF_ACCEPT;
	}
	return track(sn, cfg, &pol, skb, p->thoff, &key, &t, dif);
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
	    sg_own_packet() ||
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

	if (seen_at_local_out(state) || sg_own_packet() ||
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
