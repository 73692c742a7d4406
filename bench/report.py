#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the "BENCH {json}" lines of a `make bench` VM log into results.

  report.py LOG OUTDIR [--machine FILE] [--rst Documentation/performance.rst]

Writes OUTDIR/results.json (every record), OUTDIR/results.md (the tables
and the targets, met or missed, with their figures), OUTDIR/success.dat
(for the plot) and prints results.md. With --rst, replaces the part of
that file between the ".. BEGIN RESULTS" and ".. END RESULTS" lines.
"""
import argparse
import json
import os
import statistics
import sys

NAMES = {
    "a": "(a) none, tcp_syncookies=0",
    "b": "(b) kernel syncookies",
    "c": "(c) nft synproxy + conntrack",
    "cn": "(c) without the notrack rule",
    "d": "(d) synguard",
    "d0": "(d) synguard, tcp_syncookies=0",
    "di": "(d) synguard, synack_inplace=1",
    "e": "(e) XDP SYN proxy + nft synproxy",
    "ni": "dropped at the link's ingress (nft netdev)",
    "np": "dropped at IP prerouting (nft, priority raw)",
    "dr": "(d), its decision to answer, then dropped (synack_rate=1)",
}

# Scenario 6's stages: what each configuration adds to the one before.
STAGES = (
    ("ni", None, "the link to its ingress: RPS hand-over, backlog, "
     "receive up to the netdev ingress hook"),
    ("np", "ni", "ingress to IP prerouting: IP receive, hooks up to "
     "priority raw"),
    ("dr", "np", "synguard's hook up to its decision to answer: parse, "
     "service, listener, pressure, rate limit"),
    ("di", "dr", "the cookie and the SYN-ACK made in place and sent back "
     "out of the link (route check, checksums, transmit, and the "
     "attacker's end dropping it)"),
    ("d", "di", "a new skb, routed and sent through the output path "
     "instead of in place"),
)


def load(path):
    recs = []
    perf = {}
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            i = line.find("BENCH {")
            if i >= 0:
                recs.append(json.loads(line[i + 6:]))
                continue
            i = line.find("PERF ")
            if i >= 0:
                cfg, _, rest = line[i + 5:].partition(" ")
                perf.setdefault(cfg, []).append(rest.strip())
    return recs, perf


def ms(v):
    return "-" if v is None else f"{v:.1f}"


def med_or_none(rs, key, digits=None):
    """The median of a field over rounds, None if a round lacks it."""
    if any(key not in r for r in rs):
        return None
    return round(statistics.median(r[key] for r in rs), digits)


def pct(ok, n):
    return 100.0 * ok / n if n else 0.0


def capacity(steps):
    """Highest achieved rate before success first drops below 99%."""
    best = None
    for r in steps:
        if pct(r["client"]["ok"], r["client"]["attempts"]) < 99:
            return best, r["pps"]
        best = r["pps"]
    return best, None


def scaling(s5):
    """Per configuration of scenario 5: its runs, the ratio of SYNs
    answered with two CPUs over those with one in each round, and their
    median."""
    out = {}
    for cfg in dict.fromkeys(r["cfg"] for r in s5):
        runs = [r for r in s5 if r["cfg"] == cfg]
        ratios = []
        for rnd in dict.fromkeys(r.get("round", 1) for r in runs):
            rows = {r["rx_cpus"]: r for r in runs
                    if r.get("round", 1) == rnd}
            one, two = rows.get(1), rows.get(2)
            if one and two and one["flood_tx_pps"] > 0:
                ratios.append(two["flood_tx_pps"] / one["flood_tx_pps"])
        out[cfg] = {"runs": runs, "ratios": ratios,
                    "ratio": statistics.median(ratios) if ratios else None}
    return out


def render(recs, perf, machine, host):
    env = next((r for r in recs if r.get("s") == "env"), {})
    out = []
    w = out.append
    mode = "quick (BENCH_QUICK=1)" if env.get("quick") else "full"
    w(f"# synguard benchmark results ({mode} run)\n")
    if machine:
        w("Machine: " + machine.strip() + "\n")
    w(f"Guest: Linux {env.get('kernel')}, {env.get('cpus')} vCPUs "
      f"(QEMU TCG), {env.get('mem_kb', 0) // 1024} MiB; "
      f"tcp_max_syn_backlog={env.get('tcp_max_syn_backlog')}, "
      f"somaxconn={env.get('somaxconn')}. All figures from one boot; "
      "compare ratios, not absolute numbers.\n")

    gen = next((r for r in recs if r.get("s") == 0), None)
    if gen:
        w("## Flood generator\n")
        w(f"SYNs/s arriving at the server's link, 5 s at full speed: "
          f"hping3 --flood {gen['hping3_pps']}, bench/synflood "
          f"{gen['synflood_pps']} (it reports: `{gen['synflood_says']}`).\n")

    s1 = [r for r in recs if r.get("s") == 1]
    by = {}
    for r in s1:
        by.setdefault(r["cfg"], []).append(r)
    # One row per configuration over its rounds: connections summed,
    # the rest the median of the rounds' figures; conntrack from the
    # first round's start to the largest end.
    agg = {}
    for cfg, rs in by.items():
        lat50 = [r["client"]["p50_ms"] for r in rs
                 if r["client"]["p50_ms"] is not None]
        lat99 = [r["client"]["p99_ms"] for r in rs
                 if r["client"]["p99_ms"] is not None]
        agg[cfg] = {
            "rounds": len(rs),
            "pps": round(statistics.median(r["pps"] for r in rs)),
            "ok": sum(r["client"]["ok"] for r in rs),
            "attempts": sum(r["client"]["attempts"] for r in rs),
            "p50": statistics.median(lat50) if lat50 else None,
            "p99": max(lat99) if lat99 else None,
            "fcpu": round(statistics.median(r.get("flood_cpu", 0) for r in rs), 1),
            "fcpu0": med_or_none(rs, "flood_cpu0", 1),
            "rx": med_or_none(rs, "flood_rx_pps"),
            "tx": med_or_none(rs, "flood_tx_pps"),
            "cpu": round(statistics.median(r["cpu"] for r in rs), 1),
            "ct0": rs[0]["conntrack_start"],
            "ct": None if rs[0]["conntrack"] is None else
            max(r["conntrack"] for r in rs),
        }
    if s1:
        w(f"## 1. Legitimate service under a {env.get('s1_rate')} SYN/s "
          "spoofed flood\n")
        w(f"{env.get('s1_count')} connections per round at 20/s, 64 KiB "
          "each way checked byte for byte; success = handshake within "
          "2.5 s and echo within 5 s. Rounds: the configurations take "
          "turns; connections are summed, p50 and CPU are medians of the "
          "rounds, p99 the worst round's. CPU is the whole guest's "
          "(2 vCPUs = 100%): wall time less the idle time of /proc/stat, "
          "which the kernel measures exactly (its user, system and softirq "
          "figures are tick samples, and miss most of the work a CPU "
          "does between idle periods); \"flood only\" over 5 s of "
          "flood before the client starts (the generator, pinned to CPU 1, "
          "is included and the same everywhere; CPU 0 alone, in brackets, is "
          "where the server's receive processing runs), \"with client\" "
          "while the "
          "client ran (its Python threads and the echo server included). "
          "\"Server link\" is the attacker's link as the server counts it "
          "over the same window: packets received (the flood's SYNs) and sent "
          "(its answers) per second.\n")
        w("| configuration | rounds | SYN/s achieved | success | "
          "handshake p50 ms | p99 ms | CPU % flood only: guest (CPU 0) | "
          "server link rx / tx per s, flood only | "
          "CPU % with client | conntrack entries "
          "(start → end) |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for cfg, a in agg.items():
            ct = "-" if a["ct"] is None else f"{a['ct0']} → {a['ct']}"
            link = "-" if a["rx"] is None else f"{a['rx']} / {a['tx']}"
            cpu0 = "" if a["fcpu0"] is None else f" ({a['fcpu0']})"
            w(f"| {NAMES[cfg]} | {a['rounds']} | {a['pps']} | "
              f"{a['ok']}/{a['attempts']} "
              f"({pct(a['ok'], a['attempts']):.1f}%) | {ms(a['p50'])} | "
              f"{ms(a['p99'])} | {a['fcpu']}{cpu0} | {link} | "
              f"{a['cpu']} | {ct} |")
        w("")

    s2 = [r for r in recs if r.get("s") == 2]
    caps = {}
    answers = {}
    fails = {}
    if s2:
        w("## 2. Capacity: highest SYN rate with ≥99% legitimate success\n")
        w(f"Rate stepped up; each step on fresh namespaces, "
          f"{env.get('s2_count')} connections at 20/s during the flood. "
          "The last step is the generator at full speed.\n")
        cfgs = []
        for r in s2:
            if r["cfg"] not in cfgs:
                cfgs.append(r["cfg"])
        w("Where every step keeps 99%, the generator at full speed is the "
          "limit and the absorbed rate says nothing about the defence; "
          "\"answered at full speed\" is then the measure: the SYNs per "
          "second the server's link sent answers to in that step (the "
          "flood-only window), with CPU 0, which does all of the server's "
          "receive work, busy in brackets.\n")
        w("| configuration | absorbed (SYN/s achieved) | first step below 99% "
          "| answered at full speed /s (CPU 0 %) "
          "| success at each step: achieved SYN/s: success (CPU % of the "
          "guest, flood only) |")
        w("|---|---:|---:|---:|---|")
        for cfg in cfgs:
            steps = [r for r in s2 if r["cfg"] == cfg]
            best, fail = capacity(steps)
            caps[cfg] = best
            fails[cfg] = fail
            top = next((r for r in steps if r["target_pps"] == 0), None)
            if top is not None and "flood_tx_pps" in top:
                answers[cfg] = (top["flood_tx_pps"], top.get("flood_cpu0"))
                full = f"{top['flood_tx_pps']} ({top.get('flood_cpu0', '-')})"
            else:
                full = "-"
            cells = ", ".join(
                f"{r['pps']}: {pct(r['client']['ok'], r['client']['attempts']):.0f}%"
                f" ({r.get('flood_cpu', '-')})"
                for r in steps)
            w(f"| {NAMES[cfg]} | {best if best is not None else '< ' + str(steps[0]['pps'])} "
              f"| {fail if fail is not None else 'none'} | {full} | {cells} |")
        w("")

    s3 = [r for r in recs if r.get("s") == 3]
    tput = {}
    if s3:
        w("## 3. Cost on established traffic (iperf3 over the protected "
          "port)\n")
        w("Medians over the rounds. idle: loaded, port protected, no "
          "flood (tracked, not proxied). enforcing: mode=enforce, "
          "cookies=2, so the iperf3 connections are proxied and every "
          "segment is translated.\n")
        w("The host's other load moves throughput by a factor of several "
          "from one minute to the next, so \"vs absent\" is the median of "
          "the ratios within each round (the three cases back to back), "
          "not the ratio of the medians.\n")
        w("| case | rounds | throughput Gbit/s (median) | vs absent "
          "(median of per-round ratios) | guest CPU % | "
          "Mbit/s per CPU % |")
        w("|---|---:|---:|---:|---:|---:|")
        rounds = {}
        for r in s3:
            rounds.setdefault(r.get("round", 0), {})[r["case"]] = r["bps"]
        for case in ("absent", "idle", "enforce"):
            rs = [r for r in s3 if r["case"] == case]
            if not rs:
                continue
            bps = statistics.median(r["bps"] for r in rs)
            cpu = round(statistics.median(r["cpu"] for r in rs), 1)
            ratios = [v[case] / v["absent"] for v in rounds.values()
                      if case in v and v.get("absent")]
            rel = statistics.median(ratios) * 100 if ratios else 100
            tput[case] = rel
            spread = (f" (rounds {min(ratios) * 100:.0f}–"
                      f"{max(ratios) * 100:.0f}%)" if ratios else "")
            extra = ""
            if case == "enforce":
                extra = f" (cookies_valid {rs[-1]['cookies_valid']})"
            w(f"| {case}{extra} | {len(rs)} | {bps / 1e9:.2f} | {rel:.1f}%{spread} "
              f"| {cpu} | {bps / 1e6 / cpu if cpu else 0:.1f} |")
        w("")
    mem = next((r for r in recs if r.get("s") == "mem"), None)
    if mem:
        n = mem["entries"]
        w("Memory per connection entry (a flood of spoofed SYNs to an "
          "unprotected port in mode observe, each leaving a syn_sent "
          "entry):\n")
        w("| entries (synguard stats `conns`) | design size × entries | "
          f"slab cache objects added ({mem['cache']}, object "
          f"{mem['object_size']} B, slot {mem['slab_size']} B) | "
          "bytes per entry from slab | /proc/meminfo Slab delta per entry |")
        w("|---:|---:|---:|---:|---:|")
        per = mem["objects_delta"] * mem["slab_size"] / n if n else 0
        mi = mem["meminfo_slab_kb_delta"] * 1024 / n if n else 0
        w(f"| {n} | {n} × {mem['object_size']} B = "
          f"{n * mem['object_size'] / 2**20:.1f} MiB | {mem['objects_delta']} "
          f"= {mem['objects_delta'] * mem['slab_size'] / 2**20:.1f} MiB | "
          f"{per:.0f} | {mi:.0f} |")
        w("")

    s4 = [r for r in recs if r.get("s") == 4]
    if s4:
        w("## 4. Options kept through the proxy, client without "
          "timestamps\n")
        w("Every connection forced through cookies: (b) tcp_syncookies=2, "
          "(c) synproxy on every SYN, (d) cookies=2. Kept = window "
          "scaling and SACK negotiated at both ends (TCP_INFO).\n")
        w("| configuration | proxied (cookies validated) | connections "
          "accepted | kept wscale + SACK | transfers | server sees | "
          "client sees |")
        w("|---|---:|---:|---:|---|---|---|")
        for r in s4:
            w(f"| {NAMES[r['cfg']]} | {r['proxied']} | {r['conns']} | "
              f"{r['kept']}/{r['conns']} | {r['client_ok']} | "
              f"`{r['sample_server'] or '-'}` | "
              f"`{r['sample_client'] or '-'}` |")
        w("")

    s5 = [r for r in recs if r.get("s") == 5]
    scale = scaling(s5)
    if s5:
        w("## 5. Scaling: the server's receive work on one vCPU and on "
          "two\n")
        w("No RPS: veth does the receiving side's work on the sending "
          "CPU, so each generator, at full speed and pinned to a CPU, has "
          "that CPU process what it sends. One generator on CPU 0 (CPU 1 "
          "idle), then one on each CPU: each CPU shares itself between a "
          "generator and the server's work alike in both runs, and "
          "\"two CPUs vs one\" is the SYN-ACKs a second the server's link "
          "sent with two over those with one, both at saturation (busy "
          "is wall time less idle time, per CPU, over the same window).\n")
        w("Rounds: the configurations take turns; \"two CPUs vs one\" "
          "is each round's ratio, and the median of the rounds is the "
          "figure.\n")
        w("| configuration | round | receive CPUs | generators sent /s | "
          "server link rx / tx per s | busy CPU 0 / CPU 1 | two CPUs vs "
          "one |")
        w("|---|---:|---:|---:|---:|---:|---:|")
        for r in sorted(s5, key=lambda r: (list(scale).index(r["cfg"]),
                                           r.get("round", 1),
                                           r["rx_cpus"])):
            sc = scale[r["cfg"]]
            ratio = None
            if r["rx_cpus"] == 2:
                one = [o for o in sc["runs"] if o["rx_cpus"] == 1 and
                       o.get("round", 1) == r.get("round", 1)]
                if one and one[0]["flood_tx_pps"] > 0:
                    ratio = r["flood_tx_pps"] / one[0]["flood_tx_pps"]
            w(f"| {NAMES[r['cfg']]} | {r.get('round', 1)} | "
              f"{r['rx_cpus']} | {r['pps']} | "
              f"{r['flood_rx_pps']} / {r['flood_tx_pps']} | "
              f"{r['busy_cpu0']:.2f} / {r['busy_cpu1']:.2f} | "
              f"{'-' if ratio is None else f'{ratio:.2f}×'} |")
        w("")
        w("| configuration | two CPUs vs one, each round | median |")
        w("|---|---|---:|")
        for cfg, sc in scale.items():
            if sc["ratio"] is not None:
                w(f"| {NAMES[cfg]} | "
                  f"{', '.join(f'{x:.2f}×' for x in sc['ratios'])} | "
                  f"{sc['ratio']:.2f}× |")
        w("")

    s6 = {r["cfg"]: r for r in recs if r.get("s") == 6}
    us = {cfg: 1e6 * r["busy_cpu0"] / r["dealt_pps"]
          for cfg, r in s6.items() if r["dealt_pps"] > 0}
    if s6:
        w("## 6. Where a SYN's time goes on the CPU that receives it\n")
        w("Scenario 2's layout (RPS puts all of the server's receive "
          "work on CPU 0, the generator runs at full speed on CPU 1), with "
          "configurations that stop the SYN at successive points and "
          "those that answer it. \"Dealt with\" is what the "
          "configuration did with the flood's SYNs per second: the nft "
          "counter of the drop rule, synguard's decisions to answer "
          "(answered or rate-limited), or the SYN-ACKs the server's link "
          "sent. CPU 0's busy time over those is the time one SYN took "
          "there, whether or not CPU 0 was saturated (a CPU that is not "
          "saturated batches less, so a lightly loaded stage reads a "
          "little dearer).\n")
        w("| configuration | generator sent /s | dealt with /s | busy CPU 0 "
          "| µs of CPU 0 per SYN | vs (c) |")
        w("|---|---:|---:|---:|---:|---:|")
        for cfg, r in s6.items():
            t = us.get(cfg)
            rel = (f"{t / us['c']:.2f}" if t and us.get("c") else "-")
            w(f"| {NAMES[cfg]} | {r['pps']} | {r['dealt_pps']} | "
              f"{r['busy_cpu0']:.2f} | "
              f"{'-' if t is None else f'{t:.1f}'} | {rel} |")
        w("")
        if all(cfg in us for cfg, _, _ in STAGES):
            w("Stages, each the difference from the one before:\n")
            w("| stage | µs of CPU 0 per SYN | share of (d) |")
            w("|---|---:|---:|")
            for cfg, prev, what in STAGES:
                t = us[cfg] - (us[prev] if prev else 0)
                w(f"| {what} | {t:.1f} | {100 * t / us['d']:.0f}% |")
            w("")
        if "c" in us and "np" in us:
            w(f"A SYN answered by any hook at or after IP prerouting "
              f"costs at least what reaching prerouting costs "
              f"({us['np']:.1f} µs here): at most "
              f"{us['c'] / us['np']:.2f}× the rate of (c), whose SYN "
              f"takes {us['c']:.1f} µs, if the answer itself cost "
              f"nothing.\n")

    w("## Targets\n")
    w("| target | figures | met |")
    w("|---|---|---|")

    def row(name, fig, ok):
        met = "-" if ok is None else "yes" if ok else "NO"
        w(f"| {name} | {fig} | {met} |")

    if "a" in agg and "d" in agg:
        pa = pct(agg["a"]["ok"], agg["a"]["attempts"])
        pd = pct(agg["d"]["ok"], agg["d"]["attempts"])
        row("scenario 1: (d) ≥99% success where (a) <50%",
            f"(d) {pd:.1f}%, (a) {pa:.1f}%", pd >= 99 and pa < 50)
    if "c" in agg and "d" in agg:
        row("scenario 1: (d) uses less guest CPU than (c)",
            f"flood only: (d) {agg['d']['fcpu']}%, (c) {agg['c']['fcpu']}%; "
            f"with client: (d) {agg['d']['cpu']}%, "
            f"(c) {agg['c']['cpu']}%",
            agg["d"]["fcpu"] < agg["c"]["fcpu"] and
            agg["d"]["cpu"] < agg["c"]["cpu"])
    if ("c" in caps and "d" in caps and fails["c"] is None and
            fails["d"] is None and "c" in answers and "d" in answers):
        # Neither failed at any step: compare what each answered with
        # the server's CPU saturated.
        (ac, uc), (ad, ud) = answers["c"], answers["d"]
        ratio = ad / ac if ac else float("inf")
        row("scenario 2: (d) absorbs ≥2× the SYN rate of (c)",
            f"both kept ≥99% at every step up to the generator's full "
            f"speed ((d) {caps['d']}, (c) {caps['c']} SYN/s achieved), so "
            f"no step separates them; at full speed (d) answered {ad} "
            f"SYN/s (CPU 0 {ud}% busy) and (c) {ac} (CPU 0 {uc}%): "
            f"{ratio:.2f}×", ratio >= 2)
    elif "c" in caps and "d" in caps:
        c, d = caps["c"], caps["d"]
        ratio = (d or 0) / c if c else float("inf")
        first = {cfg: next(r["pps"] for r in s2 if r["cfg"] == cfg)
                 for cfg in ("c", "d")}
        row("scenario 2: (d) absorbs ≥2× the SYN rate of (c)",
            f"(d) {d if d is not None else '< ' + str(first['d'])}, "
            f"(c) {c if c is not None else '< ' + str(first['c'])} SYN/s: "
            f"{ratio:.2f}×",
            d is not None and ratio >= 2)
    if "di" in answers and "c" in answers:
        # The same at full speed with the SYN-ACK made in place; how many
        # cookies really went out that way says whether it was used.
        (ac, uc), (ai, ui) = answers["c"], answers["di"]
        top = next(r for r in s2 if r["cfg"] == "di" and
                   r["target_pps"] == 0)
        ratio = ai / ac if ac else float("inf")
        row("scenario 2: (d) with synack_inplace=1 answers ≥2× the SYN "
            "rate of (c) at full speed",
            f"(d, in place) {ai} SYN/s (CPU 0 {ui}% busy; "
            f"{top.get('cookies_inplace', 0)} of "
            f"{top.get('cookies_sent', 0)} cookies made in place), "
            f"(c) {ac} (CPU 0 {uc}%): {ratio:.2f}×", ratio >= 2)
    if "e" in answers and ("d" in answers or "di" in answers):
        # The kernel's own SYN proxy at XDP, the earliest a SYN can be
        # answered: how far synguard is from it, a distance and not a
        # target. Its XDP program's own count says it did the answering.
        ae, ue = answers["e"]
        top = next(r for r in s2 if r["cfg"] == "e" and
                   r["target_pps"] == 0)
        figs = [f"{label} {answers[cfg][0]} SYN/s (CPU 0 "
                f"{answers[cfg][1]}% busy): "
                f"{answers[cfg][0] / ae if ae else float('inf'):.2f} of (e)"
                for cfg, label in (("d", "(d)"), ("di", "(d, in place)"))
                if cfg in answers]
        row("scenario 2: what (d) answers at full speed as a fraction of "
            "(e), the kernel's SYN proxy at XDP",
            "; ".join(figs) + f"; (e) {ae} SYN/s (CPU 0 {ue}%; in that "
            f"step the XDP program made {top.get('xdp_synacks')} SYN-ACKs "
            f"on the attacker's link (veth sent {top.get('xdp_tx')} back, "
            f"{top.get('xdp_tx_errors')} not) and "
            f"{top.get('xdp_synacks_client')} on the client's, where "
            f"{top['client']['ok']}/{top['client']['attempts']} "
            "connections succeeded)", None)
    for cfg in ("d", "di"):
        sc = scale.get(cfg)
        if sc and sc["ratio"] is not None:
            row(f"scenario 5: {NAMES[cfg]} answers ≥1.8× its one-CPU "
                "rate with two receive CPUs",
                f"median of {len(sc['ratios'])} rounds "
                f"({', '.join(f'{x:.2f}×' for x in sc['ratios'])}): "
                f"{sc['ratio']:.2f}×", sc["ratio"] >= 1.8)
    if "d" in agg and "cn" in agg:
        d, cn = agg["d"], agg["cn"]
        legit = d["attempts"]
        flat = d["ct"] - d["ct0"] <= legit
        row("conntrack flat under (d), fills under (c) without notrack",
            f"(d) {d['ct0']} → {d['ct']} (≤ +{legit} legitimate); "
            f"(c) without notrack {cn['ct0']} → {cn['ct']}",
            flat and cn["ct"] > 10 * max(1, d["ct"]))
    if "absent" in tput and "enforce" in tput:
        rel = tput["enforce"]
        row("scenario 3: throughput enforcing within 5% of absent",
            f"{rel:.1f}% of absent (median of per-round ratios; see the "
            "spread above)", rel >= 95)
    s4by = {r["cfg"]: r for r in s4}
    if {"b", "c", "d"} <= s4by.keys():
        d = s4by["d"]
        row("scenario 4: all proxied connections keep wscale + SACK under "
            "(d), lost under (b) and (c)",
            "; ".join(f"({k}) {s4by[k]['kept']}/{s4by[k]['conns']} of "
                      f"{s4by[k]['proxied']} proxied" for k in "bcd"),
            d["conns"] > 0 and d["kept"] == d["conns"] == d["proxied"] and
            s4by["b"]["kept"] == 0 and s4by["c"]["kept"] == 0)
    w("")

    if host:
        w("## Host micro-benchmark (`make bench-host`, callgrind)\n")
        w(host.strip() + "\n")

    if perf:
        w("## Profile under the scenario-1 flood (perf, cpu-clock, whole "
          "guest)\n")
        for cfg, lines in perf.items():
            w(f"{NAMES.get(cfg, cfg)}:\n")
            w("```")
            out.extend(lines)
            w("```\n")
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("log")
    p.add_argument("outdir")
    p.add_argument("--machine")
    p.add_argument("--rst")
    a = p.parse_args()
    recs, perf = load(a.log)
    if not any(r.get("s") == "end" for r in recs):
        print("report: the VM run did not finish; partial results",
              file=sys.stderr)
    machine = open(a.machine).read() if a.machine else ""
    os.makedirs(a.outdir, exist_ok=True)
    with open(os.path.join(a.outdir, "results.json"), "w") as f:
        json.dump({"records": recs, "perf": perf}, f, indent=1)
    host = ""
    hp = os.path.join(a.outdir, "host.md")
    if os.path.exists(hp):
        host = open(hp).read()
    md = render(recs, perf, machine, host)
    with open(os.path.join(a.outdir, "results.md"), "w") as f:
        f.write(md)
    with open(os.path.join(a.outdir, "success.dat"), "w") as f:
        cfgs = []
        for r in recs:
            if r.get("s") == 2 and r["cfg"] not in cfgs:
                cfgs.append(r["cfg"])
        for cfg in cfgs:
            f.write(f'"{NAMES[cfg]}"\n')
            for r in recs:
                if r.get("s") == 2 and r["cfg"] == cfg:
                    c = r["client"]
                    f.write(f"{r['pps']} {pct(c['ok'], c['attempts']):.1f}\n")
            f.write("\n\n")
    if a.rst:
        text = open(a.rst).read()
        head, _, rest = text.partition(".. BEGIN RESULTS\n")
        _, _, tail = rest.partition(".. END RESULTS\n")
        body = "::\n\n" + "".join(
            "    " + line + "\n" if line else "\n"
            for line in md.splitlines()) + "\n"
        with open(a.rst, "w") as f:
            f.write(head + ".. BEGIN RESULTS\n\n" + body +
                    ".. END RESULTS\n" + tail)
    sys.stdout.write(md)


if __name__ == "__main__":
    main()
