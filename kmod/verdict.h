/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What to do with a packet: pure decisions. The hooks gather what they
 * know about a segment into the small fact structures below, ask one of
 * these functions, and act on the answer; nothing here touches a packet,
 * a table or a counter. Built into the module and into the userspace
 * unit tests and fuzzers through pure.h, where the invariants are
 * checked for every input (tests/unit/test_verdict.c,
 * tests/fuzz/fuzz_verdict.c):
 *
 *   - mode observe never drops, but for IPv6 packets with IPv4-mapped
 *     addresses, which Linux itself never accepts; mode off is never
 *     asked;
 *   - every drop names its counter, and every counter a verdict names is
 *     counted once;
 *   - a pure SYN to a protected service in mode enforce that is past a
 *     limit is never tracked or passed: it is answered with a cookie,
 *     which needs no state, or dropped;
 *   - a table or listener table that is full never lets a protected SYN
 *     through untracked.
 */
#ifndef _SYNGUARD_VERDICT_H
#define _SYNGUARD_VERDICT_H

#include "pure.h"
#include "tcp.h"
#include "uapi/linux/synguard.h"

/* Values of the cookies knob. */
enum sg_cookies {
	SG_COOKIES_NEVER,		/* past a limit, drop the SYN */
	SG_COOKIES_ON_PRESSURE,		/* past a limit, answer with a cookie */
	SG_COOKIES_ALWAYS,		/* answer every SYN with a cookie */
};

/*
 * Cookies engage when a listener's half-open count reaches syn_backlog or
 * its local socket's queues are SG_FILL_ON percent full, and disengage
 * when the count is back under half of syn_backlog and the queues under
 * SG_FILL_OFF percent.
 */
#define SG_FILL_ON	75
#define SG_FILL_OFF	25

/* The knobs that decide what happens to a packet, resolved once. */
struct sg_policy {
	u32 mode, cookies, syn_backlog, src_backlog, mss, wscale;
	u32 sack, timestamps;	/* offered to clients in cookie SYN-ACKs */
	bool rfc1337, rfc6191;
	bool protected;		/* a service, or the namespace in enforce */
	bool in_grace;		/* pickup_grace is not over */
};

/* What to do. */
enum sg_act {
	SG_ACT_PASS,		/* let it through untracked */
	SG_ACT_TRACK,		/* go on: track it (create an entry if none) */
	SG_ACT_DROP,		/* drop it */
	SG_ACT_COOKIE,		/* answer the SYN with a cookie, consume it */
	SG_ACT_CHECK_COOKIE,	/* an ACK that may return a cookie: check it */
	SG_ACT_REOPEN,		/* forget the finished entry; a new one starts */
};

#define SG_VERDICT_COUNTS	3
#define SG_NO_COUNTER		(-1)

/*
 * A decision: the act and the counters to bump (SG_NO_COUNTER for none).
 * For SG_ACT_DROP, the first counter is the reason and "dropped" is among
 * them.
 */
struct sg_verdict {
	enum sg_act act;
	int count[SG_VERDICT_COUNTS];	/* enum synguard_counter */
};

/* What is known of a segment before any table is looked at. */
struct sg_seg_facts {
	bool inbound;		/* PRE_ROUTING: may be for a protected service */
	bool fragment;		/* part of a fragmented datagram */
	bool first_fragment;	/* its first part: the TCP header is in it */
	bool v4mapped;		/* IPv6 with an IPv4-mapped address */
	bool bad_checksum;
	enum sg_parse_err parse;
	enum sg_flags_verdict flags;
	bool opt_odd;		/* options Linux skips or stops at */
};

/*
 * The first decision, before the connection is looked up: PASS, DROP or
 * TRACK. @pol is the policy of the segment's destination where its ports
 * could be read, else the namespace's.
 */
struct sg_verdict sg_verdict_segment(const struct sg_policy *pol,
				     const struct sg_seg_facts *f);

/* An existing entry, as the packet that matched it finds it. */
struct sg_entry_facts {
	u8 state;		/* enum synguard_state */
	/* A connection picked up mid-way, only one side ever heard from. */
	bool unassured;
	bool proxied;
	bool may_reopen;	/* RFC 6191: a SYN newer than the old connection */
	enum sg_seg_class seg;
};

/* TRACK, REOPEN (then as if there were no entry) or DROP. */
struct sg_verdict sg_verdict_entry(const struct sg_policy *pol,
				   const struct sg_entry_facts *f);

/* A pure SYN to a protected service with no entry. */
struct sg_syn_facts {
	bool listener;		/* a listener record; none if its table is full */
	bool cookies_on;	/* the listener answers with cookies now */
	u32 half_open;		/* the listener's */
	int fill;		/* its local socket's queues, percent; -1: none */
	u32 src_half_open;	/* the source's */
	u32 table_half_open;
	u32 half_open_max;
};

/*
 * Whether the listener is under pressure: answering SYNs with cookies,
 * with hysteresis.
 */
bool sg_pressure(const struct sg_policy *pol, const struct sg_syn_facts *f);

/* Whether sg_pressure() needs the fill of the local socket's queues. */
static inline bool sg_pressure_needs_fill(const struct sg_policy *pol)
{
	return pol->cookies != SG_COOKIES_ALWAYS;
}

/*
 * TRACK (a new entry), COOKIE or DROP; @pressure is sg_pressure()'s
 * answer. @table_full says that a new entry could not be made (then the
 * SYN is answered or dropped in mode enforce, never let through).
 */
struct sg_verdict sg_verdict_syn(const struct sg_policy *pol,
				 const struct sg_syn_facts *f, bool pressure,
				 bool table_full);

/* A segment other than a pure SYN, to a protected service, with no entry. */
struct sg_orphan_facts {
	enum sg_seg_class seg;
	bool pure_ack;		/* ACK only: the one that may return a cookie */
	bool cookies_recent;	/* cookies sent for its listener lately */
	bool shared_secret;	/* hosts sharing the secret send them too */
	bool cookie_checked;	/* and this ACK's did not validate */
	bool local_socket;	/* a local socket owns the tuple */
	bool local_listener;	/* a local socket listens for it */
	bool table_full;	/* picking it up found no room */
};

/*
 * CHECK_COOKIE (ask again with cookie_checked if it fails), TRACK (pick
 * the connection up), PASS, or DROP; asked again with table_full when a
 * pick-up found no room.
 */
struct sg_verdict sg_verdict_orphan(const struct sg_policy *pol,
				    const struct sg_orphan_facts *f);

/*
 * After an entry was stepped (SG_STEP_* flags): PASS, or DROP for a
 * segment outside the window or a SYN that does not fit, when enforcing.
 */
struct sg_verdict sg_verdict_step(const struct sg_policy *pol,
				  unsigned int steps, enum sg_seg_class seg);

/* How a cookie SYN-ACK may leave: what the hook knows of the SYN. */
struct sg_inplace_facts {
	u32 mode;		/* synack_inplace */
	bool ingress;		/* it came in from a device (prerouting) */
	bool ether;		/* an Ethernet device, for this host, with its
				 * Ethernet header right before the IP one
				 */
	bool plain;		/* IPv4 without options, IPv6 without
				 * extension headers
				 */
	bool l3mdev;		/* the device is a VRF or enslaved to one */
	bool ipsec;		/* it came by IPsec, or xfrm policies exist */
};

enum sg_inplace {
	SG_INPLACE_NO,		/* built anew and routed */
	SG_INPLACE_IF_ROUTED,	/* in place if the route agrees, else routed */
	SG_INPLACE_YES,		/* in place */
};

enum sg_inplace sg_verdict_inplace(const struct sg_inplace_facts *f);

#endif /* _SYNGUARD_VERDICT_H */
