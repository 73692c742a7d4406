// SPDX-License-Identifier: GPL-2.0
/*
 * TCP header, option and flag validation.
 *
 * This runs on every segment before any state is looked up, so it must
 * never trust a length it has not checked against the bytes it was given.
 * It is built into the module and into the userspace unit tests and
 * fuzzers (see pure.h), and uses nothing else.
 */
#include "tcp.h"

/* Option kinds (IANA "TCP Option Kind Numbers"). */
#define SG_TCPOPT_EOL		0
#define SG_TCPOPT_NOP		1
#define SG_TCPOPT_MSS		2
#define SG_TCPOPT_WSCALE	3
#define SG_TCPOPT_SACK_PERM	4
#define SG_TCPOPT_SACK		5
#define SG_TCPOPT_TIMESTAMP	8
#define SG_TCPOPT_FASTOPEN	34	/* RFC 7413 */
#define SG_TCPOPT_EXP		254	/* RFC 6994 shared experimental */

/* Option lengths, kind and length bytes included. */
#define SG_TCPOLEN_MSS		4
#define SG_TCPOLEN_WSCALE	3
#define SG_TCPOLEN_SACK_PERM	2
#define SG_TCPOLEN_SACK_BASE	2
#define SG_TCPOLEN_SACK_BLOCK	8
#define SG_TCPOLEN_TIMESTAMP	10
#define SG_TCPOLEN_FASTOPEN	2	/* plus a cookie of up to 16 bytes */
#define SG_TCPOLEN_EXP		4	/* kind, length and a 16-bit ExID */
#define SG_TCP_FASTOPEN_COOKIE_MAX	16

/* The ExID under which Fast Open ran before it had its own kind. */
#define SG_TCPOPT_FASTOPEN_MAGIC	0xF989

/* RFC 7323: a larger shift would let the window exceed 2^30. */
#define SG_TCP_MAX_WSCALE	14

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
	t->has_mss = false;
	t->has_wscale = false;
	t->sack_perm = false;
	t->has_ts = false;
	t->has_tfo = false;
	memset(t->sack, 0, sizeof(t->sack));
}

static bool parse_sack(const u8 *opt, unsigned int len, struct sg_tcp *t)
{
	unsigned int n = (len - SG_TCPOLEN_SACK_BASE) / SG_TCPOLEN_SACK_BLOCK;
	unsigned int i;

	if (len < SG_TCPOLEN_SACK_BASE + SG_TCPOLEN_SACK_BLOCK ||
	    (len - SG_TCPOLEN_SACK_BASE) % SG_TCPOLEN_SACK_BLOCK ||
	    n > SG_TCP_MAX_SACK)
		return false;
	opt += SG_TCPOLEN_SACK_BASE;
	for (i = 0; i < n; i++, opt += SG_TCPOLEN_SACK_BLOCK) {
		t->sack[i].start = get_unaligned_be32(opt);
		t->sack[i].end = get_unaligned_be32(opt + 4);
	}
	t->nsack = n;
	return true;
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
 * lie within the header). Returns false when a known option has a length
 * it cannot have; unknown options are skipped.
 */
static bool parse_option(const u8 *opt, unsigned int len, struct sg_tcp *t)
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
		t->wscale = opt[2] > SG_TCP_MAX_WSCALE ? SG_TCP_MAX_WSCALE :
							 opt[2];
		t->has_wscale = true;
		return true;
	case SG_TCPOPT_SACK_PERM:
		if (len != SG_TCPOLEN_SACK_PERM)
			return false;
		t->sack_perm = true;
		return true;
	case SG_TCPOPT_SACK:
		return parse_sack(opt, len, t);
	case SG_TCPOPT_TIMESTAMP:
		if (len != SG_TCPOLEN_TIMESTAMP)
			return false;
		t->tsval = get_unaligned_be32(opt + 2);
		t->tsecr = get_unaligned_be32(opt + 6);
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

enum sg_parse_err sg_tcp_parse_options(const u8 *opt, unsigned int len,
				       struct sg_tcp *t)
{
	unsigned int i = 0;

	/* Options the proxy rewrote must not inherit stale ones. */
	clear_options(t);

	while (i < len) {
		unsigned int olen;

		if (opt[i] == SG_TCPOPT_EOL)
			break;		/* the rest is padding */
		if (opt[i] == SG_TCPOPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return SG_PARSE_BAD_OPTION;
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i)
			return SG_PARSE_BAD_OPTION;
		if (!parse_option(opt + i, olen, t))
			return SG_PARSE_BAD_OPTION;
		i += olen;
	}
	return SG_PARSE_OK;
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

	return sg_tcp_parse_options(seg + SG_TCP_HDR_MIN,
				    hdr_len - SG_TCP_HDR_MIN, t);
}
