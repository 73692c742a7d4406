// SPDX-License-Identifier: GPL-2.0
/*
 * synguard: module and per-namespace lifetime.
 */
#include <linux/log2.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "hooks.h"
#include "netlink.h"
#include "netns.h"
#include "proxy.h"
#include "secrets.h"
#include "service.h"
#include "stats.h"
#include "version.h"

/* The reaper visits a tenth of the table each run: all of it each second. */
#define SG_REAP_INTERVAL	(HZ / 10)
#define SG_REAP_SLICES		10

unsigned int sg_net_id __read_mostly;

/* Housekeeping that follows the table's fill and the clock. */
static void reaper_tick(struct sg_net *sn, const struct sg_config *cfg)
{
	u32 max = cfg->v[SYNGUARD_KNOB_MAX_CONNS];

	if (test_bit(SG_NET_TABLE_FULL, &sn->flags) &&
	    atomic_read(&sn->conns.count) < max - max / 16)
		clear_bit(SG_NET_TABLE_FULL, &sn->flags);
	/* Keep it in the recent past, so that jiffies never wrap onto it. */
	if (time_after_eq(jiffies, READ_ONCE(sn->cookie_until)))
		WRITE_ONCE(sn->cookie_until, jiffies);
}

/* How often a namespace that holds nothing looks again. */
#define SG_IDLE_INTERVAL	HZ

static void reaper_work(struct work_struct *work)
{
	struct sg_net *sn = container_of(to_delayed_work(work), struct sg_net,
					 reaper);
	unsigned int size, n;
	unsigned long idle;
	u32 max_conns;

	sg_secrets_tick(sn);
	/* Bucket numbers change with a resize: start the sweep again. */
	if (sg_table_resize(sn))
		sn->reap_cursor = 0;
	sg_listeners_resize(sn);
	size = sg_htable_size(&sn->conns.h);
	n = size / SG_REAP_SLICES + 1;
	sg_table_reap(sn, sn->reap_cursor, n);
	sn->reap_cursor += n;
	rcu_read_lock();
	reaper_tick(sn, rcu_dereference(sn->cfg));
	idle = sg_cfg_jiffies(rcu_dereference(sn->cfg),
			      SYNGUARD_KNOB_LISTENER_TIMEOUT);
	max_conns = rcu_dereference(sn->cfg)->v[SYNGUARD_KNOB_MAX_CONNS];
	/*
	 * Listeners are kept listener_timeout after their last connection,
	 * but not while their table is full: packets to ever new ports can
	 * fill it, and a protected service's connection needs its record.
	 */
	if (atomic_read(&sn->listeners.count) >=
	    sg_listener_max(max_conns, false))
		idle = 0;
	/* With no entry left, nothing is in close_wait: say so at once. */
	if (sn->reap_cursor >= size || !atomic_read(&sn->conns.count))
		sg_listeners_sweep_end(sn);
	if (sn->reap_cursor >= size || !idle)
		sg_listeners_reap(sn, 0, sg_htable_size(&sn->listeners.h),
				  idle);
	rcu_read_unlock();
	if (sn->reap_cursor >= size)
		sn->reap_cursor = 0;
	/* A namespace that never uses synguard costs one wakeup a second. */
	if (!atomic_read(&sn->conns.count) &&
	    !atomic_read(&sn->listeners.count))
		queue_delayed_work(system_power_efficient_wq, &sn->reaper,
				   round_jiffies_relative(SG_IDLE_INTERVAL));
	else
		queue_delayed_work(system_power_efficient_wq, &sn->reaper,
				   SG_REAP_INTERVAL);
}

static int __net_init sg_net_init(struct net *net)
{
	struct sg_net *sn = sg_pernet(net);
	int err;

	sn->net = net;
	mutex_init(&sn->lock);
	sn->ev_window = jiffies;
	sn->cookie_until = jiffies;
	atomic_set(&sn->ev_sent, 0);
	/* The maker of a namespace pays for what synguard keeps in it. */
	if (net != &init_net && current->mm)
		sn->memcg = get_mem_cgroup_from_mm(current->mm);

	err = sg_config_init(sn);
	if (err)
		goto err_memcg;
	err = sg_stats_init(sn);
	if (err)
		goto err_config;
	sg_sp_init(&sn->sp);
	err = sg_table_init(&sn->conns);
	if (err)
		goto err_stats;
	sg_gauge_add(sn, SYNGUARD_CNT_CONN_BUCKETS, sg_hashsize);
	err = sg_listeners_init(&sn->listeners);
	if (err)
		goto err_table;
	err = sg_secrets_init(sn);
	if (err)
		goto err_listeners;
	err = sg_proxy_init(sn);
	if (err)
		goto err_secrets;
	INIT_DELAYED_WORK(&sn->reaper, reaper_work);
	/* Last: from here on packets see everything above. */
	err = sg_hooks_register(net);
	if (err)
		goto err_proxy;
	queue_delayed_work(system_power_efficient_wq, &sn->reaper,
			   SG_REAP_INTERVAL);
	return 0;

err_proxy:
	sg_proxy_exit(sn);
err_secrets:
	sg_secrets_exit(sn);
err_listeners:
	sg_listeners_exit(&sn->listeners);
err_table:
	sg_table_exit(sn);
err_stats:
	sg_stats_exit(sn);
err_config:
	sg_config_exit(sn);
err_memcg:
	mem_cgroup_put(sn->memcg);
	return err;
}

/*
 * Teardown, in two steps. nf_unregister_net_hooks() does not wait for
 * packets already inside a hook (a preempted LOCAL_OUT hook may stay
 * there a while), so the hooks go in pre_exit; the core then waits for an
 * RCU grace period, which every hook runs inside, before calling exit.
 * From there no packet can reach the namespace's data: the reaper is
 * stopped, then everything is freed in the reverse order of init.
 * Entries and listeners already unlinked are freed by RCU callbacks,
 * which module exit waits for.
 */
static void __net_exit sg_net_pre_exit(struct net *net)
{
	sg_hooks_unregister(net);
}

static void __net_exit sg_net_exit(struct net *net)
{
	struct sg_net *sn = sg_pernet(net);

	cancel_delayed_work_sync(&sn->reaper);
	sg_proxy_exit(sn);
	sg_sp_exit(&sn->sp);
	sg_table_exit(sn);
	sg_listeners_exit(&sn->listeners);
	sg_secrets_exit(sn);
	sg_services_exit(sn);
	sg_stats_exit(sn);
	sg_config_exit(sn);
	mem_cgroup_put(sn->memcg);
}

static struct pernet_operations sg_net_ops = {
	.init = sg_net_init,
	.pre_exit = sg_net_pre_exit,
	.exit = sg_net_exit,
	.id = &sg_net_id,
	.size = sizeof(struct sg_net),
};

static int __init sg_mod_init(void)
{
	int err;

	if (!is_power_of_2(sg_hashsize) || sg_hashsize < SG_TABLE_MIN_BUCKETS ||
	    sg_hashsize > SG_TABLE_MAX_BUCKETS) {
		pr_err("synguard: hashsize must be a power of two in 1024..4194304, not %u\n",
		       sg_hashsize);
		return -EINVAL;
	}
	err = sg_table_cache_init();
	if (err)
		return err;
	err = register_pernet_subsys(&sg_net_ops);
	if (err)
		goto err_cache;
	err = sg_genl_init();
	if (err)
		goto err_pernet;
	pr_info("synguard " SYNGUARD_VERSION " loaded\n");
	return 0;

err_pernet:
	unregister_pernet_subsys(&sg_net_ops);
err_cache:
	sg_table_cache_exit();
	return err;
}

static void __exit sg_mod_exit(void)
{
	sg_genl_exit();
	unregister_pernet_subsys(&sg_net_ops);
	/* Entries and secrets freed through call_rcu() must be gone. */
	rcu_barrier();
	sg_table_cache_exit();
	pr_info("synguard unloaded\n");
}

module_init(sg_mod_init);
module_exit(sg_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("TCP handshake and teardown guard");
MODULE_VERSION(SYNGUARD_VERSION);
MODULE_ALIAS_GENL_FAMILY(SYNGUARD_GENL_NAME);
