/** Picking the variant for this machine: cuda where an NVIDIA driver is, else cpu; search --compatible. */
import { assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { bestVariant, compatibleEntries, entryProblem } from "../../src/preflight/select.ts";
import { systemProbe } from "../../src/preflight/system.ts";
import type { CatalogEntry } from "../../src/provision/catalog/entry.ts";
import { runCli } from "../cli/_cli.ts";
import { stageNvidiaDriver } from "./_staged.ts";

const TARGET = { platform: "linux", arch: "x86_64" };

function entry(id: string, workerType: string, platforms = ["linux"]): CatalogEntry {
  return {
    id,
    implementation: "llm-worker-rbee",
    worker_type: workerType,
    version: "0.1.0",
    platforms,
    architectures: ["x86_64", "aarch64"],
  } as CatalogEntry;
}

const ENTRIES = [
  entry("llm-worker-rbee-cpu", "cpu"),
  entry("llm-worker-rbee-cuda", "cuda"),
  entry("llm-worker-rbee-metal", "metal", ["macos"]),
];

Deno.test("bestVariant() takes cuda with an NVIDIA driver, cpu without; metal only on macOS", async () => {
  const root = await Deno.makeTempDir();
  try {
    const probe = systemProbe(root, "linux");
    assertEquals(bestVariant(ENTRIES, "llm-worker-rbee", TARGET, probe)?.id, "llm-worker-rbee-cpu");
    assertEquals(
      entryProblem(ENTRIES[1], TARGET, probe),
      "it needs an NVIDIA driver (no /proc/driver/nvidia/version, no libcuda.so.1 in the loader cache)",
    );
    await stageNvidiaDriver(root);
    assertEquals(
      bestVariant(ENTRIES, "llm-worker-rbee", TARGET, probe)?.id,
      "llm-worker-rbee-cuda",
    );
    assertEquals(compatibleEntries(ENTRIES, TARGET, probe).map((e) => e.id), [
      "llm-worker-rbee-cuda",
      "llm-worker-rbee-cpu",
    ]);
    const mac = systemProbe(root, "darwin");
    assertEquals(
      bestVariant(ENTRIES, "llm-worker-rbee", { platform: "macos", arch: "aarch64" }, mac)?.id,
      "llm-worker-rbee-metal",
    );
    assertEquals(bestVariant(ENTRIES, "other", TARGET, probe), null);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("search --compatible lists what can run here, best first", async () => {
  const t = await Deno.makeTempDir();
  try {
    for (const e of ENTRIES) {
      await Deno.mkdir(join(t, "catalog/workers", e.id), { recursive: true });
      await Deno.writeTextFile(join(t, "catalog/workers", e.id, "worker.json"), JSON.stringify(e));
    }
    const search = (root: string) =>
      runCli([
        "search",
        "--compatible",
        "--catalog",
        join(t, "catalog"),
        "--system-root",
        root,
        "--json",
      ]);
    const ids = (out: string) =>
      (JSON.parse(out.trim().split("\n").at(-1)!).result as { id: string }[]).map((e) => e.id);
    const without = await search(join(t, "empty"));
    assertEquals(without.code, 0, without.stderr);
    assertEquals(ids(without.stdout), ["llm-worker-rbee-cpu"]);
    await stageNvidiaDriver(join(t, "driver"));
    assertEquals(ids((await search(join(t, "driver"))).stdout), [
      "llm-worker-rbee-cuda",
      "llm-worker-rbee-cpu",
    ]);
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("WorkerProvisioner.supports() is false for a cuda worker without a driver, and unsupportedReason() says why", async () => {
  const t = await Deno.makeTempDir();
  try {
    const depWorker = { ...entry("dep-worker", "cpu"), implementation: "dep" } as CatalogEntry;
    for (const e of [...ENTRIES, depWorker]) {
      const dir = join(t, "catalog/workers", e.id);
      await Deno.mkdir(dir, { recursive: true });
      await Deno.writeTextFile(join(dir, "worker.json"), JSON.stringify(e));
      const depends = e.id === "dep-worker" ? "depends=('libnotthere')\n" : "";
      await Deno.writeTextFile(
        join(dir, "PKGBUILD"),
        `pkgname=${e.id}\npkgver=0.1.0\npkgrel=1\narch=(x86_64 aarch64)\n${depends}package() { :; }\n`,
      );
    }
    const { WorkerProvisioner } = await import("../../src/provision/provisioner.ts");
    const at = (systemRoot: string) =>
      new WorkerProvisioner({
        catalog: join(t, "catalog"),
        root: join(t, "root"),
        arch: "x86_64",
        platform: "linux",
        systemRoot,
      });
    const without = at(join(t, "empty"));
    assertEquals(await without.supports("llm-worker-rbee-cuda"), false);
    assertEquals(
      await without.unsupportedReason("llm-worker-rbee-cuda"),
      "it needs an NVIDIA driver (no /proc/driver/nvidia/version, no libcuda.so.1 in the loader cache)",
    );
    assertEquals(await without.supports("llm-worker-rbee-cpu"), true);
    assertEquals(await without.unsupportedReason("nope"), "the catalog has no worker nope");
    assertEquals(await without.bestVariant("llm-worker-rbee"), "llm-worker-rbee-cpu");
    assertEquals(
      await without.unsupportedReason("dep-worker"),
      "dep-worker cannot be built here, 1 requirement(s) unmet: libnotthere (depends) (put libnotthere on PATH or name its directory with --toolchain)",
    );
    await stageNvidiaDriver(join(t, "driver"));
    const withDriver = at(join(t, "driver"));
    assertEquals(await withDriver.supports("llm-worker-rbee-cuda"), true);
    assertEquals(await withDriver.bestVariant("llm-worker-rbee"), "llm-worker-rbee-cuda");
    assertEquals(
      (await withDriver.unsupportedReason("llm-worker-rbee-metal"))?.includes("macos"),
      true,
    );
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});
