/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * synguard: TCP handshake and teardown guard, generic netlink interface.
 *
 * This header is the contract between the synguard module and its
 * clients. It is the only place that defines commands, attributes,
 * knobs, counters and connection states; the module, the synguard tool,
 * Documentation/ and the man page are all derived from the tables below.
 *
 * The family is named SYNGUARD_GENL_NAME and is version
 * SYNGUARD_GENL_VERSION. Every command acts on the network namespace of
 * the requesting socket (the family is netns aware). SET_CONFIG, a stats
 * reset, GET_LISTENERS, GET_CONNS, GET_SERVICES, ADD_SERVICE,
 * DEL_SERVICE and subscribing to events (which carry listener addresses
 * and counts) require CAP_NET_ADMIN in the user namespace owning that
 * network namespace; GET_CONFIG and GET_STATS do not. In a network
 * namespace owned by a non-initial user namespace, SET_CONFIG refuses a
 * max_conns above the module parameter userns_max_conns (EPERM).
 *
 * Inside the SYNGUARD_A_CONFIG, SYNGUARD_A_STATS and SYNGUARD_L_A_COUNTS
 * nests, attribute type 0 is padding for 64-bit alignment: clients skip
 * it. The family's version (SYNGUARD_GENL_VERSION, also reported by the
 * generic netlink controller) is the same number as SYNGUARD_A_VERSION.
 *
 * SYNGUARD_CMD_GET_CONFIG (doit)
 *   Request: no attributes.
 *   Reply:   SYNGUARD_A_VERSION (u32), SYNGUARD_A_CONFIG (nest), and
 *   SYNGUARD_A_COOKIE_SHARED (flag) when an operator's cookie secret is
 *   in use. The secret itself is never reported.
 *   The SYNGUARD_A_CONFIG nest holds one NLA_U32 per knob; its attribute
 *   type is the knob id plus one (SYNGUARD_KNOB_ATTR()).
 *
 * SYNGUARD_CMD_SET_CONFIG (doit, admin)
 *   Request: SYNGUARD_A_CONFIG (nest) with one or more knobs, and/or
 *   SYNGUARD_A_COOKIE_SECRET: 16 bytes set the operator's cookie secret,
 *   from which hosts sharing it derive the same rotating secrets (epoch =
 *   wall-clock seconds / cookie_rotate), so each validates the others'
 *   cookies; an empty attribute returns to random per-namespace secrets.
 *   Every value is checked against the knob's range before any is
 *   applied; the new configuration replaces the old one in a single
 *   step, so a multi-knob set is all or nothing. Unknown knob attributes
 *   are rejected. A rejection carries an extended ack message naming the
 *   offending attribute.
 *
 * SYNGUARD_CMD_GET_STATS (doit)
 *   Request: optional SYNGUARD_A_FLAGS (u32) with SYNGUARD_F_RESET to read
 *   and zero the counters in one step (admin only). Gauges are never
 *   zeroed.
 *   Reply:   SYNGUARD_A_STATS (nest) with one NLA_U64 per counter; its
 *   attribute type is the counter id plus one (SYNGUARD_CNT_ATTR()).
 *   Clients must skip counter attributes they do not know: newer modules
 *   may add counters at the end of the table.
 *
 * SYNGUARD_CMD_GET_LISTENERS (dump, admin)
 *   One message per listener, each with a SYNGUARD_A_LISTENER nest of
 *   SYNGUARD_L_A_* attributes. A listener is the responder side of a
 *   tracked connection: (local address, port) of whoever answered the
 *   SYN. The counts accept_queue, accept_queue_max and listen_drops are
 *   read from the local listening socket when the dump runs, and are
 *   absent from the counts nest (of events too) when there is none.
 *
 * SYNGUARD_CMD_GET_CONNS (dump, admin)
 *   Request: optional SYNGUARD_A_FILTER_STATE (u8, enum synguard_state;
 *   SYNGUARD_STATE_NONE matches nothing, as no entry is in it) and
 *   SYNGUARD_A_FILTER_PORT (u16, 1..65535, matches either port).
 *   One message per connection, each with a SYNGUARD_A_CONN nest of
 *   SYNGUARD_C_A_* attributes. Dumps are resumable: a stable table is
 *   listed without skipping or repeating entries; if the table changed
 *   during a dump the messages carry NLM_F_DUMP_INTR.
 *
 * SYNGUARD_CMD_EVENT (multicast on SYNGUARD_MCGRP_EVENTS)
 *   SYNGUARD_A_EVENT (u32, enum synguard_event) and, where it applies,
 *   SYNGUARD_A_LISTENER. A config event says only that the configuration
 *   changed; read it with GET_CONFIG. Events are rate limited per namespace; events
 *   suppressed by the limit are counted (events_suppressed).
 *
 * SYNGUARD_CMD_ADD_SERVICE (doit, admin)
 *   Request: SYNGUARD_A_SERVICE with SYNGUARD_S_A_ADDR, _PREFIX,
 *   _PORT_MIN, _PORT_MAX and optionally _CONFIG, a nest of overrides for
 *   the knobs in SYNGUARD_SERVICE_KNOBS (same format as
 *   SYNGUARD_A_CONFIG). Rejected with an extended ack message when host
 *   bits are set in the address, PORT_MIN > PORT_MAX, the service
 *   duplicates or overlaps an existing one (prefixes that intersect and
 *   port ranges that intersect), or a knob cannot be overridden; ENOSPC
 *   when the namespace has 256 services already.
 *
 * SYNGUARD_CMD_DEL_SERVICE (doit, admin)
 *   Request: SYNGUARD_A_SERVICE with the same ADDR, PREFIX, PORT_MIN and
 *   PORT_MAX as when it was added; ENOENT when there is no such service.
 *   Connections already proxied keep being translated.
 *
 * SYNGUARD_CMD_GET_SERVICES (dump, admin)
 *   One message per service, each with a SYNGUARD_A_SERVICE nest whose
 *   _CONFIG holds only the knobs the service overrides.
 *
 * Addresses are carried as 16 bytes: IPv6 addresses as they are, IPv4
 * addresses as IPv4-mapped IPv6 addresses (::ffff:a.b.c.d). Ports are in
 * host byte order.
 */
#ifndef _UAPI_LINUX_SYNGUARD_H
#define _UAPI_LINUX_SYNGUARD_H

#include <linux/types.h>

#define SYNGUARD_GENL_NAME	"synguard"
#define SYNGUARD_GENL_VERSION	1
#define SYNGUARD_MCGRP_EVENTS	"events"

enum synguard_cmd {
	SYNGUARD_CMD_UNSPEC,
	SYNGUARD_CMD_GET_CONFIG,
	SYNGUARD_CMD_SET_CONFIG,
	SYNGUARD_CMD_GET_STATS,
	SYNGUARD_CMD_GET_LISTENERS,
	SYNGUARD_CMD_GET_CONNS,
	SYNGUARD_CMD_EVENT,
	SYNGUARD_CMD_ADD_SERVICE,
	SYNGUARD_CMD_DEL_SERVICE,
	SYNGUARD_CMD_GET_SERVICES,
	__SYNGUARD_CMD_MAX
};

#define SYNGUARD_CMD_MAX (__SYNGUARD_CMD_MAX - 1)

enum synguard_attr {
	SYNGUARD_A_UNSPEC,
	SYNGUARD_A_VERSION,		/* u32: SYNGUARD_GENL_VERSION */
	SYNGUARD_A_CONFIG,		/* nest: knob attributes */
	SYNGUARD_A_STATS,		/* nest: counter attributes */
	SYNGUARD_A_FLAGS,		/* u32: SYNGUARD_F_* */
	SYNGUARD_A_LISTENER,		/* nest: SYNGUARD_L_A_* */
	SYNGUARD_A_CONN,		/* nest: SYNGUARD_C_A_* */
	SYNGUARD_A_FILTER_STATE,	/* u8: enum synguard_state */
	SYNGUARD_A_FILTER_PORT,		/* u16 */
	SYNGUARD_A_EVENT,		/* u32: enum synguard_event */
	SYNGUARD_A_PAD,
	SYNGUARD_A_SERVICE,		/* nest: SYNGUARD_S_A_* */
	SYNGUARD_A_COOKIE_SECRET,	/* binary, 16 bytes; or empty */
	SYNGUARD_A_COOKIE_SHARED,	/* flag */
	__SYNGUARD_A_MAX
};

#define SYNGUARD_A_MAX (__SYNGUARD_A_MAX - 1)

enum synguard_flags {
	SYNGUARD_F_RESET = 1U << 0,
	__SYNGUARD_F_ALL = SYNGUARD_F_RESET
};

/*
 * A protected service, nested in SYNGUARD_A_SERVICE: destinations
 * (prefix and port range) whose inbound TCP synguard enforces, with knob
 * overrides. IPv4 prefixes are IPv4-mapped: 192.0.2.0/24 is
 * ::ffff:192.0.2.0/120; prefix length 0 matches every address of both
 * families.
 */
enum synguard_service_attr {
	SYNGUARD_S_A_UNSPEC,
	SYNGUARD_S_A_ADDR,		/* binary, 16 bytes; host bits clear */
	SYNGUARD_S_A_PREFIX,		/* u8, 0..128 */
	SYNGUARD_S_A_PORT_MIN,		/* u16, 1..65535 */
	SYNGUARD_S_A_PORT_MAX,		/* u16, PORT_MIN..65535 */
	SYNGUARD_S_A_CONFIG,		/* nest: knob overrides (service knobs) */
	__SYNGUARD_S_A_MAX
};

#define SYNGUARD_S_A_MAX (__SYNGUARD_S_A_MAX - 1)

/* Per-listener attributes, nested in SYNGUARD_A_LISTENER. */
enum synguard_listener_attr {
	SYNGUARD_L_A_UNSPEC,
	SYNGUARD_L_A_ADDR,		/* binary, 16 bytes */
	SYNGUARD_L_A_PORT,		/* u16 */
	SYNGUARD_L_A_COUNTS,		/* nest: one u64 per SYNGUARD_LC_* + 1 */
	SYNGUARD_L_A_PAD,
	__SYNGUARD_L_A_MAX
};

#define SYNGUARD_L_A_MAX (__SYNGUARD_L_A_MAX - 1)

/* Per-connection attributes, nested in SYNGUARD_A_CONN. */
enum synguard_conn_attr {
	SYNGUARD_C_A_UNSPEC,
	SYNGUARD_C_A_SRC,		/* binary, 16 bytes: initiator */
	SYNGUARD_C_A_DST,		/* binary, 16 bytes: responder */
	SYNGUARD_C_A_SPORT,		/* u16 */
	SYNGUARD_C_A_DPORT,		/* u16 */
	SYNGUARD_C_A_STATE,		/* u8: enum synguard_state */
	SYNGUARD_C_A_CLOSER,		/* u8: enum synguard_closer */
	SYNGUARD_C_A_EXPIRES,		/* u32: seconds until the entry expires */
	SYNGUARD_C_A_PICKED_UP,		/* flag: first seen mid-connection */
	SYNGUARD_C_A_AGE,		/* u32: seconds since the connection, or
					 * its server's socket, last changed
					 * state
					 */
	__SYNGUARD_C_A_MAX
};

#define SYNGUARD_C_A_MAX (__SYNGUARD_C_A_MAX - 1)

/*
 * Connection states as a middlebox sees them.
 * X(ID, name, description)
 */
#define SYNGUARD_STATES(X)						\
	X(NONE, none, "no packet seen yet")				\
	X(SYN_SENT, syn_sent, "SYN seen, no SYN-ACK yet")		\
	X(SYN_RECV, syn_recv, "SYN-ACK seen, handshake not completed")	\
	X(ESTABLISHED, established, "handshake completed")		\
	X(FIN_WAIT, fin_wait, "one side sent FIN, not yet acknowledged") \
	X(CLOSE_WAIT, close_wait,					\
	  "first FIN acknowledged, the other side has not closed")	\
	X(LAST_ACK, last_ack, "both sides sent FIN, not all acknowledged") \
	X(TIME_WAIT, time_wait, "both FINs acknowledged")		\
	X(CLOSE, close, "reset")

#define SYNGUARD_STATE_ENUM(id, name, desc) SYNGUARD_STATE_##id,
enum synguard_state {
	SYNGUARD_STATES(SYNGUARD_STATE_ENUM)
	__SYNGUARD_STATE_MAX
};

#undef SYNGUARD_STATE_ENUM

/* Which side sent the first FIN. X(ID, name, description) */
#define SYNGUARD_CLOSERS(X)						\
	X(NONE, none, "no FIN seen yet")				\
	X(CLIENT, client, "the initiator sent the first FIN")		\
	X(SERVER, server, "the responder sent the first FIN")

#define SYNGUARD_CLOSER_ENUM(id, name, desc) SYNGUARD_CLOSER_##id,
enum synguard_closer {
	SYNGUARD_CLOSERS(SYNGUARD_CLOSER_ENUM)
	__SYNGUARD_CLOSER_MAX
};

#undef SYNGUARD_CLOSER_ENUM

/* Values of the mode knob. X(ID, name) */
#define SYNGUARD_MODES(X)						\
	X(OFF, off)							\
	X(OBSERVE, observe)						\
	X(ENFORCE, enforce)

#define SYNGUARD_MODE_ENUM(id, name) SYNGUARD_MODE_##id,
enum synguard_mode {
	SYNGUARD_MODES(SYNGUARD_MODE_ENUM)
	__SYNGUARD_MODE_MAX
};

#undef SYNGUARD_MODE_ENUM

/*
 * How a knob's u32 value is read and written by humans.
 * X(ID, name, description)
 */
#define SYNGUARD_KNOB_TYPES(X)						\
	X(U32, u32, "a plain number")					\
	X(SECS, seconds, "a number of seconds")				\
	X(MODE, mode, "enum synguard_mode, by name")

#define SYNGUARD_KT_ENUM(id, name, desc) SYNGUARD_KT_##id,
enum synguard_knob_type {
	SYNGUARD_KNOB_TYPES(SYNGUARD_KT_ENUM)
	__SYNGUARD_KT_MAX
};

#undef SYNGUARD_KT_ENUM

/*
 * Knobs, per network namespace. A new namespace starts from the defaults.
 * X(ID, name, type, min, max, default, description)
 */
#define SYNGUARD_KNOBS(X)						\
	X(MODE, mode, SYNGUARD_KT_MODE, SYNGUARD_MODE_OFF,		\
	  __SYNGUARD_MODE_MAX - 1, SYNGUARD_MODE_OBSERVE,		\
	  "off: packets are not inspected; observe: track and count, drop "	\
	  "nothing; enforce: also drop packets with invalid flags or a "	\
	  "malformed TCP header") \
	X(MAX_CONNS, max_conns, SYNGUARD_KT_U32, 1, 16777216, 262144,	\
	  "most connection entries tracked in this namespace, and most " \
	  "listener records (an eighth of them kept for protected "	\
	  "services); new connections beyond it are counted in "	\
	  "table_full and not tracked") \
	X(SYN_TIMEOUT, syn_timeout, SYNGUARD_KT_SECS, 1, 600, 60,	\
	  "seconds a handshake may stay in syn_sent or syn_recv before it "	\
	  "counts as timed out and is removed") \
	X(SYN_BACKLOG, syn_backlog, SYNGUARD_KT_U32, 1, 16777216, 1024,	\
	  "half-open connections (half_open and syn_unanswered) a "	\
	  "listener may have before synguard "	\
	  "reports a backlog overflow (backlog_overflows and an event); "	\
	  "the listener is back to normal once its half-open count falls "	\
	  "to half of it") \
	X(EST_TIMEOUT, est_timeout, SYNGUARD_KT_SECS, 10, 1728000, 432000, \
	  "seconds an established connection may stay idle before it is "	\
	  "removed") \
	X(FIN_TIMEOUT, fin_timeout, SYNGUARD_KT_SECS, 1, 3600, 120,	\
	  "seconds a connection may stay in fin_wait or last_ack") \
	X(CLOSE_WAIT_TIMEOUT, close_wait_timeout, SYNGUARD_KT_SECS, 1, 1728000, 432000, \
	  "seconds a connection may stay in close_wait; long by default so "	\
	  "that sockets an application never closes stay visible") \
	X(TW_TIMEOUT, tw_timeout, SYNGUARD_KT_SECS, 1, 600, 60,	\
	  "seconds a connection stays in time_wait (Linux's "	\
	  "TCP_TIMEWAIT_LEN is 60)") \
	X(CLOSE_TIMEOUT, close_timeout, SYNGUARD_KT_SECS, 1, 600, 10,	\
	  "seconds a reset connection stays in close") \
	X(LISTENER_TIMEOUT, listener_timeout, SYNGUARD_KT_SECS, 1, 86400, 300, \
	  "seconds a listener with no tracked connections keeps its "	\
	  "counters before it is removed") \
	X(COOKIES, cookies, SYNGUARD_KT_U32, 0, 2, 1,			\
	  "what a protected service does with a SYN past a half-open "	\
	  "limit: 0 drop it, 1 answer it with a SYN cookie, 2 answer "	\
	  "every SYN with a cookie") \
	X(SRC_BACKLOG, src_backlog, SYNGUARD_KT_U32, 1, 16777216, 64,	\
	  "half-open connections one source (an IPv4 address or an IPv6 "	\
	  "/64) may have to a protected service before its SYNs are "	\
	  "past the limit") \
	X(HALF_OPEN_MAX, half_open_max, SYNGUARD_KT_U32, 1, 16777216, 65536, \
	  "half-open connections the whole table may hold before SYNs to "	\
	  "protected services are past the limit") \
	X(SYNACK_RATE, synack_rate, SYNGUARD_KT_U32, 1, 100000000, 200000, \
	  "most cookie SYN-ACKs sent per second in this namespace, so "	\
	  "that synguard cannot be used to reflect a flood; SYNs beyond "	\
	  "it are dropped") \
	X(COOKIE_ROTATE, cookie_rotate, SYNGUARD_KT_SECS, 1, 3600, 60,	\
	  "seconds between cookie secret rotations; a cookie stays valid "	\
	  "for one to two periods") \
	X(MSS, mss, SYNGUARD_KT_U32, 0, 65535, 0,			\
	  "MSS synguard announces in its cookie SYN-ACKs; 0 announces "	\
	  "1460 for IPv4 and 1440 for IPv6 (an Ethernet path): set it "	\
	  "when the server's path is narrower") \
	X(WSCALE, wscale, SYNGUARD_KT_U32, 0, 15, 15,		\
	  "window scale synguard announces in its cookie SYN-ACKs, and "	\
	  "the scale of the server's windows the client then sees; 15 "	\
	  "announces 7, Linux's default") \
	X(PICKUP_GRACE, pickup_grace, SYNGUARD_KT_SECS, 0, 86400, 60,	\
	  "seconds after a service is added during which packets of "	\
	  "connections synguard never saw are picked up rather than "	\
	  "dropped, for a server with no local listener; a local "	\
	  "server's own sockets tell its older connections") \
	X(TW_MAX, tw_max, SYNGUARD_KT_U32, 1, 16777216, 262144,	\
	  "most connections kept in time_wait; one that reaches time_wait "	\
	  "beyond it is removed at once (tw_overflow)") \
	X(RFC1337, rfc1337, SYNGUARD_KT_U32, 0, 1, 1,		\
	  "1: a protected service in mode enforce drops RSTs aimed at a "	\
	  "connection in time_wait (RFC 1337, TIME-WAIT assassination)") \
	X(RFC6191, rfc6191, SYNGUARD_KT_U32, 0, 1, 1,		\
	  "1: a protected service in mode enforce lets a SYN reopen a "	\
	  "tuple in time_wait only with a newer timestamp, or without "	\
	  "timestamps a sequence number past the old connection's (RFC "	\
	  "6191)") \
	X(EVENT_RATE, event_rate, SYNGUARD_KT_U32, 0, 100000, 10,	\
	  "most events multicast per second; 0 disables events")	\
	X(PICKUP_TIMEOUT, pickup_timeout, SYNGUARD_KT_SECS, 1, 1728000, 300, \
	  "seconds a connection picked up mid-way is kept while only one "	\
	  "side has been heard from; once both have, est_timeout applies. "	\
	  "Such entries are also the first removed when the table is full") \
	X(SACK, sack, SYNGUARD_KT_U32, 0, 1, 1,			\
	  "1: synguard's cookie SYN-ACKs offer SACK to clients that offer "	\
	  "it, and its SYN to the server passes the offer on; set 0 for a "	\
	  "server that does not do SACK, so that the client is told what "	\
	  "the server will do (nft synproxy's sack-perm)") \
	X(TIMESTAMPS, timestamps, SYNGUARD_KT_U32, 0, 1, 1,		\
	  "1: synguard's cookie SYN-ACKs offer TCP timestamps to clients "	\
	  "that offer them; set 0 for a server without timestamps, so "	\
	  "that the client does not send them to a server that never "	\
	  "answers with its own (nft synproxy's timestamp)") \
	X(SYNACK_INPLACE, synack_inplace, SYNGUARD_KT_U32, 0, 2, 0,	\
	  "how a cookie SYN-ACK leaves: 0 built anew and routed as local "	\
	  "output; 1 made from the SYN itself and sent back out of the "	\
	  "Ethernet device it came in on, to the address it came from, "	\
	  "when the routing table would send it there too (else routed); "	\
	  "2 in place whatever the routing table says, as XDP SYN proxies "	\
	  "do, for hosts whose replies always go back the way they came. "	\
	  "Never in place for a SYN from this host, over a tunnel, in a "	\
	  "VRF, under IPsec, or with IP options")

#define SYNGUARD_KNOB_ENUM(id, name, type, min, max, def, desc)	\
	SYNGUARD_KNOB_##id,
enum synguard_knob {
	SYNGUARD_KNOBS(SYNGUARD_KNOB_ENUM)
	__SYNGUARD_KNOB_MAX
};

#undef SYNGUARD_KNOB_ENUM
#define SYNGUARD_KNOB_ATTR(id)	((id) + 1)

/*
 * Knobs a service may override (in SYNGUARD_S_A_CONFIG). A service's
 * mode defaults to enforce; its other knobs default to the namespace's.
 */
#define SYNGUARD_SERVICE_KNOBS(X)					\
	X(MODE) X(COOKIES) X(SYN_BACKLOG) X(SRC_BACKLOG) X(MSS) X(WSCALE) \
	X(PICKUP_GRACE) X(SACK) X(TIMESTAMPS)

/* Counter kinds: counters only grow (until reset), gauges go both ways. */
enum synguard_counter_kind {
	SYNGUARD_CK_COUNTER,
	SYNGUARD_CK_GAUGE,
};

/*
 * Namespace-wide counters.
 * X(ID, name, kind, exact increment condition)
 */
#define SYNGUARD_COUNTERS(X)						\
	X(PACKETS, packets, SYNGUARD_CK_COUNTER,			\
	  "TCP packets inspected by the hooks while mode is not off")	\
	X(SYN_RECEIVED, syn_received, SYNGUARD_CK_COUNTER,		\
	  "packets with SYN set and ACK clear that passed flag validation, "	\
	  "both directions") \
	X(SYNACK_SEEN, synack_seen, SYNGUARD_CK_COUNTER,		\
	  "packets with SYN and ACK set that passed flag validation, both "	\
	  "directions") \
	X(HANDSHAKES, handshakes, SYNGUARD_CK_COUNTER,		\
	  "connections that moved from syn_recv to established on the ACK "	\
	  "of the SYN-ACK") \
	X(HANDSHAKE_TIMEOUTS, handshake_timeouts, SYNGUARD_CK_COUNTER, \
	  "connections removed after syn_timeout in syn_sent or syn_recv") \
	X(RST_SEEN, rst_seen, SYNGUARD_CK_COUNTER,			\
	  "packets with RST set that passed flag validation")		\
	X(CONNS_CREATED, conns_created, SYNGUARD_CK_COUNTER,		\
	  "connection entries created")					\
	X(CONNS_PICKED_UP, conns_picked_up, SYNGUARD_CK_COUNTER,	\
	  "entries created from a non-SYN packet of a connection already "	\
	  "under way") \
	X(CONNS_EXPIRED, conns_expired, SYNGUARD_CK_COUNTER,		\
	  "entries removed because their state's timeout passed")	\
	X(TW_ENTERED, tw_entered, SYNGUARD_CK_COUNTER,		\
	  "connections that reached time_wait")				\
	X(TW_OVERFLOW, tw_overflow, SYNGUARD_CK_COUNTER,		\
	  "connections removed on reaching time_wait because tw_max "	\
	  "entries were in it") \
	X(TW_RST_DROPPED, tw_rst_dropped, SYNGUARD_CK_COUNTER,	\
	  "RSTs aimed at a connection in time_wait, dropped (rfc1337)") \
	X(TW_SYN_DROPPED, tw_syn_dropped, SYNGUARD_CK_COUNTER,	\
	  "SYNs that would have reopened a tuple in time_wait with an "	\
	  "older timestamp or sequence number, dropped (rfc6191)") \
	X(TW_REUSED, tw_reused, SYNGUARD_CK_COUNTER,			\
	  "SYNs that reopened a 4-tuple in time_wait as a new connection") \
	X(BACKLOG_OVERFLOWS, backlog_overflows, SYNGUARD_CK_COUNTER,	\
	  "times a listener's half-open count rose past syn_backlog "	\
	  "while it was not already overflowing") \
	X(LIMIT_LISTENER, limit_listener, SYNGUARD_CK_COUNTER,	\
	  "SYNs to a protected service whose listener was past "	\
	  "syn_backlog (or whose local socket's SYN queue was three "	\
	  "quarters full)") \
	X(LIMIT_SOURCE, limit_source, SYNGUARD_CK_COUNTER,		\
	  "SYNs to a protected service from a source past src_backlog") \
	X(LIMIT_TABLE, limit_table, SYNGUARD_CK_COUNTER,		\
	  "SYNs to a protected service while the table held "	\
	  "half_open_max half-open connections") \
	X(SYN_DROPPED, syn_dropped, SYNGUARD_CK_COUNTER,		\
	  "SYNs dropped past a limit because cookies is 0")		\
	X(COOKIES_SENT, cookies_sent, SYNGUARD_CK_COUNTER,		\
	  "SYN-ACKs carrying a cookie sent by synguard")		\
	X(FASTOPEN_DECLINED, fastopen_declined, SYNGUARD_CK_COUNTER,	\
	  "SYNs with Fast Open data or a Fast Open option that synguard "	\
	  "answered with a cookie: its SYN-ACK acknowledges the SYN "	\
	  "alone and carries no Fast Open cookie, so the client sends the "	\
	  "data again after the handshake (RFC 7413)") \
	X(SYNACK_RATELIMITED, synack_ratelimited, SYNGUARD_CK_COUNTER, \
	  "SYNs dropped unanswered because synack_rate was reached")	\
	X(COOKIES_VALID, cookies_valid, SYNGUARD_CK_COUNTER,		\
	  "ACKs carrying a valid cookie: connections synguard opened to "	\
	  "the server for the client") \
	X(COOKIES_INVALID, cookies_invalid, SYNGUARD_CK_COUNTER,	\
	  "ACKs to a protected service that matched no connection and "	\
	  "carried no valid cookie") \
	X(NO_CONN, no_conn, SYNGUARD_CK_COUNTER,			\
	  "non-SYN packets to a protected service that matched no "	\
	  "connection, no valid cookie and no local socket; dropped") \
	X(PROXY_EARLY, proxy_early, SYNGUARD_CK_COUNTER,		\
	  "client segments dropped because the server had not yet "	\
	  "answered the SYN synguard sent it; the client retransmits") \
	X(PROXY_SERVER_RST, proxy_server_rst, SYNGUARD_CK_COUNTER,	\
	  "proxied connections the server refused with a RST") \
	X(WOULD_DROP, would_drop, SYNGUARD_CK_COUNTER,		\
	  "packets a service in mode observe would have dropped in mode "	\
	  "enforce") \
	X(TABLE_FULL, table_full, SYNGUARD_CK_COUNTER,		\
	  "new connections not tracked because max_conns entries, or "	\
	  "listener records, exist") \
	X(ALLOC_FAILED, alloc_failed, SYNGUARD_CK_COUNTER,		\
	  "new connections not tracked, or proxied packets dropped, "	\
	  "because memory allocation failed") \
	X(INVALID_FLAGS, invalid_flags, SYNGUARD_CK_COUNTER,		\
	  "packets whose flag combination is invalid; the sum of the "	\
	  "invalid_* counters below") \
	X(INVALID_SYN_FIN, invalid_syn_fin, SYNGUARD_CK_COUNTER,	\
	  "packets with SYN and FIN set")				\
	X(INVALID_SYN_RST, invalid_syn_rst, SYNGUARD_CK_COUNTER,	\
	  "packets with SYN and RST set, FIN clear")			\
	X(INVALID_FIN_NOACK, invalid_fin_noack, SYNGUARD_CK_COUNTER,	\
	  "packets with FIN set and ACK, SYN and RST clear")		\
	X(INVALID_NULL, invalid_null, SYNGUARD_CK_COUNTER,		\
	  "packets with none of FIN, SYN, RST, PSH, ACK, URG set")	\
	X(INVALID_XMAS, invalid_xmas, SYNGUARD_CK_COUNTER,		\
	  "packets with all of FIN, SYN, RST, PSH, ACK, URG set")	\
	X(INVALID_OTHER, invalid_other, SYNGUARD_CK_COUNTER,		\
	  "packets with any other combination conntrack rejects, such as "	\
	  "PSH or URG without ACK, or RST with FIN") \
	X(BAD_CHECKSUM, bad_checksum, SYNGUARD_CK_COUNTER,		\
	  "inbound packets whose TCP checksum is wrong; they are not tracked") \
	X(FRAGMENTS, fragments, SYNGUARD_CK_COUNTER,			\
	  "IP fragments seen before reassembly; they are not tracked, and "	\
	  "first fragments to a protected service are refused "	\
	  "(fragment_dropped)") \
	X(MALFORMED, malformed, SYNGUARD_CK_COUNTER,			\
	  "packets whose TCP header is truncated or has a data offset below "	\
	  "5 or past the packet's end") \
	X(BAD_OPTIONS, bad_options, SYNGUARD_CK_COUNTER,		\
	  "packets with TCP options Linux skips or stops at (a length below "	\
	  "2 or past the header, a known option of the wrong length); they "	\
	  "are not dropped, and their options are read as Linux reads them") \
	X(OUT_OF_STATE, out_of_state, SYNGUARD_CK_COUNTER,		\
	  "valid packets that do not fit their connection's state, such as "	\
	  "a SYN-ACK with no SYN seen or a SYN on an established connection") \
	X(OUT_OF_WINDOW, out_of_window, SYNGUARD_CK_COUNTER,		\
	  "segments outside their connection's window, tracked as conntrack "	\
	  "does: data past what the receiver allowed or older than any "	\
	  "window, or an acknowledgment of data never sent; dropped on a "	\
	  "protected service") \
	X(RST_OUT_OF_WINDOW, rst_out_of_window, SYNGUARD_CK_COUNTER,	\
	  "RSTs outside their connection's window, such as blind resets "	\
	  "with a guessed sequence number (RFC 5961); dropped on a "	\
	  "protected service") \
	X(DROPPED, dropped, SYNGUARD_CK_COUNTER,			\
	  "packets synguard dropped, other than those it consumed on "	\
	  "purpose (SYNs it answered with a cookie, cookie ACKs, server "	\
	  "SYN-ACKs it absorbed); each is also counted under its reason") \
	X(XMIT_FAILED, xmit_failed, SYNGUARD_CK_COUNTER,		\
	  "packets synguard built but could not send, for want of a "	\
	  "route or memory") \
	X(EVENTS_SUPPRESSED, events_suppressed, SYNGUARD_CK_COUNTER,	\
	  "events not multicast because of event_rate")		\
	X(CONNS, conns, SYNGUARD_CK_GAUGE,				\
	  "connection entries now in the table")			\
	X(HALF_OPEN, half_open, SYNGUARD_CK_GAUGE,			\
	  "entries now in syn_sent or syn_recv")			\
	X(ESTABLISHED, established, SYNGUARD_CK_GAUGE,		\
	  "entries now in established")					\
	X(CLOSING, closing, SYNGUARD_CK_GAUGE,			\
	  "entries now in fin_wait, close_wait or last_ack")		\
	X(TIME_WAIT, time_wait, SYNGUARD_CK_GAUGE,			\
	  "entries now in time_wait")					\
	X(PROXIED, proxied, SYNGUARD_CK_GAUGE,			\
	  "entries whose sequence numbers synguard translates")	\
	X(COOKIE_LISTENERS, cookie_listeners, SYNGUARD_CK_GAUGE,	\
	  "listeners answering SYNs with cookies right now")		\
	X(FRAGMENT_DROPPED, fragment_dropped, SYNGUARD_CK_COUNTER,	\
	  "first fragments of TCP segments to a protected service, refused: "	\
	  "a segment cannot be judged before reassembly, and without its "	\
	  "first fragment the rest never reassembles") \
	X(V4MAPPED, v4mapped, SYNGUARD_CK_COUNTER,			\
	  "IPv6 TCP packets with an IPv4-mapped source or destination "	\
	  "address; dropped in every mode but off, never tracked or answered "	\
	  "(Linux never accepts them)") \
	X(EARLY_DROPS, early_drops, SYNGUARD_CK_COUNTER,		\
	  "unassured entries (one side never heard from: a connection "	\
	  "picked up mid-way, or a SYN nobody answered) removed from a full "	\
	  "table to make room for a new connection") \
	X(COOKIES_UNEXPECTED, cookies_unexpected, SYNGUARD_CK_COUNTER,	\
	  "ACKs to a protected service that matched no connection, not "	\
	  "checked as cookies because no cookie was sent for the listener "	\
	  "within two cookie_rotate periods") \
	X(CONN_BUCKETS, conn_buckets, SYNGUARD_CK_GAUGE,		\
	  "hash buckets of the connection table now: hashsize to start "	\
	  "with, grown to keep two entries a bucket or fewer (up to "	\
	  "4194304) and shrunk back as the table empties") \
	X(TABLE_RESIZES, table_resizes, SYNGUARD_CK_COUNTER,		\
	  "resizes of the connection and listener tables, each moving "	\
	  "every entry to a new bucket array while packets go on") \
	X(ICMP_TRANSLATED, icmp_translated, SYNGUARD_CK_COUNTER,	\
	  "ICMP errors to a server about a segment it sent on a proxied "	\
	  "connection (fragmentation needed, packet too big, unreachable), "	\
	  "whose quoted sequence number was put back from the cookie's "	\
	  "space into the server's, so that the server heeds them") \
	X(COOKIES_INPLACE, cookies_inplace, SYNGUARD_CK_COUNTER,	\
	  "cookie SYN-ACKs made from the SYN they answer and sent back "	\
	  "out of its device with no allocation, route lookup or output "	\
	  "hook (synack_inplace); also counted in cookies_sent")

#define SYNGUARD_CNT_ENUM(id, name, kind, desc) SYNGUARD_CNT_##id,
enum synguard_counter {
	SYNGUARD_COUNTERS(SYNGUARD_CNT_ENUM)
	__SYNGUARD_CNT_MAX
};

#undef SYNGUARD_CNT_ENUM
#define SYNGUARD_CNT_ATTR(id)	((id) + 1)

/*
 * Per-listener counts, nested in SYNGUARD_L_A_COUNTS; attribute type is
 * the id plus one. The client is the initiator, the server the listener.
 * X(ID, name, kind, description)
 */
#define SYNGUARD_LISTENER_COUNTS(X)					\
	X(HALF_OPEN, half_open, SYNGUARD_CK_GAUGE,			\
	  "connections the server answered with a SYN-ACK and whose "	\
	  "handshake has not completed (syn_recv): the server's SYN-RECV "	\
	  "sockets")							\
	X(ESTABLISHED, established, SYNGUARD_CK_GAUGE,		\
	  "connections whose server socket is established: it has sent "	\
	  "no FIN and got none")					\
	X(FIN_WAIT, fin_wait, SYNGUARD_CK_GAUGE,			\
	  "connections whose server socket closed before it got the "	\
	  "client's FIN and is not yet in TIME_WAIT: FIN-WAIT-1, "	\
	  "FIN-WAIT-2 or CLOSING") \
	X(CLOSE_WAIT, close_wait, SYNGUARD_CK_GAUGE,			\
	  "connections whose server socket got the client's FIN and has "	\
	  "not closed (CLOSE-WAIT)") \
	X(LAST_ACK, last_ack, SYNGUARD_CK_GAUGE,			\
	  "connections whose server socket closed after it got the "	\
	  "client's FIN, its own FIN not yet acknowledged (LAST-ACK)") \
	X(TIME_WAIT, time_wait, SYNGUARD_CK_GAUGE,			\
	  "connections in time_wait whose server socket is in TIME-WAIT: "	\
	  "its FIN did not acknowledge the client's (it closed first, or "	\
	  "both did at once)") \
	X(PEER_TIME_WAIT, peer_time_wait, SYNGUARD_CK_GAUGE,		\
	  "connections in time_wait whose client socket is in TIME-WAIT: "	\
	  "its FIN did not acknowledge the server's; a simultaneous close "	\
	  "counts in both") \
	X(SYN_IN, syn_in, SYNGUARD_CK_COUNTER,			\
	  "SYNs from clients")						\
	X(SYNACK_OUT, synack_out, SYNGUARD_CK_COUNTER,		\
	  "SYN-ACKs from the server")					\
	X(HANDSHAKES, handshakes, SYNGUARD_CK_COUNTER,		\
	  "handshakes completed")					\
	X(HANDSHAKE_TIMEOUTS, handshake_timeouts, SYNGUARD_CK_COUNTER, \
	  "handshakes removed after syn_timeout")			\
	X(CLOSED_BY_CLIENT, closed_by_client, SYNGUARD_CK_COUNTER,	\
	  "connections whose first FIN came from the client")		\
	X(CLOSED_BY_SERVER, closed_by_server, SYNGUARD_CK_COUNTER,	\
	  "connections whose first FIN came from the server")		\
	X(BACKLOG_OVERFLOWS, backlog_overflows, SYNGUARD_CK_COUNTER,	\
	  "times half_open and syn_unanswered together rose past "	\
	  "syn_backlog")						\
	X(COOKIES_SENT, cookies_sent, SYNGUARD_CK_COUNTER,		\
	  "SYN-ACKs with a cookie sent on the listener's behalf")	\
	X(COOKIES_VALID, cookies_valid, SYNGUARD_CK_COUNTER,		\
	  "clients that completed the cookie exchange")		\
	X(RST_IN, rst_in, SYNGUARD_CK_COUNTER,			\
	  "RSTs from clients")						\
	X(RST_OUT, rst_out, SYNGUARD_CK_COUNTER,			\
	  "RSTs from the server")					\
	X(SIMULTANEOUS_CLOSES, simultaneous_closes, SYNGUARD_CK_COUNTER, \
	  "connections whose FINs crossed: neither acknowledged the "	\
	  "other, both sides go to TIME-WAIT")				\
	X(ACCEPT_QUEUE, accept_queue, SYNGUARD_CK_GAUGE,		\
	  "connections waiting in the accept queue of the local socket "	\
	  "listening on the listener's address and port, read when "	\
	  "listed (ss -lnt Recv-Q); absent when the address is not local "	\
	  "or no socket listens") \
	X(ACCEPT_QUEUE_MAX, accept_queue_max, SYNGUARD_CK_GAUGE,	\
	  "that socket's accept queue limit, its listen() backlog capped "	\
	  "by somaxconn (ss -lnt Send-Q); the queue is full, and the "	\
	  "kernel drops handshakes, once it holds one more than this") \
	X(LISTEN_DROPS, listen_drops, SYNGUARD_CK_COUNTER,		\
	  "SYNs and handshake-completing ACKs that socket dropped since "	\
	  "it began listening, read when listed (ss -tmln skmem d): "	\
	  "when its accept queue was full (the kernel counts these per "	\
	  "namespace in ListenOverflows), or its SYN queue, or memory "	\
	  "ran out (ListenDrops)") \
	X(CLOSE_WAIT_AGE, close_wait_age, SYNGUARD_CK_GAUGE,		\
	  "seconds the oldest connection in close_wait has been there: "	\
	  "its server socket got the client's FIN that long ago and has "	\
	  "not closed, the mark of an application that forgets to close; "	\
	  "0 when none. Taken as the reaper sweeps the table, so up to "	\
	  "about a second old") \
	X(SYN_UNANSWERED, syn_unanswered, SYNGUARD_CK_GAUGE,		\
	  "connections whose SYN went on to the server and got no SYN-ACK "	\
	  "yet (syn_sent): a server that drops SYNs (its queue full, "	\
	  "under a flood) never answers them, so they are not among its "	\
	  "SYN-RECV sockets; they stay until syn_timeout") \
	X(SYN_QUEUE, syn_queue, SYNGUARD_CK_GAUGE,			\
	  "for a local listening socket, its SYN queue as the kernel "	\
	  "keeps it (request sockets, ss's SYN-RECV), read when listed; "	\
	  "under a flood the kernel prunes unanswered requests early, "	\
	  "which synguard cannot see on the wire, so half_open may then "	\
	  "exceed it")

#define SYNGUARD_LC_ENUM(id, name, kind, desc) SYNGUARD_LC_##id,
enum synguard_listener_count {
	SYNGUARD_LISTENER_COUNTS(SYNGUARD_LC_ENUM)
	__SYNGUARD_LC_MAX
};

#undef SYNGUARD_LC_ENUM
#define SYNGUARD_LC_ATTR(id)	((id) + 1)

/* Events on SYNGUARD_MCGRP_EVENTS. X(ID, name, description) */
#define SYNGUARD_EVENTS(X)						\
	X(NONE, none, "unused")						\
	X(BACKLOG_OVERFLOW, backlog_overflow,				\
	  "a listener's half-open count rose past syn_backlog")		\
	X(TABLE_FULL, table_full, "a new connection found max_conns entries in the table") \
	X(CONFIG, config, "the configuration was changed")		\
	X(COOKIES_ON, cookies_on,					\
	  "a listener started answering SYNs with cookies")		\
	X(COOKIES_OFF, cookies_off,					\
	  "a listener stopped answering SYNs with cookies")		\
	X(SERVICES, services, "a service was added or removed")

#define SYNGUARD_EVENT_ENUM(id, name, desc) SYNGUARD_EVENT_##id,
enum synguard_event {
	SYNGUARD_EVENTS(SYNGUARD_EVENT_ENUM)
	__SYNGUARD_EVENT_MAX
};

#undef SYNGUARD_EVENT_ENUM

#endif /* _UAPI_LINUX_SYNGUARD_H */
