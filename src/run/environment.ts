/**
 * The clean environment recipe functions run with: only allow-listed
 * variables from the caller (so its tokens and keys do not leak into a
 * build), a private HOME, and makepkg's build flags from build() on; plus
 * what the operator asked for: toolchains in front of `PATH`, the build
 * cache variables, and variables passed by name or value.
 *
 * Library code never reads `Deno.env`: the caller passes the values it wants
 * to forward (the CLI passes its own environment, filtered here).
 *
 * @module
 */

import type { RunPhase } from "./events.ts";
import type { Toolchain } from "./toolchain.ts";

/** `PATH` when the caller gives none. */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** Caller variables forwarded to every phase (plus any `LC_*`). */
export const ENV_ALLOW_LIST: readonly string[] = [
  "PATH",
  "LANG",
  "LANGUAGE",
  "TERM",
  "TZ",
  "SOURCE_DATE_EPOCH",
  "http_proxy",
  "https_proxy",
  "ftp_proxy",
  "all_proxy",
  "no_proxy",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "FTP_PROXY",
  "ALL_PROXY",
  "NO_PROXY",
];

/**
 * Build flags makepkg exports from build() on (`prepare_buildenv`); forwarded
 * from the caller only to build(), check() and package(). `CHOST` is set by
 * the driver script from the `chost` option.
 */
export const BUILD_FLAG_VARIABLES: readonly string[] = [
  "CPPFLAGS",
  "CFLAGS",
  "CXXFLAGS",
  "LDFLAGS",
  "RUSTFLAGS",
  "MAKEFLAGS",
];

/** Phases that run after makepkg's `prepare_buildenv`. */
const PHASES_WITH_BUILD_FLAGS: ReadonlySet<RunPhase> = new Set(["build", "check", "package"]);

/** Input of {@link buildEnvironment}. */
export interface EnvironmentOptions {
  /** The phase the environment is for. */
  readonly phase: RunPhase;
  /** Variables offered by the caller; only allow-listed ones are kept. @default {} */
  readonly callerEnv?: Readonly<Record<string, string>>;
  /** The private HOME directory of the function. */
  readonly home: string;
  /** `SOURCE_DATE_EPOCH` when the caller gives none (makepkg uses the current time). */
  readonly sourceDateEpoch: number;
  /** Toolchains: their `bin` directories go in front of `PATH`, their variables are set. @default [] */
  readonly toolchains?: readonly Toolchain[];
  /** Variables pointing tools at the persistent build cache (`CARGO_HOME`, ...). @default {} */
  readonly cacheEnv?: Readonly<Record<string, string>>;
  /**
   * Variables the operator passed explicitly (`--pass-env NAME`, `--env
   * NAME=VALUE`): set as given, after everything else (`HOME` excepted).
   * @default {}
   */
  readonly explicitEnv?: Readonly<Record<string, string>>;
}

/** Whether `name` is a variable name bash can export. */
export function isVariableName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** Returns whether `name` may be forwarded from the caller to `phase`. */
export function isAllowedVariable(name: string, phase: RunPhase): boolean {
  if (ENV_ALLOW_LIST.includes(name) || name.startsWith("LC_")) return true;
  return BUILD_FLAG_VARIABLES.includes(name) && PHASES_WITH_BUILD_FLAGS.has(phase);
}

/** Builds the complete environment of one phase's bash process. */
export function buildEnvironment(options: EnvironmentOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.callerEnv ?? {})) {
    if (isAllowedVariable(name, options.phase)) env[name] = value;
  }
  env.PATH ??= DEFAULT_PATH;
  env.SOURCE_DATE_EPOCH ??= String(options.sourceDateEpoch);
  for (const toolchain of options.toolchains ?? []) Object.assign(env, toolchain.env);
  Object.assign(env, options.cacheEnv ?? {}, options.explicitEnv ?? {});
  const bins = (options.toolchains ?? []).map((t) => t.bin);
  if (bins.length) env.PATH = [...bins, env.PATH].join(":");
  env.HOME = options.home;
  return env;
}
