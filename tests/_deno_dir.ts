/**
 * A Deno cache directory for CLI subprocesses that run with another HOME or
 * as another user (`nobody`): seeded once per machine from this process's
 * npm cache (the CLI's npm packages, e.g. OpenPGP.js, which `deno task
 * check` fetched), readable and writable by everyone, so no test makes Deno
 * reach the npm registry and none depends on the caller's HOME.
 *
 * @module
 */

import { join } from "node:path";

/** Where the shared test cache lives. */
export const TEST_DENO_DIR = "/tmp/worker-provisioner-tests-deno-dir";

function run(cmd: string, args: string[]): boolean {
  return new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).outputSync().success;
}

/** This process's Deno cache directory (`DENO_DIR`, else `~/.cache/deno`). */
function ownDenoDir(): string {
  const info = new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stderr: "null" })
    .outputSync();
  return JSON.parse(new TextDecoder().decode(info.stdout)).denoDir;
}

/**
 * The seeded test cache (made on first use; concurrent test processes race
 * to rename their copy into place, and the losers drop theirs).
 */
export function testDenoDir(): string {
  try {
    if (Deno.statSync(join(TEST_DENO_DIR, "npm")).isDirectory) return TEST_DENO_DIR;
  } catch {
    // not made yet
  }
  const staging = `${TEST_DENO_DIR}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}`;
  Deno.mkdirSync(staging, { recursive: true });
  const npm = join(ownDenoDir(), "npm");
  try {
    Deno.statSync(npm);
    run("cp", ["-a", npm, join(staging, "npm")]);
  } catch {
    Deno.mkdirSync(join(staging, "npm"));
  }
  run("chmod", ["-R", "a+rwX", staging]);
  try {
    Deno.renameSync(staging, TEST_DENO_DIR);
  } catch {
    Deno.removeSync(staging, { recursive: true });
  }
  return TEST_DENO_DIR;
}
