/**
 * The fixture corpus `fixtures/pkgbuild/<name>/`: each holds a `PKGBUILD`
 * and what makepkg made of it (`expected.SRCINFO`, or `expected.exit` when
 * it failed), plus `expected.refused` when the static evaluator must refuse it.
 *
 * @module
 */

import { join } from "node:path";

/** One fixture directory and its stored expectations. */
export interface Fixture {
  /** The directory name. */
  readonly name: string;
  /** Absolute path of the directory. */
  readonly dir: string;
  /** The PKGBUILD text. */
  readonly pkgbuild: string;
  /** makepkg's `--printsrcinfo` output, when it exited 0. */
  readonly srcinfo?: string;
  /** makepkg's exit code, when it was not 0. */
  readonly exit?: number;
  /** makepkg's `==> ERROR:` messages then (without prefix and trailing period), when stored. */
  readonly errors?: readonly string[];
  /** Whether the evaluator must refuse this PKGBUILD. */
  readonly refused: boolean;
  /** The other files next to the PKGBUILD (install scripts, patches), relative. */
  readonly files: ReadonlySet<string>;
}

/** Absolute path of `fixtures/pkgbuild`. */
export const FIXTURES_DIR: string = new URL("../../fixtures/pkgbuild", import.meta.url).pathname;

function readOptional(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Loads every fixture, sorted by name. */
export function loadFixtures(root: string = FIXTURES_DIR): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const entry of Deno.readDirSync(root)) {
    if (!entry.isDirectory) continue;
    const dir = join(root, entry.name);
    const pkgbuild = readOptional(join(dir, "PKGBUILD"));
    if (pkgbuild === undefined) continue;
    const files = new Set<string>();
    for (const file of Deno.readDirSync(dir)) {
      if (file.isFile && file.name !== "PKGBUILD" && !file.name.startsWith("expected.")) {
        files.add(file.name);
      }
    }
    const exit = readOptional(join(dir, "expected.exit"));
    const errors = readOptional(join(dir, "expected.errors"));
    fixtures.push({
      name: entry.name,
      dir,
      pkgbuild,
      srcinfo: readOptional(join(dir, "expected.SRCINFO")),
      exit: exit === undefined ? undefined : Number(exit.trim()),
      errors: errors?.split("\n").filter((line) => line !== ""),
      refused: readOptional(join(dir, "expected.refused")) !== undefined,
      files,
    });
  }
  return fixtures.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
