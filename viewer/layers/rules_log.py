"""The alert log as text or CSV (`citiverse alerts`, api.replay_alerts): one line per raise or clear.

    2027-01-15 08:00:05 UTC  raised   critical  Overload  building b-12  512.3
    time,utc,event,rule,severity,kind,id,value

Rules: times are feed seconds (epoch seconds for real feeds, printed also as UTC); a value that is unknown
(a function rule, an entity that left) is empty in CSV and "-" in text. Pure: strings in, strings out.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence

from viewer.layers.picking import utc_text
from viewer.layers.rules import Alert, AlertEvent

ACTIVE_LINES = 20  # alerts still active listed after the text summary (the most severe and newest first)
CSV_HEADER = ("time", "utc", "event", "rule", "severity", "kind", "id", "value")


def _utc(t: float) -> str:
    return utc_text(t) if abs(t) > 1e8 else ""


def _value(v: float, empty: str) -> str:
    return empty if not math.isfinite(v) else f"{v:.6g}"


def as_csv(events: Iterable[AlertEvent]) -> str:
    """The events as CSV with CSV_HEADER (RFC 4180 quoting)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for e in events:
        writer.writerow((f"{e.time:.3f}", _utc(e.time), e.event, e.rule, e.severity, e.kind, e.id,
                         _value(e.value, "")))
    return out.getvalue()


def as_text(events: Sequence[AlertEvent], active: Sequence[Alert]) -> str:
    """Aligned lines, then a summary line with the counts and the alerts still active at the end."""
    rows = [(_utc(e.time) or f"t {e.time:.1f} s", e.event, e.severity, e.rule, f"{e.kind} {e.id}",
             _value(e.value, "-")) for e in events]
    widths = [max((len(r[k]) for r in rows), default=0) for k in range(6)]
    lines = ["  ".join(cell.ljust(widths[k]) for k, cell in enumerate(r)).rstrip() for r in rows]
    raised = sum(e.event == "raised" for e in events)
    summary = f"{raised} raised, {len(events) - raised} cleared; {len(active)} active at the end"
    still = [f"  active: {a.severity} {a.rule} {a.kind} {a.id} since {_utc(a.since) or f't {a.since:.1f} s'}"
             for a in active[:ACTIVE_LINES]]
    if len(active) > ACTIVE_LINES:
        still.append(f"  ... and {len(active) - ACTIVE_LINES:,} more active (--csv lists every event)")
    return "\n".join([*lines, summary, *still]) + "\n"
