// SPDX-License-Identifier: GPL-2.0
/*
 * SYN cookies and SYN-ACKs on input-chosen secrets, tuples and options.
 * The input is read in this order, zeroes past its end:
 *
 *   16  shared secret        8  epoch
 *   16  client address      16  server address
 *    2  client port          2  server port        4  client ISN
 *    2  MSS offered          1  window scale       1  bit 0: has window
 *                                                     scale, bit 1: SACK
 *   16  the next secret, for a rotation
 *    4  an ISN and 4 a cookie to check as an attacker would send them
 *    2  sport  2 dport  4 seq  4 ack  2 window  2 MSS  1 window scale
 *    1  bit 0: has window scale, 1: SACK, 2: timestamps
 *    4  tsval  4 tsecr       (the SYN-ACK to build)
 *    1  an index into the MSS table
 *
 * A cookie must come back exactly as made, with the options sg_cookie_make()
 * said it would keep, before and after one rotation; any cookie must be
 * checked without harm; a SYN-ACK must parse back to what it was built
 * from.
 */
#include "cookie.h"
#include "fuzz.h"

#define OPT_WSCALE	0x01
#define OPT_SACK	0x02
#define OPT_TS		0x04

static void read_key(struct fuzz_in *in, siphash_key_t *k)
{
	k->key[0] = fuzz_be64(in);
	k->key[1] = fuzz_be64(in);
}

static bool same_key(const siphash_key_t *a, const siphash_key_t *b)
{
	return a->key[0] == b->key[0] && a->key[1] == b->key[1];
}

static bool same_opts(const struct sg_cookie_opts *a,
		      const struct sg_cookie_opts *b)
{
	return a->mss == b->mss && a->wscale == b->wscale &&
	       a->has_wscale == b->has_wscale && a->sack_perm == b->sack_perm;
}

static bool mss_in_table(u16 mss)
{
	unsigned int i;

	for (i = 0; i < SG_COOKIE_MSS_N; i++)
		if (sg_cookie_mss_at(i) == mss)
			return true;
	return false;
}

/* Options a cookie gives back: each one that 9 bits of data can say. */
static void check_decoded(const struct sg_cookie_opts *o)
{
	FUZZ_CHECK(mss_in_table(o->mss));
	FUZZ_CHECK(o->wscale <= 14);
	FUZZ_CHECK(o->has_wscale || !o->wscale);
}

/* What sg_cookie_make() promises as @used for the SYN's @client. */
static void check_used(const struct sg_cookie_opts *client,
		       const struct sg_cookie_opts *used)
{
	unsigned int i;

	check_decoded(used);
	FUZZ_CHECK(used->has_wscale == client->has_wscale);
	FUZZ_CHECK(used->sack_perm == client->sack_perm);
	if (client->has_wscale)
		FUZZ_CHECK(used->wscale == (client->wscale > 14 ? 14 :
					    client->wscale));
	/* The largest entry not above the MSS, the smallest below it. */
	if (client->mss < sg_cookie_mss_at(0)) {
		FUZZ_CHECK(used->mss == sg_cookie_mss_at(0));
		return;
	}
	FUZZ_CHECK(used->mss <= client->mss);
	for (i = 0; i < SG_COOKIE_MSS_N; i++)
		FUZZ_CHECK(sg_cookie_mss_at(i) <= used->mss ||
			   sg_cookie_mss_at(i) > client->mss);
}

/*
 * The cookie for @client as cookie.h specifies it, written from the
 * specification rather than from cookie.c.
 */
static u32 spec_cookie(const struct sg_cookie_secrets *s,
		       const struct sg_cookie_tuple *t, u32 client_isn,
		       const struct sg_cookie_opts *client)
{
	static const u8 mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
	};
	u32 gen = s->gen & 1, ws = 15, idx = 0, data, i;
	u8 msg[48] = { 0 }, *tail;
	size_t len;

	if (client->has_wscale)
		ws = client->wscale > 14 ? 14 : client->wscale;
	for (i = 0; i < SG_COOKIE_MSS_N; i++)
		if (client->mss >= sg_cookie_mss_at(i))
			idx = i;
	data = gen << 8 | idx << 5 | ws << 1 | client->sack_perm;

	if (!memcmp(t->client, mapped, 12) && !memcmp(t->server, mapped, 12)) {
		memcpy(msg, t->client + 12, 4);
		memcpy(msg + 4, t->server + 12, 4);
		tail = msg + 8;
		len = 24;
	} else {
		memcpy(msg, t->client, 16);
		memcpy(msg + 16, t->server, 16);
		tail = msg + 32;
		len = 48;
	}
	for (i = 0; i < 2; i++) {
		tail[i] = t->client_port >> (8 * i);
		tail[2 + i] = t->server_port >> (8 * i);
	}
	for (i = 0; i < 4; i++) {
		tail[4 + i] = client_isn >> (8 * i);
		tail[8 + i] = data >> (8 * i);
	}
	return (u32)siphash(msg, len, &s->key[gen]) << 9 | data;
}

/* The secret of @epoch as cookie.h specifies it. */
static void spec_derive(const siphash_key_t *shared, u64 epoch,
			siphash_key_t *out)
{
	u8 msg[24] = "synguard cookie";
	unsigned int i;

	for (i = 0; i < 8; i++)
		msg[16 + i] = epoch >> (8 * i);
	for (i = 0; i < 2; i++) {
		msg[15] = i;
		out->key[i] = siphash(msg, sizeof(msg), shared);
	}
}

static void fuzz_secrets(struct fuzz_in *in, struct sg_cookie_secrets *s)
{
	siphash_key_t shared, k, alias;
	u64 epoch;

	read_key(in, &shared);
	epoch = fuzz_be64(in);
	memset(s, 0, sizeof(*s));
	sg_cookie_set_epoch(s, &shared, epoch);
	FUZZ_CHECK(s->gen == (epoch & 1));

	sg_cookie_derive(&shared, epoch, &k);
	FUZZ_CHECK(same_key(&k, &s->key[epoch & 1]));
	sg_cookie_derive(&shared, epoch - 1, &k);
	FUZZ_CHECK(same_key(&k, &s->key[(epoch - 1) & 1]));

	spec_derive(&shared, epoch - 1, &alias);
	FUZZ_CHECK(same_key(&alias, &k));

	/* The output may be the shared secret itself. */
	alias = shared;
	sg_cookie_derive(&alias, epoch - 1, &alias);
	FUZZ_CHECK(same_key(&alias, &k));
}

static void fuzz_roundtrip(struct fuzz_in *in, struct sg_cookie_secrets *s)
{
	struct sg_cookie_opts client, used, out;
	struct sg_cookie_tuple t;
	siphash_key_t next;
	u32 isn, cookie, c2;
	u8 bits;

	memset(&t, 0, sizeof(t));
	fuzz_bytes(in, t.client, sizeof(t.client));
	fuzz_bytes(in, t.server, sizeof(t.server));
	t.client_port = fuzz_be16(in);
	t.server_port = fuzz_be16(in);
	isn = fuzz_be32(in);
	memset(&client, 0, sizeof(client));
	client.mss = fuzz_be16(in);
	client.wscale = fuzz_u8(in);
	bits = fuzz_u8(in);
	client.has_wscale = bits & OPT_WSCALE;
	client.sack_perm = bits & OPT_SACK;
	if (!client.has_wscale)
		client.wscale = 0;

	cookie = sg_cookie_make(s, &t, isn, &client, &used);
	check_used(&client, &used);
	FUZZ_CHECK((cookie >> SG_COOKIE_GEN_SHIFT & 1) == (s->gen & 1));
	FUZZ_CHECK(sg_cookie_make(s, &t, isn, &client, NULL) == cookie);
	FUZZ_CHECK(spec_cookie(s, &t, isn, &client) == cookie);

	memset(&out, 0xa5, sizeof(out));
	FUZZ_CHECK(sg_cookie_check(s, &t, isn, cookie, &out));
	FUZZ_CHECK(same_opts(&out, &used));
	FUZZ_CHECK(sg_cookie_check(s, &t, isn, cookie, NULL));

	/* The cookie outlives one rotation; the next one's cookies work. */
	read_key(in, &next);
	sg_cookie_rotate(s, &next);
	FUZZ_CHECK(same_key(&s->key[s->gen], &next));
	memset(&out, 0xa5, sizeof(out));
	FUZZ_CHECK(sg_cookie_check(s, &t, isn, cookie, &out));
	FUZZ_CHECK(same_opts(&out, &used));
	c2 = sg_cookie_make(s, &t, isn, &client, &out);
	FUZZ_CHECK(same_opts(&out, &used));
	FUZZ_CHECK(sg_cookie_check(s, &t, isn, c2, NULL));

	/* Whatever an attacker acknowledges is checked without harm. */
	isn = fuzz_be32(in);
	cookie = fuzz_be32(in);
	memset(&out, 0xa5, sizeof(out));
	if (sg_cookie_check(s, &t, isn, cookie, &out)) {
		check_decoded(&out);
		FUZZ_CHECK(sg_cookie_check(s, &t, isn, cookie, NULL));
	} else {
		FUZZ_CHECK(!sg_cookie_check(s, &t, isn, cookie, NULL));
	}
}

static void fuzz_synack(struct fuzz_in *in)
{
	u8 buf[SG_TCP_HDR_MAX + 1];
	struct sg_tcp_out p;
	struct sg_tcp t;
	unsigned int len, i;
	u8 bits;

	memset(&p, 0, sizeof(p));
	p.sport = fuzz_be16(in);
	p.dport = fuzz_be16(in);
	p.seq = fuzz_be32(in);
	p.ack = fuzz_be32(in);
	p.window = fuzz_be16(in);
	p.mss = fuzz_be16(in);
	p.wscale = fuzz_u8(in);
	bits = fuzz_u8(in);
	p.has_wscale = bits & OPT_WSCALE;
	p.sack_perm = bits & OPT_SACK;
	p.has_ts = bits & OPT_TS;
	p.tsval = fuzz_be32(in);
	p.tsecr = fuzz_be32(in);
	p.flags = SG_TCP_SYN | SG_TCP_ACK;

	/* One guard byte past the room the header may take. */
	memset(buf, 0xa5, sizeof(buf));
	len = sg_tcp_build(buf, &p);
	FUZZ_CHECK(len >= SG_TCP_HDR_MIN && len <= SG_TCP_HDR_MAX);
	FUZZ_CHECK(len % 4 == 0);
	for (i = len; i < sizeof(buf); i++)
		FUZZ_CHECK(buf[i] == 0xa5);
	/* Checksum and urgent pointer are left zero. */
	FUZZ_CHECK(!buf[16] && !buf[17] && !buf[18] && !buf[19]);

	FUZZ_CHECK(sg_tcp_parse(buf, len, &t) == SG_PARSE_OK);
	FUZZ_CHECK(t.hdr_len == len && !t.payload_len);
	FUZZ_CHECK(t.sport == p.sport && t.dport == p.dport);
	FUZZ_CHECK(t.seq == p.seq && t.ack == p.ack);
	FUZZ_CHECK(t.flags == (SG_TCP_SYN | SG_TCP_ACK));
	FUZZ_CHECK(sg_tcp_check_flags(t.flags) == SG_FLAGS_OK);
	FUZZ_CHECK(t.window == p.window);
	FUZZ_CHECK(t.has_mss == !!p.mss && (!p.mss || t.mss == p.mss));
	FUZZ_CHECK(t.has_wscale == p.has_wscale);
	if (p.has_wscale)
		FUZZ_CHECK(t.wscale == (p.wscale > 14 ? 14 : p.wscale));
	FUZZ_CHECK(t.sack_perm == p.sack_perm);
	FUZZ_CHECK(t.has_ts == p.has_ts);
	if (p.has_ts)
		FUZZ_CHECK(t.tsval == p.tsval && t.tsecr == p.tsecr);
	FUZZ_CHECK(!t.nsack && !t.has_tfo);
}

int fuzz_one(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct sg_cookie_secrets s;
	unsigned int idx;

	fuzz_secrets(&in, &s);
	fuzz_roundtrip(&in, &s);
	fuzz_synack(&in);

	idx = fuzz_u8(&in);
	FUZZ_CHECK(!sg_cookie_mss_at(idx) == (idx >= SG_COOKIE_MSS_N));
	return 0;
}
