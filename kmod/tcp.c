// SPDX-License-Identifier: GPL-2.0
/*
 * TCP header, option and flag validation, and the segment builder.
 *
 * This runs on every segment before any state is looked up, so it must
 * never trust a length it has not checked against the bytes it was given.
 * It is built into the module and into the userspace unit tests and
 * fuzzers (see pure.h), and uses nothing else.
 */
#include "tcp.h"

/* The six flags conntrack judges; ECE and CWR (RFC 3168) never matter. */
#define SG_TCP_JUDGED	(SG_TCP_FIN | SG_TCP_SYN | SG_TCP_RST | \
			 SG_TCP_PSH | SG_TCP_ACK | SG_TCP_URG)

/*
 * The combinations conntrack's tcp_valid_flags[] accepts, indexed by the
 * flag byte with ECE, CWR and PSH masked out: PSH is allowed with any
 * valid combination, so RST|PSH and SYN|ACK|PSH pass while PSH or URG
 * on their own do not.
 */
static const bool valid_flags[(SG_TCP_FIN | SG_TCP_SYN | SG_TCP_RST |
			       SG_TCP_ACK | SG_TCP_URG) + 1] = {
	[SG_TCP_SYN]				= true,
	[SG_TCP_SYN | SG_TCP_URG]		= true,
	[SG_TCP_SYN | SG_TCP_ACK]		= true,
	[SG_TCP_RST]				= true,
	[SG_TCP_RST | SG_TCP_ACK]		= true,
	[SG_TCP_FIN | SG_TCP_ACK]		= true,
	[SG_TCP_FIN | SG_TCP_ACK | SG_TCP_URG]	= true,
	[SG_TCP_ACK]				= true,
	[SG_TCP_ACK | SG_TCP_URG]		= true,
};

/*
 * Whether a flag combination is valid is conntrack's call; why it is not
 * is ours, for the invalid_* counters. Each invalid combination gets
 * exactly one reason, the first that applies:
 *
 *   1. XMAS       all six of FIN SYN RST PSH ACK URG (before SYN_FIN,
 *                 which would otherwise swallow it)
 *   2. SYN_FIN    SYN and FIN
 *   3. NULL       none of the six
 *   4. SYN_RST    SYN and RST (FIN is clear after 2)
 *   5. FIN_NOACK  FIN without ACK (SYN and RST clear)
 *   6. OTHER      the rest: RST with FIN, PSH or URG without ACK,
 *                 URG with SYN|ACK or RST
 */
enum sg_flags_verdict sg_tcp_check_flags(u8 flags)
{
	u8 f = flags & SG_TCP_JUDGED;

	if (valid_flags[f & ~SG_TCP_PSH])
		return SG_FLAGS_OK;
	if (f == SG_TCP_JUDGED)
		return SG_FLAGS_XMAS;
	if ((f & (SG_TCP_SYN | SG_TCP_FIN)) == (SG_TCP_SYN | SG_TCP_FIN))
		return SG_FLAGS_SYN_FIN;
	if (!f)
		return SG_FLAGS_NULL;
	if ((f & (SG_TCP_SYN | SG_TCP_RST)) == (SG_TCP_SYN | SG_TCP_RST))
		return SG_FLAGS_SYN_RST;
	if ((f & (SG_TCP_FIN | SG_TCP_SYN | SG_TCP_RST | SG_TCP_ACK)) ==
	    SG_TCP_FIN)
		return SG_FLAGS_FIN_NOACK;
	return SG_FLAGS_OTHER;
}

static void clear_options(struct sg_tcp *t)
{
	t->tsval = 0;
	t->tsecr = 0;
	t->mss = 0;
	t->wscale = 0;
	t->nsack = 0;
	t->tfo_len = 0;
	t->sack_off = 0;
	t->sack_blocks = 0;
	t->ts_off = 0;
	t->has_mss = false;
	t->has_wscale = false;
	t->sack_perm = false;
	t->has_ts = false;
	t->has_tfo = false;
	t->opt_odd = false;
	memset(t->sack, 0, sizeof(t->sack));
}

/*
 * SACK blocks: Linux uses an option of 2 + 8n bytes, n >= 1, and at most
 * four blocks of it; synguard keeps the first four for window tracking
 * and where the option is, so that translation rewrites all of them.
 */
static bool parse_sack(const u8 *opt, unsigned int len, unsigned int off,
		       struct sg_tcp *t)
{
	unsigned int n = (len - SG_TCPOLEN_SACK_BASE) / SG_TCPOLEN_SACK_BLOCK;
	unsigned int i;

	if (len < SG_TCPOLEN_SACK_BASE + SG_TCPOLEN_SACK_BLOCK ||
	    (len - SG_TCPOLEN_SACK_BASE) % SG_TCPOLEN_SACK_BLOCK)
		return false;
	t->sack_off = off + SG_TCPOLEN_SACK_BASE;
	t->sack_blocks = n;
	opt += SG_TCPOLEN_SACK_BASE;
	for (i = 0; i < n && i < SG_TCP_MAX_SACK;
	     i++, opt += SG_TCPOLEN_SACK_BLOCK) {
		t->sack[i].start = get_unaligned_be32(opt);
		t->sack[i].end = get_unaligned_be32(opt + 4);
	}
	t->nsack = i;
	return n <= SG_TCP_MAX_SACK;
}

/*
 * Fast Open, either with its own kind or, as Linux clients still may send
 * it, as the experiment with ExID 0xF989. The cookie is up to 16 bytes;
 * an empty one is a cookie request.
 */
static bool parse_fastopen(unsigned int len, unsigned int base,
			   struct sg_tcp *t)
{
	if (len < base || len - base > SG_TCP_FASTOPEN_COOKIE_MAX)
		return false;
	t->has_tfo = true;
	t->tfo_len = len - base;
	return true;
}

/*
 * One option of @len bytes (kind and length included, already checked to
 * lie within the header) at offset @off of the header. Returns false when
 * a known option has a length it cannot have: Linux ignores it, and so
 * does synguard. Unknown options are skipped.
 */
static bool parse_option(const u8 *opt, unsigned int len, unsigned int off,
			 struct sg_tcp *t)
{
	switch (opt[0]) {
	case SG_TCPOPT_MSS:
		if (len != SG_TCPOLEN_MSS)
			return false;
		t->mss = get_unaligned_be16(opt + 2);
		t->has_mss = true;
		return true;
	case SG_TCPOPT_WSCALE:
		if (len != SG_TCPOLEN_WSCALE)
			return false;
		t->wscale = sg_tcp_clamp_wscale(opt[2]);
		t->has_wscale = true;
		return true;
	case SG_TCPOPT_SACK_PERM:
		if (len != SG_TCPOLEN_SACK_PERM)
			return false;
		t->sack_perm = true;
		return true;
	case SG_TCPOPT_SACK:
		return parse_sack(opt, len, off, t);
	case SG_TCPOPT_TIMESTAMP:
		if (len != SG_TCPOLEN_TIMESTAMP)
			return false;
		t->tsval = get_unaligned_be32(opt + 2);
		t->tsecr = get_unaligned_be32(opt + 6);
		t->ts_off = off + 2;
		t->has_ts = true;
		return true;
	case SG_TCPOPT_FASTOPEN:
		return parse_fastopen(len, SG_TCPOLEN_FASTOPEN, t);
	case SG_TCPOPT_EXP:
		/* Other experiments share the kind: only the ExID says. */
		if (len < SG_TCPOLEN_EXP ||
		    get_unaligned_be16(opt + 2) != SG_TCPOPT_FASTOPEN_MAGIC)
			return true;
		return parse_fastopen(len, SG_TCPOLEN_EXP, t);
	default:
		return true;
	}
}

/*
 * The walk of tcp_parse_options(): EOL ends the list, NOP is one byte,
 * and an option without room for its length byte, with a length below 2
 * or running past the header ends the walk, keeping what came before.
 */
void sg_tcp_parse_options(const u8 *opt, unsigned int len, struct sg_tcp *t)
{
	unsigned int i = 0, olen;

	clear_options(t);
	while (i < len) {
		if (opt[i] == SG_TCPOPT_EOL)
			return;
		if (opt[i] == SG_TCPOPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			goto odd;
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i)
			goto odd;
		if (!parse_option(opt + i, olen, SG_TCP_HDR_MIN + i, t))
			t->opt_odd = true;
		i += olen;
	}
	return;
odd:
	t->opt_odd = true;
}

enum sg_parse_err sg_tcp_parse(const u8 *seg, unsigned int len,
			       struct sg_tcp *t)
{
	unsigned int hdr_len;

	memset(t, 0, sizeof(*t));
	if (len < SG_TCP_HDR_MIN)
		return SG_PARSE_TRUNCATED;
	hdr_len = (seg[12] >> 4) * 4;
	if (hdr_len < SG_TCP_HDR_MIN || hdr_len > len)
		return SG_PARSE_BAD_DOFF;

	t->sport = get_unaligned_be16(seg);
	t->dport = get_unaligned_be16(seg + 2);
	t->seq = get_unaligned_be32(seg + 4);
	t->ack = get_unaligned_be32(seg + 8);
	t->flags = seg[13];
	t->window = get_unaligned_be16(seg + 14);
	t->hdr_len = hdr_len;

	/* GSO and BIG TCP super-packets may carry more than 64 KiB. */
	t->payload_len = len - hdr_len;

	sg_tcp_parse_options(seg + SG_TCP_HDR_MIN, hdr_len - SG_TCP_HDR_MIN, t);
	return SG_PARSE_OK;
}

/* Options go in 32-bit words; write one and move past it. */
static u8 *put_word(u8 *p, u8 a, u8 b, u8 c, u8 d)
{
	p[0] = a;
	p[1] = b;
	p[2] = c;
	p[3] = d;
	return p + 4;
}

unsigned int sg_tcp_build(u8 *buf, const struct sg_tcp_out *p)
{
	u8 *o = buf + SG_TCP_HDR_MIN;
	unsigned int len;

	put_unaligned_be16(p->sport, buf);
	put_unaligned_be16(p->dport, buf + 2);
	put_unaligned_be32(p->seq, buf + 4);
	put_unaligned_be32(p->ack, buf + 8);
	buf[13] = p->flags;
	put_unaligned_be16(p->window, buf + 14);
	/* Checksum and urgent pointer. */
	memset(buf + 16, 0, 4);

	if (p->mss)
		o = put_word(o, SG_TCPOPT_MSS, SG_TCPOLEN_MSS, p->mss >> 8,
			     p->mss & 0xff);
	if (p->has_ts) {
		/* SACK_PERM fills the two bytes NOPs would pad. */
		if (p->sack_perm)
			o = put_word(o, SG_TCPOPT_SACK_PERM,
				     SG_TCPOLEN_SACK_PERM, SG_TCPOPT_TIMESTAMP,
				     SG_TCPOLEN_TIMESTAMP);
		else
			o = put_word(o, SG_TCPOPT_NOP, SG_TCPOPT_NOP,
				     SG_TCPOPT_TIMESTAMP, SG_TCPOLEN_TIMESTAMP);
		put_unaligned_be32(p->tsval, o);
		put_unaligned_be32(p->tsecr, o + 4);
		o += 8;
	} else if (p->sack_perm) {
		o = put_word(o, SG_TCPOPT_NOP, SG_TCPOPT_NOP,
			     SG_TCPOPT_SACK_PERM, SG_TCPOLEN_SACK_PERM);
	}
	if (p->has_wscale)
		o = put_word(o, SG_TCPOPT_NOP, SG_TCPOPT_WSCALE,
			     SG_TCPOLEN_WSCALE,
			     sg_tcp_clamp_wscale(p->wscale));

	len = o - buf;
	buf[12] = len / 4 << 4;
	return len;
}
