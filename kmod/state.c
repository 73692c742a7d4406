// SPDX-License-Identifier: GPL-2.0
/*
 * The TCP state machine as a middlebox sees it.
 *
 * We see both directions but are neither endpoint: a segment we let
 * through may still be lost, and we never know what an endpoint received.
 * So the machine moves only on evidence, compared exactly against what it
 * saw: a SYN is answered by a SYN-ACK acknowledging its ISN; the
 * handshake is over when an ACK acknowledges the responder's ISN; a FIN
 * is acknowledged by an ACK at or past the sequence number after it.
 *
 * The handshake is a table of transitions, actions[] below. Once it is
 * over the state is no longer stepped but derived from four facts: which
 * sides sent a FIN, and which of those FINs were acknowledged (see
 * closing_state()). Every order of teardown segments then lands in the
 * right state without a transition of its own: the four-way close from
 * either side, FIN / FIN+ACK / ACK, simultaneous close, and a half-close
 * with data still flowing the other way.
 *
 * Sequence numbers are compared only with the ISNs and FINs recorded
 * here. Whether a segment lies in the receiver's window is not checked,
 * and so neither is an RST (RFC 5961): any RST closes. That belongs to
 * window tracking, which this machine does not do yet.
 */
#include "state.h"

/*
 * What a segment is, to the machine. Once sg_tcp_check_flags() has passed
 * it, a segment without SYN or RST carries ACK, and FIN comes only with
 * ACK: a FIN is an ACK that also closes its direction.
 */
enum sg_event {
	SG_EV_SYN,		/* SYN without ACK */
	SG_EV_SYNACK,		/* SYN with ACK */
	SG_EV_ACK,		/* ACK, with or without FIN and data */
	SG_EV_RST,		/* RST, whatever else is set */
	SG_EV_INVALID,		/* no SYN, ACK or RST: never validated */
};

/* What a segment does to the connection; see actions[]. */
enum sg_action {
	OOS,		/* does not fit: state kept, SG_STEP_OUT_OF_STATE */
	KEEP,		/* fits, changes nothing */
	RESET,		/* the connection is closed */
	REOPEN,		/* a new connection on the tuple of a finished one */
	SYN_AGAIN,	/* the initiator's SYN again, maybe with a new ISN */
	CROSS_SYN,	/* the responder's SYN: simultaneous open */
	SYNACK,		/* the responder's SYN-ACK, answering the SYN */
	SYN_RTX,	/* a SYN again during syn_recv */
	SYNACK_RTX,	/* a SYN-ACK again during syn_recv */
	OLD_SYNACK,	/* a SYN-ACK after the handshake */
	FINAL_ACK,	/* an ACK that may complete the handshake */
	TRACK_FIN,	/* an ACK, FIN or data after the handshake */
};

/*
 * What a segment does, by its direction, the state and its event.
 *
 * A connection in none was never started (sg_track_init() starts it), so
 * nothing fits there. From established to time_wait the rows differ only
 * in the SYN that reopens a time_wait tuple; which of those states the
 * connection is in, TRACK_FIN derives. After a reset, segments still in
 * flight are harmless.
 */
static const u8 actions[2][__SYNGUARD_STATE_MAX][SG_EV_INVALID] = {
	[SG_DIR_ORIG] = {
		/* state            SYN         SYN-ACK     ACK, FIN    RST */
		/* none */        { OOS,        OOS,        OOS,        OOS },
		/* syn_sent */    { SYN_AGAIN,  OOS,        OOS,        RESET },
		/* syn_recv */    { SYN_RTX,    SYNACK_RTX, FINAL_ACK,  RESET },
		/* established */ { OOS,        OLD_SYNACK, TRACK_FIN,  RESET },
		/* fin_wait */    { OOS,        OLD_SYNACK, TRACK_FIN,  RESET },
		/* close_wait */  { OOS,        OLD_SYNACK, TRACK_FIN,  RESET },
		/* last_ack */    { OOS,        OLD_SYNACK, TRACK_FIN,  RESET },
		/* time_wait */   { REOPEN,     OLD_SYNACK, TRACK_FIN,  RESET },
		/* close */       { REOPEN,     OLD_SYNACK, KEEP,       RESET },
	},
	[SG_DIR_REPLY] = {
		/* state            SYN         SYN-ACK     ACK, FIN    RST */
		/* none */        { OOS,        OOS,        OOS,        OOS },
		/* syn_sent */    { CROSS_SYN,  SYNACK,     OOS,        RESET },
		/* syn_recv */    { SYN_RTX,    SYNACK_RTX, FINAL_ACK,  RESET },
		/* established */ { OOS,        OLD_SYNACK, TRACK_FIN,  RESET },
		/* fin_wait */    { OOS,        OLD_SYNACK, TRACK_FIN,  RESET },
		/* close_wait */  { OOS,        OLD_SYNACK, TRACK_FIN,  RESET },
		/* last_ack */    { OOS,        OLD_SYNACK, TRACK_FIN,  RESET },
		/* time_wait */   { OOS,        OLD_SYNACK, TRACK_FIN,  RESET },
		/* close */       { OOS,        OLD_SYNACK, KEEP,       RESET },
	},
};

static const u8 syn_seen[2] = {
	[SG_DIR_ORIG] = SG_SEEN_SYN_ORIG,
	[SG_DIR_REPLY] = SG_SEEN_SYN_REPLY,
};

static const u8 fin_seen[2] = {
	[SG_DIR_ORIG] = SG_SEEN_FIN_ORIG,
	[SG_DIR_REPLY] = SG_SEEN_FIN_REPLY,
};

static const u8 finack_seen[2] = {
	[SG_DIR_ORIG] = SG_SEEN_FINACK_ORIG,
	[SG_DIR_REPLY] = SG_SEEN_FINACK_REPLY,
};

static enum sg_event classify(u8 flags)
{
	if (flags & SG_TCP_RST)
		return SG_EV_RST;
	if (flags & SG_TCP_SYN)
		return flags & SG_TCP_ACK ? SG_EV_SYNACK : SG_EV_SYN;
	if (flags & SG_TCP_ACK)
		return SG_EV_ACK;
	return SG_EV_INVALID;
}

static enum sg_dir peer(enum sg_dir dir)
{
	return dir == SG_DIR_ORIG ? SG_DIR_REPLY : SG_DIR_ORIG;
}

/*
 * Does @t acknowledge the SYN sent in direction @dir, and nothing past it?
 * Only asked during the handshake, where that SYN's ISN is known.
 */
static bool acks_syn(const struct sg_track *tr, enum sg_dir dir,
		     const struct sg_tcp *t)
{
	u32 first = tr->isn[dir] + 1;

	if (!(t->flags & SG_TCP_ACK))
		return false;
	/*
	 * A Fast Open server acknowledges the data that rode on the
	 * initiator's SYN too (RFC 7413), or only the SYN if it declined it.
	 */
	if (dir == SG_DIR_ORIG && !(tr->seen & SG_SEEN_SIMOPEN))
		return !sg_seq_before(t->ack, first) &&
		       !sg_seq_after(t->ack, tr->fin_end[SG_DIR_ORIG]);
	return t->ack == first;
}

/* Only the responder sends SYN-ACKs, unless both sides sent a SYN. */
static bool may_send_synack(const struct sg_track *tr, enum sg_dir dir)
{
	return dir == SG_DIR_REPLY || (tr->seen & SG_SEEN_SIMOPEN);
}

/*
 * The handshake is over once the initiator acknowledges the responder's
 * SYN. In a simultaneous open the responder's SYN-ACK may cross the
 * initiator's, and the first segment after them may come from either
 * side: there a bare ACK of the initiator's SYN from the responder ends
 * the handshake too. In a normal open it does not: the responder sends
 * one to answer an unacceptable segment while it still waits for the
 * initiator's ACK.
 */
static bool completes_handshake(const struct sg_track *tr, enum sg_dir dir,
				const struct sg_tcp *t)
{
	if (dir == SG_DIR_ORIG)
		return acks_syn(tr, SG_DIR_REPLY, t);
	return (tr->seen & SG_SEEN_SIMOPEN) && acks_syn(tr, SG_DIR_ORIG, t);
}

/*
 * After the handshake the state follows from the FINs alone:
 *
 *	FINs sent	FINs acknowledged	state
 *	none		-			established
 *	one		none			fin_wait
 *	one		that one		close_wait
 *	both		not both		last_ack
 *	both		both			time_wait
 */
static u8 closing_state(u8 seen)
{
	unsigned int fins = !!(seen & SG_SEEN_FIN_ORIG) +
			    !!(seen & SG_SEEN_FIN_REPLY);
	unsigned int acked = !!(seen & SG_SEEN_FINACK_ORIG) +
			     !!(seen & SG_SEEN_FINACK_REPLY);

	if (!fins)
		return SYNGUARD_STATE_ESTABLISHED;
	if (fins == 1)
		return acked ? SYNGUARD_STATE_CLOSE_WAIT :
			       SYNGUARD_STATE_FIN_WAIT;
	return acked == 2 ? SYNGUARD_STATE_TIME_WAIT : SYNGUARD_STATE_LAST_ACK;
}

/*
 * Record what @t, sent in direction @dir after the handshake, tells about
 * the FINs, and derive the state from it. One segment may do both: in the
 * three-segment teardown the second one acknowledges the first FIN and
 * carries its sender's own.
 */
static unsigned int track_fin(struct sg_track *tr, enum sg_dir dir,
			      const struct sg_tcp *t)
{
	enum sg_dir other = peer(dir);
	unsigned int step = 0;

	if ((tr->seen & fin_seen[other]) && (t->flags & SG_TCP_ACK) &&
	    !sg_seq_before(t->ack, tr->fin_end[other]))
		tr->seen |= finack_seen[other];

	/* A retransmitted FIN tells nothing new. */
	if ((t->flags & SG_TCP_FIN) && !(tr->seen & fin_seen[dir])) {
		if (!(tr->seen & (SG_SEEN_FIN_ORIG | SG_SEEN_FIN_REPLY))) {
			tr->closer = dir == SG_DIR_ORIG ?
				     SYNGUARD_CLOSER_CLIENT :
				     SYNGUARD_CLOSER_SERVER;
			step |= SG_STEP_FIRST_FIN;
		}
		tr->seen |= fin_seen[dir];
		tr->fin_end[dir] = t->seq + sg_tcp_seg_len(t);
	}

	tr->state = closing_state(tr->seen);
	return step;
}

/* Begin a connection at its initiator's SYN. */
static unsigned int start(struct sg_track *tr, const struct sg_tcp *t)
{
	memset(tr, 0, sizeof(*tr));
	tr->state = SYNGUARD_STATE_SYN_SENT;
	tr->isn[SG_DIR_ORIG] = t->seq;
	tr->fin_end[SG_DIR_ORIG] = t->seq + sg_tcp_seg_len(t);
	tr->seen = SG_SEEN_SYN_ORIG;
	return SG_STEP_NEW;
}

unsigned int sg_track_init(struct sg_track *tr, const struct sg_tcp *t)
{
	enum sg_event ev = classify(t->flags);

	memset(tr, 0, sizeof(*tr));
	if (ev == SG_EV_SYN)
		return start(tr, t);
	if (ev == SG_EV_INVALID)
		return SG_STEP_OUT_OF_STATE;	/* left in none */

	/*
	 * Anything else joins a connection already under way, and what we
	 * call its initiator is only the side we happened to hear first.
	 * ISNs we did not see stay unknown, so nothing will be taken for a
	 * retransmitted SYN or SYN-ACK of this connection.
	 */
	tr->seen = SG_SEEN_PICKED_UP;
	switch (ev) {
	case SG_EV_RST:
		tr->state = SYNGUARD_STATE_CLOSE;
		return 0;
	case SG_EV_SYNACK:
		/* The SYN passed us by; the handshake is the endpoints' now. */
		tr->state = SYNGUARD_STATE_ESTABLISHED;
		return 0;
	default:
		return track_fin(tr, SG_DIR_ORIG, t);
	}
}

/* A SYN-ACK (from the responder, or either side of a simultaneous open). */
static unsigned int synack_rtx(struct sg_track *tr, enum sg_dir dir,
			       const struct sg_tcp *t)
{
	if (!may_send_synack(tr, dir) || !acks_syn(tr, peer(dir), t))
		return SG_STEP_OUT_OF_STATE;
	/* Both ISNs came with SYNs; a SYN-ACK must repeat its sender's. */
	if (tr->seen & SG_SEEN_SIMOPEN)
		return t->seq == tr->isn[dir] ? 0 : SG_STEP_OUT_OF_STATE;
	/*
	 * A SYN-cookie responder may answer a retransmitted SYN with a new
	 * ISN, and the initiator acknowledges the last one it got.
	 */
	tr->isn[SG_DIR_REPLY] = t->seq;
	return 0;
}

/* An ACK during syn_recv: the end of the handshake, or a stray. */
static unsigned int final_ack(struct sg_track *tr, enum sg_dir dir,
			      const struct sg_tcp *t)
{
	/* It may already carry data or a FIN, which count from here on. */
	if (completes_handshake(tr, dir, t))
		return SG_STEP_HANDSHAKE | track_fin(tr, dir, t);
	/* The responder's bare ACK of an unacceptable segment fits. */
	if (dir == SG_DIR_REPLY && !(t->flags & SG_TCP_FIN) &&
	    acks_syn(tr, SG_DIR_ORIG, t))
		return 0;
	return SG_STEP_OUT_OF_STATE;
}

unsigned int sg_track_step(struct sg_track *tr, enum sg_dir dir,
			   const struct sg_tcp *t)
{
	enum sg_event ev = classify(t->flags);

	if ((dir != SG_DIR_ORIG && dir != SG_DIR_REPLY) ||
	    tr->state >= __SYNGUARD_STATE_MAX || ev == SG_EV_INVALID)
		return SG_STEP_OUT_OF_STATE;

	switch (actions[dir][tr->state][ev]) {
	case KEEP:
		return 0;
	case RESET:
		tr->state = SYNGUARD_STATE_CLOSE;
		return 0;
	case REOPEN:
		return start(tr, t) | SG_STEP_REOPEN;
	case SYN_AGAIN:
		/* A retransmission, or the initiator started over. */
		tr->isn[SG_DIR_ORIG] = t->seq;
		tr->fin_end[SG_DIR_ORIG] = t->seq + sg_tcp_seg_len(t);
		return 0;
	case CROSS_SYN:
		tr->isn[SG_DIR_REPLY] = t->seq;
		tr->seen |= SG_SEEN_SYN_REPLY | SG_SEEN_SIMOPEN;
		tr->state = SYNGUARD_STATE_SYN_RECV;
		return 0;
	case SYNACK:
		if (!acks_syn(tr, SG_DIR_ORIG, t))
			return SG_STEP_OUT_OF_STATE;
		tr->isn[SG_DIR_REPLY] = t->seq;
		tr->seen |= SG_SEEN_SYN_REPLY;
		tr->state = SYNGUARD_STATE_SYN_RECV;
		return 0;
	case SYN_RTX:
		/*
		 * Only a retransmission fits: a new ISN now would abandon a
		 * handshake half done, and anyone can send a SYN.
		 */
		if (dir == SG_DIR_REPLY && !(tr->seen & SG_SEEN_SIMOPEN))
			return SG_STEP_OUT_OF_STATE;
		return t->seq == tr->isn[dir] ? 0 : SG_STEP_OUT_OF_STATE;
	case SYNACK_RTX:
		return synack_rtx(tr, dir, t);
	case OLD_SYNACK:
		/* A late copy of a SYN-ACK from the handshake is harmless. */
		if (may_send_synack(tr, dir) && (tr->seen & syn_seen[dir]) &&
		    t->seq == tr->isn[dir])
			return 0;
		return SG_STEP_OUT_OF_STATE;
	case FINAL_ACK:
		return final_ack(tr, dir, t);
	case TRACK_FIN:
		return track_fin(tr, dir, t);
	case OOS:
	default:
		return SG_STEP_OUT_OF_STATE;
	}
}

#define SG_STATE_NAME(id, name, desc) \
	[SYNGUARD_STATE_##id] = #name,
static const char * const state_names[] = {
	SYNGUARD_STATES(SG_STATE_NAME)
};

#undef SG_STATE_NAME

const char *sg_state_name(unsigned int state)
{
	if (state >= ARRAY_SIZE(state_names))
		return "unknown";
	return state_names[state];
}
