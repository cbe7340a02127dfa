/**
 * The trusted metadata fallback: for PKGBUILDs the static evaluator refuses
 * (command substitution of external programs at the top level, ...), an
 * explicit opt-in that sources the PKGBUILD in real bash — inside bwrap, with
 * no network, an empty environment and a read-only system — and reads the
 * same metadata model back, so `toSrcinfo()` gives makepkg's `.SRCINFO`.
 *
 * Per-package overrides are found with makepkg's own method
 * (`get_pkgbuild_attribute`, embedded). Function sources are bash's
 * `declare -f` text (equivalent to, not byte-identical with, the file's).
 *
 * @module
 */

import { dirname, resolve } from "node:path";
import { CancelledError, throwIfCancelled } from "../errors.ts";
import type { Pkgbuild, PkgbuildFunction, PkgbuildValue } from "../pkgbuild/model.ts";
import { trustedMetadataScript } from "./_trusted_script.ts";
import { DEFAULT_PATH } from "./environment.ts";
import { SandboxUnavailableError, TrustedMetadataError } from "./errors.ts";
import { killProcessTree } from "./process_tree.ts";
import { defaultChost } from "./run.ts";
import { bwrapArgs, existingDirectories, HIDDEN_DIRECTORIES, probeSandbox } from "./sandbox.ts";

/** Options of {@link readPkgbuildTrusted}. */
export interface TrustedMetadataOptions {
  /** The architecture to evaluate for (makepkg's `CARCH`). */
  readonly carch: string;
  /** makepkg's `CHOST`. @default as `runRecipe` */
  readonly chost?: string;
  /** Cancels the evaluation (its process tree is stopped first). */
  readonly signal?: AbortSignal;
  /**
   * `require` refuses to run without bwrap, `auto` falls back to a plain
   * bash (still with an empty environment), `off` never uses bwrap.
   * @default "require"
   */
  readonly sandbox?: "auto" | "require" | "off";
  /** Time limit in milliseconds. @default 30000 */
  readonly timeoutMs?: number;
  /** The bwrap program. @default "bwrap" */
  readonly bwrap?: string;
}

/** Variables bash itself sets or changes on its own; never part of the model. */
const BASH_DYNAMIC =
  /^(BASH.*|FUNCNAME|LINENO|RANDOM|SRANDOM|SECONDS|EPOCHREALTIME|EPOCHSECONDS|PIPESTATUS|_|OLDPWD|PWD|SHLVL|PPID|UID|EUID|GROUPS|HOSTNAME|HOSTTYPE|MACHTYPE|OSTYPE|OPTIND|OPTERR|IFS|PS4|DIRSTACK|SHELLOPTS|COMP_WORDBREAKS|HISTCMD|REPLY)$/;

const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/**
 * Sources `pkgbuildPath` in a sandboxed bash and returns its metadata model.
 * Rejects with `TrustedMetadataError` when bash fails to source it (or
 * takes too long), `SandboxUnavailableError` or `CancelledError`.
 */
export async function readPkgbuildTrusted(
  pkgbuildPath: string,
  options: TrustedMetadataOptions,
): Promise<Pkgbuild> {
  const what = `Reading ${pkgbuildPath}`;
  throwIfCancelled(options.signal, what);
  const path = resolve(pkgbuildPath);
  const startdir = dirname(path);
  const chost = options.chost ?? defaultChost(options.carch);
  const bashArgs = ["--noprofile", "--norc", "-c", trustedMetadataScript(), "makepkg-metadata"];
  bashArgs.push(path, options.carch, chost);
  const mode = options.sandbox ?? "require";
  let args = ["bash", ...bashArgs];
  if (mode !== "off") {
    const probe = await probeSandbox(options.bwrap);
    if (probe.available) {
      args = [options.bwrap ?? "bwrap", ...trustedSandboxArgs(startdir), "bash", ...bashArgs];
    } else if (mode === "require") {
      throw new SandboxUnavailableError(probe.reason ?? "unknown reason");
    }
  }
  const env = {
    PATH: DEFAULT_PATH,
    HOME: "/tmp",
    SOURCE_DATE_EPOCH: String(Math.floor(Date.now() / 1000)),
  };
  const out = await runCollecting(args, env, startdir, options, what);
  if (out.code !== 0) {
    const said = out.stderr.trim().split("\n").slice(-10).join("\n");
    throw new TrustedMetadataError(path, said || `bash exited with ${out.code}`);
  }
  return parseRecords(out.stdout, options.carch, path);
}

function trustedSandboxArgs(startdir: string): string[] {
  return bwrapArgs({
    writable: [],
    readOnly: [startdir],
    hidden: existingDirectories(HIDDEN_DIRECTORIES),
    network: false,
    cwd: startdir,
  });
}

interface Collected {
  readonly code: number;
  readonly stdout: Uint8Array;
  readonly stderr: string;
}

async function runCollecting(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  options: TrustedMetadataOptions,
  what: string,
): Promise<Collected> {
  const child = new Deno.Command("setsid", {
    args,
    env,
    clearEnv: true,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stopped: "cancelled" | "timeout" | undefined;
  let killing: Promise<unknown> | undefined;
  const stop = (why: "cancelled" | "timeout") => {
    stopped ??= why;
    killing ??= killProcessTree(child.pid, { graceMs: 500 });
  };
  const onAbort = () => stop("cancelled");
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => stop("timeout"), options.timeoutMs ?? 30000);
  try {
    const [status, stdout, stderr] = await Promise.all([
      child.status,
      readBounded(child.stdout, MAX_OUTPUT_BYTES),
      readBounded(child.stderr, 64 * 1024),
    ]);
    await (killing ?? killProcessTree(child.pid, { graceMs: 500 }));
    if (stopped === "cancelled") throw new CancelledError(what, { cause: options.signal?.reason });
    if (stopped === "timeout") {
      const ms = options.timeoutMs ?? 30000;
      throw new TrustedMetadataError(cwd, `sourcing did not finish within ${ms} ms`);
    }
    return { code: status.code, stdout, stderr: new TextDecoder().decode(stderr) };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/** Reads a stream to its end, keeping at most `limit` bytes (the first ones). */
async function readBounded(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    if (size >= limit) continue;
    const part = chunk.subarray(0, limit - size);
    chunks.push(part);
    size += part.length;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** Reads the `kind count value...` tail of a record. */
function readValue(fields: string[], at: { i: number }): PkgbuildValue {
  const kind = fields[at.i++];
  const count = Number(fields[at.i++]);
  const values = fields.slice(at.i, at.i + count);
  at.i += count;
  return kind === "a" ? values : values[0] ?? "";
}

/** Turns the script's records into the metadata model. */
export function parseRecords(bytes: Uint8Array, carch: string, path: string): Pkgbuild {
  const fields = new TextDecoder().decode(bytes).split("\0");
  const before = new Map<string, string>();
  const variables: Record<string, PkgbuildValue> = {};
  const functions: Record<string, PkgbuildFunction> = {};
  const overrides = new Map<string, Record<string, PkgbuildValue>>();
  const at = { i: 0 };
  let ended = false;
  while (at.i < fields.length && !ended) {
    const tag = fields[at.i++];
    if (tag === "B" || tag === "V") {
      const name = fields[at.i++];
      const value = readValue(fields, at);
      if (BASH_DYNAMIC.test(name)) continue;
      if (tag === "B") before.set(name, JSON.stringify(value));
      else if (before.get(name) !== JSON.stringify(value)) variables[name] = value;
    } else if (tag === "F") {
      const [name, line, source] = fields.slice(at.i, at.i + 3);
      at.i += 3;
      functions[name] = { name, source, line: Number(line) || 0 };
    } else if (tag === "O") {
      const [pkg, attr] = fields.slice(at.i, at.i + 2);
      at.i += 2;
      const own = overrides.get(pkg) ?? {};
      own[attr] = readValue(fields, at);
      overrides.set(pkg, own);
    } else if (tag === "E") {
      ended = true;
    } else {
      throw new TrustedMetadataError(path, `unexpected record ${JSON.stringify(tag)}`);
    }
  }
  if (!ended) throw new TrustedMetadataError(path, "the metadata dump was cut short");
  const names = typeof variables.pkgname === "string"
    ? [variables.pkgname]
    : [...(variables.pkgname ?? [])];
  if (names.length === 0) throw new TrustedMetadataError(path, "pkgname is not set");
  const pkgbase = typeof variables.pkgbase === "string" && variables.pkgbase !== ""
    ? variables.pkgbase
    : names[0];
  return {
    carch,
    pkgbase,
    variables,
    packages: names.map((name) => ({ name, overrides: overrides.get(name) ?? {} })),
    // `declare -F` lists by name; the model lists in definition order.
    functions: Object.fromEntries(
      Object.values(functions).sort((a, b) => a.line - b.line).map((f) => [f.name, f]),
    ),
  };
}
