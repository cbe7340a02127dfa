/**
 * Builds what the cargo worker tests need, offline: a local cargo registry
 * made from Debian's `librust-*-dev` crates (`/usr/share/cargo/registry`),
 * a git repository in the shape of rbee's workspace (fixtures/cargo-worker)
 * whose `.cargo/config.toml` replaces crates.io with that registry, a catalog directory with its cpu and cuda
 * recipes, and a rustup-style `~/.cargo/bin` whose cargo is a wrapper that
 * says where it was found before it runs Debian's cargo.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";

const FIXTURE = fileURLToPath(new URL("../../fixtures/cargo-worker/", import.meta.url));

/** Where Debian's librust-*-dev packages put their crates. */
export const DEBIAN_REGISTRY = "/usr/share/cargo/registry";

/** Printed on stderr by the rustup-layout cargo wrapper. */
export const RUSTUP_CARGO_MARKER = "cargo from the rustup layout";

async function sh(cwd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command(args[0], {
    args: args.slice(1),
    cwd,
    stderr: "piped",
    stdout: "piped",
  })
    .output();
  const text = new TextDecoder();
  if (!out.success) throw new Error(`${args.join(" ")} failed: ${text.decode(out.stderr)}`);
  return text.decode(out.stdout);
}

async function sha256Hex(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** cargo's index path of a crate name. */
function indexPath(name: string): string {
  if (name.length <= 2) return join(String(name.length), name);
  if (name.length === 3) return join("3", name[0], name);
  return join(name.slice(0, 2), name.slice(2, 4), name);
}

/** Makes a cargo local registry at `dir` from Debian's copies of `crates` (crates without dependencies). */
export async function makeLocalRegistry(dir: string, crates: readonly string[]): Promise<void> {
  await Deno.mkdir(join(dir, "index"), { recursive: true });
  for (const name of crates) {
    const found = [...Deno.readDirSync(DEBIAN_REGISTRY)].map((e) => e.name)
      .filter((n) => n.startsWith(`${name}-`) && /^\d/.test(n.slice(name.length + 1)));
    if (!found.length) {
      throw new Error(`${name} is not in ${DEBIAN_REGISTRY}: apt-get install librust-${name}-dev`);
    }
    const crateDir = found.sort().at(-1)!;
    const version = crateDir.slice(name.length + 1);
    const file = join(dir, `${crateDir}.crate`);
    await sh(DEBIAN_REGISTRY, "tar", "--exclude=.cargo-checksum.json", "-czf", file, crateDir);
    const line = {
      name,
      vers: version,
      deps: [],
      cksum: await sha256Hex(file),
      features: {},
      yanked: false,
    };
    const index = join(dir, "index", indexPath(name));
    await Deno.mkdir(join(index, ".."), { recursive: true });
    await Deno.writeTextFile(index, `${JSON.stringify(line)}\n`);
  }
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyTree(join(from, e.name), join(to, e.name));
    else await Deno.copyFile(join(from, e.name), join(to, e.name));
  }
}

/** Git in `repo`, with a fixed identity. */
export function git(repo: string, ...args: string[]): Promise<string> {
  return sh(repo, "git", "-c", "user.name=rbee", "-c", "user.email=rbee@localhost", ...args);
}

/**
 * Makes the worker's git repository at `repo` (branch main, one commit)
 * using the local registry at `registry` (made when missing, at a path
 * outside /tmp so the build sandbox sees it); resolves to its commit.
 */
export async function makeWorkerRepo(repo: string, registry: string): Promise<string> {
  await copyTree(join(FIXTURE, "workspace"), repo);
  if (!(await Deno.stat(registry).catch(() => null))) await makeLocalRegistry(registry, ["itoa"]);
  const config = join(repo, ".cargo/config.toml");
  await Deno.writeTextFile(
    config,
    (await Deno.readTextFile(config)).replace("@REGISTRY@", registry),
  );
  await Deno.writeTextFile(join(repo, ".gitignore"), "/target\n");
  await git(repo, "init", "-q", "-b", "main");
  await git(repo, "add", "-A");
  await git(repo, "commit", "-q", "-m", "llm-worker-rbee 0.1.0");
  return (await git(repo, "rev-parse", "HEAD")).trim();
}

/** Commits a change to the worker's repository; resolves to the new commit. */
export async function pushCommit(repo: string, message: string): Promise<string> {
  await Deno.writeTextFile(join(repo, "CHANGES"), `${message}\n`, { append: true });
  await git(repo, "add", "-A");
  await git(repo, "commit", "-q", "-m", message);
  return (await git(repo, "rev-parse", "HEAD")).trim();
}

/** What a recipe of the catalog looks like. */
export interface RecipeOptions {
  /** `cpu` or `cuda`. */
  readonly variant: string;
  /** The recipe's depends. @default ["gcc"] */
  readonly depends?: readonly string[];
  /** The recipe's checkdepends. @default [] */
  readonly checkdepends?: readonly string[];
  /** The pkgrel. @default "1" */
  readonly pkgrel?: string;
}

/** The PKGBUILD of a variant, from fixtures/cargo-worker/PKGBUILD.in. */
export async function recipeText(repo: string, options: RecipeOptions): Promise<string> {
  const quote = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(" ");
  return (await Deno.readTextFile(join(FIXTURE, "PKGBUILD.in")))
    .replaceAll("@VARIANT@", options.variant)
    .replaceAll("@REPO@", repo)
    .replaceAll("@PKGREL@", options.pkgrel ?? "1")
    .replaceAll("@DEPENDS@", quote(options.depends ?? ["gcc"]))
    .replaceAll("@CHECKDEPENDS@", quote(options.checkdepends ?? []));
}

/** Writes (or rewrites) the catalog entry and recipe of a variant under `catalog/workers/<id>/`. */
export async function writeCatalogWorker(
  catalog: string,
  repo: string,
  options: RecipeOptions,
): Promise<string> {
  const id = `llm-worker-rbee-${options.variant}`;
  const dir = join(catalog, "workers", id);
  await Deno.mkdir(dir, { recursive: true });
  const entry = (await Deno.readTextFile(join(FIXTURE, "worker.json.in")))
    .replaceAll("@VARIANT@", options.variant).replaceAll("@REPO@", repo);
  await Deno.writeTextFile(join(dir, "worker.json"), entry);
  await Deno.writeTextFile(join(dir, "PKGBUILD"), await recipeText(repo, options));
  return id;
}

/**
 * Makes rustup's layout under `home`: `.cargo/bin/cargo` is a wrapper that
 * prints {@link RUSTUP_CARGO_MARKER} and runs `/usr/bin/cargo` (Debian's),
 * `.cargo/bin/rustc` a link to `/usr/bin/rustc`.
 */
export async function makeRustupLayout(home: string): Promise<string> {
  const bin = join(home, ".cargo/bin");
  await Deno.mkdir(bin, { recursive: true });
  const wrapper = join(bin, "cargo");
  await Deno.writeTextFile(
    wrapper,
    `#!/bin/sh\necho "${RUSTUP_CARGO_MARKER}: $0" >&2\nexec /usr/bin/cargo "$@"\n`,
  );
  await Deno.chmod(wrapper, 0o755);
  await Deno.symlink("/usr/bin/rustc", join(bin, "rustc"));
  return bin;
}
