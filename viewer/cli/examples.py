"""The examples each `citiverse COMMAND --help` ends with (keys: "view", "feed serve", ...)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

Command = Callable[[str, str], argparse.ArgumentParser]  # command(name, help) -> its parser, examples attached


def subcommands(parser: argparse.ArgumentParser, dest: str, group: str,
                entries: tuple[tuple[str, str], ...]) -> dict[str, argparse.ArgumentParser]:
    """The SUBCOMMAND parsers of `citiverse GROUP`, each with its help and examples."""
    sub = parser.add_subparsers(dest=dest, required=True, metavar="SUBCOMMAND")
    for name, text in entries:
        sub.add_parser(name, help=text, description=text, epilog=EXAMPLES[f"{group} {name}"],
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    return dict(sub.choices)


EXAMPLES = {
    "view": """examples:
  citiverse view scenes/demo.toml
  citiverse view ../shared/data/cityjson_delft/delft.json --camera overview
  citiverse view model.geojson --crs EPSG:3946 --height-attribute HAUTEUR
  citiverse view scenes/demo.toml --feed ws://127.0.0.1:8765/
  citiverse view scenes/demo.toml --feed 'nats://127.0.0.1:4222?subject=demo'     # straight from the bus
  citiverse view scenes/demo.toml --feed run.feed.jsonl.gz --speed 4 --loop
  citiverse view scenes/demo.toml --meet ws://127.0.0.1:8767/delft --token "$T" --name Ana""",
    "render": """examples:
  citiverse render scenes/demo.toml --out demo.png
  citiverse render ../shared/data/cityjson_delft/delft.json --out delft.png --size 1920x1080
  citiverse render scenes/demo.toml --camera street --out street.png
  citiverse render scenes/demo.toml --feed ws://127.0.0.1:8765/ --out live.png
  citiverse render scenes/demo.toml --feed run.feed.jsonl.gz --at +30 --layers vehicles,buildings --out t30.png""",
    "inspect": """examples:
  citiverse inspect ../shared/data/cityjson_denhaag/DenHaag_01.city.json
  citiverse inspect ../shared/data/osm_monaco/derived/monaco_buildings.geojson --json
  citiverse inspect ../shared/data/cityjson_3dbag_multilod/multi_lod.json --crs EPSG:7415 --lod 1.2""",
    "tile": """examples:
  citiverse tile ../shared/data/cityjson_delft/delft.json --out delft-tiles
  citiverse tile scenes/demo.toml --out demo-tiles --max-features-per-tile 500
  citiverse -q tile big.city.jsonl --out big-tiles""",
    "shadow": """examples:
  citiverse shadow ../shared/data/cityjson_denhaag/DenHaag_01.city.json --date 2026-03-21 --tz Europe/Amsterdam \\
      --from 08:00 --to 16:00 --step 10min --out sun-hours.png
  citiverse shadow city.toml --date 2026-06-21 --out roofs.csv --resolution 0.5
  citiverse shadow city.toml --date 2026-03-21 --area=-100,-100,100,100 --out sun-hours.tif""",
    "demo": """examples:
  citiverse demo                       # a window with a display, else renders citiverse-demo.mp4
  citiverse demo --headless --seconds 20 --size 1920x1080 --out tour.mp4
  citiverse demo --headless --out city.png --seed 7 --buildings 5000""",
    "feed": """examples:
  citiverse feed serve --scene scenes/demo.toml --source demo
  citiverse feed record ws://127.0.0.1:8765/ --out run.feed.jsonl.gz --duration 60
  citiverse feed serve --source replay --file run.feed.jsonl.gz --loop
  citiverse feed publish --scene scenes/demo.toml --source demo --nats nats://127.0.0.1:4222 --subject demo
  citiverse feed serve --nats nats://127.0.0.1:4222 --subject demo --port 8765     # one edge of many""",
    "feed publish": """examples:
  citiverse feed publish --scene scenes/demo.toml --source demo --nats nats://127.0.0.1:4222 --subject demo
  citiverse feed publish --source mqtt --broker mqtt://127.0.0.1:1883 --mapping sensors.toml \\
      --nats nats://127.0.0.1:4222 --subject city --history-hours 48""",
    "feed serve": """examples:
  citiverse feed serve --scene scenes/demo.toml --source demo --vehicles 5000 --port 8765
  citiverse feed serve --source replay --file run.feed.jsonl.gz --speed 4 --loop
  citiverse feed serve --source sumo --sumocfg ../shared/data/sumo_a10kw_berlin_pypi/a10kw.sumocfg
  citiverse feed serve --source sumo --file run.fcd.xml.gz --net osm.net.xml --speed 2
  citiverse feed serve --scene city.toml --source csv --file meters.csv --mapping meters.toml --speed 3600
  citiverse feed serve --source ngsi --ngsi-port 8766 --mapping roads.toml
  citiverse feed serve --source mqtt --broker mqtt://127.0.0.1:1883 --mapping sensors.toml
  citiverse feed serve --nats nats://127.0.0.1:4222 --subject demo --port 8765     # an edge of a bus
  citiverse feed serve --nats nats://127.0.0.1:4222 --subject demo --from 2026-01-05T08:00 --to 2026-01-05T09:00
  citiverse feed serve --scene scenes/demo.toml --source demo --host 0.0.0.0 \\
      --token-file feed.token --cert server.pem --key server.key      # wss:// with a bearer token""",
    "feed record": """examples:
  citiverse feed record ws://127.0.0.1:8765/ --out run.feed.jsonl.gz --duration 60
  citiverse feed record wss://twin.example.org/feed --token-file feed.token --cafile ca.pem --out run.feed.jsonl.gz
  citiverse feed record ws://127.0.0.1:8765/ --out columns.feed.jsonl.gz --encoding columns --kinds vehicle
  citiverse feed record --source demo --scene scenes/demo.toml --start 2024-03-12T07:00 --duration 60 --out demo.feed.jsonl.gz
  citiverse feed record --source csv --scene city.toml --file meters.csv --mapping meters.toml --out day.feed.jsonl.gz
  citiverse feed record --nats nats://127.0.0.1:4222 --subject demo --from 2026-01-05T08:00 --to 2026-01-05T08:30 \\
      --out morning.feed.jsonl.gz""",
    "flythrough": """examples:
  citiverse flythrough bookmarks scenes/demo.toml --name tour --seconds 6
  citiverse flythrough list scenes/demo.toml
  citiverse flythrough render scenes/demo.toml --path tour --out tour.mp4
  citiverse flythrough render scenes/demo.toml --path tour --feed run.feed.jsonl.gz --out tour.mp4 --size 1920x1080""",
    "flythrough render": """examples:
  citiverse flythrough render scenes/demo.toml --path tour --out tour.mp4
  citiverse flythrough render scenes/demo.toml --path tour --feed run.feed.jsonl.gz --feed-start +30 --out tour.mp4
  citiverse flythrough render city.toml --paths talks.flythrough.toml --path intro --fps 60 --size 1920x1080 --out intro.mp4
  citiverse flythrough render city.toml --path day --feed meters.feed.jsonl.gz --feed-speed 3600 --out day.mp4
  citiverse flythrough render city.toml --meeting council.meeting.jsonl.gz --eyes Ana --out council-ana.mp4
  citiverse flythrough render city.toml --meeting council.meeting.jsonl.gz --follow Bo --out council-bo.mp4""",
    "flythrough list": """examples:
  citiverse flythrough list scenes/demo.toml
  citiverse flythrough list scenes/demo.toml --paths talks.flythrough.toml""",
    "flythrough bookmarks": """examples:
  citiverse flythrough bookmarks scenes/demo.toml --name tour
  citiverse flythrough bookmarks scenes/demo.toml --name dive --cameras overview,street --seconds 8 --constant-speed""",
    "alerts": """examples:
  citiverse alerts city.toml --feed run.feed.jsonl.gz
  citiverse alerts city.toml --feed run.feed.jsonl.gz --from +60 --to +600 --csv --out alerts.csv
  citiverse alerts city.toml --feed nightly.feed.jsonl.gz --fail-on critical     # exit 1 in CI on a critical""",
    "meet": """examples:
  citiverse meet serve                                   # ws://127.0.0.1:8767, secret in ~/.config/citiverse
  citiverse meet token --room delft --name Ana --role host --secret-file meeting.secret""",
    "meet serve": """examples:
  citiverse meet serve
  citiverse meet serve --host 0.0.0.0 --port 8767 --secret-file meeting.secret
  citiverse meet serve --web --scene scenes/demo.toml        # also room pages for browsers (docs/web.md)
  citiverse meet serve --web --scene city.toml --cert cert.pem --key key.pem --host 0.0.0.0
  citiverse meet serve --nats nats://127.0.0.1:4222 --port 8767 --secret-file meeting.secret   # one of several""",
    "meet replay": """examples:
  citiverse meet replay ~/.local/share/citiverse/meetings/delft-20261207-093000.meeting.jsonl.gz --scene scenes/demo.toml
  citiverse meet replay council.meeting.jsonl.gz --scene city.toml --eyes Ana --start 120""",
    "meet minutes": """examples:
  citiverse meet minutes council.meeting.jsonl.gz --out minutes.md
  citiverse meet minutes council.meeting.jsonl.gz --scene city.toml --out minutes.html --clips""",
    "meet token": """examples:
  citiverse meet token --room delft --name Ana --role host --secret-file meeting.secret
  citiverse meet token --room delft --name Bo --role guest --ttl 3600 --secret-file meeting.secret
  T=$(citiverse meet token --room delft --name Bo --role guest --secret-file meeting.secret)
  citiverse meet token --room delft --name Cy --role guest --link http://127.0.0.1:8767   # a browser link""",
}
