/**
 * A small worker built from a local git repository (branch main) with a
 * `pkgver()`, in a catalog directory with `worker_type: cpu`, and a way to
 * run the CLI as an unprivileged user (nobody) with its own HOME: what the
 * hive registration and upgrade tests use. Building it takes no compiler:
 * build() copies a shell script, and fails when the repository holds a file
 * named BROKEN.
 *
 * @module
 */

import { join } from "node:path";
import { testDenoDir } from "../_deno_dir.ts";
import { COMPILE_PERMISSION_FLAGS } from "../../src/cli/permissions.ts";
import { CLI_PATH, type CliRun, REPO } from "../cli/_cli.ts";

/** The worker id. */
export const GIT_WORKER_ID = "rbee-shell-worker";

const RECIPE = `pkgname=rbee-shell-worker
pkgver=0.1.0
pkgrel=@PKGREL@
pkgdesc="A shell stand-in for an rbee worker, built from git"
arch=('x86_64' 'aarch64')
license=('GPL-3.0-or-later')
source=("shell-worker::git+file://@REPO@#branch=main")
sha256sums=('SKIP')

pkgver() {
  cd shell-worker
  printf '0.1.0.r%s' "$(git rev-list --count HEAD)"
}

build() {
  cd shell-worker
  if [ -e BROKEN ]; then echo "the source is broken" >&2; exit 1; fi
  sed "s/@COMMIT@/$(git rev-parse --short HEAD)/" worker.sh > rbee-shell-worker
}

package() {
  install -Dm755 shell-worker/rbee-shell-worker "$pkgdir/usr/local/bin/rbee-shell-worker"
}
`;

const ENTRY = {
  id: GIT_WORKER_ID,
  implementation: "rbee-shell-worker",
  worker_type: "cpu",
  version: "0.1.0",
  platforms: ["linux"],
  architectures: ["x86_64", "aarch64"],
  name: "Shell worker",
  description: "A shell stand-in for an rbee worker",
  license: "GPL-3.0-or-later",
  build_system: "cargo",
  depends: [],
  makedepends: [],
  binary_name: GIT_WORKER_ID,
  install_path: `/usr/local/bin/${GIT_WORKER_ID}`,
  supported_formats: [],
  supports_streaming: false,
  supports_batching: false,
};

async function git(repo: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: [
      "-c",
      "safe.directory=*",
      "-c",
      "user.name=rbee",
      "-c",
      "user.email=rbee@localhost",
      ...args,
    ],
    cwd: repo,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout).trim();
}

/** Makes the repository (one commit on main); resolves to the commit. */
export async function makeGitWorkerRepo(repo: string): Promise<string> {
  await Deno.mkdir(repo, { recursive: true });
  await Deno.writeTextFile(join(repo, "worker.sh"), "#!/bin/sh\necho rbee-shell-worker @COMMIT@\n");
  await git(repo, "init", "-q", "-b", "main");
  await git(repo, "add", "-A");
  await git(repo, "commit", "-q", "-m", "first");
  return await git(repo, "rev-parse", "HEAD");
}

/** Commits `file` (with `text`) to the repository; resolves to the new commit. */
export async function commitFile(repo: string, file: string, text: string): Promise<string> {
  await Deno.writeTextFile(join(repo, file), text);
  await git(repo, "add", "-A");
  await git(repo, "commit", "-q", "-m", `change ${file}`);
  return await git(repo, "rev-parse", "HEAD");
}

/** Removes `file` in a new commit; resolves to it. */
export async function removeFile(repo: string, file: string): Promise<string> {
  await git(repo, "rm", "-q", file);
  await git(repo, "commit", "-q", "-m", `remove ${file}`);
  return await git(repo, "rev-parse", "HEAD");
}

/** The short commit of `rev`. */
export function shortCommit(repo: string, rev: string): Promise<string> {
  return git(repo, "rev-parse", "--short", rev);
}

/** Writes the catalog directory's entry and recipe (`pkgrel` and `version` settable). */
export async function writeGitWorkerCatalog(
  catalog: string,
  repo: string,
  options: { pkgrel?: string; version?: string } = {},
): Promise<void> {
  const dir = join(catalog, "workers", GIT_WORKER_ID);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "worker.json"),
    JSON.stringify({ ...ENTRY, version: options.version ?? ENTRY.version }, null, 2),
  );
  await Deno.writeTextFile(
    join(dir, "PKGBUILD"),
    RECIPE.replace("@REPO@", repo).replace("@PKGREL@", options.pkgrel ?? "1"),
  );
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyTree(join(from, e.name), join(to, e.name));
    else if (e.isFile) await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}

/**
 * A CLI runnable by `nobody`: a copy of the program (so it does not matter
 * whether the checkout is readable by others), a HOME and a DENO_DIR, all
 * under `dir`, which is handed to nobody, and the shared test Deno cache. Resolves to a runner.
 */
export async function cliAsNobody(
  dir: string,
): Promise<{ home: string; run: (args: readonly string[]) => Promise<CliRun> }> {
  const app = join(dir, "app");
  await Deno.mkdir(app, { recursive: true });
  for (const f of ["cli.ts", "mod.ts", "deno.json", "deno.lock"]) {
    await Deno.copyFile(join(REPO, f), join(app, f)).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error; // no lock file: no npm packages
    });
  }
  await copyTree(join(REPO, "src"), join(app, "src"));
  const home = join(dir, "home");
  await Deno.mkdir(home, { recursive: true });
  const chown = await new Deno.Command("chown", { args: ["-R", "nobody:nogroup", dir] }).output();
  if (!chown.success) throw new Error("chown nobody failed");
  const cli = join(app, CLI_PATH.slice(CLI_PATH.lastIndexOf("/") + 1));
  const run = async (args: readonly string[]): Promise<CliRun> => {
    const out = await new Deno.Command("setpriv", {
      args: [
        "--reuid=nobody",
        "--regid=nogroup",
        "--clear-groups",
        "env",
        "-i",
        `HOME=${home}`,
        `DENO_DIR=${testDenoDir()}`,
        "DENO_NO_UPDATE_CHECK=1",
        "NO_COLOR=1",
        "PATH=/usr/local/bin:/usr/bin:/bin",
        Deno.execPath(),
        "run",
        ...COMPILE_PERMISSION_FLAGS,
        cli,
        ...args,
      ],
      cwd: dir,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder();
    return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
  };
  return { home, run };
}
