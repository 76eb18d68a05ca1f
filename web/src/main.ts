/**
 * The room page: reads the room from the path and the token from the link's fragment (which never reaches
 * a server), loads /scene.json and the tiles, joins over the websocket and wires the UI.
 * `window.citiverse` exposes the page's state and a few actions for scripts and tests.
 */

import { parseInput, CommandError } from "./commands";
import { Connection, Status } from "./connection";
import { Frame, SceneInfo } from "./frame";
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
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const connection = new Connection(`${scheme}://${location.host}/${room}`, token,
    (m) => {
      state.apply(m, clock());
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

  let lastSent = "";
  let lastTime = 0;
  setInterval(() => {
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
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  connection.start();

  (window as unknown as { citiverse: object }).citiverse = {
    snapshot: () => ({ status: connection.status, reason: connection.reason, room, ...state.snapshot(clock()),
      tilesLoaded: view.tilesLoaded, frames: view.frames, camera: view.myPose(),
      following: view.detached ? null : view.following, scene: info?.name ?? null }),
    say: (text: string) => submit(text),
    pointAt: (x: number, y: number, z: number) => pointAt([x, y, z]),
    pick: (x: number, y: number) => view.pick(x, y),
  };
}

main().catch((err) => {
  console.error(err);
  document.body.insertAdjacentHTML("beforeend", `<div class="fatal">The page failed: ${String(err)}</div>`);
});
