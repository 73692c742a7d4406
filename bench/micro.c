// SPDX-License-Identifier: GPL-2.0
/*
 * Host micro-benchmark of the logic the module shares with userspace,
 * for callgrind: each operation runs in its own function (in micro_ops.c), N
 * times, so that "valgrind --tool=callgrind --toggle-collect=op_NAME"
 * counts the instructions of that operation alone (see callgrind.sh).
 *
 *   micro OP N      OP: synack, check, hit, miss, step
 *
 * synack  sg_cookie_make() and sg_synack_build() for a parsed SYN: what
 *         the module computes to answer a SYN with a cookie.
 * check   sg_cookie_check() of a valid cookie: a client's ACK.
 * hit     sg_tcp_parse(), sg_tcp_check_flags() and sg_track_step() of a
 *         data segment on an established connection: the pure part of
 *         the per-packet path once the table lookup has found the entry.
 * miss    sg_tcp_parse(), sg_tcp_check_flags() and sg_track_init() of a
 *         SYN: the pure part of the path of a segment with no entry.
 * step    sg_track_step() alone, on the same data segment.
 *
 * The hash table itself (kmod/table.c, kmod/htable.c: jhash, RCU
 * buckets, spinlocks) is kernel-only and not built here: hit and miss
 * leave out the bucket walk.
 */
#include <stdio.h>
#include <stdlib.h>

#include "micro.h"

int main(int argc, char **argv)
{
	struct sg_cookie_secrets s;
	struct sg_cookie_tuple ct;
	struct sg_cookie_opts in = { 1460, 7, true, true };
	struct sg_track tr;
	struct sg_tcp t;
	unsigned long n;
	const char *op;
	u32 cookies[64];
	int i;

	if (argc != 3) {
		fprintf(stderr, "usage: micro synack|check|hit|miss|step N\n");
		return 2;
	}
	op = argv[1];
	n = strtoul(argv[2], NULL, 10);

	seg_build(syn, sizeof(syn), SG_TCP_SYN, 1000, 0);
	memcpy(syn + 20, syn_opts, sizeof(syn_opts));
	seg_build(data, 20, SG_TCP_ACK | SG_TCP_PSH, 1001, 5001);
	if (sg_tcp_parse(syn, sizeof(syn), &t)) {
		fprintf(stderr, "micro: the SYN does not parse\n");
		return 1;
	}

	if (!strcmp(op, "synack")) {
		op_synack(n, &t);
	} else if (!strcmp(op, "check")) {
		secrets(&s);
		tuple(&ct);
		for (i = 0; i < 64; i++)
			cookies[i] = sg_cookie_make(&s, &ct, 1000 + i, &in,
						    NULL);
		op_check(n, cookies, &s, &ct);
	} else if (!strcmp(op, "hit")) {
		established(&tr);
		op_hit(n, &tr);
	} else if (!strcmp(op, "miss")) {
		op_miss(n);
	} else if (!strcmp(op, "step")) {
		established(&tr);
		sg_tcp_parse(data, sizeof(data), &t);
		op_step(n, &tr, &t);
	} else {
		fprintf(stderr, "micro: unknown operation %s\n", op);
		return 2;
	}
	printf("%s %lu done (%u)\n", op, n, sink);
	return 0;
}
