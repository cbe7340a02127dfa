/**
 * Where things go: the installation layout.
 *
 * - **System** (root user, or any user with `--root DIR`): a package tree path
 *   `usr/local/bin/x` is installed at `ROOT/usr/local/bin/x`. State lives in
 *   `ROOT/var/lib/worker-provisioner/` (as pacman's `--root` keeps its
 *   database under `ROOT/var/lib/pacman/`), so two roots never share state.
 * - **User** (a non-root user without `--root`): nothing needs sudo. The
 *   package tree is installed under `~/.local`: a leading `usr/local/` or
 *   `usr/` is replaced by `~/.local/`, and any other path `p` goes to
 *   `~/.local/p` (so `usr/local/bin/x` → `~/.local/bin/x`, reachable from
 *   `~/.local/bin`; `opt/w/x` → `~/.local/opt/w/x`). State lives in
 *   `$XDG_STATE_HOME/worker-provisioner` (default `~/.local/state/...`).
 *
 * The state directory holds:
 *
 * | path                         | what                                               |
 * | ---------------------------- | -------------------------------------------------- |
 * | `workers/<id>/record.json`   | the record (manifest) of an installed worker       |
 * | `locks/<id>.lock`            | the per-worker lock (flock), removed when released |
 * | `journal/<id>.json`          | an install in progress; replayed by the next run   |
 * | `staging/<txid>/`            | the staged tree and backups of a transaction       |
 *
 * Staging lives in the state directory, which is on the same filesystem as
 * the root in every layout above (moves are renames); a move across
 * filesystems falls back to copy + rename next to the destination.
 *
 * @module
 */

import { join, normalize, resolve } from "../_path.ts";
import { isInside, joinInside } from "../boundary/contained_path.ts";
import { requirePackagePath } from "../boundary/package_path.ts";
import { requireWorkerId } from "../boundary/worker_id.ts";

/** Where a provisioner installs and keeps its state. */
export interface Layout {
  /** The directory package tree paths are relative to (`/` or `--root DIR`). */
  readonly root: string;
  /**
   * When set (user installs), package tree paths are mapped into this prefix
   * (e.g. `/home/u/.local`) instead of `root`, as described in the module doc.
   */
  readonly userPrefix?: string;
  /** The state directory (records, locks, journal, staging). */
  readonly stateDir: string;
  /** The source cache directory. */
  readonly cacheDir: string;
}

/** Values {@link defaultLayout} computes defaults from (the CLI reads them from the environment). */
export interface LayoutInputs {
  /** The effective user id (`Deno.uid()`); `0` is root. */
  readonly uid: number | null;
  /** The user's home directory (`$HOME`). */
  readonly home?: string;
  /** `$XDG_STATE_HOME`, when set. @default `HOME/.local/state` */
  readonly xdgStateHome?: string;
  /** `$XDG_CACHE_HOME`, when set. @default `HOME/.cache` */
  readonly xdgCacheHome?: string;
  /** `--root DIR`, when given. */
  readonly root?: string;
}

/** The state directory of the system layout under `root`. */
export function systemStateDir(root: string): string {
  return join(root, "var/lib/worker-provisioner");
}

/** The root whose system state directory is `stateDir`, or `/` for any other state directory. */
export function rootOfStateDir(stateDir: string): string {
  const suffix = "/var/lib/worker-provisioner";
  const dir = normalize(stateDir).replace(/\/+$/, "");
  return dir.endsWith(suffix) ? dir.slice(0, -suffix.length) || "/" : "/";
}

/**
 * Computes the default layout from the values given (pure: reads no
 * environment). Root or `--root`: the system layout; otherwise the user layout.
 */
export function defaultLayout(inputs: LayoutInputs): Layout {
  if (inputs.root !== undefined || inputs.uid === 0 || !inputs.home) {
    const root = resolve(inputs.root ?? "/");
    const cache = inputs.uid === 0 || !inputs.home
      ? join(root, "var/cache/worker-provisioner")
      : join(inputs.xdgCacheHome || join(inputs.home, ".cache"), "worker-provisioner");
    return { root, stateDir: systemStateDir(root), cacheDir: cache };
  }
  const home = resolve(inputs.home);
  return {
    root: "/",
    userPrefix: join(home, ".local"),
    stateDir: join(inputs.xdgStateHome || join(home, ".local/state"), "worker-provisioner"),
    cacheDir: join(inputs.xdgCacheHome || join(home, ".cache"), "worker-provisioner"),
  };
}

/** Maps a package tree path (relative, e.g. `usr/local/bin/x`) to its absolute destination. */
export function destinationOf(layout: Layout, treePath: string): string {
  const rel = requirePackagePath(treePath, "a package tree");
  if (layout.userPrefix === undefined) return joinInside(layout.root, rel, "a package tree");
  const stripped = rel.startsWith("usr/local/")
    ? rel.slice("usr/local/".length)
    : rel === "usr/local"
    ? ""
    : rel.startsWith("usr/")
    ? rel.slice("usr/".length)
    : rel === "usr"
    ? ""
    : rel;
  return stripped === ""
    ? layout.userPrefix
    : joinInside(layout.userPrefix, stripped, "a package tree");
}

/** The directory package tree paths land in: the user prefix, else the root. */
export function installBase(layout: Layout): string {
  return layout.userPrefix ?? layout.root;
}

/**
 * The provisioner's own directories (state, cache) that package paths and
 * record paths may not enter. A directory that holds the whole install
 * base (a test's cache around its root) reserves nothing.
 */
export function reservedDirs(layout: Layout): string[] {
  const base = installBase(layout);
  return [layout.stateDir, layout.cacheDir].filter((d) => !isInside(base, d));
}

/** The state directory's files for one layout. */
export interface StatePaths {
  /** Directory of all records. */
  readonly workersDir: string;
  /** Directory of the lock files. */
  readonly locksDir: string;
  /** Directory of the journals. */
  readonly journalDir: string;
  /** Directory of the transactions' staging trees. */
  readonly stagingDir: string;
  /** The record file of worker `id`. */
  record(id: string): string;
  /** The lock file of worker `id`. */
  lock(id: string): string;
  /** The install-tree lock, held while a job changes files under the root. */
  readonly treeLock: string;
  /** The journal file of worker `id`. */
  journal(id: string): string;
  /** The staging directory of transaction `txid`. */
  staging(txid: string): string;
}

/** Returns the paths of the state directory `stateDir`. */
export function statePaths(stateDir: string): StatePaths {
  const workersDir = join(stateDir, "workers");
  const locksDir = join(stateDir, "locks");
  const journalDir = join(stateDir, "journal");
  const stagingDir = join(stateDir, "staging");
  return {
    workersDir,
    locksDir,
    journalDir,
    stagingDir,
    record: (id) => join(workersDir, safeId(id), "record.json"),
    lock: (id) => join(locksDir, `${safeId(id)}.lock`),
    treeLock: join(locksDir, ".tree.lock"), // a name no worker id can take
    journal: (id) => join(journalDir, `${safeId(id)}.json`),
    staging: (txid) => joinInside(stagingDir, txid, "a transaction id"),
  };
}

/** Every path built from an id is built from a checked one (callers check first, naming the source). */
function safeId(id: string): string {
  return requireWorkerId(id, "state directory");
}

/** A worker id safe to use as a file name (makepkg's pkgname charset): owned by `src/boundary/worker_id.ts`. */
export { WORKER_ID_PATTERN } from "../boundary/worker_id.ts";
