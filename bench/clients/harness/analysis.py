"""Pure functions of the harness: statistics over rounds, the reconnect analysis of a `follow` run, the tables."""
import json
import statistics

WINDOW_MS = 1000


def summary(values):
    """Median and spread of a list of numbers: {n, median, min, max, spread_pct} (spread = (max - min) / median)."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    med = statistics.median(values)
    return {"n": len(values), "median": med, "min": min(values), "max": max(values),
            "spread_pct": round(100.0 * (max(values) - min(values)) / med, 1) if med else 0.0}


def parse_lines(text):
    """The JSON lines of a driver's stdout (anything else on stdout breaks the CLI contract: reported, not skipped)."""
    items, bad = [], []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            items.append(json.loads(line))
        except ValueError:
            bad.append(line)
    return items, bad


def target_window(reopen_ms):
    """Open time of the newest 1 s window that closed at or before reopen_ms (its end <= reopen_ms)."""
    return (reopen_ms // WINDOW_MS) * WINDOW_MS - WINDOW_MS


def reconnect_report(items, cut_ms, reopen_ms, oracle_ts=None):
    """Analyses a follow run cut at cut_ms and reopened at reopen_ms.

    caught_up_ms: from reopen_ms until the driver delivered the closed candle of target_window(reopen_ms) (or, when
    that one never came, of a later window; then the missing window is a violation). violations: closed windows
    delivered twice, out of order, or missing between the first and last closed candle delivered (missing against
    the oracle's windows when given, else against t + 1000 steps). A `recovered:false` snapshot after the first one
    is counted as unrecovered (the client told the consumer it could not close the gap)."""
    closed = [i for i in items if i.get("kind") == "candle" and i.get("closed")]
    target = target_window(reopen_ms)
    hit = next((c for c in closed if c["t"] >= target and c["at"] >= cut_ms), None)
    violations = contiguity_violations([c["t"] for c in closed], oracle_ts)
    target_exists = oracle_ts is None or target in oracle_ts
    if hit is not None and hit["t"] != target and target_exists and not any(c["t"] == target for c in closed):
        violations.append("target window %d never delivered (caught up on %d)" % (target, hit["t"]))
    snapshots = [i for i in items if i.get("kind") == "snapshot"]
    states = [i for i in items if i.get("kind") == "state"]
    reconnected = next((s["at"] for s in states if s.get("state") == "connected" and s["at"] >= reopen_ms), None)
    return {
        "target_t": target,
        "caught_up_ms": (hit["at"] - reopen_ms) if hit else None,
        "connected_ms": (reconnected - reopen_ms) if reconnected else None,
        "closed_candles": len(closed),
        "unrecovered": sum(1 for s in snapshots[1:] if s.get("recovered") is False),
        "violations": violations,
    }


def contiguity_violations(ts, oracle_ts=None):
    """Problems in a delivered sequence of closed-candle open times (see reconnect_report)."""
    problems, seen = [], set()
    for prev, t in zip([None] + ts, ts):
        if t in seen:
            problems.append("window %d delivered twice" % t)
        elif prev is not None and t < prev:
            problems.append("window %d delivered after %d" % (t, prev))
        seen.add(t)
    if not ts:
        return problems
    lo, hi = min(ts), max(ts)
    if oracle_ts is not None:
        expected = {t for t in oracle_ts if lo <= t <= hi}
        problems += ["window %d missing (the server has it)" % t for t in sorted(expected - seen)]
    else:
        problems += ["window %d missing" % t for t in range(lo, hi, WINDOW_MS) if t not in seen]
    return problems


def fmt_rate(s):
    return "—" if s is None else "%s (%s–%s, ±%s %%)" % (_k(s["median"]), _k(s["min"]), _k(s["max"]),
                                                         round(s["spread_pct"] / 2, 1))


def _k(v):
    return "%.1f k" % (v / 1000.0)


def fmt_ms(s):
    return "—" if s is None else "%.2f s (%.2f–%.2f)" % (s["median"] / 1000, s["min"] / 1000, s["max"] / 1000)


def throughput_table(rows):
    """rows: [{driver, lang, summary, baseline (summary of the language's raw run), note}] -> Markdown."""
    out = ["| driver | msgs/s median (min–max, ± half-spread) | rounds | raw baseline msgs/s | client / raw |",
           "|---|---|---|---|---|"]
    for r in rows:
        s, b = r.get("summary"), r.get("baseline")
        ratio = "%.2f" % (s["median"] / b["median"]) if s and b else "—"
        rounds = str(s["n"]) if s else "0"
        out.append("| %s | %s | %s | %s | %s |" % (r["driver"], fmt_rate(s) if s else r.get("note", "—"), rounds,
                                                 _k(b["median"]) if b else "—", ratio))
    return "\n".join(out)


def reconnect_table(rows):
    """rows: [{driver, caught_up, attempt, after_attempt, server (summaries), violations, unrecovered}]."""
    out = ["| driver | caught up after reopen: median (min–max) | first connection through the proxy after reopen "
           "(back-off) | from that connection to caught up | server published the target window, after reopen | "
           "rounds | contiguity violations | unrecovered |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        c = r.get("caught_up")
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["driver"], fmt_ms(c) if c else r.get("note", "—"), fmt_ms(r.get("attempt")),
            fmt_ms(r.get("after_attempt")), fmt_ms(r.get("server")), c["n"] if c else 0, r.get("violations", 0),
            r.get("unrecovered", 0)))
    return "\n".join(out)
