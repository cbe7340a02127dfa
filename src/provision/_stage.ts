/**
 * Staging: puts the package trees a recipe produced into the transaction's
 * staging directory (in the state directory, on the root's filesystem),
 * hashes every staged file, and maps every path to its destination.
 *
 * When the trees may be consumed (the build directory is discarded after the
 * install) and a file lies on the staging directory's filesystem, it is
 * renamed into the staging directory; otherwise it is copied in the kernel
 * (`copy_file_range`, a reflink on filesystems that share extents). A
 * local package cache entry's files are hard-linked or copied as
 * `_cache_sharing.ts` decides, and take their digests from its manifest.
 * A renamed file keeps its owner, mode and links as the recipe left them
 * (a copy is owned by the installer, which runs the recipe as the same
 * user). Each staged file is then hashed where it lies, with synchronous
 * reads into one buffer; its data flush (`fdatasync`) is started with
 * the 31 files hashed with it, on Deno's blocking threads, while the next
 * 32 are hashed (the flushes overlap the hashing instead of following all
 * of it; 32 at once are committed together by the filesystem). Staging
 * resolves only when every flush is done and the staging directory itself
 * is flushed, so every staged byte is on disk before the journal is
 * written. A file linked from an entry needs no flush: its data was made
 * durable when it was staged the first time.
 *
 * A tree whose digests are known already (a package the reader hashed as
 * it wrote each file, {@link KnownFiles}) is not hashed again: a file whose
 * stamp (inode, size, mtime in ms, mode) still matches the one recorded
 * right after it was written takes its known digest; one that differs
 * (swapped or rewritten since) is hashed as any other file, so the caller's
 * check sees its real digest. Its data is still flushed (nobody flushed it
 * when it was written).
 *
 * @module
 */

import { sha256OpenFileBlocking } from "../_hash.ts";
import { join } from "node:path";
import { refuseIf, reservedPathProblem } from "../boundary/package_path.ts";
import { throwIfCancelled } from "../errors.ts";
import {
  copyFileWithMode,
  isCrossDevice,
  modeOf,
  syncDir,
  type TreeEntry,
  walkTree,
} from "./_fs.ts";
import { type FileStamp, stampMismatch, stampOf, takeEntryFile } from "./_cache_sharing.ts";
import { PackageInvalidError } from "./errors.ts";
import { destinationOf, type Layout, reservedDirs } from "./paths.ts";

/** A package tree produced by the recipe (`$pkgdir` of one package). */
export interface PackageTree {
  /** The package name. */
  readonly name: string;
  /** Its `$pkgdir`. */
  readonly dir: string;
  /** The digests known of its files (they are not hashed again while their stamps match). @default none */
  readonly known?: KnownFiles;
}

/**
 * Files of a tree whose digests are known, by path in the tree: the digest
 * and the file's stamp when it was hashed (a package's reader records both
 * right after writing each file). Staging trusts the digest while the file
 * still has that stamp; one writer's word on a tree it wrote itself, never
 * a recipe's.
 */
export type KnownFiles = ReadonlyMap<string, KnownFile>;

/** A file's known digest and its stamp when it was hashed ({@link KnownFiles}). */
export interface KnownFile {
  /** Its sha256. */
  readonly sha256: string;
  /** Its stamp when it was hashed. */
  readonly stamp: FileStamp;
}

/** One staged path. */
export interface StagedEntry {
  /** The absolute destination. */
  readonly dest: string;
  /** What it is. */
  readonly type: "file" | "dir" | "symlink";
  /** Permission bits. */
  readonly mode: number;
  /** Size in bytes (files). */
  readonly size: number;
  /** sha256 (files). */
  readonly sha256?: string;
  /** Link target (symlinks). */
  readonly target?: string;
  /** Name of the staged copy inside `new/` (files and symlinks). */
  readonly staged?: string;
  /** Where it came from: `<pkgname>/<path in the package>`. */
  readonly source?: string;
  /** The staged file's stamp (files): what a cache entry made of it later is checked against. */
  readonly stamp?: FileStamp;
}

/** Files makepkg writes at a package's root that are metadata, not content. */
export const PACKAGE_METADATA: ReadonlySet<string> = new Set([
  ".PKGINFO",
  ".BUILDINFO",
  ".MTREE",
  ".INSTALL",
  ".CHANGELOG",
]);

/** Files whose data flushes are started together (the filesystem commits them together). */
const SYNC_BATCH = 32;

/**
 * Data flushes (`fdatasync`) of staged files, started in batches of 32 as
 * files are hashed: a batch flushes on Deno's blocking threads while the
 * next one is hashed on this one, instead of all flushes after all the
 * hashing. A batch starts only once the one before it is done, so its 32
 * flushes are in flight together and the filesystem commits them in one
 * journal commit (one flush at a time as each file is hashed measured
 * slower than no overlap at all: a commit per file). {@link settle}
 * flushes the rest, waits for every flush and throws the first failure.
 */
class DataSyncs {
  #batch: Deno.FsFile[] = [];
  #flushing: Promise<void> = Promise.resolve();
  #failure: unknown = null;

  /** Flushes `files` together and closes them; a failure is kept for {@link settle}. */
  #flush(files: readonly Deno.FsFile[]): Promise<void> {
    const one = (file: Deno.FsFile) =>
      file.syncData().then(() => {}, (error) => void (this.#failure ??= error))
        .finally(() => file.close());
    return Promise.all(files.map(one)).then(() => {});
  }

  /** Adds the open `file` (closed once flushed); a full batch starts once the previous is done. */
  async add(file: Deno.FsFile): Promise<void> {
    this.#batch.push(file);
    if (this.#batch.length < SYNC_BATCH) return;
    const previous = this.#flushing;
    this.#flushing = this.#flush(this.#batch);
    this.#batch = [];
    await previous;
    if (this.#failure) throw this.#failure;
  }

  /** Flushes the last batch, waits for every flush started; throws the first failure. */
  async settle(): Promise<void> {
    const previous = this.#flushing;
    this.#flushing = this.#flush(this.#batch);
    this.#batch = [];
    await previous;
    await this.#flushing;
    if (this.#failure) throw this.#failure;
  }
}

/**
 * Renames `src` to `dest`; false when that crosses a mount (same device,
 * e.g. a bind mount: the caller copies instead).
 */
function moveInto(src: string, dest: string): boolean {
  try {
    Deno.renameSync(src, dest);
    return true;
  } catch (error) {
    if (isCrossDevice(error)) return false;
    throw error;
  }
}

/**
 * A local package cache entry as staging's source: the digest of each of
 * its files by tree path (`<pkgname>/<path>`), from its manifest (trusted
 * on the entry's checked stamps, `_cache_sharing.ts`), and which are
 * `backup` files.
 */
export interface EntrySource {
  /** Each file of the entry's trees. */
  readonly files: ReadonlyMap<string, { readonly sha256: string; readonly backup?: boolean }>;
  /** The bytes of its files (what staging needs at most). */
  readonly bytes: number;
}

/**
 * How staging takes a tree's files when they lie on the staging directory's
 * filesystem: `move` (rename; the tree is discarded afterwards), `copy`
 * (always, in the kernel; the tree is kept), or from a package cache entry
 * (linked or copied as `_cache_sharing.ts` decides, not hashed again).
 */
export type StageTransfer = "copy" | "move" | EntrySource;

/** What staging one file needs besides the file. */
interface FileStaging {
  readonly transfer: StageTransfer;
  readonly stagingDev: number;
  readonly syncs: DataSyncs;
  readonly signal: AbortSignal | undefined;
}

/**
 * Stages the file `e` of a tree as `stagedPath`: taken as `ctx.transfer`
 * says, hashed (unless from an entry, or `known` and its stamp unchanged:
 * the moved file's, or a copy's source's once copied) and its data flush
 * started (unless linked from an entry, whose data is durable already).
 * Resolves to its sha256 and the staged file's stat.
 */
async function stageFile(
  e: TreeEntry,
  treePath: string,
  stagedPath: string,
  ctx: FileStaging,
  known?: KnownFile,
): Promise<{ sha256: string; info: Deno.FileInfo }> {
  const { transfer, stagingDev, syncs } = ctx;
  const mode = modeOf(e.info);
  if (typeof transfer === "object") {
    const want = transfer.files.get(treePath);
    if (!want) throw new PackageInvalidError(treePath, "its cache manifest has no digest for it");
    const taken = takeEntryFile(e.path, stagedPath, e.info, { mode, ...want }, stagingDev);
    if (!taken.linked) await syncs.add(Deno.openSync(stagedPath, { read: true }));
    return { sha256: want.sha256, info: taken.info };
  }
  const moved = transfer === "move" && e.info.dev === stagingDev && moveInto(e.path, stagedPath);
  if (!moved) copyFileWithMode(e.path, stagedPath, mode);
  const file = Deno.openSync(stagedPath, { read: true });
  let sha256, info;
  try {
    info = file.statSync();
    // moved: the file itself; copied: its source, once copied, and the copy's size
    const unchanged = known && !stampMismatch(known.stamp, moved ? info : Deno.lstatSync(e.path)) &&
      info.size === known.stamp.size;
    sha256 = unchanged ? known.sha256 : await sha256OpenFileBlocking(file, stagedPath, ctx.signal);
  } catch (error) {
    file.close();
    throw error;
  }
  await syncs.add(file);
  return { sha256, info };
}

/** What a tree's path `e` stages as: its type, or a {@link PackageInvalidError}. */
function typeOf(tree: PackageTree, e: TreeEntry): StagedEntry["type"] {
  if (e.info.isDirectory) return "dir";
  if (e.info.isSymlink) return "symlink";
  if (e.info.isFile) return "file";
  throw new PackageInvalidError(`${tree.name}:${e.rel}`, "not a file, directory or symlink");
}

/**
 * Stages `trees` into `stagingDir/new/`, returning one entry per path
 * (parents first). Files on the staging directory's filesystem are taken
 * as `transfer` says, the others copied. Every staged byte is on disk when
 * it resolves.
 */
export async function stageTrees(
  layout: Layout,
  trees: readonly PackageTree[],
  stagingDir: string,
  signal?: AbortSignal,
  transfer: StageTransfer = "copy",
): Promise<StagedEntry[]> {
  const newDir = join(stagingDir, "new");
  await Deno.mkdir(newDir, { recursive: true });
  const stagingDev = transfer !== "copy" ? (await Deno.stat(newDir)).dev : -1;
  const ctx: FileStaging = { transfer, stagingDev, syncs: new DataSyncs(), signal };
  const entries: StagedEntry[] = [];
  const seen = new Map<string, string>();
  const reserved = reservedDirs(layout);
  let n = 0;
  try {
    for (const tree of trees) {
      for (const e of await walkTree(tree.dir)) {
        throwIfCancelled(signal, "Staging");
        if (!e.rel.includes("/") && PACKAGE_METADATA.has(e.rel)) continue;
        const dest = destinationOf(layout, e.rel);
        const mode = modeOf(e.info);
        const type = typeOf(tree, e);
        refuseIf(
          reservedPathProblem(dest, type, reserved),
          e.rel,
          `package ${tree.name}`,
        );
        const other = seen.get(dest);
        if (other !== undefined) {
          if (type === "dir") continue;
          throw new PackageInvalidError(`${tree.name}:${e.rel}`, `package ${other} also ships it`);
        }
        seen.set(dest, tree.name);
        const source = `${tree.name}/${e.rel}`;
        if (type === "dir") {
          entries.push({ dest, type, mode, size: 0, source });
        } else if (type === "symlink") {
          const name = String(n++);
          const target = Deno.readLinkSync(e.path);
          Deno.symlinkSync(target, join(newDir, name));
          entries.push({ dest, type, mode: 0o777, size: 0, target, staged: name, source });
        } else {
          const name = String(n++);
          const known = tree.known?.get(e.rel);
          const { sha256, info } = await stageFile(e, source, join(newDir, name), ctx, known);
          const stamp = stampOf(info);
          entries.push({ dest, type, mode, size: info.size, sha256, staged: name, source, stamp });
        }
      }
    }
  } catch (error) {
    await ctx.syncs.settle().catch(() => {}); // every file closed before the staging goes
    throw error;
  }
  await ctx.syncs.settle();
  await syncDir(newDir);
  return entries;
}
