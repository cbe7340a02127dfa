/**
 * Shared helpers of the source tests: a hand-built {@link Pkgbuild} (so these
 * tests do not depend on the evaluator), digests, temporary directories,
 * event recording and directory walking.
 *
 * @module
 */

import { createHash } from "node:crypto";
export { testBytes } from "./_servers.ts";
import { join, relative } from "node:path";
import type { Pkgbuild, PkgbuildValue } from "../../src/pkgbuild/model.ts";
import type { SourceEvent } from "../../src/source/events.ts";

/** A Pkgbuild with the given top-level variables. */
export function pkgbuildWith(
  variables: Record<string, PkgbuildValue>,
  carch = "x86_64",
): Pkgbuild {
  return {
    carch,
    pkgbase: "test",
    variables: { pkgname: "test", pkgver: "1", pkgrel: "1", ...variables },
    packages: [{ name: "test", overrides: {} }],
    functions: {},
  };
}

/** Hex digest of `data` with a node:crypto algorithm. */
export function digest(data: Uint8Array | string, algorithm = "sha256"): string {
  return createHash(algorithm).update(data).digest("hex");
}

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "source-test-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Collects events into an array. */
export function recorder(): { events: SourceEvent[]; sink: (e: SourceEvent) => void } {
  const events: SourceEvent[] = [];
  return { events, sink: (e) => events.push(e) };
}

/** Every path under `root` (relative, sorted), directories included. */
export async function walk(root: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      out.push(relative(root, path));
      if (entry.isDirectory) await visit(path);
    }
  };
  try {
    await visit(root);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return out.sort();
}

/** Runs a command, failing the test when it fails; returns stdout. */
export async function sh(
  cmd: string,
  args: string[],
  cwd?: string,
  env?: Record<string, string>,
): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    ...(cwd ? { cwd } : {}),
    ...(env ? { env } : {}),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}
