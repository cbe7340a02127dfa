import { assert, assertEquals, assertRejects, assertThrows } from "../../_assert.ts";
import { join } from "node:path";
import { fetchSources } from "../../../src/source/fetch.ts";
import { planSources } from "../../../src/source/plan.ts";
import { DownloadFailedError, SourceInvalidError } from "../../../src/source/errors.ts";
import { runGit } from "../../../src/source/protocols/_git.ts";
import { gitTransportsFor } from "../../../src/source/protocols/git_transport.ts";
import { startServer } from "../_servers.ts";
import { digest, pkgbuildWith, sh, walk, withTempDir } from "../_helpers.ts";

const GIT_ENV = {
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.org",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.org",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  HOME: "/nonexistent",
};

/** A one-commit repository holding a canary file; returns its path. */
async function canaryRepo(dir: string): Promise<string> {
  const repo = join(dir, "secret.git");
  await Deno.mkdir(repo, { recursive: true });
  await sh("git", ["init", "-q", "-b", "main"], repo, GIT_ENV);
  await Deno.writeTextFile(join(repo, "CANARY"), "local secret\n");
  await sh("git", ["add", "CANARY"], repo, GIT_ENV);
  await sh("git", ["commit", "-q", "-m", "canary"], repo, GIT_ENV);
  return repo;
}

Deno.test("gitTransportsFor() allows only the URL's own transport (http may upgrade to https)", () => {
  assertEquals(gitTransportsFor("x", "https://h/r.git", false), "https");
  assertEquals(gitTransportsFor("x", "http://h/r.git", false), "http:https");
  assertEquals(gitTransportsFor("x", "git://h/r.git", false), "git");
  assertEquals(gitTransportsFor("x", "ssh://git@h/r.git", false), "ssh");
  assertEquals(gitTransportsFor("x", "file:///srv/r.git", true), "file");
});

Deno.test("gitTransportsFor() refuses ext::, unknown schemes, and file:// for a remote recipe", () => {
  for (const location of ["ext::sh -c touch% /tmp/pwned://x", "fd::17://x", "ftp://h/r.git"]) {
    assertThrows(() => gitTransportsFor("x", location, true), SourceInvalidError, "not allowed");
  }
  assertThrows(
    () => gitTransportsFor("git+file:///srv/r.git", "file:///srv/r.git", false),
    SourceInvalidError,
    "only in a local recipe",
  );
});

Deno.test("runGit() with allowProtocols=https cannot clone a file:// URL", async () => {
  await withTempDir(async (dir) => {
    const repo = await canaryRepo(dir);
    const out = await runGit(["clone", "--mirror", "--", `file://${repo}`, join(dir, "m")], {
      allowProtocols: "https",
    });
    assertEquals(out.ok, false);
    assert(/transport 'file' not allowed/.test(out.stderr), out.stderr);
  });
});

Deno.test("git: a git+file:// source of a remote recipe (allowFileUrls false) is refused before git runs", async () => {
  await withTempDir(async (dir) => {
    const repo = await canaryRepo(dir);
    const cache = join(dir, "cache");
    const plan = planSources(
      pkgbuildWith({ source: [`git+file://${repo}`], sha256sums: ["SKIP"] }),
    );
    await assertRejects(
      () => fetchSources(plan, { cacheDir: cache, allowFileUrls: false }),
      SourceInvalidError,
      "only in a local recipe",
    );
    assertEquals((await walk(cache)).filter((p) => p.includes("secret")), []);
  });
});

Deno.test("file: a file:// source of a remote recipe is refused and the file never copied", async () => {
  await withTempDir(async (dir) => {
    const canary = join(dir, "canary.txt");
    await Deno.writeTextFile(canary, "local secret\n");
    const cache = join(dir, "cache");
    const plan = planSources(pkgbuildWith({
      source: [`file://${canary}`],
      sha256sums: [digest("local secret\n")],
    }));
    await assertRejects(
      () => fetchSources(plan, { cacheDir: cache, allowFileUrls: false }),
      SourceInvalidError,
      "file:// sources are allowed only in a local recipe",
    );
    assertEquals(await walk(cache).catch(() => []), []);
  });
});

Deno.test("git: an http git server redirecting to file:// is not followed", async () => {
  await withTempDir(async (dir) => {
    const repo = await canaryRepo(dir);
    await using server = startServer(async (req, reply) => {
      await reply.send(302, "", {
        location: `file://${repo}${req.target.replace(/^\/r\.git/, "")}`,
      });
    });
    const cache = join(dir, "cache");
    const plan = planSources(pkgbuildWith({
      source: [`git+${server.url}/r.git`],
      sha256sums: ["SKIP"],
    }));
    await assertRejects(() => fetchSources(plan, { cacheDir: cache }), DownloadFailedError);
    assert(server.requests.length >= 1);
    for (const rel of await walk(cache)) {
      const info = await Deno.lstat(join(cache, rel));
      if (info.isFile) {
        assert(!(await Deno.readTextFile(join(cache, rel))).includes("local secret"));
      }
    }
  });
});
