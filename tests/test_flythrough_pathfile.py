"""The flythrough file: TOML round trips, hand-written forms, and every mistake a ConfigError naming file and key."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.errors import ConfigError
from viewer.flythrough import pathfile, quat
from viewer.flythrough.path import MIN_TIME_STEP, CameraPath, Keyframe
from viewer.flythrough.pathfile import dumps, flythrough_file_for, load_paths, save_path, save_paths

RNG = np.random.default_rng(11)

HAND_WRITTEN = """
version = 1

[paths.tour]
constant_speed = true
ease = 1.5
keyframes = [
  { t = 0.0, position = [-1150.0, -1400.0, 900.0], orientation = [0.93, 0.27, -0.07, -0.22], fov = 45.0 },
  { t = 6, position = [-350, -520, 260], look_at = [0.0, 0.0, 40.0] },
  { t = 9.5, position = [10.0, 20.0, 30.0], hpr = [90.0, -30.0, 0.0], fov = 60 },
]

[paths.second-one]
[[paths.second-one.keyframes]]
t = 0.0
position = [0.0, 0.0, 10.0]
hpr = [0.0, 0.0, 0.0]
[[paths.second-one.keyframes]]
t = 2.0
position = [5.0, 0.0, 10.0]
hpr = [10.0, 0.0, 0.0]
"""


def _write(tmp_path: Path, text: str | bytes, name: str = "city.flythrough.toml") -> Path:
    file = tmp_path / name
    if isinstance(text, bytes):
        file.write_bytes(text)
    else:
        file.write_text(text, encoding="utf-8")
    return file


def _random_path(name: str, n: int, constant_speed: bool = False, ease: float = 0.0) -> CameraPath:
    times = np.cumsum(RNG.uniform(0.2, 3.0, n)) - 1.0
    keys = tuple(Keyframe(float(t), tuple(RNG.uniform(-3000, 3000, 3)), tuple(quat.normalize(RNG.normal(size=4))),
                          float(RNG.uniform(10, 120)))  # type: ignore[arg-type]
                 for t in times)
    return CameraPath(name, keys, constant_speed=constant_speed, ease=ease)


def test_round_trip_within_print_precision(tmp_path: Path) -> None:
    """Paths written by dumps load back equal within the printed precision, in the same order, same options."""
    paths = {"b-tour": _random_path("b-tour", 12, True, 1.25), "a_tour": _random_path("a_tour", 2)}
    file = save_paths(tmp_path / "x.flythrough.toml", paths, title="Demo\nsecond line")
    loaded = load_paths(file)
    assert list(loaded) == ["b-tour", "a_tour"]
    for name, path in paths.items():
        back = loaded[name]
        assert back.name == name and back.constant_speed == path.constant_speed and back.ease == path.ease
        for k, b in zip(path.keyframes, back.keyframes, strict=True):
            assert b.t == pytest.approx(k.t, abs=1e-6) and b.fov == pytest.approx(k.fov, abs=1e-4)
            np.testing.assert_allclose(b.position, k.position, atol=1e-4)
            assert abs(abs(np.dot(b.orientation, k.orientation)) - 1.0) < 1e-8
    assert dumps(loaded) == dumps(paths)  # a second round trip changes nothing


def test_hand_written_forms(tmp_path: Path) -> None:
    """Keyframes may give orientation, look_at or hpr, inline or as [[...keyframes]] tables; fov defaults to 50."""
    paths = load_paths(_write(tmp_path, HAND_WRITTEN))
    tour = paths["tour"]
    assert tour.constant_speed and tour.ease == 1.5 and [k.t for k in tour.keyframes] == [0.0, 6.0, 9.5]
    assert np.linalg.norm(tour.keyframes[0].orientation) == pytest.approx(1.0)  # normalised on reading
    direction = np.subtract((0.0, 0.0, 40.0), (-350.0, -520.0, 260.0))
    np.testing.assert_allclose(quat.forward(tour.keyframes[1].orientation), direction / np.linalg.norm(direction),
                               atol=1e-9)
    assert tour.keyframes[1].fov == pathfile.DEFAULT_FOV
    np.testing.assert_allclose(tour.keyframes[2].hpr(), (90.0, -30.0, 0.0), atol=1e-9)
    assert [k.position for k in paths["second-one"].keyframes] == [(0.0, 0.0, 10.0), (5.0, 0.0, 10.0)]


def test_empty_and_missing_files(tmp_path: Path) -> None:
    """A file without paths holds none; a missing file is {} with missing_ok, else a ConfigError."""
    assert load_paths(_write(tmp_path, "version = 1\n")) == {}
    assert load_paths(tmp_path / "nope.toml", missing_ok=True) == {}
    with pytest.raises(ConfigError, match="not found"):
        load_paths(tmp_path / "nope.toml")


KEY = "{ t = 1.0, position = [1.0, 2.0, 3.0], hpr = [0.0, 0.0, 0.0] }"


def _doc(keyframe: str, path_extra: str = "", top: str = "version = 1") -> str:
    return f"{top}\n[paths.tour]\n{path_extra}\nkeyframes = [\n  {KEY.replace('1.0', '0.0', 1)},\n  {keyframe},\n]\n"


MALFORMED = [
    (_doc(KEY.replace("t = 1.0", 't = "1.0"')), "paths.tour.keyframes[1].t", "finite number"),
    (_doc(KEY.replace("t = 1.0", "t = nan")), "paths.tour.keyframes[1].t", "finite number"),
    (_doc(KEY.replace("t = 1.0", "t = inf")), "paths.tour.keyframes[1].t", "finite number"),
    (_doc(KEY.replace("t = 1.0", "t = true")), "paths.tour.keyframes[1].t", "finite number"),
    (_doc(KEY.replace("t = 1.0", "t = " + "123456789" * 40)), "paths.tour.keyframes[1].t",
     "finite number"),
    (_doc(KEY.replace("t = 1.0", "t = 1e7")), "paths.tour.keyframes[1].t", "within"),
    (_doc(KEY.replace("t = 1.0, ", "")), "paths.tour.keyframes[1].t", "required"),
    (_doc(KEY.replace("position = [1.0, 2.0, 3.0], ", "")), "paths.tour.keyframes[1].position", "required"),
    (_doc(KEY.replace("[1.0, 2.0, 3.0]", "[1.0, 2.0]")), "paths.tour.keyframes[1].position", "3 finite"),
    (_doc(KEY.replace("[1.0, 2.0, 3.0]", "[1.0, nan, 3.0]")), "paths.tour.keyframes[1].position", "3 finite"),
    (_doc(KEY.replace("[1.0, 2.0, 3.0]", '"here"')), "paths.tour.keyframes[1].position", "3 finite"),
    (_doc(KEY.replace("[1.0, 2.0, 3.0]", "[1.0, 2.0, 3e9]")), "paths.tour.keyframes[1].position", "within"),
    (_doc(KEY.replace("}", ", look_at = [0.0, 0.0, 0.0] }")), "paths.tour.keyframes[1]", "exactly one"),
    (_doc(KEY.replace("hpr = [0.0, 0.0, 0.0]", "fov = 40.0")), "paths.tour.keyframes[1]", "exactly one"),
    (_doc(KEY.replace("hpr = [0.0, 0.0, 0.0]", "look_at = [1.0, 2.0, 3.0]")), "paths.tour.keyframes[1].look_at",
     "differ"),
    (_doc(KEY.replace("hpr = [0.0, 0.0, 0.0]", "orientation = [0.0, 0.0, 0.0, 0.0]")),
     "paths.tour.keyframes[1].orientation", "zero"),
    (_doc(KEY.replace("hpr = [0.0, 0.0, 0.0]", "orientation = [1.0, 0.0, 0.0]")),
     "paths.tour.keyframes[1].orientation", "4 finite"),
    (_doc(KEY.replace("}", ", fov = 0 }")), "paths.tour.keyframes[1].fov", "between"),
    (_doc(KEY.replace("}", ", fov = 180.0 }")), "paths.tour.keyframes[1].fov", "between"),
    (_doc(KEY.replace("}", ", speed = 3 }")), "paths.tour.keyframes[1].speed", "unknown key"),
    (_doc("42"), "paths.tour.keyframes[1]", "must be a table"),
    (_doc(KEY.replace("t = 1.0", "t = 0.0")), "paths.tour.keyframes[1].t", "increase"),
    (_doc(KEY.replace("t = 1.0", "t = -1.0")), "paths.tour.keyframes[1].t", "increase"),
    (_doc(KEY.replace("t = 1.0", "t = 0.00001")), "paths.tour.keyframes[1].t", "increase"),
    (_doc(KEY, "ease = -1.0"), "paths.tour.ease", ">= 0"),
    (_doc(KEY, "ease = nan"), "paths.tour.ease", "finite"),
    (_doc(KEY, 'constant_speed = "yes"'), "paths.tour.constant_speed", "true or false"),
    (_doc(KEY, "loop = true"), "paths.tour.loop", "unknown key"),
    (_doc(KEY, top="version = 2"), "version", "unsupported version"),
    (_doc(KEY, top='version = "1"'), "version", "unsupported version"),
    (_doc(KEY, top="version = 1.0"), "version", "unsupported version"),
    (_doc(KEY, top="version = 1\nauthor = 'me'"), "author", "unknown key"),
    ("version = 1\npaths = [1, 2]\n", "paths", "table of named paths"),
    ("version = 1\n[paths.tour]\nkeyframes = []\n", "paths.tour.keyframes", "at least two"),
    ("version = 1\n[paths.tour]\nease = 1.0\n", "paths.tour.keyframes", "at least two"),
    ("version = 1\npaths.tour = 3\n", "paths.tour", "must be a table"),
    (_doc(KEY).replace("[paths.tour]", '[paths."my tour"]'), "paths.'my tour'", "path name"),
    (_doc(KEY).replace("[paths.tour]", '[paths."tour\\n"]'), "paths.'tour\\n'", "path name"),
    (_doc(KEY).replace("[paths.tour]", '[paths.""]'), "paths.''", "path name"),
]


@pytest.mark.parametrize(("text", "key", "reason"), MALFORMED)
def test_malformed_files_name_the_file_and_key(tmp_path: Path, text: str, key: str, reason: str) -> None:
    """Each kind of mistake is a ConfigError naming the file, the dotted key and the reason."""
    file = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_paths(file)
    assert info.value.file == str(file) and info.value.key == key
    assert reason in info.value.reason and str(file) in str(info.value)


@pytest.mark.parametrize(("content", "reason"), [
    ("version = 1\n[paths.tour\n", "not valid TOML"),
    ("version = = 1", "not valid TOML"),
    ("a = 1\x00", "not valid TOML"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\xfd", "not UTF-8"),
    (bytes(range(256)) * 4, "not UTF-8"),
    ("a = " + "[" * 5000 + "]" * 5000, "nested too deeply"),
    ("a = " + "{b = " * 5000 + "1" + "}" * 5000, "nested too deeply"),
    ("a" + ".a" * 100_000 + " = 1\n", "dots outside numbers"),
    ("[" + ".".join(["0"] * 100_000) + "]\n", "dots outside numbers"),
    ("".join(f"x{i}.a.a.a.a = 1\n" for i in range(2000)), "too many dotted keys"),
    ("".join(f"[x{i}.a.a.a]\n" for i in range(2000)), "too many dotted keys"),
    ("k = [\n" + "{x.a.a.a.a.a.a.a = 1},\n" * 1000 + "]\n", "too many dotted keys"),
])
def test_garbage_is_a_config_error(tmp_path: Path, content: str | bytes, reason: str) -> None:
    """Not TOML, binary garbage, deep nesting and absurdly dotted keys are ConfigErrors, quickly."""
    with pytest.raises(ConfigError, match=reason) as info:
        load_paths(_write(tmp_path, content))
    assert info.value.key == ""


def test_floats_on_a_long_line_are_not_dotted_keys(tmp_path: Path) -> None:
    """A whole path on one line (hundreds of floats) is not mistaken for a deeply dotted key."""
    keys = ", ".join(f"{{ t = {i}.5, position = [{i}.25, 1_0.5, -2.5e3], hpr = [{i}.0, 0.5, 0.25] }}"
                     for i in range(200))
    paths = load_paths(_write(tmp_path, f"version = 1\npaths.long.keyframes = [{keys}]\n"))
    assert len(paths["long"].keyframes) == 200


def test_many_keyframes_as_tables_are_not_too_many_dotted_keys(tmp_path: Path) -> None:
    """3000 [[paths.x.keyframes]] tables repeat one header, which is not counted against the dotted-key limit."""
    text = "version = 1\n" + "".join(f"[[paths.x.keyframes]]\nt = {i}.5\nposition = [1.5, 2.0, 3.0]\nhpr = [0.0, 0.5, 0.0]\n"
                                   for i in range(3000))
    assert len(load_paths(_write(tmp_path, text))["x"].keyframes) == 3000


def test_too_big_files_and_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file over MAX_FILE_BYTES, more paths than MAX_PATHS or keyframes than MAX_KEYFRAMES is refused."""
    monkeypatch.setattr(pathfile, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ConfigError, match="larger than"):
        load_paths(_write(tmp_path, "# padding\n" * 200))
    monkeypatch.setattr(pathfile, "MAX_FILE_BYTES", 1 << 20)
    monkeypatch.setattr(pathfile, "MAX_PATHS", 3)
    many = "version = 1\n" + "".join(f"[paths.p{i}]\nkeyframes = [{KEY}, {KEY}]\n" for i in range(4))
    with pytest.raises(ConfigError, match="more than the limit") as info:
        load_paths(_write(tmp_path, many))
    assert info.value.key == "paths"
    monkeypatch.setattr(pathfile, "MAX_KEYFRAMES", 5)
    with pytest.raises(ConfigError, match="more than 5") as info:
        load_paths(_write(tmp_path, "version = 1\n[paths.p]\nkeyframes = [" + f"{KEY}, " * 6 + "]\n"))
    assert info.value.key == "paths.p.keyframes"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_an_endless_device_file_is_refused() -> None:
    """Reading stops at the size limit, so /dev/zero (size 0, endless) is a ConfigError, not a hang."""
    with pytest.raises(ConfigError, match="larger than|not valid TOML"):
        load_paths("/dev/zero")


def test_a_folder_is_a_config_error(tmp_path: Path) -> None:
    """A directory where the file should be is a ConfigError, not an OSError."""
    with pytest.raises(ConfigError, match="cannot read"):
        load_paths(tmp_path)


def test_save_path_keeps_other_paths_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    """save_path adds or replaces one path, keeps the others in order, and the folder holds only the file."""
    file = tmp_path / "city.flythrough.toml"
    save_path(file, _random_path("one", 3))
    save_path(file, _random_path("two", 4))
    replacement = _random_path("one", 5)
    save_path(file, replacement)
    loaded = load_paths(file)
    assert list(loaded) == ["one", "two"] and len(loaded["one"].keyframes) == 5
    assert len(loaded["two"].keyframes) == 4
    assert os.listdir(tmp_path) == [file.name]
    assert file.stat().st_mode & 0o777 == 0o644


def test_a_failed_save_keeps_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If writing fails before the rename, the previous file is untouched and the temporary file is removed."""
    file = save_paths(tmp_path / "c.flythrough.toml", {"one": _random_path("one", 3)})
    before = file.read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        save_path(file, _random_path("two", 3))
    assert file.read_bytes() == before and os.listdir(tmp_path) == [file.name]


def test_save_path_refuses_to_overwrite_a_broken_file(tmp_path: Path) -> None:
    """A hand-edited file with a mistake is reported, not silently replaced by the new path."""
    file = _write(tmp_path, "version = 1\n[paths.x]\nkeyframes = 3\n")
    with pytest.raises(ConfigError):
        save_path(file, _random_path("y", 2))
    assert "keyframes = 3" in file.read_text()


def test_dumps_refuses_bad_names_and_cleans_titles() -> None:
    """A path name that is not a bare key is a ValueError; control characters in the title cannot break TOML."""
    with pytest.raises(ValueError, match="path name"):
        dumps({"two words": _random_path("two words", 2)})
    with pytest.raises(ValueError, match="path name"):
        dumps({"tour\n": _random_path("tour", 2)})
    text = dumps({"ok": _random_path("ok", 2)}, title="a\x00b\x1bc\rd")
    import tomllib

    assert tomllib.loads(text)["version"] == 1


def test_keyframes_at_the_minimum_time_step_survive_rounding(tmp_path: Path) -> None:
    """Times MIN_TIME_STEP apart, which rounding to microseconds brings closer (0.3001 - 0.3 < 1e-4), go in full."""
    base = _random_path("p", 3).keyframes
    times = (0.3, 0.30010001, 0.5)
    assert round(times[1], 6) - round(times[0], 6) < MIN_TIME_STEP  # the case this test is about
    keys = tuple(Keyframe(t, k.position, k.orientation, k.fov) for t, k in zip(times, base, strict=True))
    loaded = load_paths(save_paths(tmp_path / "t.toml", {"p": CameraPath("p", keys)}))
    assert tuple(k.t for k in loaded["p"].keyframes) == times


def test_extreme_fov_survives_rounding(tmp_path: Path) -> None:
    """A fov that rounds to the limits on writing is written in full, so the file still loads."""
    path = _random_path("p", 2)
    keys = (path.keyframes[0], Keyframe(path.keyframes[1].t, (0.0, 0.0, 0.0), (1.0, 0.0, 0.0, 0.0), 169.99999))
    tiny = (Keyframe(path.keyframes[0].t, (0.0, 0.0, 0.0), (1.0, 0.0, 0.0, 0.0), 0.00001), path.keyframes[1])
    loaded = load_paths(save_paths(tmp_path / "f.toml", {"a": CameraPath("a", keys), "b": CameraPath("b", tiny)}))
    assert loaded["a"].keyframes[1].fov == 169.99999 and loaded["b"].keyframes[0].fov == 0.00001


@pytest.mark.parametrize(("scene", "expected"), [
    ("scenes/city.toml", "scenes/city.flythrough.toml"),
    ("scenes/DenHaag.TOML", "scenes/DenHaag.flythrough.toml"),
    ("data/model.city.json", "data/model.city.json.flythrough.toml"),
    ("model.glb", "model.glb.flythrough.toml"),
])
def test_flythrough_file_for_naming(scene: str, expected: str) -> None:
    """The flythrough file sits beside the scene: city.toml -> city.flythrough.toml, model.json -> model.json.flythrough.toml."""
    assert flythrough_file_for(scene) == Path(expected)


# ---------------------------------------------------------------- generated documents


def _toml(value: Any) -> str:
    """A TOML rendering of a Python value (inline tables for dicts), enough to generate hostile documents."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{ " + ", ".join(f"{_string(k)} = {_toml(v)}" for k, v in value.items()) + " }"


def _string(text: str) -> str:
    """A TOML basic string: backslash, quote and control characters escaped, the rest as it is."""
    return '"' + "".join(f"\\u{ord(c):04x}" if c in '"\\' or ord(c) < 32 or ord(c) == 127 else c
                         for c in text) + '"'


texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=8)  # no lone surrogates: not UTF-8
numbers = (st.floats(-1e4, 1e4) | st.integers(-10, 10) | st.floats() | st.integers(-(2**70), 2**70)
           | st.sampled_from([0.0, 1e-300, -1e-300, 1e7, -1e7, 1e300, 169.99, 170.0, 0.0001]))
scalars = st.booleans() | numbers | texts
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(texts, inner, max_size=3),
                      max_leaves=12)


def _mostly(good: st.SearchStrategy, bad: st.SearchStrategy = values) -> st.SearchStrategy:
    """Mostly good (often enough that generated documents get deep into the reader), sometimes bad."""
    return st.sampled_from([good] * 6 + [bad]).flatmap(lambda chosen: chosen)


def _vectors(size: int) -> st.SearchStrategy:
    return _mostly(st.lists(_mostly(st.floats(-1e4, 1e4), numbers), min_size=size, max_size=size))


def _keyframe(t: float, position: Any, kind: str, orientation: Any, fov: Any) -> dict[str, Any]:
    return {"t": t, "position": position, kind: orientation, **({} if fov is None else {"fov": fov})}


odd_keyframes = st.fixed_dictionaries({"t": numbers, "position": _vectors(3)},
                                      optional={"hpr": _vectors(3), "look_at": _vectors(3), "orientation": _vectors(4),
                                                "fov": numbers, "zoom": values}) | values
keyframes = _mostly(st.sampled_from([("hpr", 3), ("look_at", 3), ("orientation", 4)]).flatmap(
    lambda kind: st.builds(_keyframe, _mostly(st.floats(0, 100), numbers), _vectors(3), st.just(kind[0]),
                           _vectors(kind[1]), st.none() | _mostly(st.floats(1, 100), numbers))), odd_keyframes)


def _in_order(rows: list[Any]) -> list[Any]:
    """Keyframes whose t is a plain 0..100 float get increasing times, so many generated paths are valid."""
    return [dict(row, t=i + row["t"] / 101) if isinstance(row, dict) and isinstance(row.get("t"), float)
            and 0 <= row["t"] <= 100 else row for i, row in enumerate(rows)]


paths_tables = _mostly(st.fixed_dictionaries({"keyframes": _mostly(st.lists(keyframes, min_size=2, max_size=5)
                                                                   .map(_in_order))},
                                             optional={"ease": _mostly(st.floats(0, 5), numbers),
                                                       "constant_speed": _mostly(st.booleans())}))
names = _mostly(st.sampled_from(["a", "b-c", "D_9"]), st.sampled_from(["bad name", "ß", "", "x" * 65, "a\n"]))
documents = st.fixed_dictionaries({"version": _mostly(st.just(1), st.sampled_from([2, 1.0, "1", True]))},
                                  optional={"paths": _mostly(st.dictionaries(names, paths_tables, max_size=3))})


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(documents)
def test_generated_documents_raise_only_config_errors(tmp_path: Path, document: dict) -> None:
    """Any generated document either loads or raises ConfigError, never another exception."""
    text = "\n".join(f"{_string(k)} = {_toml(v)}" for k, v in document.items())
    try:
        paths = load_paths(_write(tmp_path, text))
    except ConfigError:
        return
    for path in paths.values():
        assert np.all(np.isfinite(path.sample([path.start, (path.start + path.end) / 2, path.end]).positions))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=40), st.integers(0, 2000), st.integers(0, 40))
def test_corrupted_files_raise_only_config_errors(tmp_path: Path, junk: bytes, at: int, cut: int) -> None:
    """A valid file with bytes replaced at any place either loads or raises ConfigError."""
    text = HAND_WRITTEN.encode()
    at = at % len(text)
    try:
        load_paths(_write(tmp_path, text[:at] + junk + text[at + cut:]))
    except ConfigError:
        pass


def _nodes(node: Any, where: tuple = ()) -> list[tuple]:
    """Every place (a tuple of keys and indices) in a parsed document, the root excluded."""
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    return [p for key, child in children for p in [(*where, key), *_nodes(child, (*where, key))]]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_valid_documents_with_one_value_changed_raise_only_config_errors(tmp_path: Path, data: st.DataObject) -> None:
    """The hand-written file with any one value replaced (or removed) either loads or raises ConfigError."""
    import tomllib

    document = tomllib.loads(HAND_WRITTEN)
    place = data.draw(st.sampled_from(_nodes(document)))
    parent = document
    for key in place[:-1]:
        parent = parent[key]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        del parent[place[-1]]
    else:
        parent[place[-1]] = data.draw(_mostly(numbers | _vectors(3) | _vectors(4), values))
    text = "\n".join(f"{_string(k)} = {_toml(v)}" for k, v in document.items())
    try:
        paths = load_paths(_write(tmp_path, text))
    except ConfigError:
        return
    for path in paths.values():
        assert np.all(np.isfinite(path.sample(np.linspace(path.start, path.end, 50)).positions))
