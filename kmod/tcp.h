/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP on the wire: header, flag and option parsing, the classification
 * of a segment, and the one segment builder every sender uses. Pure
 * logic: built into the module and into the userspace unit tests and
 * fuzzers through pure.h. Every TCP constant synguard needs is here.
 */
#ifndef _SYNGUARD_TCP_H
#define _SYNGUARD_TCP_H

#include "pure.h"

/* The low byte of the TCP flags word. */
#define SG_TCP_FIN	0x01
#define SG_TCP_SYN	0x02
#define SG_TCP_RST	0x04
#define SG_TCP_PSH	0x08
#define SG_TCP_ACK	0x10
#define SG_TCP_URG	0x20
#define SG_TCP_ECE	0x40
#define SG_TCP_CWR	0x80

#define SG_TCP_HDR_MIN	20
#define SG_TCP_HDR_MAX	60
#define SG_TCP_MAX_SACK	4

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
/* The MSS of a SYN without the option (RFC 9293 3.7.1). */
#define SG_TCP_MSS_DEFAULT	536

/* Why a segment's flags are invalid; SG_FLAGS_OK when they are not. */
enum sg_flags_verdict {
	SG_FLAGS_OK,
	SG_FLAGS_SYN_FIN,	/* SYN and FIN */
	SG_FLAGS_SYN_RST,	/* SYN and RST, FIN clear */
	SG_FLAGS_FIN_NOACK,	/* FIN without ACK (SYN, RST clear) */
	SG_FLAGS_NULL,		/* none of FIN SYN RST PSH ACK URG */
	SG_FLAGS_XMAS,		/* all of FIN SYN RST PSH ACK URG */
	SG_FLAGS_OTHER,		/* any other combination conntrack rejects */
};

/*
 * Why a segment could not be parsed. Options never make a segment
 * unparseable: Linux's tcp_parse_options() skips an option of the wrong
 * length and stops at one that runs past the header, and accepts the
 * segment, so synguard does the same and only notes it (opt_odd).
 */
enum sg_parse_err {
	SG_PARSE_OK = 0,
	SG_PARSE_TRUNCATED,	/* fewer than 20 bytes */
	SG_PARSE_BAD_DOFF,	/* data offset < 5 or past the segment end */
};

/* What a segment is, to the state machine and to the verdicts. */
enum sg_seg_class {
	SG_SEG_SYN,		/* SYN without ACK */
	SG_SEG_SYNACK,		/* SYN with ACK */
	SG_SEG_ACK,		/* ACK, with or without FIN and data */
	SG_SEG_RST,		/* RST, whatever else is set */
	SG_SEG_INVALID,		/* no SYN, ACK or RST */
};

struct sg_tcp_sack {
	u32 start, end;
};

/* Everything synguard needs from one segment, in host byte order. */
struct sg_tcp {
	u32 seq, ack;
	u32 tsval, tsecr;	/* valid when has_ts */
	u16 sport, dport;
	u16 window;		/* raw, unscaled */
	u32 payload_len;	/* bytes after the header */
	u16 hdr_len;		/* doff * 4 */
	u16 mss;		/* valid when has_mss */
	u8 flags;		/* SG_TCP_* */
	u8 wscale;		/* valid when has_wscale; clamped to 14 */
	u8 nsack;		/* SACK blocks in sack[] */
	u8 tfo_len;		/* length of the Fast Open cookie, has_tfo */
	/*
	 * Where the SACK option's blocks and the timestamp's two words
	 * start, as offsets from the start of the header; 0 when absent.
	 * sack_blocks counts every block in the option, which may be
	 * more than sack[] keeps.
	 */
	u16 sack_off, sack_blocks, ts_off;
	bool has_mss, has_wscale, sack_perm, has_ts, has_tfo;
	bool opt_odd;		/* an option Linux skips or stops at */
	struct sg_tcp_sack sack[SG_TCP_MAX_SACK];
};

/*
 * Parse the TCP segment at @seg, of which @len bytes (header and payload)
 * are present, into @t. Returns SG_PARSE_OK or the reason it failed. Never
 * reads outside [seg, seg + len).
 */
enum sg_parse_err sg_tcp_parse(const u8 *seg, unsigned int len,
			       struct sg_tcp *t);

/*
 * Parse the option bytes of a header whose fixed part is already in @t,
 * as tcp_parse_options() does. Offsets in @t count from @opt less 20.
 */
void sg_tcp_parse_options(const u8 *opt, unsigned int len, struct sg_tcp *t);

/* Validate a flag byte the way conntrack's tcp_valid_flags does. */
enum sg_flags_verdict sg_tcp_check_flags(u8 flags);

static inline enum sg_seg_class sg_tcp_class(u8 flags)
{
	if (flags & SG_TCP_RST)
		return SG_SEG_RST;
	if (flags & SG_TCP_SYN)
		return flags & SG_TCP_ACK ? SG_SEG_SYNACK : SG_SEG_SYN;
	if (flags & SG_TCP_ACK)
		return SG_SEG_ACK;
	return SG_SEG_INVALID;
}

/* A pure ACK: no SYN, RST or FIN (data allowed). */
static inline bool sg_tcp_is_ack(u8 flags)
{
	return (flags & (SG_TCP_SYN | SG_TCP_RST | SG_TCP_FIN | SG_TCP_ACK)) ==
	       SG_TCP_ACK;
}

/* Sequence space a segment occupies: payload plus one for SYN and FIN. */
static inline u32 sg_tcp_seg_len(const struct sg_tcp *t)
{
	return t->payload_len + !!(t->flags & SG_TCP_SYN) +
	       !!(t->flags & SG_TCP_FIN);
}

static inline u8 sg_tcp_clamp_wscale(u8 ws)
{
	return ws > SG_TCP_MAX_WSCALE ? SG_TCP_MAX_WSCALE : ws;
}

/*
 * A segment synguard sends: a cookie SYN-ACK, the SYN and the ACK it
 * sends the server for a proven client, the ACK it sends the client, or
 * an RST. Host byte order. Options go only on what sets them.
 */
struct sg_tcp_out {
	u16 sport, dport;
	u32 seq, ack;
	u8 flags;		/* SG_TCP_* */
	u16 window;
	u16 mss;		/* sent when non-zero */
	u8 wscale;		/* sent when has_wscale */
	bool has_wscale;
	bool sack_perm;
	bool has_ts;
	u32 tsval, tsecr;
};

/*
 * Write the TCP header of @p, options included, to @buf, which has room
 * for SG_TCP_HDR_MAX bytes. Returns its length, a multiple of 4. The
 * options are laid out as Linux lays out a SYN-ACK's:
 *
 *   MSS						(if mss)
 *   SACK_PERM TS | NOP NOP TS | NOP NOP SACK_PERM	(as set)
 *   NOP WS						(if has_wscale)
 *
 * The checksum is left zero: the caller sums it with the pseudo-header.
 */
unsigned int sg_tcp_build(u8 *buf, const struct sg_tcp_out *p);

#endif /* _SYNGUARD_TCP_H */
