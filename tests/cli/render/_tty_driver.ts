/**
 * Test driver for the TTY renderer in a real terminal (tests/cli/render/tty_test.ts):
 * reports a download that advances until the file named by the first argument
 * exists, with recipe output printed in between, then finishes and prints a result.
 *
 * @module
 */

import { createRenderer } from "../../../src/cli/render/mod.ts";

const release = Deno.args[0];
const renderer = await createRenderer({
  json: false,
  verbosity: "normal",
  tty: Deno.stderr.isTerminal(),
});
const total = 50 * 1024 * 1024;
renderer.event(
  { type: "provision.step", step: "fetch", state: "start", id: "demo" },
);
renderer.event(
  { type: "source.start", name: "worker.tar.gz", url: "http://127.0.0.1/w", protocol: "http" },
);
let bytes = 0;
let line = 0;
const released = () => {
  try {
    Deno.statSync(release);
    return true;
  } catch {
    return false;
  }
};
while (!released() || bytes < total / 2) {
  bytes = Math.min(total - 1, bytes + 256 * 1024);
  renderer.event(
    { type: "source.progress", name: "worker.tar.gz", bytes, total, rate: 5 * 1024 * 1024 },
  );
  if (bytes % (4 * 1024 * 1024) === 0) {
    renderer.event(
      { type: "run.output", phase: "build", stream: "stdout", line: `build line ${++line}` },
    );
  }
  await new Promise((r) => setTimeout(r, 20));
}
renderer.event(
  {
    type: "source.progress",
    name: "worker.tar.gz",
    bytes: total,
    total,
    rate: 5 * 1024 * 1024,
  },
);
renderer.event(
  { type: "source.done", name: "worker.tar.gz", path: "/c/x", fromCache: false },
);
renderer.event(
  { type: "run.phase", phase: "build", function: "build", state: "start" },
);
renderer.event(
  { type: "run.output", phase: "build", stream: "stdout", line: "compiling" },
);
renderer.result("install", {}, "installed demo 1.0.0-1\n");
renderer.close();
