// SPDX-License-Identifier: GPL-2.0
/*
 * The TCP parser on arbitrary bytes. libFuzzer hands over a heap buffer of
 * exactly @size bytes, so AddressSanitizer catches a read even one byte
 * past the segment; what is checked here is that a segment that parses
 * says what its bytes say.
 */
#include "tcp.h"
#include "fuzz.h"

/* What every parsed segment must satisfy, whoever parsed it. */
static void check_options(const struct sg_tcp *t)
{
	FUZZ_CHECK(t->nsack <= SG_TCP_MAX_SACK);
	FUZZ_CHECK(t->wscale <= 14);
	FUZZ_CHECK(t->has_wscale || !t->wscale);
	FUZZ_CHECK(t->has_mss || !t->mss);
	FUZZ_CHECK(t->has_ts || (!t->tsval && !t->tsecr));
	FUZZ_CHECK(t->tfo_len <= 16);
	FUZZ_CHECK(t->has_tfo || !t->tfo_len);
}

/*
 * The proxy rewrites the SACK blocks and the timestamp where the parser
 * says they are: never past the header's @end (offsets from its start).
 */
static void check_offsets(const struct sg_tcp *t, unsigned int end)
{
	FUZZ_CHECK(!t->has_ts || t->ts_off >= SG_TCP_HDR_MIN + 2);
	FUZZ_CHECK(!t->ts_off || t->ts_off + 8 <= end);
	FUZZ_CHECK(!t->sack_off || t->sack_off >= SG_TCP_HDR_MIN + 2);
	FUZZ_CHECK(!t->sack_off ||
		   t->sack_off + t->sack_blocks * SG_TCPOLEN_SACK_BLOCK <= end);
	FUZZ_CHECK(t->nsack <= t->sack_blocks);
}

static void check_flags(u8 flags)
{
	enum sg_flags_verdict v = sg_tcp_check_flags(flags);

	FUZZ_CHECK(v <= SG_FLAGS_OTHER);
	/* ECE and CWR never matter; PSH never makes a valid set invalid. */
	FUZZ_CHECK(v == sg_tcp_check_flags(flags & ~(SG_TCP_ECE | SG_TCP_CWR)));
	if (v == SG_FLAGS_OK) {
		FUZZ_CHECK(sg_tcp_check_flags(flags | SG_TCP_PSH) == SG_FLAGS_OK);
		/* The state machine relies on these (see state.c). */
		FUZZ_CHECK(flags & (SG_TCP_SYN | SG_TCP_RST | SG_TCP_ACK));
		FUZZ_CHECK(!(flags & SG_TCP_FIN) || (flags & SG_TCP_ACK));
	}
}

int fuzz_one(const uint8_t *data, size_t size)
{
	unsigned int len = size, doff;
	enum sg_parse_err err;
	struct sg_tcp t, again;

	if (size > SG_TCP_HDR_MAX * 1024)
		return 0;

	err = sg_tcp_parse(data, len, &t);
	FUZZ_CHECK(err <= SG_PARSE_BAD_DOFF);
	if (len < SG_TCP_HDR_MIN) {
		FUZZ_CHECK(err == SG_PARSE_TRUNCATED);
		goto options;
	}
	doff = (data[12] >> 4) * 4;
	if (doff < SG_TCP_HDR_MIN || doff > len) {
		FUZZ_CHECK(err == SG_PARSE_BAD_DOFF);
		goto options;
	}
	/* Options never make a segment unparseable, as in Linux. */
	FUZZ_CHECK(err == SG_PARSE_OK);

	FUZZ_CHECK(t.hdr_len >= SG_TCP_HDR_MIN && t.hdr_len <= SG_TCP_HDR_MAX);
	FUZZ_CHECK(t.hdr_len % 4 == 0 && t.hdr_len == doff);
	FUZZ_CHECK(t.hdr_len <= len);
	FUZZ_CHECK(t.payload_len == len - t.hdr_len);
	FUZZ_CHECK(t.sport == (data[0] << 8 | data[1]));
	FUZZ_CHECK(t.dport == (data[2] << 8 | data[3]));
	FUZZ_CHECK(t.seq == get_unaligned_be32(data + 4));
	FUZZ_CHECK(t.ack == get_unaligned_be32(data + 8));
	FUZZ_CHECK(t.flags == data[13]);
	FUZZ_CHECK(t.window == (data[14] << 8 | data[15]));
	FUZZ_CHECK(sg_tcp_seg_len(&t) >= t.payload_len);
	check_options(&t);
	check_offsets(&t, t.hdr_len);

	/* Re-reading the options, as the proxy does, finds the same. */
	memcpy(&again, &t, sizeof(t));
	sg_tcp_parse_options(data + SG_TCP_HDR_MIN, t.hdr_len - SG_TCP_HDR_MIN,
			     &again);
	FUZZ_CHECK(!memcmp(&again, &t, sizeof(t)));

	/* The module parses at most SG_TCP_HDR_MAX bytes of a segment. */
	if (len > SG_TCP_HDR_MAX) {
		FUZZ_CHECK(sg_tcp_parse(data, SG_TCP_HDR_MAX, &again) ==
			   SG_PARSE_OK);
		FUZZ_CHECK(again.hdr_len == t.hdr_len);
	}

options:
	check_flags(t.flags);
	if (len > 13)
		check_flags(data[13]);

	/* The option walker alone, on a list that ends at the buffer's end. */
	memset(&t, 0, sizeof(t));
	sg_tcp_parse_options(data, len, &t);
	check_options(&t);
	check_offsets(&t, SG_TCP_HDR_MIN + len);
	return 0;
}
