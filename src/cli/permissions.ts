/**
 * Least privilege: the Deno permissions each command needs, checked with
 * `Deno.permissions.query` before anything is fetched or written, and printed
 * as exact flags by `plan --permissions`.
 *
 * Also the one place that defines the permission flags baked into the
 * compiled binary ({@link COMPILE_PERMISSION_FLAGS}); `deno.json`'s compile
 * tasks and the CLI tests use exactly these (a test checks deno.json).
 *
 * @module
 */

import { PermissionMissingError } from "./errors.ts";

/**
 * Every program the library may start, for the compiled binary: the union
 * of what any provision plan lists (`ProvisionPlan.programs`: `setsid`,
 * `bash`, `bwrap`, `ps`, `kill`, `git`, and `bsdtar`, `xz`, `bzip2`, `zstd`
 * for sources not unpacked in-process; `strip`, `gzip` and, for `debug`,
 * `objcopy`, `readelf`, `debugedit` for makepkg's tidy steps), and `pacman`
 * (preflight's `pacman -T` where pacman is the system's package manager).
 * `plan --permissions` prints the
 * subset one worker needs. Programs a recipe's bash starts are not Deno's
 * to check.
 */
export const RUN_COMMANDS: readonly string[] = [
  "bash",
  "bsdtar",
  "bwrap",
  "bzip2",
  "debugedit",
  "git",
  "gzip",
  "kill",
  "objcopy",
  "pacman",
  "ps",
  "readelf",
  "setsid",
  "strip",
  "xz",
  "zstd",
];

/**
 * Environment variables the CLI reads (the library reads none); `PATH` only
 * to say when a user install's bin directory is not on it.
 */
export const ENV_VARIABLES: readonly string[] = [
  "WORKER_CATALOG_URL",
  "WORKER_PROVISIONER_ROOT",
  "WORKER_PROVISIONER_CACHE_DIR",
  "WORKER_PROVISIONER_STATE_DIR",
  "WORKER_PROVISIONER_ARCH",
  "WORKER_PROVISIONER_REGISTRY_AUTH",
  "DOCKER_CONFIG",
  "HOME",
  "XDG_CACHE_HOME",
  "XDG_STATE_HOME",
  "PATH",
  "CARGO_HOME",
  "RUSTUP_HOME",
];

/**
 * The permission flags of the compiled binary and of the CLI tests. Paths
 * and hosts are the user's choice (`--root`, `--catalog`, source URLs), so
 * read, write and net are broad; programs, environment variables and system
 * information are explicit lists (`uid` picks the per-user or system
 * defaults, `hostname` is written into lock files, `statfs` reads the free
 * space before a download or an extraction). `--no-prompt` turns a
 * missing permission into an error instead of a question.
 */
export const COMPILE_PERMISSION_FLAGS: readonly string[] = [
  "--allow-read",
  "--allow-write",
  "--allow-net",
  `--allow-run=${RUN_COMMANDS.join(",")}`,
  `--allow-env=${ENV_VARIABLES.join(",")}`,
  "--allow-sys=hostname,statfs,uid",
  "--no-prompt",
];

/** One permission a command needs. */
export type PermissionNeed =
  | {
    readonly name: "read" | "write";
    /** The path; absent means unscoped (all paths, as `Deno.symlink` demands). */
    readonly path?: string;
  }
  | { readonly name: "net"; readonly host: string }
  | { readonly name: "run"; readonly command: string }
  | { readonly name: "env"; readonly variable: string }
  | { readonly name: "sys"; readonly kind: "uid" | "hostname" };

function descriptor(need: PermissionNeed): Deno.PermissionDescriptor {
  switch (need.name) {
    case "read":
    case "write":
      return need.path === undefined ? { name: need.name } : { name: need.name, path: need.path };
    case "net":
      return { name: "net", host: need.host };
    case "run":
      return { name: "run", command: need.command };
    case "env":
      return { name: "env", variable: need.variable };
    case "sys":
      return { name: "sys", kind: need.kind };
  }
}

/** Whether `need` is granted (queries without prompting). */
export function isGranted(need: PermissionNeed): boolean {
  return Deno.permissions.querySync(descriptor(need)).state === "granted";
}

/** Environment variable `name` when reading it is permitted and it is not empty, else undefined. */
export function envIfGranted(name: string): string | undefined {
  return isGranted({ name: "env", variable: name }) ? Deno.env.get(name) || undefined : undefined;
}

function valueOf(need: PermissionNeed): string {
  switch (need.name) {
    case "read":
    case "write":
      return need.path ?? "";
    case "net":
      return need.host;
    case "run":
      return need.command;
    case "env":
      return need.variable;
    case "sys":
      return need.kind;
  }
}

function coveredPath(path: string, others: readonly string[]): boolean {
  return others.some((o) =>
    o !== path && (o === "/" || path.startsWith(o.endsWith("/") ? o : `${o}/`))
  );
}

/**
 * Merges needs into Deno flags, one per permission kind, in a stable order:
 * `--allow-read=a,b --allow-write=... --allow-net=... --allow-run=...
 * --allow-env=... --allow-sys=...`. A path under another listed path is
 * dropped; duplicates are removed; an unscoped need gives the bare flag.
 */
export function toFlags(needs: readonly PermissionNeed[]): string[] {
  const order = ["read", "write", "net", "run", "env", "sys"] as const;
  const flags: string[] = [];
  for (const kind of order) {
    let values = [...new Set(needs.filter((n) => n.name === kind).map(valueOf))];
    if (values.includes("")) {
      flags.push(`--allow-${kind}`);
      continue;
    }
    if (kind === "read" || kind === "write") values = values.filter((p) => !coveredPath(p, values));
    if (values.length) flags.push(`--allow-${kind}=${values.sort().join(",")}`);
  }
  return flags;
}

/** Throws {@link PermissionMissingError} naming the flags for every need not granted. */
export function ensureGranted(needs: readonly PermissionNeed[]): void {
  const missing = needs.filter((n) => !isGranted(n));
  if (missing.length) throw new PermissionMissingError(toFlags(missing));
}

/** The `host[:port]` to grant for `url` (the port only when the URL names one). */
export function netHost(url: string): string {
  const u = new URL(url);
  return u.port ? `${u.hostname}:${u.port}` : u.hostname;
}

/**
 * Unscoped read and write: Deno 2.9 allows `Deno.symlink` only then
 * ("path-scoped grants are not supported because a symlink's target is only
 * resolved when the link is traversed"), and a build symlinks every source
 * into srcdir as makepkg does, and stages the symlinks a package ships.
 */
export const SYMLINK_NEEDS: readonly PermissionNeed[] = [{ name: "read" }, { name: "write" }];

/** Needs to read a directory or file tree. */
export function readNeed(path: string): PermissionNeed {
  return { name: "read", path };
}

/** Needs to read and write a directory tree. */
export function readWriteNeeds(path: string): PermissionNeed[] {
  return [{ name: "read", path }, { name: "write", path }];
}
