/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SYN-cookie proxy. For a protected listener under pressure,
 * synguard answers SYNs itself with a cookie SYN-ACK and keeps nothing.
 * A client whose ACK returns a valid cookie has proved its address:
 * synguard then opens the connection to the server with the options the
 * cookie carried, absorbs the server's SYN-ACK, and from then on
 * translates sequence numbers, timestamps and windows between the
 * client's view (the cookie) and the server's (its own ISN).
 */
#ifndef _SYNGUARD_PROXY_H
#define _SYNGUARD_PROXY_H

#include <linux/skbuff.h>

#include "state.h"
#include "table.h"
#include "tcp.h"
#include "verdict.h"
#include "xmit.h"

struct sg_net;
struct sg_config;
struct sg_policy;
struct sg_listener;
struct sg_key;
struct sg_conn;

int sg_proxy_init(struct sg_net *sn);
void sg_proxy_exit(struct sg_net *sn);

/* The SYN a cookie answers, and how its SYN-ACK may leave. */
struct sg_syn {
	struct sk_buff *skb;
	unsigned int thoff;		/* its TCP header, from skb->data */
	enum sg_inplace inplace;	/* sg_verdict_inplace()'s answer */
	struct sg_route route;		/* for the routed SYN-ACK */
};

/*
 * Answer a client's SYN (@key from client to server) with a cookie, for
 * listener @l (NULL when it has no record). Returns the verdict for the
 * SYN, which never reaches the server: NF_STOLEN when its skb became the
 * SYN-ACK, else NF_DROP.
 */
unsigned int sg_proxy_answer(struct sg_net *sn, const struct sg_config *cfg,
			     const struct sg_policy *pol,
			     struct sg_listener *l, const struct sg_key *key,
			     const struct sg_tcp *t, const struct sg_syn *syn);

/*
 * A client's ACK that matched no connection: if it returns a valid
 * cookie, open the connection to the server: synguard's SYN enters the
 * stack as if it came in on @iif, the client's device. @local when the
 * server is a local socket; @skb is the ACK, whose IPsec sec_path what
 * synguard sends the server in the client's name carries. 0 when it did (the ACK is consumed),
 * -ENOENT when the cookie is not valid, another -errno when the
 * connection could not be opened (-EEXIST: another CPU opened it).
 */
int sg_proxy_open(struct sg_net *sn, const struct sg_config *cfg,
		  const struct sg_policy *pol, const struct sg_key *key,
		  u32 hash, const struct sg_tcp *t, struct sg_listener *l,
		  int iif, bool local, const struct sk_buff *skb);

/*
 * The early hook's part, before conntrack, for a packet of a proxied
 * connection (@dir relative to the client) seen at @hook: the client's
 * segments are translated into the server's sequence space and tracked,
 * so that conntrack too sees the connection in the server's space; the
 * server's are left to sg_proxy_reply(). Returns the verdict.
 */
unsigned int sg_proxy_packet(struct sg_net *sn, const struct sg_config *cfg,
			     const struct sg_policy *pol,
			     struct sg_conn *c, enum sg_dir dir,
			     struct sk_buff *skb, unsigned int thoff,
			     struct sg_tcp *t, unsigned int hook);

/*
 * The late hook's part, after conntrack: a segment from the server of a
 * proxied connection. Its SYN-ACK is absorbed (conntrack has seen it),
 * the rest stepped in the server's space and translated into the
 * client's. Returns the verdict; for NF_STOLEN the skb has been consumed.
 */
unsigned int sg_proxy_reply(struct sg_net *sn, const struct sg_config *cfg,
			    const struct sg_policy *pol, struct sg_conn *c,
			    struct sk_buff *skb, unsigned int thoff,
			    struct sg_tcp *t);

/*
 * Whether @t is synguard's SYN to the server coming back through the
 * receive path (or the client's own SYN again, which it copies).
 */
static inline bool sg_proxy_own_syn(const struct sg_conn *c, enum sg_dir dir,
				    const struct sg_tcp *t)
{
	return dir == SG_DIR_ORIG && READ_ONCE(c->px.phase) == SG_PX_SYN &&
	       sg_tcp_class(t->flags) == SG_SEG_SYN &&
	       t->seq == READ_ONCE(c->tr.isn[SG_DIR_ORIG]);
}

/*
 * An ICMP error quoting a TCP segment: @key holds the quoted segment's
 * addresses (ports are read here), the quoted TCP header starts at
 * @toff, the ICMP checksum is at @csum_off. If the segment is the
 * server's, on an open proxied connection, its sequence number is in the
 * client's space: put it back in the server's. The verdict.
 */
unsigned int sg_proxy_icmp(struct sg_net *sn, struct sk_buff *skb,
			   struct sg_key *key, unsigned int toff,
			   unsigned int csum_off);

#endif /* _SYNGUARD_PROXY_H */
