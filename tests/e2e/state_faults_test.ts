/**
 * The state fault matrix: the CLI as a user runs it (a subprocess under the
 * compiled binary's flags), against recipes, a catalog on 127.0.0.1 and
 * small tmpfs file systems, with canary files outside the root that must
 * survive byte for byte. Every case is an attack or a fault; it survives
 * when the refusal or outcome is the documented one, nothing outside the
 * root changed, and the next command of any kind leaves no journal,
 * staging tree, lock, temp file or build directory. Prints the table of
 * cases, survived and lost (must be 0).
 */
import { join } from "node:path";
import { assertEquals } from "../_assert.ts";
import {
  type CaseResult,
  filesUnder,
  printTable,
  type Ran,
  simpleRecipe,
  World,
} from "./_faults.ts";

const results: CaseResult[] = [];

/** Runs one case: `fn` returns the problems found (none: survived). */
async function check(
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
function exits(ran: Ran, code: number, what = "exit"): string | null {
  return ran.code === code
    ? null
    : `${what}: expected exit ${code}, got ${ran.code}: ${ran.stderr.trim().split("\n").at(-1)}`;
}

async function noLeftovers(w: World, root?: string): Promise<string | null> {
  const left = await w.leftovers(root);
  return left.length ? `leftovers: ${left.join(", ")}` : null;
}

async function isInstalled(w: World, id: string, root = w.root): Promise<boolean> {
  const record = join(root, "var/lib/worker-provisioner/workers", id, "record.json");
  return (await Deno.lstat(record).catch(() => null)) !== null;
}

/** A problem unless worker `id` is wholly installed (`yes`) or wholly absent. */
async function stateIs(w: World, id: string, yes: boolean): Promise<string | null> {
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

async function idEscapes(w: World) {
  // From the locks directory, this climbs to the canary `outside/victim(.lock)`.
  const climb = "../../../../../outside/victim";
  for (
    const args of [
      ["verify", climb],
      ["uninstall", climb],
      ["verify", ".."],
      ["uninstall", ".hidden"],
      ["verify", "a/b"],
      ["uninstall", "x\nb"],
    ]
  ) {
    await check(w, "id escape: command line", args.join(" "), async () => {
      const ran = await w.cli([...args, ...w.where()]);
      return [exits(ran, 20), !ran.stderr.includes("Invalid worker id") && "no invalid-id message"];
    });
  }
  const climbPkg = "../../../../outside/dir"; // from cache/build/<id>~x/pkg
  const recipes: [string, string][] = [
    [
      "pkgname climbs out of the build dir",
      `pkgname=('${climbPkg}')\npkgver=1\npkgrel=1\narch=(any)\npackage() { echo pwned > "$pkgdir/keep"; }\n`,
    ],
    [
      "pkgbase climbs out",
      `pkgbase='${climbPkg}'\npkgname=ok\npkgver=1\npkgrel=1\narch=(any)\npackage() { :; }\n`,
    ],
    ["pkgname is an option", `pkgname=('-rf')\npkgver=1\npkgrel=1\narch=(any)\npackage() { :; }\n`],
    ["pkgname is hidden", `pkgname=('.x')\npkgver=1\npkgrel=1\narch=(any)\npackage() { :; }\n`],
  ];
  for (const [i, [name, body]] of recipes.entries()) {
    await check(w, "id escape: local recipe", name, async () => {
      const dir = await w.recipe(`escape-${i}`, body);
      const ran = await w.cli(["install", dir, ...w.where()]);
      return [exits(ran, 20), await noLeftovers(w)];
    });
  }
}

async function catalogEscapes(w: World) {
  const evil =
    `pkgname=('../../../../outside/dir')\npkgver=1\npkgrel=1\narch=(any)\npackage() { echo pwned > "$pkgdir/keep"; }\n`;
  const entry = (id: string) => ({
    id,
    version: "1",
    platforms: ["linux"],
    architectures: ["x86_64", "aarch64"],
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/workers/evil") return Response.json(entry("evil"));
    if (path === "/workers/evil/PKGBUILD") return new Response(evil);
    if (path === "/workers/liar") return Response.json(entry("../../../../outside/dir"));
    if (path === "/workers/liar/PKGBUILD") return new Response(simpleRecipe("liar"));
    return new Response("not found", { status: 404 });
  });
  const catalog = `http://127.0.0.1:${server.addr.port}`;
  try {
    await check(w, "id escape: catalog", "recipe with an escaping pkgname", async () => {
      const ran = await w.cli(["install", "evil", "--catalog", catalog, ...w.where()]);
      return [exits(ran, 20), await noLeftovers(w)];
    });
    await check(w, "id escape: catalog", "entry with an escaping id", async () => {
      const ran = await w.cli(["install", "liar", "--catalog", catalog, ...w.where()]);
      return [exits(ran, 13), await noLeftovers(w)];
    });
  } finally {
    await server.shutdown();
  }
}

async function packageEscapes(w: World) {
  await check(
    w,
    "path escape: package",
    "symlinked directory planted across two workers",
    async () => {
      const linker = await w.recipe(
        "linker",
        simpleRecipe(
          "linker",
          "1",
          `  install -d "$pkgdir/usr/local/lib"\n  ln -s '${w.outside}/dir' "$pkgdir/usr/local/lib/x"\n`,
        ),
      );
      const planter = await w.recipe(
        "planter",
        simpleRecipe(
          "planter",
          "1",
          `  install -d "$pkgdir/usr/local/lib/x"\n  echo pwned > "$pkgdir/usr/local/lib/x/keep"\n`,
        ),
      );
      const first = await w.cli(["install", linker, ...w.where()]);
      const second = await w.cli(["install", planter, ...w.where()]);
      return [
        exits(first, 0, "linker"),
        exits(second, 20, "planter"),
        await stateIs(w, "planter", false),
        await noLeftovers(w),
      ];
    },
  );
  const forged = JSON.stringify({
    schema: 1,
    id: "x",
    version: "1-1",
    arch: "any",
    platform: "linux",
    packages: ["x"],
    root: "/",
    installedAt: "2026-01-01T00:00:00Z",
    txid: "t",
    origin: "forged",
    executables: [],
    createdDirs: [],
    files: [{
      path: `${w.outside}/victim`,
      type: "file",
      mode: 420,
      size: 1,
      sha256: "0".repeat(64),
    }],
  });
  await check(w, "path escape: package", "forged record shipped in a package", async () => {
    const dir = await w.recipe(
      "forger",
      simpleRecipe(
        "forger",
        "1",
        `  install -d "$pkgdir/var/lib/worker-provisioner/workers/x"\n  printf '%s' '${forged}' > "$pkgdir/var/lib/worker-provisioner/workers/x/record.json"\n`,
      ),
    );
    const ran = await w.cli(["install", dir, ...w.where()]);
    const uninstall = await w.cli(["uninstall", "x", "--force", ...w.where()]);
    return [
      exits(ran, 20),
      exits(uninstall, 3, "uninstall x"),
      (await w.installed()).includes("x") && "x is listed",
      await noLeftovers(w),
    ];
  });
  await check(w, "path escape: package", "symlink in place of the state directory", async () => {
    const dir = await w.recipe(
      "hijack",
      simpleRecipe(
        "hijack",
        "1",
        `  install -d "$pkgdir/var/lib"\n  ln -s '${w.outside}' "$pkgdir/var/lib/worker-provisioner"\n`,
      ),
    );
    const ran = await w.cli(["install", dir, ...w.where()]);
    return [exits(ran, 20), await noLeftovers(w)];
  });
  await check(
    w,
    "path escape: damaged state",
    "forged record naming a file outside the root",
    async () => {
      await Deno.mkdir(join(w.state, "workers/x"), { recursive: true });
      await Deno.writeTextFile(join(w.state, "workers/x/record.json"), forged);
      const uninstall = await w.cli(["uninstall", "x", "--force", ...w.where()]);
      const repair = await w.cli(["doctor", "--repair", ...w.where()]);
      return [
        exits(uninstall, 23, "uninstall x"),
        exits(repair, 0, "doctor --repair"),
        await noLeftovers(w),
      ];
    },
  );
}

const INSTALL_POINTS = [
  "run",
  "stage",
  "install:journaled",
  "install:applying",
  "install:recorded",
];
/** The first command after the fault; `doctor` alone only reports, so it recovers with `--repair`. */
const RECOVERY_COMMANDS = ["list", "verify", "doctor --repair", "uninstall"];

async function installSignals(w: World) {
  let n = 0;
  const cases: [string, Deno.Signal][] = [
    ...INSTALL_POINTS.map((p): [string, Deno.Signal] => [p, "SIGINT"]),
    ["install:applying", "SIGTERM"],
    ["install:recorded", "SIGTERM"],
    ...INSTALL_POINTS.map((p): [string, Deno.Signal] => [p, "SIGKILL"]),
  ];
  for (const [point, signal] of cases) {
    const id = `sig-${n++}`;
    const committed = point === "install:recorded";
    const rotated = RECOVERY_COMMANDS[n % RECOVERY_COMMANDS.length];
    // After the commit, `uninstall` would (rightly) remove the worker: verify it instead.
    const recovery = committed && signal === "SIGKILL"
      ? "install"
      : committed && rotated === "uninstall"
      ? "verify"
      : rotated;
    await check(w, "signal: install", `${signal} at ${point}, then ${recovery}`, async () => {
      const dir = await w.recipe(id, simpleRecipe(id));
      const ran = await w.interrupt(["install", dir, ...w.where()], point, signal);
      const expected = signal === "SIGKILL" ? 137 : committed ? 0 : 130;
      const next = await w.cli([
        ...recovery.split(" "),
        ...(recovery === "list" || recovery.startsWith("doctor")
          ? []
          : [recovery === "install" ? dir : id]),
        ...w.where(),
      ]);
      return [
        exits(ran, expected, `install ${signal}`),
        await noLeftovers(w),
        await stateIs(w, id, committed),
        recovery === "install" && exits(next, 0, "install again"),
      ];
    });
  }
}

async function uninstallSignals(w: World) {
  const dir = await w.recipe("un", simpleRecipe("un"));
  const cases: [string, Deno.Signal, boolean][] = [
    ["uninstall:journaled", "SIGINT", true],
    ["uninstall:moved", "SIGINT", true],
    ["uninstall:moved", "SIGTERM", true],
    ["uninstall:journaled", "SIGKILL", true],
    ["uninstall:moved", "SIGKILL", true],
    ["uninstall:committed", "SIGINT", false],
    ["uninstall:committed", "SIGKILL", false],
  ];
  for (const [i, [point, signal, stays]] of cases.entries()) {
    await check(w, "signal: uninstall", `${signal} at ${point}`, async () => {
      const setup = await isInstalled(w, "un")
        ? null
        : exits(await w.cli(["install", dir, ...w.where()]), 0, "install");
      const ran = await w.interrupt(["uninstall", "un", ...w.where()], point, signal);
      const expected = signal === "SIGKILL" ? 137 : stays ? 130 : 0;
      const next = await w.cli([...(i % 2 ? ["list"] : ["doctor", "--repair"]), ...w.where()]);
      const verify = stays ? exits(await w.cli(["verify", "un", ...w.where()]), 0, "verify") : null;
      return [
        setup,
        exits(ran, expected, `uninstall ${signal}`),
        exits(next, 0, "next command"),
        await noLeftovers(w),
        await stateIs(w, "un", stays),
        verify,
      ];
    });
  }
}

async function tempLeftovers(w: World) {
  await check(
    w,
    "leftover: crash remains",
    "record and journal temp files, stale locks",
    async () => {
      const dir = await w.recipe("tmpw", simpleRecipe("tmpw"));
      const install = await w.cli(["install", dir, ...w.where()]);
      await Deno.writeTextFile(
        join(w.state, "workers/tmpw", `.record.json.${crypto.randomUUID()}.tmp`),
        "{",
      );
      await Deno.mkdir(join(w.state, "journal"), { recursive: true });
      await Deno.writeTextFile(
        join(w.state, "journal", `.tmpw.json.${crypto.randomUUID()}.tmp`),
        "{",
      );
      await Deno.mkdir(join(w.state, "locks"), { recursive: true });
      await Deno.writeTextFile(join(w.state, "locks/tmpw.lock"), "pid 1");
      await Deno.writeTextFile(join(w.state, "locks/.tree.lock"), "pid 1");
      const list = await w.cli(["list", ...w.where()]);
      return [
        exits(install, 0, "install"),
        exits(list, 0, "list"),
        await noLeftovers(w),
        await stateIs(w, "tmpw", true),
      ];
    },
  );
  await check(
    w,
    "leftover: crash remains",
    "SIGKILL during build() leaves no build or temp dir",
    async () => {
      const dir = await w.recipe(
        "slow",
        `pkgname=slow\npkgver=1\npkgrel=1\narch=(any)\nbuild() { echo build-started-marker; sleep 1; }\npackage() { :; }\n`,
      );
      const ran = await w.interrupt(["install", dir, ...w.where()], "run", "SIGKILL");
      const before =
        (await filesUnder(join(w.root, "var/cache/worker-provisioner/build"), true)).length;
      const verify = await w.cli(["verify", "slow", ...w.where()]);
      return [
        exits(ran, 137),
        before === 0 && "the kill left no build dir to recover",
        exits(verify, 3, "verify"),
        await noLeftovers(w),
      ];
    },
  );
}

async function damagedRecords(w: World) {
  const good = await w.recipe("good", simpleRecipe("good"));
  const setup = await w.cli(["install", good, ...w.where()]);
  const valid = JSON.parse(await Deno.readTextFile(join(w.state, "workers/good/record.json")));
  const shapes: [string, string | null][] = [
    ["wrong-types", JSON.stringify({ ...valid, id: "wrong-types", files: [{ path: 42 }] })],
    ["truncated", JSON.stringify({ ...valid, id: "truncated" }).slice(0, 40)],
    ["empty", ""],
    ["not-an-object", "null"],
    ["unreadable", null], // record.json is a directory
    ["other-id", JSON.stringify(valid)],
    [
      "outside-root",
      JSON.stringify({ ...valid, id: "outside-root", executables: [`${w.outside}/victim`] }),
    ],
  ];
  for (const [id, text] of shapes) {
    await Deno.mkdir(join(w.state, "workers", id), { recursive: true });
    if (text === null) await Deno.mkdir(join(w.state, "workers", id, "record.json"));
    else await Deno.writeTextFile(join(w.state, "workers", id, "record.json"), text);
  }
  const list = await w.cli(["list", "--json", ...w.where()]);
  const listed = list.code === 0
    ? JSON.parse(list.stdout.trim().split("\n").at(-1)!).result.map((r: { id: string }) => r.id)
    : [];
  const listText = await w.cli(["list", ...w.where()]);
  const verifyGood = await w.cli(["verify", "good", ...w.where()]);
  const verifyBad = await w.cli(["verify", "wrong-types", ...w.where()]);
  const uninstallBad = await w.cli(["uninstall", "outside-root", "--force", ...w.where()]);
  const doctor = await w.cli(["doctor", ...w.where()]);
  const repair = await w.cli(["doctor", "--repair", ...w.where()]);
  const after = await w.cli(["list", ...w.where()]);
  const aside = (await filesUnder(join(w.state, "damaged"), true)).join("\n");
  for (const [id] of shapes) {
    await check(w, "damaged record", id, () =>
      Promise.resolve([
        exits(setup, 0, "install good"),
        exits(list, 0, "list"),
        !listed.includes("good") && "good is not listed",
        !listText.stderr.includes(`workers/${id}/record.json`) && "list does not name it",
        !listText.stderr.includes("doctor --repair") && "list does not give the fix",
        exits(verifyGood, 0, "verify good"),
        exits(verifyBad, 23, "verify wrong-types"),
        exits(uninstallBad, 23, "uninstall outside-root"),
        exits(doctor, 23, "doctor"),
        !doctor.stdout.includes(`workers/${id}/record.json`) && "doctor does not name it",
        exits(repair, 0, "doctor --repair"),
        !aside.includes(`/damaged/${id}.`) && "not moved aside",
        after.stderr.includes("damaged") && "still reported after repair",
      ]));
  }
}

async function withTmpfs<T>(dir: string, size: string, fn: () => Promise<T>): Promise<T> {
  await Deno.mkdir(dir, { recursive: true });
  const mount = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir],
  }).output();
  if (!mount.success) throw new Error(`mount failed: ${new TextDecoder().decode(mount.stderr)}`);
  try {
    return await fn();
  } finally {
    await new Deno.Command("mount", { args: ["-o", "remount,rw", dir] }).output();
    await new Deno.Command("umount", { args: [dir] }).output();
  }
}

async function disks(w: World) {
  const small = join(w.dir, "small");
  await withTmpfs(small, "2m", async () => {
    const root = join(small, "root");
    await check(w, "disk", "full disk: a package larger than the free space", async () => {
      const dir = await w.recipe(
        "big",
        simpleRecipe(
          "big",
          "1",
          `  head -c 3000000 /dev/zero > "$pkgdir/usr/local/share/big/blob"\n`,
        ),
      );
      const ran = await w.cli(["install", dir, "--cache-dir", w.cache, ...w.where(root)]);
      return [
        exits(ran, 21),
        await noLeftovers(w, root),
        (await filesUnder(join(root, "usr"))).length > 0 && "files left in the root",
      ];
    });
    await check(w, "disk", "full disk: uninstall on a full file system", async () => {
      const dir = await w.recipe("tiny", simpleRecipe("tiny"));
      const install = await w.cli(["install", dir, "--cache-dir", w.cache, ...w.where(root)]);
      const filler = join(small, "filler");
      using f = await Deno.open(filler, { write: true, create: true });
      try {
        for (;;) await f.write(new Uint8Array(64 * 1024));
      } catch {
        // full
      }
      const uninstall = await w.cli(["uninstall", "tiny", ...w.where(root)]);
      await Deno.remove(filler);
      const verify = await w.cli(["verify", "tiny", ...w.where(root)]);
      return [
        exits(install, 0, "install"),
        exits(uninstall, 21, "uninstall"),
        exits(verify, 0, "verify after"),
        await noLeftovers(w, root),
      ];
    });
  });
  const ro = join(w.dir, "ro");
  await withTmpfs(ro, "8m", async () => {
    const root = join(ro, "root");
    const dir = await w.recipe("rotiny", simpleRecipe("rotiny"));
    const other = await w.recipe("roother", simpleRecipe("roother"));
    const install = await w.cli(["install", dir, "--cache-dir", w.cache, ...w.where(root)]);
    await new Deno.Command("mount", { args: ["-o", "remount,ro", ro] }).output();
    await check(w, "disk", "read-only root: install", async () => {
      const ran = await w.cli(["install", other, "--cache-dir", w.cache, ...w.where(root)]);
      return [exits(install, 0, "setup"), exits(ran, 22)];
    });
    await check(w, "disk", "read-only root: uninstall and list", async () => {
      const uninstall = await w.cli(["uninstall", "rotiny", ...w.where(root)]);
      const list = await w.cli(["list", ...w.where(root)]);
      return [
        exits(uninstall, 22, "uninstall"),
        exits(list, 0, "list"),
        !list.stdout.includes("rotiny") && "not listed",
      ];
    });
  });
}

Deno.test("state fault matrix: escapes, signals at every phase, damaged records, full and read-only disks", async () => {
  await using w = await World.create();
  await idEscapes(w);
  await catalogEscapes(w);
  await packageEscapes(w);
  await installSignals(w);
  await uninstallSignals(w);
  await tempLeftovers(w);
  await damagedRecords(w);
  await disks(w);
  console.log(printTable(results));
  assertEquals(results.filter((r) => r.lost).map((r) => `${r.group} / ${r.name}: ${r.lost}`), []);
});
