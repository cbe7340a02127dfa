/**
 * The world of the state fault matrix: a temp directory with a root, a
 * cache, recipes, and canary files outside the root that must survive byte
 * for byte; the CLI run as a subprocess under the compiled binary's flags
 * (plus the pause hook's variable), and checks of the state directory.
 *
 * @module
 */

import { join } from "node:path";
import { cliCommandArgs, REPO } from "../cli/_cli.ts";
import { COMPILE_PERMISSION_FLAGS } from "../../src/cli/permissions.ts";
import { PAUSE_ENV } from "../../src/cli/_pause_hook.ts";

/** The compile flags, with the pause hook's variable readable. */
export const FLAGS: readonly string[] = COMPILE_PERMISSION_FLAGS.map((f) =>
  f.startsWith("--allow-env=") ? `${f},${PAUSE_ENV}` : f
);

/** What a CLI run produced. */
export interface Ran {
  /** Exit status (128 + n for a signal). */
  readonly code: number;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
}

/** A temp directory with a root, a cache, recipes and canaries. */
export class World implements AsyncDisposable {
  /** The temp directory. */
  readonly dir: string;
  /** Canary files outside the root: path → bytes. */
  readonly canaries = new Map<string, Uint8Array>();

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Makes a world with canaries in `outside/`. */
  static async create(): Promise<World> {
    const w = new World(await Deno.makeTempDir({ prefix: "wp-faults-" }));
    await Deno.mkdir(w.outside + "/dir", { recursive: true });
    for (
      const [name, text] of [["victim", "canary\n"], ["victim.lock", "lock canary\n"], [
        "dir/keep",
        "keep\n",
      ]]
    ) {
      const bytes = new TextEncoder().encode(`${text}${crypto.randomUUID()}\n`);
      await Deno.writeFile(join(w.outside, name), bytes);
      w.canaries.set(join(w.outside, name), bytes);
    }
    return w;
  }

  /** The install root. */
  get root(): string {
    return join(this.dir, "root");
  }
  /** A cache directory off the root (for roots on a small file system). */
  get cache(): string {
    return join(this.dir, "cache");
  }
  /** The state directory. */
  get state(): string {
    return join(this.root, "var/lib/worker-provisioner");
  }
  /** The directory of the canaries. */
  get outside(): string {
    return join(this.dir, "outside");
  }

  /** Writes a recipe `name` with `body` (a whole PKGBUILD) and returns its directory. */
  async recipe(name: string, body: string): Promise<string> {
    const dir = join(this.dir, "recipes", name);
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(join(dir, "PKGBUILD"), body);
    return dir;
  }

  /** The layout flags (the cache is the root's default one, which every command knows). */
  where(root = this.root): string[] {
    return ["--root", root];
  }

  /** Runs the CLI to its end. */
  async cli(args: readonly string[], env: Record<string, string> = {}): Promise<Ran> {
    const out = await new Deno.Command(Deno.execPath(), {
      args: cliCommandArgs(args, FLAGS),
      cwd: REPO,
      env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", ...env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const d = new TextDecoder();
    return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
  }

  /** Starts the CLI paused at `point`, sends `signal` once it is there, and waits for its end. */
  async interrupt(args: readonly string[], point: string, signal: Deno.Signal): Promise<Ran> {
    const child = new Deno.Command(Deno.execPath(), {
      args: cliCommandArgs(args, FLAGS),
      cwd: REPO,
      env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", [PAUSE_ENV]: point },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stdout = new Response(child.stdout).text();
    let stderr = "";
    let sent = false;
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      stderr += chunk;
      if (!sent && stderr.includes(`paused at ${point}\n`)) {
        sent = true;
        child.kill(signal);
      }
    }
    const status = await child.status;
    if (!sent) throw new Error(`never paused at ${point}: ${stderr}`);
    return { code: status.code, stdout: await stdout, stderr };
  }

  /** The ids `list --json` shows. */
  async installed(): Promise<string[]> {
    const list = await this.cli(["list", "--json", ...this.where()]);
    const result = JSON.parse(list.stdout.trim().split("\n").at(-1)!);
    return (result.result as { id: string }[]).map((w) => w.id);
  }

  /** Canaries that changed or vanished. */
  async lostCanaries(): Promise<string[]> {
    const lost: string[] = [];
    for (const [path, bytes] of this.canaries) {
      const now = await Deno.readFile(path).catch(() => null);
      if (now === null || now.length !== bytes.length || now.some((b, i) => b !== bytes[i])) {
        lost.push(path);
      }
    }
    return lost;
  }

  /** Leftovers: any file in the state directory but a record, and anything in a build base. */
  async leftovers(root = this.root): Promise<string[]> {
    const state = join(root, "var/lib/worker-provisioner");
    const found = (await filesUnder(state)).filter((p) =>
      !/\/workers\/[^/]+\/record\.json$/.test(p) && !p.includes("/damaged/") &&
      !p.includes("/logs/") // kept logs of failed builds are meant to stay
    );
    return [
      ...found,
      ...(await filesUnder(join(root, "var/cache/worker-provisioner/build"), true)),
      ...(await filesUnder(join(this.cache, "build"), true)),
    ];
  }

  /** Removes the world. */
  async [Symbol.asyncDispose](): Promise<void> {
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }
}

/** Every path under `dir` (files and symlinks; directories too with `dirs`), sorted. */
export async function filesUnder(dir: string, dirs = false): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = join(d, e.name);
      if (e.isDirectory) {
        if (dirs) found.push(p + "/");
        await walk(p);
      } else found.push(p);
    }
  };
  await walk(dir).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  return found.sort();
}

/** A sourceless recipe: an executable and a data file, version `version`. */
export function simpleRecipe(name: string, version = "1", extra = ""): string {
  return `pkgname=${name}\npkgver=${version}\npkgrel=1\narch=(any)\n` +
    `package() {\n  install -d "$pkgdir/usr/local/bin" "$pkgdir/usr/local/share/${name}"\n` +
    `  printf 'v%s\\n' ${version} > "$pkgdir/usr/local/share/${name}/data"\n` +
    `  printf '#!/bin/sh\\necho ${name}\\n' > "$pkgdir/usr/local/bin/${name}"\n` +
    `  chmod 755 "$pkgdir/usr/local/bin/${name}"\n${extra}}\n`;
}

/** One row of the matrix. */
export interface CaseResult {
  /** The class of fault. */
  readonly group: string;
  /** The case. */
  readonly name: string;
  /** `null` when it survived, else what was lost. */
  readonly lost: string | null;
}

/** Prints the table: per group, cases, survived, lost; then the lost cases. */
export function printTable(results: readonly CaseResult[]): string {
  const groups = [...new Set(results.map((r) => r.group))];
  const rows = groups.map((g) => {
    const rs = results.filter((r) => r.group === g);
    return [g, rs.length, rs.filter((r) => !r.lost).length, rs.filter((r) => r.lost).length];
  });
  rows.push([
    "total",
    results.length,
    results.filter((r) => !r.lost).length,
    results.filter((r) => r.lost).length,
  ]);
  const lines = [
    `${"class".padEnd(28)}${"cases".padStart(6)}${"survived".padStart(10)}${"lost".padStart(6)}`,
    ...rows.map(([g, n, s, l]) =>
      `${String(g).padEnd(28)}${String(n).padStart(6)}${String(s).padStart(10)}${
        String(l).padStart(6)
      }`
    ),
    ...results.filter((r) => r.lost).map((r) => `LOST ${r.group} / ${r.name}: ${r.lost}`),
  ];
  return lines.join("\n");
}

/** Runs one case: `fn` returns the problems found (none: survived). */
export async function check(
  results: CaseResult[],
  w: World,
  group: string,
  name: string,
  fn: () => Promise<(string | false | null | undefined)[]>,
): Promise<void> {
  let lost: string | null;
  try {
    const problems = (await fn()).filter((p): p is string => typeof p === "string");
    const canaries = await w.lostCanaries();
    if (canaries.length) problems.push(`canaries changed: ${canaries.join(", ")}`);
    lost = problems.length ? problems.join("; ") : null;
  } catch (error) {
    lost = `threw ${(error as Error).stack ?? error}`;
  }
  results.push({ group, name, lost });
}

/** A problem unless `ran` exited with `code`. */
export function exits(ran: Ran, code: number, what = "exit"): string | null {
  return ran.code === code
    ? null
    : `${what}: expected exit ${code}, got ${ran.code}: ${ran.stderr.trim().split("\n").at(-1)}`;
}

/** A problem when a journal, staging tree, lock, temp file or build directory is left. */
export async function noLeftovers(w: World, root?: string): Promise<string | null> {
  const left = await w.leftovers(root);
  return left.length ? `leftovers: ${left.join(", ")}` : null;
}

/** Whether worker `id` has a record in `root`. */
export async function isInstalled(w: World, id: string, root = w.root): Promise<boolean> {
  const record = join(root, "var/lib/worker-provisioner/workers", id, "record.json");
  return (await Deno.lstat(record).catch(() => null)) !== null;
}

/** A problem unless worker `id` is wholly installed (`yes`) or wholly absent. */
export async function stateIs(w: World, id: string, yes: boolean): Promise<string | null> {
  const bin = await Deno.readTextFile(join(w.root, "usr/local/bin", id)).catch(() => null);
  const recorded = await isInstalled(w, id);
  if (yes) {
    return recorded && bin === `#!/bin/sh\necho ${id}\n`
      ? null
      : `${id} should be installed (record ${recorded}, file ${bin !== null})`;
  }
  return !recorded && bin === null
    ? null
    : `${id} should be absent (record ${recorded}, file ${bin !== null})`;
}
