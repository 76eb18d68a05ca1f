/**
 * The page's HTML parts around the 3D view: status line, participant list (with the host's mute and remove
 * buttons), chat, host controls (follow me, shared layers, shared feed time), the live layers' legend with
 * the feed's state, the help (nav.ts HELP), the room's pins (pins panel, note prompt, the note of the pin
 * under the mouse or clicked) and the keys of the desktop (Enter chat, P point, J follow, F2 list, F5 follow
 * me, Insert pin, Delete unpin, H help, L legend). Text from others only ever goes in as textContent.
 */

import { FeedClient } from "./feed/client";
import { LegendData } from "./feed/styles";
import type { Bookmark } from "./frame";
import { LiveLayers } from "./live";
import { HELP } from "./nav";
import { DELETE_PX, HOVER_PX, nearestPin, pinLabel } from "./pins";
import { ClientMessage, encodeClient, MAX_PIN_NOTE, MessageError, RoomPin, Vec3 } from "./protocol";
import { Room } from "./room";
import { colourOf, View } from "./view";

export interface Actions {
  submit(text: string): string | null;
  send(m: ClientMessage): void;
  pointAt(target: Vec3 | null): void;
  state: Room;
  view: View;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = "", text = ""): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
}

export class Ui {
  canvas = el("canvas", "view");
  private statusLine = el("div", "status", "loading...");
  private people = el("div", "panel people");
  private hostBar = el("div", "panel host");
  private chatLog = el("div", "chat-log");
  private chatInput = el("input", "chat-input");
  private error = el("div", "chat-error");
  private actions: Actions | null = null;
  private mouse: [number, number] | null = null;
  private shownChat = 0;
  private legend = el("div", "panel legend");
  private legendKey = "";
  private help = el("div", "panel help");
  private pinsPanel = el("div", "panel pins");
  private viewsPanel = el("div", "panel views");
  private pinsKey = "";
  private pinPrompt = el("div", "panel pin-prompt");
  private pinNote = el("input", "pin-note");
  private pinAt: { point: Vec3; object: string } | null = null; // where the prompted pin goes, on what
  private pinTip = el("div", "pin-tip");
  private selectedPin: number | null = null;
  private pinNews = el("div", "hint pin-news");
  private shownNews: RoomPin | null = null;

  constructor() {
    const chat = el("div", "panel chat");
    this.chatInput.placeholder = "Enter: chat  (/help for commands)";
    this.chatInput.maxLength = 500;
    chat.append(this.chatLog, this.pinNews, this.error, this.chatInput);
    this.pinNote.placeholder = "a short note (optional)";
    this.pinNote.maxLength = MAX_PIN_NOTE;
    this.pinPrompt.append(el("div", "title", "Pin for the room (Enter drops it, Esc cancels)"), this.pinNote);
    this.pinPrompt.hidden = true;
    this.pinTip.hidden = true;
    const rows = HELP.map(([keys, what]) => {
      const row = el("tr");
      row.append(el("td", "keys", keys), el("td", "", what));
      return row;
    });
    const table = el("table");
    table.append(...rows);
    const title = el("div", "title", "Keys (H)");
    title.addEventListener("click", () => this.help.classList.toggle("open"));
    this.help.append(title, table);
    this.legend.hidden = true;
    this.viewsPanel.hidden = true;
    document.body.append(this.canvas, this.statusLine, this.people, this.pinsPanel, this.viewsPanel, this.hostBar, chat, this.help, this.legend,
      this.pinPrompt, this.pinTip);
  }

  fatal(text: string): void {
    this.statusLine.textContent = text;
    this.statusLine.classList.add("bad");
  }

  status(s: string, reason: string, room: string): void {
    this.statusLine.textContent = s === "live" ? `room ${room}` : `room ${room}: ${s}${reason ? ` (${reason})` : ""}`;
    this.statusLine.classList.toggle("bad", s !== "live");
  }

  bind(actions: Actions): void {
    this.actions = actions;
    this.chatInput.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        const problem = actions.submit(this.chatInput.value);
        this.error.textContent = problem ?? "";
        if (!problem) this.chatInput.value = "";
        e.preventDefault();
      } else if (e.key === "Escape") {
        this.chatInput.blur();
      }
      e.stopPropagation();
    });
    this.canvas.addEventListener("pointermove", (e) => { this.mouse = [e.clientX, e.clientY]; });
    this.canvas.addEventListener("pointerleave", () => { this.mouse = null; }); // over a panel: aim at the centre
    window.addEventListener("keydown", (e) => this.key(e));
    this.bindPins(actions);
  }

  private bindPins(a: Actions): void {
    this.pinNote.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && this.pinAt) {
        const pin: ClientMessage = { type: "pin", p: this.pinAt.point, note: this.pinNote.value, object: this.pinAt.object };
        try {
          encodeClient(pin); // a note the server would refuse (format characters only) is said here, not sent
        } catch (err) {
          if (!(err instanceof MessageError)) throw err;
          this.error.textContent = `the pin's note: ${err.message}`;
          e.stopPropagation();
          return;
        }
        a.send(pin);
        this.error.textContent = "";
        this.closePinPrompt();
        e.preventDefault();
      } else if (e.key === "Escape") {
        this.closePinPrompt();
      }
      e.stopPropagation();
    });
    this.canvas.addEventListener("click", (e) => {
      const hit = nearestPin(this.pinsOnScreen(a), [e.clientX, e.clientY], HOVER_PX);
      this.selectedPin = hit === this.selectedPin ? null : hit;
      this.pinsKey = "";
      this.drawPins(a.state);
    });
  }

  /** Where the user aims: the mouse, or the view's centre while the pointer is locked or before it moved. */
  private aim(): [number, number] {
    const rect = this.canvas.getBoundingClientRect();
    const centre: [number, number] = [rect.left + rect.width / 2, rect.top + rect.height / 2];
    return document.pointerLockElement === this.canvas || !this.mouse ? centre : this.mouse;
  }

  /** Insert: the note prompt for a pin at what is under the aim (the city or the ground). */
  openPinPrompt(): void {
    const a = this.actions;
    if (!a) return;
    const [x, y] = this.aim();
    const at = a.view.pickObject(x, y);
    if (!at) {
      this.error.textContent = "nothing under the cursor to pin (aim at the city or the ground)";
      return;
    }
    if (document.pointerLockElement) document.exitPointerLock();
    this.pinAt = at;
    this.pinPrompt.hidden = false;
    this.pinNote.value = "";
    this.pinNote.focus();
  }

  private closePinPrompt(): void {
    this.pinAt = null;
    this.pinPrompt.hidden = true;
    this.pinNote.blur();
  }

  /** Delete: remove the pin nearest the aim that I may remove, within DELETE_PX pixels. */
  private removeNearestPin(a: Actions): void {
    const mine = this.pinsOnScreen(a).filter(([id]) => a.state.mayRemove(a.state.pins.get(id)!));
    const id = nearestPin(mine, this.aim(), DELETE_PX);
    if (id === null) this.error.textContent = a.state.isHost ? "no pin near the cursor" : "no pin of yours near the cursor";
    else a.send({ type: "unpin", pin: id });
  }

  private pinsOnScreen(a: Actions): [number, [number, number]][] {
    const out: [number, [number, number]][] = [];
    for (const [id, pin] of a.state.pins) {
      const xy = a.view.toScreen(pin.p);
      if (xy) out.push([id, xy]);
    }
    return out;
  }

  /** A refusal from the server (a pin over the limits, an unpin not allowed, ...), under the chat. */
  notice(reason: string): void {
    this.error.textContent = reason;
  }

  /** Every frame: the note of the clicked pin, else of the pin under the mouse, beside its marker. */
  frame(): void {
    const a = this.actions;
    if (!a) return;
    if (this.selectedPin !== null && !a.state.pins.has(this.selectedPin)) this.selectedPin = null;
    const hovered = this.mouse && document.pointerLockElement !== this.canvas
      ? nearestPin(this.pinsOnScreen(a), this.mouse, HOVER_PX) : null;
    const id = this.selectedPin ?? hovered;
    const pin = id === null ? undefined : a.state.pins.get(id);
    const xy = pin ? a.view.toScreen(pin.p) : null;
    if (!pin || !xy) {
      this.pinTip.hidden = true;
      return;
    }
    if (this.pinTip.dataset.id !== String(pin.id)) {
      this.pinTip.dataset.id = String(pin.id);
      this.pinTip.textContent = pinLabel(pin);
      this.pinTip.style.borderLeftColor = `#${colourOf(pin.from).getHexString()}`;
    }
    this.pinTip.style.left = `${Math.round(xy[0] + 12)}px`;
    this.pinTip.style.top = `${Math.round(xy[1] - 34)}px`;
    this.pinTip.hidden = false;
  }

  private key(e: KeyboardEvent): void {
    const a = this.actions;
    if (!a || document.activeElement instanceof HTMLInputElement) return;
    if (e.code === "Insert") {
      this.openPinPrompt();
      e.preventDefault();
    } else if (e.code === "Delete") {
      this.removeNearestPin(a);
      e.preventDefault();
    } else if (e.key === "Escape" && this.selectedPin !== null) {
      this.selectedPin = null;
      this.pinsKey = "";
      this.drawPins(a.state);
    } else if (e.key === "Enter") {
      this.chatInput.focus();
      e.preventDefault();
    } else if (e.code === "KeyP") {
      const rect = this.canvas.getBoundingClientRect();
      const [x, y] = this.mouse ?? [rect.left + rect.width / 2, rect.top + rect.height / 2];
      a.pointAt(a.view.pick(x, y));
    } else if (e.code === "KeyJ") {
      if (a.view.following !== null) a.view.detached = !a.view.detached;
      else if (a.state.follow !== null && a.state.follow !== a.state.me?.you) a.view.following = a.state.follow;
    } else if (e.code === "KeyH") {
      this.help.classList.toggle("open");
    } else if (e.code === "KeyL") {
      this.legend.classList.toggle("off");
    } else if (e.code === "F2") {
      this.people.hidden = !this.people.hidden;
      e.preventDefault();
    } else if (e.code === "F5" && a.state.isHost) {
      a.send({ type: "follow", on: a.state.follow !== a.state.me?.you });
      e.preventDefault();
    }
  }

  /** The legend and the feed's state line, redrawn only when what they say changes. */
  live(layers: LiveLayers | null, feed: FeedClient | null, room: Room): void {
    if (!layers || !feed) return;
    const legends = layers.legends();
    let status = feed.status === "live" ? `feed live: ${feed.state.vehicles.n} vehicles`
      : `feed ${feed.status}${feed.reason ? `: ${feed.reason}` : ""}`;
    if (room.feedTime !== null) {
      status += ` (the host's feed time is ${new Date(room.feedTime * 1000).toISOString().slice(0, 19)} UTC; the page shows live data)`;
    }
    const key = JSON.stringify([status, legends]);
    if (key === this.legendKey) return;
    this.legendKey = key;
    this.legend.hidden = false;
    this.legend.replaceChildren(el("div", feed.status === "live" ? "hint" : "hint bad", status), ...legends.map(legendBlock));
  }

  refresh(room: Room): void {
    this.drawPeople(room);
    this.drawHost(room);
    this.drawChat(room);
    this.drawPins(room);
    this.drawPinNews(room);
  }

  /** The pins panel: one row per pin (its author's colour, note, author), a click flies there; "remove" on
   * the pins I may remove. Rebuilt only when the pins change, so a click is never lost to a redraw. */
  private drawPins(room: Room): void {
    const a = this.actions;
    if (!a) return;
    const pins = [...room.pins.values()];
    const key = JSON.stringify([this.selectedPin, pins.map((p) => [p.id, p.note, p.name, room.mayRemove(p)])]);
    if (key === this.pinsKey) return;
    this.pinsKey = key;
    const add = this.button("pin (Insert)", () => this.openPinPrompt());
    const title = el("div", "title", `${pins.length} pin${pins.length === 1 ? "" : "s"}`);
    title.append(add);
    const rows = pins.map((pin) => {
      const row = el("div", pin.id === this.selectedPin ? "pin-row selected" : "pin-row");
      row.dataset.id = String(pin.id);
      const dot = el("span", "dot");
      dot.style.background = `#${colourOf(pin.from).getHexString()}`;
      const label = el("span", "pin-label", pinLabel(pin));
      label.title = "fly there";
      label.addEventListener("click", () => {
        this.selectedPin = pin.id;
        this.pinsKey = "";
        this.drawPins(a.state);
        a.view.flyTo(pin.p);
      });
      row.append(dot, label);
      if (room.mayRemove(pin)) row.append(this.button("remove", () => a.send({ type: "unpin", pin: pin.id })));
      return row;
    });
    this.pinsPanel.replaceChildren(title, ...rows);
  }

  /** The scene's camera bookmarks (scene.json `bookmarks`): one row each, a click flies there. */
  bookmarks(list: Bookmark[], fly: (b: Bookmark) => void): void {
    this.viewsPanel.hidden = list.length === 0;
    const rows = list.map((b) => {
      const row = el("div", "view-row", b.name);
      row.dataset.name = b.name;
      row.title = "fly there";
      row.addEventListener("click", () => fly(b));
      return row;
    });
    this.viewsPanel.replaceChildren(el("div", "title", "Views:"), ...rows);
  }

  private drawPinNews(room: Room): void {
    if (room.newPin === this.shownNews) return;
    this.shownNews = room.newPin;
    this.pinNews.textContent = room.newPin ? `${room.newPin.name} pinned: ${room.newPin.note || "(no note)"}` : "";
  }

  private drawPeople(room: Room): void {
    const rows: HTMLElement[] = [el("div", "title", `${room.members.size + 1} here${room.recording ? "  REC" : ""}`)];
    if (room.me) rows.push(this.person(room.me.you, `${room.me.name} (you${room.me.role === "host" ? ", host" : ""})`, room));
    for (const m of room.members.values()) {
      const tags = [m.info.role === "host" ? "host" : "", m.info.muted ? "muted" : "", room.follow === m.info.id ? "leading" : ""]
        .filter(Boolean).join(", ");
      const row = this.person(m.info.id, `${m.info.name}${tags ? ` (${tags})` : ""}`, room);
      if (room.isHost && m.info.role === "guest") {
        row.append(this.button(m.info.muted ? "unmute" : "mute", () => this.actions?.send({ type: "mute", target: m.info.id, muted: !m.info.muted })),
          this.button("remove", () => this.actions?.send({ type: "remove", target: m.info.id })));
      }
      rows.push(row);
    }
    this.people.replaceChildren(...rows);
  }

  private person(id: number, text: string, room: Room): HTMLElement {
    const row = el("div", "person");
    row.dataset.id = String(id);
    const dot = el("span", "dot");
    dot.style.background = `#${colourOf(id).getHexString()}`;
    row.append(dot, el("span", "name", text));
    if (room.follow === id && room.me?.you !== id) row.classList.add("leading");
    return row;
  }

  private button(text: string, onClick: () => void): HTMLButtonElement {
    const b = el("button", "", text);
    b.addEventListener("click", onClick);
    return b;
  }

  private drawHost(room: Room): void {
    const a = this.actions;
    this.hostBar.hidden = !room.isHost;
    if (!room.isHost || !a) return;
    const leading = room.follow === room.me?.you;
    const layerRows = Object.entries(room.layers).map(([name, visible]) => {
      const label = el("label", "layer");
      const box = el("input");
      box.type = "checkbox";
      box.checked = visible;
      box.addEventListener("change", () => a.send({ type: "layer", name, visible: box.checked }));
      label.append(box, document.createTextNode(` ${name}`));
      return label;
    });
    const time = el("input", "time");
    time.placeholder = "feed time (Unix s)";
    time.addEventListener("keydown", (e) => {
      if (e.key === "Enter") this.error.textContent = a.submit(`/time ${time.value.trim() || "live"}`) ?? "";
      e.stopPropagation();
    });
    this.hostBar.replaceChildren(el("div", "title", "host"),
      this.button(leading ? "stop follow me" : "follow me", () => a.send({ type: "follow", on: !leading })),
      ...layerRows, time, this.button("live", () => a.send({ type: "feed_time", time: null })),
      el("div", "hint", room.feedTime === null ? "feed: live" : `feed: ${new Date(room.feedTime * 1000).toISOString()}`));
  }

  private drawChat(room: Room): void {
    if (room.chat.length === this.shownChat && this.chatLog.childElementCount === room.chat.length) return;
    this.chatLog.replaceChildren(...room.chat.map((c) => {
      const line = el("div", "line");
      const who = el("b", "", `${c.name}: `);
      who.style.color = `#${colourOf(c.from).getHexString()}`;
      line.append(who, document.createTextNode(c.text));
      return line;
    }));
    this.shownChat = room.chat.length;
    this.chatLog.scrollTop = this.chatLog.scrollHeight;
  }
}

function swatch(rgb: number[]): HTMLElement {
  const box = el("span", "swatch");
  box.style.background = `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
  return box;
}

function legendBlock(legend: LegendData): HTMLElement {
  const block = el("div", "legend-block");
  block.append(el("div", "title", legend.title));
  if (legend.ramp) {
    const bar = el("div", "ramp");
    bar.style.background = `linear-gradient(to right, ${legend.ramp.colours.map((c) => `rgb(${c.join(",")})`).join(", ")})`;
    const labels = el("div", "ramp-labels");
    labels.append(...legend.ramp.labels.map((t) => el("span", "", t)));
    block.append(bar, labels);
  }
  for (const row of legend.rows) {
    const line = el("div", "legend-row");
    line.append(swatch(row.colour), el("span", "", row.label));
    block.append(line);
  }
  return block;
}
