/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SYNGUARD_VERSION_H
#define _SYNGUARD_VERSION_H

#define SYNGUARD_VERSION "0.1.0"

#endif /* _SYNGUARD_VERSION_H */
