/**
 * Typed chat lines: "/command args" for hosts, anything else is chat ("//text" sends "/text").
 * The same commands and words as the desktop (viewer/meeting/commands.py).
 */

import { ClientMessage } from "./protocol";
import { Room } from "./room";

export class CommandError extends Error {}

function target(args: string[], room: Room): number {
  if (args.length !== 1) throw new CommandError("name one participant (a name or #id)");
  const found = room.find(args[0]);
  if (!found.length) throw new CommandError(`nobody called '${args[0]}' here`);
  if (found.length > 1) throw new CommandError(`'${args[0]}' matches ${found.length} participants: use #id`);
  return found[0];
}

function noArgs(m: ClientMessage): (args: string[]) => ClientMessage {
  return (args) => {
    if (args.length) throw new CommandError("this command takes no arguments");
    return m;
  };
}

function onOff(args: string[], usage: string): boolean {
  if (args.length !== 1 || !["on", "off"].includes(args[0])) throw new CommandError(usage);
  return args[0] === "on";
}

export const COMMANDS: Record<string, [string, (args: string[], room: Room) => ClientMessage]> = {
  follow: ["/follow  everyone follows my camera", noArgs({ type: "follow", on: true })],
  unfollow: ["/unfollow  stop follow-me", noArgs({ type: "follow", on: false })],
  mute: ["/mute NAME  mute a guest's chat", (a, r) => ({ type: "mute", target: target(a, r), muted: true })],
  unmute: ["/unmute NAME", (a, r) => ({ type: "mute", target: target(a, r), muted: false })],
  remove: ["/remove NAME  remove a guest", (a, r) => ({ type: "remove", target: target(a, r) })],
  layer: ["/layer NAME on|off  for everyone", (a) => {
    if (a.length !== 2 || !["on", "off"].includes(a[1])) throw new CommandError("usage: /layer NAME on|off");
    return { type: "layer", name: a[0], visible: a[1] === "on" };
  }],
  time: ["/time SECONDS|live  shared feed time", (a) => {
    if (a.length !== 1) throw new CommandError("usage: /time SECONDS|live");
    if (a[0] === "live") return { type: "feed_time", time: null };
    const value = Number(a[0]);
    if (a[0].trim() === "" || !Number.isFinite(value)) throw new CommandError(`not a time: '${a[0]}'`);
    return { type: "feed_time", time: value };
  }],
  record: ["/record on|off  record the meeting", (a) => ({ type: "record", on: onOff(a, "usage: /record on|off") })],
};

/** The message for a submitted line (null for an empty line); CommandError for a bad command. */
export function parseInput(text: string, room: Room): ClientMessage | null {
  text = text.trim();
  if (!text) return null;
  if (!text.startsWith("/") || text.startsWith("//")) return { type: "chat", text: text.startsWith("//") ? text.slice(1) : text };
  const [name, ...args] = text.slice(1).split(/\s+/);
  if (name === "help") throw new CommandError("commands: " + Object.values(COMMANDS).map(([u]) => u).join("; "));
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) throw new CommandError(`unknown command /${name} (try /help)`);
  return entry[1](args, room);
}
