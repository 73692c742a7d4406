/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP connection state machine as a middlebox sees it. Pure logic:
 * built into the module and into the userspace unit tests and fuzzers.
 *
 * The machine is driven by validated segments (see tcp.h) and knows
 * nothing about time: expiry is the table's job, using the timeout the
 * state maps to.
 */
#ifndef _SYNGUARD_STATE_H
#define _SYNGUARD_STATE_H

#include "pure.h"
#include "tcp.h"
#include "uapi/linux/synguard.h"

/* Direction of a segment relative to the connection's initiator. */
enum sg_dir {
	SG_DIR_ORIG,		/* from the initiator (the client) */
	SG_DIR_REPLY,		/* from the responder (the server) */
};

/*
 * Per-connection TCP tracking state; kept small, it lives in every entry.
 *
 * The window fields follow conntrack's (nf_conntrack_proto_tcp.c, after
 * Rozycki's "Real Stateful TCP Packet Filtering in IP Filter"): for each
 * direction, how far its sender has sent, how far the receiver's window
 * lets it send, and the largest window it advertised.
 */
struct sg_track {
	/*
	 * The window fields come first: the kernel overlays their 16 bytes
	 * with an RCU head once an entry is unlinked (table.h), and only a
	 * holder of the entry's lock, having seen it live, reads them.
	 */
	u32 maxend[2];		/* furthest seq the peer's window allows */
	u32 maxwin[2];		/* largest window advertised, scaled; 0: none */
	u32 isn[2];		/* initial sequence number, per direction */
	/*
	 * Seq just past the furthest segment sent, per direction. It stops
	 * at a FIN: once one is seen it is where that FIN ends. Until the
	 * handshake is over, end[SG_DIR_ORIG] is just past the initiator's
	 * SYN and any Fast Open data it carried: what a SYN-ACK may
	 * acknowledge.
	 */
	u32 end[2];
	u8 state;		/* enum synguard_state */
	u8 closer:2;		/* enum synguard_closer: who sent the first FIN */
	u8 active:2;		/* SG_ACTIVE_*: who will end in TIME_WAIT */
	u8 seen;		/* SG_SEEN_* */
	u8 wscale;		/* a nibble per direction, ORIG low; see below */
};

/* A direction's nibble in wscale when its SYN carried no window scale. */
#define SG_WS_NONE		0xf

#define SG_SEEN_SYN_ORIG	BIT(0)	/* isn[ORIG] valid */
#define SG_SEEN_SYN_REPLY	BIT(1)	/* isn[REPLY] valid */
#define SG_SEEN_FIN_ORIG	BIT(2)
#define SG_SEEN_FIN_REPLY	BIT(3)
#define SG_SEEN_FINACK_ORIG	BIT(4)	/* FIN from ORIG was acknowledged */
#define SG_SEEN_FINACK_REPLY	BIT(5)
#define SG_SEEN_PICKED_UP	BIT(6)	/* tracking began mid-connection */
#define SG_SEEN_SIMOPEN		BIT(7)	/* simultaneous open: a SYN from REPLY */

/*
 * Sides that closed actively: their FIN did not acknowledge the peer's,
 * so they go through FIN_WAIT_1 and end in TIME_WAIT. The side that
 * sends the first FIN always does; when the FINs cross, both do.
 */
#define SG_ACTIVE_ORIG		BIT(0)
#define SG_ACTIVE_REPLY		BIT(1)

/* What a step did, besides changing the state. */
#define SG_STEP_NEW		BIT(0)	/* a new connection began (SYN) */
#define SG_STEP_HANDSHAKE	BIT(1)	/* syn_recv -> established */
#define SG_STEP_REOPEN		BIT(2)	/* SYN reused a time_wait/close tuple */
#define SG_STEP_OUT_OF_STATE	BIT(3)	/* segment did not fit; state kept */
#define SG_STEP_FIRST_FIN	BIT(4)	/* closer was just decided */
#define SG_STEP_OUT_OF_WINDOW	BIT(5)	/* outside the window; nothing kept */
#define SG_STEP_SIMULTANEOUS	BIT(6)	/* the second FIN closed actively too */

/*
 * One side's socket state, as its own TCP stack (and ss) names it, from
 * what the wire showed reached it. The handshake is not split by side.
 */
enum sg_side {
	SG_SIDE_HANDSHAKE,	/* syn_sent or syn_recv (or none) */
	SG_SIDE_ESTABLISHED,
	SG_SIDE_FIN_WAIT_1,	/* closed first, its FIN not acknowledged */
	SG_SIDE_FIN_WAIT_2,	/* closed first, its FIN acknowledged */
	SG_SIDE_CLOSING,	/* closed actively, got the peer's FIN first */
	SG_SIDE_TIME_WAIT,
	SG_SIDE_CLOSE_WAIT,	/* got the peer's FIN, has not closed */
	SG_SIDE_LAST_ACK,	/* closed after the peer, not acknowledged */
	SG_SIDE_CLOSED,		/* closed after the peer and acknowledged, or reset */
};

/*
 * Start tracking a connection whose first segment is @t, sent in
 * direction SG_DIR_ORIG by definition. A SYN (without ACK) starts in
 * syn_sent; any other segment picks up a connection already under way
 * (state established, or the closing state its FIN implies) and sets
 * SG_SEEN_PICKED_UP. Returns SG_STEP_* flags.
 */
unsigned int sg_track_init(struct sg_track *tr, const struct sg_tcp *t);

/*
 * Advance @tr by the segment @t travelling in direction @dir. Flags must
 * already have passed sg_tcp_check_flags(). Returns SG_STEP_* flags.
 *
 * Once both sides' SYNs were seen, every later segment must also lie in
 * the window: its sequence numbers within what the receiver allowed, its
 * acknowledgment within what the receiver sent. One that does not is
 * SG_STEP_OUT_OF_WINDOW and changes nothing, RSTs included (RFC 5961).
 * Connections picked up mid-way are not checked: their window scale is
 * unknown.
 */
unsigned int sg_track_step(struct sg_track *tr, enum sg_dir dir,
			   const struct sg_tcp *t);

/* The state of the side that sends in direction @dir; enum sg_side. */
u8 sg_track_side(const struct sg_track *tr, enum sg_dir dir);

/* Name of a state, as the CLI and JSON print it ("syn_sent", ...). */
const char *sg_state_name(unsigned int state);

#endif /* _SYNGUARD_STATE_H */
