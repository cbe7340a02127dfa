/**
 * Where `_leftovers.ts` looks for the build directories of interrupted
 * builds: found below the state directory's ancestors without a call on a
 * missing path, and found the same when the cache lies elsewhere, the state
 * directory is missing, or the cache is.
 */
import { assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { idsWithState, recoverLeftovers } from "../../src/provision/_leftovers.ts";
import type { Layout } from "../../src/provision/paths.ts";
import { withTempDir } from "./_helpers.ts";

function layoutIn(dir: string, stateDir: string, cacheDir: string): Layout {
  return { root: join(dir, "root"), stateDir, cacheDir };
}

async function idsWith(layout: Layout): Promise<string[]> {
  return await idsWithState({ layout, buildBase: join(layout.cacheDir, "build") });
}

Deno.test("a build directory is found when the cache lies beside the state directory under the root", async () => {
  await withTempDir(async (dir) => {
    const state = join(dir, "root/var/lib/wp");
    const layout = layoutIn(dir, state, join(dir, "root/var/cache/wp"));
    await Deno.mkdir(join(state, "workers"), { recursive: true });
    assertEquals(await idsWith(layout), [], "no cache directory: nothing, and no error");
    await Deno.mkdir(join(dir, "root/var/cache/wp"), { recursive: true });
    assertEquals(await idsWith(layout), [], "a cache without build directories");
    await Deno.mkdir(join(dir, "root/var/cache/wp/build/w~b1"), { recursive: true });
    assertEquals(await idsWith(layout), ["w"]);
    await recoverLeftovers({ layout, buildBase: join(layout.cacheDir, "build") });
    assertEquals(await idsWith(layout), [], "recovery removed it");
  });
});

Deno.test("a build directory is found when the cache is elsewhere, or the state directory is missing", async () => {
  await withTempDir(async (dir) => {
    const cache = join(dir, "elsewhere/cache");
    await Deno.mkdir(join(cache, "build/w~b1"), { recursive: true });
    await Deno.mkdir(join(dir, "state/workers"), { recursive: true });
    assertEquals(await idsWith(layoutIn(dir, join(dir, "state"), cache)), ["w"]);
    assertEquals(await idsWith(layoutIn(dir, join(dir, "missing-state"), cache)), ["w"]);
    assertEquals(
      await idsWith(layoutIn(dir, join(cache, "state"), cache)),
      ["w"],
      "state in cache",
    );
  });
});

Deno.test("a file where the cache directory goes hides no build directory and throws nothing", async () => {
  await withTempDir(async (dir) => {
    const state = join(dir, "root/var/lib/wp");
    await Deno.mkdir(join(state, "workers"), { recursive: true });
    await Deno.writeTextFile(join(dir, "root/var/cache"), "");
    assertEquals(await idsWith(layoutIn(dir, state, join(dir, "root/var/cache/wp"))), []);
  });
});
