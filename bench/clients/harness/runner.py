"""Runs the client-library benchmark (issue 18): msgs/s against the blaster, reconnect-to-caught-up through the
outage proxy against a real node. Called by bench/clients/run from the repository root; see bench/clients/README.md."""
import argparse
import datetime
import json
import os
import subprocess
import sys
import threading
import time

import analysis
import report
from blaster import Blaster
from node import Node, ReferenceSubscriber
from proxy import OutageProxy

PY = "/usr/bin/python3"
JAVA_CP = "clients/java/target/candlecast-client.jar:clients/java/target/lib/*"

# name -> (lang, api, command prefix, files that must exist, extra env)
DRIVERS = {
    "python-asyncio": ("python", "asyncio", [PY, "bench/clients/python/driver.py"],
                       ["bench/clients/python/driver.py", "clients/python/src/candlecast"], {"PYTHONPATH": "clients/python/src"}),
    "python-thread": ("python", "thread", [PY, "bench/clients/python/driver.py"],
                      ["bench/clients/python/driver.py", "clients/python/src/candlecast"], {"PYTHONPATH": "clients/python/src"}),
    "js-callbacks": ("js", "callbacks", ["node", "bench/clients/js/driver.mjs"],
                     ["bench/clients/js/driver.mjs", "clients/js/dist/index.js"], {}),
    "js-iterator": ("js", "iterator", ["node", "bench/clients/js/driver.mjs"],
                    ["bench/clients/js/driver.mjs", "clients/js/dist/index.js"], {}),
    "java-listener": ("java", "listener", ["java", "-cp", JAVA_CP, "bench/clients/java/Driver.java"],
                      ["bench/clients/java/Driver.java", "clients/java/target/candlecast-client.jar"], {}),
    "java-publisher": ("java", "publisher", ["java", "-cp", JAVA_CP, "bench/clients/java/Driver.java"],
                       ["bench/clients/java/Driver.java", "clients/java/target/candlecast-client.jar"], {}),
}
RAW = {"python": [PY, "bench/clients/raw/raw.py"], "js": ["node", "bench/clients/raw/raw.mjs"], "java": None}


def log(msg):
    print("[%s] %s" % (datetime.datetime.utcnow().strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)


def jackson_cp():
    """Jackson for the raw Java baseline: the Java client's copy in target/lib, else the newest 2.18 in ~/.m2."""
    lib = "clients/java/target/lib"
    jars = [os.path.join(lib, f) for f in sorted(os.listdir(lib)) if f.startswith("jackson-")] if os.path.isdir(lib) else []
    if not jars:
        m2 = os.path.expanduser("~/.m2/repository/com/fasterxml/jackson/core")
        for art in ("jackson-databind", "jackson-core", "jackson-annotations"):
            d = os.path.join(m2, art)
            versions = sorted(v for v in os.listdir(d) if v.startswith("2.18")) if os.path.isdir(d) else []
            if versions:
                jars.append(os.path.join(d, versions[-1], "%s-%s.jar" % (art, versions[-1])))
    return ":".join(jars)


def raw_command(lang):
    if lang == "java":
        return ["java", "-cp", jackson_cp(), "bench/clients/raw/RawJava.java"]
    return RAW[lang]


def missing_files(name):
    return [f for f in DRIVERS[name][3] if not os.path.exists(f)]


class Results:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        os.makedirs(os.path.join(out_dir, "logs"), exist_ok=True)
        self.rows = []
        self.file = open(os.path.join(out_dir, "results.jsonl"), "a")

    def add(self, row):
        row["load1"] = round(os.getloadavg()[0], 2)
        self.rows.append(row)
        self.file.write(json.dumps(row) + "\n")
        self.file.flush()

    def log_path(self, name):
        return os.path.join(self.out_dir, "logs", name)


# ---------------------------------------------------------------- msgs/s


def consume_once(name, argv, env, url, count, results, rnd, timeout_s, extra=()):
    """One `consume` run. The driver's own figure counts; a driver that lingers after printing it (a closing
    handshake against a blaster that is still sending) is given 5 s, then killed (noted as lingered)."""
    cmd = argv + ["consume", "--url", url, "--symbol", "BTCUSD", "--tf", "1s", "--count", str(count)] + list(extra)
    t0 = time.time()
    err_path = results.log_path("%s-consume-%d.err" % (name, rnd))
    run = DriverRun(cmd, env, err_path)
    final = run.wait_for(lambda items: next((i for i in items if "rate" in i), None), timeout_s)
    lingered = False
    if final is not None and not run.done.wait(5):
        lingered = True
    run.stop()
    rc = run.proc.returncode if not lingered else 0
    row = {"part": "throughput", "driver": name, "round": rnd, "count": count, "rc": rc,
           "wall_s": round(time.time() - t0, 2), "rate": final.get("rate") if final and rc == 0 else None,
           "seconds": final.get("seconds") if final else None, "lingered": lingered, "stdout_not_json": run.bad[:3]}
    if final is None:
        row["error"] = "no result line within %s s" % timeout_s if run.proc.returncode is None or run.proc.returncode < 0 \
            else "exited %s without a result line" % run.proc.returncode
    elif not isinstance(final.get("count"), int) or final["count"] < count:  # a few more (in flight) are fine
        row["rate"], row["error"] = None, "counted %s, asked %d" % (final.get("count"), count)
    results.add(row)
    log("%-16s round %d: %s" % (name, rnd, "%.0f msgs/s" % row["rate"] if row["rate"]
                                 else "FAILED rc=%s %s (%s)" % (rc, row.get("error"), err_path)))


def run_throughput(names, args, results):
    blaster = Blaster(prebuilt_frames=int(args.count * 1.05) + 2000, log=log).start()
    blaster.prebuilt()
    url = "http://127.0.0.1:%d" % blaster.port
    langs = [l for l in ("python", "js", "java") if l in {DRIVERS[n][0] for n in names} | set(args.raw)]
    try:
        for rnd in range(1, args.rounds + 1):  # rounds outermost: a drift in machine load hits every driver alike
            for lang in langs:
                consume_once("raw-" + lang, raw_command(lang), {}, url, args.count, results, rnd, args.timeout)
            for name in names:
                lang, api, argv, _, env = DRIVERS[name]
                consume_once(name, argv, env, url, args.count, results, rnd, args.timeout, ["--api", api])
    finally:
        blaster.close()


# ---------------------------------------------------------------- reconnect to caught up


def now_ms():
    return int(time.time() * 1000)


class DriverRun:
    """A driver process; its stdout JSON lines are collected as they come."""

    def __init__(self, cmd, env, err_path):
        self.items, self.bad = [], []
        self.cond = threading.Condition()
        self.done = threading.Event()
        self.err = open(err_path, "w")
        self.started = time.time()
        self.proc = subprocess.Popen(cmd, env=dict(os.environ, **env), stdout=subprocess.PIPE, stderr=self.err,
                                     text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            items, bad = analysis.parse_lines(line)
            with self.cond:
                self.items += items
                self.bad += bad
                self.cond.notify_all()
        self.proc.wait()
        self.done.set()
        with self.cond:
            self.cond.notify_all()

    def wait_for(self, pred, timeout_s):
        """Waits until pred(items) holds or the process ended or timeout_s passed; returns pred's last value."""
        with self.cond:
            self.cond.wait_for(lambda: pred(self.items) or self.done.is_set(), timeout_s)
            return pred(self.items)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.done.wait(5)
        self.err.close()


def started(items):
    return any(i.get("kind") == "state" and i.get("state") == "connected" or i.get("kind") == "candle" for i in items)


def follow_once(name, node, ref, args, results, rnd, with_api=True):
    lang, api, argv, _, env = DRIVERS[name]
    proxy = OutageProxy(node.port)
    cmd = argv + ["follow", "--url", "http://127.0.0.1:%d" % proxy.port, "--symbol", "BTCUSD", "--tf", "1s",
                  "--seconds", str(args.follow_seconds)] + (["--api", api] if with_api else [])
    run = DriverRun(cmd, env, results.log_path("%s-follow-%d.err" % (name, rnd)))
    row = {"part": "reconnect", "driver": name, "round": rnd, "api_flag": with_api}
    try:
        if not run.wait_for(started, 60):
            if with_api and run.done.is_set() and run.proc.returncode == 2 and not run.items:
                log("%s: follow refused --api; again without it" % name)
                return follow_once(name, node, ref, args, results, rnd, with_api=False)
            row["error"] = ("exited with %s before a connected state or candle (see logs/%s)" % (
                run.proc.returncode, os.path.basename(run.err.name)) if run.done.is_set()
                else "no connected state or candle within 60 s")
            return
        if run.done.wait(args.cut_after):
            row["error"] = "driver exited before the cut (rc %s)" % run.proc.returncode
            return
        row["cut_ms"], row["cut_connections"] = now_ms(), proxy.cut()
        run.done.wait(args.outage)
        proxy.reopen()
        row["reopen_ms"] = reopen = now_ms()
        target = analysis.target_window(reopen)
        remaining = max(5.0, args.follow_seconds - (time.time() - run.started))
        run.wait_for(lambda items: any(i.get("kind") == "candle" and i.get("closed") and i["t"] >= target
                                       for i in items), remaining)
        run.done.wait(args.tail)  # a few more closed candles: the run must stay contiguous after catching up
    finally:
        run.stop()
        proxy.close()
        with open(results.log_path("%s-follow-%d.jsonl" % (name, rnd)), "w") as f:  # the evidence of the row
            f.writelines(json.dumps(i) + "\n" for i in run.items)
        if "reopen_ms" in row:
            closed = [i["t"] for i in run.items if i.get("kind") == "candle" and i.get("closed")]
            oracle = None
            if closed:
                try:
                    oracle = node.candles("BTCUSD", "1s", min(closed), max(closed))
                except OSError as e:
                    row["oracle_error"] = str(e)
            row.update(analysis.reconnect_report(run.items, row["cut_ms"], row["reopen_ms"], oracle))
            attempt = next((a for a in proxy.accept_times if a >= row["reopen_ms"]), None)
            row["attempt_ms"] = attempt - row["reopen_ms"] if attempt else None
            row["attempt_to_caught_up_ms"] = row["caught_up_ms"] - row["attempt_ms"] \
                if attempt and row["caught_up_ms"] is not None else None
            published = ref.closed_at.get(row["target_t"])
            row["server_ms"] = published - row["reopen_ms"] if published else None
            row["oracle_checked"] = oracle is not None
        row["stdout_not_json"] = run.bad[:3]
        if "error" in row or "reopen_ms" in row:
            results.add(row)
            log("%-16s round %d: %s" % (name, rnd, row.get("error") or "caught up %s ms after reopen (server %s), "
                "%d violations" % (row["caught_up_ms"], row["server_ms"], len(row["violations"]))))


# `follow` of the JS and Java drivers has no --api (it follows with callbacks / a listener): one reconnect row each.
FOLLOW_WITHOUT_API = {"js-iterator": "js-callbacks", "java-publisher": "java-listener"}


def reconnect_drivers(names):
    """The drivers part 2 runs: an API whose follow is another API's run is left out when that one runs."""
    return [n for n in names if FOLLOW_WITHOUT_API.get(n) not in names]


def run_reconnect(names, args, results):
    names = reconnect_drivers(names)
    node = Node(args.jar, results.log_path("node.log")).start()
    ref = ReferenceSubscriber(node.port).start()
    log("node ready on port %d" % node.port)
    try:
        if not ref.streaming.wait(90):  # /ready comes a moment before subscriptions to the feed's symbols work
            raise RuntimeError("the node streams no closed 1s candle of BTCUSD within 90 s of /ready")
        log("node streams closed 1s candles")
        for rnd in range(1, args.rounds + 1):
            for name in names:
                follow_once(name, node, ref, args, results, rnd)
    finally:
        ref.stop()
        node.stop()


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="20,000 frames per consume round instead of 200,000")
    p.add_argument("--count", type=int)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--only", help="comma list of drivers (%s) and raw baselines (raw-python, raw-js, raw-java)"
                   % ", ".join(DRIVERS))
    p.add_argument("--parts", default="throughput,reconnect")
    p.add_argument("--jar", default="deploy/target/candlecast.jar")
    p.add_argument("--out", help="result directory (default bench/results/clients-<UTC time>)")
    p.add_argument("--timeout", type=float, default=300, help="seconds per consume run")
    p.add_argument("--cut-after", type=float, default=5.0)
    p.add_argument("--outage", type=float, default=10.0)
    p.add_argument("--tail", type=float, default=3.0, help="seconds followed after catching up")
    p.add_argument("--follow-seconds", type=int, default=60, help="--seconds given to follow (an upper bound)")
    p.add_argument("--driver", action="append", default=[], metavar="NAME:LANG:API:COMMAND",
                   help="an extra driver speaking the same CLI (e.g. your own client), COMMAND split on spaces")
    p.add_argument("--report-only", metavar="DIR", help="rewrite DIR/report.md from DIR/results.jsonl")
    args = p.parse_args(argv)
    for spec in args.driver:
        name, lang, api, command = spec.split(":", 3)
        DRIVERS[name] = (lang, api, command.split(), [], {})
    args.count = args.count or (20_000 if args.quick else 200_000)
    args.wanted = args.only.split(",") if args.only else list(DRIVERS) + ["raw-python", "raw-js", "raw-java"]
    args.wanted += [spec.split(":", 1)[0] for spec in args.driver if spec.split(":", 1)[0] not in args.wanted]
    unknown = [w for w in args.wanted if w not in DRIVERS and w not in ("raw-python", "raw-js", "raw-java")]
    if unknown:
        p.error("unknown driver(s): %s" % ", ".join(unknown))
    args.raw = [w[4:] for w in args.wanted if w.startswith("raw-")]
    return args


def write_report(out, rows, meta):
    text = report.render(rows, meta, meta["langs"])
    open(os.path.join(out, "report.md"), "w").write(text + "\n")
    print(text)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.report_only:
        meta = json.load(open(os.path.join(args.report_only, "meta.json")))
        rows = [json.loads(l) for l in open(os.path.join(args.report_only, "results.jsonl"))]
        write_report(args.report_only, rows, meta)
        return 0
    absent = ["%s (%s)" % (n, ", ".join(missing_files(n))) for n in args.wanted if n in DRIVERS and missing_files(n)]
    names = [n for n in args.wanted if n in DRIVERS and not missing_files(n)]
    stamp = datetime.datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")
    out = args.out or os.path.join("bench/results", "clients-" + stamp)
    results = Results(out)
    meta = {"started": stamp, "command": " ".join(["bench/clients/run"] + argv), "machine": report.machine(),
            "load_start": round(os.getloadavg()[0], 2), "absent": absent, "outage": args.outage,
            "cut_after": args.cut_after, "count": args.count, "rounds": args.rounds,
            "langs": {n: d[0] for n, d in DRIVERS.items()}}
    for a in absent:
        log("skipped: %s" % a)
    if "throughput" in args.parts.split(","):
        run_throughput(names, args, results)
    if "reconnect" in args.parts.split(",") and names:
        if not os.path.exists(args.jar):
            log("no %s: build first (mvn -q package -DskipTests)" % args.jar)
            return 2
        run_reconnect(names, args, results)
    meta["load_end"] = round(os.getloadavg()[0], 2)
    json.dump(meta, open(os.path.join(out, "meta.json"), "w"), indent=1)
    write_report(out, results.rows, meta)
    log("results in %s" % out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
