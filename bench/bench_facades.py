"""Frame cost of the full look's facades, occlusion and night code (render/lighting.py rules 8-9), before and
after, alternated in one process.

    python bench/bench_facades.py [--seconds 1.5] [--size 1280x720] [--buildings 10000] [--vehicles 10000]

bench/bench_look.py's case (the demo city coloured by building power, demo vehicles, overview still and
moving, street level), drawn plain and "full, window" twice each: "after" with the shaders as they are,
"before" with the facade parts (assets/shaders/facade_*.glsl) compiled as their no-op branch, all
else equal (shadows, sky, haze). Prints the best of two median CPU times (all threads) and the ratios, with the
load average: on a shared machine run-to-run noise is several milliseconds.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_look import run, workload, workload_parser  # noqa: E402
from panda3d.core import Shader  # noqa: E402

from viewer.render import colour_lut, lighting  # noqa: E402
from viewer.render.shader_files import shader_source  # noqa: E402

AFTER = (lighting.city_shader, colour_lut.lut_shader)


FACADES_ON = "#if defined(FULL_LOOK) && !defined(GROUND)"  # the guard of assets/shaders/facade_*.glsl


def without_facades(source: str) -> str:
    """GLSL source whose facade parts take their #else branch (nothing), whatever the flavour."""
    assert FACADES_ON in source, "the facade parts' guard changed: update bench_facades.FACADES_ON"
    return source.replace(FACADES_ON, "#if 0")


def _before(vertex_file: str, fragment_file: str, flavour: str, night: bool, ground: bool = False,
            **constants: str) -> Shader:
    vertex = without_facades(shader_source(vertex_file, lighting.flavour_defines(flavour, ground=ground)))
    defines = dict.fromkeys(lighting.flavour_defines(flavour, night and not ground, ground), "1")
    fragment = without_facades(shader_source(fragment_file, {**defines, **constants}))
    return Shader.make(Shader.SL_GLSL, vertex=vertex, fragment=fragment)


@functools.cache
def city_before(flavour: str = "plain", night: bool = False, ground: bool = False) -> Shader:
    return _before("city.vert", "city.frag", flavour, night, ground)


@functools.cache
def lut_before(flavour: str = "plain", night: bool = False) -> Shader:
    return _before("city_lut.vert", "city_lut.frag", flavour, night,
                   LAYER_NIGHT_LIGHT=f"{colour_lut.LAYER_NIGHT_LIGHT:.3f}")


def use(which: str) -> None:
    lighting.city_shader, colour_lut.lut_shader = AFTER if which == "after" else (city_before, lut_before)


def main() -> None:
    args = workload_parser(__doc__, seconds=1.5).parse_args()
    size, scene, updates, crs, frames = workload(args)
    best: dict[tuple[str, str], dict[str, float]] = {}
    for _ in range(2):
        for which in ("before", "after"):
            use(which)
            for look in ("plain", "full, window"):
                result = run(scene, look, updates, crs, size, frames)
                old = best.get((which, look), {})
                best[(which, look)] = {view: min(old.get(view, float("inf")), ms) for view, ms in result.items()}
    use("after")
    print(f"{args.buildings:,} buildings + {args.vehicles:,} vehicles, {size[0]}x{size[1]}, best of 2 medians, "
          f"load average {os.getloadavg()[0]:.1f}")
    for view in best[("after", "plain")]:
        cells = []
        for which in ("before", "after"):
            plain, full = best[(which, "plain")][view], best[(which, "full, window")][view]
            cells.append(f"{which}: plain {plain:5.1f} full {full:5.1f} ms x{full / plain:.2f}")
        print(f"  {view:17s} " + "   ".join(cells))


if __name__ == "__main__":
    main()
