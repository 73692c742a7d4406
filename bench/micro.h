/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between bench/micro.c and micro_ops.c. */
#ifndef _SYNGUARD_MICRO_H
#define _SYNGUARD_MICRO_H

#include "cookie.h"
#include "state.h"
#include "tcp.h"

extern const u8 syn_opts[12];
extern u8 syn[32], data[20 + 100];
extern u32 sink;

void seg_build(u8 *b, unsigned int hdr, u8 flags, u32 seq, u32 ack);
void tuple(struct sg_cookie_tuple *t);
void secrets(struct sg_cookie_secrets *s);
void established(struct sg_track *tr);

void op_synack(unsigned long n, const struct sg_tcp *t);
void op_check(unsigned long n, const u32 *cookies,
	      const struct sg_cookie_secrets *s,
	      const struct sg_cookie_tuple *ct);
void op_hit(unsigned long n, struct sg_track *tr);
void op_miss(unsigned long n);
void op_step(unsigned long n, struct sg_track *tr, struct sg_tcp *t);

#endif /* _SYNGUARD_MICRO_H */
