/**
 * A child process for crash tests: it installs, and at the hook point named
 * by its arguments prints `CRASH-POINT <point>` and blocks forever, so the
 * parent can SIGKILL it there.
 *
 * Usage:
 *   deno run -A _crash_child.ts install '{"root":..,"stateDir":..,"id":..,"version":..,"tree":..,"point":..}'
 *   deno run -A _crash_child.ts provision '{"catalog":..,"root":..,"cacheDir":..,"id":..,"point":..}'
 *
 * Without a `point` (or one never reached) a provision prints `RESULT <WorkerBinary JSON>`
 * or `ERROR {"code":..}` and `FINISHED`: the concurrency tests use that.
 *
 * @module
 */

import { type InstallHookPoint, installTrees, WorkerProvisioner } from "../../src/provision/mod.ts";
import { setStepHook } from "../../src/provision/_job.ts";

const [mode, json] = Deno.args;
const args = JSON.parse(json);

async function block(point: string): Promise<never> {
  await Deno.stdout.write(new TextEncoder().encode(`CRASH-POINT ${point}\n`));
  for (;;) await new Promise((r) => setTimeout(r, 60_000));
}

if (mode === "install") {
  await installTrees({
    layout: { root: args.root, stateDir: args.stateDir, cacheDir: args.stateDir },
    trees: [{ name: args.id, dir: args.tree }],
    metadata: {
      id: args.id,
      version: args.version,
      arch: "x86_64",
      platform: "linux",
      origin: "test",
    },
    hook: (point: InstallHookPoint) => point === args.point ? block(point) : undefined,
  });
} else {
  const provisioner = new WorkerProvisioner({
    catalog: args.catalog,
    root: args.root,
    cacheDir: args.cacheDir,
    fetchOptions: { retries: 0 },
    ...(args.lockTimeoutMs !== undefined ? { lockTimeoutMs: args.lockTimeoutMs } : {}),
  });
  setStepHook(provisioner, (point) => point === args.point ? block(point) : undefined);
  try {
    const worker = await provisioner.provision(args.id, { reinstall: args.reinstall ?? false });
    console.log(`RESULT ${JSON.stringify(worker)}`);
  } catch (error) {
    console.log(
      `ERROR ${
        JSON.stringify({ code: (error as { code?: string }).code, message: String(error) })
      }`,
    );
  }
}
console.log("FINISHED");
