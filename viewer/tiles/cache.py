"""Least-recently-used accounting of loaded tiles under a memory cap.

Rules this module keeps:
1. Pure bookkeeping: keys (tiles) and their sizes in bytes; nothing is freed here. `evict` answers which
   keys to drop, the caller drops them (detaches nodes, forgets models).
2. A key's recency is the last frame it was touched (drawn or relied on); `evict` drops the least recently
   touched first until the total is within the cap, and never a protected key (what this frame draws or
   relies on), even when the cap cannot be met: a frame never loses what it shows.
3. Sizes are whatever the caller measured (CPU arrays plus GPU copies); a key added twice replaces its size.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Hashable, Iterable

MB = 1 << 20


class LruCache:
    """Sizes of loaded keys in least- to most-recently-used order, under cap_bytes."""

    def __init__(self, cap_bytes: int) -> None:
        if cap_bytes <= 0:
            raise ValueError(f"the memory cap must be positive, got {cap_bytes} bytes")
        self.cap_bytes = int(cap_bytes)
        self._sizes: OrderedDict[Hashable, int] = OrderedDict()
        self.total_bytes = 0

    def __len__(self) -> int:
        return len(self._sizes)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._sizes

    def add(self, key: Hashable, nbytes: int) -> None:
        """Account a newly loaded key as the most recently used."""
        self.remove(key)
        self._sizes[key] = int(nbytes)
        self.total_bytes += int(nbytes)

    def remove(self, key: Hashable) -> None:
        size = self._sizes.pop(key, None)
        if size is not None:
            self.total_bytes -= size

    def touch(self, keys: Iterable[Hashable]) -> None:
        """Mark keys as used now (rule 2); unknown keys are ignored."""
        for key in keys:
            if key in self._sizes:
                self._sizes.move_to_end(key)

    def evict(self, protected: Collection[Hashable] = ()) -> list[Hashable]:
        """Keys to drop, least recently used first, until within the cap (rule 2); they leave the accounting."""
        dropped: list[Hashable] = []
        if self.total_bytes <= self.cap_bytes:
            return dropped
        for key in list(self._sizes):
            if self.total_bytes <= self.cap_bytes:
                break
            if key in protected:
                continue
            self.remove(key)
            dropped.append(key)
        return dropped
