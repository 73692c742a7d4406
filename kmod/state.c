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
 * with data still flowing the other way. Each side's own state (who ends
 * in TIME_WAIT) follows from the same facts and one more, recorded with
 * each side's first FIN: whether it acknowledged the peer's (see
 * sg_track_side()).
 *
 * Once both SYNs were seen, a segment must also lie in the window before
 * it may move anything (in_window() below), so a blind RST or injected
 * data with a guessed sequence number is refused. Connections picked up
 * mid-way are tracked without that check: their window scale is unknown.
 */
#include "state.h"

/*
 * Once sg_tcp_check_flags() has passed a segment, one without SYN or RST
 * carries ACK, and FIN comes only with ACK: a FIN is an ACK that also
 * closes its direction (SG_SEG_ACK, see sg_tcp_class()).
 */

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
static const u8 actions[2][__SYNGUARD_STATE_MAX][SG_SEG_INVALID] = {
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

static const u8 active_side[2] = {
	[SG_DIR_ORIG] = SG_ACTIVE_ORIG,
	[SG_DIR_REPLY] = SG_ACTIVE_REPLY,
};

static enum sg_dir peer(enum sg_dir dir)
{
	return dir == SG_DIR_ORIG ? SG_DIR_REPLY : SG_DIR_ORIG;
}

/*
 * Does @t acknowledge the SYN sent in direction @dir, and nothing its
 * sender did not send? Only asked during the handshake, where that SYN's
 * ISN is known. Fast Open data may ride on the initiator's SYN and the
 * server may acknowledge it or not (RFC 7413); a Fast Open server may
 * send data before the handshake ends, and the initiator's ACK may
 * already acknowledge it.
 */
static bool acks_syn(const struct sg_track *tr, enum sg_dir dir,
		     const struct sg_tcp *t)
{
	return (t->flags & SG_TCP_ACK) &&
	       !sg_seq_before(t->ack, tr->isn[dir] + 1) &&
	       !sg_seq_after(t->ack, tr->end[dir]);
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

static u32 larger(u32 a, u32 b)
{
	return a > b ? a : b;
}

static u8 ws_get(const struct sg_track *tr, enum sg_dir dir)
{
	return dir == SG_DIR_ORIG ? tr->wscale & 0xf : tr->wscale >> 4;
}

static void ws_set(struct sg_track *tr, enum sg_dir dir, u8 ws)
{
	if (dir == SG_DIR_ORIG)
		tr->wscale = (tr->wscale & 0xf0) | ws;
	else
		tr->wscale = (tr->wscale & 0x0f) | ws << 4;
}

/* RFC 7323: windows are scaled only if both SYNs offered it. */
static unsigned int shift(const struct sg_track *tr, enum sg_dir dir)
{
	if (ws_get(tr, SG_DIR_ORIG) == SG_WS_NONE ||
	    ws_get(tr, SG_DIR_REPLY) == SG_WS_NONE)
		return 0;
	return ws_get(tr, dir);
}

/* Whether anything was seen from @dir: its window is never zero then. */
static bool side_known(const struct sg_track *tr, enum sg_dir dir)
{
	return tr->maxwin[dir] != 0;
}

/* Whether segments are held to the window: both SYNs seen, no pick-up. */
static bool window_checked(const struct sg_track *tr)
{
	return !(tr->seen & SG_SEEN_PICKED_UP) &&
	       side_known(tr, SG_DIR_ORIG) && side_known(tr, SG_DIR_REPLY);
}

/*
 * Whether @t acknowledges anything. Some stacks send RSTs with ACK set
 * and an acknowledgment of zero; conntrack reads those as bare RSTs.
 */
static bool has_ack(const struct sg_tcp *t)
{
	return (t->flags & SG_TCP_ACK) &&
	       !((t->flags & SG_TCP_RST) && t->ack == 0);
}

/* The furthest byte @t acknowledges, selectively or not. */
static u32 highest_ack(const struct sg_tcp *t)
{
	u32 sack = t->ack;
	unsigned int i;

	for (i = 0; i < t->nsack && i < SG_TCP_MAX_SACK; i++)
		if (sg_seq_after(t->sack[i].end, sack))
			sack = t->sack[i].end;
	return sack;
}

/* Conntrack's floor for the largest window, where it bounds a lag. */
#define SG_MIN_LAG_WINDOW	66000

/*
 * How far behind the furthest byte sent a segment or acknowledgment may
 * still be legitimate, given the largest window @win on that side: twice
 * the window (at least 66000 bytes), capped at half the sequence space.
 */
static u32 lag(u32 win)
{
	win = larger(win, SG_MIN_LAG_WINDOW);
	return win < 0x40000000 ? 2 * win : 0x7fffffff;
}

/*
 * Does @t, sent in direction @dir, lie in the window? Conntrack's four
 * tests, with the receiver the other side:
 *
 *	I	it starts no further than the receiver allowed;
 *	II	it ends no earlier than lag() of the receiver's largest
 *		window back from where the sender got to (a retransmission);
 *	III	it acknowledges nothing the receiver has not sent;
 *	IV	nor lags more than lag() of the sender's largest window
 *		behind that.
 *
 * Conntrack allows one window in II and IV. RFC 5961 accepts an ACK no
 * older than the oldest unacknowledged byte less the largest window;
 * measured from the furthest byte sent, as synguard does not keep the
 * oldest unacknowledged one, that is up to a window further back, hence
 * twice. One window refused real retransmissions over a lossy,
 * reordering link in the tests, and ACKs that reordering delayed past
 * newer ones. Data entirely behind the receiver's window is harmless to
 * it anyway; what matters for blind injection is the window's far edge.
 *
 * A segment without data or a FIN is checked by its acknowledgment
 * alone; an RST always by its sequence number too. Nothing is sent past
 * a FIN.
 */
static bool in_window(const struct sg_track *tr, enum sg_dir dir,
		      const struct sg_tcp *t)
{
	enum sg_dir other = peer(dir);
	u32 seq = t->seq, end = t->seq + sg_tcp_seg_len(t);
	u32 sack;

	if (seq == end && !(t->flags & SG_TCP_RST)) {
		seq = tr->end[dir];
		end = seq;
	}
	if ((tr->seen & fin_seen[dir]) && sg_seq_after(end, tr->end[dir]))
		return false;
	if (sg_seq_after(seq, tr->maxend[dir]) ||
	    sg_seq_before(end, tr->end[dir] - lag(tr->maxwin[other])))
		return false;
	if (!has_ack(t))
		return true;
	sack = highest_ack(t);
	return !sg_seq_after(sack, tr->end[other]) &&
	       !sg_seq_before(sack, tr->end[other] - lag(tr->maxwin[dir]));
}

/*
 * Learn from @t, sent in direction @dir, once it fits: how far its
 * sender got, and how far its window lets the other side go.
 */
static void window_update(struct sg_track *tr, enum sg_dir dir,
			  const struct sg_tcp *t)
{
	enum sg_dir other = peer(dir);
	u32 end = t->seq + sg_tcp_seg_len(t);
	u32 win = (u32)t->window << shift(tr, dir);
	u32 sack;

	if (!side_known(tr, dir))
		tr->end[dir] = end;
	else if (!(tr->seen & fin_seen[dir]) && sg_seq_after(end, tr->end[dir]))
		tr->end[dir] = end;
	tr->maxwin[dir] = larger(larger(tr->maxwin[dir], win), 1);
	if (!has_ack(t) || !side_known(tr, other))
		return;
	/* The sender went past the window: the receiver's must be larger. */
	if (sg_seq_after(end, tr->maxend[dir]))
		tr->maxwin[other] += end - tr->maxend[dir];
	sack = highest_ack(t);
	if (sg_seq_after(sack + win, tr->maxend[other] - 1))
		tr->maxend[other] = sack + win + !win;
}

/*
 * Learn from a SYN or SYN-ACK sent in direction @dir. @fresh when it
 * starts the side's sequence space (a new ISN); windows in SYNs are never
 * scaled, and the scale they offer holds for the connection.
 */
static void syn_window(struct sg_track *tr, enum sg_dir dir,
		       const struct sg_tcp *t, bool fresh)
{
	enum sg_dir other = peer(dir);
	u32 end = t->seq + sg_tcp_seg_len(t);
	u32 base;

	if (fresh || !side_known(tr, dir)) {
		tr->end[dir] = end;
		tr->maxend[dir] = end;
		tr->maxwin[dir] = larger(t->window, 1);
		ws_set(tr, dir, !t->has_wscale ? SG_WS_NONE :
				sg_tcp_clamp_wscale(t->wscale));
	} else {
		if (sg_seq_after(end, tr->end[dir]))
			tr->end[dir] = end;
		tr->maxwin[dir] = larger(tr->maxwin[dir], t->window);
	}
	if (!side_known(tr, other))
		return;
	/* Each side may send as far as the other's SYN window reaches. */
	if (sg_seq_after(tr->end[dir] + tr->maxwin[other], tr->maxend[dir]))
		tr->maxend[dir] = tr->end[dir] + tr->maxwin[other];
	base = has_ack(t) ? highest_ack(t) : tr->end[other];
	if (sg_seq_after(base + t->window, tr->maxend[other] - 1))
		tr->maxend[other] = base + t->window + !t->window;
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
 * Each side's own state follows from the same facts seen from that side,
 * and one more: whether its FIN acknowledged the peer's. A FIN that does
 * not was sent before its sender got the peer's FIN (TCP acknowledges
 * everything it got on every segment), so the sender closed actively:
 * FIN_WAIT_1, then CLOSING or FIN_WAIT_2, then TIME_WAIT (RFC 793, 3.5).
 * A FIN that does acknowledge the peer's closes passively: LAST_ACK,
 * then CLOSED. When the FINs cross, neither acknowledges the other and
 * both sides end in TIME_WAIT; which one was first on the wire is
 * another question (closer).
 *
 *	sent FIN  how      its FIN acked  got peer's FIN  state
 *	no        -        -              no              established
 *	no        -        -              yes             close_wait
 *	yes       active   no             no              fin_wait_1
 *	yes       active   yes            no              fin_wait_2
 *	yes       active   no             yes             closing
 *	yes       active   yes            yes             time_wait
 *	yes       passive  no             yes             last_ack
 *	yes       passive  yes            yes             closed
 *
 * "Got" means acknowledged it: a FIN lost after synguard saw it did not
 * reach its peer, whose state stays as it was until the retransmission
 * is acknowledged.
 */
static const u8 side_states[2][2][2] = {
	/* [active][its FIN acked][got peer's FIN] */
	[0] = {
		[0] = { SG_SIDE_LAST_ACK, SG_SIDE_LAST_ACK },
		[1] = { SG_SIDE_CLOSED, SG_SIDE_CLOSED },
	},
	[1] = {
		[0] = { SG_SIDE_FIN_WAIT_1, SG_SIDE_CLOSING },
		[1] = { SG_SIDE_FIN_WAIT_2, SG_SIDE_TIME_WAIT },
	},
};

u8 sg_track_side(const struct sg_track *tr, enum sg_dir dir)
{
	enum sg_dir other;
	bool got_fin;

	if (dir != SG_DIR_ORIG && dir != SG_DIR_REPLY)
		return SG_SIDE_CLOSED;
	if (tr->state == SYNGUARD_STATE_CLOSE)
		return SG_SIDE_CLOSED;
	if (tr->state < SYNGUARD_STATE_ESTABLISHED ||
	    tr->state >= __SYNGUARD_STATE_MAX)
		return SG_SIDE_HANDSHAKE;
	other = peer(dir);
	got_fin = tr->seen & finack_seen[other];
	if (!(tr->seen & fin_seen[dir]))
		return got_fin ? SG_SIDE_CLOSE_WAIT : SG_SIDE_ESTABLISHED;
	return side_states[!!(tr->active & active_side[dir])]
			  [!!(tr->seen & finack_seen[dir])][got_fin];
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
	    !sg_seq_before(t->ack, tr->end[other]))
		tr->seen |= finack_seen[other];

	/*
	 * A retransmitted FIN tells nothing new: its acknowledgment may
	 * cover a FIN its sender got after it first closed, which makes it
	 * no less the side that closed first.
	 */
	if ((t->flags & SG_TCP_FIN) && !(tr->seen & fin_seen[dir])) {
		if (!(tr->seen & (SG_SEEN_FIN_ORIG | SG_SEEN_FIN_REPLY))) {
			tr->closer = dir == SG_DIR_ORIG ?
				     SYNGUARD_CLOSER_CLIENT :
				     SYNGUARD_CLOSER_SERVER;
			step |= SG_STEP_FIRST_FIN;
		}
		if (!(tr->seen & finack_seen[other])) {
			tr->active |= active_side[dir];
			if (tr->active & active_side[other])
				step |= SG_STEP_SIMULTANEOUS;
		}
		tr->seen |= fin_seen[dir];
		tr->end[dir] = t->seq + sg_tcp_seg_len(t);
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
	tr->seen = SG_SEEN_SYN_ORIG;
	tr->wscale = SG_WS_NONE << 4 | SG_WS_NONE;
	syn_window(tr, SG_DIR_ORIG, t, true);
	return SG_STEP_NEW;
}

unsigned int sg_track_init(struct sg_track *tr, const struct sg_tcp *t)
{
	enum sg_seg_class ev = sg_tcp_class(t->flags);

	memset(tr, 0, sizeof(*tr));
	if (ev == SG_SEG_SYN)
		return start(tr, t);
	if (ev == SG_SEG_INVALID)
		return SG_STEP_OUT_OF_STATE;	/* left in none */

	/*
	 * Anything else joins a connection already under way, and what we
	 * call its initiator is only the side we happened to hear first.
	 * ISNs we did not see stay unknown, so nothing will be taken for a
	 * retransmitted SYN or SYN-ACK of this connection.
	 */
	tr->seen = SG_SEEN_PICKED_UP;
	tr->wscale = SG_WS_NONE << 4 | SG_WS_NONE;
	switch (ev) {
	case SG_SEG_RST:
		tr->state = SYNGUARD_STATE_CLOSE;
		return 0;
	case SG_SEG_SYNACK:
		/* The SYN passed us by; the handshake is the endpoints' now. */
		tr->state = SYNGUARD_STATE_ESTABLISHED;
		return 0;
	default:
		window_update(tr, SG_DIR_ORIG, t);
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
	if (tr->seen & SG_SEEN_SIMOPEN) {
		if (t->seq != tr->isn[dir])
			return SG_STEP_OUT_OF_STATE;
		syn_window(tr, dir, t, false);
		return 0;
	}
	/*
	 * A SYN-cookie responder may answer a retransmitted SYN with a new
	 * ISN, and the initiator acknowledges the last one it got.
	 */
	syn_window(tr, SG_DIR_REPLY, t, t->seq != tr->isn[SG_DIR_REPLY]);
	tr->isn[SG_DIR_REPLY] = t->seq;
	return 0;
}

/* An ACK during syn_recv: the end of the handshake, or a stray. */
static unsigned int final_ack(struct sg_track *tr, enum sg_dir dir,
			      const struct sg_tcp *t)
{
	/* It may already carry data or a FIN, which count from here on. */
	if (completes_handshake(tr, dir, t)) {
		window_update(tr, dir, t);
		return SG_STEP_HANDSHAKE | track_fin(tr, dir, t);
	}
	/*
	 * The responder's bare ACK of an unacceptable segment fits, and so
	 * does the data a Fast Open server sends before the handshake ends.
	 */
	if (dir == SG_DIR_REPLY && !(t->flags & SG_TCP_FIN) &&
	    acks_syn(tr, SG_DIR_ORIG, t)) {
		window_update(tr, dir, t);
		return 0;
	}
	return SG_STEP_OUT_OF_STATE;
}

/*
 * Whether @t may act as @act says, as far as the window tells. An RST in
 * syn_sent, where only the initiator's side is known, must acknowledge
 * the SYN if it comes from the responder (RFC 793); the initiator's own
 * RST there aborts its attempt.
 */
static bool fits_window(const struct sg_track *tr, enum sg_dir dir,
			const struct sg_tcp *t, enum sg_action act)
{
	if (act != RESET && act != FINAL_ACK && act != TRACK_FIN)
		return true;
	if (tr->state == SYNGUARD_STATE_SYN_SENT)
		return dir == SG_DIR_ORIG || (has_ack(t) &&
					      acks_syn(tr, SG_DIR_ORIG, t));
	return !window_checked(tr) || in_window(tr, dir, t);
}

unsigned int sg_track_step(struct sg_track *tr, enum sg_dir dir,
			   const struct sg_tcp *t)
{
	enum sg_seg_class ev = sg_tcp_class(t->flags);
	enum sg_action act;

	if ((dir != SG_DIR_ORIG && dir != SG_DIR_REPLY) ||
	    tr->state >= __SYNGUARD_STATE_MAX || ev == SG_SEG_INVALID)
		return SG_STEP_OUT_OF_STATE;

	act = actions[dir][tr->state][ev];
	if (!fits_window(tr, dir, t, act))
		return SG_STEP_OUT_OF_WINDOW;
	switch (act) {
	case KEEP:
		return 0;
	case RESET:
		/*
		 * Once the window is known, only an RST at exactly where its
		 * sender got to closes the entry. Anywhere else in the window
		 * it is what a blind attacker sends: an RFC 5961 endpoint
		 * answers it with a challenge ACK and stays open, and so does
		 * conntrack. It passes and changes nothing.
		 */
		if (window_checked(tr) && t->seq != tr->end[dir])
			return 0;
		tr->state = SYNGUARD_STATE_CLOSE;
		return 0;
	case REOPEN:
		return start(tr, t) | SG_STEP_REOPEN;
	case SYN_AGAIN:
		/* A retransmission, or the initiator started over. */
		syn_window(tr, SG_DIR_ORIG, t, t->seq != tr->isn[SG_DIR_ORIG]);
		tr->isn[SG_DIR_ORIG] = t->seq;
		tr->end[SG_DIR_ORIG] = t->seq + sg_tcp_seg_len(t);
		return 0;
	case CROSS_SYN:
		tr->isn[SG_DIR_REPLY] = t->seq;
		tr->seen |= SG_SEEN_SYN_REPLY | SG_SEEN_SIMOPEN;
		tr->state = SYNGUARD_STATE_SYN_RECV;
		syn_window(tr, SG_DIR_REPLY, t, true);
		return 0;
	case SYNACK:
		if (!acks_syn(tr, SG_DIR_ORIG, t))
			return SG_STEP_OUT_OF_STATE;
		tr->isn[SG_DIR_REPLY] = t->seq;
		tr->seen |= SG_SEEN_SYN_REPLY;
		tr->state = SYNGUARD_STATE_SYN_RECV;
		syn_window(tr, SG_DIR_REPLY, t, true);
		return 0;
	case SYN_RTX:
		/*
		 * Only a retransmission fits: a new ISN now would abandon a
		 * handshake half done, and anyone can send a SYN.
		 */
		if (dir == SG_DIR_REPLY && !(tr->seen & SG_SEEN_SIMOPEN))
			return SG_STEP_OUT_OF_STATE;
		if (t->seq != tr->isn[dir])
			return SG_STEP_OUT_OF_STATE;
		syn_window(tr, dir, t, false);
		return 0;
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
		window_update(tr, dir, t);
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
