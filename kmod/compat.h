/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels synguard builds against, from 6.1 to
 * 6.12, keyed on LINUX_VERSION_CODE. Everything else uses the kernel's
 * names directly.
 */
#ifndef _SYNGUARD_COMPAT_H
#define _SYNGUARD_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

/* 6.12 moved the unaligned access helpers out of asm/. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
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
