/**
 * Install from a binary package (`install ./x.pkg.tar.zst`, an http(s) URL,
 * or a package a binary cache or registry handed over): read and verify it
 * (every file against its manifest; then the {@link verifyPackage} seam),
 * then the same lock → install → record transaction as a built worker, so
 * `list`, `verify` and `uninstall` treat it alike. No build tools run.
 *
 * @module
 */

import { basename, join } from "node:path";
import { PackageCorruptError } from "../package/errors.ts";
import type { PackageManifest } from "../package/manifest.ts";
import type { ExtractLimits } from "../source/extract/limits.ts";
import { readPackage } from "../package/read.ts";
import { downloadVerified } from "../package/download.ts";
import { type PackageVerifier, type RegistrySignatures, verifyPackage } from "../package/verify.ts";
import { checkCompatibility, type HostTarget } from "./compat.ts";
import { installTrees, type StagedEntry } from "./install.ts";
import type { KnownFiles } from "./_stage.ts";
import { destinationOf, type Layout } from "./paths.ts";
import type { WorkerRecord } from "./record.ts";
import { mapFsError, type ProvisionJob } from "./_job.ts";

/** Whether `arg` names a binary package (a `.pkg.tar.zst` path or http(s) URL) rather than a recipe. */
export function isPackageRef(arg: string): boolean {
  return /\.pkg\.tar\.zst$/.test(arg.replace(/[?#].*$/, ""));
}

/** A package fetched and read into a tree, ready for the transaction. */
export interface ReadyPackage {
  /** The local package file. */
  readonly path: string;
  /** Where it came from. */
  readonly origin: string;
  /** sha256 of the file. */
  readonly sha256: string;
  /** Its verified manifest. */
  readonly manifest: PackageManifest;
  /** The extracted, verified tree. */
  readonly tree: string;
  /** Its files' digests and stamps as the reader wrote them (staging does not hash them again). */
  readonly known: KnownFiles;
  /** The fingerprint of the key whose signature a verifier accepted. */
  readonly signer?: string;
}

/** Options of {@link preparePackage}. */
export interface PreparePackageOptions {
  /** The job's build directory. */
  readonly buildDir: string;
  /** The target (arch must match the package's, or it is `any`). */
  readonly target: HostTarget;
  /** Checks plugged in before install (signatures). @default [] */
  readonly verifiers?: readonly PackageVerifier[];
  /** The sha256 the package must have, when the caller knows it. */
  readonly sha256?: string;
  /** The signatures the registry it was pulled from holds for it. */
  readonly registrySignatures?: RegistrySignatures;
  /** Limits of the package's decoded stream (`--extract-max-*`). @default DEFAULT_EXTRACT_LIMITS */
  readonly extractLimits?: ExtractLimits;
  /** Cancels. */
  readonly signal?: AbortSignal;
}

/** resolve (download a URL) → extract (read and verify) → the verifier seam → the target check. */
export async function preparePackage(
  ref: string,
  job: ProvisionJob,
  options: PreparePackageOptions,
): Promise<ReadyPackage> {
  const { buildDir, signal } = options;
  const path = await job.step("resolve", async () => {
    if (!/^https?:\/\//.test(ref)) return ref;
    const dest = join(buildDir, basename(new URL(ref).pathname));
    await downloadVerified(ref, dest, {
      ...(options.sha256 ? { sha256: options.sha256 } : {}),
      ...(signal ? { signal } : {}),
    });
    return dest;
  });
  const tree = join(buildDir, "pkg");
  const read = await job.step("extract", () =>
    readPackage(path, tree, {
      ...(options.sha256 ? { sha256: options.sha256 } : {}),
      ...(options.extractLimits ? { limits: options.extractLimits } : {}),
      ...(signal ? { signal } : {}),
    }));
  const { manifest } = read;
  job.id = manifest.id;
  const verdict = await job.step("plan", async () => {
    const verdict = await verifyPackage({
      path,
      origin: ref,
      sha256: read.sha256,
      manifest,
      ...(options.registrySignatures ? { registrySignatures: options.registrySignatures } : {}),
    }, options.verifiers ?? []);
    checkCompatibility({
      id: manifest.id,
      platforms: [manifest.platform],
      ...(manifest.arch === "any" ? {} : { architectures: [manifest.arch] }),
    }, options.target);
    return verdict;
  });
  const signer = verdict.signer ? { signer: verdict.signer } : {};
  return { path, origin: ref, sha256: read.sha256, manifest, tree, known: read.files, ...signer };
}

/**
 * A check of the staged files against the manifest the package was read
 * with. Staging takes the reader's digest of a file whose stamp (inode,
 * size, mtime, mode) is still the one it had right after it was written,
 * and hashes any other where it lies, so a file swapped or rewritten in the
 * build directory between the read and the install is refused.
 */
export function stagedAgainstManifest(
  ready: Pick<ReadyPackage, "path" | "manifest">,
  layout: Layout,
): (entries: readonly StagedEntry[]) => void {
  return (entries) => {
    const files = new Map<string, { sha256?: string; size: number; mode: number }>();
    for (const f of ready.manifest.files) {
      if (f.type === "file") files.set(destinationOf(layout, f.path), f);
    }
    let staged = 0;
    for (const e of entries) {
      if (e.type !== "file") continue;
      const f = files.get(e.dest);
      if (!f || f.sha256 !== e.sha256 || f.size !== e.size || f.mode !== e.mode) {
        throw new PackageCorruptError(
          ready.path,
          `${e.dest} changed after the package was read; nothing was installed`,
        );
      }
      staged++;
    }
    if (staged !== files.size) {
      throw new PackageCorruptError(ready.path, "files vanished after the package was read");
    }
  };
}

/** What {@link installReadyPackage} works with. */
export interface ReadyPackageContext {
  /** The job's event stream. */
  readonly job: ProvisionJob;
  /** Where to install. */
  readonly layout: Layout;
  /** Overwrite files owned by another worker or by nobody. */
  readonly force: boolean;
  /** The tree is discarded afterwards: its files are moved into staging, not copied. @default false */
  readonly consumeTree?: boolean;
  /** Cancels. */
  readonly signal?: AbortSignal;
}

/** The install transaction of a ready package (the worker's lock held by the caller). */
export async function installReadyPackage(
  ready: ReadyPackage,
  ctx: ReadyPackageContext,
): Promise<WorkerRecord> {
  const { job, layout, signal } = ctx;
  const m = ready.manifest;
  await job.begin("stage");
  const record = await installTrees({
    layout,
    trees: [{ name: m.pkgname, dir: ready.tree, known: ready.known }],
    force: ctx.force,
    consumeTrees: ctx.consumeTree ?? false,
    checkStaged: stagedAgainstManifest(ready, layout),
    ...(signal ? { signal } : {}),
    metadata: {
      id: m.id,
      version: m.version,
      arch: m.arch,
      platform: m.platform,
      origin: ready.origin,
      ...(m.worker_type ? { workerType: m.worker_type } : {}),
      ...(ready.signer ? { packageSigner: ready.signer } : {}),
    },
    hook: async (point) => {
      if (point === "staged") {
        job.end("stage");
        await job.begin("install");
      }
      if (point === "applying") await job.hook("install:applying");
      if (point === "applied") {
        job.end("install");
        await job.begin("record");
      }
    },
  }).catch(mapFsError(layout.userPrefix ?? layout.root));
  job.end("record");
  return record;
}
