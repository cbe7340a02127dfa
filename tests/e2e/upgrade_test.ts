/**
 * Freshness through the CLI, as a non-root user (nobody, own HOME, no
 * --root): a git worker installed with `install <implementation> --best`,
 * `outdated` after a new commit is pushed, `upgrade` rebuilding it (the
 * record shows the old and then the new commit, the hive's metadata.json is
 * rewritten), and a failed upgrade that leaves the old worker installed,
 * recorded and registered.
 */
import { assert, assertEquals, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import {
  cliAsNobody,
  commitFile,
  GIT_WORKER_ID,
  makeGitWorkerRepo,
  shortCommit,
  writeGitWorkerCatalog,
} from "../hive/_git_worker.ts";

type Json = Record<string, unknown>;

function result(stdout: string): unknown {
  return (JSON.parse(stdout.trim().split("\n").at(-1)!) as Json).result;
}

Deno.test({
  name:
    "outdated and upgrade follow a git worker's branch; a failed upgrade leaves the old worker installed and registered",
  ignore: Deno.uid() !== 0, // needs root to become nobody
  async fn() {
    const t = await Deno.makeTempDir({ prefix: "wp-upgrade-" });
    try {
      await Deno.chmod(t, 0o755);
      const repo = join(t, "repo");
      const first = await makeGitWorkerRepo(repo);
      const catalog = join(t, "catalog");
      await writeGitWorkerCatalog(catalog, repo);
      const { home, run } = await cliAsNobody(t);
      const at = ["--catalog", catalog];
      const recordPath = join(
        home,
        ".local/state/worker-provisioner/workers",
        GIT_WORKER_ID,
        "record.json",
      );
      const hivePath = join(home, ".cache/rbee/workers", GIT_WORKER_ID, "metadata.json");
      const exe = join(home, ".local/bin", GIT_WORKER_ID);
      const output = async () =>
        new TextDecoder().decode(
          (await new Deno.Command(exe, { stdout: "piped" }).output()).stdout,
        );
      const commitOf = async () =>
        JSON.parse(await Deno.readTextFile(recordPath)).freshness.vcs[0].commit;

      const install = await run(["install", "rbee-shell-worker", "--best", ...at]);
      assertEquals(install.code, 0, install.stderr);
      assertStringIncludes(
        install.stderr,
        `best variant of rbee-shell-worker here: ${GIT_WORKER_ID}`,
      );
      const record = JSON.parse(await Deno.readTextFile(recordPath));
      assertEquals(record.freshness.vcs, [{
        name: "shell-worker",
        url: `file://${repo}`,
        ref: { kind: "branch", value: "main" },
        commit: first,
      }]);
      assertEquals([record.freshness.pkgver, record.freshness.declaredVersion], [
        "0.1.0.r1",
        "0.1.0-1",
      ]);
      assertEquals(await output(), `rbee-shell-worker ${await shortCommit(repo, first)}\n`);

      const fresh = await run(["outdated", ...at, "--json"]);
      assertEquals(fresh.code, 0, fresh.stderr);
      assertEquals((result(fresh.stdout) as Json[]).map((r) => r.outdated), [false]);

      const second = await commitFile(
        repo,
        "worker.sh",
        "#!/bin/sh\necho rbee-shell-worker v2 @COMMIT@\n",
      );
      const stale = await run(["outdated", ...at]);
      assertEquals(
        stale.stdout,
        `${GIT_WORKER_ID} 0.1.0.r1-1 -> 0.1.0-1: shell-worker branch main moved from ${
          first.slice(0, 12)
        } to ${second.slice(0, 12)}\n`,
      );
      const upgrade = await run(["upgrade", ...at]);
      assertEquals(upgrade.code, 0, upgrade.stderr);
      assertEquals(upgrade.stdout, `upgraded ${GIT_WORKER_ID} from 0.1.0.r1-1 to 0.1.0.r2-1\n`);
      assertEquals(await commitOf(), second);
      assertEquals(await output(), `rbee-shell-worker v2 ${await shortCommit(repo, second)}\n`);
      const hive = JSON.parse(await Deno.readTextFile(hivePath));
      assertEquals([hive.artifact.version, hive.artifact.path], ["0.1.0.r2", exe]);
      assertEquals((await run(["upgrade", ...at])).stdout, "every worker is up to date\n");

      await commitFile(repo, "BROKEN", "yes\n");
      const failed = await run(["upgrade", GIT_WORKER_ID, ...at]);
      assertEquals(failed.code, 7, failed.stderr);
      assertStringIncludes(failed.stderr, "build()");
      assertEquals(await commitOf(), second, "the record still names the old commit");
      assertEquals(await output(), `rbee-shell-worker v2 ${await shortCommit(repo, second)}\n`);
      assertEquals(
        JSON.parse(await Deno.readTextFile(hivePath)),
        hive,
        "still registered, unchanged",
      );
      const verify = await run(["verify", GIT_WORKER_ID]);
      assertEquals(verify.code, 0, verify.stderr);
      assert((await run(["outdated", ...at])).stdout.includes("moved from"));
    } finally {
      await Deno.remove(t, { recursive: true });
    }
  },
});
