import { assert, assertEquals, assertRejects } from "../../_assert.ts";
import { join } from "node:path";
import { fetchSources } from "../../../src/source/fetch.ts";
import { planSources } from "../../../src/source/plan.ts";
import { prepareSrcdir } from "../../../src/source/srcdir.ts";
import { SourceInvalidError } from "../../../src/source/errors.ts";
import { pkgbuildWith, recorder, sh, walk, withTempDir } from "../_helpers.ts";

const GIT_ENV = {
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.org",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.org",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  HOME: "/nonexistent",
};

const git = (cwd: string, ...args: string[]) => sh("git", args, cwd, GIT_ENV);

/** An upstream repo: main (v1 tag, then v2), and a dev branch; returns the first commit. */
async function makeRepo(dir: string): Promise<{ repo: string; first: string }> {
  const repo = join(dir, "upstream", "worker.git");
  await Deno.mkdir(repo, { recursive: true });
  await git(repo, "init", "-q", "-b", "main");
  await Deno.writeTextFile(join(repo, "VERSION"), "v1\n");
  await git(repo, "add", "VERSION");
  await git(repo, "commit", "-q", "-m", "one");
  const first = (await git(repo, "rev-parse", "HEAD")).trim();
  await git(repo, "tag", "-a", "v1", "-m", "release 1");
  await Deno.writeTextFile(join(repo, "VERSION"), "v2\n");
  await git(repo, "commit", "-q", "-am", "two");
  await git(repo, "checkout", "-q", "-b", "dev");
  await Deno.writeTextFile(join(repo, "VERSION"), "dev\n");
  await git(repo, "commit", "-q", "-am", "dev");
  await git(repo, "checkout", "-q", "main");
  return { repo, first };
}

async function checkout(_dir: string, entry: string, cacheDir: string, srcdir: string) {
  const { events, sink } = recorder();
  const plan = planSources(pkgbuildWith({ source: [entry], sha256sums: ["SKIP"] }));
  const fetched = await fetchSources(plan, { cacheDir, onEvent: sink });
  await prepareSrcdir(fetched, srcdir, { onEvent: sink });
  return { fetched, events, version: await Deno.readTextFile(join(srcdir, "worker", "VERSION")) };
}

Deno.test("git: a mirror clone is checked out at the default branch, a branch, a tag and a commit", async () => {
  await withTempDir(async (dir) => {
    const { repo, first } = await makeRepo(dir);
    const cache = join(dir, "cache");
    const url = `git+file://${repo}`;
    const head = await checkout(dir, url, cache, join(dir, "s1"));
    assertEquals(head.version, "v2\n");
    assertEquals(head.fetched[0].kind, "git");
    assertEquals(await git(head.fetched[0].path, "config", "--get", "core.bare"), "true\n");
    assertEquals(
      (await checkout(dir, `${url}#branch=dev`, cache, join(dir, "s2"))).version,
      "dev\n",
    );
    assertEquals((await checkout(dir, `${url}#tag=v1`, cache, join(dir, "s3"))).version, "v1\n");
    assertEquals(
      (await checkout(dir, `${url}#commit=${first}`, cache, join(dir, "s4"))).version,
      "v1\n",
    );
    // makepkg's working copy is on a branch named makepkg for explicit refs.
    assertEquals(
      (await git(join(dir, "s2", "worker"), "rev-parse", "--abbrev-ref", "HEAD")).trim(),
      "makepkg",
    );
  });
});

Deno.test("git: a second fetch updates the mirror and the existing working copy", async () => {
  await withTempDir(async (dir) => {
    const { repo } = await makeRepo(dir);
    const cache = join(dir, "cache");
    const srcdir = join(dir, "src");
    const url = `git+file://${repo}#branch=main`;
    assertEquals((await checkout(dir, url, cache, srcdir)).version, "v2\n");
    await Deno.writeTextFile(join(repo, "VERSION"), "v3\n");
    await git(repo, "commit", "-q", "-am", "three");
    const again = await checkout(dir, url, cache, srcdir);
    assertEquals(again.fetched[0].fromCache, false);
    assertEquals(again.version, "v3\n");
  });
});

Deno.test("git: an unknown fragment kind and a missing ref are errors", async () => {
  await withTempDir(async (dir) => {
    const { repo } = await makeRepo(dir);
    const cache = join(dir, "cache");
    await assertRejects(
      () => checkout(dir, `git+file://${repo}#revision=3`, cache, join(dir, "s")),
      SourceInvalidError,
      "unrecognized reference",
    );
    await assertRejects(
      () => checkout(dir, `git+file://${repo}#branch=nope`, cache, join(dir, "s")),
      SourceInvalidError,
      "branch nope does not exist",
    );
    await assertRejects(
      () => checkout(dir, `git+file://${repo}#tag=v9`, cache, join(dir, "s")),
      SourceInvalidError,
      "tag v9 does not exist",
    );
  });
});

Deno.test("git: when the upstream is gone the cached mirror is used with a warning", async () => {
  await withTempDir(async (dir) => {
    const { repo } = await makeRepo(dir);
    const cache = join(dir, "cache");
    const url = `git+file://${repo}#tag=v1`;
    await checkout(dir, url, cache, join(dir, "s1"));
    await Deno.remove(join(dir, "upstream"), { recursive: true });
    const offline = await checkout(dir, url, cache, join(dir, "s2"));
    assertEquals(offline.version, "v1\n");
    assertEquals(offline.fetched[0].fromCache, true);
    const warning = offline.events.find((e) => e.type === "source.warning");
    assert(warning?.type === "source.warning");
    assert(warning.message.includes("failure while updating worker git repo"));
    // But a ref the mirror never had is still an error.
    await assertRejects(
      () => checkout(dir, `git+file://${repo}#branch=gone`, cache, join(dir, "s3")),
      SourceInvalidError,
    );
  });
});

Deno.test("git: offline mode skips the fetch and an unknown mirror is an error", async () => {
  await withTempDir(async (dir) => {
    const { repo } = await makeRepo(dir);
    const cache = join(dir, "cache");
    const plan = planSources(
      pkgbuildWith({ source: [`git+file://${repo}`], sha256sums: ["SKIP"] }),
    );
    await assertRejects(
      () => fetchSources(plan, { cacheDir: cache, offline: true }),
      Error,
      "offline",
    );
    await fetchSources(plan, { cacheDir: cache });
    const { events, sink } = recorder();
    const [hit] = await fetchSources(plan, { cacheDir: cache, offline: true, onEvent: sink });
    assertEquals(hit.fromCache, true);
    assertEquals(events.filter((e) => e.type === "source.start").length, 0);
  });
});

Deno.test("git: a mirror whose origin is another URL is cloned again", async () => {
  await withTempDir(async (dir) => {
    const { repo } = await makeRepo(dir);
    const cache = join(dir, "cache");
    const plan = planSources(
      pkgbuildWith({ source: [`git+file://${repo}`], sha256sums: ["SKIP"] }),
    );
    const [first] = await fetchSources(plan, { cacheDir: cache });
    await git(first.path, "config", "remote.origin.url", "file:///elsewhere.git");
    const { events, sink } = recorder();
    const [again] = await fetchSources(plan, { cacheDir: cache, onEvent: sink });
    assertEquals(again.fromCache, false);
    assert(
      events.some((e) => e.type === "source.warning" && e.message.includes("is not a clone of")),
    );
    assertEquals(
      (await git(again.path, "config", "--get", "remote.origin.url")).trim(),
      `file://${repo}`,
    );
  });
});

Deno.test("git: cancelling a clone kills git and leaves no partial mirror", async () => {
  await withTempDir(async (dir) => {
    const { repo } = await makeRepo(dir);
    const cache = join(dir, "cache");
    const plan = planSources(
      pkgbuildWith({ source: [`git+file://${repo}`], sha256sums: ["SKIP"] }),
    );
    const controller = new AbortController();
    const run = fetchSources(plan, { cacheDir: cache, signal: controller.signal });
    setTimeout(() => controller.abort(), 1);
    try {
      await run;
    } catch (error) {
      assertEquals((error as { code?: string }).code, "CANCELLED");
    }
    assertEquals((await walk(cache)).filter((p) => p.endsWith(".part")), []);
  });
});
