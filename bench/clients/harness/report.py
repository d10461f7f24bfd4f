"""The report of a client-benchmark run: the machine it ran on and the Markdown tables of its result rows."""
import os
import platform
import subprocess
import sys

import analysis


def machine():
    def first(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stderr.splitlines()[0] or "?"
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "?"
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    kib = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    mem = "%.1f GiB RAM" % (kib / 1048576.0)
    node_v = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return {"cpus": os.cpu_count(), "cpu": model, "memory": mem, "kernel": platform.release(),
            "java": first(["java", "-version"]), "node": node_v, "python": sys.version.split()[0],
            "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()}



def render(rows, meta, langs):
    """langs: driver name -> language (whose raw baseline it is compared with)."""
    tp = [r for r in rows if r["part"] == "throughput"]
    rc = [r for r in rows if r["part"] == "reconnect"]
    names = list(dict.fromkeys(r["driver"] for r in rows))
    lines = ["# Client libraries benchmark (issue 18), %s" % meta["started"], "",
             "Command: `%s`  " % meta["command"],
             "Machine: %(cpus)s CPUs (%(cpu)s), %(memory)s, Linux %(kernel)s; %(java)s; Node %(node)s; "
             "Python %(python)s; commit %(commit)s  " % meta["machine"],
             "Load average (1 min): %s at start, %s at end; per round in results.jsonl" % (meta["load_start"],
                                                                                          meta.get("load_end")), ""]
    if tp:
        trows = []
        for n in names:
            mine = [r for r in tp if r["driver"] == n]
            if not mine:
                continue
            lang = n.split("-")[1] if n.startswith("raw-") else langs.get(n)
            base = analysis.summary([r["rate"] for r in tp if r["driver"] == "raw-" + lang])
            s = analysis.summary([r["rate"] for r in mine])
            failed = sum(1 for r in mine if r["rate"] is None)
            trows.append({"driver": n + (" (%d failed)" % failed if failed else ""), "summary": s,
                          "baseline": None if n.startswith("raw-") else base, "note": "failed"})
        lines += ["## Messages per second (%s candle frames per round from the blaster)" % tp[0]["count"], "",
                  analysis.throughput_table(trows), ""]
    if rc:
        rrows = []
        for n in names:
            mine = [r for r in rc if r["driver"] == n]
            if not mine:
                continue
            ok = [r for r in mine if "error" not in r]
            rrows.append({"driver": n + (" (%d failed)" % (len(mine) - len(ok)) if len(ok) < len(mine) else ""),
                          "caught_up": analysis.summary([r.get("caught_up_ms") for r in ok]),
                          "attempt": analysis.summary([r.get("attempt_ms") for r in ok]),
                          "after_attempt": analysis.summary([r.get("attempt_to_caught_up_ms") for r in ok]),
                          "server": analysis.summary([r.get("server_ms") for r in ok]),
                          "violations": sum(len(r.get("violations", [])) for r in ok),
                          "unrecovered": sum(r.get("unrecovered", 0) for r in ok), "note": "failed"})
        lines += ["## Reconnect to caught up (%s s outage after %s s, 1s candles of BTCUSD, real node)" % (
            meta["outage"], meta["cut_after"]), "", analysis.reconnect_table(rrows), ""]
        problems = ["- %s round %d: %s" % (r["driver"], r["round"], v) for r in rc for v in r.get("violations", [])]
        problems += ["- %s round %d: %s" % (r["driver"], r["round"], r["error"]) for r in rc if "error" in r]
        if problems:
            lines += ["Problems:", ""] + problems[:50] + [""]
    if meta.get("absent"):
        lines += ["Not run (driver files missing): " + ", ".join(meta["absent"]), ""]
    return "\n".join(lines)
