/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading synguard messages: attribute validation against a policy per
 * nest, and the listener, connection and service records. Attributes
 * this tool does not know are skipped, since a newer module may send
 * more; a known attribute of the wrong size is an error (-EBADMSG).
 */
#ifndef SYNGUARD_DECODE_H
#define SYNGUARD_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <libmnl/libmnl.h>
#include <linux/synguard.h>

#include "svc.h"

#define SG_ADDR_LEN	16
#define SG_ADDRSTRLEN	46	/* INET6_ADDRSTRLEN */

struct listener_row {
	__u8 addr[SG_ADDR_LEN];
	__u16 port;
	__u64 counts[__SYNGUARD_LC_MAX];
	bool has_count[__SYNGUARD_LC_MAX];
};

struct conn_row {
	__u8 src[SG_ADDR_LEN];
	__u8 dst[SG_ADDR_LEN];
	__u16 sport;
	__u16 dport;
	__u8 state;
	__u8 closer;
	bool has_expires;
	__u32 expires;
	bool has_age;
	__u32 age;
	bool picked_up;
};

/* Top-level SYNGUARD_A_* attributes of a message into @tb. */
int sg_parse_msg(const struct nlmsghdr *nlh,
		 const struct nlattr *tb[SYNGUARD_A_MAX + 1]);

/*
 * A nest holding one value of @type (MNL_TYPE_U32 or MNL_TYPE_U64) per
 * table entry at attribute type id + 1, as the config, stats and listener
 * count nests do. Fills @vals and @present for ids below @n.
 */
int sg_decode_table(const struct nlattr *nest, enum mnl_attr_data_type type,
		    __u64 *vals, bool *present, unsigned int n);

int sg_decode_listener(const struct nlattr *nest, struct listener_row *l);
int sg_decode_conn(const struct nlattr *nest, struct conn_row *c);
int sg_decode_svc(const struct nlattr *nest, struct svc_spec *svc);

/* IPv4-mapped addresses as plain IPv4, others as IPv6. */
const char *sg_addr_str(const __u8 *addr, char *buf, size_t len);

#endif /* SYNGUARD_DECODE_H */
