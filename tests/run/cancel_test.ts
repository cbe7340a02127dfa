/**
 * Cancellation and timeouts: a phase that starts background grandchildren
 * (`sleep &`, `( sleep ) &`, `setsid sleep &`) and then sleeps is stopped;
 * within 3 s the call has rejected and no process of it remains.
 */

import { assert, assertEquals, assertInstanceOf, assertRejects } from "../_assert.ts";
import { join } from "node:path";
import { CancelledError } from "../../src/errors.ts";
import { BuildTimeoutError } from "../../src/run/errors.ts";
import type { RunEvent, RunPhase } from "../../src/run/events.ts";
import { runRecipe } from "../../src/run/run.ts";
import { probeSandbox } from "../../src/run/sandbox.ts";
import { readPkgbuildTrusted } from "../../src/run/trusted_metadata.ts";
import { processesWithMarker } from "./_helpers.ts";

const bwrap = await probeSandbox();

/** A recipe whose `phase` function leaves grandchildren behind and then sleeps. */
function hangingRecipe(phase: RunPhase, marker: string): string {
  const body = `
    _sleeper() { exec -a "sleeper-${marker}" sleep 300; }
    _sleeper &
    ( _sleeper ) &
    setsid bash -c 'exec -a "setsid-${marker}" sleep 300' &
    ( ( _sleeper ) & ) &
    echo "ready-${marker}"
    bash -c 'sleep 300; : ${marker}'`;
  const fn = (name: RunPhase) => name === phase ? `${name}() {${body}\n}` : `${name}() { :; }`;
  return [
    "pkgname=hang",
    "pkgver=1",
    "pkgrel=1",
    "arch=(any)",
    fn("prepare"),
    fn("build"),
    fn("check"),
    fn("package"),
    "",
  ].join("\n");
}

async function cancelIn(phase: RunPhase, sandbox: "require" | "off", how: "abort" | "timeout") {
  const dir = await Deno.makeTempDir({ prefix: "wp-cancel-" });
  const marker = `wp-marker-${crypto.randomUUID()}`;
  try {
    await Deno.writeTextFile(join(dir, "PKGBUILD"), hangingRecipe(phase, marker));
    await Deno.mkdir(join(dir, "src"));
    const pkgbuild = await readPkgbuildTrusted(join(dir, "PKGBUILD"), { carch: "x86_64" });
    const controller = new AbortController();
    let readyAt = 0;
    const onEvent = (e: RunEvent) => {
      if (e.type === "run.output" && e.line === `ready-${marker}`) {
        readyAt = performance.now();
        // Let the background children start, then cancel.
        if (how === "abort") setTimeout(() => controller.abort(), 300);
      }
    };
    const run = runRecipe({
      pkgbuildPath: join(dir, "PKGBUILD"),
      pkgbuild,
      startdir: dir,
      srcdir: join(dir, "src"),
      pkgdirBase: join(dir, "pkg"),
      carch: "x86_64",
      sandbox,
      logFile: join(dir, "log"),
      signal: controller.signal,
      onEvent,
      phaseTimeoutMs: how === "timeout" ? 1500 : undefined,
    });
    const error = await run.then(() => undefined, (e) => e);
    const settledAt = performance.now();
    assert(readyAt > 0, "the function never got going");
    if (how === "abort") {
      assertInstanceOf(error, CancelledError);
      const latency = settledAt - readyAt - 300;
      console.log(
        `  ${phase} (${sandbox === "off" ? "no sandbox" : "bwrap"}): rejected ${
          Math.round(latency)
        } ms after abort()`,
      );
    } else {
      assertInstanceOf(error, BuildTimeoutError);
      assertEquals((error as BuildTimeoutError).phase, phase);
    }
    assertEquals(processesWithMarker(marker), [], "processes of the build are still running");
  } finally {
    for (const line of processesWithMarker(marker)) {
      Deno.kill(Number(line.split(":")[0]), "SIGKILL");
    }
    await Deno.remove(dir, { recursive: true });
  }
}

for (const phase of ["prepare", "build", "check", "package"] as const) {
  Deno.test({
    name: `runRecipe() cancelled during ${phase}() in the sandbox stops every process within 3 s`,
    ignore: !bwrap.available,
    fn: () => cancelIn(phase, "require", "abort"),
  });
  Deno.test(
    `runRecipe() cancelled during ${phase}() without the sandbox stops every process within 3 s`,
    () => cancelIn(phase, "off", "abort"),
  );
}

Deno.test("runRecipe() stops a phase that outlives phaseTimeoutMs the same way", async () => {
  await cancelIn("build", "off", "timeout");
});

Deno.test({
  name: "runRecipe() stops a sandboxed phase that outlives phaseTimeoutMs",
  ignore: !bwrap.available,
  fn: () => cancelIn("package", "require", "timeout"),
});

Deno.test("runRecipe() rejects at once with CancelledError when the signal is already aborted", async () => {
  const controller = new AbortController();
  controller.abort();
  await assertRejects(
    () =>
      runRecipe({
        pkgbuildPath: "/nonexistent/PKGBUILD",
        pkgbuild: { carch: "x86_64", pkgbase: "x", variables: {}, packages: [], functions: {} },
        startdir: "/nonexistent",
        srcdir: "/nonexistent/src",
        pkgdirBase: "/nonexistent/pkg",
        carch: "x86_64",
        logFile: "/nonexistent/log",
        signal: controller.signal,
      }),
    CancelledError,
  );
});
