/**
 * worker-provisioner's verdict on a recipe directory's source signatures:
 * the recipe evaluated statically, planned, fetched from its directory and
 * checked against a keyring, as `install` and `fetch` do.
 */

import { join } from "node:path";
import { parsePkgbuild } from "../../src/pkgbuild/parse.ts";
import { fetchSources } from "../../src/source/fetch.ts";
import { planSources } from "../../src/source/plan.ts";
import type { SourceEvent } from "../../src/source/events.ts";
import type { FetchedSource } from "../../src/source/protocols/protocol.ts";

/** The verdict: passed (with events), or the error. */
export interface Judgement {
  /** Whether every signature passed. */
  readonly ok: boolean;
  /** The sources, when it passed. */
  readonly fetched?: readonly FetchedSource[];
  /** The events emitted. */
  readonly events: readonly SourceEvent[];
  /** The error, when it failed. */
  readonly error?: Error & { code?: string };
}

/** Fetches and checks the sources of the recipe in `dir` with the keyring `keyringDir`. */
export async function judgeRecipe(
  dir: string,
  cacheDir: string,
  keyringDir: string | undefined,
  extra: { skipPgpCheck?: boolean } = {},
): Promise<Judgement> {
  const events: SourceEvent[] = [];
  const text = await Deno.readTextFile(join(dir, "PKGBUILD"));
  try {
    const plan = planSources(parsePkgbuild(text, { carch: "x86_64" }));
    const fetched = await fetchSources(plan, {
      cacheDir,
      recipeDir: dir,
      ...(keyringDir ? { keyringDir } : {}),
      ...extra,
      onEvent: (e) => events.push(e),
    });
    return { ok: true, fetched, events };
  } catch (error) {
    return { ok: false, events, error: error as Error };
  }
}
