import json
import os

import pytest

import runner
from conftest import REPO


def test_throughput_rounds_against_the_blaster_with_a_failing_driver(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    fixture = "/usr/bin/python3 bench/clients/harness/tests/fixture_driver.py"
    rc = runner.main(["--parts", "throughput", "--only", "raw-python,fixture,broken", "--count", "3000",
                      "--rounds", "2", "--out", str(tmp_path), "--driver", "fixture:python:fixture:" + fixture,
                      "--driver", "broken:python:x:/bin/false"])
    assert rc == 0
    rows = [json.loads(l) for l in open(tmp_path / "results.jsonl")]
    by = {}
    for r in rows:
        by.setdefault(r["driver"], []).append(r)
    assert sorted(by) == ["broken", "fixture", "raw-python"]
    assert all(r["rate"] > 0 and r["count"] == 3000 for n in ("fixture", "raw-python") for r in by[n])
    assert [r["rate"] for r in by["broken"]] == [None, None] and by["broken"][0]["rc"] == 1
    report = open(tmp_path / "report.md").read()
    assert "| broken (2 failed) | failed |" in report
    fixture_row = next(l for l in report.splitlines() if l.startswith("| fixture |"))
    base = sorted(r["rate"] for r in by["raw-python"])
    mine = sorted(r["rate"] for r in by["fixture"])
    ratio = (mine[0] + mine[1]) / (base[0] + base[1])  # median of two = their mean
    assert fixture_row.endswith("| %.2f |" % ratio)
    assert os.path.exists(tmp_path / "meta.json")
    (tmp_path / "report.md").unlink()
    assert runner.main(["--report-only", str(tmp_path)]) == 0
    assert open(tmp_path / "report.md").read() == report


def test_follow_runs_once_per_driver_command_that_ignores_the_api():
    assert runner.reconnect_drivers(["python-asyncio", "python-thread", "js-callbacks", "js-iterator",
                                     "java-publisher"]) == ["python-asyncio", "python-thread", "js-callbacks",
                                                            "java-publisher"]


JAR = os.path.join(REPO, "deploy", "target", "candlecast.jar")


@pytest.mark.skipif(not os.path.exists(JAR), reason="needs deploy/target/candlecast.jar (mvn package)")
def test_reconnect_through_the_outage_against_a_real_node(tmp_path, monkeypatch):
    """A driver that resumes is caught up and contiguous; one that resubscribes without since leaves the outage's
    windows out, and the harness says which (the node's /api/candles is the oracle)."""
    monkeypatch.chdir(REPO)
    fixture = "/usr/bin/python3 bench/clients/harness/tests/fixture_driver.py"
    rc = runner.main(["--parts", "reconnect", "--only", "resumes,forgets", "--rounds", "1", "--out", str(tmp_path),
                      "--cut-after", "2", "--outage", "3", "--tail", "2", "--follow-seconds", "40",
                      "--driver", "resumes:python:fixture:" + fixture, "--driver", "forgets:python:noresume:" + fixture])
    assert rc == 0
    rows = {r["driver"]: r for r in map(json.loads, open(tmp_path / "results.jsonl"))}
    good, bad = rows["resumes"], rows["forgets"]
    assert good["cut_connections"] == 1 and good["oracle_checked"]
    assert good["violations"] == [] and 0 <= good["caught_up_ms"] < 3000
    assert good["closed_candles"] >= 5
    assert 0 <= good["attempt_ms"] <= good["caught_up_ms"]  # the fixture retries every 0.5 s
    assert good["attempt_to_caught_up_ms"] == good["caught_up_ms"] - good["attempt_ms"]
    assert bad["oracle_checked"] and any("missing (the server has it)" in v for v in bad["violations"])
    followed = [json.loads(l) for l in open(tmp_path / "logs" / "resumes-follow-1.jsonl")]
    assert sum(1 for i in followed if i.get("kind") == "candle" and i.get("closed")) == good["closed_candles"]
    report = open(tmp_path / "report.md").read()
    assert "## Reconnect to caught up (3.0 s outage after 2.0 s" in report
    assert "- forgets round 1: window" in report
