// SPDX-License-Identifier: GPL-2.0
/*
 * The SYN-cookie proxy: answering SYNs, opening the server side after a
 * valid cookie, and translating between the two sequence spaces.
 *
 *   client                     synguard                     server
 *     | SYN x ---------------->|                              |
 *     |<------- SYN-ACK c, x+1 | (c: the cookie; no state)    |
 *     | ACK x+1, c+1 --------->| valid? entry, SG_PX_SYN      |
 *     |                        |---- SYN x (client's options)->|
 *     |                        |<---------------- SYN-ACK s, x+1
 *     |                        |---- ACK x+1, s+1 ------------>|
 *     |<-- ACK c+1 (window) ---| SG_PX_OPEN: seq_off = c - s   |
 *     |  data: ack - seq_off ->|------------------------------>|
 *     |<- seq + seq_off -------|<------------------------- data|
 *
 * Tracking sees the connection in the server's sequence space: client
 * packets are translated before the state machine steps, server packets
 * after. Packets synguard sends itself are marked per CPU while they pass
 * the local output path, and skip the hooks.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/random.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/tcp.h>

#include "cookie.h"
#include "listener.h"
#include "netlink.h"
#include "netns.h"
#include "proxy.h"
#include "service.h"
#include "stats.h"
#include "table.h"

DEFINE_PER_CPU(bool, sg_xmit_active);

struct sg_secrets {
	struct sg_cookie_secrets s;
	struct rcu_head rcu;
};

struct sg_ratelimit {
	unsigned long window;
	u32 sent;
};

/* Before the server has answered once, assume an Ethernet path. */
#define SG_MSS_V4	1460
#define SG_MSS_V6	1440
/* Linux's own choice for its default receive buffer. */
#define SG_WSCALE_DEFAULT 7

static u8 shift(u8 ws)
{
	return ws == SG_COOKIE_WSCALE_NONE ? 0 : ws;
}

int sg_secrets_init(struct sg_net *sn)
{
	struct sg_secrets *sec;

	sec = kzalloc(sizeof(*sec), GFP_KERNEL);
	if (!sec)
		return -ENOMEM;
	get_random_bytes(&sec->s.key, sizeof(sec->s.key));
	RCU_INIT_POINTER(sn->secrets, sec);
	sn->synack_rl = alloc_percpu(struct sg_ratelimit);
	if (!sn->synack_rl) {
		kfree(sec);
		return -ENOMEM;
	}
	sn->next_rotate = jiffies;
	return 0;
}

void sg_secrets_exit(struct sg_net *sn)
{
	free_percpu(sn->synack_rl);
	kfree(rcu_dereference_protected(sn->secrets, true));
}

static u64 shared_epoch(u32 period)
{
	return div_u64(ktime_get_real_seconds(), max(1U, period));
}

/* Publish a new copy of the secrets; the reaper and config serialise. */
static int publish(struct sg_net *sn, const struct sg_cookie_secrets *s)
{
	struct sg_secrets *old, *sec;

	sec = kzalloc(sizeof(*sec), GFP_KERNEL);
	if (!sec)
		return -ENOMEM;
	sec->s = *s;
	old = rcu_dereference_protected(sn->secrets,
					lockdep_is_held(&sn->lock));
	rcu_assign_pointer(sn->secrets, sec);
	kfree_rcu(old, rcu);
	return 0;
}

void sg_secrets_tick(struct sg_net *sn)
{
	struct sg_cookie_secrets s;
	siphash_key_t next;
	u32 period;
	u64 epoch;

	rcu_read_lock();
	period = rcu_dereference(sn->cfg)->v[SYNGUARD_KNOB_COOKIE_ROTATE];
	rcu_read_unlock();

	mutex_lock(&sn->lock);
	s = rcu_dereference_protected(sn->secrets,
				      lockdep_is_held(&sn->lock))->s;
	if (sn->has_shared) {
		/* Hosts sharing the secret change epoch on the same clock. */
		epoch = shared_epoch(period);
		if (epoch != sn->epoch) {
			sg_cookie_set_epoch(&s, &sn->shared, epoch);
			if (!publish(sn, &s))
				sn->epoch = epoch;
		}
	} else if (time_after_eq(jiffies, sn->next_rotate)) {
		get_random_bytes(&next, sizeof(next));
		sg_cookie_rotate(&s, &next);
		if (!publish(sn, &s))
			sn->next_rotate = jiffies + (unsigned long)period * HZ;
	}
	mutex_unlock(&sn->lock);
}

int sg_secrets_share(struct sg_net *sn, const siphash_key_t *key)
{
	struct sg_cookie_secrets s = {};
	u32 period;

	lockdep_assert_held(&sn->lock);
	period = rcu_dereference_protected(sn->cfg, lockdep_is_held(&sn->lock))
		 ->v[SYNGUARD_KNOB_COOKIE_ROTATE];
	if (key) {
		sn->shared = *key;
		sn->epoch = shared_epoch(period);
		sg_cookie_set_epoch(&s, &sn->shared, sn->epoch);
	} else {
		memzero_explicit(&sn->shared, sizeof(sn->shared));
		get_random_bytes(&s.key, sizeof(s.key));
		sn->next_rotate = jiffies + (unsigned long)period * HZ;
	}
	sn->has_shared = !!key;
	return publish(sn, &s);
}

static u8 mss_index(u16 mss)
{
	u8 i;

	for (i = SG_COOKIE_MSS_N - 1; i > 0; i--)
		if (sg_cookie_mss_at(i) <= mss)
			break;
	return i;
}

static void cookie_tuple(const struct sg_key *k, struct sg_cookie_tuple *ct)
{
	memcpy(ct->client, &k->src, sizeof(ct->client));
	memcpy(ct->server, &k->dst, sizeof(ct->server));
	ct->client_port = ntohs(k->sport);
	ct->server_port = ntohs(k->dport);
}

/*
 * Send a TCP segment synguard built, from @saddr to @daddr, routed as if
 * it were local output. Sources need not be local: synguard speaks for
 * the client towards the server and for the server towards the client.
 */
static int __xmit(struct net *net, const struct in6_addr *saddr,
		  const struct in6_addr *daddr, const u8 *tcp,
		  unsigned int len, bool untracked)
{
	bool v4 = ipv6_addr_v4mapped(saddr);
	unsigned int nh = v4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	struct dst_entry *dst;
	struct sk_buff *skb;
	struct tcphdr *th;
	int err;

	skb = alloc_skb(LL_MAX_HEADER + nh + len, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	skb_put(skb, nh);
	skb_set_transport_header(skb, nh);
	th = skb_put_data(skb, tcp, len);

	if (v4) {
		struct iphdr *iph = ip_hdr(skb);
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
		if (IS_ERR(rt)) {
			kfree_skb(skb);
			return PTR_ERR(rt);
		}
		dst = &rt->dst;
		skb->protocol = htons(ETH_P_IP);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);
		struct flowi6 fl6 = {
			.daddr = *daddr,
			.saddr = *saddr,
			.flowi6_proto = IPPROTO_TCP,
		};

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
			kfree_skb(skb);
			return err;
		}
		ip6h->hop_limit = ip6_dst_hoplimit(dst);
		skb->protocol = htons(ETH_P_IPV6);
	}
	skb_dst_set(skb, dst);
	if (untracked)
		sg_skb_untrack(skb);

	local_bh_disable();
	this_cpu_write(sg_xmit_active, true);
	err = v4 ? ip_local_out(net, NULL, skb) : ip6_local_out(net, NULL, skb);
	this_cpu_write(sg_xmit_active, false);
	local_bh_enable();
	return err;
}

static int xmit(struct sg_net *sn, const struct in6_addr *saddr,
		const struct in6_addr *daddr, const u8 *tcp, unsigned int len,
		bool untracked)
{
	int err = __xmit(sn->net, saddr, daddr, tcp, len, untracked);

	if (err)
		sg_count(sn, SYNGUARD_CNT_XMIT_FAILED);
	return err;
}

/* A bare ACK, with timestamps when @ts. Returns the header length. */
static unsigned int build_ack(u8 *buf, u16 sport, u16 dport, u32 seq,
			      u32 ack, u16 window, bool ts, u32 tsval,
			      u32 tsecr)
{
	unsigned int len = SG_TCP_HDR_MIN + (ts ? 12 : 0);

	memset(buf, 0, len);
	put_unaligned_be16(sport, buf);
	put_unaligned_be16(dport, buf + 2);
	put_unaligned_be32(seq, buf + 4);
	put_unaligned_be32(ack, buf + 8);
	buf[12] = (len / 4) << 4;
	buf[13] = SG_TCP_ACK;
	put_unaligned_be16(window, buf + 14);
	if (ts) {
		buf[20] = TCPOPT_NOP;
		buf[21] = TCPOPT_NOP;
		buf[22] = TCPOPT_TIMESTAMP;
		buf[23] = TCPOLEN_TIMESTAMP;
		put_unaligned_be32(tsval, buf + 24);
		put_unaligned_be32(tsecr, buf + 28);
	}
	return len;
}

static bool synack_allowed(struct sg_net *sn, u32 rate)
{
	struct sg_ratelimit *rl = get_cpu_ptr(sn->synack_rl);
	u32 share = max(1U, rate / num_online_cpus());
	bool ok;

	/* Each CPU gets its share of the rate: no shared cache line. */
	if (time_after_eq(jiffies, rl->window + HZ)) {
		rl->window = jiffies;
		rl->sent = 0;
	}
	ok = rl->sent++ < share;
	put_cpu_ptr(sn->synack_rl);
	return ok;
}

static u16 announce_mss(const struct sg_policy *pol,
			const struct sg_listener *l, const struct sg_key *k)
{
	if (pol->mss)
		return pol->mss;
	if (READ_ONCE(l->srv_seen))
		return READ_ONCE(l->srv_mss);
	return ipv6_addr_v4mapped(&k->dst) ? SG_MSS_V4 : SG_MSS_V6;
}

static u8 announce_ws(const struct sg_policy *pol, const struct sg_listener *l)
{
	if (pol->wscale != SG_COOKIE_WSCALE_NONE)
		return pol->wscale;
	if (READ_ONCE(l->srv_seen))
		return READ_ONCE(l->srv_ws);
	return SG_WSCALE_DEFAULT;
}

unsigned int sg_proxy_answer(struct sg_net *sn, const struct sg_config *cfg,
			     const struct sg_policy *pol,
			     struct sg_listener *l, const struct sg_key *key,
			     const struct sg_tcp *t)
{
	struct sg_cookie_opts opts = {
		.mss = t->has_mss ? t->mss : 0,
		.wscale = t->wscale,
		.has_wscale = t->has_wscale,
		.sack_perm = t->sack_perm,
	};
	struct sg_cookie_tuple ct;
	struct sg_synack sa = {};
	u8 buf[SG_TCP_HDR_MAX];
	unsigned int len;
	u8 ws;

	if (!synack_allowed(sn, cfg->v[SYNGUARD_KNOB_SYNACK_RATE]))
		return sg_drop(sn, SYNGUARD_CNT_SYNACK_RATELIMITED);
	cookie_tuple(key, &ct);
	sa.seq = sg_cookie_make(&rcu_dereference(sn->secrets)->s, &ct, t->seq,
				&opts, NULL);
	sa.sport = t->dport;
	sa.dport = t->sport;
	sa.ack = t->seq + 1;
	sa.window = U16_MAX;
	sa.mss = announce_mss(pol, l, key);
	ws = announce_ws(pol, l);
	sa.has_wscale = t->has_wscale && ws != SG_COOKIE_WSCALE_NONE;
	sa.wscale = ws;
	sa.sack_perm = t->sack_perm;
	sa.has_ts = t->has_ts;
	/* Any value will do: the client's ACK echoes it back to us. */
	sa.tsval = get_random_u32();
	sa.tsecr = t->tsval;
	len = sg_synack_build(buf, &sa);
	if (xmit(sn, &key->dst, &key->src, buf, len, true)) {
		sg_count(sn, SYNGUARD_CNT_DROPPED);
		return NF_DROP;
	}
	sg_count(sn, SYNGUARD_CNT_COOKIES_SENT);
	sg_lc_add(l, SYNGUARD_LC_COOKIES_SENT, 1);
	/* The data is not acknowledged: the client will send it again. */
	if (t->has_tfo || t->payload_len)
		sg_count(sn, SYNGUARD_CNT_FASTOPEN_DECLINED);
	return NF_DROP;
}

/* The SYN to the server, with the options the client's SYN offered. */
static void send_server_syn(struct sg_net *sn, const struct sg_key *k,
			    u32 isn, const struct sg_proxy *px)
{
	struct sg_synack p = {
		.sport = ntohs(k->sport),
		.dport = ntohs(k->dport),
		.seq = isn,
		.window = U16_MAX,
		.mss = sg_cookie_mss_at(px->mss_idx),
		.wscale = px->ws_client,
		.has_wscale = px->ws_client != SG_COOKIE_WSCALE_NONE,
		.sack_perm = px->sack,
		.has_ts = px->ts,
		.tsval = px->tsval,
	};
	u8 buf[SG_TCP_HDR_MAX];
	unsigned int len;

	/* A SYN carries the options of a SYN-ACK; only flags and ack differ. */
	len = sg_synack_build(buf, &p);
	buf[13] = SG_TCP_SYN;
	put_unaligned_be32(0, buf + 8);
	xmit(sn, &k->src, &k->dst, buf, len, false);
}

int sg_proxy_open(struct sg_net *sn, const struct sg_config *cfg,
		  const struct sg_policy *pol, const struct sg_key *key,
		  u32 hash, const struct sg_tcp *t)
{
	struct sg_cookie_opts opts;
	struct sg_cookie_tuple ct;
	struct sg_tcp syn = {};
	struct sg_proxy px = {};
	struct sg_conn *c;
	u8 ws;

	cookie_tuple(key, &ct);
	if (!sg_cookie_check(&rcu_dereference(sn->secrets)->s, &ct, t->seq - 1,
			     t->ack - 1, &opts))
		return -ENOENT;

	/* The client's SYN, as the cookie remembers it, starts tracking. */
	syn.sport = t->sport;
	syn.dport = t->dport;
	syn.seq = t->seq - 1;
	syn.flags = SG_TCP_SYN;
	/* The window and scale the server's SYN carries: see send_server_syn(). */
	syn.has_wscale = opts.has_wscale;
	syn.wscale = opts.wscale;
	syn.window = U16_MAX;
	px.phase = SG_PX_SYN;
	px.seq_off = t->ack - 1;
	px.ts_off = t->tsecr;
	px.tsval = t->tsval;
	px.mss_idx = mss_index(opts.mss);
	px.ws_client = opts.has_wscale ? opts.wscale : SG_COOKIE_WSCALE_NONE;
	px.ws_ann = SG_COOKIE_WSCALE_NONE;
	px.ws_srv = SG_COOKIE_WSCALE_NONE;
	px.sack = opts.sack_perm;
	px.ts = t->has_ts;

	c = sg_conn_insert(sn, cfg, key, hash, &syn, &px);
	if (IS_ERR(c))
		return PTR_ERR(c);
	sg_count(sn, SYNGUARD_CNT_COOKIES_VALID);
	sg_lc_add(c->lst, SYNGUARD_LC_COOKIES_VALID, 1);

	/* What the cookie SYN-ACK announced, worked out again. */
	ws = announce_ws(pol, c->lst);
	spin_lock_bh(&c->lock);
	if (opts.has_wscale)
		c->px.ws_ann = ws;
	px = c->px;
	spin_unlock_bh(&c->lock);
	send_server_syn(sn, key, syn.seq, &px);
	return 0;
}

/* Where the SACK blocks and the timestamp of a header are, if present. */
struct sg_optpos {
	unsigned int sack, nsack, ts;
};

static void find_options(const u8 *th, unsigned int hdr_len,
			 struct sg_optpos *pos)
{
	unsigned int i = SG_TCP_HDR_MIN;

	memset(pos, 0, sizeof(*pos));
	while (i < hdr_len) {
		u8 kind = th[i], len;

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		/* The parser already rejected malformed option lists. */
		if (i + 1 >= hdr_len)
			break;
		len = th[i + 1];
		if (len < 2 || i + len > hdr_len)
			break;
		if (kind == TCPOPT_SACK && len >= 10) {
			pos->sack = i + 2;
			pos->nsack = (len - 2) / 8;
		} else if (kind == TCPOPT_TIMESTAMP && len == TCPOLEN_TIMESTAMP) {
			pos->ts = i + 2;
		}
		i += len;
	}
}

static void add32(struct sk_buff *skb, struct tcphdr *th, void *field,
		  u32 delta)
{
	__be32 old = get_unaligned((__be32 *)field);
	__be32 new = htonl(ntohl(old) + delta);

	put_unaligned(new, (__be32 *)field);
	inet_proto_csum_replace4(&th->check, skb, old, new, false);
}

static void set_window(struct sk_buff *skb, struct tcphdr *th, u32 win)
{
	__be16 new = htons(min_t(u32, win, U16_MAX));

	inet_proto_csum_replace2(&th->check, skb, th->window, new, false);
	th->window = new;
}

/*
 * Rewrite a packet of an open proxied connection between the client's
 * sequence space and the server's. @t follows for client packets, so the
 * state machine sees server space.
 */
static int translate(struct sk_buff *skb, unsigned int thoff,
		     const struct sg_proxy *px, enum sg_dir dir,
		     struct sg_tcp *t)
{
	struct sg_optpos pos;
	struct tcphdr *th;
	u8 *raw;
	unsigned int i;

	if (skb_ensure_writable(skb, thoff + t->hdr_len))
		return -ENOMEM;
	raw = skb->data + thoff;
	th = (struct tcphdr *)raw;
	find_options(raw, t->hdr_len, &pos);

	if (dir == SG_DIR_ORIG) {
		if (th->ack) {
			add32(skb, th, &th->ack_seq, -px->seq_off);
			t->ack -= px->seq_off;
		}
		for (i = 0; i < pos.nsack; i++) {
			add32(skb, th, raw + pos.sack + 8 * i, -px->seq_off);
			add32(skb, th, raw + pos.sack + 8 * i + 4, -px->seq_off);
		}
		/* Window tracking reads the blocks in the server's space. */
		for (i = 0; i < t->nsack && i < SG_TCP_MAX_SACK; i++) {
			t->sack[i].start -= px->seq_off;
			t->sack[i].end -= px->seq_off;
		}
		if (pos.ts && px->ts)
			add32(skb, th, raw + pos.ts + 4, -px->ts_off);
		/* A server without window scaling reads windows unscaled. */
		if (px->ws_srv == SG_COOKIE_WSCALE_NONE &&
		    px->ws_client != SG_COOKIE_WSCALE_NONE)
			set_window(skb, th, (u32)ntohs(th->window) <<
				   px->ws_client);
		return 0;
	}

	add32(skb, th, &th->seq, px->seq_off);
	if (pos.ts && px->ts)
		add32(skb, th, raw + pos.ts, px->ts_off);
	if (shift(px->ws_srv) != shift(px->ws_ann))
		set_window(skb, th, ((u32)ntohs(th->window) <<
				     shift(px->ws_srv)) >> shift(px->ws_ann));
	return 0;
}

/*
 * The server answered the SYN synguard sent: agree the offsets, finish
 * the server's handshake, and tell the client the server's real window.
 * Called with c->lock held; returns what to send after unlocking.
 */
struct sg_replies {
	u8 server[SG_TCP_HDR_MAX], client[SG_TCP_HDR_MAX];
	unsigned int server_len, client_len;
};

static void server_synack(struct sg_net *sn, const struct sg_config *cfg,
			  struct sg_conn *c, const struct sg_tcp *t,
			  struct sg_replies *r)
{
	struct sg_proxy *px = &c->px;
	u32 isn = c->tr.isn[SG_DIR_ORIG];
	struct sg_tcp ack = {};
	u32 cookie;

	if (px->phase == SG_PX_SYN) {
		cookie = px->seq_off;
		px->seq_off = cookie - t->seq;
		if (px->ts && t->has_ts)
			px->ts_off -= t->tsval;
		else
			px->ts = 0;
		px->ws_srv = t->has_wscale ? t->wscale : SG_COOKIE_WSCALE_NONE;
		if (px->ws_client == SG_COOKIE_WSCALE_NONE)
			px->ws_srv = SG_COOKIE_WSCALE_NONE;
		WRITE_ONCE(c->lst->srv_mss, t->has_mss ? t->mss : 536);
		WRITE_ONCE(c->lst->srv_ws, t->has_wscale ? t->wscale :
			   SG_COOKIE_WSCALE_NONE);
		WRITE_ONCE(c->lst->srv_seen, 1);
		/* Pairs with the lock-free read of an open connection's offsets. */
		smp_store_release(&px->phase, SG_PX_OPEN);

		sg_conn_step_locked(sn, cfg, c, SG_DIR_REPLY, t);
		ack.sport = t->dport;
		ack.dport = t->sport;
		ack.seq = isn + 1;
		ack.ack = t->seq + 1;
		ack.flags = SG_TCP_ACK;
		ack.window = U16_MAX >> shift(px->ws_client);
		sg_conn_step_locked(sn, cfg, c, SG_DIR_ORIG, &ack);

		r->client_len = build_ack(r->client, t->sport, t->dport,
					  cookie + 1, isn + 1,
					  t->window >> shift(px->ws_ann),
					  px->ts, t->tsval + px->ts_off,
					  px->tsval);
	}
	/* Also when the server repeats its SYN-ACK: our ACK was lost. */
	r->server_len = build_ack(r->server, t->dport, t->sport, isn + 1,
				  t->seq + 1,
				  U16_MAX >> shift(px->ws_client), px->ts,
				  px->tsval, t->tsval);
}

unsigned int sg_proxy_packet(struct sg_net *sn, const struct sg_config *cfg,
			     const struct sg_policy *pol,
			     struct sg_conn *c, enum sg_dir dir,
			     struct sk_buff *skb, unsigned int thoff,
			     struct sg_tcp *t)
{
	bool synack = (t->flags & (SG_TCP_SYN | SG_TCP_ACK)) ==
		      (SG_TCP_SYN | SG_TCP_ACK);
	struct sg_replies r = {};
	unsigned int verdict;
	struct sg_proxy px;
	u32 isn;

	/* Pairs with server_synack(): an open proxy's offsets never change. */
	if (smp_load_acquire(&c->px.phase) == SG_PX_OPEN && !synack) {
		px = c->px;
		if (dir == SG_DIR_REPLY) {
			verdict = sg_window_verdict(sn, pol,
						    sg_conn_step(sn, cfg, c,
								 dir, t), t);
			if (verdict != NF_ACCEPT)
				return verdict;
		}
		if (translate(skb, thoff, &px, dir, t))
			return sg_drop(sn, SYNGUARD_CNT_ALLOC_FAILED);
		if (dir == SG_DIR_ORIG)
			return sg_window_verdict(sn, pol,
						 sg_conn_step(sn, cfg, c,
							      dir, t), t);
		return NF_ACCEPT;
	}

	spin_lock_bh(&c->lock);
	if (c->dead) {
		spin_unlock_bh(&c->lock);
		return sg_drop(sn, SYNGUARD_CNT_OUT_OF_STATE);
	}
	px = c->px;
	isn = c->tr.isn[SG_DIR_ORIG];
	if (dir == SG_DIR_REPLY && synack && t->ack == isn + 1) {
		server_synack(sn, cfg, c, t, &r);
		spin_unlock_bh(&c->lock);
		if (r.server_len)
			xmit(sn, &c->key.src, &c->key.dst, r.server,
			     r.server_len, false);
		if (r.client_len)
			xmit(sn, &c->key.dst, &c->key.src, r.client,
			     r.client_len, true);
		consume_skb(skb);
		return NF_STOLEN;
	}
	if (px.phase == SG_PX_SYN && dir == SG_DIR_REPLY &&
	    (t->flags & SG_TCP_RST)) {
		/* Refused: tell the client, in its own sequence space. */
		sg_conn_step_locked(sn, cfg, c, dir, t);
		spin_unlock_bh(&c->lock);
		sg_count(sn, SYNGUARD_CNT_PROXY_SERVER_RST);
		if (skb_ensure_writable(skb, thoff + t->hdr_len))
			return sg_drop(sn, SYNGUARD_CNT_ALLOC_FAILED);
		add32(skb, (struct tcphdr *)(skb->data + thoff),
		      &((struct tcphdr *)(skb->data + thoff))->seq,
		      px.seq_off + 1 - t->seq);
		return NF_ACCEPT;
	}
	spin_unlock_bh(&c->lock);

	if (px.phase == SG_PX_SYN && dir == SG_DIR_ORIG &&
	    !(t->flags & SG_TCP_SYN)) {
		/*
		 * The client already thinks it is connected. Its segments
		 * come back when it retransmits; meanwhile the SYN may have
		 * been lost, so send it again.
		 */
		send_server_syn(sn, &c->key, isn, &px);
		return sg_drop(sn, SYNGUARD_CNT_PROXY_EARLY);
	}
	return sg_drop(sn, SYNGUARD_CNT_OUT_OF_STATE);
}
