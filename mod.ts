/**
 * worker-provisioner puts rbee's LLM inference workers onto machines.
 *
 * It reads an Arch-style PKGBUILD recipe (from a worker catalog, a catalog
 * directory or a local file) with a static evaluator that never runs the
 * recipe's code, fetches and verifies the sources for the host architecture,
 * runs the recipe's functions in bash, and installs the result atomically.
 *
 * @example Print the `.SRCINFO` of a PKGBUILD
 * ```ts
 * import { parsePkgbuild, toSrcinfo } from "@rbee/worker-provisioner";
 *
 * const pkgbuild = parsePkgbuild(`
 * pkgname=llm-worker-rbee-cpu
 * pkgver=0.1.0
 * pkgrel=1
 * arch=(x86_64 aarch64)
 * source=("git+https://github.com/rbee/llama-orch.git#branch=main")
 * sha256sums=('SKIP')
 * `, { carch: "x86_64" });
 * console.log(toSrcinfo(pkgbuild));
 * ```
 *
 * @module
 */

export * from "./src/errors.ts";
export * from "./src/events.ts";
export * from "./src/pkgbuild/mod.ts";
export * from "./src/source/mod.ts";
export * from "./src/run/mod.ts";
export * from "./src/provision/mod.ts";
export * from "./src/tidy/mod.ts";
export * from "./src/package/mod.ts";
export * from "./src/oci/mod.ts";
