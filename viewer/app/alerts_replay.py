"""Rules over a recording without a window: the alert log of a feed between two times (`citiverse alerts`).

Rules this module keeps:
1. Every update of the recording (or Source) from its start is applied and evaluated, so durations and rates
   before `start` count; events before `start` are left out of the report, and reading stops after the
   first update past `end`. Alerts still active at `end` are reported as such.
2. No Panda3D, no window, no scene model: only the twin state and the rules (fast enough for CI).
3. A live ws:// URL is refused: its past cannot be read; record it first (`citiverse feed record`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viewer.app.live_feed import check_feed_name, parse_at
from viewer.errors import ConfigError
from viewer.layers.rules import Alert, AlertEvent, Rule, RuleEngine
from viewer.rules_config import RuleConfig
from viewer.twin.batch import TwinUpdate
from viewer.twin.state import TwinState


@dataclass(frozen=True)
class AlertReport:
    """events: raises and clears within [start, end], in order; active: the alerts on at the end; span:
    (first, last) feed time read; errors: rules disabled on the way (a function that failed)."""

    events: list[AlertEvent]
    active: list[Alert]
    span: tuple[float, float]
    errors: list[str]


def _open(feed: Any) -> Any:
    """A Source: the given one, or a recording file (rule 3: not a URL)."""
    if hasattr(feed, "start") and hasattr(feed, "step"):
        return feed
    text = str(feed)
    if text.startswith(("ws://", "wss://")):
        raise ConfigError("--feed", "", f"{text} is a live feed: alerts are read from a recording "
                                        "(`citiverse feed record` it first)")
    check_feed_name(text)
    from viewer.sources.replay import ReplaySource

    return ReplaySource(Path(text))


def _known(update: TwinUpdate, state: TwinState) -> TwinUpdate:
    """The update without the kinds this state does not hold (a v1.1 feed's generic kinds)."""
    if set(update.upserts) | set(update.removals) <= set(state.tables):
        return update
    return TwinUpdate(update.time, {k: b for k, b in update.upserts.items() if k in state.tables},
                      {k: r for k, r in update.removals.items() if k in state.tables}, update.snapshot)


def replay_alerts(rules: Sequence[Rule | RuleConfig], feed: Any, start: str | float | None = None,
                  end: str | float | None = None) -> AlertReport:
    """The alert log of `rules` over `feed` (a recording path or a Source) between feed times `start` and
    `end` ("+S" after its first update, ISO date and time, epoch seconds; None: its start, its end)."""
    engine = RuleEngine([r if isinstance(r, Rule) else Rule.from_config(r) for r in rules])
    source = _open(feed)
    state = TwinState()
    try:
        update: TwinUpdate | None = source.start()
        assert update is not None
        first = update.time
        since, until = parse_at(start, first), parse_at(end, first)
        if since is not None and until is not None and until < since:
            raise ConfigError("--to", "", f"{end} is before --from {start}")
        last, reset = first, True
        while update is not None:
            state.apply(_known(update, state), update.time, reset=reset)
            engine.evaluate(state)
            last, reset = update.time, False
            if until is not None and update.time >= until:
                break
            update = source.step()
    finally:
        source.close()
    events = [e for e in engine.log.events if (since is None or e.time >= since) and (until is None or e.time <= until)]
    return AlertReport(events, engine.active(), (first, last), list(engine.errors))
