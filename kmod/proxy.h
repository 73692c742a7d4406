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
#include "tcp.h"

struct sg_net;
struct sg_config;
struct sg_policy;
struct sg_listener;
struct sg_key;
struct sg_conn;

int sg_proxy_init(struct sg_net *sn);
void sg_proxy_exit(struct sg_net *sn);

/*
 * Answer a client's SYN (@key from client to server) with a cookie, for
 * listener @l (NULL when it has no record). Returns the verdict for the
 * SYN: it never reaches the server.
 */
unsigned int sg_proxy_answer(struct sg_net *sn, const struct sg_config *cfg,
			     const struct sg_policy *pol,
			     struct sg_listener *l, const struct sg_key *key,
			     const struct sg_tcp *t);

/*
 * A client's ACK that matched no connection: if it returns a valid
 * cookie, open the connection to the server. 0 when it did (the ACK is
 * consumed), -ENOENT when the cookie is not valid, another -errno when
 * the connection could not be opened (-EEXIST: another CPU opened it).
 */
int sg_proxy_open(struct sg_net *sn, const struct sg_config *cfg,
		  const struct sg_policy *pol, const struct sg_key *key,
		  u32 hash, const struct sg_tcp *t, struct sg_listener *l);

/*
 * A packet of a proxied connection, @dir relative to the client: track
 * it, translate it, or absorb it. Tracking is in the server's sequence
 * space, so the server's packets are stepped before translation and the
 * client's after. Returns the verdict; for NF_STOLEN the skb has been
 * consumed.
 */
unsigned int sg_proxy_packet(struct sg_net *sn, const struct sg_config *cfg,
			     const struct sg_policy *pol,
			     struct sg_conn *c, enum sg_dir dir,
			     struct sk_buff *skb, unsigned int thoff,
			     struct sg_tcp *t);

#endif /* _SYNGUARD_PROXY_H */
