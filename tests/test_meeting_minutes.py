"""Minutes of a recorded meeting (a real loopback meeting): attendance, chat, the pointing with the object it
touched and a still, host actions, in Markdown and HTML; and the commands' clear errors on bad input."""

from __future__ import annotations

import gzip

import pytest
from meeting_log_helpers import record_meeting
from test_render import town, town_scene

from viewer.cli import main
from viewer.meeting.log import read_log
from viewer.meeting.minutes import build_minutes, object_resolver, to_html, to_markdown
from viewer.meeting.replay import MeetingTimeline


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    return record_meeting(tmp_path_factory.mktemp("logs"))


def test_the_object_pointed_at_is_resolved_against_the_scene(recorded):
    """Bo pointed at the Marker's roof: the minutes name object b8, type Marker; the host's layer change and
    both chat lines are there, in order."""
    model = town()
    minutes = build_minutes(MeetingTimeline(read_log(recorded)),
                            object_resolver(model.objects, model.vertices, model.vertex_object))
    assert [s.name for s in minutes.stays] == ["Ana", "Bo"]
    (pointing,) = minutes.pointings
    assert pointing.who == "Bo" and (pointing.object.id, pointing.object.type) == ("b8", "Marker")
    texts = [c.text for c in minutes.chat]
    assert texts.index("look at the tall one") < texts.index("traffic off for now")
    assert any("hid layer traffic" in a for _, a in minutes.actions)
    assert any("started recording" in a for _, a in minutes.actions)


def test_markup_in_chat_is_escaped(recorded):
    """Chat is untrusted: HTML escapes it and Markdown does not turn it into markup."""
    minutes = build_minutes(MeetingTimeline(read_log(recorded)))
    minutes.chat[0] = minutes.chat[0].__class__(99, 1, "Eve", "<script>alert(1)</script> [x](javascript:1)", 0.0)
    assert "<script>" not in to_html(minutes) and "&lt;script&gt;" in to_html(minutes)
    assert "[x](javascript" not in to_markdown(minutes)


@pytest.mark.render
@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_minutes_with_stills_in_markdown_and_html(offscreen_gl, recorded, tmp_path, suffix):
    """With the scene: a PNG still per pointing beside the document, referenced relatively."""
    from PIL import Image

    from viewer.app.meeting_minutes import write_minutes

    out = write_minutes(MeetingTimeline(read_log(recorded)), tmp_path / f"minutes{suffix}", town_scene(town(), {}))
    text = out.read_text()
    still = tmp_path / "minutes_files" / "pointing-1.png"
    assert "minutes_files/pointing-1.png" in text and "b8" in text and "Marker" in text and "Ana" in text
    with Image.open(still) as image:
        assert image.size == (960, 540)


def test_hostile_and_truncated_logs_are_one_line_naming_file_and_line(recorded, tmp_path, capsys):
    """meet minutes, meet replay and flythrough render --meeting on a bad log: exit 2, one line with the
    file and the line, no traceback."""
    cut = tmp_path / "cut.meeting.jsonl.gz"
    cut.write_bytes(recorded.read_bytes()[:-9])
    hostile = tmp_path / "hostile.meeting.jsonl.gz"
    lines = gzip.decompress(recorded.read_bytes()).split(b"\n")
    lines[4] = b'{"t": 1, "m": {"type": "presence", "from": 1, "p": [0, 0, 0], "h": 0}}'
    hostile.write_bytes(gzip.compress(b"\n".join(lines)))
    scene = tmp_path / "town.obj"
    scene.write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
    for bad, line in ((cut, r"line \d+"), (hostile, "line 5")):
        for argv in (["meet", "minutes", str(bad), "--out", str(tmp_path / "m.md")],
                     ["meet", "replay", str(bad)],
                     ["flythrough", "render", str(scene), "--meeting", str(bad), "--eyes", "Bo",
                      "--out", str(tmp_path / "x.mp4")]):
            assert main(argv) == 2
            err = capsys.readouterr().err.strip().splitlines()
            assert len(err) == 1 and str(bad) in err[0] and "Traceback" not in err[0]
            assert __import__("re").search(line, err[0]), err[0]


def test_wrong_cameras_and_names_are_clear_errors(recorded, tmp_path, capsys):
    scene = tmp_path / "town.obj"
    scene.write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
    base = ["flythrough", "render", str(scene), "--meeting", str(recorded), "--out", str(tmp_path / "x.mp4")]
    assert main([*base, "--eyes", "Bo", "--follow", "Ana"]) == 2
    assert "exactly one of --follow" in capsys.readouterr().err
    assert main([*base, "--eyes", "Zed"]) == 2
    assert "nobody called 'Zed'" in capsys.readouterr().err
    assert main(["meet", "minutes", str(recorded), "--out", str(tmp_path / "m.pdf")]) == 2
    assert ".md (Markdown) or .html" in capsys.readouterr().err
    assert main(["flythrough", "render", str(scene), "--eyes", "Bo", "--out", str(tmp_path / "x.mp4")]) == 2
    assert "--meeting" in capsys.readouterr().err
