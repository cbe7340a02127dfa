/**
 * `runRecipe()`: runs a recipe's functions the way makepkg does, one process
 * per function, streaming output, in the sandbox when it can.
 *
 * Differences from makepkg, on purpose:
 * - each function runs in its own bash that sources the PKGBUILD afresh (as
 *   makepkg's fakeroot pass does for package()), so it gets its own sandbox
 *   (network for prepare()/build() only) and its own time limit; a global
 *   variable that prepare() assigns (not the top level) is not seen by
 *   build(), while makepkg runs prepare/build/check in one shell;
 * - the functions run as the calling user (root on a provisioned node)
 *   instead of an unprivileged user plus fakeroot; umask 022 and the modes
 *   `install -m`/`chmod` set are the same, file owners are the caller's;
 * - the environment is an allow-list, not the caller's whole environment;
 * - functions get a private HOME (kept across the phases of one run, then
 *   removed) and, in the sandbox, a private /tmp.
 *
 * @module
 */

import { join } from "node:path";
import { joinInside, removeContained } from "../boundary/contained_path.ts";
import { requireWorkerId } from "../boundary/worker_id.ts";
import { CancelledError, throwIfCancelled } from "../errors.ts";
import type { EventSink } from "../events.ts";
import { type Pkgbuild, valueAsString } from "../pkgbuild/model.ts";
import { BuildLog } from "./_log.ts";
import { gitAlternates, sourceLinkTargets } from "./_srcdir.ts";
import { type BuildCacheDirs, buildCacheEnv, ensureBuildCache } from "./build_cache.ts";
import { buildEnvironment } from "./environment.ts";
import type { Toolchain } from "./toolchain.ts";
import {
  BuildFailedError,
  BuildTimeoutError,
  PkgverInvalidError,
  SandboxUnavailableError,
} from "./errors.ts";
import type { RunEvent, RunPhase } from "./events.ts";
import { type PhaseStep, pkgverProblem, planPhases } from "./phases.ts";
import { type ProcessOutcome, runProcess } from "./process.ts";
import { bwrapArgs, existingDirectories, HIDDEN_DIRECTORIES, probeSandbox } from "./sandbox.ts";
import { driverScript } from "./script.ts";

/** Options of {@link runRecipe}. */
export interface RunOptions {
  /** The PKGBUILD file to source, inside `startdir`. */
  readonly pkgbuildPath: string;
  /** The PKGBUILD's metadata, already evaluated (function names, packages, pkgver). */
  readonly pkgbuild: Pkgbuild;
  /** makepkg's `startdir`: the recipe directory. */
  readonly startdir: string;
  /** makepkg's `srcdir`, already prepared by the source stage. */
  readonly srcdir: string;
  /** Each package is built into `pkgdirBase/<pkgname>` (created fresh). */
  readonly pkgdirBase: string;
  /** The architecture, makepkg's `CARCH`. */
  readonly carch: string;
  /** makepkg's `CHOST`. @default `<carch>-pc-linux-gnu` (x86_64), `<carch>-unknown-linux-gnu` otherwise */
  readonly chost?: string;
  /** Run check() when the PKGBUILD defines it. @default true */
  readonly check?: boolean;
  /**
   * `auto` uses bwrap when it works and reports when it does not, `require`
   * fails with `SANDBOX_UNAVAILABLE` when it does not, `off` never uses it.
   * @default "auto"
   */
  readonly sandbox?: "auto" | "require" | "off";
  /**
   * Environment offered by the caller; only allow-listed variables reach the
   * functions (see `ENV_ALLOW_LIST`, `BUILD_FLAG_VARIABLES`). `HOME` is
   * never forwarded: functions get a private one. @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Cancels the run: the running function's whole process tree is stopped first. */
  readonly signal?: AbortSignal;
  /** Receives `run.*` events. */
  readonly onEvent?: EventSink<RunEvent>;
  /** Path of the log file; it keeps the whole output of every phase. */
  readonly logFile: string;
  /** Time limit of each phase in milliseconds. @default no limit */
  readonly phaseTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL when stopping a process tree. @default 2000 */
  readonly killGraceMs?: number;
  /** Extra paths the sandbox shows read-only (source files srcdir links to are added already). @default [] */
  readonly readOnlyPaths?: readonly string[];
  /** The bwrap program. @default "bwrap" */
  readonly bwrap?: string;
  /** Toolchains (bound read-only, their `bin` in front of `PATH`): see `discoverToolchains()`. @default [] */
  readonly toolchains?: readonly Toolchain[];
  /**
   * Variables passed explicitly (`--pass-env`, `--env`): set as given in
   * every phase, past the allow-list (`HOME` stays private). @default {}
   */
  readonly explicitEnv?: Readonly<Record<string, string>>;
  /** The worker's persistent build cache (bound read-write; `CARGO_HOME` and friends point there). @default none */
  readonly buildCache?: BuildCacheDirs;
  /** makepkg's SOURCE_DATE_EPOCH when `env` gives none. @default the current time */
  readonly sourceDateEpoch?: number;
  /**
   * Where the functions' private HOME and /tmp are made (inside the job's
   * build directory, so a killed run's leftovers go with it).
   * @default the system's temp directory
   */
  readonly tempDir?: string;
}

/** One package a run produced. */
export interface BuiltPackage {
  /** The package name. */
  readonly name: string;
  /** Its tree: `pkgdirBase/<name>`. */
  readonly dir: string;
}

/** What {@link runRecipe} returns. */
export interface RunResult {
  /** The version: what pkgver() printed, or the PKGBUILD's `pkgver`. */
  readonly pkgver: string;
  /** The package trees, in `pkgname` order. */
  readonly packages: readonly BuiltPackage[];
  /** The log file. */
  readonly logFile: string;
  /** Whether the functions ran inside bwrap. */
  readonly sandboxed: boolean;
}

/** Returns makepkg's CHOST for `carch` when the caller gives none. */
export function defaultChost(carch: string): string {
  return carch === "x86_64" ? `${carch}-pc-linux-gnu` : `${carch}-unknown-linux-gnu`;
}

/**
 * Runs prepare(), pkgver(), build(), check() and the package functions of a
 * recipe with makepkg's semantics. Rejects with `BuildFailedError`,
 * `BuildTimeoutError`, `PackageFunctionError`, `PkgverInvalidError`,
 * `SandboxUnavailableError` or `CancelledError` (only after the running
 * function's whole process tree is gone).
 */
export async function runRecipe(options: RunOptions): Promise<RunResult> {
  const what = `Building ${options.pkgbuild.pkgbase}`;
  throwIfCancelled(options.signal, what);
  const steps = planPhases(options.pkgbuild, { check: options.check });
  const sandboxed = await decideSandbox(options);
  const log = await BuildLog.create(options.logFile);
  let runDir: string | undefined;
  try {
    runDir = await Deno.makeTempDir({
      prefix: "wp-run-",
      ...(options.tempDir !== undefined ? { dir: options.tempDir } : {}),
    });
    const context: PhaseContext = {
      options,
      log,
      sandboxed,
      home: join(runDir, "home"),
      tmpDir: join(runDir, "tmp"),
      chost: options.chost ?? defaultChost(options.carch),
      sourceDateEpoch: options.sourceDateEpoch ?? Math.floor(Date.now() / 1000),
      newPkgver: undefined,
    };
    await Deno.mkdir(context.home, { mode: 0o700 });
    await Deno.mkdir(context.tmpDir);
    await Deno.chmod(context.tmpDir, 0o1777);
    if (options.buildCache) await ensureBuildCache(options.buildCache);
    const packages = await runSteps(steps, context);
    return {
      pkgver: context.newPkgver ?? valueAsString(options.pkgbuild.variables.pkgver),
      packages,
      logFile: options.logFile,
      sandboxed,
    };
  } finally {
    // The private HOME and /tmp go whatever happened; then the log is closed.
    if (runDir !== undefined) await Deno.remove(runDir, { recursive: true }).catch(() => {});
    await log.close();
  }
}

async function decideSandbox(options: RunOptions): Promise<boolean> {
  const mode = options.sandbox ?? "auto";
  const emit = (enabled: boolean, reason?: string) =>
    options.onEvent?.({ type: "run.sandbox", enabled, ...(reason ? { reason } : {}) });
  if (mode === "off") {
    emit(false, "the sandbox was turned off");
    return false;
  }
  const probe = await probeSandbox(options.bwrap);
  if (!probe.available) {
    if (mode === "require") throw new SandboxUnavailableError(probe.reason ?? "unknown reason");
    emit(false, `bubblewrap cannot run: ${probe.reason}`);
    return false;
  }
  emit(true);
  return true;
}

interface PhaseContext {
  readonly options: RunOptions;
  readonly log: BuildLog;
  readonly sandboxed: boolean;
  readonly home: string;
  readonly tmpDir: string;
  readonly chost: string;
  readonly sourceDateEpoch: number;
  newPkgver: string | undefined;
}

async function runSteps(steps: PhaseStep[], context: PhaseContext): Promise<BuiltPackage[]> {
  const { options } = context;
  const packages: BuiltPackage[] = [];
  await Deno.mkdir(options.pkgdirBase, { recursive: true });
  await Deno.chmod(options.pkgdirBase, 0o755);
  for (const step of steps) {
    throwIfCancelled(options.signal, `Building ${options.pkgbuild.pkgbase}`);
    const pkgdir = step.pkgname === undefined ? undefined : pkgdirOf(options, step.pkgname);
    if (pkgdir !== undefined) {
      await removeContained(pkgdir, { base: options.pkgdirBase }, { recursive: true });
      await Deno.mkdir(pkgdir);
      await Deno.chmod(pkgdir, 0o755);
      packages.push({ name: step.pkgname!, dir: pkgdir });
    }
    if (step.kind === "skip") {
      options.onEvent?.({
        type: "run.phase",
        phase: step.phase,
        function: step.functionName,
        state: "skipped",
        reason: step.reason,
      });
      continue;
    }
    const stdout = await runPhase(context, step.phase, step.functionName, step.pkgname);
    if (step.phase === "pkgver") acceptPkgver(context, stdout);
  }
  return packages;
}

/** `pkgdirBase/<name>`, the name checked as a pkgname first (it is a path component from the recipe). */
function pkgdirOf(options: RunOptions, name: string): string {
  return joinInside(options.pkgdirBase, requireWorkerId(name, "recipe", "pkgname"), "a recipe");
}

function acceptPkgver(context: PhaseContext, stdout: string[]): void {
  // `$(pkgver)` drops trailing newlines only.
  const version = stdout.join("\n").replace(/\n+$/, "");
  const problem = pkgverProblem(version);
  if (problem) throw new PkgverInvalidError(version, problem);
  const declared = valueAsString(context.options.pkgbuild.variables.pkgver);
  if (version !== declared) context.newPkgver = version;
}

/** Runs one function; returns its stdout lines when it is pkgver(). */
async function runPhase(
  context: PhaseContext,
  phase: RunPhase,
  functionName: string,
  pkgname: string | undefined,
): Promise<string[]> {
  const { options, log } = context;
  options.onEvent?.({ type: "run.phase", phase, function: functionName, state: "start" });
  log.clearTail();
  await log.writeLine(`==> Starting ${functionName}()...`);
  const pkgverOut: string[] = [];
  const outcome = await runProcess({
    command: "setsid",
    args: phaseCommand(context, phase, functionName, pkgname),
    env: buildEnvironment({
      phase,
      callerEnv: options.env,
      home: context.home,
      sourceDateEpoch: context.sourceDateEpoch,
      toolchains: options.toolchains ?? [],
      cacheEnv: options.buildCache ? buildCacheEnv(options.buildCache) : {},
      explicitEnv: options.explicitEnv ?? {},
    }),
    cwd: options.srcdir,
    signal: options.signal,
    timeoutMs: options.phaseTimeoutMs,
    killGraceMs: options.killGraceMs,
    onLine: (stream, line, raw) => {
      if (phase === "pkgver" && stream === "stdout" && pkgverOut.length < 1000) {
        pkgverOut.push(line);
      }
      options.onEvent?.({ type: "run.output", phase, stream, line });
      return log.writeLine(line, raw);
    },
  });
  await throwUnlessSucceeded(context, phase, functionName, outcome);
  options.onEvent?.({
    type: "run.phase",
    phase,
    function: functionName,
    state: "end",
    exitCode: 0,
    durationMs: outcome.durationMs,
  });
  return pkgverOut;
}

/** The command line (after `setsid`) of one phase: bash with the driver script, maybe in bwrap. */
function phaseCommand(
  context: PhaseContext,
  phase: RunPhase,
  functionName: string,
  pkgname: string | undefined,
): string[] {
  const { options } = context;
  const pkgdir = pkgdirOf(options, pkgname ?? options.pkgbuild.pkgbase);
  const script = driverScript({
    pkgbuildPath: options.pkgbuildPath,
    startdir: options.startdir,
    srcdir: options.srcdir,
    pkgdir,
    carch: options.carch,
    chost: context.chost,
    phase,
    functionName,
    pkgname,
    newPkgver: context.newPkgver,
  });
  const bash = ["bash", "--noprofile", "--norc", "-c", script, `makepkg-${functionName}`];
  if (!context.sandboxed) return bash;
  const sandbox = sandboxArgs(context, phase, pkgname ? pkgdir : undefined);
  return [options.bwrap ?? "bwrap", ...sandbox, ...bash];
}

/** Logs and throws the error matching how the phase's process ended, unless it succeeded. */
async function throwUnlessSucceeded(
  context: PhaseContext,
  phase: RunPhase,
  functionName: string,
  outcome: ProcessOutcome,
): Promise<void> {
  const { options, log } = context;
  if (outcome.ended === "cancelled") {
    await log.writeLine(`==> ${functionName}() was cancelled`);
    throw new CancelledError(`Building ${options.pkgbuild.pkgbase} (${functionName}())`, {
      cause: options.signal?.reason,
    });
  }
  if (outcome.ended === "timeout") {
    await log.writeLine(`==> ${functionName}() timed out`);
    throw new BuildTimeoutError(phase, functionName, options.phaseTimeoutMs ?? 0, options.logFile);
  }
  if (outcome.exitCode !== 0) {
    const lastLines = log.tail();
    await log.writeLine(`==> ${functionName}() failed with exit code ${outcome.exitCode}`);
    throw new BuildFailedError({
      phase,
      functionName,
      exitCode: outcome.exitCode,
      lastLines,
      logFile: options.logFile,
    });
  }
}

function sandboxArgs(context: PhaseContext, phase: RunPhase, pkgdir: string | undefined): string[] {
  const { options } = context;
  const callerHome = options.env?.HOME;
  const cache = options.buildCache ? [options.buildCache.cargo, options.buildCache.generic] : [];
  return bwrapArgs({
    tmpDir: context.tmpDir,
    home: context.home,
    writable: [options.srcdir, ...(pkgdir ? [pkgdir] : []), ...cache],
    readOnly: [
      options.startdir,
      ...sourceLinkTargets(options.srcdir, [options.startdir]),
      ...existingDirectories(gitAlternates(options.srcdir, [options.startdir])),
      ...(options.readOnlyPaths ?? []),
      ...existingDirectories((options.toolchains ?? []).flatMap((t) => t.readOnly)),
    ],
    hidden: existingDirectories([...HIDDEN_DIRECTORIES, ...(callerHome ? [callerHome] : [])]),
    network: phase === "prepare" || phase === "build",
    cwd: options.srcdir,
  });
}
