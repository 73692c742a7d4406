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
 * after. A packet of a proxied connection is in one of four phases, each
 * a function below: translated (open_segment), the server's answer
 * (server_answered), the server's refusal (server_refused), or a client
 * segment before the server answered (client_early).
 */
#include <linux/random.h>
#include <linux/tcp.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "cookie.h"
#include "listener.h"
#include "netlink.h"
#include "netns.h"
#include "proxy.h"
#include "secrets.h"
#include "service.h"
#include "stats.h"
#include "table.h"
#include "verdict.h"
#include "xmit.h"

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

int sg_proxy_init(struct sg_net *sn)
{
	sn->synack_rl = alloc_percpu_gfp(struct sg_ratelimit,
					 GFP_KERNEL_ACCOUNT);
	return sn->synack_rl ? 0 : -ENOMEM;
}

void sg_proxy_exit(struct sg_net *sn)
{
	free_percpu(sn->synack_rl);
}

static void cookie_tuple(const struct sg_key *k, struct sg_cookie_tuple *ct)
{
	memcpy(ct->client, &k->src, sizeof(ct->client));
	memcpy(ct->server, &k->dst, sizeof(ct->server));
	ct->client_port = ntohs(k->sport);
	ct->server_port = ntohs(k->dport);
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
	if (l && READ_ONCE(l->srv_seen))
		return READ_ONCE(l->srv_mss);
	return ipv6_addr_v4mapped(&k->dst) ? SG_MSS_V4 : SG_MSS_V6;
}

static u8 announce_ws(const struct sg_policy *pol, const struct sg_listener *l)
{
	if (pol->wscale != SG_COOKIE_WSCALE_NONE)
		return pol->wscale;
	if (l && READ_ONCE(l->srv_seen))
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
	struct sg_tcp_out sa = {
		.sport = t->dport,
		.dport = t->sport,
		.ack = t->seq + 1,
		.flags = SG_TCP_SYN | SG_TCP_ACK,
		.window = U16_MAX,
		.sack_perm = t->sack_perm,
		.has_ts = t->has_ts,
		/* Any value will do: the client's ACK echoes it back to us. */
		.tsval = t->has_ts ? get_random_u32() : 0,
		.tsecr = t->tsval,
	};
	u8 ws;

	if (!synack_allowed(sn, cfg->v[SYNGUARD_KNOB_SYNACK_RATE]))
		return sg_drop(sn, SYNGUARD_CNT_SYNACK_RATELIMITED);
	cookie_tuple(key, &ct);
	sa.seq = sg_cookie_make(&rcu_dereference(sn->secrets)->s, &ct, t->seq,
				&opts, NULL);
	sa.mss = announce_mss(pol, l, key);
	ws = announce_ws(pol, l);
	sa.has_wscale = t->has_wscale && ws != SG_COOKIE_WSCALE_NONE;
	sa.wscale = ws;
	if (sg_xmit(sn, &key->dst, &key->src, &sa, SG_XMIT_UNTRACKED)) {
		/* Counted in xmit_failed. */
		sg_count(sn, SYNGUARD_CNT_DROPPED);
		return NF_DROP;
	}
	sg_count(sn, SYNGUARD_CNT_COOKIES_SENT);
	sg_listener_cookie_sent(sn, l);
	if (l)
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
	struct sg_tcp_out syn = {
		.sport = ntohs(k->sport),
		.dport = ntohs(k->dport),
		.seq = isn,
		.flags = SG_TCP_SYN,
		.window = U16_MAX,
		.mss = sg_cookie_mss_at(px->mss_idx),
		.wscale = px->ws_client,
		.has_wscale = px->ws_client != SG_COOKIE_WSCALE_NONE,
		.sack_perm = px->sack,
		.has_ts = px->ts,
		.tsval = px->tsval,
	};

	sg_xmit(sn, &k->src, &k->dst, &syn, SG_XMIT_TRACKED);
}

int sg_proxy_open(struct sg_net *sn, const struct sg_config *cfg,
		  const struct sg_policy *pol, const struct sg_key *key,
		  u32 hash, const struct sg_tcp *t, struct sg_listener *l)
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
	px.mss_idx = sg_cookie_mss_index(opts.mss);
	px.ws_client = opts.has_wscale ? opts.wscale : SG_COOKIE_WSCALE_NONE;
	px.ws_ann = SG_COOKIE_WSCALE_NONE;
	px.ws_srv = SG_COOKIE_WSCALE_NONE;
	px.sack = opts.sack_perm;
	px.ts = t->has_ts;

	c = sg_conn_insert(sn, cfg, key, hash, &syn, &px, l);
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
 * state machine sees server space. The parser said where the SACK blocks
 * and the timestamp are.
 */
static int translate(struct sk_buff *skb, unsigned int thoff,
		     const struct sg_proxy *px, enum sg_dir dir,
		     struct sg_tcp *t)
{
	struct tcphdr *th;
	unsigned int i;
	u8 *raw;

	if (skb_ensure_writable(skb, thoff + t->hdr_len))
		return -ENOMEM;
	raw = skb->data + thoff;
	th = (struct tcphdr *)raw;

	if (dir == SG_DIR_ORIG) {
		if (th->ack) {
			add32(skb, th, &th->ack_seq, -px->seq_off);
			t->ack -= px->seq_off;
		}
		for (i = 0; t->sack_off && i < t->sack_blocks; i++) {
			u8 *b = raw + t->sack_off + i * SG_TCPOLEN_SACK_BLOCK;

			add32(skb, th, b, -px->seq_off);
			add32(skb, th, b + 4, -px->seq_off);
		}
		/* Window tracking reads the blocks in the server's space. */
		for (i = 0; i < t->nsack; i++) {
			t->sack[i].start -= px->seq_off;
			t->sack[i].end -= px->seq_off;
		}
		if (t->ts_off && px->ts)
			add32(skb, th, raw + t->ts_off + 4, -px->ts_off);
		/* A server without window scaling reads windows unscaled. */
		if (px->ws_srv == SG_COOKIE_WSCALE_NONE &&
		    px->ws_client != SG_COOKIE_WSCALE_NONE)
			set_window(skb, th, (u32)ntohs(th->window) <<
				   px->ws_client);
		return 0;
	}

	add32(skb, th, &th->seq, px->seq_off);
	if (t->ts_off && px->ts)
		add32(skb, th, raw + t->ts_off, px->ts_off);
	if (shift(px->ws_srv) != shift(px->ws_ann))
		set_window(skb, th, ((u32)ntohs(th->window) <<
				     shift(px->ws_srv)) >> shift(px->ws_ann));
	return 0;
}

static unsigned int judge_step(struct sg_net *sn, const struct sg_config *cfg,
			       const struct sg_policy *pol, struct sg_conn *c,
			       enum sg_dir dir, const struct sg_tcp *t)
{
	struct sg_verdict v = sg_verdict_step(pol, sg_conn_step(sn, cfg, c,
								dir, t),
					      sg_tcp_class(t->flags));

	return sg_apply(sn, &v);
}

/*
 * Open: the server's segments are stepped in its own space before
 * translation, the client's after.
 */
static unsigned int open_segment(struct sg_net *sn, const struct sg_config *cfg,
				 const struct sg_policy *pol,
				 struct sg_conn *c, enum sg_dir dir,
				 struct sk_buff *skb, unsigned int thoff,
				 struct sg_tcp *t)
{
	struct sg_proxy px = c->px;
	unsigned int verdict;

	if (dir == SG_DIR_REPLY) {
		verdict = judge_step(sn, cfg, pol, c, dir, t);
		if (verdict != NF_ACCEPT)
			return verdict;
	}
	if (translate(skb, thoff, &px, dir, t))
		return sg_drop(sn, SYNGUARD_CNT_ALLOC_FAILED);
	if (dir == SG_DIR_ORIG)
		return judge_step(sn, cfg, pol, c, dir, t);
	return NF_ACCEPT;
}

/*
 * The server answered the SYN synguard sent: agree the offsets, finish
 * the server's handshake, and tell the client the server's real window.
 * Called with c->lock held; fills in what to send after unlocking.
 */
struct sg_replies {
	struct sg_tcp_out server, client;
	bool to_client;
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
		WRITE_ONCE(c->lst->srv_mss, t->has_mss ? t->mss :
			   SG_TCP_MSS_DEFAULT);
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

		r->client = (struct sg_tcp_out){
			.sport = t->sport, .dport = t->dport,
			.seq = cookie + 1, .ack = isn + 1,
			.flags = SG_TCP_ACK,
			.window = t->window >> shift(px->ws_ann),
			.has_ts = px->ts,
			.tsval = t->tsval + px->ts_off, .tsecr = px->tsval,
		};
		r->to_client = true;
	}
	/* Also when the server repeats its SYN-ACK: our ACK was lost. */
	r->server = (struct sg_tcp_out){
		.sport = t->dport, .dport = t->sport,
		.seq = isn + 1, .ack = t->seq + 1,
		.flags = SG_TCP_ACK,
		.window = U16_MAX >> shift(px->ws_client),
		.has_ts = px->ts,
		.tsval = px->tsval, .tsecr = t->tsval,
	};
}

/* The server's SYN-ACK: absorbed, answered on both sides. */
static unsigned int server_answered(struct sg_net *sn,
				    const struct sg_config *cfg,
				    struct sg_conn *c, struct sk_buff *skb,
				    const struct sg_tcp *t)
{
	struct sg_replies r = {};

	server_synack(sn, cfg, c, t, &r);
	spin_unlock_bh(&c->lock);
	sg_xmit(sn, &c->key.src, &c->key.dst, &r.server, SG_XMIT_TRACKED);
	if (r.to_client)
		sg_xmit(sn, &c->key.dst, &c->key.src, &r.client,
			SG_XMIT_UNTRACKED);
	consume_skb(skb);
	return NF_STOLEN;
}

/* The server refused: tell the client, in its own sequence space. */
static unsigned int server_refused(struct sg_net *sn,
				   const struct sg_config *cfg,
				   struct sg_conn *c, struct sk_buff *skb,
				   unsigned int thoff, const struct sg_tcp *t)
{
	u32 cookie = c->px.seq_off;
	struct tcphdr *th;

	sg_conn_step_locked(sn, cfg, c, SG_DIR_REPLY, t);
	spin_unlock_bh(&c->lock);
	sg_count(sn, SYNGUARD_CNT_PROXY_SERVER_RST);
	if (skb_ensure_writable(skb, thoff + t->hdr_len))
		return sg_drop(sn, SYNGUARD_CNT_ALLOC_FAILED);
	th = (struct tcphdr *)(skb->data + thoff);
	add32(skb, th, &th->seq, cookie + 1 - t->seq);
	return NF_ACCEPT;
}

/*
 * The client already thinks it is connected. Its segments come back when
 * it retransmits; meanwhile the SYN may have been lost, so send it again.
 */
static unsigned int client_early(struct sg_net *sn, struct sg_conn *c,
				 u32 isn, const struct sg_proxy *px)
{
	send_server_syn(sn, &c->key, isn, px);
	return sg_drop(sn, SYNGUARD_CNT_PROXY_EARLY);
}

unsigned int sg_proxy_packet(struct sg_net *sn, const struct sg_config *cfg,
			     const struct sg_policy *pol,
			     struct sg_conn *c, enum sg_dir dir,
			     struct sk_buff *skb, unsigned int thoff,
			     struct sg_tcp *t)
{
	enum sg_seg_class seg = sg_tcp_class(t->flags);
	struct sg_proxy px;
	u32 isn;

	/* Pairs with server_synack(): an open proxy's offsets never change. */
	if (smp_load_acquire(&c->px.phase) == SG_PX_OPEN &&
	    seg != SG_SEG_SYNACK)
		return open_segment(sn, cfg, pol, c, dir, skb, thoff, t);

	spin_lock_bh(&c->lock);
	if (c->dead) {
		spin_unlock_bh(&c->lock);
		return sg_drop(sn, SYNGUARD_CNT_OUT_OF_STATE);
	}
	px = c->px;
	isn = c->tr.isn[SG_DIR_ORIG];
	if (dir == SG_DIR_REPLY && seg == SG_SEG_SYNACK && t->ack == isn + 1)
		return server_answered(sn, cfg, c, skb, t);
	if (px.phase == SG_PX_SYN && dir == SG_DIR_REPLY && seg == SG_SEG_RST)
		return server_refused(sn, cfg, c, skb, thoff, t);
	spin_unlock_bh(&c->lock);

	if (px.phase == SG_PX_SYN && dir == SG_DIR_ORIG &&
	    !(t->flags & SG_TCP_SYN))
		return client_early(sn, c, isn, &px);
	return sg_drop(sn, SYNGUARD_CNT_OUT_OF_STATE);
}
