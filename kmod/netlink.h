/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNGUARD_NETLINK_H
#define _SYNGUARD_NETLINK_H

#include "uapi/linux/synguard.h"

struct sg_net;
struct sg_listener;

int sg_genl_init(void);
void sg_genl_exit(void);

/*
 * Multicast an event to SYNGUARD_MCGRP_EVENTS, rate limited by the
 * event_rate knob. Safe in any context; @l may be NULL.
 */
void sg_event(struct sg_net *sn, enum synguard_event ev,
	      const struct sg_listener *l);

#endif /* _SYNGUARD_NETLINK_H */
