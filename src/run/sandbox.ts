/**
 * The bubblewrap (`bwrap`) sandbox recipe functions run in: the whole system
 * read-only, a private /tmp and HOME, the caller's home directories hidden,
 * only srcdir (and, for package(), the package's pkgdir) writable, a private
 * PID namespace that dies with the sandbox, and no network unless the phase
 * needs it (prepare() and build() fetch crates and submodules).
 *
 * @module
 */

import { isAbsolute, normalize, relative } from "node:path";

/** Whether bwrap can run here, and why not. */
export interface SandboxProbe {
  /** `true` when a test sandbox started and exited cleanly. */
  readonly available: boolean;
  /** bwrap's own complaint (or the spawn error) when it is not available. */
  readonly reason?: string;
}

/** The flags every sandbox uses, also used to probe that bwrap supports them. */
const ISOLATION_FLAGS: readonly string[] = [
  "--unshare-pid",
  "--unshare-ipc",
  "--unshare-uts",
  "--die-with-parent",
  "--new-session",
  "--cap-drop",
  "ALL",
];

const probes = new Map<string, Promise<SandboxProbe>>();

/**
 * Finds out once per process (per bwrap path) whether `bwrap` works here, by
 * running `true` in a sandbox with the same isolation flags the runner uses.
 */
export function probeSandbox(bwrap = "bwrap"): Promise<SandboxProbe> {
  let probe = probes.get(bwrap);
  if (probe === undefined) {
    probe = runProbe(bwrap);
    probes.set(bwrap, probe);
  }
  return probe;
}

async function runProbe(bwrap: string): Promise<SandboxProbe> {
  try {
    const out = await new Deno.Command(bwrap, {
      args: [
        "--ro-bind",
        "/",
        "/",
        "--dev",
        "/dev",
        "--proc",
        "/proc",
        ...ISOLATION_FLAGS,
        "--unshare-net",
        "true",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    if (out.success) return { available: true };
    const said = new TextDecoder().decode(out.stderr).trim();
    return {
      available: false,
      reason: `${bwrap} exited with ${out.code}${said ? `: ${said}` : ""}`,
    };
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound
      ? `${bwrap} is not installed`
      : `${bwrap} could not start: ${(error as Error).message}`;
    return { available: false, reason: why };
  }
}

/** What one sandboxed phase may see and touch. */
export interface SandboxLayout {
  /** The private /tmp: a host directory bound over /tmp. @default an empty tmpfs */
  readonly tmpDir?: string;
  /** The private HOME (host path, bound at the same path, writable). @default none bound */
  readonly home?: string;
  /** Directories bound writable at the same path (srcdir, the package's pkgdir). */
  readonly writable: readonly string[];
  /** Paths bound read-only at the same path (startdir, source files srcdir links to). */
  readonly readOnly: readonly string[];
  /** Directories hidden behind an empty tmpfs (/root, /home, the caller's HOME, ...). */
  readonly hidden: readonly string[];
  /** Whether the phase keeps the host's network. */
  readonly network: boolean;
  /** Working directory inside the sandbox. */
  readonly cwd: string;
}

/** Directories hidden from every sandbox (where users keep keys and tokens). */
export const HIDDEN_DIRECTORIES: readonly string[] = ["/root", "/home", "/run/user"];

/** Returns whether `path` is `dir` or inside it. */
function isWithin(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * Builds bwrap's arguments (up to and including `--`) for `layout`. Later
 * mounts cover earlier ones, so the private /tmp and the hidden directories
 * come first and the bound directories last: a srcdir under a hidden HOME
 * or under /tmp is still visible.
 */
export function bwrapArgs(layout: SandboxLayout): string[] {
  const args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"];
  if (layout.tmpDir === undefined) args.push("--tmpfs", "/tmp");
  else args.push("--bind", layout.tmpDir, "/tmp");
  const bound = [...(layout.home ? [layout.home] : []), ...layout.writable, ...layout.readOnly];
  for (const dir of layout.hidden.map((d) => normalize(d))) {
    // Under /tmp it is hidden already; inside a bound path it is meant to be seen.
    if (isWithin(dir, "/tmp") || bound.some((b) => isWithin(dir, b))) continue;
    args.push("--tmpfs", dir);
  }
  if (layout.home !== undefined) args.push("--bind", layout.home, layout.home);
  for (const path of layout.readOnly) args.push("--ro-bind", path, path);
  for (const dir of layout.writable) args.push("--bind", dir, dir);
  args.push(...ISOLATION_FLAGS);
  if (!layout.network) args.push("--unshare-net");
  args.push("--chdir", layout.cwd, "--");
  return args;
}

/** Returns the paths of `paths` that exist as directories (bwrap cannot mount over a missing one). */
export function existingDirectories(paths: Iterable<string>): string[] {
  const out: string[] = [];
  for (const path of new Set(paths)) {
    try {
      if (Deno.statSync(path).isDirectory) out.push(path);
    } catch {
      // absent: nothing to hide
    }
  }
  return out;
}
