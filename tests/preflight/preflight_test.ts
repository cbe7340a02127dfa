/** Preflight: the resolver chain (pacman, dpkg, PATH and toolchains), the hardware probes, and one message for everything unmet. */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { parsePkgbuild } from "../../src/pkgbuild/mod.ts";
import { checkPreflight, preflight } from "../../src/preflight/preflight.ts";
import { PreflightUnmetError } from "../../src/preflight/errors.ts";
import { hasNvidiaDriver, unmetHardware } from "../../src/preflight/hardware.ts";
import { systemProbe } from "../../src/preflight/system.ts";
import { stage, stageArch, stageDebian, stageNvidiaDriver } from "./_staged.ts";

const RECIPE = `pkgname=w
pkgver=1
pkgrel=1
arch=(x86_64 aarch64)
depends=('gcc>=12')
makedepends=('rust' 'cargo' 'cmake')
makedepends_x86_64=('cuda')
checkdepends=('python')
package() { :; }
`;
const PKGBUILD = parsePkgbuild(RECIPE, { carch: "x86_64" });

async function withRoot(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir();
  try {
    await fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("preflight() on Debian: dpkg packages through the name map, then executables on PATH and in toolchains", () =>
  withRoot(async (root) => {
    await stageDebian(root, ["gcc", "rustc"]);
    await stage(root, "usr/bin/python3", "", 0o755);
    await stage(root, "usr/bin/cmake", "", 0o644); // not executable: does not count
    const toolchain = join(root, "toolchain-bin");
    await stage(root, "toolchain-bin/cargo", "", 0o755);
    const unmet = await preflight(PKGBUILD, {
      probe: systemProbe(root),
      toolchainBins: [toolchain],
    });
    assertEquals(unmet.map((u) => [u.kind, u.what]), [
      ["makedepends", "cmake (makedepends)"],
      ["makedepends", "cuda (makedepends)"],
    ]);
    assertStringIncludes(unmet[1].fix, "apt-get install nvidia-cuda-toolkit");
    assertStringIncludes(unmet[1].fix, "put nvcc on PATH or name its directory with --toolchain");
    const nocheck = await preflight(PKGBUILD, { probe: systemProbe(root), check: false });
    assert(!nocheck.some((u) => u.kind === "checkdepends"));
    assertEquals(nocheck.map((u) => u.what).includes("cargo (makedepends)"), true);
    assertEquals(await preflight(PKGBUILD, { probe: systemProbe(root), nodeps: true }), []);
  }));

Deno.test("preflight() on Arch asks pacman -T, version constraints included", () =>
  withRoot(async (root) => {
    await stageArch(root, [
      "gcc-11.1-1",
      "rust-1.80-1",
      "cargo-1.80-1",
      "cmake-3.30-1",
      "python-3.12-1",
    ]);
    const unmet = await preflight(PKGBUILD, { probe: systemProbe(root) });
    assertEquals(unmet.map((u) => u.what), ["gcc>=12 (depends)", "cuda (makedepends)"]);
    assertStringIncludes(unmet[0].fix, "pacman -S gcc");
  }));

Deno.test("a cuda worker needs an NVIDIA driver: the kernel module's version file or libcuda.so.1 in the loader cache", () =>
  withRoot(async (root) => {
    const probe = systemProbe(root, "linux");
    assert(!hasNvidiaDriver(probe));
    assertEquals(unmetHardware("cuda", probe).length, 1);
    assertEquals(unmetHardware("cpu", probe), []);
    await stage(
      root,
      "etc/ld.so.cache",
      "ld.so-1.7.0\0libc.so.6\0/usr/lib/x86_64-linux-gnu/libcuda.so.1\0",
    );
    assert(hasNvidiaDriver(probe));
    await Deno.remove(join(root, "etc/ld.so.cache"));
    await stageNvidiaDriver(root);
    assertEquals(unmetHardware("cuda", probe), []);
    assertEquals(
      unmetHardware("metal", probe)[0].what,
      "macOS (metal workers run on macOS only; this is linux)",
    );
    assertEquals(unmetHardware("metal", systemProbe(root, "darwin")), []);
  }));

Deno.test("checkPreflight() lists every unmet requirement, hardware first, in one error", () =>
  withRoot(async (root) => {
    await stageDebian(root, []);
    const error = await assertRejects(
      () =>
        checkPreflight("w-cuda", PKGBUILD, {
          probe: systemProbe(root, "linux"),
          workerType: "cuda",
        }),
      PreflightUnmetError,
    );
    assertEquals(error.code, "PREFLIGHT_UNMET");
    assertEquals(error.unmet.map((u) => u.kind), [
      "hardware",
      "depends",
      "makedepends",
      "makedepends",
      "makedepends",
      "makedepends",
      "checkdepends",
    ]);
    assertStringIncludes(
      error.message,
      "w-cuda cannot be built here, 7 requirement(s) unmet: an NVIDIA driver",
    );
    assertStringIncludes(
      error.message,
      "gcc>=12 (depends) (apt-get install gcc, or put gcc on PATH",
    );
    // --nodeps skips the dependencies, never the hardware.
    const hw = await preflight(PKGBUILD, {
      probe: systemProbe(root),
      workerType: "cuda",
      nodeps: true,
    });
    assertEquals(hw.map((u) => u.kind), ["hardware"]);
  }));
