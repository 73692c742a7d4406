// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of kmod/tcp.c: header and option parsing, flag validation.
 */
#include "test.h"

/* Option kinds, short enough to read inside an OPTS() list. */
enum {
	EOL = 0,
	NOP = 1,
	MSS = 2,
	WS = 3,
	SACKOK = 4,
	SACK = 5,
	TS = 8,
	TFO = 34,
	EXP = 254,
};

static void fixed_header(void)
{
	struct seg s = {
		.sport = 0x1234, .dport = 443, .seq = 0xdeadbeef,
		.ack = 0x01020304, .flags = 0xff, .window = 0xfffe,
		.payload = 100,
	};
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK_EQ(0x1234, t.sport);
	CHECK_EQ(443, t.dport);
	CHECK_EQ(0xdeadbeef, t.seq);
	CHECK_EQ(0x01020304, t.ack);
	CHECK_EQ(0xff, t.flags);
	CHECK_EQ(0xfffe, t.window);
	CHECK_EQ(20, t.hdr_len);
	CHECK_EQ(100, t.payload_len);
	CHECK(!t.has_mss && !t.has_wscale && !t.sack_perm && !t.has_ts &&
	      !t.has_tfo);
	CHECK_EQ(0, t.nsack);
}

static void truncated(void)
{
	struct seg s = { .flags = SG_TCP_SYN };
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_TRUNCATED, seg_parse_len(&s, 0, &t));
	CHECK_EQ(SG_PARSE_TRUNCATED, seg_parse_len(&s, 1, &t));
	CHECK_EQ(SG_PARSE_TRUNCATED, seg_parse_len(&s, 19, &t));
	CHECK_EQ(SG_PARSE_OK, seg_parse_len(&s, 20, &t));
	CHECK_EQ(0, t.payload_len);
}

static void bad_doff(void)
{
	struct seg s = { .flags = SG_TCP_ACK, .payload = 40 };
	struct sg_tcp t;
	unsigned int doff;

	for (doff = 0; doff < 5; doff++) {
		s.doff = doff ? doff : SEG_DOFF_ZERO;
		CHECK_EQ(SG_PARSE_BAD_DOFF, seg_parse(&s, &t));
	}

	/* A header longer than the segment. */
	s.doff = 6;
	s.payload = 0;
	CHECK_EQ(SG_PARSE_BAD_DOFF, seg_parse_len(&s, 20, &t));
	CHECK_EQ(SG_PARSE_BAD_DOFF, seg_parse_len(&s, 23, &t));
	CHECK_EQ(SG_PARSE_OK, seg_parse_len(&s, 24, &t));
	CHECK_EQ(24, t.hdr_len);
	CHECK_EQ(0, t.payload_len);
}

static void max_header(void)
{
	struct seg s = {
		.flags = SG_TCP_ACK, .doff = 15, .payload = 3,
		OPTS(NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP,
		     NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP,
		     NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP, NOP,
		     TS, 10, 0, 0, 0, 7, 0, 0, 0, 9),
	};
	struct sg_tcp t;

	CHECK_EQ(60, seg_len(&s) - 3);
	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK_EQ(60, t.hdr_len);
	CHECK_EQ(3, t.payload_len);
	CHECK(t.has_ts);
	CHECK_EQ(7, t.tsval);
	CHECK_EQ(9, t.tsecr);
	CHECK_EQ(SG_PARSE_BAD_DOFF, seg_parse_len(&s, 59, &t));
}

static void payload_len(void)
{
	struct seg s = { .flags = SG_TCP_ACK,
			 OPTS(TS, 10, 0, 0, 0, 1, 0, 0, 0, 2) };
	struct sg_tcp t;

	s.payload = 1;
	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK_EQ(32, t.hdr_len);
	CHECK_EQ(1, t.payload_len);

	s.payload = 1448;
	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK_EQ(1448, t.payload_len);

	s.payload = 65535;
	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK_EQ(65535, t.payload_len);
}

/*
 * A GSO or BIG TCP super-packet can be longer than any IP datagram; its
 * length must survive whole, or a FIN at its end would be misplaced.
 */
static void payload_len_beyond_64k(void)
{
	struct seg s = { .flags = SG_TCP_ACK, .payload = 70000 };
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK_EQ(70000, t.payload_len);
}

static void opt_mss(void)
{
	struct seg good = { .flags = SG_TCP_SYN, OPTS(MSS, 4, 0x05, 0xb4) };
	struct seg short_len = { .flags = SG_TCP_SYN, OPTS(MSS, 3, 0x05) };
	struct seg long_len = { .flags = SG_TCP_SYN,
				OPTS(MSS, 5, 0x05, 0xb4, 0) };
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&good, &t));
	CHECK(t.has_mss);
	CHECK_EQ(1460, t.mss);
	CHECK_EQ(24, t.hdr_len);

	CHECK_ODD(seg_parse(&short_len, &t));
	CHECK_ODD(seg_parse(&long_len, &t));
}

static void opt_wscale(void)
{
	static const struct {
		u8 shift, expect;
	} cases[] = { { 0, 0 }, { 7, 7 }, { 14, 14 }, { 15, 14 },
		      { 255, 14 } };
	struct seg bad2 = { .flags = SG_TCP_SYN, OPTS(WS, 2) };
	struct seg bad4 = { .flags = SG_TCP_SYN, OPTS(WS, 4, 7, 0) };
	struct sg_tcp t;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct seg s = { .flags = SG_TCP_SYN,
				 OPTS(NOP, WS, 3, cases[i].shift) };

		CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
		CHECK(t.has_wscale);
		CHECK_EQ(cases[i].expect, t.wscale);
	}
	CHECK_ODD(seg_parse(&bad2, &t));
	CHECK_ODD(seg_parse(&bad4, &t));
}

static void opt_sack_perm(void)
{
	struct seg good = { .flags = SG_TCP_SYN, OPTS(NOP, NOP, SACKOK, 2) };
	struct seg bad = { .flags = SG_TCP_SYN, OPTS(SACKOK, 3, 0, NOP) };
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&good, &t));
	CHECK(t.sack_perm);
	CHECK_ODD(seg_parse(&bad, &t));
}

static void opt_sack_blocks(void)
{
	struct seg one = {
		.flags = SG_TCP_ACK,
		OPTS(NOP, NOP, SACK, 10, 0, 0, 0, 100, 0, 0, 0, 200),
	};
	struct seg four = {
		.flags = SG_TCP_ACK,
		OPTS(NOP, NOP, SACK, 34,
		     0, 0, 0, 1, 0, 0, 0, 2,
		     0, 0, 0, 3, 0, 0, 0, 4,
		     0, 0, 0, 5, 0, 0, 0, 6,
		     0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 16),
	};
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&one, &t));
	CHECK_EQ(1, t.nsack);
	CHECK_EQ(100, t.sack[0].start);
	CHECK_EQ(200, t.sack[0].end);

	CHECK_EQ(SG_PARSE_OK, seg_parse(&four, &t));
	CHECK_EQ(4, t.nsack);
	CHECK_EQ(1, t.sack[0].start);
	CHECK_EQ(2, t.sack[0].end);
	CHECK_EQ(3, t.sack[1].start);
	CHECK_EQ(4, t.sack[1].end);
	CHECK_EQ(5, t.sack[2].start);
	CHECK_EQ(6, t.sack[2].end);
	CHECK_EQ(0xfffffff0, t.sack[3].start);
	CHECK_EQ(0x10, t.sack[3].end);
	CHECK_EQ(56, t.hdr_len);
}

static void opt_sack_two_three(void)
{
	struct seg two = {
		.flags = SG_TCP_ACK,
		OPTS(NOP, NOP, SACK, 18,
		     0, 0, 0, 10, 0, 0, 0, 20,
		     0, 0, 0, 30, 0, 0, 0, 40),
	};
	struct seg three = {
		.flags = SG_TCP_ACK,
		OPTS(NOP, NOP, SACK, 26,
		     0, 0, 0, 10, 0, 0, 0, 20,
		     0, 0, 0, 30, 0, 0, 0, 40,
		     0, 0, 0, 50, 0, 0, 0, 60),
	};
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&two, &t));
	CHECK_EQ(2, t.nsack);
	CHECK_EQ(30, t.sack[1].start);
	CHECK_EQ(40, t.sack[1].end);

	CHECK_EQ(SG_PARSE_OK, seg_parse(&three, &t));
	CHECK_EQ(3, t.nsack);
	CHECK_EQ(50, t.sack[2].start);
	CHECK_EQ(60, t.sack[2].end);
}

static void opt_sack_bad(void)
{
	/* No block at all, a partial block, and one byte too many. */
	struct seg none = { .flags = SG_TCP_ACK, OPTS(SACK, 2) };
	struct seg partial = { .flags = SG_TCP_ACK,
			       OPTS(SACK, 9, 0, 0, 0, 1, 0, 0, 0, NOP, NOP,
				    NOP) };
	struct seg extra = { .flags = SG_TCP_ACK,
			     OPTS(SACK, 11, 0, 0, 0, 1, 0, 0, 0, 2, 0) };
	struct seg partial2 = { .flags = SG_TCP_ACK,
				OPTS(SACK, 17, 0, 0, 0, 1, 0, 0, 0, 2,
				     0, 0, 0, 3, 0, 0, 0) };
	/* Five blocks do not fit a header, but the proxy's buffer might. */
	static const u8 five[] = { SACK, 42,
		0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5,
		0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0, 8, 0, 0, 0, 9, 0, 0, 0, 10 };
	struct sg_tcp t;

	CHECK_ODD(seg_parse(&none, &t));
	CHECK_ODD(seg_parse(&partial, &t));
	CHECK_ODD(seg_parse(&extra, &t));
	CHECK_ODD(seg_parse(&partial2, &t));
	CHECK_ODD(opts_parse(five, sizeof(five), &t));
}

/*
 * Linux's tcp_parse_options() never refuses a segment for its options:
 * a known option of the wrong length is skipped whole, and a length
 * below 2 or past the header ends the walk with what came before it
 * kept. A strict parser would have let such a SYN bypass a service.
 */
static void opt_linux_lenient(void)
{
	struct seg mss3_then_ws = { .flags = SG_TCP_SYN,
				    OPTS(MSS, 3, 0x05, WS, 3, 7, NOP, NOP) };
	struct seg ws_then_overrun = { .flags = SG_TCP_SYN,
				       OPTS(NOP, WS, 3, 6, MSS, 40, 0x05, 0xb4) };
	struct seg ws_then_silly = { .flags = SG_TCP_SYN,
				     OPTS(NOP, WS, 3, 5, 99, 1, MSS, 4, 5, 0xb4) };
	struct seg lone_kind = { .flags = SG_TCP_SYN,
				 OPTS(MSS, 4, 0x05, 0xb4, NOP, NOP, NOP, 99) };
	struct seg ts8_then_sack = { .flags = SG_TCP_SYN,
				     OPTS(TS, 8, 0, 0, 0, 1, 0, 2, SACKOK, 2) };
	struct sg_tcp t;

	CHECK_ODD(seg_parse(&mss3_then_ws, &t));
	CHECK(!t.has_mss);
	CHECK(t.has_wscale);
	CHECK_EQ(7, t.wscale);

	CHECK_ODD(seg_parse(&ws_then_overrun, &t));
	CHECK(t.has_wscale);
	CHECK_EQ(6, t.wscale);
	CHECK(!t.has_mss);

	CHECK_ODD(seg_parse(&ws_then_silly, &t));
	CHECK(t.has_wscale);
	CHECK(!t.has_mss);

	CHECK_ODD(seg_parse(&lone_kind, &t));
	CHECK(t.has_mss);
	CHECK_EQ(1460, t.mss);

	CHECK_ODD(seg_parse(&ts8_then_sack, &t));
	CHECK(!t.has_ts);
	CHECK(t.sack_perm);
}

/* Where the parser says the SACK blocks and the timestamp lie. */
static void opt_offsets(void)
{
	struct seg s = { .flags = SG_TCP_ACK,
			 OPTS(NOP, NOP, TS, 10, 0, 0, 0, 1, 0, 0, 0, 2,
			      NOP, NOP, SACK, 18,
			      0, 0, 0, 10, 0, 0, 0, 20,
			      0, 0, 0, 30, 0, 0, 0, 40) };
	struct seg none = { .flags = SG_TCP_ACK };
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK(!t.opt_odd);
	CHECK_EQ(24, t.ts_off);
	CHECK_EQ(36, t.sack_off);
	CHECK_EQ(2, t.sack_blocks);
	CHECK_EQ(SG_PARSE_OK, seg_parse(&none, &t));
	CHECK_EQ(0, t.ts_off);
	CHECK_EQ(0, t.sack_off);
}

static void opt_timestamp(void)
{
	struct seg good = { .flags = SG_TCP_ACK,
			    OPTS(NOP, NOP, TS, 10, 0x80, 0x00, 0x00, 0x01,
				 0xff, 0xff, 0xff, 0xfe) };
	struct seg short_len = { .flags = SG_TCP_ACK,
				 OPTS(TS, 8, 0, 0, 0, 1, 0, 2) };
	struct seg long_len = { .flags = SG_TCP_ACK,
				OPTS(TS, 12, 0, 0, 0, 1, 0, 0, 0, 2, 0, 3) };
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&good, &t));
	CHECK(t.has_ts);
	CHECK_EQ(0x80000001, t.tsval);
	CHECK_EQ(0xfffffffe, t.tsecr);
	CHECK_ODD(seg_parse(&short_len, &t));
	CHECK_ODD(seg_parse(&long_len, &t));
}

static void opt_fastopen(void)
{
	static const u8 request[] = { TFO, 2 };
	static const u8 cookie4[] = { TFO, 6, 1, 2, 3, 4 };
	static const u8 cookie8[] = { TFO, 10, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const u8 cookie16[] = { TFO, 18, 1, 2, 3, 4, 5, 6, 7, 8,
				       9, 10, 11, 12, 13, 14, 15, 16 };
	static const u8 cookie17[] = { TFO, 19, 1, 2, 3, 4, 5, 6, 7, 8,
				       9, 10, 11, 12, 13, 14, 15, 16, 17 };
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, opts_parse(request, sizeof(request), &t));
	CHECK(t.has_tfo);
	CHECK_EQ(0, t.tfo_len);
	CHECK_EQ(SG_PARSE_OK, opts_parse(cookie4, sizeof(cookie4), &t));
	CHECK(t.has_tfo);
	CHECK_EQ(4, t.tfo_len);
	CHECK_EQ(SG_PARSE_OK, opts_parse(cookie8, sizeof(cookie8), &t));
	CHECK(t.has_tfo);
	CHECK_EQ(8, t.tfo_len);
	CHECK_EQ(SG_PARSE_OK, opts_parse(cookie16, sizeof(cookie16), &t));
	CHECK(t.has_tfo);
	CHECK_EQ(16, t.tfo_len);
	CHECK_ODD(opts_parse(cookie17, sizeof(cookie17), &t));
}

static void opt_fastopen_in_segment(void)
{
	struct seg s = { .flags = SG_TCP_SYN, .payload = 100,
			 OPTS(MSS, 4, 0x05, 0xb4, TFO, 10,
			      1, 2, 3, 4, 5, 6, 7, 8) };
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK(t.has_tfo);
	CHECK_EQ(8, t.tfo_len);
	CHECK_EQ(1460, t.mss);
	CHECK_EQ(100, t.payload_len);
	CHECK_EQ(101, sg_tcp_seg_len(&t));
}

/* Fast Open under the shared experimental kind, ExID 0xF989. */
static void opt_fastopen_experimental(void)
{
	static const u8 request[] = { EXP, 4, 0xf9, 0x89 };
	static const u8 cookie8[] = { EXP, 12, 0xf9, 0x89,
				      1, 2, 3, 4, 5, 6, 7, 8 };
	static const u8 cookie16[] = { EXP, 20, 0xf9, 0x89,
				       1, 2, 3, 4, 5, 6, 7, 8,
				       9, 10, 11, 12, 13, 14, 15, 16 };
	static const u8 cookie17[] = { EXP, 21, 0xf9, 0x89,
				       1, 2, 3, 4, 5, 6, 7, 8,
				       9, 10, 11, 12, 13, 14, 15, 16, 17 };
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, opts_parse(request, sizeof(request), &t));
	CHECK(t.has_tfo);
	CHECK_EQ(0, t.tfo_len);
	CHECK_EQ(SG_PARSE_OK, opts_parse(cookie8, sizeof(cookie8), &t));
	CHECK(t.has_tfo);
	CHECK_EQ(8, t.tfo_len);
	CHECK_EQ(SG_PARSE_OK, opts_parse(cookie16, sizeof(cookie16), &t));
	CHECK(t.has_tfo);
	CHECK_EQ(16, t.tfo_len);
	CHECK_ODD(opts_parse(cookie17, sizeof(cookie17), &t));
}

/* Other experiments share kind 254; they are skipped like any unknown. */
static void opt_other_experiments(void)
{
	static const u8 other[] = { EXP, 8, 0x12, 0x34, 1, 2, 3, 4,
				    MSS, 4, 0x02, 0x18 };
	static const u8 too_short[] = { EXP, 2, EXP, 3, 0xf9,
					MSS, 4, 0x02, 0x18 };
	static const u8 at_end[] = { NOP, NOP, EXP, 2 };
	u8 long_list[2 + 0x89];
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, opts_parse(other, sizeof(other), &t));
	CHECK(!t.has_tfo);
	CHECK(t.has_mss);
	CHECK_EQ(536, t.mss);
	CHECK_EQ(SG_PARSE_OK, opts_parse(too_short, sizeof(too_short), &t));
	CHECK(!t.has_tfo);
	CHECK_EQ(536, t.mss);

	/* Too short for an ExID: what follows is not read as one. */
	CHECK_EQ(SG_PARSE_OK, opts_parse(at_end, sizeof(at_end), &t));
	CHECK(!t.has_tfo);
	memset(long_list, 0, sizeof(long_list));
	long_list[0] = EXP;
	long_list[1] = 2;
	long_list[2] = 0xf9;	/* an unknown kind, and not an ExID */
	long_list[3] = 0x89;	/* its length: all the rest */
	CHECK_EQ(SG_PARSE_OK, opts_parse(long_list, sizeof(long_list), &t));
	CHECK(!t.has_tfo);
}

static void opt_eol_ends_list(void)
{
	/* After EOL come padding bytes; garbage there is not an error. */
	struct seg junk = { .flags = SG_TCP_SYN,
			    OPTS(MSS, 4, 0x05, 0x78, EOL, 0xff, 1, 0xff) };
	struct seg first = { .flags = SG_TCP_SYN,
			     OPTS(EOL, MSS, 4, 0x05, 0x78) };
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&junk, &t));
	CHECK(t.has_mss);
	CHECK_EQ(1400, t.mss);
	CHECK_EQ(28, t.hdr_len);

	CHECK_EQ(SG_PARSE_OK, seg_parse(&first, &t));
	CHECK(!t.has_mss);
}

static void opt_unknown_skipped(void)
{
	struct seg s = { .flags = SG_TCP_SYN,
			 OPTS(99, 6, 0xff, 0xff, 0xff, 0xff,
			      MSS, 4, 0x04, 0xc4, 200, 2) };
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK(t.has_mss);
	CHECK_EQ(1220, t.mss);
}

static void opt_bad_length(void)
{
	struct seg zero = { .flags = SG_TCP_SYN, OPTS(99, 0, NOP, NOP) };
	struct seg one = { .flags = SG_TCP_SYN, OPTS(99, 1, NOP, NOP) };
	struct seg past = { .flags = SG_TCP_SYN, OPTS(NOP, 99, 4, 0) };
	/* Past the header, even though payload bytes follow it. */
	struct seg into_payload = { .flags = SG_TCP_ACK, .payload = 20,
				    OPTS(NOP, 99, 8, 0) };
	struct sg_tcp t;

	CHECK_ODD(seg_parse(&zero, &t));
	CHECK_ODD(seg_parse(&one, &t));
	CHECK_ODD(seg_parse(&past, &t));
	CHECK_ODD(seg_parse(&into_payload, &t));
}

static void opt_truncated_list(void)
{
	/* A kind byte with no length byte after it. */
	struct seg no_len = { .flags = SG_TCP_SYN,
			      OPTS(NOP, NOP, NOP, MSS) };
	/* An MSS claiming 4 bytes with 3 left. */
	struct seg cut = { .flags = SG_TCP_SYN, OPTS(NOP, MSS, 4, 5) };
	/* A timestamp cut by the end of an 8-byte option area. */
	struct seg cut_ts = { .flags = SG_TCP_ACK,
			      OPTS(NOP, NOP, TS, 10, 0, 0, 0, 1) };
	struct sg_tcp t;

	CHECK_ODD(seg_parse(&no_len, &t));
	CHECK_ODD(seg_parse(&cut, &t));
	CHECK_ODD(seg_parse(&cut_ts, &t));
}

/* What Linux puts in a SYN: everything at once, in its order. */
static void opt_linux_syn(void)
{
	struct seg s = {
		.flags = SG_TCP_SYN | SG_TCP_ECE | SG_TCP_CWR,
		.seq = 12345,
		OPTS(MSS, 4, 0x05, 0xb4, SACKOK, 2, TS, 10, 0, 0, 0, 111,
		     0, 0, 0, 0, NOP, WS, 3, 7),
	};
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK_EQ(40, t.hdr_len);
	CHECK(t.has_mss);
	CHECK_EQ(1460, t.mss);
	CHECK(t.sack_perm);
	CHECK(t.has_ts);
	CHECK_EQ(111, t.tsval);
	CHECK_EQ(0, t.tsecr);
	CHECK(t.has_wscale);
	CHECK_EQ(7, t.wscale);
	CHECK(!t.has_tfo);
	CHECK_EQ(0, t.nsack);
	CHECK_EQ(12345, t.seq);
	CHECK_EQ(1, sg_tcp_seg_len(&t));
}

/* Re-reading options forgets those that are gone, keeps the header. */
static void reparse_options_clears(void)
{
	struct seg s = {
		.flags = SG_TCP_SYN, .seq = 777,
		OPTS(MSS, 4, 0x05, 0xb4, SACKOK, 2, TS, 10, 0, 0, 0, 1,
		     0, 0, 0, 2, NOP, WS, 3, 7, TFO, 2, NOP, NOP),
	};
	static const u8 sack[] = { NOP, NOP, SACK, 10, 0, 0, 0, 5, 0, 0, 0, 6 };
	static const u8 nops[] = { NOP, NOP, NOP, NOP };
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK(t.has_mss && t.sack_perm && t.has_ts && t.has_wscale &&
	      t.has_tfo);
	CHECK_EQ(SG_PARSE_OK, opts_parse(sack, sizeof(sack), &t));
	CHECK_EQ(1, t.nsack);
	CHECK_EQ(SG_PARSE_OK, opts_parse(nops, sizeof(nops), &t));
	CHECK(!t.has_mss && !t.sack_perm && !t.has_ts && !t.has_wscale &&
	      !t.has_tfo);
	CHECK_EQ(0, t.mss);
	CHECK_EQ(0, t.wscale);
	CHECK_EQ(0, t.tsval);
	CHECK_EQ(0, t.tfo_len);
	CHECK_EQ(0, t.nsack);
	CHECK_EQ(0, t.sack[0].start);
	CHECK_EQ(777, t.seq);
	CHECK_EQ(SG_TCP_SYN, t.flags);
	CHECK_EQ(SG_PARSE_OK, opts_parse(nops, 0, &t));
}

static void seg_len_counts_syn_fin(void)
{
	struct seg syn = { .flags = SG_TCP_SYN };
	struct seg fin = { .flags = SG_TCP_FIN | SG_TCP_ACK, .payload = 10 };
	struct seg data = { .flags = SG_TCP_ACK | SG_TCP_PSH, .payload = 5 };
	struct seg ack = { .flags = SG_TCP_ACK };
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&syn, &t));
	CHECK_EQ(1, sg_tcp_seg_len(&t));
	CHECK_EQ(SG_PARSE_OK, seg_parse(&fin, &t));
	CHECK_EQ(11, sg_tcp_seg_len(&t));
	CHECK_EQ(SG_PARSE_OK, seg_parse(&data, &t));
	CHECK_EQ(5, sg_tcp_seg_len(&t));
	CHECK_EQ(SG_PARSE_OK, seg_parse(&ack, &t));
	CHECK_EQ(0, sg_tcp_seg_len(&t));
}

#define F	SG_TCP_FIN
#define S	SG_TCP_SYN
#define R	SG_TCP_RST
#define P	SG_TCP_PSH
#define A	SG_TCP_ACK
#define U	SG_TCP_URG

/*
 * The verdict on every combination of the six judged flags, written out
 * by hand from conntrack's table and the documented precedence.
 */
static const struct {
	u8 flags;
	enum sg_flags_verdict verdict;
} flag_table[] = {
	/* No SYN, FIN or RST. */
	{ 0,			SG_FLAGS_NULL },
	{ P,			SG_FLAGS_OTHER },
	{ A,			SG_FLAGS_OK },
	{ U,			SG_FLAGS_OTHER },
	{ P | A,		SG_FLAGS_OK },
	{ P | U,		SG_FLAGS_OTHER },
	{ A | U,		SG_FLAGS_OK },
	{ P | A | U,		SG_FLAGS_OK },
	/* RST alone of the three. */
	{ R,			SG_FLAGS_OK },
	{ R | P,		SG_FLAGS_OK },
	{ R | A,		SG_FLAGS_OK },
	{ R | P | A,		SG_FLAGS_OK },
	{ R | U,		SG_FLAGS_OTHER },
	{ R | P | U,		SG_FLAGS_OTHER },
	{ R | A | U,		SG_FLAGS_OTHER },
	{ R | P | A | U,	SG_FLAGS_OTHER },
	/* FIN alone of the three. */
	{ F,			SG_FLAGS_FIN_NOACK },
	{ F | P,		SG_FLAGS_FIN_NOACK },
	{ F | U,		SG_FLAGS_FIN_NOACK },
	{ F | P | U,		SG_FLAGS_FIN_NOACK },
	{ F | A,		SG_FLAGS_OK },
	{ F | P | A,		SG_FLAGS_OK },
	{ F | A | U,		SG_FLAGS_OK },
	{ F | P | A | U,	SG_FLAGS_OK },
	/* FIN and RST. */
	{ F | R,		SG_FLAGS_OTHER },
	{ F | R | P,		SG_FLAGS_OTHER },
	{ F | R | A,		SG_FLAGS_OTHER },
	{ F | R | U,		SG_FLAGS_OTHER },
	{ F | R | P | A,	SG_FLAGS_OTHER },
	{ F | R | P | U,	SG_FLAGS_OTHER },
	{ F | R | A | U,	SG_FLAGS_OTHER },
	{ F | R | P | A | U,	SG_FLAGS_OTHER },
	/* SYN alone of the three. */
	{ S,			SG_FLAGS_OK },
	{ S | P,		SG_FLAGS_OK },
	{ S | U,		SG_FLAGS_OK },
	{ S | P | U,		SG_FLAGS_OK },
	{ S | A,		SG_FLAGS_OK },
	{ S | P | A,		SG_FLAGS_OK },
	{ S | A | U,		SG_FLAGS_OTHER },
	{ S | P | A | U,	SG_FLAGS_OTHER },
	/* SYN and RST. */
	{ S | R,		SG_FLAGS_SYN_RST },
	{ S | R | P,		SG_FLAGS_SYN_RST },
	{ S | R | A,		SG_FLAGS_SYN_RST },
	{ S | R | U,		SG_FLAGS_SYN_RST },
	{ S | R | P | A,	SG_FLAGS_SYN_RST },
	{ S | R | P | U,	SG_FLAGS_SYN_RST },
	{ S | R | A | U,	SG_FLAGS_SYN_RST },
	{ S | R | P | A | U,	SG_FLAGS_SYN_RST },
	/* SYN and FIN, RST or not; all six is XMAS. */
	{ S | F,		SG_FLAGS_SYN_FIN },
	{ S | F | P,		SG_FLAGS_SYN_FIN },
	{ S | F | A,		SG_FLAGS_SYN_FIN },
	{ S | F | U,		SG_FLAGS_SYN_FIN },
	{ S | F | P | A,	SG_FLAGS_SYN_FIN },
	{ S | F | P | U,	SG_FLAGS_SYN_FIN },
	{ S | F | A | U,	SG_FLAGS_SYN_FIN },
	{ S | F | P | A | U,	SG_FLAGS_SYN_FIN },
	{ S | F | R,		SG_FLAGS_SYN_FIN },
	{ S | F | R | P,	SG_FLAGS_SYN_FIN },
	{ S | F | R | A,	SG_FLAGS_SYN_FIN },
	{ S | F | R | U,	SG_FLAGS_SYN_FIN },
	{ S | F | R | P | A,	SG_FLAGS_SYN_FIN },
	{ S | F | R | P | U,	SG_FLAGS_SYN_FIN },
	{ S | F | R | A | U,	SG_FLAGS_SYN_FIN },
	{ S | F | R | P | A | U, SG_FLAGS_XMAS },
};

#undef F
#undef S
#undef R
#undef P
#undef A
#undef U

/* All 256 flag bytes: ECE and CWR never change the verdict. */
static void flags_every_combination(void)
{
	static const u8 ecn[] = { 0, SG_TCP_ECE, SG_TCP_CWR,
				  SG_TCP_ECE | SG_TCP_CWR };
	bool listed[64] = { false };
	unsigned int n_ok = 0;
	size_t i, j;

	CHECK_EQ(64, ARRAY_SIZE(flag_table));
	for (i = 0; i < ARRAY_SIZE(flag_table); i++) {
		CHECK(!listed[flag_table[i].flags]);
		listed[flag_table[i].flags] = true;
		n_ok += flag_table[i].verdict == SG_FLAGS_OK;
		for (j = 0; j < ARRAY_SIZE(ecn); j++)
			CHECK_EQ(flag_table[i].verdict,
				 sg_tcp_check_flags(flag_table[i].flags |
						    ecn[j]));
	}
	/* conntrack's nine entries, each with and without PSH. */
	CHECK_EQ(18, n_ok);
}

/* The precedence between reasons, one case each. */
static void flags_reason_precedence(void)
{
	CHECK_EQ(SG_FLAGS_XMAS, sg_tcp_check_flags(0x3f));
	CHECK_EQ(SG_FLAGS_XMAS, sg_tcp_check_flags(0xff));
	CHECK_EQ(SG_FLAGS_SYN_FIN,
		 sg_tcp_check_flags(SG_TCP_SYN | SG_TCP_FIN));
	/* SYN and FIN outrank SYN and RST. */
	CHECK_EQ(SG_FLAGS_SYN_FIN,
		 sg_tcp_check_flags(SG_TCP_SYN | SG_TCP_FIN | SG_TCP_RST));
	CHECK_EQ(SG_FLAGS_NULL, sg_tcp_check_flags(0));
	CHECK_EQ(SG_FLAGS_NULL,
		 sg_tcp_check_flags(SG_TCP_ECE | SG_TCP_CWR));
	CHECK_EQ(SG_FLAGS_SYN_RST,
		 sg_tcp_check_flags(SG_TCP_SYN | SG_TCP_RST | SG_TCP_ACK));
	CHECK_EQ(SG_FLAGS_FIN_NOACK, sg_tcp_check_flags(SG_TCP_FIN));
	CHECK_EQ(SG_FLAGS_FIN_NOACK,
		 sg_tcp_check_flags(SG_TCP_FIN | SG_TCP_PSH | SG_TCP_URG));
	/* RST with FIN is no FIN_NOACK: RST is set. */
	CHECK_EQ(SG_FLAGS_OTHER, sg_tcp_check_flags(SG_TCP_FIN | SG_TCP_RST));
	CHECK_EQ(SG_FLAGS_OTHER, sg_tcp_check_flags(SG_TCP_PSH));
	CHECK_EQ(SG_FLAGS_OTHER, sg_tcp_check_flags(SG_TCP_URG));
	CHECK_EQ(SG_FLAGS_OTHER,
		 sg_tcp_check_flags(SG_TCP_SYN | SG_TCP_ACK | SG_TCP_URG));
	CHECK_EQ(SG_FLAGS_OTHER,
		 sg_tcp_check_flags(SG_TCP_RST | SG_TCP_ACK | SG_TCP_URG));
}

/* The flags of a parsed segment go through untouched. */
static void flags_from_segment(void)
{
	struct seg s = { .flags = SG_TCP_FIN | SG_TCP_PSH | SG_TCP_ACK };
	struct sg_tcp t;

	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK_EQ(SG_FLAGS_OK, sg_tcp_check_flags(t.flags));
	s.flags = SG_TCP_FIN | SG_TCP_SYN;
	CHECK_EQ(SG_PARSE_OK, seg_parse(&s, &t));
	CHECK_EQ(SG_FLAGS_SYN_FIN, sg_tcp_check_flags(t.flags));
}

const struct test_case tcp_tests[] = {
	TEST_CASE(fixed_header),
	TEST_CASE(truncated),
	TEST_CASE(bad_doff),
	TEST_CASE(max_header),
	TEST_CASE(payload_len),
	TEST_CASE(payload_len_beyond_64k),
	TEST_CASE(opt_mss),
	TEST_CASE(opt_wscale),
	TEST_CASE(opt_sack_perm),
	TEST_CASE(opt_sack_blocks),
	TEST_CASE(opt_sack_two_three),
	TEST_CASE(opt_sack_bad),
	TEST_CASE(opt_linux_lenient),
	TEST_CASE(opt_offsets),
	TEST_CASE(opt_timestamp),
	TEST_CASE(opt_fastopen),
	TEST_CASE(opt_fastopen_in_segment),
	TEST_CASE(opt_fastopen_experimental),
	TEST_CASE(opt_other_experiments),
	TEST_CASE(opt_eol_ends_list),
	TEST_CASE(opt_unknown_skipped),
	TEST_CASE(opt_bad_length),
	TEST_CASE(opt_truncated_list),
	TEST_CASE(opt_linux_syn),
	TEST_CASE(reparse_options_clears),
	TEST_CASE(seg_len_counts_syn_fin),
	TEST_CASE(flags_every_combination),
	TEST_CASE(flags_reason_precedence),
	TEST_CASE(flags_from_segment),
	{ NULL, NULL }
};
