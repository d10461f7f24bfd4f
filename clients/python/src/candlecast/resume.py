"""What a stream has delivered, and what to deliver after a reconnect (docs/CLIENTS.md, "Subscriptions and
resume"). Pure logic: no I/O, so the rules are unit-tested on their own."""
from __future__ import annotations

import random
from collections import deque
from typing import Dict, Iterable, List, Optional, Tuple


class Backoff:
    """Full-jitter exponential back-off: random(0, min(max, initial * 2**attempt)) seconds."""

    def __init__(self, initial: float = 0.5, maximum: float = 15.0, rng: Optional[random.Random] = None) -> None:
        if initial <= 0 or maximum < initial:
            raise ValueError(f"back-off needs 0 < initial <= max, was {initial}, {maximum}")
        self.initial = initial
        self.maximum = maximum
        self._rng = rng or random.Random()

    def ceiling(self, attempt: int) -> float:
        return min(self.maximum, self.initial * (2 ** min(attempt, 62)))

    def delay(self, attempt: int) -> float:
        return self._rng.uniform(0, self.ceiling(attempt))

    def restart_delay(self) -> float:
        """After close code 1012 (service restart): random(0, 0.5 s), not counted as a failed attempt."""
        return self._rng.uniform(0, 0.5)


class WindowTracker:
    """Candles or indicator points of one series: which windows were delivered closed, and which open version.

    ``accept`` says whether an item (window ``t``, closed flag, version = trade count or values, partial flag)
    reaches the consumer: each closed window exactly once (a live re-mark as partial excepted), an open window only
    in a newer version.
    """

    def __init__(self) -> None:
        self.closed_max: Optional[int] = None
        self.first_t: Optional[int] = None
        self._open: Dict[int, Tuple[object, bool]] = {}
        self._remarked: set = set()

    def reset(self) -> None:
        self.__init__()

    def since(self) -> Optional[int]:
        """The resume point: the first window not delivered closed (None: nothing delivered, subscribe afresh)."""
        if self.closed_max is not None:
            return self.closed_max + 1
        return self.first_t

    def accept(self, t: int, closed: bool, version: object, partial: bool = False, live: bool = True) -> bool:
        if self.first_t is None:
            self.first_t = t
        cm = self.closed_max
        if cm is not None and t <= cm:
            # a closed window re-published as partial (a gap record arrived): live only, once
            if live and closed and partial and t not in self._remarked:
                self._remarked.add(t)
                return True
            return False
        prev = self._open.get(t)
        if prev is not None and not closed:
            pv, pp = prev
            if not (_newer(version, pv) or (partial and not pp)):
                return False
        if closed:
            self.closed_max = t
            if self._open:
                for k in [k for k in self._open if k <= t]:
                    del self._open[k]
        else:
            self._open[t] = (version, partial)
        return True

    def seed(self, items: Iterable[Tuple[int, bool, object, bool]]) -> None:
        """Remember a snapshot's items as delivered."""
        for t, closed, version, partial in items:
            self.accept(t, closed, version, partial, live=False)


def _newer(version: object, previous: object) -> bool:
    if isinstance(version, int) and isinstance(previous, int):
        return version > previous
    return version != previous


def gap_resume_since(since: Optional[int], gap_from: int) -> int:
    """The ``since`` that fills a candles gap notice's hole: its ``from`` (windows before it were sent); the tracker's
    resume point instead when that is later (windows up to it were delivered closed: in order, none can come again)."""
    return gap_from if since is None else max(since, gap_from)


class RecentIds:
    """The last ``size`` ids seen (trades, alert fires), for dropping a duplicate."""

    def __init__(self, size: int = 10_000) -> None:
        self._order: deque = deque()
        self._set: set = set()
        self._size = size

    def add(self, key) -> bool:
        """True when ``key`` is new (and remembers it), False for a duplicate."""
        if key in self._set:
            return False
        self._set.add(key)
        self._order.append(key)
        if len(self._order) > self._size:
            self._set.discard(self._order.popleft())
        return True

    def __len__(self) -> int:
        return len(self._order)


class TradeTracker:
    """A trades stream: the last trade id delivered (the resume point) and the recent ids (no duplicate)."""

    def __init__(self) -> None:
        self.last_id: Optional[int] = None
        self._ids = RecentIds()

    def reset(self) -> None:
        self.__init__()

    def since(self) -> Optional[int]:
        return self.last_id

    def accept(self, trade_id: int) -> bool:
        if not self._ids.add(trade_id):
            return False
        self.last_id = trade_id
        return True


def points_unrecoverable(tracker: WindowTracker, snapshot_ts: List[int]) -> bool:
    """An indicator snapshot after a reconnect cannot close the gap when its oldest point is newer than the newest
    point delivered closed (the windows between may hold points never seen)."""
    return tracker.closed_max is not None and bool(snapshot_ts) and snapshot_ts[0] > tracker.closed_max


#: Subtracted from the server's connect time when alerts resume before any fire (a cluster's clocks differ a little).
ALERT_RESUME_MARGIN_MS = 1000


def alert_resume_since(since: Optional[int], first_ack_server_time: Optional[int]) -> Optional[int]:
    """The ``since`` an alerts subscribe sends: the largest ``recordedAt`` delivered (or the one asked for); else, once
    a connection acknowledged the subscription, that connection's server time (its ``connection`` frame's
    ``timestamp``) minus the margin, not below 0; else none (the first subscribe: live fires only). Fires are
    deduplicated by id, so the margin never duplicates."""
    if since is not None:
        return since
    if first_ack_server_time is None:
        return None
    return max(0, first_ack_server_time - ALERT_RESUME_MARGIN_MS)
