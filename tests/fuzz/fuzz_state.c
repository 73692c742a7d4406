// SPDX-License-Identifier: GPL-2.0
/*
 * The state machine on arbitrary sequences of segments. The input is a
 * series of 12-byte records, one segment each:
 *
 *   byte  0     bit 0: direction (0 from the initiator, 1 from the
 *               responder); bit 1: seq counts from the sender's ISN;
 *               bits 3..2: ack counts from 0, the peer's ISN, or the
 *               sequence number just past the peer's SYN or FIN (1, 2)
 *   byte  1     the flag byte
 *   bytes 2-5   seq, big-endian
 *   bytes 6-9   ack, big-endian
 *   bytes 10-11 payload length, big-endian
 *
 * Every segment offers a window of 65535, unscaled.
 *
 * The relative forms let the fuzzer produce the exact acknowledgments
 * the machine waits for without guessing 32-bit numbers. As in the
 * module, a segment whose flags sg_tcp_check_flags() refuses is dropped
 * before it reaches the machine, and the first segment that passes starts
 * the connection through sg_track_init().
 */
#include "state.h"
#include "fuzz.h"

#define REC_LEN		12
#define REC_REPLY	0x01
#define REC_SEQ_REL	0x02
#define REC_ACK_SHIFT	2

/* Every segment offers the largest unscaled window. */
#define U16_MAX_FUZZ	0xffff

#define SG_STEP_ALL	(SG_STEP_NEW | SG_STEP_HANDSHAKE | SG_STEP_REOPEN | \
			 SG_STEP_OUT_OF_STATE | SG_STEP_FIRST_FIN | \
			 SG_STEP_OUT_OF_WINDOW | SG_STEP_SIMULTANEOUS)

#define SG_SEEN_FINS	(SG_SEEN_FIN_ORIG | SG_SEEN_FIN_REPLY | \
			 SG_SEEN_FINACK_ORIG | SG_SEEN_FINACK_REPLY)

#define SG_ACTIVE_ALL	(SG_ACTIVE_ORIG | SG_ACTIVE_REPLY)

static u8 fin_seen_of(enum sg_dir dir)
{
	return dir == SG_DIR_ORIG ? SG_SEEN_FIN_ORIG : SG_SEEN_FIN_REPLY;
}

static bool same_track(const struct sg_track *a, const struct sg_track *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static bool handshake_over(u8 state)
{
	return state >= SYNGUARD_STATE_ESTABLISHED &&
	       state <= SYNGUARD_STATE_TIME_WAIT;
}

/* One side's state agrees with the connection's. */
static void check_side(const struct sg_track *tr, enum sg_dir dir, u8 active)
{
	u8 side = sg_track_side(tr, dir);

	FUZZ_CHECK(side <= SG_SIDE_CLOSED);
	if (side == SG_SIDE_TIME_WAIT)
		FUZZ_CHECK(tr->state == SYNGUARD_STATE_TIME_WAIT &&
			   (tr->active & active));
	if (tr->state == SYNGUARD_STATE_TIME_WAIT)
		FUZZ_CHECK(side == ((tr->active & active) ? SG_SIDE_TIME_WAIT :
							    SG_SIDE_CLOSED));
	if (tr->state == SYNGUARD_STATE_ESTABLISHED)
		FUZZ_CHECK(side == SG_SIDE_ESTABLISHED);
	if (tr->state == SYNGUARD_STATE_CLOSE)
		FUZZ_CHECK(side == SG_SIDE_CLOSED);
	if (!handshake_over(tr->state))
		FUZZ_CHECK(side == SG_SIDE_HANDSHAKE ||
			   tr->state == SYNGUARD_STATE_CLOSE);
}

/* What must hold of a tracker at any time. */
static void check_track(const struct sg_track *tr)
{
	unsigned int fins = !!(tr->seen & SG_SEEN_FIN_ORIG) +
			    !!(tr->seen & SG_SEEN_FIN_REPLY);
	const char *name;

	FUZZ_CHECK(tr->state < __SYNGUARD_STATE_MAX);
	FUZZ_CHECK(tr->closer < __SYNGUARD_CLOSER_MAX);
	name = sg_state_name(tr->state);
	FUZZ_CHECK(name && strcmp(name, "unknown"));

	/* Only a FIN decides the closer, and only a FIN is acknowledged. */
	FUZZ_CHECK(!fins == (tr->closer == SYNGUARD_CLOSER_NONE));
	FUZZ_CHECK(!(tr->seen & SG_SEEN_FINACK_ORIG) ||
		   (tr->seen & SG_SEEN_FIN_ORIG));
	FUZZ_CHECK(!(tr->seen & SG_SEEN_FINACK_REPLY) ||
		   (tr->seen & SG_SEEN_FIN_REPLY));

	/*
	 * Only a side that sent a FIN closed actively, and the first one
	 * to send one always did. A side ends in TIME_WAIT only when the
	 * whole connection is there, and only if it closed actively.
	 */
	FUZZ_CHECK(!(tr->active & SG_ACTIVE_ORIG) ||
		   (tr->seen & SG_SEEN_FIN_ORIG));
	FUZZ_CHECK(!(tr->active & SG_ACTIVE_REPLY) ||
		   (tr->seen & SG_SEEN_FIN_REPLY));
	if (tr->closer == SYNGUARD_CLOSER_CLIENT)
		FUZZ_CHECK(tr->active & SG_ACTIVE_ORIG);
	if (tr->closer == SYNGUARD_CLOSER_SERVER)
		FUZZ_CHECK(tr->active & SG_ACTIVE_REPLY);
	check_side(tr, SG_DIR_ORIG, SG_ACTIVE_ORIG);
	check_side(tr, SG_DIR_REPLY, SG_ACTIVE_REPLY);

	/* A connection picked up mid-way has no handshake to go through. */
	if (tr->seen & SG_SEEN_PICKED_UP)
		FUZZ_CHECK(tr->state != SYNGUARD_STATE_SYN_SENT &&
			   tr->state != SYNGUARD_STATE_SYN_RECV);
	else
		FUZZ_CHECK(tr->seen & SG_SEEN_SYN_ORIG);
	if (tr->seen & SG_SEEN_SIMOPEN)
		FUZZ_CHECK(tr->seen & SG_SEEN_SYN_REPLY);

	switch (tr->state) {
	case SYNGUARD_STATE_NONE:
		FUZZ_CHECK(false);	/* sg_track_init() always starts it */
		break;
	case SYNGUARD_STATE_SYN_SENT:
	case SYNGUARD_STATE_SYN_RECV:
		FUZZ_CHECK(!fins);
		break;
	case SYNGUARD_STATE_ESTABLISHED:
		FUZZ_CHECK(!fins);
		break;
	case SYNGUARD_STATE_FIN_WAIT:
	case SYNGUARD_STATE_CLOSE_WAIT:
		FUZZ_CHECK(fins == 1);
		break;
	case SYNGUARD_STATE_LAST_ACK:
		FUZZ_CHECK(fins == 2);
		break;
	case SYNGUARD_STATE_TIME_WAIT:
		FUZZ_CHECK((tr->seen & SG_SEEN_FINS) == SG_SEEN_FINS);
		break;
	default:
		break;
	}
}

/* The evidence for each move the machine made on @t, sent in @dir. */
static void check_evidence(const struct sg_track *old,
			   const struct sg_track *tr, enum sg_dir dir,
			   const struct sg_tcp *t, unsigned int step)
{
	enum sg_dir other = dir == SG_DIR_ORIG ? SG_DIR_REPLY : SG_DIR_ORIG;
	u8 fin_other = other == SG_DIR_ORIG ? SG_SEEN_FIN_ORIG :
					      SG_SEEN_FIN_REPLY;
	u8 finack_other = other == SG_DIR_ORIG ? SG_SEEN_FINACK_ORIG :
						 SG_SEEN_FINACK_REPLY;
	u8 fin_dir = dir == SG_DIR_ORIG ? SG_SEEN_FIN_ORIG : SG_SEEN_FIN_REPLY;
	u8 added = tr->seen & ~old->seen;

	/* The responder answers the SYN, or sends its own. */
	if (old->state == SYNGUARD_STATE_SYN_SENT &&
	    tr->state == SYNGUARD_STATE_SYN_RECV) {
		FUZZ_CHECK(dir == SG_DIR_REPLY && (t->flags & SG_TCP_SYN));
		if (t->flags & SG_TCP_ACK)
			FUZZ_CHECK(!sg_seq_before(t->ack, old->isn[other] + 1) &&
				   !sg_seq_after(t->ack, old->end[other]));
		else
			FUZZ_CHECK(tr->seen & SG_SEEN_SIMOPEN);
	}

	/* The handshake ends on an ACK of the other side's SYN. */
	if (step & SG_STEP_HANDSHAKE) {
		FUZZ_CHECK(old->state == SYNGUARD_STATE_SYN_RECV);
		FUZZ_CHECK(handshake_over(tr->state));
		FUZZ_CHECK(!sg_seq_before(t->ack, old->isn[other] + 1) &&
			   !sg_seq_after(t->ack, old->end[other]));
		FUZZ_CHECK(dir == SG_DIR_ORIG || (old->seen & SG_SEEN_SIMOPEN));
	}

	/* Only the responder's SYN in syn_sent tells of its SYN. */
	if (added & (SG_SEEN_SYN_REPLY | SG_SEEN_SIMOPEN))
		FUZZ_CHECK(old->state == SYNGUARD_STATE_SYN_SENT &&
			   dir == SG_DIR_REPLY && (t->flags & SG_TCP_SYN));
	added &= ~(SG_SEEN_SYN_REPLY | SG_SEEN_SIMOPEN);

	/* A FIN is recorded from its sender, and acknowledged by the other. */
	FUZZ_CHECK(!(added & ~(fin_dir | finack_other)));
	if (added & fin_dir)
		FUZZ_CHECK((t->flags & SG_TCP_FIN) &&
			   tr->end[dir] == t->seq + sg_tcp_seg_len(t));
	if (added & finack_other)
		FUZZ_CHECK((old->seen & fin_other) &&
			   (t->flags & SG_TCP_ACK) &&
			   !sg_seq_before(t->ack, old->end[other]));
}

/* What must hold of one step, from @old to @tr, on @t sent in @dir. */
static void check_step(const struct sg_track *old, const struct sg_track *tr,
		       enum sg_dir dir, const struct sg_tcp *t,
		       unsigned int step)
{
	FUZZ_CHECK(!(step & ~SG_STEP_ALL));
	check_track(tr);

	/* A segment that does not fit changes nothing at all. */
	if (step & (SG_STEP_OUT_OF_STATE | SG_STEP_OUT_OF_WINDOW)) {
		FUZZ_CHECK(step == SG_STEP_OUT_OF_STATE ||
			   step == SG_STEP_OUT_OF_WINDOW);
		FUZZ_CHECK(same_track(old, tr));
		return;
	}
	if (step & SG_STEP_REOPEN) {
		FUZZ_CHECK(step == (SG_STEP_NEW | SG_STEP_REOPEN));
		FUZZ_CHECK(dir == SG_DIR_ORIG);
		FUZZ_CHECK(old->state == SYNGUARD_STATE_TIME_WAIT ||
			   old->state == SYNGUARD_STATE_CLOSE);
		FUZZ_CHECK(tr->state == SYNGUARD_STATE_SYN_SENT);
		FUZZ_CHECK(tr->isn[SG_DIR_ORIG] == t->seq);
		return;
	}
	FUZZ_CHECK(!(step & SG_STEP_NEW));

	/* No way back into the handshake, and none out of a reset. */
	if (handshake_over(old->state))
		FUZZ_CHECK(handshake_over(tr->state) ||
			   tr->state == SYNGUARD_STATE_CLOSE);
	if (old->state == SYNGUARD_STATE_CLOSE)
		FUZZ_CHECK(tr->state == SYNGUARD_STATE_CLOSE);
	/*
	 * An RST closes the connection; once the window is known, only one
	 * at exactly where its sender got to, and any other changes nothing.
	 */
	if ((t->flags & SG_TCP_RST) && tr->state != SYNGUARD_STATE_CLOSE) {
		FUZZ_CHECK(!(old->seen & SG_SEEN_PICKED_UP) &&
			   old->maxwin[SG_DIR_ORIG] && old->maxwin[SG_DIR_REPLY]);
		FUZZ_CHECK(t->seq != old->end[dir]);
		FUZZ_CHECK(same_track(old, tr));
	}

	/* The closer is decided once, by the first FIN, and kept. */
	if (step & SG_STEP_FIRST_FIN) {
		FUZZ_CHECK(old->closer == SYNGUARD_CLOSER_NONE);
		FUZZ_CHECK(tr->closer == (dir == SG_DIR_ORIG ?
					  SYNGUARD_CLOSER_CLIENT :
					  SYNGUARD_CLOSER_SERVER));
		FUZZ_CHECK(t->flags & SG_TCP_FIN);
	} else {
		FUZZ_CHECK(tr->closer == old->closer);
	}
	/*
	 * A side's way of closing is decided by its first FIN, and kept;
	 * both closed actively once the second one has.
	 */
	FUZZ_CHECK((tr->active & old->active) == old->active);
	if (tr->active != old->active)
		FUZZ_CHECK((t->flags & SG_TCP_FIN) &&
			   !(old->seen & fin_seen_of(dir)));
	FUZZ_CHECK(!!(step & SG_STEP_SIMULTANEOUS) ==
		   (old->active != SG_ACTIVE_ALL && tr->active == SG_ACTIVE_ALL));
	/* What was seen stays seen. */
	FUZZ_CHECK((tr->seen & old->seen) == old->seen);
	check_evidence(old, tr, dir, t, step);
}

/* The initiator's first segment, as sg_track_init() takes it. */
static void check_init(const struct sg_track *tr, unsigned int step,
		       const struct sg_tcp *t)
{
	FUZZ_CHECK(!(step & ~SG_STEP_ALL));
	check_track(tr);
	if ((t->flags & (SG_TCP_SYN | SG_TCP_ACK | SG_TCP_RST)) == SG_TCP_SYN) {
		FUZZ_CHECK(step == SG_STEP_NEW);
		FUZZ_CHECK(tr->state == SYNGUARD_STATE_SYN_SENT);
		FUZZ_CHECK(tr->seen == SG_SEEN_SYN_ORIG);
		FUZZ_CHECK(tr->isn[SG_DIR_ORIG] == t->seq);
	} else {
		FUZZ_CHECK(!(step & ~SG_STEP_FIRST_FIN));
		FUZZ_CHECK(tr->seen & SG_SEEN_PICKED_UP);
	}
}

/*
 * Segments the module never lets through, given anyway to a copy of the
 * tracker: the machine may make nothing of them, but must stay sane.
 */
static void check_unvalidated(const struct sg_track *tr, enum sg_dir dir,
			      const struct sg_tcp *t)
{
	struct sg_track copy;
	unsigned int step;

	memcpy(&copy, tr, sizeof(copy));
	step = sg_track_step(&copy, dir, t);
	FUZZ_CHECK(!(step & ~SG_STEP_ALL));
	FUZZ_CHECK(copy.state < __SYNGUARD_STATE_MAX);
	FUZZ_CHECK(copy.closer < __SYNGUARD_CLOSER_MAX);

	step = sg_track_init(&copy, t);
	FUZZ_CHECK(!(step & ~SG_STEP_ALL));
	FUZZ_CHECK(copy.state < __SYNGUARD_STATE_MAX);
	FUZZ_CHECK(copy.closer < __SYNGUARD_CLOSER_MAX);
}

int fuzz_one(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct sg_track tr, old;
	bool started = false;
	unsigned int step;

	/* Any number has a name, if only "unknown". */
	FUZZ_CHECK(sg_state_name(size ? data[0] : 0));

	memset(&tr, 0, sizeof(tr));
	while (in.left) {
		u8 ctl = fuzz_u8(&in);
		enum sg_dir dir = ctl & REC_REPLY ? SG_DIR_REPLY : SG_DIR_ORIG;
		enum sg_dir other = dir == SG_DIR_ORIG ? SG_DIR_REPLY :
							 SG_DIR_ORIG;
		struct sg_tcp t;

		memset(&t, 0, sizeof(t));
		t.flags = fuzz_u8(&in);
		t.seq = fuzz_be32(&in);
		t.ack = fuzz_be32(&in);
		t.payload_len = fuzz_be16(&in);
		if (ctl & REC_SEQ_REL)
			t.seq += tr.isn[dir];
		switch (ctl >> REC_ACK_SHIFT & 3) {
		case 1:
			t.ack += tr.isn[other];
			break;
		case 2:
			t.ack += tr.end[other];
			break;
		}
		t.hdr_len = SG_TCP_HDR_MIN;
		t.window = U16_MAX_FUZZ;

		/* The module drops these before any lookup. */
		if (sg_tcp_check_flags(t.flags) != SG_FLAGS_OK) {
			check_unvalidated(&tr, dir, &t);
			continue;
		}

		if (!started) {
			step = sg_track_init(&tr, &t);
			check_init(&tr, step, &t);
			started = true;
			continue;
		}
		memcpy(&old, &tr, sizeof(tr));
		step = sg_track_step(&tr, dir, &t);
		check_step(&old, &tr, dir, &t, step);
	}
	return 0;
}
