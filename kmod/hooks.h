/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNGUARD_HOOKS_H
#define _SYNGUARD_HOOKS_H

struct net;

int sg_hooks_register(struct net *net);
void sg_hooks_unregister(struct net *net);

#endif /* _SYNGUARD_HOOKS_H */
