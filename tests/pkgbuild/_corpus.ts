/**
 * The real-world corpus `fixtures/corpus/<name>/`: a public `PKGBUILD` and
 * what makepkg made of it, stored once by `deno task corpus:oracle`
 * (`.makepkg.exit`, makepkg's exit code, and `.SRCINFO.makepkg`, its
 * `--printsrcinfo` output when that was 0). {@link compareCorpus} compares
 * our `.SRCINFO` with the stored one for each PKGBUILD.
 *
 * @module
 */

import { join } from "node:path";
import { parsePkgbuild } from "../../src/pkgbuild/parse.ts";
import { toSrcinfo } from "../../src/pkgbuild/srcinfo_write.ts";
import { lintPkgbuild } from "../../src/pkgbuild/lint/mod.ts";
import { PkgbuildRefusedError } from "../../src/pkgbuild/errors.ts";
import { ProvisionerError } from "../../src/errors.ts";
import { lineDiff } from "./_line_diff.ts";

/** Absolute path of `fixtures/corpus`. */
export const CORPUS_DIR: string = new URL("../../fixtures/corpus", import.meta.url).pathname;

/** What comparing one corpus PKGBUILD with makepkg's stored result gave. */
export type CorpusOutcome =
  | { readonly kind: "identical" }
  | { readonly kind: "different"; readonly diff: string }
  | { readonly kind: "refused"; readonly reason: string }
  | { readonly kind: "error"; readonly reason: string }
  | { readonly kind: "crashed"; readonly reason: string }
  | { readonly kind: "rejected"; readonly lintAgrees: boolean | undefined }
  | { readonly kind: "pending" };

/** The corpus directory names holding a PKGBUILD, sorted. */
export function corpusNames(root: string = CORPUS_DIR): string[] {
  return [...Deno.readDirSync(root)].filter((e) => e.isDirectory).map((e) => e.name)
    .filter((name) => isFile(join(root, name, "PKGBUILD"))).sort();
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

const STORED = new Set([".makepkg.exit", ".SRCINFO.makepkg"]);

function filesBeside(dir: string): Set<string> {
  const files = new Set<string>();
  for (const entry of Deno.readDirSync(dir)) {
    // every file of the recipe, dotfiles too (`install=.install`), but makepkg's stored result
    if (entry.isFile && entry.name !== "PKGBUILD" && !STORED.has(entry.name)) {
      files.add(entry.name);
    }
  }
  return files;
}

/** Compares one corpus PKGBUILD (directory `dir`) with makepkg's stored result. */
export function compareOne(dir: string, carch = "x86_64"): CorpusOutcome {
  if (!isFile(join(dir, ".makepkg.exit"))) return { kind: "pending" };
  const exit = Number(Deno.readTextFileSync(join(dir, ".makepkg.exit")).trim());
  let pkgbuild;
  try {
    pkgbuild = parsePkgbuild(Deno.readTextFileSync(join(dir, "PKGBUILD")), { carch });
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (exit !== 0) return { kind: "rejected", lintAgrees: undefined };
    if (error instanceof PkgbuildRefusedError) return { kind: "refused", reason };
    if (error instanceof ProvisionerError) return { kind: "error", reason };
    return { kind: "crashed", reason };
  }
  // compared with `makepkg --printsrcinfo`, which ignores the architecture (`-A`)
  const errors = lintPkgbuild(pkgbuild, { files: filesBeside(dir), ignoreArch: true })
    .filter((f) => f.severity === "error");
  if (exit !== 0) return { kind: "rejected", lintAgrees: errors.length > 0 };
  const expected = Deno.readTextFileSync(join(dir, ".SRCINFO.makepkg"));
  let actual: string;
  try {
    actual = toSrcinfo(pkgbuild);
  } catch (error) {
    return { kind: "crashed", reason: `toSrcinfo: ${error}` };
  }
  if (actual !== expected) return { kind: "different", diff: lineDiff(expected, actual) };
  if (errors.length > 0) {
    return { kind: "different", diff: `our lint: ${errors.map((e) => e.message).join("; ")}` };
  }
  return { kind: "identical" };
}

/** Compares every corpus PKGBUILD under `root`; the map is keyed by directory name. */
export function compareCorpus(
  root: string = CORPUS_DIR,
  carch = "x86_64",
): Map<string, CorpusOutcome> {
  return new Map(corpusNames(root).map((name) => [name, compareOne(join(root, name), carch)]));
}

/** Groups refusal messages by cause: quoted names and numbers replaced. */
export function reasonKey(message: string): string {
  return message.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "…").replace(/\d+/g, "N").slice(0, 120);
}
