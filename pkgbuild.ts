/**
 * The PKGBUILD engine alone: read a PKGBUILD with makepkg's semantics
 * without running it, write or read its `.SRCINFO`, and check it with
 * makepkg's lint rules. Pure: nothing here touches the disk, the network or
 * a process, so it is safe on untrusted recipes and needs no permission.
 *
 * {@link parsePkgbuild} throws {@link BashSyntaxError} (not bash),
 * {@link BashLimitError} or {@link PkgbuildLimitError} (too large or deep),
 * and {@link PkgbuildRefusedError} (a construct the static evaluator will not
 * evaluate, such as a command substitution); {@link BashParserBugError} is
 * a bug of the parser itself, to report.
 *
 * @example Print the `.SRCINFO` of a PKGBUILD and its lint findings
 * ```ts
 * import { lintPkgbuild, parsePkgbuild, toSrcinfo } from "@rbee/worker-provisioner/pkgbuild";
 *
 * const pkgbuild = parsePkgbuild(`
 * pkgname=llm-worker-rbee-cpu
 * pkgver=0.1.0
 * pkgrel=1
 * pkgdesc="rbee's CPU inference worker"
 * arch=(x86_64 aarch64)
 * license=(GPL-3.0-or-later)
 * source=("https://example.org/llm-worker-$pkgver.tar.gz")
 * sha256sums=('SKIP')
 * package() { install -Dm755 llm-worker "$pkgdir/usr/bin/llm-worker"; }
 * `, { carch: "x86_64" });
 *
 * const srcinfo = toSrcinfo(pkgbuild);
 * if (!srcinfo.includes("source = https://example.org/llm-worker-0.1.0.tar.gz")) {
 *   throw new Error("the source was not expanded");
 * }
 * console.log(srcinfo);
 * for (const finding of lintPkgbuild(pkgbuild)) console.log(finding.severity, finding.message);
 * ```
 *
 * @module
 */

export {
  HASH_ALGORITHMS,
  type HashAlgorithm,
  type Pkgbuild,
  type PkgbuildFunction,
  type PkgbuildPackage,
  type PkgbuildValue,
  valueAsArray,
  valueAsString,
} from "./src/pkgbuild/model.ts";
export { type EvalLimits, parsePkgbuild, type ParsePkgbuildOptions } from "./src/pkgbuild/parse.ts";
export { toSrcinfo } from "./src/pkgbuild/srcinfo_write.ts";
export {
  parseSrcinfo,
  type Srcinfo,
  type SrcinfoFields,
  type SrcinfoPackage,
  SrcinfoSyntaxError,
  srcinfoToPkgbuild,
} from "./src/pkgbuild/srcinfo_read.ts";
export { type LintFinding, type LintOptions, lintPkgbuild } from "./src/pkgbuild/lint/mod.ts";
export {
  PkgbuildLimitError,
  PkgbuildRefusedError,
  PkgbuildSourceError,
} from "./src/pkgbuild/errors.ts";
export { BashLimitError, BashParserBugError, BashSyntaxError } from "./src/bash/errors.ts";
export {
  ExitCode,
  type ExitCodeValue,
  ProvisionerError,
  type ProvisionerErrorOptions,
} from "./src/errors.ts";
