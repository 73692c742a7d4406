// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/state.c. Every segment is built as bytes, parsed and
 * flag-checked before it reaches the machine, as in the module.
 */
#include "test.h"

#define ORIG	SG_DIR_ORIG
#define REPLY	SG_DIR_REPLY

#define SYN	SG_TCP_SYN
#define SYNACK	(SG_TCP_SYN | SG_TCP_ACK)
#define ACK	SG_TCP_ACK
#define DATA	(SG_TCP_PSH | SG_TCP_ACK)
#define FIN	(SG_TCP_FIN | SG_TCP_ACK)
#define RST	SG_TCP_RST
#define RSTACK	(SG_TCP_RST | SG_TCP_ACK)

#define OOS	SG_STEP_OUT_OF_STATE
#define OOW	SG_STEP_OUT_OF_WINDOW

/* The client's and the server's ISN in most tests. */
#define CISN	1000u
#define SISN	5000000u

#define CHECK_STATE(tr, st)						\
	do {								\
		unsigned int state__ = (tr)->state;			\
									\
		if (state__ != SYNGUARD_STATE_##st)			\
			test_fail_str(__FILE__, __LINE__, #tr "->state", \
				      sg_state_name(SYNGUARD_STATE_##st), \
				      sg_state_name(state__));		\
	} while (0)

static const char *const side_names[] = {
	[SG_SIDE_HANDSHAKE] = "handshake",
	[SG_SIDE_ESTABLISHED] = "established",
	[SG_SIDE_FIN_WAIT_1] = "fin_wait_1",
	[SG_SIDE_FIN_WAIT_2] = "fin_wait_2",
	[SG_SIDE_CLOSING] = "closing",
	[SG_SIDE_TIME_WAIT] = "time_wait",
	[SG_SIDE_CLOSE_WAIT] = "close_wait",
	[SG_SIDE_LAST_ACK] = "last_ack",
	[SG_SIDE_CLOSED] = "closed",
};

static const char *side_name(unsigned int side)
{
	return side < ARRAY_SIZE(side_names) ? side_names[side] : "?";
}

/* Each side's own state: the client's (ORIG) and the server's (REPLY). */
#define CHECK_SIDES(tr, cli, srv)					\
	do {								\
		const struct sg_track *tr__ = (tr);			\
		unsigned int c__ = sg_track_side(tr__, ORIG);		\
		unsigned int s__ = sg_track_side(tr__, REPLY);		\
									\
		if (c__ != SG_SIDE_##cli)				\
			test_fail_str(__FILE__, __LINE__, "client side", \
				      side_name(SG_SIDE_##cli),		\
				      side_name(c__));			\
		if (s__ != SG_SIDE_##srv)				\
			test_fail_str(__FILE__, __LINE__, "server side", \
				      side_name(SG_SIDE_##srv),		\
				      side_name(s__));			\
	} while (0)

/* A segment as the hook hands it over: built, parsed, flags checked. */
static struct sg_tcp wire(u8 flags, u32 seq, u32 ack, unsigned int payload)
{
	struct seg s = {
		.flags = flags, .seq = seq, .ack = ack, .payload = payload,
	};
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK_EQ(SG_FLAGS_OK, sg_tcp_check_flags(t.flags));
	return t;
}

static unsigned int first(struct sg_track *tr, u8 flags, u32 seq, u32 ack,
			  unsigned int payload)
{
	struct sg_tcp t = wire(flags, seq, ack, payload);

	return sg_track_init(tr, &t);
}

static unsigned int step(struct sg_track *tr, enum sg_dir dir, u8 flags,
			 u32 seq, u32 ack, unsigned int payload)
{
	struct sg_tcp t = wire(flags, seq, ack, payload);

	return sg_track_step(tr, dir, &t);
}

/* A segment whose flags would fail validation, parsed but not checked. */
static struct sg_tcp unchecked(u8 flags)
{
	struct seg s = { .flags = flags, .seq = 1, .ack = 1 };
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK(sg_tcp_check_flags(t.flags) != SG_FLAGS_OK);
	return t;
}

/*
 * A normal connection, client ISN CISN and server ISN SISN, taken to each
 * state the way it gets there on the wire. The client's FIN comes first.
 */
static void to_syn_sent(struct sg_track *tr)
{
	CHECK_EQ(SG_STEP_NEW, first(tr, SYN, CISN, 0, 0));
	CHECK_STATE(tr, SYN_SENT);
}

static void to_syn_recv(struct sg_track *tr)
{
	to_syn_sent(tr);
	CHECK_EQ(0, step(tr, REPLY, SYNACK, SISN, CISN + 1, 0));
	CHECK_STATE(tr, SYN_RECV);
}

static void to_established(struct sg_track *tr)
{
	to_syn_recv(tr);
	CHECK_EQ(SG_STEP_HANDSHAKE, step(tr, ORIG, ACK, CISN + 1, SISN + 1, 0));
	CHECK_STATE(tr, ESTABLISHED);
}

static void to_fin_wait(struct sg_track *tr)
{
	to_established(tr);
	CHECK_EQ(SG_STEP_FIRST_FIN, step(tr, ORIG, FIN, CISN + 1, SISN + 1, 0));
	CHECK_STATE(tr, FIN_WAIT);
}

static void to_close_wait(struct sg_track *tr)
{
	to_fin_wait(tr);
	CHECK_EQ(0, step(tr, REPLY, ACK, SISN + 1, CISN + 2, 0));
	CHECK_STATE(tr, CLOSE_WAIT);
}

static void to_last_ack(struct sg_track *tr)
{
	to_close_wait(tr);
	CHECK_EQ(0, step(tr, REPLY, FIN, SISN + 1, CISN + 2, 0));
	CHECK_STATE(tr, LAST_ACK);
}

static void to_time_wait(struct sg_track *tr)
{
	to_last_ack(tr);
	CHECK_EQ(0, step(tr, ORIG, ACK, CISN + 2, SISN + 2, 0));
	CHECK_STATE(tr, TIME_WAIT);
}

static void to_close(struct sg_track *tr)
{
	to_established(tr);
	CHECK_EQ(0, step(tr, ORIG, RST, CISN + 1, 0, 0));
	CHECK_STATE(tr, CLOSE);
}

/* Both sides sent a SYN: the SYNs crossed. */
static void to_simopen(struct sg_track *tr)
{
	to_syn_sent(tr);
	CHECK_EQ(0, step(tr, REPLY, SYN, SISN, 0, 0));
	CHECK_STATE(tr, SYN_RECV);
}

/* --- sg_track_init() --- */

static void init_syn(void)
{
	struct sg_track tr;

	memset(&tr, 0xff, sizeof(tr));
	CHECK_EQ(SG_STEP_NEW, first(&tr, SYN, CISN, 0, 0));
	CHECK_STATE(&tr, SYN_SENT);
	CHECK_EQ(CISN, tr.isn[ORIG]);
	CHECK_EQ(0, tr.isn[REPLY]);
	/* During the handshake: just past the SYN. */
	CHECK_EQ(CISN + 1, tr.end[ORIG]);
	CHECK_EQ(0, tr.end[REPLY]);
	CHECK_EQ(SG_SEEN_SYN_ORIG, tr.seen);
	CHECK_EQ(SYNGUARD_CLOSER_NONE, tr.closer);
}

static void init_syn_with_options_and_data(void)
{
	struct seg s = {
		.flags = SYN | SG_TCP_ECE | SG_TCP_CWR, .seq = 0xfffffffe,
		.payload = 64, OPTS(2, 4, 0x05, 0xb4, 34, 6, 1, 2, 3, 4),
	};
	struct sg_track tr;
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK_EQ(SG_FLAGS_OK, sg_tcp_check_flags(t.flags));
	CHECK_EQ(SG_STEP_NEW, sg_track_init(&tr, &t));
	CHECK_STATE(&tr, SYN_SENT);
	CHECK_EQ(0xfffffffe, tr.isn[ORIG]);
}

static void init_ack_picks_up(void)
{
	struct sg_track tr;

	CHECK_EQ(0, first(&tr, ACK, 7, 9, 0));
	CHECK_STATE(&tr, ESTABLISHED);
	CHECK_EQ(SG_SEEN_PICKED_UP, tr.seen);
	CHECK_EQ(SYNGUARD_CLOSER_NONE, tr.closer);

	CHECK_EQ(0, first(&tr, DATA, 7, 9, 500));
	CHECK_STATE(&tr, ESTABLISHED);
	CHECK_EQ(SG_SEEN_PICKED_UP, tr.seen);
}

static void init_fin_picks_up(void)
{
	struct sg_track tr;

	CHECK_EQ(SG_STEP_FIRST_FIN, first(&tr, FIN, 100, 9, 10));
	CHECK_STATE(&tr, FIN_WAIT);
	CHECK_EQ(SYNGUARD_CLOSER_CLIENT, tr.closer);
	CHECK_EQ(SG_SEEN_PICKED_UP | SG_SEEN_FIN_ORIG, tr.seen);
	CHECK_EQ(111, tr.end[ORIG]);

	/* The rest of a three-segment teardown. */
	CHECK_EQ(0, step(&tr, REPLY, FIN, 9, 111, 0));
	CHECK_STATE(&tr, LAST_ACK);
	CHECK_EQ(0, step(&tr, ORIG, ACK, 111, 10, 0));
	CHECK_STATE(&tr, TIME_WAIT);
	CHECK_EQ(SYNGUARD_CLOSER_CLIENT, tr.closer);
}

static void init_synack_picks_up(void)
{
	struct sg_track tr;

	CHECK_EQ(0, first(&tr, SYNACK, SISN, CISN + 1, 0));
	CHECK_STATE(&tr, ESTABLISHED);
	CHECK_EQ(SG_SEEN_PICKED_UP, tr.seen);
	CHECK_EQ(0, tr.isn[ORIG]);
	CHECK_EQ(0, tr.isn[REPLY]);

	/* No ISN was recorded, so no SYN-ACK can be a known copy. */
	CHECK_EQ(OOS, step(&tr, ORIG, SYNACK, SISN, CISN + 1, 0));
	CHECK_EQ(OOS, step(&tr, REPLY, SYNACK, 0, 0, 0));
	CHECK_EQ(0, step(&tr, REPLY, ACK, CISN + 1, SISN + 1, 0));
	CHECK_STATE(&tr, ESTABLISHED);
}

static void init_rst_picks_up(void)
{
	struct sg_track tr;

	CHECK_EQ(0, first(&tr, RST, 5, 0, 0));
	CHECK_STATE(&tr, CLOSE);
	CHECK_EQ(SG_SEEN_PICKED_UP, tr.seen);

	CHECK_EQ(0, first(&tr, RSTACK, 5, 6, 0));
	CHECK_STATE(&tr, CLOSE);
	CHECK_EQ(SG_SEEN_PICKED_UP, tr.seen);
}

static void init_invalid_flags(void)
{
	static const u8 bad[] = { 0, SG_TCP_FIN, SG_TCP_PSH, SG_TCP_URG };
	struct sg_track tr;
	struct sg_tcp t;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		t = unchecked(bad[i]);
		CHECK_EQ(OOS, sg_track_init(&tr, &t));
		CHECK_STATE(&tr, NONE);
		CHECK_EQ(0, tr.seen);
	}
}

static void picked_up_server_closes(void)
{
	struct sg_track tr;

	CHECK_EQ(0, first(&tr, ACK, 100, 200, 0));
	CHECK_EQ(SG_STEP_FIRST_FIN, step(&tr, REPLY, FIN, 200, 100, 0));
	CHECK_STATE(&tr, FIN_WAIT);
	CHECK_EQ(SYNGUARD_CLOSER_SERVER, tr.closer);
	CHECK_EQ(0, step(&tr, ORIG, ACK, 100, 201, 0));
	CHECK_STATE(&tr, CLOSE_WAIT);
	CHECK_EQ(0, step(&tr, ORIG, FIN, 100, 201, 0));
	CHECK_STATE(&tr, LAST_ACK);
	CHECK_EQ(0, step(&tr, REPLY, ACK, 201, 101, 0));
	CHECK_STATE(&tr, TIME_WAIT);
	CHECK_EQ(SG_SEEN_PICKED_UP | SG_SEEN_FIN_ORIG | SG_SEEN_FIN_REPLY |
		 SG_SEEN_FINACK_ORIG | SG_SEEN_FINACK_REPLY, tr.seen);
}

/* --- syn_sent --- */

static void syn_sent_syn_retransmit(void)
{
	struct sg_track tr;

	to_syn_sent(&tr);
	CHECK_EQ(0, step(&tr, ORIG, SYN, CISN, 0, 0));
	CHECK_STATE(&tr, SYN_SENT);
	CHECK_EQ(CISN, tr.isn[ORIG]);
	CHECK_EQ(SG_SEEN_SYN_ORIG, tr.seen);
}

static void syn_sent_syn_restart(void)
{
	struct sg_track tr;

	to_syn_sent(&tr);
	CHECK_EQ(0, step(&tr, ORIG, SYN, CISN + 777, 0, 0));
	CHECK_STATE(&tr, SYN_SENT);
	CHECK_EQ(CISN + 777, tr.isn[ORIG]);
	/* Only the new ISN is answered now. */
	CHECK_EQ(OOS, step(&tr, REPLY, SYNACK, SISN, CISN + 1, 0));
	CHECK_STATE(&tr, SYN_SENT);
	CHECK_EQ(0, step(&tr, REPLY, SYNACK, SISN, CISN + 778, 0));
	CHECK_STATE(&tr, SYN_RECV);
}

static void syn_sent_synack(void)
{
	struct sg_track tr;

	to_syn_recv(&tr);
	CHECK_EQ(SISN, tr.isn[REPLY]);
	CHECK_EQ(CISN, tr.isn[ORIG]);
	CHECK_EQ(SG_SEEN_SYN_ORIG | SG_SEEN_SYN_REPLY, tr.seen);
}

static void syn_sent_synack_wrong_ack(void)
{
	static const u32 acks[] = { CISN, CISN + 2, 0, CISN - 1 };
	struct sg_track tr;
	size_t i;

	to_syn_sent(&tr);
	for (i = 0; i < ARRAY_SIZE(acks); i++) {
		CHECK_EQ(OOS, step(&tr, REPLY, SYNACK, SISN, acks[i], 0));
		CHECK_STATE(&tr, SYN_SENT);
		CHECK_EQ(SG_SEEN_SYN_ORIG, tr.seen);
		CHECK_EQ(0, tr.isn[REPLY]);
	}
	CHECK_EQ(0, step(&tr, REPLY, SYNACK, SISN, CISN + 1, 0));
	CHECK_STATE(&tr, SYN_RECV);
}

static void syn_sent_orig_synack(void)
{
	struct sg_track tr;

	to_syn_sent(&tr);
	CHECK_EQ(OOS, step(&tr, ORIG, SYNACK, CISN, SISN + 1, 0));
	CHECK_STATE(&tr, SYN_SENT);
}

static void syn_sent_ack_data_fin(void)
{
	struct sg_track tr;

	to_syn_sent(&tr);
	CHECK_EQ(OOS, step(&tr, ORIG, ACK, CISN + 1, SISN + 1, 0));
	CHECK_EQ(OOS, step(&tr, ORIG, DATA, CISN + 1, SISN + 1, 10));
	CHECK_EQ(OOS, step(&tr, ORIG, FIN, CISN + 1, SISN + 1, 0));
	CHECK_EQ(OOS, step(&tr, REPLY, ACK, SISN + 1, CISN + 1, 0));
	CHECK_EQ(OOS, step(&tr, REPLY, DATA, SISN + 1, CISN + 1, 10));
	CHECK_EQ(OOS, step(&tr, REPLY, FIN, SISN + 1, CISN + 1, 0));
	CHECK_STATE(&tr, SYN_SENT);
	CHECK_EQ(SG_SEEN_SYN_ORIG, tr.seen);
}

/* --- syn_recv, normal open --- */

static void syn_recv_synack_retransmit(void)
{
	struct sg_track tr;

	to_syn_recv(&tr);
	CHECK_EQ(0, step(&tr, REPLY, SYNACK, SISN, CISN + 1, 0));
	CHECK_STATE(&tr, SYN_RECV);
	CHECK_EQ(SISN, tr.isn[REPLY]);
}

/* A SYN-cookie server may answer a retransmitted SYN with a new ISN. */
static void syn_recv_synack_new_isn(void)
{
	struct sg_track tr;

	to_syn_recv(&tr);
	CHECK_EQ(0, step(&tr, REPLY, SYNACK, SISN + 9999, CISN + 1, 0));
	CHECK_STATE(&tr, SYN_RECV);
	CHECK_EQ(SISN + 9999, tr.isn[REPLY]);
	CHECK_EQ(OOS, step(&tr, ORIG, ACK, CISN + 1, SISN + 1, 0));
	CHECK_STATE(&tr, SYN_RECV);
	CHECK_EQ(SG_STEP_HANDSHAKE,
		 step(&tr, ORIG, ACK, CISN + 1, SISN + 10000, 0));
	CHECK_STATE(&tr, ESTABLISHED);
}

static void syn_recv_synack_wrong_ack(void)
{
	struct sg_track tr;

	to_syn_recv(&tr);
	CHECK_EQ(OOS, step(&tr, REPLY, SYNACK, SISN + 5, CISN + 2, 0));
	CHECK_STATE(&tr, SYN_RECV);
	CHECK_EQ(SISN, tr.isn[REPLY]);
}

static void syn_recv_syn_retransmit(void)
{
	struct sg_track tr;

	to_syn_recv(&tr);
	CHECK_EQ(0, step(&tr, ORIG, SYN, CISN, 0, 0));
	CHECK_STATE(&tr, SYN_RECV);
}

static void syn_recv_syn_new_isn(void)
{
	struct sg_track tr;

	to_syn_recv(&tr);
	CHECK_EQ(OOS, step(&tr, ORIG, SYN, CISN + 50, 0, 0));
	CHECK_STATE(&tr, SYN_RECV);
	CHECK_EQ(CISN, tr.isn[ORIG]);
	CHECK_EQ(SISN, tr.isn[REPLY]);
}

static void syn_recv_wrong_direction(void)
{
	struct sg_track tr;

	to_syn_recv(&tr);
	/* Without a simultaneous open, the server sends no SYN ... */
	CHECK_EQ(OOS, step(&tr, REPLY, SYN, SISN, 0, 0));
	/* ... and the client no SYN-ACK. */
	CHECK_EQ(OOS, step(&tr, ORIG, SYNACK, CISN, SISN + 1, 0));
	CHECK_STATE(&tr, SYN_RECV);
	CHECK_EQ(SG_SEEN_SYN_ORIG | SG_SEEN_SYN_REPLY, tr.seen);
}

static void syn_recv_final_ack(void)
{
	struct sg_track tr;

	to_established(&tr);
	CHECK_EQ(SG_SEEN_SYN_ORIG | SG_SEEN_SYN_REPLY, tr.seen);
	CHECK_EQ(SYNGUARD_CLOSER_NONE, tr.closer);
}

static void syn_recv_final_ack_with_data(void)
{
	struct sg_track tr;

	to_syn_recv(&tr);
	CHECK_EQ(SG_STEP_HANDSHAKE,
		 step(&tr, ORIG, DATA, CISN + 1, SISN + 1, 100));
	CHECK_STATE(&tr, ESTABLISHED);
}

static void syn_recv_final_ack_wrong(void)
{
	struct sg_track tr;

	to_syn_recv(&tr);
	CHECK_EQ(OOS, step(&tr, ORIG, ACK, CISN + 1, SISN, 0));
	/* Acknowledging what the server never sent is out of its window. */
	CHECK_EQ(OOW, step(&tr, ORIG, ACK, CISN + 1, SISN + 2, 0));
	CHECK_EQ(OOW, step(&tr, ORIG, DATA, CISN + 1, CISN + 1, 10));
	CHECK_STATE(&tr, SYN_RECV);
}

static void syn_recv_fin_completes(void)
{
	struct sg_track tr;

	to_syn_recv(&tr);
	CHECK_EQ(SG_STEP_HANDSHAKE | SG_STEP_FIRST_FIN,
		 step(&tr, ORIG, FIN, CISN + 1, SISN + 1, 0));
	CHECK_STATE(&tr, FIN_WAIT);
	CHECK_EQ(SYNGUARD_CLOSER_CLIENT, tr.closer);
	CHECK_EQ(CISN + 2, tr.end[ORIG]);
	CHECK_EQ(0, step(&tr, REPLY, FIN, SISN + 1, CISN + 2, 0));
	CHECK_STATE(&tr, LAST_ACK);
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 2, 0));
	CHECK_STATE(&tr, TIME_WAIT);
}

static void syn_recv_fin_wrong_ack(void)
{
	struct sg_track tr;

	to_syn_recv(&tr);
	CHECK_EQ(OOW, step(&tr, ORIG, FIN, CISN + 1, SISN + 5, 0));
	CHECK_EQ(OOS, step(&tr, ORIG, FIN, CISN + 1, SISN, 0));
	CHECK_STATE(&tr, SYN_RECV);
	CHECK_EQ(SG_SEEN_SYN_ORIG | SG_SEEN_SYN_REPLY, tr.seen);
	CHECK_EQ(SYNGUARD_CLOSER_NONE, tr.closer);
}

/* The server may ACK (an unacceptable segment) before the client does. */
static void syn_recv_reply_ack(void)
{
	struct sg_track tr;

	to_syn_recv(&tr);
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 1, CISN + 1, 0));
	CHECK_STATE(&tr, SYN_RECV);
	CHECK_EQ(0, step(&tr, REPLY, DATA, SISN + 1, CISN + 1, 100));
	CHECK_STATE(&tr, SYN_RECV);
	CHECK_EQ(OOW, step(&tr, REPLY, ACK, SISN + 1, CISN + 3, 0));
	CHECK_EQ(OOS, step(&tr, REPLY, ACK, SISN + 101, CISN, 0));
	CHECK_EQ(OOS, step(&tr, REPLY, FIN, SISN + 101, CISN + 1, 0));
	CHECK_STATE(&tr, SYN_RECV);
	CHECK_EQ(SYNGUARD_CLOSER_NONE, tr.closer);
	CHECK_EQ(SG_STEP_HANDSHAKE,
		 step(&tr, ORIG, ACK, CISN + 1, SISN + 1, 0));
	CHECK_STATE(&tr, ESTABLISHED);
}

/* --- simultaneous open --- */

static void simopen_crossing_syns(void)
{
	struct sg_track tr;

	to_simopen(&tr);
	CHECK_EQ(SG_SEEN_SYN_ORIG | SG_SEEN_SYN_REPLY | SG_SEEN_SIMOPEN,
		 tr.seen);
	CHECK_EQ(CISN, tr.isn[ORIG]);
	CHECK_EQ(SISN, tr.isn[REPLY]);
}

static void simopen_orig_ack_completes(void)
{
	struct sg_track tr;

	to_simopen(&tr);
	CHECK_EQ(0, step(&tr, ORIG, SYNACK, CISN, SISN + 1, 0));
	CHECK_STATE(&tr, SYN_RECV);
	CHECK_EQ(0, step(&tr, REPLY, SYNACK, SISN, CISN + 1, 0));
	CHECK_STATE(&tr, SYN_RECV);
	CHECK_EQ(SG_STEP_HANDSHAKE,
		 step(&tr, ORIG, ACK, CISN + 1, SISN + 1, 0));
	CHECK_STATE(&tr, ESTABLISHED);
}

static void simopen_reply_ack_completes(void)
{
	struct sg_track tr;

	to_simopen(&tr);
	CHECK_EQ(0, step(&tr, REPLY, SYNACK, SISN, CISN + 1, 0));
	CHECK_EQ(0, step(&tr, ORIG, SYNACK, CISN, SISN + 1, 0));
	CHECK_EQ(SG_STEP_HANDSHAKE,
		 step(&tr, REPLY, ACK, SISN + 1, CISN + 1, 0));
	CHECK_STATE(&tr, ESTABLISHED);
}

static void simopen_reply_fin_completes(void)
{
	struct sg_track tr;

	to_simopen(&tr);
	CHECK_EQ(0, step(&tr, REPLY, SYNACK, SISN, CISN + 1, 0));
	CHECK_EQ(0, step(&tr, ORIG, SYNACK, CISN, SISN + 1, 0));
	CHECK_EQ(SG_STEP_HANDSHAKE | SG_STEP_FIRST_FIN,
		 step(&tr, REPLY, FIN, SISN + 1, CISN + 1, 0));
	CHECK_STATE(&tr, FIN_WAIT);
	CHECK_EQ(SYNGUARD_CLOSER_SERVER, tr.closer);
	CHECK_EQ(SISN + 2, tr.end[REPLY]);
}

static void simopen_retransmits(void)
{
	struct sg_track tr;

	to_simopen(&tr);
	CHECK_EQ(0, step(&tr, REPLY, SYN, SISN, 0, 0));
	CHECK_EQ(0, step(&tr, ORIG, SYN, CISN, 0, 0));
	CHECK_STATE(&tr, SYN_RECV);
	/* ISNs are fixed once both SYNs are seen. */
	CHECK_EQ(OOS, step(&tr, REPLY, SYN, SISN + 1, 0, 0));
	CHECK_EQ(OOS, step(&tr, ORIG, SYN, CISN + 1, 0, 0));
	CHECK_EQ(OOS, step(&tr, ORIG, SYNACK, CISN + 5, SISN + 1, 0));
	CHECK_EQ(OOS, step(&tr, ORIG, SYNACK, CISN, SISN + 2, 0));
	CHECK_EQ(OOS, step(&tr, REPLY, SYNACK, SISN + 5, CISN + 1, 0));
	CHECK_EQ(OOS, step(&tr, REPLY, SYNACK, SISN, CISN + 2, 0));
	CHECK_STATE(&tr, SYN_RECV);
	CHECK_EQ(CISN, tr.isn[ORIG]);
	CHECK_EQ(SISN, tr.isn[REPLY]);
}

static void simopen_wrong_acks(void)
{
	struct sg_track tr;

	to_simopen(&tr);
	CHECK_EQ(OOW, step(&tr, REPLY, ACK, SISN + 1, CISN + 2, 0));
	CHECK_EQ(OOS, step(&tr, REPLY, ACK, SISN + 1, CISN, 0));
	CHECK_EQ(OOS, step(&tr, ORIG, ACK, CISN + 1, SISN, 0));
	CHECK_EQ(OOS, step(&tr, REPLY, FIN, SISN + 1, CISN, 0));
	CHECK_STATE(&tr, SYN_RECV);
}

static void simopen_late_synacks(void)
{
	struct sg_track tr;

	to_simopen(&tr);
	CHECK_EQ(SG_STEP_HANDSHAKE,
		 step(&tr, ORIG, ACK, CISN + 1, SISN + 1, 0));
	/* Both sides sent a SYN-ACK; late copies of either are harmless. */
	CHECK_EQ(0, step(&tr, ORIG, SYNACK, CISN, SISN + 1, 0));
	CHECK_EQ(0, step(&tr, REPLY, SYNACK, SISN, CISN + 1, 0));
	CHECK_EQ(OOS, step(&tr, ORIG, SYNACK, CISN + 3, SISN + 1, 0));
	CHECK_STATE(&tr, ESTABLISHED);
}

/* --- established --- */

static void established_data(void)
{
	struct sg_track tr;

	to_established(&tr);
	CHECK_EQ(0, step(&tr, ORIG, DATA, CISN + 1, SISN + 1, 1000));
	CHECK_EQ(0, step(&tr, REPLY, DATA, SISN + 1, CISN + 1001, 5000));
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 1001, SISN + 5001, 0));
	CHECK_STATE(&tr, ESTABLISHED);
	CHECK_EQ(SG_SEEN_SYN_ORIG | SG_SEEN_SYN_REPLY, tr.seen);
}

static void established_syn(void)
{
	struct sg_track tr;

	to_established(&tr);
	CHECK_EQ(OOS, step(&tr, ORIG, SYN, CISN, 0, 0));
	CHECK_EQ(OOS, step(&tr, ORIG, SYN, CISN + 100000, 0, 0));
	CHECK_EQ(OOS, step(&tr, REPLY, SYN, SISN, 0, 0));
	CHECK_STATE(&tr, ESTABLISHED);
	CHECK_EQ(CISN, tr.isn[ORIG]);
}

static void established_late_synack(void)
{
	struct sg_track tr;

	to_established(&tr);
	CHECK_EQ(0, step(&tr, REPLY, SYNACK, SISN, CISN + 1, 0));
	CHECK_EQ(OOS, step(&tr, REPLY, SYNACK, SISN + 1, CISN + 1, 0));
	CHECK_EQ(OOS, step(&tr, ORIG, SYNACK, CISN, SISN + 1, 0));
	CHECK_STATE(&tr, ESTABLISHED);
	CHECK_EQ(SISN, tr.isn[REPLY]);
}

/* ISN 0 must not match an ISN that was never seen. */
static void picked_up_synack_zero(void)
{
	struct sg_track tr;

	CHECK_EQ(0, first(&tr, ACK, 1, 1, 0));
	CHECK_EQ(OOS, step(&tr, REPLY, SYNACK, 0, 1, 0));
	CHECK_EQ(OOS, step(&tr, ORIG, SYNACK, 0, 1, 0));
	CHECK_STATE(&tr, ESTABLISHED);
}

/* SYNs do not fit while closing; SYN-ACK copies are harmless. */
static void closing_states_syn(void)
{
	static void (*const to[])(struct sg_track *) = {
		to_fin_wait, to_close_wait, to_last_ack,
	};
	struct sg_track tr;
	u8 state;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(to); i++) {
		to[i](&tr);
		state = tr.state;
		CHECK_EQ(OOS, step(&tr, ORIG, SYN, CISN + 9, 0, 0));
		CHECK_EQ(OOS, step(&tr, REPLY, SYN, SISN, 0, 0));
		CHECK_EQ(OOS, step(&tr, ORIG, SYNACK, CISN, SISN + 1, 0));
		CHECK_EQ(0, step(&tr, REPLY, SYNACK, SISN, CISN + 1, 0));
		CHECK_EQ(state, tr.state);
		CHECK_EQ(CISN, tr.isn[ORIG]);
	}
}

/* --- teardown --- */

static void teardown_client_first(void)
{
	struct sg_track tr;

	to_time_wait(&tr);
	CHECK_EQ(SYNGUARD_CLOSER_CLIENT, tr.closer);
	CHECK_EQ(CISN + 2, tr.end[ORIG]);
	CHECK_EQ(SISN + 2, tr.end[REPLY]);
	CHECK_EQ(SG_SEEN_SYN_ORIG | SG_SEEN_SYN_REPLY | SG_SEEN_FIN_ORIG |
		 SG_SEEN_FIN_REPLY | SG_SEEN_FINACK_ORIG |
		 SG_SEEN_FINACK_REPLY, tr.seen);
}

static void teardown_server_first(void)
{
	struct sg_track tr;

	to_established(&tr);
	CHECK_EQ(SG_STEP_FIRST_FIN,
		 step(&tr, REPLY, FIN, SISN + 1, CISN + 1, 0));
	CHECK_STATE(&tr, FIN_WAIT);
	CHECK_EQ(SYNGUARD_CLOSER_SERVER, tr.closer);
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 1, SISN + 2, 0));
	CHECK_STATE(&tr, CLOSE_WAIT);
	CHECK_EQ(0, step(&tr, ORIG, FIN, CISN + 1, SISN + 2, 0));
	CHECK_STATE(&tr, LAST_ACK);
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 2, CISN + 2, 0));
	CHECK_STATE(&tr, TIME_WAIT);
	CHECK_EQ(SYNGUARD_CLOSER_SERVER, tr.closer);
}

/* FIN, FIN+ACK, ACK: the second segment acks one FIN and sends another. */
static void teardown_three_segments(void)
{
	struct sg_track tr;

	to_fin_wait(&tr);
	CHECK_EQ(0, step(&tr, REPLY, FIN, SISN + 1, CISN + 2, 0));
	CHECK_STATE(&tr, LAST_ACK);
	CHECK_EQ(SG_SEEN_SYN_ORIG | SG_SEEN_SYN_REPLY | SG_SEEN_FIN_ORIG |
		 SG_SEEN_FINACK_ORIG | SG_SEEN_FIN_REPLY, tr.seen);
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 2, 0));
	CHECK_STATE(&tr, TIME_WAIT);
	CHECK_EQ(SYNGUARD_CLOSER_CLIENT, tr.closer);
}

static void teardown_three_segments_server_first(void)
{
	struct sg_track tr;

	to_established(&tr);
	CHECK_EQ(SG_STEP_FIRST_FIN,
		 step(&tr, REPLY, FIN, SISN + 1, CISN + 1, 0));
	CHECK_EQ(0, step(&tr, ORIG, FIN, CISN + 1, SISN + 2, 0));
	CHECK_STATE(&tr, LAST_ACK);
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 2, CISN + 2, 0));
	CHECK_STATE(&tr, TIME_WAIT);
	CHECK_EQ(SYNGUARD_CLOSER_SERVER, tr.closer);
}

/* Both FINs cross: neither acknowledges the other's. */
static void simultaneous_close(void)
{
	struct sg_track tr;

	to_fin_wait(&tr);
	CHECK_EQ(SG_STEP_SIMULTANEOUS,
		 step(&tr, REPLY, FIN, SISN + 1, CISN + 1, 0));
	CHECK_STATE(&tr, LAST_ACK);
	CHECK_EQ(SYNGUARD_CLOSER_CLIENT, tr.closer);
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 2, 0));
	CHECK_STATE(&tr, LAST_ACK);
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 2, CISN + 2, 0));
	CHECK_STATE(&tr, TIME_WAIT);
}

/* The server keeps sending after the client closed its side. */
static void half_close_with_data(void)
{
	struct sg_track tr;

	to_close_wait(&tr);
	CHECK_EQ(0, step(&tr, REPLY, DATA, SISN + 1, CISN + 2, 1000));
	CHECK_STATE(&tr, CLOSE_WAIT);
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 1001, 0));
	CHECK_STATE(&tr, CLOSE_WAIT);
	CHECK_EQ(0, step(&tr, REPLY, DATA, SISN + 1001, CISN + 2, 1000));
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 2001, 0));
	CHECK_STATE(&tr, CLOSE_WAIT);

	CHECK_EQ(0, step(&tr, REPLY, FIN, SISN + 2001, CISN + 2, 0));
	CHECK_STATE(&tr, LAST_ACK);
	CHECK_EQ(SISN + 2002, tr.end[REPLY]);
	/* Acknowledging the data before the FIN is not enough. */
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 2001, 0));
	CHECK_STATE(&tr, LAST_ACK);
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 2002, 0));
	CHECK_STATE(&tr, TIME_WAIT);
}

static void fin_with_data(void)
{
	struct sg_track tr;

	to_established(&tr);
	CHECK_EQ(SG_STEP_FIRST_FIN,
		 step(&tr, ORIG, FIN, CISN + 1, SISN + 1, 500));
	CHECK_EQ(CISN + 502, tr.end[ORIG]);
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 1, CISN + 1, 0));
	CHECK_STATE(&tr, FIN_WAIT);
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 1, CISN + 501, 0));
	CHECK_STATE(&tr, FIN_WAIT);
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 1, CISN + 502, 0));
	CHECK_STATE(&tr, CLOSE_WAIT);
}

static void ack_past_fin(void)
{
	struct sg_track tr;

	to_fin_wait(&tr);
	/* Past what the client sent: out of the window, nothing acked. */
	CHECK_EQ(OOW, step(&tr, REPLY, ACK, SISN + 1, CISN + 12, 0));
	CHECK_STATE(&tr, FIN_WAIT);
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 1, CISN + 2, 0));
	CHECK_STATE(&tr, CLOSE_WAIT);
}

/* The FIN's own sender cannot acknowledge it. */
static void own_ack_does_not_ack_fin(void)
{
	struct sg_track tr;

	to_fin_wait(&tr);
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 1, 0));
	CHECK_STATE(&tr, FIN_WAIT);
	CHECK_EQ(SG_SEEN_SYN_ORIG | SG_SEEN_SYN_REPLY | SG_SEEN_FIN_ORIG,
		 tr.seen);
}

static void fin_retransmit(void)
{
	struct sg_track tr;

	to_fin_wait(&tr);
	CHECK_EQ(0, step(&tr, ORIG, FIN, CISN + 1, SISN + 1, 0));
	CHECK_STATE(&tr, FIN_WAIT);
	/* One claiming a later place in the stream is past the FIN. */
	CHECK_EQ(OOW, step(&tr, ORIG, FIN, CISN + 50, SISN + 1, 0));
	CHECK_STATE(&tr, FIN_WAIT);
	CHECK_EQ(CISN + 2, tr.end[ORIG]);
	CHECK_EQ(SYNGUARD_CLOSER_CLIENT, tr.closer);

	to_close_wait(&tr);
	CHECK_EQ(0, step(&tr, ORIG, FIN, CISN + 1, SISN + 1, 0));
	CHECK_STATE(&tr, CLOSE_WAIT);

	to_last_ack(&tr);
	CHECK_EQ(0, step(&tr, REPLY, FIN, SISN + 1, CISN + 2, 0));
	CHECK_EQ(0, step(&tr, ORIG, FIN, CISN + 1, SISN + 1, 0));
	CHECK_STATE(&tr, LAST_ACK);
	CHECK_EQ(SISN + 2, tr.end[REPLY]);
}

/* end wraps past 2^32; comparisons are in sequence space. */
static void fin_wraparound(void)
{
	struct sg_track tr;

	CHECK_EQ(0, first(&tr, ACK, 0xfffffff0, 77, 0));
	CHECK_EQ(SG_STEP_FIRST_FIN, step(&tr, ORIG, FIN, 0xfffffff0, 77, 15));
	CHECK_EQ(0, tr.end[ORIG]);
	CHECK_EQ(0, step(&tr, REPLY, ACK, 77, 0xffffffff, 0));
	CHECK_STATE(&tr, FIN_WAIT);
	CHECK_EQ(0, step(&tr, REPLY, ACK, 77, 0, 0));
	CHECK_STATE(&tr, CLOSE_WAIT);

	CHECK_EQ(0, first(&tr, ACK, 0xfffffff0, 77, 0));
	CHECK_EQ(SG_STEP_FIRST_FIN, step(&tr, ORIG, FIN, 0xfffffff0, 77, 20));
	CHECK_EQ(5, tr.end[ORIG]);
	CHECK_EQ(0, step(&tr, REPLY, ACK, 77, 0xfffffffe, 0));
	CHECK_EQ(0, step(&tr, REPLY, ACK, 77, 4, 0));
	CHECK_STATE(&tr, FIN_WAIT);
	CHECK_EQ(0, step(&tr, REPLY, ACK, 77, 100, 0));
	CHECK_STATE(&tr, CLOSE_WAIT);

	/* Half the sequence space ahead is behind. */
	CHECK_EQ(0, first(&tr, ACK, 10, 77, 0));
	CHECK_EQ(SG_STEP_FIRST_FIN, step(&tr, ORIG, FIN, 10, 77, 0));
	CHECK_EQ(0, step(&tr, REPLY, ACK, 77, 11 + 0x80000000u, 0));
	CHECK_STATE(&tr, FIN_WAIT);
	CHECK_EQ(0, step(&tr, REPLY, ACK, 77, 11 + 0x7fffffffu, 0));
	CHECK_STATE(&tr, CLOSE_WAIT);
}

static void handshake_wraparound(void)
{
	struct sg_track tr;

	CHECK_EQ(SG_STEP_NEW, first(&tr, SYN, 0xffffffff, 0, 0));
	CHECK_EQ(0, step(&tr, REPLY, SYNACK, 0xffffffff, 0, 0));
	CHECK_STATE(&tr, SYN_RECV);
	CHECK_EQ(SG_STEP_HANDSHAKE, step(&tr, ORIG, ACK, 0, 0, 0));
	CHECK_STATE(&tr, ESTABLISHED);
	CHECK_EQ(SG_STEP_FIRST_FIN, step(&tr, ORIG, FIN, 0, 0, 0));
	CHECK_EQ(1, tr.end[ORIG]);
	CHECK_EQ(0, step(&tr, REPLY, ACK, 0, 1, 0));
	CHECK_STATE(&tr, CLOSE_WAIT);
}

/* --- time_wait and close --- */

static void time_wait_stays(void)
{
	struct sg_track tr;

	to_time_wait(&tr);
	CHECK_EQ(0, step(&tr, ORIG, FIN, CISN + 1, SISN + 2, 0));
	CHECK_EQ(0, step(&tr, REPLY, FIN, SISN + 1, CISN + 2, 0));
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 2, 0));
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 2, CISN + 2, 0));
	CHECK_EQ(0, step(&tr, REPLY, SYNACK, SISN, CISN + 1, 0));
	CHECK_STATE(&tr, TIME_WAIT);
	CHECK_EQ(OOS, step(&tr, REPLY, SYN, SISN + 7, 0, 0));
	CHECK_EQ(OOS, step(&tr, REPLY, SYNACK, SISN + 7, CISN + 1, 0));
	CHECK_EQ(OOS, step(&tr, ORIG, SYNACK, CISN, SISN + 1, 0));
	CHECK_STATE(&tr, TIME_WAIT);
}

static void time_wait_reopen(void)
{
	struct sg_track tr;

	to_time_wait(&tr);
	CHECK_EQ(SG_STEP_NEW | SG_STEP_REOPEN,
		 step(&tr, ORIG, SYN, CISN + 100000, 0, 0));
	CHECK_STATE(&tr, SYN_SENT);
	CHECK_EQ(SG_SEEN_SYN_ORIG, tr.seen);
	CHECK_EQ(SYNGUARD_CLOSER_NONE, tr.closer);
	CHECK_EQ(CISN + 100000, tr.isn[ORIG]);
	CHECK_EQ(0, tr.isn[REPLY]);
	/* During the handshake: just past the SYN. */
	CHECK_EQ(CISN + 100001, tr.end[ORIG]);
	CHECK_EQ(0, tr.end[REPLY]);

	CHECK_EQ(0, step(&tr, REPLY, SYNACK, 42, CISN + 100001, 0));
	CHECK_EQ(SG_STEP_HANDSHAKE, step(&tr, ORIG, ACK, CISN + 100001, 43, 0));
	CHECK_STATE(&tr, ESTABLISHED);
}

static void close_stays(void)
{
	struct sg_track tr;

	to_close(&tr);
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 1, CISN + 1, 0));
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 1, SISN + 1, 0));
	CHECK_EQ(0, step(&tr, ORIG, FIN, CISN + 1, SISN + 1, 0));
	CHECK_EQ(0, step(&tr, REPLY, DATA, SISN + 1, CISN + 1, 100));
	CHECK_EQ(0, step(&tr, REPLY, RST, SISN + 1, 0, 0));
	CHECK_EQ(0, step(&tr, REPLY, SYNACK, SISN, CISN + 1, 0));
	CHECK_STATE(&tr, CLOSE);
	CHECK_EQ(SYNGUARD_CLOSER_NONE, tr.closer);
	CHECK_EQ(OOS, step(&tr, REPLY, SYN, SISN, 0, 0));
	CHECK_EQ(OOS, step(&tr, REPLY, SYNACK, SISN + 1, CISN + 1, 0));
	CHECK_EQ(OOS, step(&tr, ORIG, SYNACK, CISN, SISN + 1, 0));
	CHECK_STATE(&tr, CLOSE);
}

static void close_reopen(void)
{
	struct sg_track tr;

	to_close(&tr);
	CHECK_EQ(SG_STEP_NEW | SG_STEP_REOPEN, step(&tr, ORIG, SYN, 9, 0, 0));
	CHECK_STATE(&tr, SYN_SENT);
	CHECK_EQ(SG_SEEN_SYN_ORIG, tr.seen);

	/* A reset picked up mid-connection reopens just the same. */
	CHECK_EQ(0, first(&tr, RST, 5, 0, 0));
	CHECK_EQ(SG_STEP_NEW | SG_STEP_REOPEN, step(&tr, ORIG, SYN, 9, 0, 0));
	CHECK_STATE(&tr, SYN_SENT);
	CHECK_EQ(SG_SEEN_SYN_ORIG, tr.seen);
	CHECK_EQ(9, tr.isn[ORIG]);
}

/* --- who ends in TIME_WAIT --- */

#define A_CLI	SG_ACTIVE_ORIG
#define A_SRV	SG_ACTIVE_REPLY
#define SIM	SG_STEP_SIMULTANEOUS

/* The client closes, the server closes after it got the client's FIN. */
static void sides_four_way_client_first(void)
{
	struct sg_track tr;

	to_established(&tr);
	CHECK_SIDES(&tr, ESTABLISHED, ESTABLISHED);
	CHECK_EQ(SG_STEP_FIRST_FIN, step(&tr, ORIG, FIN, CISN + 1, SISN + 1, 0));
	CHECK_SIDES(&tr, FIN_WAIT_1, ESTABLISHED);
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 1, CISN + 2, 0));
	CHECK_SIDES(&tr, FIN_WAIT_2, CLOSE_WAIT);
	CHECK_EQ(0, step(&tr, REPLY, FIN, SISN + 1, CISN + 2, 0));
	CHECK_SIDES(&tr, FIN_WAIT_2, LAST_ACK);
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 2, 0));
	CHECK_SIDES(&tr, TIME_WAIT, CLOSED);
	CHECK_STATE(&tr, TIME_WAIT);
	CHECK_EQ(A_CLI, tr.active);
	CHECK_EQ(SYNGUARD_CLOSER_CLIENT, tr.closer);
}

static void sides_four_way_server_first(void)
{
	struct sg_track tr;

	to_established(&tr);
	CHECK_EQ(SG_STEP_FIRST_FIN,
		 step(&tr, REPLY, FIN, SISN + 1, CISN + 1, 0));
	CHECK_SIDES(&tr, ESTABLISHED, FIN_WAIT_1);
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 1, SISN + 2, 0));
	CHECK_SIDES(&tr, CLOSE_WAIT, FIN_WAIT_2);
	CHECK_EQ(0, step(&tr, ORIG, FIN, CISN + 1, SISN + 2, 0));
	CHECK_SIDES(&tr, LAST_ACK, FIN_WAIT_2);
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 2, CISN + 2, 0));
	CHECK_SIDES(&tr, CLOSED, TIME_WAIT);
	CHECK_EQ(A_SRV, tr.active);
	CHECK_EQ(SYNGUARD_CLOSER_SERVER, tr.closer);
}

/* FIN, FIN+ACK, ACK: the second FIN acknowledges the first. */
static void sides_three_segments(void)
{
	struct sg_track tr;

	to_fin_wait(&tr);
	CHECK_EQ(0, step(&tr, REPLY, FIN, SISN + 1, CISN + 2, 0));
	CHECK_SIDES(&tr, FIN_WAIT_2, LAST_ACK);
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 2, 0));
	CHECK_SIDES(&tr, TIME_WAIT, CLOSED);
	CHECK_EQ(A_CLI, tr.active);

	to_established(&tr);
	CHECK_EQ(SG_STEP_FIRST_FIN,
		 step(&tr, REPLY, FIN, SISN + 1, CISN + 1, 0));
	CHECK_EQ(0, step(&tr, ORIG, FIN, CISN + 1, SISN + 2, 0));
	CHECK_SIDES(&tr, LAST_ACK, FIN_WAIT_2);
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 2, CISN + 2, 0));
	CHECK_SIDES(&tr, CLOSED, TIME_WAIT);
	CHECK_EQ(A_SRV, tr.active);
}

/*
 * The FINs cross: each is sent before its sender got the other, neither
 * acknowledges the other, and both sides go FIN_WAIT_1 -> CLOSING ->
 * TIME_WAIT. The client's FIN was on the wire first.
 */
static void sides_simultaneous_close(void)
{
	struct sg_track tr;

	to_fin_wait(&tr);
	CHECK_EQ(SIM, step(&tr, REPLY, FIN, SISN + 1, CISN + 1, 0));
	CHECK_SIDES(&tr, FIN_WAIT_1, FIN_WAIT_1);
	CHECK_EQ(A_CLI | A_SRV, tr.active);
	CHECK_EQ(SYNGUARD_CLOSER_CLIENT, tr.closer);
	/* Each acknowledges the other's FIN, from CLOSING. */
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 2, 0));
	CHECK_SIDES(&tr, CLOSING, FIN_WAIT_2);
	CHECK_STATE(&tr, LAST_ACK);
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 2, CISN + 2, 0));
	CHECK_SIDES(&tr, TIME_WAIT, TIME_WAIT);
	CHECK_STATE(&tr, TIME_WAIT);

	/* The other order of the ACKs. */
	to_fin_wait(&tr);
	CHECK_EQ(SIM, step(&tr, REPLY, FIN, SISN + 1, CISN + 1, 0));
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 2, CISN + 2, 0));
	CHECK_SIDES(&tr, FIN_WAIT_2, CLOSING);
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 2, 0));
	CHECK_SIDES(&tr, TIME_WAIT, TIME_WAIT);
}

/*
 * The client's FIN is on the wire first but never reaches the server
 * (lost after synguard saw it, or still in the socket's backlog): the
 * server closes without having got it. The client then retransmits its
 * FIN, now acknowledging the server's: it is still the FIN of a side
 * that closed first.
 */
static void sides_client_fin_lost_server_closes(void)
{
	struct sg_track tr;

	to_fin_wait(&tr);
	/* The server sends data and closes, acknowledging no FIN. */
	CHECK_EQ(0, step(&tr, REPLY, DATA, SISN + 1, CISN + 1, 100));
	CHECK_SIDES(&tr, FIN_WAIT_1, ESTABLISHED);
	CHECK_EQ(SIM, step(&tr, REPLY, FIN, SISN + 101, CISN + 1, 0));
	CHECK_SIDES(&tr, FIN_WAIT_1, FIN_WAIT_1);
	/* The client got it all: CLOSING, and acknowledges. */
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 102, 0));
	CHECK_SIDES(&tr, CLOSING, FIN_WAIT_2);
	/* Its FIN again, acknowledging the server's this time. */
	CHECK_EQ(0, step(&tr, ORIG, FIN, CISN + 1, SISN + 102, 0));
	CHECK_EQ(A_CLI | A_SRV, tr.active);
	CHECK_SIDES(&tr, CLOSING, FIN_WAIT_2);
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 102, CISN + 2, 0));
	CHECK_SIDES(&tr, TIME_WAIT, TIME_WAIT);
	CHECK_EQ(SYNGUARD_CLOSER_CLIENT, tr.closer);
}

/* A lost FIN retransmitted before the peer closes changes nothing. */
static void sides_fin_lost_retransmitted(void)
{
	struct sg_track tr;

	to_fin_wait(&tr);
	/* The server did not get it: it acknowledges data only. */
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 1, CISN + 1, 0));
	CHECK_SIDES(&tr, FIN_WAIT_1, ESTABLISHED);
	CHECK_EQ(0, step(&tr, ORIG, FIN, CISN + 1, SISN + 1, 0));
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 1, CISN + 2, 0));
	CHECK_SIDES(&tr, FIN_WAIT_2, CLOSE_WAIT);
	CHECK_EQ(0, step(&tr, REPLY, FIN, SISN + 1, CISN + 2, 0));
	CHECK_SIDES(&tr, FIN_WAIT_2, LAST_ACK);
	/* The server's FIN is lost too, and sent again. */
	CHECK_EQ(0, step(&tr, REPLY, FIN, SISN + 1, CISN + 2, 0));
	CHECK_SIDES(&tr, FIN_WAIT_2, LAST_ACK);
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 2, 0));
	CHECK_SIDES(&tr, TIME_WAIT, CLOSED);
	CHECK_EQ(A_CLI, tr.active);
}

/* The client half-closes; the server keeps sending, then closes. */
static void sides_half_close_with_data(void)
{
	struct sg_track tr;

	to_close_wait(&tr);
	CHECK_SIDES(&tr, FIN_WAIT_2, CLOSE_WAIT);
	CHECK_EQ(0, step(&tr, REPLY, DATA, SISN + 1, CISN + 2, 1000));
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 1001, 0));
	CHECK_SIDES(&tr, FIN_WAIT_2, CLOSE_WAIT);
	CHECK_EQ(0, step(&tr, REPLY, FIN, SISN + 1001, CISN + 2, 500));
	CHECK_SIDES(&tr, FIN_WAIT_2, LAST_ACK);
	/* Acknowledging the data before the FIN is not getting the FIN. */
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 1501, 0));
	CHECK_SIDES(&tr, FIN_WAIT_2, LAST_ACK);
	CHECK_EQ(0, step(&tr, ORIG, ACK, CISN + 2, SISN + 1502, 0));
	CHECK_SIDES(&tr, TIME_WAIT, CLOSED);
	CHECK_EQ(A_CLI, tr.active);

	/* The server half-closes, the client sends before closing. */
	to_established(&tr);
	CHECK_EQ(SG_STEP_FIRST_FIN,
		 step(&tr, REPLY, FIN, SISN + 1, CISN + 1, 0));
	CHECK_EQ(0, step(&tr, ORIG, DATA, CISN + 1, SISN + 2, 700));
	CHECK_SIDES(&tr, CLOSE_WAIT, FIN_WAIT_2);
	CHECK_EQ(0, step(&tr, ORIG, FIN, CISN + 701, SISN + 2, 0));
	CHECK_SIDES(&tr, LAST_ACK, FIN_WAIT_2);
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 2, CISN + 702, 0));
	CHECK_SIDES(&tr, CLOSED, TIME_WAIT);
	CHECK_EQ(A_SRV, tr.active);
}

/* A reset closes both sides, at every stage of a teardown. */
static void sides_rst_at_each_stage(void)
{
	static const enum sg_dir dirs[] = { ORIG, REPLY };
	struct sg_track tr;
	unsigned int i;
	size_t j;

	for (j = 0; j < ARRAY_SIZE(dirs); j++) {
		for (i = 0; i <= 3; i++) {
			to_fin_wait(&tr);
			if (i > 0)
				step(&tr, REPLY, FIN, SISN + 1, CISN + 1, 0);
			if (i > 1)
				step(&tr, ORIG, ACK, CISN + 2, SISN + 2, 0);
			if (i > 2)
				step(&tr, REPLY, ACK, SISN + 2, CISN + 2, 0);
			if (i == 3)
				CHECK_SIDES(&tr, TIME_WAIT, TIME_WAIT);
			CHECK_EQ(0, step(&tr, dirs[j], RST, tr.end[dirs[j]],
					 0, 0));
			CHECK_STATE(&tr, CLOSE);
			CHECK_SIDES(&tr, CLOSED, CLOSED);
		}
	}
}

/* A SYN reusing a time_wait tuple starts over: nobody closed yet. */
static void sides_time_wait_reuse(void)
{
	struct sg_track tr;

	to_fin_wait(&tr);
	step(&tr, REPLY, FIN, SISN + 1, CISN + 1, 0);
	step(&tr, ORIG, ACK, CISN + 2, SISN + 2, 0);
	step(&tr, REPLY, ACK, SISN + 2, CISN + 2, 0);
	CHECK_SIDES(&tr, TIME_WAIT, TIME_WAIT);
	CHECK_EQ(SG_STEP_NEW | SG_STEP_REOPEN,
		 step(&tr, ORIG, SYN, CISN + 100000, 0, 0));
	CHECK_STATE(&tr, SYN_SENT);
	CHECK_SIDES(&tr, HANDSHAKE, HANDSHAKE);
	CHECK_EQ(0, tr.active);
	CHECK_EQ(SYNGUARD_CLOSER_NONE, tr.closer);

	/* The new connection closes the other way round. */
	CHECK_EQ(0, step(&tr, REPLY, SYNACK, SISN, CISN + 100001, 0));
	CHECK_EQ(SG_STEP_HANDSHAKE,
		 step(&tr, ORIG, ACK, CISN + 100001, SISN + 1, 0));
	CHECK_SIDES(&tr, ESTABLISHED, ESTABLISHED);
	CHECK_EQ(SG_STEP_FIRST_FIN,
		 step(&tr, REPLY, FIN, SISN + 1, CISN + 100001, 0));
	CHECK_EQ(0, step(&tr, ORIG, FIN, CISN + 100001, SISN + 2, 0));
	CHECK_EQ(0, step(&tr, REPLY, ACK, SISN + 2, CISN + 100002, 0));
	CHECK_SIDES(&tr, CLOSED, TIME_WAIT);
	CHECK_EQ(A_SRV, tr.active);
}

/* The handshake is not split by side; a FIN ending it counts. */
static void sides_handshake_and_pickup(void)
{
	struct sg_track tr;

	to_syn_sent(&tr);
	CHECK_SIDES(&tr, HANDSHAKE, HANDSHAKE);
	to_syn_recv(&tr);
	CHECK_SIDES(&tr, HANDSHAKE, HANDSHAKE);
	CHECK_EQ(SG_STEP_HANDSHAKE | SG_STEP_FIRST_FIN,
		 step(&tr, ORIG, FIN, CISN + 1, SISN + 1, 0));
	CHECK_SIDES(&tr, FIN_WAIT_1, ESTABLISHED);

	/* Picked up at a FIN: its sender closed first. */
	CHECK_EQ(SG_STEP_FIRST_FIN, first(&tr, FIN, 100, 9, 10));
	CHECK_SIDES(&tr, FIN_WAIT_1, ESTABLISHED);
	CHECK_EQ(A_CLI, tr.active);
	CHECK_EQ(SIM, step(&tr, REPLY, FIN, 9, 100, 0));
	CHECK_SIDES(&tr, FIN_WAIT_1, FIN_WAIT_1);

	CHECK_EQ(SG_SIDE_CLOSED, sg_track_side(&tr, 2));
}

/* --- RST --- */

static void rst_in_every_state(void)
{
	static void (*const to[])(struct sg_track *) = {
		to_syn_sent, to_syn_recv, to_simopen, to_established,
		to_fin_wait, to_close_wait, to_last_ack, to_time_wait,
		to_close,
	};
	static const u8 rsts[] = { RST, RSTACK, RST | SG_TCP_PSH };
	static const enum sg_dir dirs[] = { ORIG, REPLY };
	struct sg_track tr, before;
	enum sg_dir dir;
	size_t i, j, k;

	for (i = 0; i < ARRAY_SIZE(to); i++) {
		for (j = 0; j < ARRAY_SIZE(dirs); j++) {
			for (k = 0; k < ARRAY_SIZE(rsts); k++) {
				dir = dirs[j];
				to[i](&tr);
				before = tr;
				/*
				 * The responder's RST in syn_sent must
				 * acknowledge the SYN (RFC 793).
				 */
				if (to[i] == to_syn_sent && dir == REPLY &&
				    !(rsts[k] & ACK)) {
					CHECK_EQ(OOW, step(&tr, dir, rsts[k],
							   0, 0, 0));
					CHECK(!memcmp(&before, &tr,
						      sizeof(tr)));
					continue;
				}
				/* Sent where its sender's stream stands. */
				CHECK_EQ(0, step(&tr, dir, rsts[k],
						 tr.end[dir],
						 tr.end[dir ^ 1], 0));
				CHECK_STATE(&tr, CLOSE);
				/* The record of the connection stays. */
				CHECK_EQ(before.closer, tr.closer);
				CHECK_EQ(before.active, tr.active);
				CHECK_EQ(before.seen, tr.seen);
				CHECK_EQ(before.isn[ORIG], tr.isn[ORIG]);
			}
		}
	}
}

/* --- robustness --- */

static void never_started(void)
{
	struct sg_track tr;

	memset(&tr, 0, sizeof(tr));
	CHECK_EQ(OOS, step(&tr, ORIG, RST, 1, 0, 0));
	CHECK_EQ(OOS, step(&tr, ORIG, SYN, 1, 0, 0));
	CHECK_EQ(OOS, step(&tr, REPLY, SYNACK, 1, 2, 0));
	CHECK_EQ(OOS, step(&tr, ORIG, ACK, 1, 2, 0));
	CHECK_STATE(&tr, NONE);
	CHECK_EQ(0, tr.seen);
}

static void step_invalid_flags(void)
{
	static const u8 bad[] = { 0, SG_TCP_FIN, SG_TCP_PSH, SG_TCP_URG,
				  SG_TCP_FIN | SG_TCP_PSH };
	struct sg_track tr, before;
	struct sg_tcp t;
	size_t i;

	to_fin_wait(&tr);
	before = tr;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		t = unchecked(bad[i]);
		CHECK_EQ(OOS, sg_track_step(&tr, REPLY, &t));
		CHECK(!memcmp(&before, &tr, sizeof(tr)));
	}
}

static void step_out_of_range(void)
{
	struct sg_tcp t = wire(RST, 1, 0, 0);
	struct sg_track tr, before;

	to_established(&tr);
	tr.state = __SYNGUARD_STATE_MAX;
	before = tr;
	CHECK_EQ(OOS, sg_track_step(&tr, ORIG, &t));
	CHECK(!memcmp(&before, &tr, sizeof(tr)));
	tr.state = 0xff;
	CHECK_EQ(OOS, sg_track_step(&tr, ORIG, &t));

	to_established(&tr);
	before = tr;
	CHECK_EQ(OOS, sg_track_step(&tr, (enum sg_dir)2, &t));
	CHECK(!memcmp(&before, &tr, sizeof(tr)));
}

static void state_names(void)
{
	CHECK_STR("none", sg_state_name(SYNGUARD_STATE_NONE));
	CHECK_STR("syn_sent", sg_state_name(SYNGUARD_STATE_SYN_SENT));
	CHECK_STR("syn_recv", sg_state_name(SYNGUARD_STATE_SYN_RECV));
	CHECK_STR("established", sg_state_name(SYNGUARD_STATE_ESTABLISHED));
	CHECK_STR("fin_wait", sg_state_name(SYNGUARD_STATE_FIN_WAIT));
	CHECK_STR("close_wait", sg_state_name(SYNGUARD_STATE_CLOSE_WAIT));
	CHECK_STR("last_ack", sg_state_name(SYNGUARD_STATE_LAST_ACK));
	CHECK_STR("time_wait", sg_state_name(SYNGUARD_STATE_TIME_WAIT));
	CHECK_STR("close", sg_state_name(SYNGUARD_STATE_CLOSE));
	CHECK_EQ(9, __SYNGUARD_STATE_MAX);
	CHECK_STR("unknown", sg_state_name(__SYNGUARD_STATE_MAX));
	CHECK_STR("unknown", sg_state_name(255));
	CHECK_STR("unknown", sg_state_name(~0U));
}

/*
 * Fast Open (RFC 7413): data rides on the SYN. A server that takes it
 * acknowledges it in its SYN-ACK; one that declines acknowledges only
 * the SYN, and the client sends the data again.
 */
static void fastopen_data_accepted(void)
{
	struct sg_track tr;

	CHECK_EQ(SG_STEP_NEW, first(&tr, SYN, 1000, 0, 100));
	CHECK_EQ(1101, tr.end[ORIG]);
	CHECK_EQ(0, step(&tr, REPLY, SYNACK, 5000, 1101, 0));
	CHECK_EQ(SYNGUARD_STATE_SYN_RECV, tr.state);
	CHECK_EQ(SG_STEP_HANDSHAKE, step(&tr, ORIG, ACK, 1101, 5001, 0));
	CHECK_EQ(SYNGUARD_STATE_ESTABLISHED, tr.state);
}

static void fastopen_data_declined(void)
{
	struct sg_track tr;

	first(&tr, SYN, 1000, 0, 100);
	CHECK_EQ(0, step(&tr, REPLY, SYNACK, 5000, 1001, 0));
	CHECK_EQ(SYNGUARD_STATE_SYN_RECV, tr.state);
	/* The client sends the declined data again with its ACK. */
	CHECK_EQ(SG_STEP_HANDSHAKE, step(&tr, ORIG, ACK, 1001, 5001, 100));
	CHECK_EQ(SYNGUARD_STATE_ESTABLISHED, tr.state);
}

static void fastopen_ack_past_data(void)
{
	struct sg_track tr;

	first(&tr, SYN, 1000, 0, 100);
	CHECK_EQ(SG_STEP_OUT_OF_STATE, step(&tr, REPLY, SYNACK, 5000, 1102, 0));
	CHECK_EQ(SG_STEP_OUT_OF_STATE, step(&tr, REPLY, SYNACK, 5000, 1000, 0));
	CHECK_EQ(SYNGUARD_STATE_SYN_SENT, tr.state);
}

/* Without data, only the SYN may be acknowledged, across the wrap. */
static void synack_exact_without_data(void)
{
	struct sg_track tr;

	first(&tr, SYN, 0xffffffff, 0, 0);
	CHECK_EQ(SG_STEP_OUT_OF_STATE, step(&tr, REPLY, SYNACK, 7, 1, 0));
	CHECK_EQ(0, step(&tr, REPLY, SYNACK, 7, 0, 0));
	CHECK_EQ(SYNGUARD_STATE_SYN_RECV, tr.state);
}

/* --- window tracking --- */

/* A segment with a window, and window scale or SACK options if asked. */
static struct sg_tcp wseg(u8 flags, u32 seq, u32 ack, unsigned int payload,
			  u32 window, int wscale)
{
	struct seg s = {
		.flags = flags, .seq = seq, .ack = ack, .payload = payload,
		.window = window,
	};
	u8 ws[] = { 1, 3, 3, 0 };
	struct sg_tcp t;

	if (wscale >= 0) {
		ws[3] = wscale;
		s.opts = ws;
		s.optlen = sizeof(ws);
	}
	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK_EQ(SG_FLAGS_OK, sg_tcp_check_flags(t.flags));
	return t;
}

static unsigned int wstep(struct sg_track *tr, enum sg_dir dir, u8 flags,
			  u32 seq, u32 ack, unsigned int payload, u32 window)
{
	struct sg_tcp t = wseg(flags, seq, ack, payload, window, -1);

	return sg_track_step(tr, dir, &t);
}

/*
 * A handshake with window scale @cws offered by the client and @sws by
 * the server (-1: none), the client's windows @cwin, the server's @swin.
 */
static void wopen(struct sg_track *tr, int cws, int sws, u16 cwin, u16 swin)
{
	struct sg_tcp t = wseg(SYN, CISN, 0, 0, cwin, cws);

	CHECK_EQ(SG_STEP_NEW, sg_track_init(tr, &t));
	t = wseg(SYNACK, SISN, CISN + 1, 0, swin, sws);
	CHECK_EQ(0, sg_track_step(tr, REPLY, &t));
	CHECK_EQ(SG_STEP_HANDSHAKE,
		 wstep(tr, ORIG, ACK, CISN + 1, SISN + 1, 0, cwin));
	CHECK_STATE(tr, ESTABLISHED);
}

/* Data up to the edge of the receiver's window fits; past it does not. */
static void window_right_edge(void)
{
	struct sg_track tr;

	wopen(&tr, -1, -1, 1000, 2000);
	/* The server offered 2000 bytes from CISN + 1. */
	CHECK_EQ(CISN + 1 + 2000, tr.maxend[ORIG]);
	CHECK_EQ(0, wstep(&tr, ORIG, DATA, CISN + 1, SISN + 1, 1500, 1000));
	CHECK_EQ(0, wstep(&tr, ORIG, DATA, CISN + 1 + 2000, SISN + 1, 10,
			  1000));
	CHECK_EQ(OOW, wstep(&tr, ORIG, DATA, CISN + 2 + 2000, SISN + 1, 10,
			    1000));
	CHECK_EQ(OOW, wstep(&tr, ORIG, DATA, CISN + 100000, SISN + 1, 10,
			    1000));
	/* The client sent past the edge; the server's window was larger. */
	CHECK_EQ(2010, tr.maxwin[REPLY]);
	/* The server acknowledges everything and opens 3000 more. */
	CHECK_EQ(0, wstep(&tr, REPLY, ACK, SISN + 1, CISN + 2011, 0, 3000));
	CHECK_EQ(CISN + 2011 + 3000, tr.maxend[ORIG]);
	CHECK_EQ(0, wstep(&tr, ORIG, DATA, CISN + 2011 + 2990, SISN + 1, 10,
			  1000));
	CHECK_STATE(&tr, ESTABLISHED);
}

/* Old data is a retransmission unless it is older than twice any window. */
static void window_left_edge(void)
{
	struct sg_track tr;

	wopen(&tr, -1, -1, 1000, 60000);
	CHECK_EQ(0, wstep(&tr, ORIG, DATA, CISN + 1, SISN + 1, 50000, 1000));
	CHECK_EQ(0, wstep(&tr, ORIG, DATA, CISN + 1, SISN + 1, 50000, 1000));
	CHECK_EQ(0, wstep(&tr, ORIG, DATA, CISN + 1, SISN + 1, 100, 1000));
	/* Ending twice 66000 before the client's furthest byte, no further. */
	CHECK_EQ(0, wstep(&tr, ORIG, DATA, CISN + 50001 - 132001, SISN + 1, 1,
			  1000));
	CHECK_EQ(OOW, wstep(&tr, ORIG, DATA, CISN + 50001 - 132002, SISN + 1,
			    1, 1000));
	CHECK_EQ(OOW, wstep(&tr, ORIG, DATA, CISN - 200000, SISN + 1, 100,
			    1000));
	CHECK_EQ(CISN + 50001, tr.end[ORIG]);

	/* Twice the receiver's largest window, once that is larger. */
	wopen(&tr, 3, 3, 20000, 20000);
	CHECK_EQ(160000, tr.maxwin[ORIG]);
	CHECK_EQ(0, wstep(&tr, ORIG, ACK, CISN + 1, SISN + 1, 0, 20000));
	CHECK_EQ(0, wstep(&tr, REPLY, DATA, SISN + 1, CISN + 1, 150000,
			  20000));
	CHECK_EQ(0, wstep(&tr, REPLY, DATA, SISN + 150001 - 320001, CISN + 1,
			  1, 20000));
	CHECK_EQ(OOW, wstep(&tr, REPLY, DATA, SISN + 150001 - 320002,
			    CISN + 1, 1, 20000));
}

/* An acknowledgment of data never sent, or of ancient data, is refused. */
static void window_ack_bounds(void)
{
	struct sg_track tr;

	wopen(&tr, -1, -1, 60000, 60000);
	CHECK_EQ(0, wstep(&tr, REPLY, DATA, SISN + 1, CISN + 1, 1000, 60000));
	CHECK_EQ(0, wstep(&tr, ORIG, ACK, CISN + 1, SISN + 1001, 0, 60000));
	CHECK_EQ(OOW, wstep(&tr, ORIG, ACK, CISN + 1, SISN + 1002, 0, 60000));
	/* Behind by more than twice 66000 and the largest window: no ACK. */
	CHECK_EQ(0, wstep(&tr, ORIG, ACK, CISN + 1, SISN + 1001 - 132000, 0,
			  60000));
	CHECK_EQ(OOW, wstep(&tr, ORIG, ACK, CISN + 1, SISN + 1000 - 132000, 0,
			    60000));

	/* Twice the sender's largest window, once that is above 66000. */
	wopen(&tr, 2, 2, 50000, 50000);
	CHECK_EQ(200000, tr.maxwin[ORIG]);
	CHECK_EQ(0, wstep(&tr, REPLY, DATA, SISN + 1, CISN + 1, 1000, 50000));
	CHECK_EQ(0, wstep(&tr, ORIG, ACK, CISN + 1, SISN + 1001 - 400000, 0,
			  50000));
	CHECK_EQ(OOW, wstep(&tr, ORIG, ACK, CISN + 1, SISN + 1000 - 400000, 0,
			    50000));
	CHECK_EQ(OOW, wstep(&tr, ORIG, ACK, CISN + 1, 0x80000000u, 0, 60000));
	CHECK_STATE(&tr, ESTABLISHED);
}

/* A SACK block may not reach past what the receiver sent either. */
static void window_sack_bounds(void)
{
	struct seg s = {
		.flags = ACK, .seq = CISN + 1, .ack = SISN + 1,
		OPTS(1, 1, 5, 10, 0, 0x4c, 0x4c, 0x09, 0, 0x4c, 0x4c, 0x14),
	};
	struct sg_track tr;
	struct sg_tcp t;

	wopen(&tr, -1, -1, 60000, 60000);
	CHECK_EQ(0, wstep(&tr, REPLY, DATA, SISN + 1, CISN + 1, 1000, 60000));
	/* SACK 5000201-5000212: the server sent up to 5001001. */
	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK_EQ(1, t.nsack);
	CHECK_EQ(SISN + 212, t.sack[0].end);
	CHECK_EQ(0, sg_track_step(&tr, ORIG, &t));
	/* SACK 5001001-5001012: beyond it. */
	s.opts = (const u8[]){ 1, 1, 5, 10, 0, 0x4c, 0x4f, 0x29, 0, 0x4c,
			       0x4f, 0x34 };
	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK_EQ(SISN + 1001 + 11, t.sack[0].end);
	CHECK_EQ(OOW, sg_track_step(&tr, ORIG, &t));
}

/* Blind RSTs miss the window and change nothing (RFC 5961). */
static void window_blind_rst(void)
{
	struct sg_track tr, before;

	wopen(&tr, 7, 7, 500, 500);
	before = tr;
	CHECK_EQ(OOW, wstep(&tr, ORIG, RST, CISN + 0x40000000u, 0, 0, 0));
	CHECK_EQ(OOW, wstep(&tr, REPLY, RST, SISN - 0x40000000u, 0, 0, 0));
	CHECK_EQ(OOW, wstep(&tr, REPLY, RSTACK, SISN + 1, CISN + 70000, 0, 0));
	CHECK(!memcmp(&before, &tr, sizeof(tr)));
	CHECK_STATE(&tr, ESTABLISHED);
	/* Inside the (scaled) window but not exact: it changes nothing. */
	CHECK_EQ(0, wstep(&tr, REPLY, RST, SISN + 1 + 500 * 128, 0, 0, 0));
	CHECK_EQ(0, wstep(&tr, REPLY, RST, SISN + 2, 0, 0, 0));
	CHECK_EQ(0, wstep(&tr, ORIG, RSTACK, CISN + 2, SISN + 1, 0, 0));
	CHECK_STATE(&tr, ESTABLISHED);
	/* At exactly where its sender got to, it closes. */
	CHECK_EQ(0, wstep(&tr, REPLY, RST, SISN + 1, 0, 0, 0));
	CHECK_STATE(&tr, CLOSE);

	wopen(&tr, 7, 7, 500, 500);
	CHECK_EQ(OOW, wstep(&tr, REPLY, RST, SISN + 2 + 500 * 128, 0, 0, 0));
	CHECK_EQ(0, wstep(&tr, ORIG, RSTACK, CISN + 1, SISN + 1, 0, 0));
	CHECK_STATE(&tr, CLOSE);
}

/* Windows scale only when both SYNs offered it (RFC 7323). */
static void window_scaling(void)
{
	struct sg_track tr;

	wopen(&tr, 7, 2, 100, 100);
	CHECK_EQ(CISN + 1 + 100, tr.maxend[ORIG]);	/* SYN windows: raw */
	CHECK_EQ(0, wstep(&tr, REPLY, ACK, SISN + 1, CISN + 1, 0, 100));
	CHECK_EQ(CISN + 1 + (100 << 2), tr.maxend[ORIG]);
	CHECK_EQ(0, wstep(&tr, ORIG, ACK, CISN + 1, SISN + 1, 0, 100));
	CHECK_EQ(SISN + 1 + (100 << 7), tr.maxend[REPLY]);
	CHECK_EQ(0, wstep(&tr, REPLY, DATA, SISN + 1 + (100 << 7), CISN + 1,
			  1, 100));
	CHECK_EQ(OOW, wstep(&tr, REPLY, DATA, SISN + 2 + (100 << 7),
			    CISN + 1, 1, 100));

	/* The server offered none: neither side scales. */
	wopen(&tr, 7, -1, 100, 100);
	CHECK_EQ(0, wstep(&tr, ORIG, ACK, CISN + 1, SISN + 1, 0, 100));
	CHECK_EQ(SISN + 1 + 100, tr.maxend[REPLY]);
	CHECK_EQ(OOW, wstep(&tr, REPLY, DATA, SISN + 102, CISN + 1, 1, 100));
}

/* A zero window lets one byte through: the window probe. */
static void window_zero(void)
{
	struct sg_track tr;

	wopen(&tr, -1, -1, 1000, 1000);
	CHECK_EQ(0, wstep(&tr, ORIG, DATA, CISN + 1, SISN + 1, 1000, 1000));
	CHECK_EQ(0, wstep(&tr, REPLY, ACK, SISN + 1, CISN + 1001, 0,
			  SEG_WINDOW_ZERO));
	CHECK_EQ(CISN + 1002, tr.maxend[ORIG]);
	CHECK_EQ(0, wstep(&tr, ORIG, DATA, CISN + 1001, SISN + 1, 1, 1000));
	CHECK_EQ(OOW, wstep(&tr, ORIG, DATA, CISN + 1003, SISN + 1, 1, 1000));
	/* A bare ACK is checked by its acknowledgment alone. */
	CHECK_EQ(0, wstep(&tr, ORIG, ACK, CISN + 1003, SISN + 1, 0, 1000));
}

/*
 * A long transfer both ways, across sequence wraparound, with delayed
 * and selective acknowledgments and retransmissions: nothing a real
 * pair of stacks sends may be refused.
 */
static void window_bulk_transfer(void)
{
	const u32 cisn = 0xfff00000u, sisn = 0xffffff00u;
	u32 cnxt = cisn + 1, snxt = sisn + 1, cacked = cnxt, sacked = snxt;
	struct sg_track tr;
	struct sg_tcp t;
	unsigned int i, steps = 0;

	t = wseg(SYN, cisn, 0, 0, 64240, 7);
	CHECK_EQ(SG_STEP_NEW, sg_track_init(&tr, &t));
	t = wseg(SYNACK, sisn, cisn + 1, 0, 65160, 7);
	steps |= sg_track_step(&tr, REPLY, &t);
	steps |= wstep(&tr, ORIG, ACK, cnxt, snxt, 0, 502);
	for (i = 0; i < 20000; i++) {
		/* Each side sends up to the other's window. */
		if ((u32)(cnxt + 1448 - cacked) <= 509u << 7) {
			steps |= wstep(&tr, ORIG, DATA, cnxt, snxt, 1448, 502);
			cnxt += 1448;
		}
		if ((u32)(snxt + 1448 - sacked) <= 502u << 7) {
			steps |= wstep(&tr, REPLY, DATA, snxt, cnxt, 1448, 509);
			snxt += 1448;
		}
		/* Now and then a retransmission of the oldest unacked. */
		if (i % 7 == 0 && cacked != cnxt)
			steps |= wstep(&tr, ORIG, DATA, cacked, snxt, 1448,
				       502);
		/* Delayed ACKs: every third round. */
		if (i % 3 == 2) {
			steps |= wstep(&tr, REPLY, ACK, snxt, cnxt, 0, 509);
			cacked = cnxt;
			steps |= wstep(&tr, ORIG, ACK, cnxt, snxt, 0, 502);
			sacked = snxt;
		}
	}
	CHECK_EQ(0, steps & (OOW | OOS));
	CHECK(cnxt < cisn && snxt < sisn);	/* both wrapped */
	CHECK(sg_seq_after(snxt, sisn + 0x1000000u));
	CHECK_EQ(SG_STEP_FIRST_FIN, wstep(&tr, ORIG, FIN, cnxt, snxt, 0, 502));
	CHECK_EQ(0, wstep(&tr, REPLY, FIN, snxt, cnxt + 1, 0, 509));
	CHECK_EQ(0, wstep(&tr, ORIG, ACK, cnxt + 1, snxt + 1, 0, 502));
	CHECK_STATE(&tr, TIME_WAIT);
}

/* Connections picked up mid-way are not held to a window. */
static void window_pickup_liberal(void)
{
	struct sg_track tr;

	CHECK_EQ(0, first(&tr, DATA, 7000, 9000, 100));
	CHECK_EQ(0, step(&tr, REPLY, DATA, 9000, 7100, 100));
	CHECK_EQ(0, step(&tr, ORIG, DATA, 0x70000000u, 9100, 100));
	CHECK_EQ(0, step(&tr, REPLY, RST, 0x12345678u, 0, 0));
	CHECK_STATE(&tr, CLOSE);
}

/* A Fast Open server sends data before the client's ACK: it fits. */
static void window_fastopen_server_data(void)
{
	struct sg_track tr;
	struct sg_tcp t = wseg(SYN, CISN, 0, 100, 64240, 7);

	CHECK_EQ(SG_STEP_NEW, sg_track_init(&tr, &t));
	t = wseg(SYNACK, SISN, CISN + 101, 0, 65160, 7);
	CHECK_EQ(0, sg_track_step(&tr, REPLY, &t));
	CHECK_EQ(0, wstep(&tr, REPLY, DATA, SISN + 1, CISN + 101, 1448, 509));
	CHECK_EQ(0, wstep(&tr, REPLY, DATA, SISN + 1449, CISN + 101, 1448,
			  509));
	CHECK_STATE(&tr, SYN_RECV);
	CHECK_EQ(SG_STEP_HANDSHAKE,
		 wstep(&tr, ORIG, ACK, CISN + 101, SISN + 2897, 0, 502));
	CHECK_EQ(SISN + 2897, tr.end[REPLY]);
}

/* A retransmitted SYN-ACK does not forget data already sent after it. */
static void window_synack_rtx_keeps_end(void)
{
	struct sg_track tr;
	struct sg_tcp t = wseg(SYN, CISN, 0, 0, 64240, -1);

	CHECK_EQ(SG_STEP_NEW, sg_track_init(&tr, &t));
	t = wseg(SYNACK, SISN, CISN + 1, 0, 65160, -1);
	CHECK_EQ(0, sg_track_step(&tr, REPLY, &t));
	CHECK_EQ(0, wstep(&tr, REPLY, DATA, SISN + 1, CISN + 1, 1000, 65160));
	CHECK_EQ(0, sg_track_step(&tr, REPLY, &t));
	CHECK_EQ(SISN + 1001, tr.end[REPLY]);
	CHECK_EQ(SG_STEP_HANDSHAKE,
		 wstep(&tr, ORIG, ACK, CISN + 1, SISN + 1001, 0, 64240));
}

const struct test_case state_tests[] = {
	TEST_CASE(fastopen_data_accepted),
	TEST_CASE(fastopen_data_declined),
	TEST_CASE(fastopen_ack_past_data),
	TEST_CASE(synack_exact_without_data),
	TEST_CASE(init_syn),
	TEST_CASE(init_syn_with_options_and_data),
	TEST_CASE(init_ack_picks_up),
	TEST_CASE(init_fin_picks_up),
	TEST_CASE(init_synack_picks_up),
	TEST_CASE(init_rst_picks_up),
	TEST_CASE(init_invalid_flags),
	TEST_CASE(picked_up_server_closes),
	TEST_CASE(syn_sent_syn_retransmit),
	TEST_CASE(syn_sent_syn_restart),
	TEST_CASE(syn_sent_synack),
	TEST_CASE(syn_sent_synack_wrong_ack),
	TEST_CASE(syn_sent_orig_synack),
	TEST_CASE(syn_sent_ack_data_fin),
	TEST_CASE(syn_recv_synack_retransmit),
	TEST_CASE(syn_recv_synack_new_isn),
	TEST_CASE(syn_recv_synack_wrong_ack),
	TEST_CASE(syn_recv_syn_retransmit),
	TEST_CASE(syn_recv_syn_new_isn),
	TEST_CASE(syn_recv_wrong_direction),
	TEST_CASE(syn_recv_final_ack),
	TEST_CASE(syn_recv_final_ack_with_data),
	TEST_CASE(syn_recv_final_ack_wrong),
	TEST_CASE(syn_recv_fin_completes),
	TEST_CASE(syn_recv_fin_wrong_ack),
	TEST_CASE(syn_recv_reply_ack),
	TEST_CASE(simopen_crossing_syns),
	TEST_CASE(simopen_orig_ack_completes),
	TEST_CASE(simopen_reply_ack_completes),
	TEST_CASE(simopen_reply_fin_completes),
	TEST_CASE(simopen_retransmits),
	TEST_CASE(simopen_wrong_acks),
	TEST_CASE(simopen_late_synacks),
	TEST_CASE(established_data),
	TEST_CASE(established_syn),
	TEST_CASE(established_late_synack),
	TEST_CASE(picked_up_synack_zero),
	TEST_CASE(closing_states_syn),
	TEST_CASE(teardown_client_first),
	TEST_CASE(teardown_server_first),
	TEST_CASE(teardown_three_segments),
	TEST_CASE(teardown_three_segments_server_first),
	TEST_CASE(simultaneous_close),
	TEST_CASE(half_close_with_data),
	TEST_CASE(fin_with_data),
	TEST_CASE(ack_past_fin),
	TEST_CASE(own_ack_does_not_ack_fin),
	TEST_CASE(fin_retransmit),
	TEST_CASE(fin_wraparound),
	TEST_CASE(handshake_wraparound),
	TEST_CASE(time_wait_stays),
	TEST_CASE(time_wait_reopen),
	TEST_CASE(close_stays),
	TEST_CASE(close_reopen),
	TEST_CASE(rst_in_every_state),
	TEST_CASE(sides_four_way_client_first),
	TEST_CASE(sides_four_way_server_first),
	TEST_CASE(sides_three_segments),
	TEST_CASE(sides_simultaneous_close),
	TEST_CASE(sides_client_fin_lost_server_closes),
	TEST_CASE(sides_fin_lost_retransmitted),
	TEST_CASE(sides_half_close_with_data),
	TEST_CASE(sides_rst_at_each_stage),
	TEST_CASE(sides_time_wait_reuse),
	TEST_CASE(sides_handshake_and_pickup),
	TEST_CASE(never_started),
	TEST_CASE(step_invalid_flags),
	TEST_CASE(step_out_of_range),
	TEST_CASE(state_names),
	TEST_CASE(window_right_edge),
	TEST_CASE(window_left_edge),
	TEST_CASE(window_ack_bounds),
	TEST_CASE(window_sack_bounds),
	TEST_CASE(window_blind_rst),
	TEST_CASE(window_scaling),
	TEST_CASE(window_zero),
	TEST_CASE(window_bulk_transfer),
	TEST_CASE(window_pickup_liberal),
	TEST_CASE(window_fastopen_server_data),
	TEST_CASE(window_synack_rtx_keeps_end),
	{ NULL, NULL }
};
