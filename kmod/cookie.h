/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SYN cookies, and the SYN-ACKs that carry them. Pure logic: built into
 * the module and into the userspace unit tests through pure.h.
 *
 * A cookie is the initial sequence number (ISN) of the SYN-ACK synguard
 * sends for a server. It holds no state for the SYN: the client's ACK
 * acknowledges cookie + 1, and the cookie alone proves that the client
 * saw the SYN-ACK and says which options its SYN offered.
 *
 * Layout, bit 31 the most significant:
 *
 *    31                        9   8    7   5   4        1    0
 *   +---------------------------+-----+-------+------------+------+
 *   |            MAC            | gen |  mss  |   wscale   | sack |
 *   +---------------------------+-----+-------+------------+------+
 *
 * Bits 8..0 are the "data":
 *
 *   bit  0     1 if the SYN carried SACK_PERM.
 *   bits 4..1  the window scale the SYN offered, 0..14 (larger shifts
 *              count as 14, RFC 7323), or 15 (SG_COOKIE_WSCALE_NONE)
 *              when it had no window-scale option.
 *   bits 7..5  an index into the MSS table
 *                { 536, 1220, 1360, 1400, 1440, 1452, 1460, 8960 }:
 *              the largest entry not above the MSS the SYN offered. A SYN
 *              without an MSS option counts as 536, the default of
 *              RFC 879 and RFC 9293; an MSS below 536 gets index 0.
 *   bit  8     the generation (0 or 1) of the secret that made the MAC.
 *
 * Bits 31..9 are the MAC: the low 23 bits of SipHash-2-4, keyed with the
 * secret of generation "gen", of a message of 64-bit words, each stored
 * little-endian (as SipHash reads its message, and as the kernel's
 * siphash_3u64() takes words). When both addresses are IPv4-mapped
 * (::ffff:a.b.c.d) the message is 3 words, 24 bytes:
 *
 *   offset  size  field
 *        0     4  client IPv4 address, network order (a.b.c.d)
 *        4     4  server IPv4 address, network order
 *        8     2  client port, little-endian
 *       10     2  server port, little-endian
 *       12     4  client ISN (the SYN's sequence number), little-endian
 *       16     8  data (bits 8..0 above), little-endian; the rest zero
 *
 * Otherwise it is 6 words, 48 bytes:
 *
 *   offset  size  field
 *        0    16  client address, network order
 *       16    16  server address, network order
 *       32     2  client port, little-endian
 *       34     2  server port, little-endian
 *       36     4  client ISN, little-endian
 *       40     8  data, little-endian; the rest zero
 *
 * The tuple gives an IPv4 address as its IPv4-mapped IPv6 address; a
 * connection whose two addresses are not both mapped takes the long
 * form. The two forms differ in length, which SipHash hashes, so neither
 * can stand for the other. The client sent the SYN; the server is the
 * host synguard answers for.
 *
 * Every one of the 512 data values decodes to valid options, and the data
 * is under the MAC: a cookie is accepted only if all 32 bits match. The
 * options ride in the ISN rather than in the TCP timestamp, as Linux's
 * syncookies keep them, so window scaling and SACK survive for clients
 * that send no timestamps.
 *
 * The MAC's width. An ACK with a random acknowledgment number passes
 * with probability 512 / 2^32 = 2^-23: for a given connection and client
 * ISN, each of the 512 data values has exactly one accepted MAC, and an
 * attacker picks the generation bit and any option encoding at no cost.
 * The MAC cannot be wider without the cookie carrying less: it has 32
 * bits, the 9 of data are all needed (16 window scales, "none" included;
 * 8 MSS entries; SACK; the generation that names the key), and an ACK
 * without timestamps carries nothing else the check could verify. A
 * check on the timestamp would not help: an attacker would leave it out.
 * Linux's syncookies accept a random ACK with probability 2^-29 (2
 * accepted minute counts times 4 MSS indexes, out of 2^32) because they
 * keep only those in the ISN and move window scale and SACK to the
 * timestamp, dropping them for clients without timestamps; synguard
 * keeps them. At a million forged ACKs a second, 2^-23 lets one through
 * every 8 seconds or so, and each costs a table entry and a SYN to the
 * server.
 *
 * Lifetime. Two secrets are kept, one per generation. The current one
 * makes new cookies; both are accepted. A rotation overwrites the other
 * (previous) secret with a new one and makes it current. A cookie is
 * therefore accepted until the second rotation after it was made: for one
 * to two rotation periods. There is no finer clock in the cookie.
 *
 * Shared secrets. Hosts that must accept each other's cookies (behind
 * ECMP or anycast) derive the secret of rotation epoch E from one 128-bit
 * operator secret S, and use it as generation E & 1:
 *
 *   k[i] = SipHash-2-4(S, "synguard cookie" || i || E)   for i = 0, 1
 *
 * where the label is 15 ASCII bytes without terminator, i is one byte and
 * E is 8 bytes little-endian, and the secret is the key { k[0], k[1] }.
 * A host at epoch E holds the secrets of E and E - 1, so it accepts the
 * cookies of hosts at epoch E or E - 1, not of those already at E + 1:
 * hosts must change epoch at nearly the same time. They must also make
 * the same message: synguard before the word-wise message above hashed
 * 42 bytes (both addresses, the ports and ISN big-endian, the data), and
 * its cookies and this version's do not check on each other.
 *
 * None of these functions lock. The packet path reads a secrets structure
 * that rotation must never change in place: rotate a copy and publish it
 * (under RCU, say).
 */
#ifndef _SYNGUARD_COOKIE_H
#define _SYNGUARD_COOKIE_H

#include "pure.h"
#include "tcp.h"

#define SG_COOKIE_SACK		0x1
#define SG_COOKIE_WSCALE_SHIFT	1
#define SG_COOKIE_WSCALE_MASK	0xf
#define SG_COOKIE_MSS_SHIFT	5
#define SG_COOKIE_MSS_MASK	0x7
#define SG_COOKIE_GEN_SHIFT	8
#define SG_COOKIE_DATA_BITS	9
#define SG_COOKIE_MAC_BITS	23

#define SG_COOKIE_WSCALE_NONE	15
#define SG_COOKIE_MSS_N		8

/* The options of a SYN, as far as a cookie keeps them. */
struct sg_cookie_opts {
	u16 mss;		/* 0 when the SYN had no MSS option */
	u8 wscale;		/* valid when has_wscale */
	bool has_wscale;
	bool sack_perm;
};

/* The connection a cookie is bound to, seen from the client's SYN. */
struct sg_cookie_tuple {
	u8 client[16];		/* network order; IPv4 as ::ffff:a.b.c.d */
	u8 server[16];
	u16 client_port;	/* host order */
	u16 server_port;
};

/*
 * The secret of each generation. New cookies use key[gen], the current
 * secret; the other is the previous one, still accepted.
 */
struct sg_cookie_secrets {
	siphash_key_t key[2];
	u8 gen;
};

/*
 * Make the cookie for a SYN on @t with sequence number @client_isn and
 * options @client. Returns the ISN for the SYN-ACK; if @used is not NULL
 * it gets the options as the cookie will give them back: the MSS rounded
 * down to the table, the window scale clamped to 14.
 */
u32 sg_cookie_make(const struct sg_cookie_secrets *s,
		   const struct sg_cookie_tuple *t, u32 client_isn,
		   const struct sg_cookie_opts *client,
		   struct sg_cookie_opts *used);

/*
 * Check the cookie a client's ACK on @t returns: @cookie is its ack_seq
 * minus one, @client_isn its seq minus one. True if either generation's
 * secret (the cookie names which) made it; then, if @out is not NULL, it
 * gets the options sg_cookie_make() gave as @used.
 */
bool sg_cookie_check(const struct sg_cookie_secrets *s,
		     const struct sg_cookie_tuple *t, u32 client_isn,
		     u32 cookie, struct sg_cookie_opts *out);

/* Derive the secret of epoch @epoch from @shared, as described above. */
void sg_cookie_derive(const siphash_key_t *shared, u64 epoch,
		      siphash_key_t *out);

/*
 * Fill both generations from @shared: @epoch's secret as current, that of
 * @epoch - 1 as previous.
 */
void sg_cookie_set_epoch(struct sg_cookie_secrets *s,
			 const siphash_key_t *shared, u64 epoch);

/* Replace the previous secret with @next and make it current. */
void sg_cookie_rotate(struct sg_cookie_secrets *s, const siphash_key_t *next);

/* Entry @idx of the MSS table; 0 past its end. */
u16 sg_cookie_mss_at(unsigned int idx);

/* The largest entry not above @mss; a missing MSS (0) gets entry 0. */
u8 sg_cookie_mss_index(u16 mss);

#endif /* _SYNGUARD_COOKIE_H */
