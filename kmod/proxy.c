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
 * Tracking sees the connection in the server's sequence space, and so
 * does conntrack: client packets are translated in the early hook, before
 * conntrack and before the state machine steps; server packets pass the
 * early hook untouched and are stepped, then translated, in the late
 * hook, after conntrack (sg_proxy_reply()). The SYN and the ACK to the
 * server enter the receive path on the client's device (sg_inject()), so
 * that conntrack, NAT and the firewall see them as the client's. A
 * packet of a proxied connection is in one of four phases, each a
 * function below: translated (open_segment), the server's answer
 * (server_answered), the server's refusal (server_refused), or a client
 * segment before the server answered (client_early).
 */
#include <linux/netfilter.h>
#include <linux/random.h>
#include <linux/tcp.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "cookie.h"
#include "listener.h"
#include "netlink.h"
#include "netns.h"
#include "proxy.h"
#include "secpath.h"
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

/* Unless the mss knob says otherwise, assume an Ethernet path. */
#define SG_MSS_V4	1460
#define SG_MSS_V6	1440
/* Linux's own choice for its default receive buffer. */
#define SG_WSCALE_DEFAULT 7
/* SYNs sent to the server for one connection, at most. */
#define SG_SYN_TRIES	3

static u8 shift(u8 ws)
{
	return ws == SG_COOKIE_WSCALE_NONE ? 0 : ws;
}

/*
 * A window as one side scales it (@from), for a side that scales by
 * @to. Never a false zero: a window that was open stays open.
 */
static u32 rescale(u32 win, u8 from, u8 to)
{
	u32 v = min_t(u32, (win << shift(from)) >> shift(to), U16_MAX);

	return win && !v ? 1 : v;
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

/*
 * What cookie SYN-ACKs announce comes from the knobs alone, never from
 * what a server's SYN-ACK said: anyone who can send a SYN-ACK for their
 * own connection could say anything there, and one connection's answer
 * is no promise about the next. The window scale is worked out the same
 * for the SYN-ACK and for the connection it opens, so that the client
 * and the translation agree.
 */
static u16 announce_mss(const struct sg_policy *pol, const struct sg_key *k)
{
	if (pol->mss)
		return pol->mss;
	return ipv6_addr_v4mapped(&k->dst) ? SG_MSS_V4 : SG_MSS_V6;
}

static u8 announce_ws(const struct sg_policy *pol)
{
	if (pol->wscale != SG_COOKIE_WSCALE_NONE)
		return pol->wscale;
	return SG_WSCALE_DEFAULT;
}

/*
 * Send the cookie SYN-ACK: in place when @syn allows it (the SYN's skb,
 * NF_STOLEN), else built and routed (NF_DROP for the SYN); NF_DROP with
 * @sent false when neither could send it.
 */
static unsigned int send_synack(struct sg_net *sn, const struct sg_syn *syn,
				const struct sg_key *key,
				const struct sg_tcp_out *sa, bool *sent)
{
	*sent = true;
	if (syn->inplace == SG_INPLACE_YES ||
	    (syn->inplace == SG_INPLACE_IF_ROUTED &&
	     sg_inplace_route_agrees(sn->net, syn->skb))) {
		if (!sg_xmit_inplace(sn, syn->skb, syn->thoff, sa)) {
			sg_count(sn, SYNGUARD_CNT_COOKIES_INPLACE);
			return NF_STOLEN;
		}
	}
	/* Failures are counted in xmit_failed. */
	*sent = !sg_xmit(sn, &key->dst, &key->src, sa, &syn->route);
	return NF_DROP;
}

unsigned int sg_proxy_answer(struct sg_net *sn, const struct sg_config *cfg,
			     const struct sg_policy *pol,
			     struct sg_listener *l, const struct sg_key *key,
			     const struct sg_tcp *t, const struct sg_syn *syn)
{
	/*
	 * Offer what the client offered and the server does (the sack and
	 * timestamps knobs): the SYN to the server passes on what the cookie
	 * remembers, and the client's ACK carries timestamps only if they
	 * were agreed, so both ends are told the same.
	 */
	bool sack = t->sack_perm && pol->sack;
	bool ts = t->has_ts && pol->timestamps;
	struct sg_cookie_opts opts = {
		.mss = t->has_mss ? t->mss : 0,
		.wscale = t->wscale,
		.has_wscale = t->has_wscale,
		.sack_perm = sack,
	};
	struct sg_cookie_tuple ct;
	struct sg_tcp_out sa = {
		.sport = t->dport,
		.dport = t->sport,
		.ack = t->seq + 1,
		.flags = SG_TCP_SYN | SG_TCP_ACK,
		.window = U16_MAX,
		.sack_perm = sack,
		.has_ts = ts,
		/* Any value will do: the client's ACK echoes it back to us. */
		.tsval = ts ? get_random_u32() : 0,
		.tsecr = t->tsval,
	};
	unsigned int verdict;
	bool sent;
	u8 ws;

	if (!synack_allowed(sn, cfg->v[SYNGUARD_KNOB_SYNACK_RATE]))
		return sg_drop(sn, SYNGUARD_CNT_SYNACK_RATELIMITED);
	cookie_tuple(key, &ct);
	sa.seq = sg_cookie_make(&rcu_dereference(sn->secrets)->s, &ct, t->seq,
				&opts, NULL);
	sa.mss = announce_mss(pol, key);
	ws = announce_ws(pol);
	sa.has_wscale = t->has_wscale && ws != SG_COOKIE_WSCALE_NONE;
	sa.wscale = ws;
	verdict = send_synack(sn, syn, key, &sa, &sent);
	if (!sent) {
		sg_count(sn, SYNGUARD_CNT_DROPPED);
		return verdict;
	}
	sg_count(sn, SYNGUARD_CNT_COOKIES_SENT);
	sg_listener_cookie_sent(sn, l);
	if (l)
		sg_lc_add(l, SYNGUARD_LC_COOKIES_SENT, 1);
	/* The data is not acknowledged: the client will send it again. */
	if (t->has_tfo || t->payload_len)
		sg_count(sn, SYNGUARD_CNT_FASTOPEN_DECLINED);
	return verdict;
}

/*
 * The SYN to the server, with the options the client's SYN offered, from
 * the client's side of the stack (sg_inject()).
 */
static void send_server_syn(struct sg_net *sn, const struct sg_conn *c,
			    u32 isn, const struct sg_proxy *px, u32 tsval,
			    const struct sk_buff *from)
{
	const struct sg_key *k = &c->key;
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
		.tsval = tsval,
	};

	sg_inject(sn, &k->src, &k->dst, &syn, px->iif, c, from);
}

/*
 * @c has a sec_path copy: say so, under its lock, where sg_conn_unlink()
 * looks; if it went meanwhile, the copy goes too.
 */
static void mark_sp(struct sg_net *sn, struct sg_conn *c)
{
	bool dead;

	spin_lock_bh(&c->lock);
	dead = sg_conn_dead(c);
	if (!dead)
		c->px.sp = 1;
	spin_unlock_bh(&c->lock);
	if (dead)
		sg_sp_forget(sn, c);
}

/*
 * The server has its handshake once it sends anything but its SYN-ACK,
 * or once the client's data or FIN has gone to it (which completes it if
 * our ACK was lost): from then on a client segment is always at hand.
 */
static void settle_sp(struct sg_net *sn, struct sg_conn *c, enum sg_dir dir,
		      const struct sg_tcp *t)
{
	bool had;

	if (dir == SG_DIR_ORIG && !t->payload_len && !(t->flags & SG_TCP_FIN))
		return;
	spin_lock_bh(&c->lock);
	had = c->px.sp;
	c->px.sp = 0;
	spin_unlock_bh(&c->lock);
	if (had)
		sg_sp_forget(sn, c);
}

int sg_proxy_open(struct sg_net *sn, const struct sg_config *cfg,
		  const struct sg_policy *pol, const struct sg_key *key,
		  u32 hash, const struct sg_tcp *t, struct sg_listener *l,
		  int iif, bool local, const struct sk_buff *skb)
{
	struct sg_cookie_opts opts;
	struct sg_cookie_tuple ct;
	struct sg_tcp syn = {};
	struct sg_proxy px = {};
	struct sg_conn *c;

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
	/* The client's TSval, for what synguard sends in its name. */
	syn.has_ts = t->has_ts;
	syn.tsval = t->tsval;
	px.mss_idx = sg_cookie_mss_index(opts.mss);
	px.ws_client = opts.has_wscale ? opts.wscale : SG_COOKIE_WSCALE_NONE;
	px.ws_ann = SG_COOKIE_WSCALE_NONE;
	px.ws_srv = SG_COOKIE_WSCALE_NONE;
	px.sack = opts.sack_perm;
	px.ts = t->has_ts;
	px.local = local;
	px.iif = iif;
	px.syn_tries = 1;
	/* What the cookie SYN-ACK announced, worked out again. */
	if (opts.has_wscale)
		px.ws_ann = announce_ws(pol);

	c = sg_conn_insert(sn, cfg, key, hash, &syn, &px, l, true);
	if (IS_ERR(c))
		return PTR_ERR(c);
	sg_count(sn, SYNGUARD_CNT_COOKIES_VALID);
	sg_lc_add(c->lst, SYNGUARD_LC_COOKIES_VALID, 1);
	if (sg_sp_keep(sn, c, skb))
		mark_sp(sn, c);
	send_server_syn(sn, c, syn.seq, &px, t->tsval, skb);
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
			set_window(skb, th, rescale(ntohs(th->window),
						    px->ws_client,
						    SG_COOKIE_WSCALE_NONE));
		return 0;
	}

	add32(skb, th, &th->seq, px->seq_off);
	if (t->ts_off && px->ts)
		add32(skb, th, raw + t->ts_off, px->ts_off);
	if (shift(px->ws_srv) != shift(px->ws_ann))
		set_window(skb, th, rescale(ntohs(th->window), px->ws_srv,
					    px->ws_ann));
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
 * Open. The client's segments, in the early hook, are translated and
 * then stepped; the server's, in the late hook, stepped in the server's
 * own space and then translated.
 */
static unsigned int open_segment(struct sg_net *sn, const struct sg_config *cfg,
				 const struct sg_policy *pol,
				 struct sg_conn *c, enum sg_dir dir,
				 struct sk_buff *skb, unsigned int thoff,
				 struct sg_tcp *t)
{
	struct sg_proxy px = c->px;
	unsigned int verdict;

	if (unlikely(px.sp))
		settle_sp(sn, c, dir, t);
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
 * The server answered the SYN synguard sent: agree the offsets, and say
 * what to send: the ACK that finishes the server's handshake, in the
 * client's sequence space like every segment from the client (the early
 * hook translates and steps it on its way in), and the client's view of
 * the server's window. Called with c->lock held.
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
		/* Pairs with the lock-free read of an open connection's offsets. */
		smp_store_release(&px->phase, SG_PX_OPEN);
		sg_conn_step_locked(sn, cfg, c, SG_DIR_REPLY, t);

		/*
		 * Ports from the key, not from @t: behind DNAT the server
		 * answers from its own port, the client knows another.
		 */
		r->client = (struct sg_tcp_out){
			.sport = ntohs(c->key.dport), .dport = ntohs(c->key.sport),
			.seq = cookie + 1, .ack = isn + 1,
			.flags = SG_TCP_ACK,
			.window = rescale(t->window, SG_COOKIE_WSCALE_NONE,
					  px->ws_ann),
			.has_ts = px->ts,
			.tsval = t->tsval + px->ts_off, .tsecr = c->tsval,
		};
		r->to_client = true;
	}
	/* Also when the server repeats its SYN-ACK: our ACK was lost. */
	r->server = (struct sg_tcp_out){
		.sport = ntohs(c->key.sport), .dport = ntohs(c->key.dport),
		.seq = isn + 1, .ack = t->seq + 1 + px->seq_off,
		.flags = SG_TCP_ACK,
		.window = U16_MAX >> shift(px->ws_client),
		.has_ts = px->ts,
		.tsval = c->tsval, .tsecr = t->tsval + px->ts_off,
	};
}

/* The server's SYN-ACK, which conntrack has seen: absorbed, answered. */
static unsigned int server_answered(struct sg_net *sn,
				    const struct sg_config *cfg,
				    struct sg_conn *c, struct sk_buff *skb,
				    const struct sg_tcp *t)
{
	struct sg_route route = { .mark = skb->mark, .iif = c->px.iif };
	struct sg_replies r = {};

	server_synack(sn, cfg, c, t, &r);
	spin_unlock_bh(&c->lock);
	sg_inject(sn, &c->key.src, &c->key.dst, &r.server, route.iif, c, NULL);
	if (r.to_client)
		sg_xmit(sn, &c->key.dst, &c->key.src, &r.client, &route);
	consume_skb(skb);
	return NF_STOLEN;
}

/*
 * The server refused: tell the client, in its own sequence space. Only
 * an RST that acknowledges the SYN (RFC 793): any other is anyone's.
 */
static unsigned int server_refused(struct sg_net *sn,
				   const struct sg_config *cfg,
				   struct sg_conn *c, struct sk_buff *skb,
				   unsigned int thoff, const struct sg_tcp *t)
{
	u32 cookie = c->px.seq_off;
	struct tcphdr *th;

	if (!(t->flags & SG_TCP_ACK) ||
	    t->ack != c->tr.isn[SG_DIR_ORIG] + 1) {
		spin_unlock_bh(&c->lock);
		return sg_drop(sn, SYNGUARD_CNT_OUT_OF_STATE);
	}
	sg_conn_step_locked(sn, cfg, c, SG_DIR_REPLY, t);
	spin_unlock_bh(&c->lock);
	sg_count(sn, SYNGUARD_CNT_PROXY_SERVER_RST);
	if (skb_ensure_writable(skb, thoff + t->hdr_len))
		return sg_drop(sn, SYNGUARD_CNT_ALLOC_FAILED);
	th = (struct tcphdr *)(skb->data + thoff);
	add32(skb, th, &th->seq, cookie + 1 - t->seq);
	return NF_ACCEPT;
}

/* Clear the ACK of a segment from the client, in place. */
static int strip_ack(struct sk_buff *skb, unsigned int thoff,
		     const struct sg_tcp *t)
{
	struct tcphdr *th;
	__be16 *word, old;

	if (skb_ensure_writable(skb, thoff + t->hdr_len))
		return -ENOMEM;
	th = (struct tcphdr *)(skb->data + thoff);
	word = (__be16 *)((u8 *)th + 12);
	old = *word;
	*word &= ~htons(SG_TCP_ACK);
	inet_proto_csum_replace2(&th->check, skb, old, *word, false);
	inet_proto_csum_replace4(&th->check, skb, th->ack_seq, 0, false);
	th->ack_seq = 0;
	return 0;
}

/*
 * A segment from the client before the server has answered; called with
 * c->lock held. Its SYN again, or synguard's own coming back through the
 * receive path, goes on to the server. Its RST at exactly the next
 * sequence number ends the attempt: it goes on too, without the ACK of
 * the cookie, which means nothing to the server. Anything else is
 * dropped, to come back when the client retransmits; meanwhile the SYN
 * may have been lost, so it goes again, at most SG_SYN_TRIES times in
 * all (the client's retransmissions space them out).
 */
static unsigned int client_early(struct sg_net *sn, const struct sg_config *cfg,
				 struct sg_conn *c, struct sk_buff *skb,
				 unsigned int thoff, const struct sg_tcp *t)
{
	u32 isn = c->tr.isn[SG_DIR_ORIG], tsval = c->tsval;
	enum sg_seg_class seg = sg_tcp_class(t->flags);
	struct sg_proxy px;
	bool again = false;

	if (seg == SG_SEG_SYN && t->seq == isn) {
		spin_unlock_bh(&c->lock);
		return NF_ACCEPT;
	}
	if (seg == SG_SEG_RST && t->seq == isn + 1) {
		sg_conn_step_locked(sn, cfg, c, SG_DIR_ORIG, t);
		spin_unlock_bh(&c->lock);
		if ((t->flags & SG_TCP_ACK) && strip_ack(skb, thoff, t))
			return sg_drop(sn, SYNGUARD_CNT_ALLOC_FAILED);
		return NF_ACCEPT;
	}
	if (seg != SG_SEG_ACK) {
		spin_unlock_bh(&c->lock);
		return sg_drop(sn, SYNGUARD_CNT_OUT_OF_STATE);
	}
	if (c->px.syn_tries < SG_SYN_TRIES &&
	    c->tr.state == SYNGUARD_STATE_SYN_SENT) {
		c->px.syn_tries++;
		again = true;
	}
	px = c->px;
	spin_unlock_bh(&c->lock);
	if (again)
		send_server_syn(sn, c, isn, &px, tsval, skb);
	return sg_drop(sn, SYNGUARD_CNT_PROXY_EARLY);
}

unsigned int sg_proxy_packet(struct sg_net *sn, const struct sg_config *cfg,
			     const struct sg_policy *pol,
			     struct sg_conn *c, enum sg_dir dir,
			     struct sk_buff *skb, unsigned int thoff,
			     struct sg_tcp *t, unsigned int hook)
{
	if (dir == SG_DIR_REPLY) {
		/*
		 * A local server's segments leave through LOCAL_OUT: one
		 * arriving from outside only claims to be the server's.
		 */
		if (c->px.local && hook == NF_INET_PRE_ROUTING)
			return sg_drop(sn, SYNGUARD_CNT_OUT_OF_STATE);
		/* For the late hook, after conntrack: sg_proxy_reply(). */
		return NF_ACCEPT;
	}

	/* Pairs with server_synack(): an open proxy's offsets never change. */
	if (smp_load_acquire(&c->px.phase) == SG_PX_OPEN)
		return open_segment(sn, cfg, pol, c, dir, skb, thoff, t);

	spin_lock_bh(&c->lock);
	if (!sg_conn_dead(c) && c->px.phase == SG_PX_SYN)
		return client_early(sn, cfg, c, skb, thoff, t);
	spin_unlock_bh(&c->lock);
	/* Gone, or opened meanwhile: the client retransmits. */
	return sg_drop(sn, SYNGUARD_CNT_OUT_OF_STATE);
}

unsigned int sg_proxy_reply(struct sg_net *sn, const struct sg_config *cfg,
			    const struct sg_policy *pol, struct sg_conn *c,
			    struct sk_buff *skb, unsigned int thoff,
			    struct sg_tcp *t)
{
	enum sg_seg_class seg = sg_tcp_class(t->flags);

	/* Pairs with server_synack(): an open proxy's offsets never change. */
	if (smp_load_acquire(&c->px.phase) == SG_PX_OPEN &&
	    seg != SG_SEG_SYNACK)
		return open_segment(sn, cfg, pol, c, SG_DIR_REPLY, skb, thoff,
				    t);

	spin_lock_bh(&c->lock);
	if (sg_conn_dead(c)) {
		spin_unlock_bh(&c->lock);
		return sg_drop(sn, SYNGUARD_CNT_OUT_OF_STATE);
	}
	if (seg == SG_SEG_SYNACK && t->ack == c->tr.isn[SG_DIR_ORIG] + 1 &&
	    c->tr.state != SYNGUARD_STATE_CLOSE)
		return server_answered(sn, cfg, c, skb, t);
	if (c->px.phase == SG_PX_SYN && seg == SG_SEG_RST)
		return server_refused(sn, cfg, c, skb, thoff, t);
	spin_unlock_bh(&c->lock);
	return sg_drop(sn, SYNGUARD_CNT_OUT_OF_STATE);
}

unsigned int sg_proxy_icmp(struct sg_net *sn, struct sk_buff *skb,
			   struct sg_key *key, unsigned int toff,
			   unsigned int csum_off)
{
	unsigned int end = toff + offsetofend(struct tcphdr, check);
	__be16 ports[2], *pp;
	__sum16 *csum, *check;
	__be32 old, new;
	struct sg_conn *c;
	enum sg_dir dir;
	u32 seq_off;

	pp = skb_header_pointer(skb, toff, sizeof(ports), ports);
	if (!pp)
		return NF_ACCEPT;
	key->sport = pp[0];
	key->dport = pp[1];
	c = sg_conn_find(&sn->conns, key, sg_key_hash(&sn->conns, key), &dir);
	if (!c || dir != SG_DIR_REPLY)
		return NF_ACCEPT;
	/* Pairs with server_synack(): an open proxy's offsets never change. */
	if (smp_load_acquire(&c->px.phase) != SG_PX_OPEN)
		return NF_ACCEPT;
	seq_off = c->px.seq_off;

	/* The quote holds at least the ports and the sequence number. */
	if (skb->len < toff + 8)
		return NF_ACCEPT;
	if (skb_ensure_writable(skb, min(skb->len, end)))
		return sg_drop(sn, SYNGUARD_CNT_ALLOC_FAILED);
	old = get_unaligned((__be32 *)(skb->data + toff + 4));
	new = htonl(ntohl(old) - seq_off);
	put_unaligned(new, (__be32 *)(skb->data + toff + 4));
	csum = (__sum16 *)(skb->data + csum_off);
	inet_proto_csum_replace4(csum, skb, old, new, false);
	/* The quoted checksum too, where the quote reaches it. */
	if (skb->len >= end) {
		__sum16 was;

		check = (__sum16 *)(skb->data + toff +
				    offsetof(struct tcphdr, check));
		was = *check;
		csum_replace4(check, old, new);
		inet_proto_csum_replace2(csum, skb, (__force __be16)was,
					 (__force __be16)*check, false);
	}
	sg_count(sn, SYNGUARD_CNT_ICMP_TRANSLATED);
	return NF_ACCEPT;
}
