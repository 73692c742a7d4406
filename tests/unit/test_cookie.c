// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of kmod/cookie.c: SipHash against the reference vectors, the
 * cookie against its specification in cookie.h, its lifetime and its
 * resistance to tampering, shared secrets, and SYN-ACKs read back through
 * sg_tcp_parse(). Expected cookies and keys were computed apart from this
 * code, by a separate implementation of the specification.
 */
#include <stdlib.h>

#include "test.h"
#include "cookie.h"

/* splitmix64 with a fixed seed: every run tests the same values. */
static u64 rng_state;

static void rng_seed(u64 seed)
{
	rng_state = seed;
}

static u64 rng64(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u32 rng32(void)
{
	return rng64() >> 32;
}

static void rng_bytes(u8 *p, size_t n)
{
	while (n--)
		*p++ = rng64();
}

/* The key 00 01 .. 0f of the SipHash paper's test vectors. */
static const siphash_key_t paper_key = {
	{ 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL },
};

static void addr_v4(u8 *addr, u8 a, u8 b, u8 c, u8 d)
{
	static const u8 prefix[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
	};

	memcpy(addr, prefix, sizeof(prefix));
	addr[12] = a;
	addr[13] = b;
	addr[14] = c;
	addr[15] = d;
}

/* 192.0.2.1:40000 -> 198.51.100.7:443 */
static void tuple_v4(struct sg_cookie_tuple *t)
{
	memset(t, 0, sizeof(*t));
	addr_v4(t->client, 192, 0, 2, 1);
	addr_v4(t->server, 198, 51, 100, 7);
	t->client_port = 40000;
	t->server_port = 443;
}

/* [2001:db8::1]:50000 -> [2001:db8::80]:80 */
static void tuple_v6(struct sg_cookie_tuple *t)
{
	static const u8 client[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	};
	static const u8 server[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80,
	};

	memcpy(t->client, client, sizeof(client));
	memcpy(t->server, server, sizeof(server));
	t->client_port = 50000;
	t->server_port = 80;
}

static void tuple_random(struct sg_cookie_tuple *t)
{
	rng_bytes(t->client, sizeof(t->client));
	rng_bytes(t->server, sizeof(t->server));
	/* Half of them IPv4-mapped. */
	if (rng64() & 1) {
		addr_v4(t->client, rng64(), rng64(), rng64(), rng64());
		addr_v4(t->server, rng64(), rng64(), rng64(), rng64());
	}
	t->client_port = rng64();
	t->server_port = rng64();
}

static void secrets_random(struct sg_cookie_secrets *s)
{
	s->key[0].key[0] = rng64();
	s->key[0].key[1] = rng64();
	s->key[1].key[0] = rng64();
	s->key[1].key[1] = rng64();
	s->gen = rng64() & 1;
}

static void opts_random(struct sg_cookie_opts *o)
{
	o->mss = rng64();
	o->wscale = rng64() % 15;
	o->has_wscale = rng64() & 1;
	o->sack_perm = rng64() & 1;
}

static void check_opts_eq(const struct sg_cookie_opts *exp,
			  const struct sg_cookie_opts *act)
{
	CHECK_EQ(exp->mss, act->mss);
	CHECK_EQ(exp->wscale, act->wscale);
	CHECK_EQ(exp->has_wscale, act->has_wscale);
	CHECK_EQ(exp->sack_perm, act->sack_perm);
}

/* The 64 SipHash-2-4 vectors of the reference implementation. */
static void siphash_vectors(void)
{
	static const u64 vectors[64] = {
		0x726fdb47dd0e0e31ULL, 0x74f839c593dc67fdULL,
		0x0d6c8009d9a94f5aULL, 0x85676696d7fb7e2dULL,
		0xcf2794e0277187b7ULL, 0x18765564cd99a68dULL,
		0xcbc9466e58fee3ceULL, 0xab0200f58b01d137ULL,
		0x93f5f5799a932462ULL, 0x9e0082df0ba9e4b0ULL,
		0x7a5dbbc594ddb9f3ULL, 0xf4b32f46226bada7ULL,
		0x751e8fbc860ee5fbULL, 0x14ea5627c0843d90ULL,
		0xf723ca908e7af2eeULL, 0xa129ca6149be45e5ULL,
		0x3f2acc7f57c29bdbULL, 0x699ae9f52cbe4794ULL,
		0x4bc1b3f0968dd39cULL, 0xbb6dc91da77961bdULL,
		0xbed65cf21aa2ee98ULL, 0xd0f2cbb02e3b67c7ULL,
		0x93536795e3a33e88ULL, 0xa80c038ccd5ccec8ULL,
		0xb8ad50c6f649af94ULL, 0xbce192de8a85b8eaULL,
		0x17d835b85bbb15f3ULL, 0x2f2e6163076bcfadULL,
		0xde4daaaca71dc9a5ULL, 0xa6a2506687956571ULL,
		0xad87a3535c49ef28ULL, 0x32d892fad841c342ULL,
		0x7127512f72f27cceULL, 0xa7f32346f95978e3ULL,
		0x12e0b01abb051238ULL, 0x15e034d40fa197aeULL,
		0x314dffbe0815a3b4ULL, 0x027990f029623981ULL,
		0xcadcd4e59ef40c4dULL, 0x9abfd8766a33735cULL,
		0x0e3ea96b5304a7d0ULL, 0xad0c42d6fc585992ULL,
		0x187306c89bc215a9ULL, 0xd4a60abcf3792b95ULL,
		0xf935451de4f21df2ULL, 0xa9538f0419755787ULL,
		0xdb9acddff56ca510ULL, 0xd06c98cd5c0975ebULL,
		0xe612a3cb9ecba951ULL, 0xc766e62cfcadaf96ULL,
		0xee64435a9752fe72ULL, 0xa192d576b245165aULL,
		0x0a8787bf8ecb74b2ULL, 0x81b3e73d20b49b6fULL,
		0x7fa8220ba3b2eceaULL, 0x245731c13ca42499ULL,
		0xb78dbfaf3a8d83bdULL, 0xea1ad565322a1a0bULL,
		0x60e61c23a3795013ULL, 0x6606d7e446282b93ULL,
		0x6ca4ecb15c5f91e1ULL, 0x9f626da15c9625f3ULL,
		0xe51b38608ef25f57ULL, 0x958a324ceb064572ULL,
	};
	u8 msg[64];
	unsigned int i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = i;
	/* The paper's own example: 15 bytes. */
	CHECK_EQ(0xa129ca6149be45e5ULL, siphash(msg, 15, &paper_key));
	for (i = 0; i < ARRAY_SIZE(vectors); i++)
		CHECK_EQ(vectors[i], siphash(msg, i, &paper_key));
}

/*
 * The fixed-size functions hash their words as siphash() hashes them
 * stored little-endian: the same vectors, the message 00 01 02 .. read
 * as 32- or 64-bit words.
 */
static void siphash_word_vectors(void)
{
	static const u64 w[4] = {
		0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL,
		0x1716151413121110ULL, 0x1f1e1d1c1b1a1918ULL,
	};
	static const u32 h[4] = {
		0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c,
	};
	const siphash_key_t *k = &paper_key;

	CHECK_EQ(0x93f5f5799a932462ULL, siphash_1u64(w[0], k));
	CHECK_EQ(0x3f2acc7f57c29bdbULL, siphash_2u64(w[0], w[1], k));
	CHECK_EQ(0xb8ad50c6f649af94ULL, siphash_3u64(w[0], w[1], w[2], k));
	CHECK_EQ(0x7127512f72f27cceULL,
		 siphash_4u64(w[0], w[1], w[2], w[3], k));
	CHECK_EQ(0xcf2794e0277187b7ULL, siphash_1u32(h[0], k));
	CHECK_EQ(0x93f5f5799a932462ULL, siphash_2u32(h[0], h[1], k));
	CHECK_EQ(0x751e8fbc860ee5fbULL, siphash_3u32(h[0], h[1], h[2], k));
	CHECK_EQ(0x3f2acc7f57c29bdbULL,
		 siphash_4u32(h[0], h[1], h[2], h[3], k));
}

/* And on other words and keys, the same as siphash() of their bytes. */
static void siphash_words_as_bytes(void)
{
	siphash_key_t k;
	u64 w[4];
	u8 b[32];
	unsigned int i, j;

	rng_seed(10);
	for (i = 0; i < 100; i++) {
		k.key[0] = rng64();
		k.key[1] = rng64();
		for (j = 0; j < ARRAY_SIZE(w); j++) {
			w[j] = rng64();
			put_unaligned_le64(w[j], b + 8 * j);
		}
		CHECK_EQ(siphash(b, 8, &k), siphash_1u64(w[0], &k));
		CHECK_EQ(siphash(b, 16, &k), siphash_2u64(w[0], w[1], &k));
		CHECK_EQ(siphash(b, 24, &k),
			 siphash_3u64(w[0], w[1], w[2], &k));
		CHECK_EQ(siphash(b, 32, &k),
			 siphash_4u64(w[0], w[1], w[2], w[3], &k));
		CHECK_EQ(siphash(b, 4, &k), siphash_1u32(w[0], &k));
		CHECK_EQ(siphash(b, 12, &k),
			 siphash_3u32(w[0], w[0] >> 32, w[1], &k));
	}
}

/* Cookies computed from the specification alone, by other code. */
static void cookie_known_answers(void)
{
	struct sg_cookie_secrets s = { .key = { paper_key, paper_key } };
	struct sg_cookie_opts in = {
		.mss = 1460, .wscale = 7, .has_wscale = true, .sack_perm = true,
	};
	struct sg_cookie_opts none = { 0 };
	struct sg_cookie_opts mixed = {
		.mss = 1400, .wscale = 0, .has_wscale = true,
	};
	static const u8 server_v6[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80,
	};
	struct sg_cookie_tuple t;

	tuple_v4(&t);
	s.gen = 1;
	/* MAC | gen 1 | MSS index 6 | wscale 7 | SACK */
	CHECK_EQ(0x8c4495cf, sg_cookie_make(&s, &t, 0x12345678, &in, NULL));
	CHECK_EQ(0x1cf, 1 << 8 | 6 << 5 | 7 << 1 | 1);

	tuple_v6(&t);
	s.gen = 0;
	/* MAC | gen 0 | MSS index 0 | no wscale (15) | no SACK */
	CHECK_EQ(0x39c14a1e, sg_cookie_make(&s, &t, 0xfffffffe, &none, NULL));

	/* 192.0.2.1:40000 -> [2001:db8::80]:443 takes the long form. */
	tuple_v4(&t);
	memcpy(t.server, server_v6, sizeof(server_v6));
	s.gen = 1;
	/* MAC | gen 1 | MSS index 3 | wscale 0 | no SACK */
	CHECK_EQ(0x38112960, sg_cookie_make(&s, &t, 0x12345678, &mixed, NULL));
}

/*
 * The cookie's MAC is SipHash over the message cookie.h lays out: for an
 * IPv4 connection 24 bytes, otherwise 48, hashed here as bytes.
 */
static void cookie_layout(void)
{
	static const u8 mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
	};
	struct sg_cookie_secrets s;
	struct sg_cookie_opts in, used;
	struct sg_cookie_tuple t;
	unsigned int i, v4 = 0;

	rng_seed(1);
	for (i = 0; i < 300; i++) {
		u32 isn = rng32(), cookie, data, mssi, ws;
		u8 msg[48], *tail;
		size_t len;

		secrets_random(&s);
		tuple_random(&t);
		/* A third with one address mapped, the other not. */
		if (i % 3 == 2)
			memcpy(rng64() & 1 ? t.client : t.server, mapped,
			       sizeof(mapped));
		opts_random(&in);
		cookie = sg_cookie_make(&s, &t, isn, &in, &used);

		for (mssi = 0; sg_cookie_mss_at(mssi) != used.mss; mssi++)
			;
		ws = in.has_wscale ? in.wscale : 15;
		data = s.gen << 8 | mssi << 5 | ws << 1 | in.sack_perm;
		CHECK_EQ(data, cookie & 0x1ff);

		memset(msg, 0, sizeof(msg));
		if (!memcmp(t.client, mapped, 12) &&
		    !memcmp(t.server, mapped, 12)) {
			memcpy(msg, t.client + 12, 4);
			memcpy(msg + 4, t.server + 12, 4);
			tail = msg + 8;
			len = 24;
			v4++;
		} else {
			memcpy(msg, t.client, 16);
			memcpy(msg + 16, t.server, 16);
			tail = msg + 32;
			len = 48;
		}
		tail[0] = t.client_port;
		tail[1] = t.client_port >> 8;
		tail[2] = t.server_port;
		tail[3] = t.server_port >> 8;
		tail[4] = isn;
		tail[5] = isn >> 8;
		tail[6] = isn >> 16;
		tail[7] = isn >> 24;
		tail[8] = data;
		tail[9] = data >> 8;
		CHECK_EQ(siphash(msg, len, &s.key[s.gen]) & 0x7fffff,
			 cookie >> 9);
	}
	/* Both forms were tested. */
	CHECK(v4 > 50 && v4 < 250);
}

static void cookie_mss_table(void)
{
	static const u16 table[] = {
		536, 1220, 1360, 1400, 1440, 1452, 1460, 8960,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(table); i++)
		CHECK_EQ(table[i], sg_cookie_mss_at(i));
	CHECK_EQ(0, sg_cookie_mss_at(8));
	CHECK_EQ(0, sg_cookie_mss_at(~0U));
}

/* Make and check a cookie; returns it. */
static u32 round_trip(const struct sg_cookie_secrets *s,
		      const struct sg_cookie_tuple *t, u32 isn,
		      const struct sg_cookie_opts *in,
		      struct sg_cookie_opts *out)
{
	struct sg_cookie_opts used;
	u32 cookie = sg_cookie_make(s, t, isn, in, &used);

	memset(out, 0xa5, sizeof(*out));
	CHECK(sg_cookie_check(s, t, isn, cookie, out));
	check_opts_eq(&used, out);
	return cookie;
}

static void cookie_mss_round_trip(void)
{
	static const struct {
		u16 client, mss;
		u8 idx;
	} cases[] = {
		{ 0, 536, 0 },		/* no MSS option */
		{ 1, 536, 0 },
		{ 88, 536, 0 },
		{ 535, 536, 0 },
		{ 536, 536, 0 },
		{ 537, 536, 0 },
		{ 1219, 536, 0 },
		{ 1220, 1220, 1 },
		{ 1221, 1220, 1 },
		{ 1359, 1220, 1 },
		{ 1360, 1360, 2 },
		{ 1361, 1360, 2 },
		{ 1399, 1360, 2 },
		{ 1400, 1400, 3 },
		{ 1401, 1400, 3 },
		{ 1439, 1400, 3 },
		{ 1440, 1440, 4 },
		{ 1441, 1440, 4 },
		{ 1451, 1440, 4 },
		{ 1452, 1452, 5 },
		{ 1453, 1452, 5 },
		{ 1459, 1452, 5 },
		{ 1460, 1460, 6 },
		{ 1461, 1460, 6 },
		{ 8959, 1460, 6 },
		{ 8960, 8960, 7 },
		{ 8961, 8960, 7 },
		{ 65535, 8960, 7 },
	};
	struct sg_cookie_secrets s;
	struct sg_cookie_opts in = { 0 }, out;
	struct sg_cookie_tuple t[2];
	unsigned int i, j;

	rng_seed(2);
	secrets_random(&s);
	tuple_v4(&t[0]);
	tuple_v6(&t[1]);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		for (j = 0; j < ARRAY_SIZE(t); j++) {
			u32 cookie;

			in.mss = cases[i].client;
			cookie = round_trip(&s, &t[j], 1000 + i, &in, &out);
			CHECK_EQ(cases[i].mss, out.mss);
			CHECK_EQ(cases[i].idx, cookie >> 5 & 7);
		}
	}
}

static void cookie_options_round_trip(void)
{
	static const u16 mss[] = { 0, 1220, 1460, 9000 };
	struct sg_cookie_secrets s;
	struct sg_cookie_opts in, out;
	struct sg_cookie_tuple t[2];
	unsigned int ws, sack, m, j;

	rng_seed(3);
	secrets_random(&s);
	tuple_v4(&t[0]);
	tuple_v6(&t[1]);
	/* ws 15 stands for "no option"; 16 and 255 are clamped to 14. */
	for (ws = 0; ws <= 17; ws++) {
		for (sack = 0; sack < 2; sack++) {
			for (m = 0; m < ARRAY_SIZE(mss); m++) {
				for (j = 0; j < ARRAY_SIZE(t); j++) {
					u32 cookie;
					u8 exp;

					in.mss = mss[m];
					in.has_wscale = ws != 15;
					in.wscale = ws == 17 ? 255 : ws;
					in.sack_perm = sack;
					cookie = round_trip(&s, &t[j], rng32(),
							    &in, &out);
					exp = ws > 15 ? 14 : ws;
					CHECK_EQ(exp, cookie >> 1 & 15);
					CHECK_EQ(sack, cookie & 1);
					CHECK_EQ(ws != 15, out.has_wscale);
					CHECK_EQ(ws == 15 ? 0 : exp,
						 out.wscale);
					CHECK_EQ(sack, out.sack_perm);
				}
			}
		}
	}

	/* A wscale the SYN did not carry is ignored, whatever its value. */
	in.has_wscale = false;
	in.wscale = 7;
	round_trip(&s, &t[0], 1, &in, &out);
	CHECK(!out.has_wscale);
	CHECK_EQ(0, out.wscale);
}

/* A cookie lives until the second rotation after it was made. */
static void cookie_lifetime(void)
{
	struct sg_cookie_secrets s;
	struct sg_cookie_opts in = { .mss = 1460 }, out;
	struct sg_cookie_tuple t;
	siphash_key_t next;
	unsigned int g;
	u32 c0, c1;

	rng_seed(4);
	tuple_v4(&t);
	for (g = 0; g < 2; g++) {
		secrets_random(&s);
		s.gen = g;
		c0 = sg_cookie_make(&s, &t, 7, &in, NULL);
		CHECK_EQ(g, c0 >> 8 & 1);
		CHECK(sg_cookie_check(&s, &t, 7, c0, &out));

		/* One rotation: still accepted, as the previous secret. */
		next.key[0] = rng64();
		next.key[1] = rng64();
		sg_cookie_rotate(&s, &next);
		CHECK_EQ(!g, s.gen);
		CHECK(sg_cookie_check(&s, &t, 7, c0, &out));
		c1 = sg_cookie_make(&s, &t, 7, &in, NULL);
		CHECK_EQ(!g, c1 >> 8 & 1);
		CHECK(sg_cookie_check(&s, &t, 7, c1, &out));

		/* Two: its generation's slot holds a new secret. */
		next.key[0] = rng64();
		next.key[1] = rng64();
		sg_cookie_rotate(&s, &next);
		CHECK_EQ(g, s.gen);
		CHECK(!sg_cookie_check(&s, &t, 7, c0, &out));
		CHECK(sg_cookie_check(&s, &t, 7, c1, &out));

		/* Three: the next one goes too. */
		next.key[0] = rng64();
		next.key[1] = rng64();
		sg_cookie_rotate(&s, &next);
		CHECK(!sg_cookie_check(&s, &t, 7, c1, &out));
	}
}

/* Nothing the MAC covers can change without the cookie failing. */
static void cookie_wrong_inputs(void)
{
	struct sg_cookie_secrets s, other;
	struct sg_cookie_opts in = { .mss = 1400, .sack_perm = true };
	struct sg_cookie_tuple t[2], bad;
	unsigned int i, j;
	u32 isn = 0xffffffff, cookie;

	rng_seed(5);
	secrets_random(&s);
	secrets_random(&other);
	tuple_v4(&t[0]);
	tuple_v6(&t[1]);
	for (j = 0; j < ARRAY_SIZE(t); j++) {
		cookie = sg_cookie_make(&s, &t[j], isn, &in, NULL);
		CHECK(sg_cookie_check(&s, &t[j], isn, cookie, NULL));

		/* Other secrets, in either generation. */
		CHECK(!sg_cookie_check(&other, &t[j], isn, cookie, NULL));
		other.key[s.gen] = s.key[!s.gen];
		CHECK(!sg_cookie_check(&other, &t[j], isn, cookie, NULL));

		for (i = 0; i < 16; i++) {
			bad = t[j];
			bad.client[i] ^= 1;
			CHECK(!sg_cookie_check(&s, &bad, isn, cookie, NULL));
			bad = t[j];
			bad.server[i] ^= 0x80;
			CHECK(!sg_cookie_check(&s, &bad, isn, cookie, NULL));
		}
		bad = t[j];
		bad.client_port++;
		CHECK(!sg_cookie_check(&s, &bad, isn, cookie, NULL));
		bad = t[j];
		bad.server_port--;
		CHECK(!sg_cookie_check(&s, &bad, isn, cookie, NULL));

		/* The reverse direction. */
		memcpy(bad.client, t[j].server, 16);
		memcpy(bad.server, t[j].client, 16);
		bad.client_port = t[j].server_port;
		bad.server_port = t[j].client_port;
		CHECK(!sg_cookie_check(&s, &bad, isn, cookie, NULL));

		CHECK(!sg_cookie_check(&s, &t[j], isn + 1, cookie, NULL));
		CHECK(!sg_cookie_check(&s, &t[j], isn - 1, cookie, NULL));
		CHECK(!sg_cookie_check(&s, &t[j], 0, cookie, NULL));
	}

	/* The v4-mapped form is not the v4 address at the start. */
	bad = t[0];
	memset(bad.client, 0, 16);
	memcpy(bad.client, t[0].client + 12, 4);
	cookie = sg_cookie_make(&s, &t[0], isn, &in, NULL);
	CHECK(!sg_cookie_check(&s, &bad, isn, cookie, NULL));
}

/* Flipping any one bit of a valid cookie makes it fail. */
static void cookie_bit_flips(void)
{
	struct sg_cookie_secrets s;
	struct sg_cookie_opts in;
	struct sg_cookie_tuple t;
	unsigned int i, bit, accepted = 0, valid = 0;

	rng_seed(6);
	for (i = 0; i < 500; i++) {
		u32 isn = rng32(), cookie;

		secrets_random(&s);
		tuple_random(&t);
		opts_random(&in);
		cookie = sg_cookie_make(&s, &t, isn, &in, NULL);
		valid += sg_cookie_check(&s, &t, isn, cookie, NULL);
		for (bit = 0; bit < 32; bit++)
			accepted += sg_cookie_check(&s, &t, isn,
						    cookie ^ 1U << bit, NULL);
	}
	CHECK_EQ(500, valid);
	CHECK_EQ(0, accepted);
}

/*
 * Guessing: each random cookie passes with probability 2^-23, so 2^20 of
 * them should let about 0.125 through.
 */
static void cookie_false_accepts(void)
{
	struct sg_cookie_secrets s;
	struct sg_cookie_tuple t;
	unsigned int i, accepted = 0;

	rng_seed(7);
	secrets_random(&s);
	tuple_v4(&t);
	for (i = 0; i < 1U << 20; i++)
		accepted += sg_cookie_check(&s, &t, 0x12345678, rng32(),
					    NULL);
	CHECK(accepted <= 3);
}

static bool key_eq(const siphash_key_t *a, const siphash_key_t *b)
{
	return a->key[0] == b->key[0] && a->key[1] == b->key[1];
}

static void cookie_derive(void)
{
	static const u64 epochs[] = {
		0, 1, 2, 3, 0xffffffffULL, 0x100000000ULL,
		0x0123456789abcdefULL, ~0ULL,
	};
	siphash_key_t k[ARRAY_SIZE(epochs)], a, b, other, alias;
	unsigned int i, j;

	/* Computed apart from this code, from cookie.h's specification. */
	sg_cookie_derive(&paper_key, 0, &a);
	CHECK_EQ(0xfb1b1e06842e48f4ULL, a.key[0]);
	CHECK_EQ(0xb3627213a905b0eeULL, a.key[1]);
	sg_cookie_derive(&paper_key, 0x0123456789abcdefULL, &a);
	CHECK_EQ(0x0bef82591da34fe9ULL, a.key[0]);
	CHECK_EQ(0x68d8e9660ae7b8e1ULL, a.key[1]);

	/* Deterministic, and the output may overwrite the input. */
	sg_cookie_derive(&paper_key, 42, &a);
	sg_cookie_derive(&paper_key, 42, &b);
	CHECK(key_eq(&a, &b));
	alias = paper_key;
	sg_cookie_derive(&alias, 42, &alias);
	CHECK(key_eq(&a, &alias));

	/* Every epoch its own key. */
	for (i = 0; i < ARRAY_SIZE(epochs); i++) {
		sg_cookie_derive(&paper_key, epochs[i], &k[i]);
		CHECK(k[i].key[0] != k[i].key[1]);
		for (j = 0; j < i; j++)
			CHECK(!key_eq(&k[i], &k[j]));
	}

	/* Another shared secret, other keys; one bit is enough. */
	other = paper_key;
	other.key[1] ^= 1ULL << 63;
	for (i = 0; i < ARRAY_SIZE(epochs); i++) {
		sg_cookie_derive(&other, epochs[i], &a);
		for (j = 0; j < ARRAY_SIZE(epochs); j++)
			CHECK(!key_eq(&a, &k[j]));
	}
}

/* Hosts sharing a secret accept each other's cookies. */
static void cookie_shared_hosts(void)
{
	struct sg_cookie_secrets a, b, c;
	struct sg_cookie_opts in = {
		.mss = 1440, .wscale = 9, .has_wscale = true,
	}, used, out;
	struct sg_cookie_tuple t;
	siphash_key_t shared, stranger;
	u64 epoch = 1000;
	unsigned int i;
	u32 cookie;

	rng_seed(8);
	shared.key[0] = rng64();
	shared.key[1] = rng64();
	stranger.key[0] = rng64();
	stranger.key[1] = rng64();
	tuple_v6(&t);

	for (i = 0; i < 2; i++, epoch++) {
		sg_cookie_set_epoch(&a, &shared, epoch);
		sg_cookie_set_epoch(&b, &shared, epoch);
		sg_cookie_set_epoch(&c, &stranger, epoch);
		CHECK_EQ(epoch & 1, a.gen);

		cookie = sg_cookie_make(&a, &t, 5, &in, &used);
		CHECK_EQ(epoch & 1, cookie >> 8 & 1);
		CHECK(sg_cookie_check(&b, &t, 5, cookie, &out));
		check_opts_eq(&used, &out);
		CHECK(!sg_cookie_check(&c, &t, 5, cookie, &out));

		/* B a little ahead: it still holds A's epoch as previous. */
		sg_cookie_set_epoch(&b, &shared, epoch + 1);
		CHECK(sg_cookie_check(&b, &t, 5, cookie, &out));
		/* Two ahead, or behind: A's epoch is gone. */
		sg_cookie_set_epoch(&b, &shared, epoch + 2);
		CHECK(!sg_cookie_check(&b, &t, 5, cookie, &out));
		sg_cookie_set_epoch(&b, &shared, epoch - 1);
		CHECK(!sg_cookie_check(&b, &t, 5, cookie, &out));
	}

	/* Epoch 0 takes ~0 as its previous one. */
	sg_cookie_set_epoch(&a, &shared, ~0ULL);
	cookie = sg_cookie_make(&a, &t, 5, &in, NULL);
	sg_cookie_set_epoch(&b, &shared, 0);
	CHECK_EQ(0, b.gen);
	CHECK(sg_cookie_check(&b, &t, 5, cookie, NULL));
}

/*
 * The way the module uses it: options from a parsed SYN, the SYN-ACK,
 * then the ACK's seq - 1 and ack_seq - 1, across sequence wraparound.
 */
static void cookie_handshake(void)
{
	static const u32 isns[] = { 0, 1, 0x7fffffff, 0xfffffffe, 0xffffffff };
	struct seg syn = {
		.flags = SG_TCP_SYN,
		OPTS(2, 4, 0x05, 0xb4, 4, 2, 1, 3, 3, 7),
	};
	struct sg_cookie_secrets s;
	struct sg_cookie_opts in, used, out;
	struct sg_cookie_tuple t;
	struct sg_tcp_out sa = { .flags = SG_TCP_SYN | SG_TCP_ACK };
	struct sg_tcp tcp, back;
	u8 buf[SG_TCP_HDR_MAX];
	unsigned int i, len;

	rng_seed(9);
	secrets_random(&s);
	tuple_v4(&t);
	for (i = 0; i < ARRAY_SIZE(isns); i++) {
		syn.seq = isns[i];
		CHECK_EQ(SG_PARSE_OK, seg_parse(&syn, &tcp));
		in.mss = tcp.has_mss ? tcp.mss : 0;
		in.wscale = tcp.wscale;
		in.has_wscale = tcp.has_wscale;
		in.sack_perm = tcp.sack_perm;

		sa.sport = t.server_port;
		sa.dport = t.client_port;
		sa.seq = sg_cookie_make(&s, &t, tcp.seq, &in, &used);
		sa.ack = tcp.seq + 1;
		sa.window = 64240;
		sa.mss = used.mss;
		sa.has_wscale = used.has_wscale;
		sa.wscale = 7;
		sa.sack_perm = used.sack_perm;
		len = sg_tcp_build(buf, &sa);
		CHECK_EQ(SG_PARSE_OK, sg_tcp_parse(buf, len, &back));

		/* The client's ACK: seq = ISN + 1, ack = cookie + 1. */
		CHECK(sg_cookie_check(&s, &t, back.ack - 1, back.seq, &out));
		CHECK(sg_cookie_check(&s, &t, (isns[i] + 1) - 1,
				      (sa.seq + 1) - 1, &out));
		check_opts_eq(&used, &out);
		CHECK_EQ(1460, out.mss);
		CHECK_EQ(7, out.wscale);
		CHECK(out.has_wscale);
		CHECK(out.sack_perm);
	}
}

/* The SYN-ACK's options, word by word, for each combination. */
static void synack_layout(void)
{
	static const struct {
		bool ts, sack, ws;
		unsigned int len;
		u8 opts[20];
	} cases[] = {
		{ false, false, false, 24, { 2, 4, 0x05, 0xb4 } },
		{ false, false, true, 28,
		  { 2, 4, 0x05, 0xb4, 1, 3, 3, 7 } },
		{ false, true, false, 28,
		  { 2, 4, 0x05, 0xb4, 1, 1, 4, 2 } },
		{ false, true, true, 32,
		  { 2, 4, 0x05, 0xb4, 1, 1, 4, 2, 1, 3, 3, 7 } },
		{ true, false, false, 36,
		  { 2, 4, 0x05, 0xb4, 1, 1, 8, 10,
		    0x11, 0x22, 0x33, 0x44, 0xa1, 0xb2, 0xc3, 0xd4 } },
		{ true, false, true, 40,
		  { 2, 4, 0x05, 0xb4, 1, 1, 8, 10,
		    0x11, 0x22, 0x33, 0x44, 0xa1, 0xb2, 0xc3, 0xd4,
		    1, 3, 3, 7 } },
		{ true, true, false, 36,
		  { 2, 4, 0x05, 0xb4, 4, 2, 8, 10,
		    0x11, 0x22, 0x33, 0x44, 0xa1, 0xb2, 0xc3, 0xd4 } },
		{ true, true, true, 40,
		  { 2, 4, 0x05, 0xb4, 4, 2, 8, 10,
		    0x11, 0x22, 0x33, 0x44, 0xa1, 0xb2, 0xc3, 0xd4,
		    1, 3, 3, 7 } },
	};
	static const u8 fixed[20] = {
		0x01, 0xbb, 0x9c, 0x40,		/* ports 443, 40000 */
		0xde, 0xad, 0xbe, 0xef,		/* seq */
		0x01, 0x02, 0x03, 0x04,		/* ack */
		0x00, 0x12,			/* doff (patched), SYN|ACK */
		0xfa, 0xf0,			/* window 64240 */
		0, 0, 0, 0,			/* checksum, urgent */
	};
	u8 buf[SG_TCP_HDR_MAX + 4];
	unsigned int i, len;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sg_tcp_out p = {
			.flags = SG_TCP_SYN | SG_TCP_ACK,
			.sport = 443, .dport = 40000,
			.seq = 0xdeadbeef, .ack = 0x01020304,
			.window = 64240, .mss = 1460,
			.wscale = 7, .has_wscale = cases[i].ws,
			.sack_perm = cases[i].sack, .has_ts = cases[i].ts,
			.tsval = 0x11223344, .tsecr = 0xa1b2c3d4,
		};

		memset(buf, 0xee, sizeof(buf));
		len = sg_tcp_build(buf, &p);
		CHECK_EQ(cases[i].len, len);
		CHECK_EQ(0, len % 4);
		CHECK_EQ(len / 4 << 4, buf[12]);
		buf[12] = 0;
		CHECK(!memcmp(fixed, buf, sizeof(fixed)));
		CHECK(!memcmp(cases[i].opts, buf + 20, len - 20));
		/* Nothing written past the header. */
		CHECK_EQ(0xee, buf[len]);
		CHECK_EQ(0xee, buf[SG_TCP_HDR_MAX]);
	}
}

/* Every combination reads back as it was built. */
static void synack_parse_round_trip(void)
{
	static const u8 shifts[] = { 0, 1, 7, 14 };
	unsigned int i, w;

	for (i = 0; i < 8; i++) {
		for (w = 0; w < ARRAY_SIZE(shifts); w++) {
			struct sg_tcp_out p = {
				.flags = SG_TCP_SYN | SG_TCP_ACK,
				.sport = 8443, .dport = 61000,
				.seq = 0xfffffe00 | i, .ack = i * 0x10001,
				.window = 29200 + i, .mss = 1220 + i,
				.wscale = shifts[w],
				.has_wscale = i & 1, .sack_perm = i & 2,
				.has_ts = i & 4,
				.tsval = 0x80000000 + i, .tsecr = ~i,
			};
			u8 buf[SG_TCP_HDR_MAX], *exact;
			struct sg_tcp t;
			unsigned int len = sg_tcp_build(buf, &p);

			CHECK_EQ(20 + 4 + (p.has_ts ? 12 : p.sack_perm ? 4 : 0)
				 + (p.has_wscale ? 4 : 0), len);
			/* A heap copy of exactly the header, for ASan. */
			exact = malloc(len);
			if (!exact)
				abort();
			memcpy(exact, buf, len);
			CHECK_EQ(SG_PARSE_OK, sg_tcp_parse(exact, len, &t));
			free(exact);

			CHECK_EQ(p.sport, t.sport);
			CHECK_EQ(p.dport, t.dport);
			CHECK_EQ(p.seq, t.seq);
			CHECK_EQ(p.ack, t.ack);
			CHECK_EQ(p.window, t.window);
			CHECK_EQ(SG_TCP_SYN | SG_TCP_ACK, t.flags);
			CHECK_EQ(SG_FLAGS_OK, sg_tcp_check_flags(t.flags));
			CHECK_EQ(len, t.hdr_len);
			CHECK_EQ(0, t.payload_len);
			CHECK_EQ(1, sg_tcp_seg_len(&t));
			CHECK(t.has_mss);
			CHECK_EQ(p.mss, t.mss);
			CHECK_EQ(p.has_wscale, t.has_wscale);
			CHECK_EQ(p.has_wscale ? p.wscale : 0, t.wscale);
			CHECK_EQ(p.sack_perm, t.sack_perm);
			CHECK_EQ(p.has_ts, t.has_ts);
			CHECK_EQ(p.has_ts ? p.tsval : 0, t.tsval);
			CHECK_EQ(p.has_ts ? p.tsecr : 0, t.tsecr);
			CHECK_EQ(0, t.nsack);
			CHECK(!t.has_tfo);
		}
	}
}

/* A shift above RFC 7323's 14 is never put on the wire. */
static void synack_wscale_clamped(void)
{
	struct sg_tcp_out p = { .flags = SG_TCP_SYN | SG_TCP_ACK, .mss = 536,
				  .has_wscale = true, .wscale = 15 };
	u8 buf[SG_TCP_HDR_MAX];

	CHECK_EQ(28, sg_tcp_build(buf, &p));
	CHECK_EQ(14, buf[27]);
	p.wscale = 255;
	CHECK_EQ(28, sg_tcp_build(buf, &p));
	CHECK_EQ(14, buf[27]);
}

const struct test_case cookie_tests[] = {
	TEST_CASE(siphash_vectors),
	TEST_CASE(siphash_word_vectors),
	TEST_CASE(siphash_words_as_bytes),
	TEST_CASE(cookie_known_answers),
	TEST_CASE(cookie_layout),
	TEST_CASE(cookie_mss_table),
	TEST_CASE(cookie_mss_round_trip),
	TEST_CASE(cookie_options_round_trip),
	TEST_CASE(cookie_lifetime),
	TEST_CASE(cookie_wrong_inputs),
	TEST_CASE(cookie_bit_flips),
	TEST_CASE(cookie_false_accepts),
	TEST_CASE(cookie_derive),
	TEST_CASE(cookie_shared_hosts),
	TEST_CASE(cookie_handshake),
	TEST_CASE(synack_layout),
	TEST_CASE(synack_parse_round_trip),
	TEST_CASE(synack_wscale_clamped),
	{ NULL, NULL },
};
