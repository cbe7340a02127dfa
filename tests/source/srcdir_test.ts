/**
 * Differential test against makepkg: the same recipe (local files next to the
 * PKGBUILD plus sources served on 127.0.0.1) is prepared by makepkg
 * (`tests/oracle/makepkg-srcdir`: `makepkg --nobuild`) and by
 * fetchSources + prepareSrcdir; the two srcdirs must match file for file,
 * mode for mode, link for link, mtime for mtime (where the archive set one,
 * symlinks' own included). The recipe has every kind of source: tar in each
 * compressor, zip, 7z, cpio, iso9660, a .deb, a zip behind an executable
 * stub, a plain executable, GNU sparse members (gnu and pax), concatenated
 * gzip members, noextract, http and git. (No tar.zst: Debian's `file -z`
 * cannot look inside zstd, so makepkg there decompresses a tar.zst to a
 * .tar instead of extracting it, unlike makepkg on Arch; we extract it.)
 */

import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { fetchSources } from "../../src/source/fetch.ts";
import { planSources } from "../../src/source/plan.ts";
import { prepareSrcdir } from "../../src/source/srcdir.ts";
import { serveBytes, startServer } from "./_servers.ts";
import { digest, pkgbuildWith, sh, walk, withTempDir } from "./_helpers.ts";

const GIT_ENV = {
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.org",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.org",
  GIT_AUTHOR_DATE: "2020-01-01T00:00:00Z",
  GIT_COMMITTER_DATE: "2020-01-01T00:00:00Z",
};
const ORACLE = new URL("../oracle/makepkg-srcdir", import.meta.url).pathname;
const MTIME = 1_500_000_000;

async function makeContent(root: string): Promise<void> {
  const long = "very-long-directory-name-for-ustar-limits/".repeat(4);
  const files: Record<string, [string, number]> = {
    "worker/bin/llm-worker": ["#!/bin/sh\nexec true\n", 0o755],
    "worker/lib/libggml.so.1": ["ELF-ish\n", 0o755],
    "worker/share/README": ["readme\n", 0o644],
    "worker/share/secret.key": ["key\n", 0o600],
    "worker/setuid-tool": ["suid\n", 0o4755],
    "worker/group-writable": ["gw\n", 0o664],
    [`worker/${long}deep.txt`]: ["deep\n", 0o644],
  };
  for (const [path, [text, mode]] of Object.entries(files)) {
    await Deno.mkdir(join(root, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(root, path), text);
    await Deno.chmod(join(root, path), mode);
  }
  await Deno.mkdir(join(root, "worker", "empty-dir"));
  await Deno.chmod(join(root, "worker", "empty-dir"), 0o750);
  await Deno.symlink("bin/llm-worker", join(root, "worker", "run"));
  await Deno.symlink("/usr/share/doc", join(root, "worker", "doc"));
  await Deno.link(join(root, "worker/share/README"), join(root, "worker/README.hard"));
  await sh("find", [root, "-exec", "touch", "-h", "-d", `@${MTIME}`, "{}", "+"]);
}

/** Every path with type, mode, content digest or link target, and a restored mtime. */
async function describe(root: string, since: number): Promise<string[]> {
  const out: string[] = [];
  for (const rel of await walk(root)) {
    if (rel.includes(".git/")) continue; // git internals differ by clone path; HEAD is compared below
    const path = join(root, rel);
    const info = await Deno.lstat(path);
    if (rel.endsWith(".git") && info.isDirectory) {
      const work = join(path, "..");
      const head = await sh("git", ["-c", "safe.directory=*", "rev-parse", "HEAD"], work);
      const branch = await sh("git", [
        "-c",
        "safe.directory=*",
        "rev-parse",
        "--abbrev-ref",
        "HEAD",
      ], work);
      out.push(`${rel} HEAD=${head.trim()} branch=${branch.trim()}`);
      continue;
    }
    const mode = ((info.mode ?? 0) & 0o7777).toString(8);
    const mtime = (info.mtime?.getTime() ?? 0) < since ? ` mtime=${info.mtime?.getTime()}` : "";
    if (info.isSymlink) {
      const target = await Deno.readLink(path);
      // Top-level links point at the downloaded source (makepkg: its SRCDEST, since removed).
      if (!rel.includes("/") && target.startsWith("/")) out.push(`${rel} -> <source>`);
      else out.push(`${rel} -> ${target}${mtime}`);
    } else if (info.isDirectory) out.push(`${rel}/ ${mode}${mtime}`);
    else out.push(`${rel} ${mode} ${digest(await Deno.readFile(path))}${mtime}`);
  }
  return out;
}

function renderPkgbuild(vars: Record<string, string[]>): string {
  const lines = ["pkgname=srcdir-diff", "pkgver=1", "pkgrel=1", "arch=(x86_64 aarch64)"];
  for (const [k, v] of Object.entries(vars)) {
    lines.push(`${k}=(${v.map((s) => `'${s}'`).join(" ")})`);
  }
  lines.push("package() { :; }", "");
  return lines.join("\n");
}

Deno.test({
  name:
    "prepareSrcdir() builds the same srcdir as makepkg --nobuild, file for file and mode for mode",
  ignore: Deno.uid() !== 0,
  async fn() {
    await withTempDir(async (dir) => {
      const content = join(dir, "content");
      const recipe = join(dir, "recipe");
      const served = join(dir, "served");
      await Promise.all([content, recipe, served].map((d) => Deno.mkdir(d)));
      await makeContent(content);
      const r = (name: string) => join(recipe, name);
      await sh("bsdtar", ["-czf", r("app.tar.gz"), "-C", content, "worker"]);
      await sh("tar", ["--format=gnu", "-cJf", r("data.tar.xz"), "-C", content, "worker/share"]);
      await sh("bsdtar", [
        "-cjf",
        join(served, "tool.tar.bz2"),
        "-C",
        content,
        "worker/bin",
        "worker/run",
      ]);
      await sh(
        "zip",
        ["-q", "-r", "--symlinks", r("bundle.zip"), "worker/share", "worker/run"],
        content,
      );
      await sh("bash", [
        "-c",
        `printf 'notes\\n' > notes.txt && gzip notes.txt && printf 'plain\\n' > plain.txt
        bsdtar -czf keep.tar.gz -C ${content} worker/share && cp keep.tar.gz hidden.bin
        printf 'model\\n' | xz > weights.bin.xz`,
      ], recipe);
      await sh("bsdtar", ["-czf", join(served, "arch.tgz"), "-C", content, "worker/lib"]);
      // Formats only bsdtar reads, a .deb, a plain executable, GNU sparse members, and a
      // gzip stream in several members.
      const extra = join(dir, "extra");
      await Deno.mkdir(extra);
      await sh("bash", [
        "-c",
        `set -e
        bsdtar --format 7zip -cf ${r("bundle.7z")} -C ${content} worker/share
        bsdtar --format cpio -cf ${r("bundle.cpio")} -C ${content} worker/bin worker/run
        bsdtar --format iso9660 -cf ${r("image.iso")} -C ${content} worker/share
        printf '2.0\n' > debian-binary
        tar -czf control.tar.gz -C ${content} worker/share/README
        tar --zstd -cf data.tar.zst -C ${content} worker/lib
        ar rc ${r("worker.deb")} debian-binary control.tar.gz data.tar.zst
        cp /bin/true ${r("tool-bin")}
        cat /bin/true ${r("bundle.zip")} > ${r("sfx.bin")}
        mkdir sparse && truncate -s 3M sparse/disk.img
        printf data | dd of=sparse/disk.img bs=1 seek=1500000 conv=notrunc status=none
        touch -d @${MTIME} sparse/disk.img sparse
        tar --sparse --format=gnu -czf ${r("sparse.tar.gz")} sparse
        tar --sparse --format=posix --pax-option=delete=atime,delete=ctime -cJf ${
          r("sparse-pax.tar.xz")
        } sparse
        tar -cf t.tar -C ${content} worker/share worker/bin
        head -c 3000 t.tar | gzip -c > ${r("members.tar.gz")}
        tail -c +3001 t.tar | gzip -c >> ${r("members.tar.gz")}`,
      ], extra);
      // A git repository served over git's "dumb" HTTP protocol, readable by makepkg's user.
      const work = join(dir, "gitwork");
      await Deno.mkdir(work);
      const git = (cwd: string, ...args: string[]) => sh("git", args, cwd, GIT_ENV);
      await git(work, "init", "-q", "-b", "main");
      await Deno.writeTextFile(join(work, "VERSION"), "v1\n");
      await Deno.writeTextFile(join(work, "build.sh"), "#!/bin/sh\n");
      await Deno.chmod(join(work, "build.sh"), 0o755);
      await git(work, "add", ".");
      await git(work, "commit", "-q", "-m", "one");
      await git(work, "tag", "-a", "v1", "-m", "v1");
      await Deno.writeTextFile(join(work, "VERSION"), "v2\n");
      await git(work, "commit", "-q", "-am", "two");
      await git(dir, "clone", "-q", "--bare", work, join(served, "engine.git"));
      await git(join(served, "engine.git"), "update-server-info");
      await using server = startServer(async (req, reply) => {
        const name = req.path === "/dl" ? "arch.tgz" : req.path.slice(1);
        const file = await Deno.readFile(join(served, name)).catch(() => undefined);
        if (file === undefined) return await reply.send(404, "not found");
        await serveBytes(req, reply, file);
      });
      const local = [
        "app.tar.gz",
        "data.tar.xz",
        "bundle.zip",
        "notes.txt.gz",
        "plain.txt",
        "keep.tar.gz",
        "hidden.bin",
        "weights.bin.xz",
        "bundle.7z",
        "bundle.cpio",
        "image.iso",
        "worker.deb",
        "tool-bin",
        "sfx.bin",
        "sparse.tar.gz",
        "sparse-pax.tar.xz",
        "members.tar.gz",
      ];
      const gitSources = [
        `git+${server.url}/engine.git#tag=v1`,
        `engine-head::git+${server.url}/engine.git`,
      ];
      const source = [...local, `${server.url}/tool.tar.bz2`, ...gitSources];
      const sum = async (p: string) => digest(await Deno.readFile(p));
      const vars: Record<string, string[]> = {
        source,
        sha256sums: [
          ...await Promise.all([...local.map(r), join(served, "tool.tar.bz2")].map(sum)),
          "SKIP",
          "SKIP",
        ],
        source_x86_64: [`arch-x86_64.tgz::${server.url}/dl?arch=x86_64`],
        sha256sums_x86_64: [await sum(join(served, "arch.tgz"))],
        source_aarch64: [`arch-aarch64.tgz::${server.url}/dl?arch=aarch64`],
        sha256sums_aarch64: ["SKIP"],
        noextract: ["keep.tar.gz"],
      };
      await Deno.writeTextFile(r("PKGBUILD"), renderPkgbuild(vars));
      const since = Date.now() - 1000;
      const theirs = join(dir, "oracle");
      const oracle = await new Deno.Command(ORACLE, {
        args: [recipe, theirs],
        stdout: "null",
        stderr: "piped",
      }).output();
      assert(
        oracle.success,
        `makepkg failed:\n${await Deno.readTextFile(join(theirs, "makepkg.log")).catch(() => "")}`,
      );
      const ours = join(dir, "ours", "src");
      const plan = planSources(pkgbuildWith(vars, "x86_64"));
      const fetched = await fetchSources(plan, { cacheDir: join(dir, "cache"), recipeDir: recipe });
      await prepareSrcdir(fetched, ours);
      const expected = await describe(join(theirs, "src"), since);
      assert(expected.length > 20, `makepkg's srcdir looks empty: ${expected}`);
      assert(expected.some((l) => /^engine\/\.git HEAD=[0-9a-f]{40} branch=makepkg$/.test(l)));
      assert(expected.some((l) => /^engine-head\/\.git HEAD=[0-9a-f]{40} branch=main$/.test(l)));
      assertEquals(await describe(ours, since), expected);
    });
  },
});
