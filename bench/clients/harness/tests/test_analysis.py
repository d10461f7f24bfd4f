import analysis


def candle(t, at, closed=True):
    return {"kind": "candle", "t": t, "closed": closed, "trades": 3, "at": at}


def test_summary_median_and_spread():
    s = analysis.summary([100.0, 300.0, 200.0, None])
    assert (s["n"], s["median"], s["min"], s["max"], s["spread_pct"]) == (3, 200.0, 100.0, 300.0, 100.0)
    assert analysis.summary([None]) is None


def test_target_is_the_newest_window_ended_by_the_reopen():
    assert analysis.target_window(10_000) == 9_000
    assert analysis.target_window(10_999) == 9_000


def test_caught_up_time_and_a_clean_run():
    cut, reopen = 5_500, 15_400  # target window 14_000
    items = [{"kind": "state", "state": "connected", "at": 1_000}]
    items += [candle(t, t + 1_100) for t in range(1_000, 5_000, 1_000)]
    items += [{"kind": "state", "state": "connected", "at": 16_000}]
    items += [candle(t, 16_100 + t // 1_000) for t in range(5_000, 15_000, 1_000)]
    r = analysis.reconnect_report(items, cut, reopen)
    assert r["target_t"] == 14_000
    assert r["caught_up_ms"] == 16_100 + 14 - reopen
    assert r["connected_ms"] == 600
    assert r["violations"] == [] and r["unrecovered"] == 0


def test_duplicates_gaps_and_disorder_are_violations():
    items = [candle(t, 20_000) for t in (1_000, 2_000, 2_000, 4_000, 3_000)]
    v = analysis.reconnect_report(items, 2_500, 12_500)["violations"]
    assert "window 2000 delivered twice" in v
    assert "window 3000 delivered after 4000" in v
    assert not any("3000 missing" in x for x in v)  # delivered, late: a disorder, not a gap


def test_missing_is_judged_against_the_oracle_when_there_is_one():
    items = [candle(t, 20_000) for t in (1_000, 2_000, 4_000)]
    assert analysis.contiguity_violations([1_000, 2_000, 4_000]) == ["window 3000 missing"]
    # the server has no candle for 3_000 (no trade in that second): not a violation
    assert analysis.contiguity_violations([1_000, 2_000, 4_000], [1_000, 2_000, 4_000]) == []
    assert analysis.reconnect_report(items, 2_500, 12_500, [1_000, 2_000, 3_000, 4_000])["violations"] == [
        "window 3000 missing (the server has it)"]


def test_a_target_window_never_delivered_is_reported():
    items = [candle(t, 30_000) for t in (1_000, 2_000, 3_000, 14_000, 16_000)]
    r = analysis.reconnect_report(items, 2_500, 16_300, [1_000, 2_000, 3_000, 14_000, 15_000, 16_000])
    assert r["caught_up_ms"] == 30_000 - 16_300
    assert "target window 15000 never delivered (caught up on 16000)" in r["violations"]
    # no trade in that second: the server has no such window, nothing was missed
    r = analysis.reconnect_report(items, 2_500, 16_300, [1_000, 2_000, 3_000, 14_000, 16_000])
    assert r["violations"] == []


def test_unrecovered_snapshots_after_the_first_are_counted():
    items = [{"kind": "snapshot", "recovered": None, "count": 500, "at": 1},
             {"kind": "snapshot", "recovered": False, "count": 500, "at": 2},
             {"kind": "snapshot", "recovered": True, "count": 3, "at": 3}]
    assert analysis.reconnect_report(items, 0, 0)["unrecovered"] == 1


def test_stdout_that_is_not_json_is_kept_for_the_report():
    items, bad = analysis.parse_lines('{"kind":"state","state":"connected","at":1}\nConnecting...\n\n')
    assert items == [{"kind": "state", "state": "connected", "at": 1}] and bad == ["Connecting..."]
