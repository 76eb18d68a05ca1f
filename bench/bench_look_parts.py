"""What each part of the full look costs: the window's full look on one live view, with one part taken out.

    python bench/bench_look_parts.py [--view overview|moving|street] [--turns 120] [--parts all] [--layers LIST]
                                     [--size 1280x720] [--buildings 10000] [--vehicles 10000]

bench_look.py's case (the demo city coloured by building power, demo vehicles, 2026-06-21T15:00+02:00), in
the window's flavour. A part is taken out by editing the city shaders' text (after includes and defines) on
the live view, or hiding a node: the same stage, the same feed. Every variant and the unchanged look are drawn
one frame each in turn (shuffled per turn) for --turns turns after warm-up; each variant's cost is the median
of its same-turn differences against the unchanged look (CPU time of render_frame, all threads), so a slow
spell of a shared machine hits both sides of a difference alike.

Parts: shadow (the whole lookup), read (only the texture read: the depth compared against a constant),
spread (every pixel reads one texel: the read's memory traffic), haze, facades (windows and occlusion, their
vertex work too), sky (hidden), all (every one of those at once); parts joined by "+" are taken out together.
"""

from __future__ import annotations

import dataclasses
import os
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_layers import Timeline  # noqa: E402
from bench_look import (  # noqa: E402
    SCENE_LOOK,
    WHEN,
    draw_ms,
    live_options,
    render_look,
    street_pose,
    workload,
    workload_parser,
)

from viewer.app.live_headless import live_view  # noqa: E402
from viewer.geo.sun import parse_time  # noqa: E402

KEEP_RGB = "vec3 keep_rgb(vec3 rgb, float amount) { return rgb; }\n"
NO_SURFACE = "vec3 no_surface(inout vec3 rgb, vec3 n, float occlusion, float facade) { return vec3(0.0); }\n"
# Each part: (old text, new text) edits of the fragment text; every edit must apply to the city's shader.
EDITS = {
    "shadow": [("* sun_visibility();", ";")],
    "read": [("texture(shadow_map, s.xy).r", "(0.5 + 0.0001 * s.x)")],
    "spread": [("texture(shadow_map, s.xy).r", "texture(shadow_map, vec2(0.5, 0.1)).r")],
    "haze": [("void main() {", KEEP_RGB + "void main() {"), ("vec4(look_haze(", "vec4(keep_rgb(")],
    "facades": [("void main() {", NO_SURFACE + "void main() {"), ("look_surface(rgb, n,", "no_surface(rgb, n,")],
    "sky": [],
}
EDITS["all"] = EDITS["shadow"] + EDITS["haze"] + EDITS["facades"]
WARM_TURNS = 5


def edited(shader, part: str, city: bool):
    """`shader` with `part` taken out of its fragment text (None: the part does not touch it)."""
    from panda3d.core import Shader

    text = shader.get_text(Shader.ST_fragment)
    edits = EDITS[part]
    if not any(old in text for old, _ in edits):
        return None
    for old, new in edits:
        if city and old not in text:
            raise SystemExit(f"bench_look_parts: the city shader no longer has {old!r}; update EDITS")
        text = text.replace(old, new)
    return Shader.make(Shader.SL_GLSL, shader.get_text(Shader.ST_vertex), text)


def main() -> None:
    parser = workload_parser(__doc__, seconds=2.0)
    parser.add_argument("--view", choices=("overview", "moving", "street"), default="overview")
    parser.add_argument("--turns", type=int, default=120)
    parser.add_argument("--parts", default="shadow,read,spread,haze,facades,sky,all")
    args = parser.parse_args()
    parts = args.parts.split(",")
    for part in parts:  # a part may join others with "+": haze+facades
        unknown = [name for name in part.split("+") if name not in EDITS]
        if unknown:
            parser.error(f"--parts: unknown part {unknown[0]!r} (known: {', '.join(EDITS)})")
        EDITS.setdefault(part, [edit for name in part.split("+") for edit in EDITS[name]])
    frames = (args.turns + WARM_TURNS) * (len(parts) + 1)
    size, scene, updates, crs, _ = workload(args, frames)
    scene = dataclasses.replace(scene, config=dataclasses.replace(scene.config, look="full", time=parse_time(WHEN)))
    render_look.scene_look = lambda s: dataclasses.replace(SCENE_LOOK(s), soft_shadows=False)
    feed = Timeline(updates, crs)
    from panda3d.core import ShaderAttrib

    with live_view(scene, feed, size, options=live_options(args), multisamples=0) as lv:
        if args.view == "street":
            lv.view.set_pose(street_pose(lv))
        move = 3.0 if args.view == "moving" else 0.0
        shaded = [(n, n.get_shader()) for n in lv.base.render.find_all_matches("**")
                  if n.get_shader() is not None]
        city = lv.stage.root.find("city")
        sky = lv.stage.root.find("sky")
        variants = {part: [(n, edited(s, part, n == city) or s) for n, s in shaded] for part in parts}
        variants["look"] = shaded

        def use(name: str) -> None:
            for node, shader in variants[name]:
                node.set_shader(shader, node.get_state().get_attrib(ShaderAttrib).get_shader_priority())
            if not sky.is_empty():
                sky.hide() if {"sky", "all"} & set(name.split("+")) else sky.show()

        times: dict[str, list[float]] = {name: [] for name in variants}
        shuffle = random.Random(3)
        for turn in range(args.turns + WARM_TURNS):
            order = list(variants)
            shuffle.shuffle(order)
            for name in order:
                use(name)
                ms = draw_ms(lv, feed, 1, move, warm=0)  # bench_look's frame: the feed, the view, the draw
                if turn >= WARM_TURNS:
                    times[name].append(ms)
                if (turn + 1) % 30 == 0 and name == order[-1]:
                    print(f"  turn {turn + 1}/{args.turns + WARM_TURNS}", file=sys.stderr)
    print(f"{args.view}: the window's full look, {args.turns} turns, load average {os.getloadavg()[0]:.1f}")
    print(f"  the whole look {statistics.median(times['look']):6.1f} ms CPU a frame (median)")
    for part in parts:
        saved = [whole - without for whole, without in zip(times["look"], times[part], strict=True)]
        quarter = sorted(saved)[len(saved) // 4], sorted(saved)[3 * len(saved) // 4]
        print(f"  without {part:8s} {statistics.median(times[part]):6.1f} ms: the part costs "
              f"{statistics.median(saved):5.1f} ms (middle half of the turns {quarter[0]:.1f} to {quarter[1]:.1f})")


if __name__ == "__main__":
    main()
