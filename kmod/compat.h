/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels synguard builds against, from 5.10 to
 * 6.12, keyed on LINUX_VERSION_CODE. Everything else uses the kernel's
 * names directly.
 */
#ifndef _SYNGUARD_COMPAT_H
#define _SYNGUARD_COMPAT_H

#include <linux/version.h>
#include <linux/sched/mm.h>
#include <net/genetlink.h>

/* 6.12 moved the unaligned access helpers out of asm/. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * 6.1 lets an extended ack name the attribute a request lacks; before, the
 * message alone says which.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#define GENL_REQ_ATTR_CHECK(info, attr) (!(info)->attrs[(attr)])
#define NL_SET_ERR_ATTR_MISS(extack, nest, type) do { } while (0)
#endif

/*
 * Charge what is allocated until the next call to @memcg, and return the
 * cgroup charged before. Before 5.14 the kernel does not export the
 * per-CPU cgroup of interrupt context, so there allocations in softirq
 * (the packet path's) are charged to no cgroup; those in process context
 * still are.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 14, 0)
#define sg_set_active_memcg set_active_memcg
#else
static inline struct mem_cgroup *sg_set_active_memcg(struct mem_cgroup *memcg)
{
	struct mem_cgroup *old = NULL;

#ifdef CONFIG_MEMCG
	if (!in_interrupt()) {
		old = current->active_memcg;
		current->active_memcg = memcg;
	}
#endif
	return old;
}
#endif

/*
 * A dump's parsed attributes: 6.6 moved them into a struct genl_info
 * inside struct genl_dumpit_info.
 */
static inline struct nlattr **sg_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return genl_dumpit_info(cb)->info.attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* _SYNGUARD_COMPAT_H */
