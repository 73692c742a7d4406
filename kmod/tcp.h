/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP header, flag and option parsing. Pure logic: built into the module
 * and into the userspace unit tests and fuzzers through pure.h.
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

/* Why a segment could not be parsed. */
enum sg_parse_err {
	SG_PARSE_OK = 0,
	SG_PARSE_TRUNCATED,	/* fewer than 20 bytes */
	SG_PARSE_BAD_DOFF,	/* data offset < 5 or past the segment end */
	SG_PARSE_BAD_OPTION,	/* malformed option list */
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
	bool has_mss, has_wscale, sack_perm, has_ts, has_tfo;
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
 * Parse the option bytes of a header whose fixed part is already in @t.
 * Exposed so the proxy can re-read options it rewrote.
 */
enum sg_parse_err sg_tcp_parse_options(const u8 *opt, unsigned int len,
				       struct sg_tcp *t);

/* Validate a flag byte the way conntrack's tcp_valid_flags does. */
enum sg_flags_verdict sg_tcp_check_flags(u8 flags);

/* Sequence space a segment occupies: payload plus one for SYN and FIN. */
static inline u32 sg_tcp_seg_len(const struct sg_tcp *t)
{
	return t->payload_len + !!(t->flags & SG_TCP_SYN) +
	       !!(t->flags & SG_TCP_FIN);
}

#endif /* _SYNGUARD_TCP_H */
