/**
 * The CLI as a hive drives it, as a subprocess: `--job-id` on every `--json`
 * event (the hive registration and preflight events among them),
 * `--sandbox off` whose warning shows even under `--quiet`, the catalog
 * entry's `pkgbuild_url`, and a warning when the catalog's `version` and the
 * recipe's `pkgver` disagree.
 */
import { assert, assertEquals, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { runCli } from "../cli/_cli.ts";
import { serveWithCli } from "../cli/_serve.ts";

const RECIPE = (pkgrel: string) =>
  `pkgname=tiny-worker
pkgver=1.2.0
pkgrel=${pkgrel}
arch=('x86_64' 'aarch64')
package() {
  printf '#!/bin/sh\\necho tiny\\n' | install -Dm755 /dev/stdin "$pkgdir/usr/local/bin/tiny-worker"
}
`;

async function makeCatalog(dir: string, entry: Record<string, unknown>): Promise<void> {
  await Deno.mkdir(join(dir, "workers/tiny-worker"), { recursive: true });
  await Deno.mkdir(join(dir, "files"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "workers/tiny-worker/worker.json"),
    JSON.stringify({
      id: "tiny-worker",
      implementation: "tiny",
      worker_type: "cpu",
      version: "1.2.0",
      platforms: ["linux"],
      architectures: ["x86_64", "aarch64"],
      ...entry,
    }),
  );
  await Deno.writeTextFile(join(dir, "workers/tiny-worker/PKGBUILD"), RECIPE("1"));
  await Deno.writeTextFile(join(dir, "files/PKGBUILD.v3"), RECIPE("3"));
}

Deno.test("install --job-id --json: every event carries the job id, hive and preflight events included; --no-hive-catalog, and a later install registers it", async () => {
  const t = await Deno.makeTempDir();
  try {
    await makeCatalog(join(t, "catalog"), {});
    const hive = join(t, "hive");
    const install = await runCli([
      "install",
      "tiny-worker",
      ...[
        "--catalog",
        join(t, "catalog"),
        "--root",
        join(t, "root"),
        "--cache-dir",
        join(t, "cache"),
      ],
      ...["--hive-catalog", hive, "--job-id", "hive-job-42", "--json"],
    ]);
    assertEquals(install.code, 0, install.stderr);
    const events = install.stdout.trim().split("\n").map((l) => JSON.parse(l));
    const progress = events.slice(0, -1);
    assertEquals(progress.filter((e) => e.jobId !== "hive-job-42"), []);
    const types = progress.map((e) => e.type);
    assert(
      types.includes("preflight.passed") && types.includes("hive.registered"),
      types.join(" "),
    );
    const metadata = JSON.parse(
      await Deno.readTextFile(join(hive, "tiny-worker/metadata.json")),
    );
    assertEquals(metadata.artifact.path, join(t, "root/usr/local/bin/tiny-worker"));
    const none = await runCli([
      "install",
      "tiny-worker",
      ...[
        "--catalog",
        join(t, "catalog"),
        "--root",
        join(t, "root2"),
        "--cache-dir",
        join(t, "cache"),
      ],
      "--no-hive-catalog",
    ]);
    assertEquals(none.code, 0, none.stderr);
    // Installing it again registers it where it is missing, without rebuilding.
    const again = await runCli([
      "install",
      "tiny-worker",
      ...[
        "--catalog",
        join(t, "catalog"),
        "--root",
        join(t, "root2"),
        "--cache-dir",
        join(t, "cache"),
      ],
      ...["--hive-catalog", join(t, "hive2")],
    ]);
    assertEquals(again.code, 0, again.stderr);
    assertStringIncludes(again.stdout, "already installed tiny-worker");
    const registered = JSON.parse(
      await Deno.readTextFile(join(t, "hive2/tiny-worker/metadata.json")),
    );
    assertEquals(registered.artifact.path, join(t, "root2/usr/local/bin/tiny-worker"));
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("--sandbox off warns even with --quiet; a bad --sandbox is a usage error", async () => {
  const t = await Deno.makeTempDir();
  try {
    await makeCatalog(join(t, "catalog"), {});
    const where = [
      "--catalog",
      join(t, "catalog"),
      "--root",
      join(t, "root"),
      "--cache-dir",
      join(t, "cache"),
    ];
    const off = await runCli(["install", "tiny-worker", ...where, "--sandbox", "off", "--quiet"]);
    assertEquals(off.code, 0, off.stderr);
    assertEquals(off.stderr, "warning: no sandbox: the sandbox was turned off\n");
    const bad = await runCli(["install", "tiny-worker", ...where, "--sandbox", "maybe"]);
    assertEquals(bad.code, 2);
    assertStringIncludes(bad.stderr, "Invalid --sandbox maybe");
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("plan reads the entry's pkgbuild_url from an HTTP catalog and says when catalog version and pkgver disagree", async () => {
  const t = await Deno.makeTempDir();
  try {
    await makeCatalog(join(t, "catalog"), {
      version: "1.3.0",
      pkgbuild_url: "{{CATALOG_URL}}/files/PKGBUILD.v3",
    });
    await using served = await serveWithCli(join(t, "catalog"));
    const plan = await runCli(["plan", "tiny-worker", "--catalog", served.url, "--json"]);
    assertEquals(plan.code, 0, plan.stderr);
    const result = JSON.parse(plan.stdout.trim().split("\n").at(-1)!).result;
    assertEquals(
      result.version,
      "1.2.0-3",
      "the recipe at pkgbuild_url, not /workers/:id/PKGBUILD",
    );
    assertEquals(result.warnings, [
      "the catalog says tiny-worker is version 1.3.0, its recipe's pkgver is 1.2.0; the recipe's is used",
    ]);
    const text = await runCli(["plan", "tiny-worker", "--catalog", served.url]);
    assertStringIncludes(text.stdout, "  warning the catalog says tiny-worker is version 1.3.0");
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});
