"""Token buckets with the clock passed in, and the rate table of a meeting connection.

Rules:
1. A TokenBucket holds up to `burst` tokens and gains `rate` per second; take(now) spends one or says no.
   Time is an argument; a clock that steps backwards adds nothing (never a negative refill).
2. RATES maps a client message type to its bucket (rate per second, burst). Presence is capped at
   20 Hz: a client sends 10-20 poses a second; the burst, a second of poses, absorbs timer jitter and the
   server's own stalls (a busy server reads what piled up at once: with half a second of burst, a stall of
   one second refused a client's honest poses). Every message also spends
   from the connection's overall bucket, checked first and before the message is parsed, so a flood
   costs the server a length check and a subtraction per message.
3. Refusals are counted, and spend from a third bucket (ABUSE): a client that goes over its allowance now
   and then is only throttled; one that keeps sending at several times its allowance empties ABUSE and is
   flooding on purpose (ClientLimiter.flooding): the server disconnects it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OVERALL = (40.0, 80.0)  # messages per second, burst: every message counts here first
RATES: dict[str, tuple[float, float]] = {
    "pose": (20.0, 20.0),
    "pointer": (10.0, 10.0),
    "chat": (2.0, 6.0),
    "follow": (2.0, 4.0),
    "layer": (10.0, 20.0),
    "feed_time": (10.0, 10.0),
    "mute": (5.0, 10.0),
    "remove": (5.0, 10.0),
    "record": (1.0, 4.0),
    "pin": (1.0, 5.0),  # pins last: a few a minute is plenty, the room holds at most max_pins
    "unpin": (5.0, 10.0),
}
ABUSE = (40.0, 400.0)  # refusals forgiven per second, burst: beyond this the client is flooding


@dataclass
class TokenBucket:
    """`burst` tokens, refilled at `rate` per second (rule 1). Starts full."""

    rate: float
    burst: float
    tokens: float = -1.0
    stamp: float | None = None

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.burst

    def take(self, now: float, cost: float = 1.0) -> bool:
        """Spend `cost` tokens if there are that many at time `now`."""
        if self.stamp is not None and now > self.stamp:
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        if self.stamp is None or now > self.stamp:
            self.stamp = now
        if self.tokens >= cost:
            self.tokens -= cost
            return True
        return False


@dataclass
class ClientLimiter:
    """The buckets of one connection: overall, then per message type (rule 2)."""

    overall: TokenBucket = field(default_factory=lambda: TokenBucket(*OVERALL))
    by_type: dict[str, TokenBucket] = field(default_factory=lambda: {k: TokenBucket(*v) for k, v in RATES.items()})
    abuse: TokenBucket = field(default_factory=lambda: TokenBucket(*ABUSE))
    refused: int = 0  # messages throttled so far
    flooding: bool = False  # rule 3: set once, for good

    def admit(self, now: float) -> bool:
        """The overall bucket, before parsing."""
        if self.overall.take(now):
            return True
        self._refuse(now)
        return False

    def admit_type(self, kind: str, now: float) -> bool:
        """The bucket of a parsed message's type (a type without a bucket is refused: KeyError)."""
        if self.by_type[kind].take(now):
            return True
        self._refuse(now)
        return False

    def _refuse(self, now: float) -> None:
        self.refused += 1
        if not self.abuse.take(now):
            self.flooding = True
