"""The meeting in the window, headless: a guest's render shows the host's avatar and name where the host
stands; pointers, follow-the-host, the chat entry and the panels, through the real window controller."""

from __future__ import annotations

import time

import numpy as np
import pytest
from test_render import project, town

from viewer.config import CameraBookmark, Style
from viewer.meeting.codec import encode
from viewer.meeting.messages import (
    ChatLine,
    Following,
    FollowMe,
    Mute,
    ParticipantInfo,
    Pointer,
    Pose,
    Presence,
    Ray,
    RoomState,
    Say,
    Welcome,
)
from viewer.meeting.protocol import MeetingClientProtocol
from viewer.meeting.tokens import issue_token
from viewer.render.avatar import TAG_HEIGHT
from viewer.render.camera import CameraPose

SECRET = b"render-test-secret-0123456789abcd"
SIZE = (480, 360)
GUEST_VIEW = CameraBookmark(position=(40.0, -45.0, 3.0), look_at=(40.0, -10.0, 1.5), fov=50.0)
HOST_FEET = (40.0, -10.0, 0.0)


class FakeLink:
    """A MeetingLink fed by hand: server messages go through a real client protocol; sends are recorded."""

    def __init__(self) -> None:
        self.protocol = MeetingClientProtocol()
        self.protocol.connection_made(time.monotonic())
        self.events: list = []
        self.sent: list = []
        self.poses: list[Pose] = []

    @property
    def state(self) -> str:
        return self.protocol.state

    @property
    def reason(self) -> str:
        return self.protocol.reason

    def feed(self, *messages) -> None:
        for message in messages:
            now = time.monotonic()
            self.events += [(now, e) for e in self.protocol.receive_data(encode(message), now)]

    def poll(self, max_items=None):
        out, self.events = self.events, []
        return out

    def set_pose(self, pose: Pose) -> None:
        self.poses.append(pose)

    def send(self, message) -> None:
        self.sent.append(message)


@pytest.fixture
def window(offscreen_gl):
    """A ViewerController over the small town, looking from the guest's spot; torn down after."""
    from viewer.app.window import ViewerController
    from viewer.nav.index import CollisionIndex
    from viewer.render.stage import build_stage

    model = town()
    stage = build_stage(offscreen_gl.render, model, Style())
    index = CollisionIndex.from_model(model, base_z=float(stage.ground.get_z()))
    controller = ViewerController(offscreen_gl, stage, [("guest", GUEST_VIEW)], pointer=lambda: (0.0, 0.0),
                                  on_quit=lambda: None, index=index)
    controller.take_view(GUEST_VIEW)
    yield offscreen_gl, stage, controller
    controller.destroy()
    stage.remove()


def camera_pose(base, controller) -> CameraPose:
    """The pose base.camera has now (what the guest's window shows)."""
    position = base.camera.get_pos(base.render)
    ahead = base.render.get_relative_point(base.camera, (0.0, 10.0, 0.0))
    lens = base.camLens
    return CameraPose(tuple(position), tuple(ahead), controller.orbit.fov, lens.get_near(), lens.get_far())


def capture(base, pose: CameraPose) -> np.ndarray:
    from viewer.app.headless import OffscreenView

    view = OffscreenView(base, SIZE, (0.55, 0.7, 0.9, 1.0), multisamples=0)
    try:
        view.set_pose(pose)
        return view.capture(2)
    finally:
        view.close()


def window_around(image: np.ndarray, pixel: tuple[int, int], radius: int) -> np.ndarray:
    col, row = pixel
    return image[max(0, row - radius): row + radius + 1, max(0, col - radius): col + radius + 1].reshape(-1, 3)


def step(base, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        base.taskMgr.step()
        time.sleep(0.005)


@pytest.mark.render
def test_guest_render_shows_the_hosts_avatar_and_name_where_the_host_stands(window):
    """Over a real server: the host stands at a point; the guest's headless render shows the host's
    colour on the avatar's torso there and the name tag's white text above it, neither without the host."""
    from viewer.app.meeting_view import MeetingView
    from viewer.net.meeting_client import MeetingClient
    from viewer.net.meeting_server import ServerThread
    from viewer.render.participants import participant_colour

    base, stage, controller = window
    with ServerThread(SECRET, port=0) as server:
        now = time.time()
        host = MeetingClient(server.url, issue_token(SECRET, "delft", "Ana", "host", 60, now)).start()
        deadline = time.monotonic() + 5.0
        while host.protocol.view.me is None and time.monotonic() < deadline:
            time.sleep(0.01)
        host_id = host.protocol.view.me
        guest = MeetingClient(server.url, issue_token(SECRET, "delft", "Bo", "guest", 60, now)).start()
        view = MeetingView.attach(base, controller, guest)
        try:
            before = capture(base, camera_pose(base, controller))
            host.set_pose(Pose(HOST_FEET, 180.0, (40.0, -14.0, 3.0), -10.0))  # facing the guest
            deadline = time.monotonic() + 5.0
            while time.monotonic() < deadline and not view.avatars.people.get(host_id, None):
                step(base, 0.05)
            step(base, 0.3)
            person = view.avatars.people[host_id]
            assert person.placed and person.tag.node().get_text() == "Ana (host)"
            assert tuple(round(v, 3) for v in person.root.get_pos()) == HOST_FEET
            pose = camera_pose(base, controller)
            after = capture(base, pose)
        finally:
            view.destroy()
            host.stop()
            guest.stop()
    torso = project(pose, SIZE, (HOST_FEET[0], HOST_FEET[1], 1.2))
    channel = int(np.argmax(participant_colour(host_id)))  # the host's colour's strongest channel
    others = [c for c in range(3) if c != channel]

    def tint(px: np.ndarray) -> int:
        return int((px[:, channel].astype(int) - px[:, others].max(axis=1).astype(int)).max())
    assert tint(window_around(after, torso, 2)) > 60
    assert tint(window_around(before, torso, 2)) < 30
    tag = project(pose, SIZE, (HOST_FEET[0], HOST_FEET[1], TAG_HEIGHT + 0.25))
    white = lambda px: int((px.min(axis=1) > 200).sum())  # noqa: E731
    assert white(window_around(after, tag, 12)) >= 5
    assert white(window_around(before, tag, 12)) == 0


ANA = (ParticipantInfo(1, "Ana", "host"),)


def joined(link: FakeLink, me: int = 2, role: str = "guest", others=ANA) -> None:
    link.feed(Welcome(me, "Bo", role, "delft", False),
              RoomState((*others, ParticipantInfo(me, "Bo", role)), (ChatLine(1, 1, "Ana", "welcome all", 0.0),)))


def test_follow_me_puts_the_guest_camera_at_the_hosts_camera(window):
    """With follow-me on, the guest's camera moves to the host's eye looking the host's way; walking away
    detaches, and J follows again."""
    from viewer.app.meeting_view import MeetingView

    base, _, controller = window
    link = FakeLink()
    view = MeetingView.attach(base, controller, link)
    try:
        joined(link)
        host_pose = Pose((10.0, -60.0, 0.0), 0.0, (10.0, -64.0, 5.0), -5.0)
        link.feed(Presence(1, host_pose), Following(1))
        step(base, 0.15)
        eye = base.camera.get_pos(base.render)
        assert (eye.x, eye.y, eye.z) == pytest.approx((10.0, -64.0, 5.0), abs=1e-3)
        assert base.camera.get_h(base.render) == pytest.approx(0.0, abs=1e-3)
        assert "Following Ana" in view.hud.people.textNode.get_text()
        base.messenger.send("g")  # walk away
        step(base, 0.05)
        assert view.detached and controller.nav.mode == "walk"
        view.toggle_follow()
        step(base, 0.05)
        assert controller.nav.mode == "orbit" and view.following
    finally:
        view.destroy()


def test_pointers_are_drawn_and_mine_is_sent(window):
    """A member's pointer is drawn; P sends mine toward what is under the cursor (the ground ahead)."""
    from viewer.app.meeting_view import MeetingView

    base, _, controller = window
    link = FakeLink()
    view = MeetingView.attach(base, controller, link)
    try:
        joined(link)
        link.feed(Pointer(1, Ray((0.0, 0.0, 2.0), (40.0, -10.0, 0.0))))
        step(base, 0.05)
        assert view.pointers.count == 1
        base.messenger.send("p")
        step(base, 0.05)
        sent = [m for m in link.sent if m.type == "pointer"][-1]
        assert sent.target is not None and view.pointers.count == 2
    finally:
        view.destroy()


def test_typed_chat_and_commands_are_sent_and_shown(window):
    """Enter opens the entry (held keys are forgotten); typed text is sent as chat; a bad command is
    explained locally and nothing is sent; the chat panel shows the room's lines."""
    from viewer.app.meeting_view import MeetingView

    base, _, controller = window
    link = FakeLink()
    view = MeetingView.attach(base, controller, link)
    try:
        joined(link, role="host")
        step(base, 0.05)
        controller.nav.down.add("w")
        base.messenger.send("enter")
        assert view.typing and not controller.nav.down
        view.type_text("hello there")
        view.submit()
        view.open_chat()
        view.type_text("/mute Nobody")
        view.submit()
        view.open_chat()
        view.type_text("/mute Ana")
        view.submit()
        step(base, 0.05)
        assert link.sent == [Say("hello there"), Mute(1, True)]
        assert "nobody called" in view.entry_line()
        assert "Ana: welcome all" in view.hud.chat.textNode.get_text()
    finally:
        view.destroy()


def test_panel_lists_people_and_offers_host_controls_only_to_hosts(window):
    """The participant list names everyone (host, muted, you); host controls appear for a host only, and
    F5 as a guest sends nothing."""
    from viewer.app.meeting_view import MeetingView

    base, _, controller = window
    guest_link, host_link = FakeLink(), FakeLink()
    guest = MeetingView.attach(base, controller, guest_link)
    try:
        joined(guest_link, others=(ParticipantInfo(1, "Ana", "host"), ParticipantInfo(3, "Cy", "guest", True)))
        step(base, 0.05)
        text = guest.hud.people.textNode.get_text()
        assert "Ana #1 (host)" in text and "Cy #3 (muted)" in text and "Bo (you)" in text
        assert "Host controls" not in text
        guest.follow_me()
        assert not guest_link.sent
    finally:
        guest.destroy()
    host = MeetingView.attach(base, controller, host_link)
    try:
        joined(host_link, me=1, role="host", others=())
        step(base, 0.05)
        assert "Host controls" in host.hud.people.textNode.get_text()
        base.messenger.send("f5")
        assert host_link.sent == [FollowMe(True)]
    finally:
        host.destroy()


def test_my_pose_is_sent_with_the_camera_eye(window):
    """The view sends my pose (feet below the camera in orbit) once joined, at most 15 times a second."""
    from viewer.app.meeting_view import MeetingView

    base, _, controller = window
    link = FakeLink()
    view = MeetingView.attach(base, controller, link)
    try:
        step(base, 0.1)
        assert not link.poses  # not before the welcome
        joined(link)
        step(base, 0.5)
        assert 3 <= len(link.poses) <= 9
        eye = base.camera.get_pos(base.render)
        assert link.poses[-1].eye == pytest.approx((eye.x, eye.y, eye.z), abs=1e-3)
        assert link.poses[-1].position[2] == pytest.approx(eye.z - 1.65, abs=1e-3)
    finally:
        view.destroy()


def test_destroy_removes_everything(window):
    """After destroy no meeting node remains under render and the keys are unbound."""
    from viewer.app.meeting_view import MeetingView

    base, _, controller = window
    link = FakeLink()
    view = MeetingView.attach(base, controller, link)
    joined(link)
    link.feed(Presence(1, Pose(HOST_FEET, 0.0, (40.0, -10.0, 1.65))))
    step(base, 0.05)
    view.destroy()
    assert base.render.find("**/meeting-participants").is_empty()
    assert base.render.find("**/meeting-pointers").is_empty()
    base.messenger.send("f5")
    assert not link.sent
