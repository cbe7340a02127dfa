/**
 * Toolchains a build may use without opening the sandbox wide: a directory
 * bound read-only into the sandbox and put in front of `PATH`, with the
 * variables that make it work. Two kinds: rustup's layout under the
 * invoking user's home (`$CARGO_HOME/bin` or `~/.cargo/bin`, with
 * `RUSTUP_HOME`), and any directory the operator names (`--toolchain
 * /opt/cuda`: its `bin/` when it has one, else the directory itself).
 *
 * Discovery reads the disk (whether the directories exist); the values it
 * works from are passed in, never read from the environment here.
 *
 * @module
 */

import { join, resolve } from "node:path";

/** One toolchain a build gets. */
export interface Toolchain {
  /** What it is, for `plan` and events: `rustup` or `dir`. */
  readonly kind: "rustup" | "dir";
  /** The directory put in front of `PATH` (bound read-only). */
  readonly bin: string;
  /** Every directory bound read-only into the sandbox for it (`bin` included). */
  readonly readOnly: readonly string[];
  /** Variables it sets for the recipe functions (e.g. `RUSTUP_HOME`). */
  readonly env: Readonly<Record<string, string>>;
}

/** Where to look for a rustup installation (the invoking user's values). */
export interface RustupLocation {
  /** The invoking user's home directory. */
  readonly home?: string;
  /** `$CARGO_HOME`. @default `HOME/.cargo` */
  readonly cargoHome?: string;
  /** `$RUSTUP_HOME`. @default `HOME/.rustup` */
  readonly rustupHome?: string;
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * Finds rustup's layout: `CARGO_HOME/bin/cargo` (a rustup proxy or a link to
 * any cargo). `RUSTUP_HOME` is bound and passed when it exists. Returns
 * `null` when there is no cargo there.
 */
export function rustupToolchain(where: RustupLocation): Toolchain | null {
  const cargoHome = where.cargoHome ?? (where.home ? join(where.home, ".cargo") : undefined);
  if (cargoHome === undefined) return null;
  const bin = join(resolve(cargoHome), "bin");
  if (!isFile(join(bin, "cargo"))) return null;
  const rustupHome = where.rustupHome ?? (where.home ? join(where.home, ".rustup") : undefined);
  const withRustup = rustupHome !== undefined && isDirectory(rustupHome);
  return {
    kind: "rustup",
    bin,
    readOnly: withRustup ? [bin, resolve(rustupHome)] : [bin],
    env: withRustup ? { RUSTUP_HOME: resolve(rustupHome) } : {},
  };
}

/** A directory the operator named: its `bin/` goes on `PATH` when it has one, else the directory. */
export function directoryToolchain(dir: string): Toolchain {
  const root = resolve(dir);
  const bin = isDirectory(join(root, "bin")) ? join(root, "bin") : root;
  return { kind: "dir", bin, readOnly: [root], env: {} };
}

/** Input of {@link discoverToolchains}. */
export interface ToolchainDiscovery extends RustupLocation {
  /** Directories named by the operator (`--toolchain DIR`), in order. @default [] */
  readonly dirs?: readonly string[];
  /** Look for rustup's layout. @default true */
  readonly rustup?: boolean;
}

/**
 * The toolchains of a build: the named directories first (they win on
 * `PATH`), then rustup's layout when found. A named directory that does not
 * exist is refused by the caller (see {@link missingToolchainDirs}).
 */
export function discoverToolchains(options: ToolchainDiscovery): Toolchain[] {
  const out = (options.dirs ?? []).map(directoryToolchain);
  const rustup = options.rustup === false ? null : rustupToolchain(options);
  if (rustup && !out.some((t) => t.bin === rustup.bin)) out.push(rustup);
  return out;
}

/** The named toolchain directories that are not directories. */
export function missingToolchainDirs(dirs: readonly string[]): string[] {
  return dirs.filter((d) => !isDirectory(d));
}
