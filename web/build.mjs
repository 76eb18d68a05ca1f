// Builds the browser client into viewer/web_dist (or the folder given as the first argument):
// app.js (every module and three.js bundled, minified), socket.js (the meeting's websocket in a worker:
// src/socket_worker.ts), app.css and index.html. Deterministic: the same
// sources and package-lock.json give the same bytes (tests/test_web_bundle.py rebuilds and compares).
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, "..", "viewer", "web_dist"));
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: join(here, "src", "main.ts"), socket: join(here, "src", "socket_worker.ts") },
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  legalComments: "linked",
  outdir: out,
  logLevel: "warning",
});
copyFileSync(join(here, "src", "app.css"), join(out, "app.css"));
copyFileSync(join(here, "src", "index.html"), join(out, "index.html"));
console.log(`built ${out}`);
