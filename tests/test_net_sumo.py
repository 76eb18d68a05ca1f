"""The Berlin A10KW scenario streamed live from SUMO through the feed server into a client's twin state."""

from __future__ import annotations

import pytest
from test_net_helpers import Mirror, wait_for

from viewer.net.feed_client import FeedClient
from viewer.net.feed_server import ServerOptions
from viewer.net.server_thread import ServerThread
from viewer.sources.sumo_live import SumoLiveSource, sumo_available
from viewer.twin.batch import TwinUpdate

STEPS = 60


class Counted:
    """SumoLiveSource, noting SUMO's own vehicle count after each step (on the server's source thread)."""

    def __init__(self, inner: SumoLiveSource) -> None:
        self.inner = inner
        self.name, self.crs, self.kinds, self.period = inner.name, inner.crs, inner.kinds, inner.period
        self.truth: dict[float, int] = {}

    def _note(self, update: TwinUpdate | None) -> TwinUpdate | None:
        if update is not None:
            self.truth[update.time] = self.inner.conn.vehicle.getIDCount()
        return update

    def start(self) -> TwinUpdate:
        update = self._note(self.inner.start())
        assert update is not None
        return update

    def step(self) -> TwinUpdate | None:
        return self._note(self.inner.step()) if len(self.truth) < STEPS else None

    def close(self) -> None:
        self.inner.close()


@pytest.mark.skipif(sumo_available() is None, reason="SUMO (libsumo or traci + sumo) not installed")
def test_berlin_a10kw_live_through_the_server_counts_equal_sumos(shared_data):
    """60 steps of A10KW: after every update the client applies, its vehicle count equals SUMO's own count
    at that simulation time, and the stream ends with SUMO's last state."""
    source = Counted(SumoLiveSource(shared_data / "sumo_a10kw_berlin_pypi" / "a10kw.sumocfg", epoch=1.7e9))
    with ServerThread(source, ServerOptions(port=0, speed=25.0)) as server:  # 0.5 s steps every 20 ms
        with FeedClient(server.url) as client:
            mirror = Mirror(client, kinds=("vehicle", "road"))
            counts: dict[float, int] = {}

            def done() -> bool:
                for update, reset in client.drain():
                    mirror.twin.apply(update, 0.0, reset=reset)
                    counts[update.time] = mirror.twin.count()["vehicle"]
                return server.server.driver.ended and max(counts, default=0) == max(source.truth)

            wait_for(done, 30, "the 60 SUMO steps to arrive")
    assert len(source.truth) == STEPS and len(counts) >= STEPS // 2
    assert {t: source.truth[t] for t in counts} == counts
    assert counts[max(counts)] == source.truth[max(source.truth)] > 0
    assert client.hello.crs.startswith("+proj=utm +zone=33") and mirror.twin.count()["road"] == 509
