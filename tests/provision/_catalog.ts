/**
 * Builds a worker catalog directory for the end-to-end tests, with real
 * archives and a real git repository made on the spot:
 *
 * - `bin-worker`: binary-only, `source_x86_64`/`source_aarch64` tarballs with
 *   `sha256sums_<arch>`, no build(); the installed script prints its arch.
 * - `src-worker`: built from a local git repository (tag v1.0) whose build()
 *   compiles a C program with `cc`.
 * - `noextract-worker`: an archive kept whole (`noextract`) and unpacked by package().
 * - `split-worker`: a split recipe (`pkgname=(split-worker-cli split-worker-data)`).
 * - `up-worker`: version 1 ships `share/up-worker/old.txt`; {@link writeUpWorkerV2} drops it.
 * - `broken-worker`: build() fails.
 * - `bad-sum-worker`: its tarball does not match the pinned sha256.
 * - `slow-build-worker`: build() sleeps (for cancellation during the build).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import { makeTree } from "./_helpers.ts";

async function run(cmd: string, args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

async function sha256(path: string): Promise<string> {
  return createHash("sha256").update(await Deno.readFile(path)).digest("hex");
}

/** Makes `DIR/files/<name>` as a tar.gz of `files`, returning its sha256. */
async function tarball(
  dir: string,
  name: string,
  files: Record<string, string | { content: string; mode: number }>,
) {
  const work = join(dir, `.work-${name}`);
  await makeTree(work, files);
  await Deno.mkdir(join(dir, "files"), { recursive: true });
  await run(
    "tar",
    ["--sort=name", "--owner=0", "--group=0", "-czf", join(dir, "files", name), "."],
    work,
  );
  await Deno.remove(work, { recursive: true });
  return await sha256(join(dir, "files", name));
}

function entry(id: string, version: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id,
    name: id,
    version,
    description: `${id} test worker`,
    platforms: ["linux"],
    architectures: ["x86_64", "aarch64"],
    worker_type: "cpu",
    depends: [],
    makedepends: [],
    binary_name: id,
    install_path: `/usr/local/bin/${id}`,
    pkgbuild_url: `{{CATALOG_URL}}/workers/${id}/PKGBUILD`,
    ...extra,
  });
}

/** Writes the worker `id` (entry + PKGBUILD) into catalog `dir`. */
export async function writeWorker(
  dir: string,
  id: string,
  version: string,
  pkgbuild: string,
  extra = {},
) {
  await makeTree(dir, {
    [`workers/${id}/worker.json`]: entry(id, version, extra),
    [`workers/${id}/PKGBUILD`]: pkgbuild,
  });
}

const script = (text: string) => ({ content: `#!/bin/sh\n${text}\n`, mode: 0o755 });

/** Makes the whole test catalog in `dir`; `gitDir` receives the source worker's repository. */
export async function makeTestCatalog(dir: string, gitDir: string): Promise<void> {
  const x86 = await tarball(dir, "bin-worker-x86_64.tar.gz", {
    "bin-worker": script("echo bin-worker x86_64"),
  });
  const arm = await tarball(dir, "bin-worker-aarch64.tar.gz", {
    "bin-worker": script("echo bin-worker aarch64"),
  });
  await writeWorker(
    dir,
    "bin-worker",
    "1.2.0",
    `pkgname=bin-worker
pkgver=1.2.0
pkgrel=1
pkgdesc="binary-only worker"
arch=(x86_64 aarch64)
license=(GPL-3.0-or-later)
source_x86_64=("{{CATALOG_URL}}/files/bin-worker-x86_64.tar.gz")
source_aarch64=("{{CATALOG_URL}}/files/bin-worker-aarch64.tar.gz")
sha256sums_x86_64=('${x86}')
sha256sums_aarch64=('${arm}')

package() {
  install -Dm755 "bin-worker" "$pkgdir/usr/local/bin/$pkgname"
}
`,
  );

  await makeTree(gitDir, {
    "hello.c":
      '#include <stdio.h>\nint main(void) { puts("src-worker built from git"); return 0; }\n',
  });
  await run("git", ["init", "-q", "-b", "main"], gitDir);
  await run("git", ["-c", "user.name=t", "-c", "user.email=t@t", "add", "."], gitDir);
  await run("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1"], gitDir);
  await run("git", ["tag", "v1.0"], gitDir);
  // Served over HTTP (git's dumb protocol) from the catalog's files: a recipe from an
  // HTTP catalog may not read this machine's disk through a file:// URL.
  const served = join(dir, "files", "src-worker.git");
  await run("git", ["clone", "-q", "--bare", gitDir, served], dir);
  await run("git", ["update-server-info"], served);
  await writeWorker(
    dir,
    "src-worker",
    "1.0",
    `pkgname=src-worker
pkgver=1.0
pkgrel=1
arch=(x86_64 aarch64)
source=("src-worker::git+{{CATALOG_URL}}/files/src-worker.git#tag=v1.0")
sha256sums=('SKIP')

build() {
  cd src-worker
  cc -O1 -o hello hello.c
}

check() {
  cd src-worker
  ./hello | grep -q "built from git"
}

package() {
  install -Dm755 src-worker/hello "$pkgdir/usr/local/bin/src-worker"
}
`,
    { build_system: "cmake", source: { type: "git", url: `file://${gitDir}`, tag: "v1.0" } },
  );

  const app = await tarball(dir, "app.tar.gz", {
    "app/bin/noextract-worker": script("echo noextract-worker unpacked by package"),
    "app/share/model.txt": "weights\n",
  });
  await writeWorker(
    dir,
    "noextract-worker",
    "0.3",
    `pkgname=noextract-worker
pkgver=0.3
pkgrel=2
epoch=1
arch=(any)
source=("{{CATALOG_URL}}/files/app.tar.gz")
noextract=("app.tar.gz")
sha256sums=('${app}')

package() {
  [[ -f app.tar.gz && ! -d app ]] || { echo "app.tar.gz was extracted"; exit 1; }
  mkdir -p "$pkgdir/opt/noextract-worker" "$pkgdir/usr/local/bin"
  tar -xzf app.tar.gz -C "$pkgdir/opt/noextract-worker" --strip-components=2
  ln -s ../../../opt/noextract-worker/bin/noextract-worker "$pkgdir/usr/local/bin/noextract-worker"
}
`,
  );

  await writeWorker(
    dir,
    "split-worker",
    "2.0",
    `pkgbase=split-worker
pkgname=(split-worker-cli split-worker-data)
pkgver=2.0
pkgrel=1
arch=(x86_64 aarch64)

package_split-worker-cli() {
  pkgdesc="the executable"
  mkdir -p "$pkgdir/usr/local/bin"
  printf '#!/bin/sh\\necho split-worker-cli\\n' > "$pkgdir/usr/local/bin/split-worker"
  chmod 755 "$pkgdir/usr/local/bin/split-worker"
}

package_split-worker-data() {
  pkgdesc="its data"
  install -Dm644 /dev/null "$pkgdir/usr/local/share/split-worker/data.bin"
  echo data > "$pkgdir/usr/local/share/split-worker/data.bin"
}
`,
  );

  await writeUpWorker(dir, 1);
  await writeWorker(
    dir,
    "broken-worker",
    "1",
    `pkgname=broken-worker
pkgver=1
pkgrel=1
arch=(x86_64 aarch64)
build() {
  echo "compiling..."
  echo "error: something is broken" >&2
  exit 3
}
package() { :; }
`,
  );
  await writeWorker(
    dir,
    "bad-sum-worker",
    "1",
    `pkgname=bad-sum-worker
pkgver=1
pkgrel=1
arch=(x86_64 aarch64)
source=("{{CATALOG_URL}}/files/app.tar.gz")
sha256sums=('${"0".repeat(64)}')
package() { :; }
`,
  );
  await writeWorker(
    dir,
    "slow-build-worker",
    "1",
    `pkgname=slow-build-worker
pkgver=1
pkgrel=1
arch=(x86_64 aarch64)
build() {
  echo "slow-build-marker started"
  sleep 61.4242
  echo "slow-build-marker finished"
}
package() { :; }
`,
  );
}

/** Writes `up-worker` version 1 (ships old.txt) or 2 (does not). */
export async function writeUpWorker(dir: string, version: 1 | 2): Promise<void> {
  const v1Only = version === 1 ? `  echo old > "$pkgdir/usr/local/share/up-worker/old.txt"\n` : "";
  await writeWorker(
    dir,
    "up-worker",
    `${version}.0`,
    `pkgname=up-worker
pkgver=${version}.0
pkgrel=1
arch=(x86_64 aarch64)
package() {
  mkdir -p "$pkgdir/usr/local/bin" "$pkgdir/usr/local/share/up-worker"
  printf '#!/bin/sh\\necho up-worker ${version}\\n' > "$pkgdir/usr/local/bin/up-worker"
  chmod 755 "$pkgdir/usr/local/bin/up-worker"
  echo "v${version}" > "$pkgdir/usr/local/share/up-worker/version.txt"
${v1Only}}
`,
  );
}

/** Writes a worker whose single source lives at `url` (e.g. a slow server), pinned to `sha`. */
export async function writeRemoteSourceWorker(dir: string, id: string, url: string, sha: string) {
  await writeWorker(
    dir,
    id,
    "1",
    `pkgname=${id}
pkgver=1
pkgrel=1
arch=(x86_64 aarch64)
source=("${url}")
sha256sums=('${sha}')
package() { :; }
`,
  );
}
