/**
 * The hive registration through the CLI, as rbee-hive's machine would see
 * it: a `worker_type: cpu` worker installed without `--root` by a non-root
 * user (nobody, with its own HOME) appears as
 * `~/.cache/rbee/workers/<id>/metadata.json` in exactly the hive's shape,
 * pointing at the installed executable; it is gone after uninstall.
 */
import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { validate } from "./_json_schema.ts";
import {
  cliAsNobody,
  GIT_WORKER_ID,
  makeGitWorkerRepo,
  writeGitWorkerCatalog,
} from "./_git_worker.ts";

const SCHEMA = JSON.parse(
  await Deno.readTextFile(new URL("./metadata.schema.json", import.meta.url)),
);

Deno.test({
  name:
    "install as a non-root user registers the worker in ~/.cache/rbee/workers; uninstall removes it",
  ignore: Deno.uid() !== 0, // needs root to become nobody
  async fn() {
    const t = await Deno.makeTempDir({ prefix: "wp-hive-" });
    try {
      await Deno.chmod(t, 0o755);
      const repo = join(t, "repo");
      await makeGitWorkerRepo(repo);
      await writeGitWorkerCatalog(join(t, "catalog"), repo);
      const { home, run } = await cliAsNobody(t);
      const install = await run(["install", GIT_WORKER_ID, "--catalog", join(t, "catalog")]);
      assertEquals(install.code, 0, install.stderr);
      const metadataPath = join(home, ".cache/rbee/workers", GIT_WORKER_ID, "metadata.json");
      const metadata = JSON.parse(await Deno.readTextFile(metadataPath));
      assertEquals(validate(SCHEMA, metadata), []);
      const exe = join(home, ".local/bin", GIT_WORKER_ID);
      assertEquals(metadata.artifact.path, exe);
      assertEquals(metadata.artifact.size, (await Deno.stat(exe)).size);
      assertEquals(
        [metadata.artifact.id, metadata.artifact.worker_type, metadata.artifact.platform],
        [GIT_WORKER_ID, "CpuLlm", "Linux"],
      );
      assertEquals(metadata.artifact.version, "0.1.0.r1");
      assertEquals(metadata.added_at, metadata.artifact.added_at);
      assert((await Deno.stat(metadataPath)).uid !== 0, "written by the user");
      const ran = await new Deno.Command(exe, { stdout: "piped" }).output();
      assert(new TextDecoder().decode(ran.stdout).startsWith("rbee-shell-worker "));

      const uninstall = await run(["uninstall", GIT_WORKER_ID]);
      assertEquals(uninstall.code, 0, uninstall.stderr);
      assertEquals(
        await Deno.stat(join(home, ".cache/rbee/workers", GIT_WORKER_ID)).catch(() => null),
        null,
      );
    } finally {
      await Deno.remove(t, { recursive: true });
    }
  },
});
