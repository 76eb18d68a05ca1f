/**
 * The room page: reads the room from the path and the token from the link's fragment (which never reaches
 * a server), loads /scene.json and the tiles, joins over the websocket, connects to the live feed of
 * /feed.json (asked with the join token: net/web_assets.py rule 6) and wires the UI.
 * `window.citiverse` exposes the page's state and a few actions for scripts and tests.
 */

import { parseInput, CommandError } from "./commands";
import { Status } from "./connection";
import { openLink } from "./link";
import { FeedClient, FrameMap } from "./feed/client";
import { Frame, SceneInfo } from "./frame";
import { LiveLayers } from "./live";
import { ClientMessage, Vec3 } from "./protocol";
import { Room } from "./room";
import { Ui } from "./ui";
import { View } from "./view";

const POSE_HZ = 12;
const TOKEN_KEY = "citiverse-token:";

function roomFromPath(): string | null {
  const m = /^\/rooms\/([A-Za-z0-9][A-Za-z0-9._-]{0,63})\/?$/.exec(location.pathname);
  return m ? m[1] : null;
}

/** The token from #token=..., moved into this tab's session storage so the address bar no longer shows it. */
function takeToken(room: string): string | null {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get("token");
  if (token) {
    sessionStorage.setItem(TOKEN_KEY + room, token);
    history.replaceState(null, "", location.pathname + location.search);
    return token;
  }
  return sessionStorage.getItem(TOKEN_KEY + room);
}

async function fetchJson(url: string): Promise<unknown | null> {
  const response = await fetch(url);
  return response.ok ? response.json() : null;
}

/** The live feed of /feed.json, or null when the server has none (or refuses this token). */
async function startFeed(token: string, view: View, info: SceneInfo | null, clock: () => number): Promise<FeedClient | null> {
  const response = await fetch("/feed.json", { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) {
    console.warn(`feed: /feed.json answered ${response.status}: no live layers`);
    return null;
  }
  const config = (await response.json()) as { urls: string[]; token: string | null };
  if (!config.urls?.length) return null;
  const fetchMap = async (crs: string): Promise<FrameMap> => {
    const reply = await fetch(`/frame/${encodeURIComponent(crs)}.json`);
    const body = await reply.json();
    if (!reply.ok) throw new Error(body.reason ?? `the server answered ${reply.status}`);
    return body as FrameMap;
  };
  const lo = info?.bounds.min ?? [0, 0, 0], hi = info?.bounds.max ?? [0, 0, 0];
  const feed = new FeedClient(config.urls, config.token, lo[2], clock, fetchMap);
  view.live = new LiveLayers(view.scene, view.frame, feed, [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, lo[2]], 1,
    info?.layers ?? {});
  feed.start();
  return feed;
}

async function main(): Promise<void> {
  const room = roomFromPath();
  const ui = new Ui();
  if (!room) return ui.fatal("This is not a room page: open the link you were given (/rooms/NAME/#token=...).");
  const token = takeToken(room);
  if (!token) return ui.fatal("This link has no join token: ask the host for a link made with `citiverse meet token --link`.");

  const info = (await fetchJson("/scene.json")) as SceneInfo | null;
  const frame = new Frame(info);
  const view = new View(ui.canvas, frame, info);
  if (info?.tileset) {
    const tileset = (await fetchJson(info.tileset)) as { root?: { transform?: number[] } } | null;
    view.loadTiles(info.tileset, tileset?.root?.transform ?? null);
  }
  const state = new Room();
  const clock = () => performance.now() / 1000;
  const feed = await startFeed(token, view, info, clock);
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const connection = openLink(`${scheme}://${location.host}/${room}`, token, new URL("socket.js", import.meta.url),
    (m) => {
      state.apply(m, clock());
      if (m.type === "state" && view.myPointer && !m.participants.find((p) => p.id === state.me?.you)?.pointer) {
        // the room lost my pointer (sent into a socket the server was closing): point again after a rejoin
        const ray = view.myPointer;
        setTimeout(() => connection.send({ type: "pointer", target: ray.target, origin: ray.origin }), 0);
      }
      if (m.type === "notice") ui.notice(m.reason);
      if (m.type === "follow" || m.type === "state") {
        view.following = state.follow !== null && state.follow !== state.me?.you ? state.follow : null;
        view.detached = false;
      }
      ui.refresh(state);
    },
    (s: Status, reason: string) => ui.status(s, reason, room));
  const send = (m: ClientMessage) => connection.send(m);

  const submit = (text: string): string | null => {
    try {
      const message = parseInput(text, state);
      if (message) send(message);
      return null;
    } catch (err) {
      if (err instanceof CommandError) return err.message;
      throw err;
    }
  };
  const pointAt = (target: Vec3 | null) => {
    const origin = view.myPose().e;
    view.myPointer = target ? { origin, target } : null;
    send(target ? { type: "pointer", target, origin } : { type: "pointer", target: null });
  };
  ui.bind({ submit, send, state, view, pointAt });
  const bookmarks = info?.bookmarks ?? [];
  const flyToBookmark = (name: string): boolean => {
    const b = bookmarks.find((x) => x.name === name);
    if (b) view.flyToView(b.position, b.look_at, b.fov);
    return b !== undefined;
  };
  ui.bookmarks(bookmarks, (b) => flyToBookmark(b.name));

  let lastSent = "";
  let lastTime = 0;
  setInterval(() => {
    connection.alive(); // the page's sign of life for the keepalive off this thread (connection.ts rule 3)
    if (connection.status !== "live") return;
    const pose = view.myPose();
    const key = JSON.stringify([pose.p.map((v) => v.toFixed(2)), pose.h.toFixed(1), pose.pi.toFixed(1)]);
    if (key === lastSent && clock() - lastTime < 1) return;
    lastSent = key;
    lastTime = clock();
    send({ type: "pose", ...pose });
  }, 1000 / POSE_HZ);

  const loop = () => {
    view.draw(state, clock());
    ui.live(view.live, feed, state);
    ui.frame();
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  connection.start();

  (window as unknown as { citiverse: object }).citiverse = {
    snapshot: () => ({ status: connection.status, reason: connection.reason, rejoins: connection.rejoins,
      thread: connection.thread, room, ...state.snapshot(clock()),
      tilesLoaded: view.tilesLoaded, frames: view.frames, camera: view.myPose(),
      following: view.detached ? null : view.following, scene: info?.name ?? null, mode: view.nav.mode,
      target: frame.toLocal(view.controls.target.toArray() as Vec3), pinMarkers: view.pinMarkers.count,
      cost: { ...view.cost },
      feed: feed ? { status: feed.status, reason: feed.reason, crs: feed.crs, messages: feed.messages,
        vehicles: feed.state.vehicles.n, roads: feed.state.roads.size, buildings: feed.state.buildings.size,
        drawn: view.live?.drawn ?? 0, coloured: view.live?.coloured ?? 0, time: feed.clock.now(clock()),
        visible: view.live?.visible, legends: view.live?.legends().map((l) => l.title) } : null }),
    say: (text: string) => submit(text),
    /** The scene's camera bookmarks; fly to one by name (false when there is none of that name). */
    bookmarks: () => bookmarks.map((b) => b.name),
    bookmark: (name: string) => flyToBookmark(name),
    /** The colour (bytes) the page gives `layer`'s feature `id` now, and its legend title (tests). */
    featureColour: (layer: "roads" | "buildings", id: string) => view.live?.colourOf(layer, id) ?? null,
    /** The first `n` readings of `layer` with the colour the page gives each (tests compare with the desktop). */
    coloured: (layer: "roads" | "buildings", n: number) => [...(feed?.state[layer].entries() ?? [])].slice(0, n)
      .map(([id, r]) => ({ id, values: r.values, rgb: view.live?.colourOf(layer, id) ?? null })),
    pointAt: (x: number, y: number, z: number) => pointAt([x, y, z]),
    /** Drop a pin for the room at local (x, y, z) with `note`; remove pin `id`; where pin `id` is on the screen. */
    pin: (x: number, y: number, z: number, note = "") => send({ type: "pin", p: [x, y, z], note }),
    unpin: (id: number) => send({ type: "unpin", pin: id }),
    pinScreen: (id: number) => {
      const pin = state.pins.get(id);
      return pin ? view.toScreen(pin.p) : null;
    },
    pick: (x: number, y: number) => view.pick(x, y),
    pickObject: (x: number, y: number) => view.pickObject(x, y),
    /** Put the camera at local `eye` looking at local `target` (orbit mode), for scripts and tests. */
    look: (eye: Vec3, target: Vec3) => view.lookAt(eye, target),
  };
}

main().catch((err) => {
  console.error(err);
  document.body.insertAdjacentHTML("beforeend", `<div class="fatal">The page failed: ${String(err)}</div>`);
});
