// SPDX-License-Identifier: GPL-2.0
/*
 * SYN cookies and SYN-ACK headers. The cookie format, its lifetime and
 * the derivation of shared secrets are specified in cookie.h; this file
 * only implements them.
 *
 * The cookie code runs for every SYN while under attack and for every
 * ACK that matches no connection, so it does one SipHash per cookie made
 * or checked and nothing else of note.
 */
#include "cookie.h"

/*
 * MSS values clients commonly offer, so that rounding down costs them
 * little: the IPv4 and IPv6 minimums, IPv6 over a 1420-byte tunnel
 * (WireGuard), common VPN clamps, IPv6 over Ethernet, IPv4 over PPPoE,
 * IPv4 over Ethernet, and IPv4 over 9000-byte jumbo frames.
 */
static const u16 mss_table[SG_COOKIE_MSS_N] = {
	536, 1220, 1360, 1400, 1440, 1452, 1460, 8960,
};

/* The length of the MAC's message for IPv6, as cookie.h lays it out. */
#define MSG_V6_LEN	48

/* Bytes 8..11 of ::ffff:a.b.c.d, as a little-endian word. */
#define V4MAPPED_WORD	0xffff0000U

#define DATA_MASK	((1U << SG_COOKIE_DATA_BITS) - 1)
#define MAC_MASK	((1U << SG_COOKIE_MAC_BITS) - 1)

/* The key derivation's label: 15 bytes, its terminator not hashed. */
#define KDF_LABEL	"synguard cookie"
#define KDF_LABEL_LEN	(sizeof(KDF_LABEL) - 1)
#define KDF_LEN		(KDF_LABEL_LEN + 1 + 8)

u16 sg_cookie_mss_at(unsigned int idx)
{
	return idx < ARRAY_SIZE(mss_table) ? mss_table[idx] : 0;
}

u8 sg_cookie_mss_index(u16 mss)
{
	u8 i;

	for (i = ARRAY_SIZE(mss_table) - 1; i; i--)
		if (mss >= mss_table[i])
			break;
	return i;
}

static u32 encode_data(u32 gen, const struct sg_cookie_opts *o)
{
	u32 ws = SG_COOKIE_WSCALE_NONE;

	if (o->has_wscale)
		ws = sg_tcp_clamp_wscale(o->wscale);
	return gen << SG_COOKIE_GEN_SHIFT |
	       (u32)sg_cookie_mss_index(o->mss) << SG_COOKIE_MSS_SHIFT |
	       ws << SG_COOKIE_WSCALE_SHIFT |
	       (o->sack_perm ? SG_COOKIE_SACK : 0);
}

static void decode_data(u32 data, struct sg_cookie_opts *o)
{
	u32 ws = data >> SG_COOKIE_WSCALE_SHIFT & SG_COOKIE_WSCALE_MASK;

	o->mss = mss_table[data >> SG_COOKIE_MSS_SHIFT & SG_COOKIE_MSS_MASK];
	o->has_wscale = ws != SG_COOKIE_WSCALE_NONE;
	o->wscale = o->has_wscale ? ws : 0;
	o->sack_perm = data & SG_COOKIE_SACK;
}

/*
 * True if both addresses of @t are IPv4-mapped, ::ffff:a.b.c.d: their
 * first 8 bytes zero, the next 4 V4MAPPED_WORD. One test for both.
 */
static bool v4_tuple(const struct sg_cookie_tuple *t)
{
	return !(get_unaligned_le64(t->client) | get_unaligned_le64(t->server) |
		 (get_unaligned_le32(t->client + 8) ^ V4MAPPED_WORD) |
		 (get_unaligned_le32(t->server + 8) ^ V4MAPPED_WORD));
}

/*
 * The MAC of @data for this SYN. The message is words, little-endian as
 * SipHash reads them, so it is the same on every architecture; an IPv4
 * connection's fits the kernel's siphash_3u64(), an IPv6 one's goes
 * through siphash() as bytes.
 */
static u32 cookie_mac(const siphash_key_t *key,
		      const struct sg_cookie_tuple *t, u32 client_isn,
		      u32 data)
{
	u64 ports_isn = (u64)client_isn << 32 | (u32)t->server_port << 16 |
			t->client_port;
	u8 msg[MSG_V6_LEN];

	if (likely(v4_tuple(t)))
		return siphash_3u64((u64)get_unaligned_le32(t->server + 12) << 32 |
				    get_unaligned_le32(t->client + 12),
				    ports_isn, data, key) & MAC_MASK;
	memcpy(msg, t->client, sizeof(t->client));
	memcpy(msg + 16, t->server, sizeof(t->server));
	put_unaligned_le64(ports_isn, msg + 32);
	put_unaligned_le64(data, msg + 40);
	return siphash(msg, sizeof(msg), key) & MAC_MASK;
}

u32 sg_cookie_make(const struct sg_cookie_secrets *s,
		   const struct sg_cookie_tuple *t, u32 client_isn,
		   const struct sg_cookie_opts *client,
		   struct sg_cookie_opts *used)
{
	u32 gen = s->gen & 1;
	u32 data = encode_data(gen, client);

	if (used)
		decode_data(data, used);
	return cookie_mac(&s->key[gen], t, client_isn, data) <<
	       SG_COOKIE_DATA_BITS | data;
}

bool sg_cookie_check(const struct sg_cookie_secrets *s,
		     const struct sg_cookie_tuple *t, u32 client_isn,
		     u32 cookie, struct sg_cookie_opts *out)
{
	u32 data = cookie & DATA_MASK;
	u32 gen = data >> SG_COOKIE_GEN_SHIFT;

	if (cookie_mac(&s->key[gen], t, client_isn, data) !=
	    cookie >> SG_COOKIE_DATA_BITS)
		return false;
	if (out)
		decode_data(data, out);
	return true;
}

void sg_cookie_derive(const siphash_key_t *shared, u64 epoch,
		      siphash_key_t *out)
{
	u8 msg[KDF_LEN];
	u64 k[2];
	unsigned int i;

	memcpy(msg, KDF_LABEL, KDF_LABEL_LEN);
	for (i = 0; i < 8; i++)
		msg[KDF_LABEL_LEN + 1 + i] = epoch >> (8 * i);
	for (i = 0; i < ARRAY_SIZE(k); i++) {
		msg[KDF_LABEL_LEN] = i;
		k[i] = siphash(msg, sizeof(msg), shared);
	}
	/* Only now: @out may be @shared. */
	out->key[0] = k[0];
	out->key[1] = k[1];
}

void sg_cookie_set_epoch(struct sg_cookie_secrets *s,
			 const siphash_key_t *shared, u64 epoch)
{
	sg_cookie_derive(shared, epoch - 1, &s->key[(epoch - 1) & 1]);
	sg_cookie_derive(shared, epoch, &s->key[epoch & 1]);
	s->gen = epoch & 1;
}

void sg_cookie_rotate(struct sg_cookie_secrets *s, const siphash_key_t *next)
{
	s->gen = (s->gen & 1) ^ 1;
	s->key[s->gen] = *next;
}
