/**
 * End-to-end install of a 200 MB binary worker, paired run by run (see
 * `_paired.ts`): each side a fresh process, wall and CPU time (user + sys of
 * the process tree) and peak RSS.
 *
 *     deno run -A bench/install_bench.ts run [cold|warm|warm-second-root|both|format] [pairs=5] [MiB=200]
 *
 * The worker is a `-bin` style recipe: one source, `bench-bin-1.0.tar.zst`
 * (zstd -3) of a tree of about 200 MiB of binary-like content (see
 * {@link payloadScript}), served by `Deno.serve` in its own process on
 * 127.0.0.1, with its sha256 in the recipe; `package()` copies the
 * extracted tree into `$pkgdir/opt/bench-bin` and links its executable into
 * `/usr/bin`; `options=(!strip !debug)` as prebuilt packages have.
 *
 * - **cold**: ours is `worker-provisioner install RECIPE_DIR --root R
 *   --cache-dir C` under the compiled binary's permission flags (`deno run
 *   cli.ts`, Deno's start included), with R and C empty: fetch + verify,
 *   extract, `package()` in the sandbox, tidy, stage, install, record. The
 *   baseline is makepkg 6.0.2 as the unprivileged user `builder`
 *   (`PACMAN=true`, `--nodeps`, Debian's makepkg.conf with Arch's
 *   `PKGEXT='.pkg.tar.zst'`, SRCDEST empty): curl, sha256 verification,
 *   bsdtar extraction, `package()` under fakeroot, tidy, zstd compression of
 *   the package; then `bsdtar -xpf` of the package into an empty root (as
 *   root, as pacman would).
 * - **warm**: re-provisioning a node: ours as above into root R2 with a
 *   cache directory holding the source and the kept build, the worker not
 *   installed anywhere (an untimed install into another root made the
 *   entry, an untimed `uninstall` there released its files), against ours
 *   cold. Between runs R2 is emptied by an untimed `uninstall` through the
 *   CLI (not `rm -rf`: the entry's files must be released as a node's would
 *   be); the entry's files are then held by nobody and are hard-linked.
 * - **warm-second-root**: the losing case of the sharing policy: as warm,
 *   but the priming root keeps the worker installed (it holds the entry's
 *   files), so every file is copied into R2 (`copy_file_range`). Between
 *   runs R2 is moved aside (its files are copies; nothing in the cache
 *   refers to them).
 * - **format**: what the local package cache should keep: ours warm (the
 *   unpacked tree, reset as warm is) against `install x.pkg.tar.zst` (the
 *   same build written by `build`) into an empty root.
 *
 * Between runs (untimed) the outputs are moved aside into
 * `$TMPDIR/wp-install-bench-trash` (`/tmp` by default), not deleted (see {@link aside}): delete it
 * when done. Under `deno bench` this file registers nothing heavy.
 *
 * @module
 */

import { join } from "node:path";
import { COMPILE_PERMISSION_FLAGS } from "../src/cli/permissions.ts";
import { runPaired, sh } from "./_paired.ts";

const SELF = new URL(import.meta.url).pathname;
const CLI = new URL("../cli.ts", import.meta.url).pathname;

/**
 * The payload tree (`bench-bin-1.0/`): a 3/8 share of random bytes (a
 * runtime library and weights-like blobs that do not compress), a 3/8 share
 * of real ELF shared objects copied from `/usr/lib` (compressible about 2-3x),
 * a 1/4 share of text (man pages, headers) in many small files, and one ELF
 * executable.
 */
function payloadScript(dir: string, mib: number): string {
  const random = Math.round(mib * 3 / 8);
  const elf = Math.round(mib * 3 / 8);
  const text = mib - random - elf;
  return `set -e; rm -rf ${dir}; mkdir -p ${dir}/bin ${dir}/lib ${dir}/share
    cp /usr/bin/bash ${dir}/bin/bench-bin
    head -c $(( ${random} * 3 / 4 ))M /dev/urandom > ${dir}/lib/libruntime.so
    for i in 1 2 3 4; do head -c $(( ${random} * 1024 / 16 ))K /dev/urandom > ${dir}/share/blob$i.bin; done
    budget=$(( ${elf} * 1024 * 1024 )); n=0
    for f in $(find /usr/lib/x86_64-linux-gnu /usr/lib -maxdepth 2 -name '*.so*' -type f -size +64k | sort); do
      size=$(stat -c %s "$f"); [ $size -le $budget ] || continue; n=$((n+1))
      cp "$f" ${dir}/lib/$n-$(basename "$f"); budget=$(( budget - size ))
    done
    budget=$(( ${text} * 1024 * 1024 )); n=0; mkdir -p ${dir}/share/doc
    rounds=0; while [ $budget -gt 4096 ] && [ $rounds -lt 50 ]; do rounds=$((rounds+1))
      for f in $(find /usr/include /usr/share/man -type f -size -256k | sort | head -4000); do
        size=$(stat -c %s "$f"); [ $size -le $budget ] || continue; n=$((n+1))
        d=${dir}/share/doc/$((n % 40)); mkdir -p $d
        cp "$f" $d/$n-$(basename "$f"); budget=$(( budget - size ))
      done
    done`;
}

const PKGBUILD = (url: string, sha256: string) =>
  `pkgname=bench-bin
pkgver=1.0
pkgrel=1
pkgdesc="A 200 MB prebuilt worker (benchmark)"
arch=('x86_64')
license=('MIT')
options=('!strip' '!debug')
source=("${url}")
sha256sums=('${sha256}')

package() {
  mkdir -p "$pkgdir/opt" "$pkgdir/usr/bin"
  cp -a "$srcdir/bench-bin-1.0" "$pkgdir/opt/bench-bin"
  ln -s /opt/bench-bin/bin/bench-bin "$pkgdir/usr/bin/bench-bin"
}
`;

async function serve(file: string): Promise<void> {
  const size = (await Deno.stat(file)).size;
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: ({ port }) => console.log(port),
  }, async () => {
    const f = await Deno.open(file);
    return new Response(f.readable, {
      headers: { "content-length": String(size), etag: `"bench"` },
    });
  });
  await server.finished;
}

async function sha256sum(path: string): Promise<string> {
  const out = await new Deno.Command("sha256sum", { args: [path], stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).split(" ")[0];
}

/** The CLI under the compiled binary's permission flags (argv). */
function cli(...args: string[]): string[] {
  return [Deno.execPath(), "run", ...COMPILE_PERMISSION_FLAGS, CLI, ...args];
}

/** Our install of `recipe` into `root` with `cache` (argv). */
function ours(recipe: string, root: string, cache: string): string[] {
  return cli("install", recipe, "--root", root, "--cache-dir", cache, "--quiet");
}

/** makepkg as `builder` into a fresh work dir, then `bsdtar -xpf` of the package into `root`. */
function makepkgScript(recipe: string, work: string, root: string, conf: string): string {
  return `set -e
    rm -rf ${work} ${root}; mkdir -p ${work}/recipe ${root}
    cp -a ${recipe}/. ${work}/recipe/; chown -R builder:builder ${work}
    runuser -u builder -- env -C ${work}/recipe PACMAN=true BUILDDIR=${work}/build \
      SRCDEST=${work}/srcdest PKGDEST=${work}/pkgs makepkg --config ${conf} --nodeps --noconfirm >/dev/null 2>&1
    bsdtar -xpf ${work}/pkgs/bench-bin-1.0-1-x86_64.pkg.tar.zst -C ${root}`;
}

/** Where each run's outputs go instead of being deleted (see {@link aside}). */
/** On the filesystem of the run directory (`TMPDIR`), so that a rename can move outputs there. */
const TRASH = join(Deno.env.get("TMPDIR") ?? "/tmp", "wp-install-bench-trash");
let asideCount = 0;

/**
 * Moves `paths` (those that exist) into {@link TRASH}, then `sync`s: a
 * rename, instant. On this machine's ext4, allocating an inode skips every
 * inode of its group freed in the last 60 s, so creating the 4,580 files
 * of an install right after `rm -rf` of the previous run's tree costs both
 * sides several seconds of system time that measure the deletion, not the
 * install (the same as bench/extract_bench.ts found). Delete
 * `$TMPDIR/wp-install-bench-trash` when done.
 */
async function aside(...paths: string[]): Promise<void> {
  await Deno.mkdir(TRASH, { recursive: true });
  for (const path of paths) {
    if (await Deno.lstat(path).catch(() => null)) {
      await Deno.rename(path, join(TRASH, `${Date.now()}-${asideCount++}`));
    }
  }
  await sh("sync");
}

/**
 * Uninstalls the worker from `root` through the CLI when it is installed
 * there: how a node releases the cached build's files (link count back to 1).
 */
async function uninstall(root: string): Promise<void> {
  const record = join(root, "var/lib/worker-provisioner/workers/bench-bin/record.json");
  if (await Deno.lstat(record).catch(() => null)) {
    await sh(cli("uninstall", "bench-bin", "--root", root, "--quiet").join(" "));
  }
}

async function main(which: string, pairs: number, mib: number): Promise<void> {
  const base = "/tmp/wp-install-bench";
  const tree = join(base, "bench-bin-1.0");
  const archive = join(base, `bench-bin-1.0.tar.zst`);
  await Deno.mkdir(base, { recursive: true });
  const stamp = join(base, `payload-v2-${mib}`);
  if (!(await Deno.stat(stamp).catch(() => null))) {
    await sh(payloadScript(tree, mib));
    await sh(
      `cd ${base} && tar --sort=name --owner=0 --group=0 --numeric-owner -cf - bench-bin-1.0 \
      | zstd -3 -T0 -q -o ${archive} -f && touch ${stamp}`,
    );
  }
  const treeMiB = Number(
    new TextDecoder().decode(
      (await new Deno.Command("du", { args: ["-sm", "--apparent-size", tree], stdout: "piped" })
        .output()).stdout,
    ).split("\t")[0],
  );
  const archiveMiB = ((await Deno.stat(archive)).size / 2 ** 20).toFixed(0);
  const files = new TextDecoder().decode(
    (await new Deno.Command("bash", {
      args: ["-c", `find ${tree} -type f | wc -l`],
      stdout: "piped",
    })
      .output()).stdout,
  ).trim();
  const payload = `bench-bin: ${treeMiB} MiB tree, ${files} files (3/8 random, 3/8 ELF .so ` +
    `from /usr/lib, 1/4 text), tar.zst -3 ${archiveMiB} MiB over loopback`;
  const run = await Deno.makeTempDir({ prefix: "install-bench-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SELF, "serve", archive],
    stdout: "piped",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const port = Number((await reader.read()).value?.trim());
    const recipe = join(run, "recipe");
    await Deno.mkdir(recipe);
    const url = `http://127.0.0.1:${port}/bench-bin-1.0.tar.zst`;
    await Deno.writeTextFile(join(recipe, "PKGBUILD"), PKGBUILD(url, await sha256sum(archive)));
    const conf = join(run, "makepkg.conf");
    await sh(
      `grep -v '^PKGEXT=' /etc/makepkg.conf > ${conf}; echo "PKGEXT='.pkg.tar.zst'" >> ${conf}
      chmod 755 ${run}; chmod 644 ${conf}; chmod -R a+rX ${recipe}`,
    );
    const cold = { root: join(run, "cold-root"), cache: join(run, "cold-cache") };
    const warm = { root: join(run, "warm-root"), cache: join(run, "warm-cache") };
    const ourCold = { name: "install (cold)", argv: ours(recipe, cold.root, cold.cache) };
    if (which === "cold" || which === "both") {
      const mk = join(run, "makepkg");
      await runPaired({
        title: "cold install of a 200 MB binary worker",
        payload,
        ours: ourCold,
        baseline: {
          name: "makepkg + bsdtar -xpf",
          argv: ["bash", "-c", makepkgScript(recipe, mk, join(run, "mk-root"), conf)],
        },
        pairs,
        reset: () => aside(cold.root, cold.cache, mk, join(run, "mk-root")),
      });
    }
    if (which === "format") {
      // What the local package cache keeps: the unpacked tree (ours) or the built package file.
      const out = join(run, "pkg");
      await aside(warm.cache);
      await sh(`${ours(recipe, join(run, "prime"), warm.cache).join(" ")}
        ${cli("build", recipe, "--output", out, "--cache-dir", warm.cache, "--quiet").join(" ")}`);
      await uninstall(join(run, "prime")); // the entry's files held by nobody, as in warm
      const pkg = join(out, "bench-bin-1.0-1-x86_64.pkg.tar.zst");
      const file = { root: join(run, "file-root") };
      await runPaired({
        title: "install from the package cache: unpacked tree vs .pkg.tar.zst",
        payload,
        ours: { name: "install (tree cached)", argv: ours(recipe, warm.root, warm.cache) },
        baseline: {
          name: "install x.pkg.tar.zst",
          argv: ours(pkg, file.root, join(run, "file-cache")),
        },
        pairs,
        reset: async () => {
          await uninstall(warm.root);
          await aside(file.root, join(run, "file-cache"));
        },
      });
    }
    if (which === "warm" || which === "both") {
      await aside(warm.cache, warm.root, join(run, "prime"));
      await sh(`${ours(recipe, join(run, "prime"), warm.cache).join(" ")}`);
      await uninstall(join(run, "prime")); // the entry's files held by nobody
      await runPaired({
        title: "warm re-provision (source and package cached, worker not installed)",
        payload,
        ours: { name: "install (warm cache)", argv: ours(recipe, warm.root, warm.cache) },
        baseline: ourCold,
        pairs,
        reset: async () => {
          await uninstall(warm.root);
          await aside(cold.root, cold.cache);
        },
      });
    }
    if (which === "warm-second-root") {
      await aside(warm.cache, warm.root, join(run, "prime"));
      await sh(`${ours(recipe, join(run, "prime"), warm.cache).join(" ")}`); // stays installed
      await runPaired({
        title: "warm install into a second root (another root holds the cached files: copies)",
        payload,
        ours: { name: "install (warm, second root)", argv: ours(recipe, warm.root, warm.cache) },
        baseline: ourCold,
        pairs,
        reset: () => aside(cold.root, cold.cache, warm.root),
      });
    }
  } finally {
    child.kill();
    await child.status;
    await Deno.remove(run, { recursive: true });
  }
}

if (Deno.args[0] === "serve") await serve(Deno.args[1]);
else if (Deno.args[0] === "run") {
  await main(Deno.args[1] ?? "both", Number(Deno.args[2] ?? 5), Number(Deno.args[3] ?? 200));
} else {
  Deno.bench({
    name: "install_bench is a script: deno run -A bench/install_bench.ts run",
    ignore: true,
    fn() {},
  });
}
