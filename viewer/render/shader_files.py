"""Shader sources as files: assets/shaders/NAME.vert, NAME.frag and shared NAME.glsl parts, read at run time.

Rules this module keeps:
1. Every GLSL text the viewer compiles lives in assets/shaders/ (package data, found through ASSETS of
   render/fonts.py, never through the current folder). A stage file (.vert, .frag) starts with its
   `#version` line; a part (.glsl) has none and is pulled in by a line `#include "NAME.glsl"` (resolved in
   assets/shaders/, parts may include parts, each part at most once per stage, like an include guard).
2. Variants are `#define` lines inserted right after `#version` (the flavours of render/lighting.py rule 7:
   plain / full / soft and night are FULL_LOOK, SOFT_SHADOWS, NIGHT_WINDOWS). `defines` is a sequence of
   names (defined as 1) or a mapping of name -> value (a number or GLSL text, e.g. a constant), so a
   Python constant reaches GLSL by a define instead of string replacement. Stages of one program may take
   different defines (`fragment_defines` are added to the fragment only).
3. Texts and Shader objects are cached per (files, defines): a program is read and made once per process,
   and the same arguments give the same Shader object (callers key night twins on it).
4. A missing file is a RenderError naming the file (and the file that included it): a broken install,
   never a GLSL compile error about an empty shader.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from viewer.errors import RenderError
from viewer.render.fonts import ASSETS

SHADERS = ASSETS / "shaders"
STAGE_SUFFIXES = (".vert", ".frag")
PART_SUFFIX = ".glsl"

Defines = Mapping[str, object] | Iterable[str]
_DefineKey = tuple[tuple[str, str], ...]

_INCLUDE = re.compile(r'^[ \t]*#include[ \t]+"([^"]+)"[ \t]*$', re.MULTILINE)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def shader_source(name: str, defines: Defines = ()) -> str:
    """The GLSL text of stage file `name` (e.g. "vehicle.frag"), its includes resolved (rule 1) and
    `defines` inserted after its #version line (rule 2)."""
    return _source(name, _define_key(defines))


def load_shader(vertex: str, fragment: str, defines: Defines = (), *, fragment_defines: Defines = ()) -> Any:
    """A Panda3D GLSL Shader of the stage files `vertex` and `fragment` (names in assets/shaders/), both with
    `defines`, the fragment also with `fragment_defines`; made once per arguments (rule 3)."""
    both = _define_key(defines)
    return _shader(vertex, fragment, both, tuple(dict(both + _define_key(fragment_defines)).items()))


def stage_files() -> list[Path]:
    """Every stage file (.vert, .frag) in assets/shaders/, sorted (for tests and tools)."""
    return sorted(p for p in SHADERS.glob("*") if p.suffix in STAGE_SUFFIXES)


def defines_tested(text: str) -> list[str]:
    """The macro names a GLSL text tests with #ifdef / #ifndef / defined(...), in order of appearance."""
    names = re.findall(r"#\s*if(?:n?def)\s+([A-Za-z_]\w*)|defined\s*\(?\s*([A-Za-z_]\w*)", text)
    return list(dict.fromkeys(a or b for a, b in names))


@functools.cache
def _shader(vertex: str, fragment: str, vertex_defines: _DefineKey, frag_defines: _DefineKey) -> Any:
    from panda3d.core import Shader

    shader = Shader.make(Shader.SL_GLSL, vertex=_source(vertex, vertex_defines),
                         fragment=_source(fragment, frag_defines))
    if shader is None:
        raise RenderError(f"{SHADERS / vertex} + {fragment}: Panda3D could not make a shader of them")
    return shader


@functools.cache
def _source(name: str, defines: _DefineKey) -> str:
    path = SHADERS / name
    text = _read(path, None)
    if not text.startswith("#version"):
        raise RenderError(f"{path}: a shader stage file must start with its #version line")
    version, rest = text.split("\n", 1)
    lines = "".join(f"#define {key} {value}\n" for key, value in defines)
    return f"{version}\n{lines}{_resolve(rest, path, set())}"


def _resolve(text: str, path: Path, seen: set[str]) -> str:
    """`text` with each `#include "NAME"` line replaced by that part's text (rule 1)."""

    def part(match: re.Match[str]) -> str:
        include = match.group(1)
        if include in seen:
            return ""  # already in this stage: included once, like an include guard
        seen.add(include)
        file = SHADERS / include
        return _resolve(_read(file, path), file, seen)

    return _INCLUDE.sub(part, text)


def _read(path: Path, included_by: Path | None) -> str:
    if not path.is_file():
        where = f" (included by {included_by.name})" if included_by is not None else ""
        raise RenderError(f"{path}: shader file missing{where}; reinstall citiverse")
    return path.read_text(encoding="utf-8")


def _define_key(defines: Defines) -> _DefineKey:
    items = defines.items() if isinstance(defines, Mapping) else ((name, 1) for name in defines)
    key = []
    for name, value in items:
        if not _NAME.match(str(name)):
            raise ValueError(f"shader define {name!r} is not a macro name")
        key.append((str(name), _glsl_value(value)))
    return tuple(key)


def _glsl_value(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value)  # always with a point or an exponent: a GLSL float
    return str(value)

