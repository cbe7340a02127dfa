/**
 * Settings of a CLI run, resolved as flag > environment variable > default.
 * The CLI is the only part that reads the environment: it checks each
 * variable's permission first (a missing one is reported with the rest, on
 * one line) and passes plain values to the library.
 *
 * @module
 */

import { resolve } from "../_path.ts";
import { defaultLayout, systemStateDir } from "../provision/paths.ts";
import { type ParsedArgs, stringOption } from "./args.ts";
import { PermissionMissingError } from "./errors.ts";
import { isGranted, type PermissionNeed, toFlags } from "./permissions.ts";
import { DEFAULT_CATALOG_URL, type Setting } from "./spec.ts";

/** Where the worker catalog is. */
export type CatalogLocation =
  | { readonly kind: "url"; readonly url: string }
  | { readonly kind: "dir"; readonly dir: string };

/** The resolved settings; a field is set when the command asked for it. */
export interface CliConfig {
  /** The catalog (`--catalog`, `WORKER_CATALOG_URL`). */
  readonly catalog?: CatalogLocation;
  /** Install root (`--root`, `WORKER_PROVISIONER_ROOT`), `/` by default. */
  readonly root?: string;
  /** User installs map `usr/local/...` into this prefix (`~/.local`). */
  readonly userPrefix?: string;
  /** Source cache directory. */
  readonly cacheDir?: string;
  /** State directory (records, locks). */
  readonly stateDir?: string;
  /** Target architecture in makepkg's spelling. */
  readonly arch?: string;
  /** The permissions reading the configuration itself used (env, sys). */
  readonly needs: readonly PermissionNeed[];
}

/** Where configuration values come from; the default reads Deno's environment. */
export interface ConfigSource {
  /** The value of environment variable `name`, or undefined. */
  env(name: string): string | undefined;
  /** The effective user id, or null when unknown. */
  uid(): number | null;
}

/** A {@link ConfigSource} over `Deno.env` and `Deno.uid()` that checks each permission first. */
export class DenoConfigSource implements ConfigSource {
  /** Permissions used so far. */
  readonly used: PermissionNeed[] = [];
  /** Permissions that were needed but not granted. */
  readonly missing: PermissionNeed[] = [];

  /** Reads `name` when permitted; records a missing permission otherwise. */
  env(name: string): string | undefined {
    const need: PermissionNeed = { name: "env", variable: name };
    this.used.push(need);
    if (!isGranted(need)) {
      this.missing.push(need);
      return undefined;
    }
    return Deno.env.get(name);
  }

  /** Returns `Deno.uid()` when permitted; records a missing permission otherwise. */
  uid(): number | null {
    const need: PermissionNeed = { name: "sys", kind: "uid" };
    this.used.push(need);
    if (!isGranted(need)) {
      this.missing.push(need);
      return null;
    }
    return Deno.uid();
  }
}

const ARCH_ALIASES: Readonly<Record<string, string>> = {
  amd64: "x86_64",
  x64: "x86_64",
  x86_64: "x86_64",
  arm64: "aarch64",
  aarch64: "aarch64",
};

/** Normalises `arm64`/`amd64` spellings to makepkg's `aarch64`/`x86_64`. */
export function normalizeArch(arch: string): string {
  return ARCH_ALIASES[arch.toLowerCase()] ?? arch;
}

/**
 * A `host:port[/path]` without a scheme (`127.0.0.1:8787`, `localhost:8787`,
 * `[::1]:8787`): a catalog URL whose `http://` was left out, never a directory.
 */
const SCHEMELESS_URL = /^(\[[0-9a-f:.]+\]|[a-z0-9][a-z0-9.-]*):\d{1,5}(\/.*)?$/i;

/** Parses a `--catalog` value: an http(s) URL (`http://` may be left out), or a directory path. */
export function catalogLocation(value: string, cwd: string): CatalogLocation {
  if (SCHEMELESS_URL.test(value)) value = `http://${value}`;
  if (/^https?:\/\//i.test(value)) return { kind: "url", url: value.replace(/\/+$/, "") };
  if (value.startsWith("file://")) return { kind: "dir", dir: new URL(value).pathname };
  return { kind: "dir", dir: resolve(cwd, value) };
}

/**
 * Resolves the `settings` a command needs from `args`, then `source`'s
 * environment, then the defaults. Reads only the variables that decide a
 * value (a flag given means its variable is not read). Throws
 * {@link PermissionMissingError} when reading the configuration needs a
 * permission not granted.
 */
export function resolveConfig(
  settings: readonly Setting[],
  args: ParsedArgs,
  source: ConfigSource,
  cwd: string,
): CliConfig {
  const pick = (flag: string, env: string) => stringOption(args, flag) ?? source.env(env);
  const config: {
    -readonly [K in keyof CliConfig]: CliConfig[K];
  } = { needs: [] };
  if (settings.includes("catalog")) {
    config.catalog = catalogLocation(
      pick("catalog", "WORKER_CATALOG_URL") ?? DEFAULT_CATALOG_URL,
      cwd,
    );
  }
  if (settings.includes("arch")) {
    config.arch = normalizeArch(pick("arch", "WORKER_PROVISIONER_ARCH") ?? Deno.build.arch);
  }
  const wantsLayout = settings.some((s) => s === "root" || s === "cacheDir" || s === "stateDir");
  if (wantsLayout) Object.assign(config, resolveLayout(settings, pick, args, source, cwd));
  if (source instanceof DenoConfigSource) {
    // Without the uid the layout is unknown, so the command's own needs cannot
    // be computed yet: report what reading the configuration needs, all of it.
    // Otherwise the caller checks these needs together with the command's.
    if (source.missing.some((n) => n.name === "sys")) {
      throw new PermissionMissingError(toFlags(source.missing));
    }
    config.needs = [...source.used];
  }
  return config;
}

function resolveLayout(
  settings: readonly Setting[],
  pick: (flag: string, env: string) => string | undefined,
  args: ParsedArgs,
  source: ConfigSource,
  cwd: string,
): Partial<CliConfig> {
  const abs = (p: string | undefined) => p === undefined || p === "" ? undefined : resolve(cwd, p);
  const wants = (s: Setting) => settings.includes(s);
  const rootFlag = abs(stringOption(args, "root"));
  const cacheDir = wants("cacheDir")
    ? abs(pick("cache-dir", "WORKER_PROVISIONER_CACHE_DIR"))
    : undefined;
  // `--root DIR` keeps the records under DIR/var/lib/worker-provisioner (as
  // pacman's --root does), so the state variable is not consulted then.
  const stateDir = !wants("stateDir") ? undefined : abs(stringOption(args, "state-dir")) ??
    (rootFlag !== undefined
      ? systemStateDir(rootFlag)
      : abs(source.env("WORKER_PROVISIONER_STATE_DIR")));
  const cacheDefaulted = wants("cacheDir") && cacheDir === undefined;
  const stateDefaulted = wants("stateDir") && stateDir === undefined;
  // The root decides the default cache and state directories, so it is read
  // when the command installs into it or when one of those is defaulted.
  const root = rootFlag ??
    (wants("root") || cacheDefaulted || stateDefaulted
      ? abs(source.env("WORKER_PROVISIONER_ROOT"))
      : undefined);
  const needDefaults = cacheDefaulted || (stateDefaulted && root === undefined) ||
    (wants("root") && root === undefined);
  if (!needDefaults) {
    return {
      root,
      cacheDir,
      stateDir: stateDir ??
        (stateDefaulted && root !== undefined ? systemStateDir(root) : undefined),
    };
  }
  const uid = source.uid();
  if (uid === null) {
    // Which variables matter depends on the uid: ask for every one a user
    // layout reads, so one error names all the flags.
    source.env("HOME");
    if (cacheDefaulted) source.env("XDG_CACHE_HOME");
    if (root === undefined && stateDefaulted) source.env("XDG_STATE_HOME");
    return {};
  }
  const user = uid !== 0;
  const home = user ? source.env("HOME") : undefined;
  const xdgCacheHome = user && cacheDefaulted ? source.env("XDG_CACHE_HOME") : undefined;
  const xdgStateHome = user && root === undefined && stateDefaulted
    ? source.env("XDG_STATE_HOME")
    : undefined;
  const layout = defaultLayout({ uid, home, xdgCacheHome, xdgStateHome, root });
  return {
    root: layout.root,
    userPrefix: layout.userPrefix,
    cacheDir: wants("cacheDir") ? cacheDir ?? layout.cacheDir : undefined,
    stateDir: wants("stateDir") ? stateDir ?? layout.stateDir : undefined,
  };
}
