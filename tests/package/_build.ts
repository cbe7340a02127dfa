/**
 * Test helpers: a package built once per test file from fixtures/tidy
 * (ELF binaries, libraries, man pages) with a fixed SOURCE_DATE_EPOCH.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { WorkerProvisioner } from "../../src/provision/mod.ts";
import type { WrittenPackage } from "../../src/package/write.ts";

/** The tidy fixtures. */
export const TIDY_FIXTURES = resolve(import.meta.dirname!, "../../fixtures/tidy");

/** SOURCE_DATE_EPOCH of the test builds. */
export const EPOCH = 1700000000;

/** Whether gcc is there (the fixtures compile C). */
export function haveGcc(): boolean {
  try {
    return Deno.statSync("/usr/bin/gcc").isFile;
  } catch {
    return false;
  }
}

/** Builds `recipe` into `work/<tag>/out`, with its own build and cache directories. */
export async function buildFixture(
  work: string,
  tag: string,
  recipe = join(TIDY_FIXTURES, "elf-libs-man"),
  arch = "x86_64",
): Promise<WrittenPackage> {
  const p = new WorkerProvisioner({
    root: join(work, tag, "root"),
    cacheDir: join(work, tag, "cache"),
    buildDir: join(work, tag, "build"),
    arch,
  });
  const r = await p.build(recipe, { outputDir: join(work, tag, "out"), sourceDateEpoch: EPOCH });
  return r.packages[0];
}

/** Runs a program; resolves with its exit code and output. */
export async function run(
  cmd: string,
  args: string[],
  input?: Uint8Array,
  env?: Record<string, string>,
) {
  const child = new Deno.Command(cmd, {
    args,
    ...(env ? { env } : {}),
    stdin: input ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (input) {
    const w = child.stdin.getWriter();
    await w.write(input);
    await w.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
    bytes: out.stdout,
  };
}
