"""Controls: default keys, the help they write, and rebinding from a user file (and its mistakes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.errors import ConfigError
from viewer.nav.bindings import ACTIONS, Controls, load_controls, parse_controls, user_controls_path


def test_default_keys_cover_every_action_once():
    """Every action has a key by default, no key serves two actions, and shift stands for both shifts."""
    controls = Controls()
    events = controls.events()
    assert set(controls.keys) == set(ACTIONS)
    assert events["w"] == events["arrow_up"] == "forward"
    assert events["shift"] == events["lshift"] == events["rshift"] == "run"
    assert events["g"] == "walk" and events["u"] == "fly" and events["o"] == "orbit" and events["l"] == "follow"
    assert not set(events) & set("123456789")


def test_help_lines_are_written_from_the_keys():
    """The help shows the four move keys on one line and a line per other action with its keys."""
    lines = Controls().help_lines()
    assert lines[0] == "W A S D or Up Left Down Right  move"
    assert "G  walk on the ground" in lines and "Space / E  up (fly), jump (walk)" in lines
    assert any(line.startswith("Esc  release the mouse") for line in lines)
    assert ("camera paths: X record, Comma add the view as a keyframe, Z play / pause, Backspace stop, "
            "Period next path, [ back 5 s, ] on 5 s") in lines


def test_a_user_file_rebinds_keys_and_sets_mouse_and_speeds(tmp_path):
    """A controls file replaces an action's keys, sets mouse look and walk/fly parameters; the rest stays."""
    path = tmp_path / "controls.toml"
    path.write_text('[keys]\nfly = "y"\nforward = ["i", "arrow_up"]\n'
                    "[mouse]\nsensitivity = 2.5\ninvert_y = true\nsmoothing = 0\n"
                    "[walk]\nspeed = 1.4\nrun_speed = 4\n[fly]\nmin_speed = 5\n")
    controls = load_controls(path)
    assert controls.events()["y"] == "fly" and "u" not in controls.events()
    assert controls.keys["forward"] == ("i", "arrow_up") and controls.keys["back"] == ("s", "arrow_down")
    assert (controls.sensitivity, controls.invert_y, controls.smoothing) == (2.5, True, 0.0)
    assert (controls.walk.speed, controls.walk.run_speed, controls.fly.min_speed) == (1.4, 4.0, 5.0)
    assert controls.help_lines()[0].startswith("I A S D")


def test_a_missing_file_means_the_defaults(tmp_path, monkeypatch):
    """With no controls file the defaults apply; the path honours CITIVERSE_CONTROLS and XDG_CONFIG_HOME."""
    monkeypatch.setenv("CITIVERSE_CONTROLS", str(tmp_path / "none.toml"))
    assert load_controls() == Controls()
    monkeypatch.delenv("CITIVERSE_CONTROLS")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert user_controls_path() == tmp_path / "citiverse" / "controls.toml"


@pytest.mark.parametrize("text, key, reason", [
    ('[keys]\nswim = "x"', "keys.swim", "unknown setting"),
    ('[keys]\nfly = "3"', "keys.fly", "reserved for camera bookmarks"),
    ('[keys]\nfly = "w"', "keys.", "already bound"),
    ('[keys]\nfly = "Hyper"', "keys.fly", "unknown key"),
    ("[keys]\nfly = 7", "keys.fly", "key name"),
    ('[mouse]\ninvert_y = "yes"', "mouse.invert_y", "true or false"),
    ("[mouse]\nsensitivity = 0", "mouse.sensitivity", "positive"),
    ("[mouse]\nsmoothing = -1", "mouse.smoothing", "negative"),
    ("[walk]\nspeed = nan", "walk.speed", "finite"),
    ("[walk]\nwings = 2", "walk.wings", "unknown setting"),
    ("[fly]\nmax_speed = 1e9", "fly.max_speed", "at most"),
    ("[fly]\nmin_speed = true", "fly.min_speed", "finite number"),
    ("keys = 3", "keys", "must be a table"),
    ("[colours]\nsky = 1", "colours", "unknown setting"),
])
def test_mistakes_in_the_controls_file_name_the_key_and_reason(tmp_path, text, key, reason):
    """Each kind of mistake gives a ConfigError naming the file, the dotted key and the reason."""
    path = tmp_path / "controls.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=reason) as info:
        load_controls(path)
    assert info.value.file == str(path) and info.value.key.startswith(key)


def test_a_file_that_is_not_toml_is_a_config_error(tmp_path):
    """Malformed TOML or bytes that are not UTF-8 give a ConfigError naming the file."""
    for content in (b"[keys\nfly = ", b"\xff\xfe[keys]"):
        path = tmp_path / "controls.toml"
        path.write_bytes(content)
        with pytest.raises(ConfigError, match="cannot read controls"):
            load_controls(path)


settings_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                               lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8),
                                                                                          inner, max_size=3),
                               max_leaves=8)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(["keys", "mouse", "walk", "fly", "other"]),
                       st.dictionaries(st.sampled_from([*ACTIONS, "speed", "sensitivity", "invert_y", "x"]),
                                       settings_values, max_size=4), max_size=4))
def test_any_parsed_table_gives_controls_or_a_config_error(table):
    """Whatever a TOML file holds, parsing gives Controls or a ConfigError, never another exception."""
    try:
        controls = parse_controls(Path("c.toml"), table)
    except ConfigError:
        return
    assert set(controls.keys) == set(ACTIONS)


def test_a_user_file_written_before_the_tool_keys_keeps_working(tmp_path):
    """A controls file that binds I or M (free before the base map and measure keys existed) still loads:
    the user's binding wins and the tool's default key gives way; the help lists what is bound."""
    from viewer.nav.bindings import load_controls

    path = tmp_path / "controls.toml"
    path.write_text('[keys]\nforward = ["i"]\nback = ["m"]\n')
    controls = load_controls(path)
    assert controls.keys["forward"] == ("i",) and controls.keys["basemap"] == ()
    assert controls.keys["back"] == ("m",) and controls.keys["measure"] == ()
    assert not any("measure" in line for line in controls.help_lines())


def test_no_default_key_is_also_a_meeting_key():
    """In a meeting, Enter, P, J, F2 and F5 belong to the meeting (chat, point, follow, list, follow me): no
    default window action may share one of them, or both would fire (pins were on P, the compass on J)."""
    from viewer.app.meeting_view import MEETING_KEYS
    taken = set(Controls().events())
    assert not taken & set(MEETING_KEYS)


def test_no_key_is_bound_to_two_actions_by_default():
    """Each default key does one thing: a second action on the same key would silently replace the first."""
    from collections import Counter

    counts = Counter(key for keys in Controls().keys.values() for key in keys)
    assert [key for key, n in counts.items() if n > 1] == []
