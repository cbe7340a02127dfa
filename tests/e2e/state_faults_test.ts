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
import { join, relative } from "node:path";
import { assertEquals } from "../_assert.ts";
import { damagedRecords, disks } from "./_state_damage.ts";
import {
  fileEntry,
  fileMember,
  manifestOf,
  metadataMembers,
  otherMember,
  writeCrafted,
} from "../package/_craft.ts";
import {
  type CaseResult,
  check as checkIn,
  exits,
  filesUnder,
  isInstalled,
  noLeftovers,
  printTable,
  simpleRecipe,
  stateIs,
  World,
} from "./_faults.ts";

const results: CaseResult[] = [];
const check = checkIn.bind(null, results);

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
      ["upgrade", climb],
      ["outdated", ".hidden"],
    ]
  ) {
    await check(w, "id escape: command line", args.join(" "), async () => {
      const ran = await w.cli([...args, ...w.where()]);
      return [exits(ran, 20), !ran.stderr.includes("Invalid worker id") && "no invalid-id message"];
    });
  }
  // Commands that look an id up in a catalog (a directory catalog: the id would become a path).
  const demo = new URL("../../fixtures/demo", import.meta.url).pathname;
  for (const args of [["info", ".."], ["srcinfo", ".hidden"], ["lint", "x\nb"]]) {
    await check(w, "id escape: command line", args.join(" "), async () => {
      const ran = await w.cli([...args, "--catalog", demo]);
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

/**
 * Recipes whose top level would make bash run a command when the PKGBUILD is
 * sourced for package() (each would remove a canary outside the root): the
 * static evaluator refuses them (exit 10) and nothing runs.
 */
async function hiddenExecution(w: World) {
  const victim = join(w.outside, "victim");
  const run = `rm -f ${victim}`;
  const forms: [string, string][] = [
    ["declare with a command in a subscript", `declare 'a[$(${run})]=1'`],
    ["assignment to a subscript with a command", `a[$(${run})]=1`],
    ["arithmetic on a variable holding a command", `x='a[$(${run})]'; y=$((x))`],
    ["PS4 with a command", `PS4='$(${run})'`],
    ["trap", `trap '${run}' EXIT`],
    ["alias", `shopt -s expand_aliases; alias true='${run}'`],
    ["eval'd assignment with a subscript", `eval "b[\\$(${run})]=1"`],
  ];
  for (const [i, [name, line]] of forms.entries()) {
    await check(w, "hidden execution: recipe", name, async () => {
      const body = `pkgname=hid${i}\npkgver=1\npkgrel=1\narch=(any)\n${line}\n` +
        `package() { install -Dm644 /dev/null "$pkgdir/usr/local/share/hid/x"; }\n`;
      const dir = await w.recipe(`hidden-${i}`, body);
      const ran = await w.cli(["install", dir, ...w.where()]);
      return [exits(ran, 10), await noLeftovers(w)];
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

/**
 * A forged local package cache entry: its manifest lists the files of the
 * canary directory outside the root, with their true sizes, modes and
 * sha256s, under a package tree name that climbs there (and, in a second
 * shape, under a path that climbs out of a valid tree). Installing the
 * worker again must discard the entry and build: nothing from outside
 * reaches the root.
 */
async function cacheEscapes(w: World) {
  const recipe = await w.recipe("cachey", simpleRecipe("cachey"));
  const entries = join(w.root, "var/cache/worker-provisioner/packages/cachey");
  const outsideFiles: {
    name: string;
    size: number;
    mode: number;
    bytes: Uint8Array;
    ino: number;
    mtimeMs: number;
  }[] = [];
  for await (const e of Deno.readDir(w.outside)) {
    if (!e.isFile) continue;
    const bytes = await Deno.readFile(join(w.outside, e.name));
    const info = await Deno.stat(join(w.outside, e.name));
    outsideFiles.push({
      name: e.name,
      size: bytes.length,
      mode: info.mode! & 0o7777,
      bytes,
      ino: info.ino!, // the stamps match: only the paths give the forgery away
      mtimeMs: info.mtime!.getTime(),
    });
  }
  const sha256 = async (b: Uint8Array) =>
    Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", b as BufferSource)))
      .map((x) => x.toString(16).padStart(2, "0")).join("");
  const shapes: [string, (key: string) => { packages: string[]; prefix: string }][] = [
    ["package tree name climbing out of the entry", (key) => {
      const climb = relative(join(entries, key, "tree"), w.outside);
      return { packages: [climb], prefix: climb };
    }],
    ["file path climbing out of its tree", (key) => {
      const climb = relative(join(entries, key, "tree", "cachey"), w.outside);
      return { packages: ["cachey"], prefix: `cachey/${climb}` };
    }],
  ];
  for (const [name, shape] of shapes) {
    await check(w, "path escape: package cache", name, async () => {
      const first = await w.cli(["install", recipe, ...w.where()]);
      const removed = await w.cli(["uninstall", "cachey", ...w.where()]);
      const [key] = [...Deno.readDirSync(entries)].map((e) => e.name).filter((n) =>
        !n.startsWith(".")
      );
      const manifestPath = join(entries, key, "entry.json");
      const manifest = JSON.parse(await Deno.readTextFile(manifestPath));
      const { packages, prefix } = shape(key);
      manifest.packages = packages;
      manifest.files = [{ path: prefix, type: "dir", mode: 0o755, size: 0 }];
      for (const f of outsideFiles) {
        manifest.files.push({
          path: `${prefix}/${f.name}`,
          type: "file",
          mode: f.mode,
          size: f.size,
          sha256: await sha256(f.bytes),
          ino: f.ino,
          mtimeMs: f.mtimeMs,
        });
      }
      await Deno.writeTextFile(manifestPath, JSON.stringify(manifest));
      const again = await w.cli(["install", recipe, ...w.where()]);
      const exists = (path: string) => {
        try {
          Deno.lstatSync(path);
          return true;
        } catch {
          return false;
        }
      };
      const leaked = outsideFiles.filter((f) => exists(join(w.root, f.name)));
      const built = await stateIs(w, "cachey", true);
      const cleanup = await w.cli(["uninstall", "cachey", ...w.where()]);
      return [
        exits(first, 0, "first install"),
        exits(removed, 0, "uninstall"),
        exits(again, 0, "install again"),
        !again.stderr.includes("damaged") && "the forged entry was not reported as damaged",
        leaked.length > 0 && `outside files installed: ${leaked.map((f) => f.name).join(", ")}`,
        built,
        exits(cleanup, 0, "cleanup"),
        await noLeftovers(w),
      ];
    });
  }
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

/** An upgrade interrupted halfway through moving files leaves the old version whole. */
async function upgradeSignals(w: World) {
  const v1 = await w.recipe("upg", simpleRecipe("upg", "1"));
  const v2 = await w.recipe("upg-2", simpleRecipe("upg", "2"));
  const setup = await w.cli(["install", v1, ...w.where()]);
  for (const signal of ["SIGINT", "SIGKILL"] as const) {
    await check(w, "signal: upgrade", `${signal} at install:applying`, async () => {
      const ran = await w.interrupt(["install", v2, ...w.where()], "install:applying", signal);
      const verify = await w.cli(["verify", "upg", ...w.where()]);
      const data = await Deno.readTextFile(join(w.root, "usr/local/share/upg/data"));
      return [
        exits(setup, 0, "install v1"),
        exits(ran, signal === "SIGKILL" ? 137 : 130, `install v2 ${signal}`),
        exits(verify, 0, "verify v1"),
        data !== "v1\n" && `data is ${JSON.stringify(data)}`,
        await noLeftovers(w),
      ];
    });
  }
}

async function installSignals(w: World) {
  let n = 0;
  const cases: [string, Deno.Signal][] = [
    ...INSTALL_POINTS.map((p): [string, Deno.Signal] => [p, "SIGINT"]),
    ["install:applying", "SIGTERM"],
    ["install:recorded", "SIGTERM"],
    ...INSTALL_POINTS.map((p): [string, Deno.Signal] => [p, "SIGKILL"]),
    ["cache:storing", "SIGKILL"], // committed, its cache entry linked but not in place
  ];
  for (const [point, signal] of cases) {
    const id = `sig-${n++}`;
    const committed = point === "install:recorded" || point === "cache:storing";
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

/**
 * Hostile package files (`install x.pkg.tar.zst`, what a registry or a
 * download hands a node): each climbs toward the canaries another way; the
 * install is refused before anything is written outside the package's
 * tree, nothing is installed or left behind.
 */
async function packageFileEscapes(w: World) {
  const victim = join(w.outside, "victim");
  const climb = relative("/", victim).split("/").map(() => "..").join("/") + victim;
  const cases: [string, () => Uint8Array[]][] = [
    ["member climbing with .. onto a canary", () => {
      const manifest = manifestOf([fileEntry("a", "a")]);
      return [
        ...metadataMembers(manifest),
        ...fileMember("a", "a"),
        ...fileMember(climb, "pwned\n"),
      ];
    }],
    ["member with an absolute path onto a canary", () => {
      const manifest = manifestOf([fileEntry("a", "a")]);
      return [
        ...metadataMembers(manifest),
        ...fileMember("a", "a"),
        ...fileMember(victim, "pwned\n"),
      ];
    }],
    ["manifest and member climbing together", () => {
      const manifest = manifestOf([fileEntry(climb, "pwned\n")]);
      return [...metadataMembers(manifest), ...fileMember(climb, "pwned\n")];
    }],
    ["file written through a symlink to the canaries' directory", () => {
      const manifest = manifestOf([
        { path: "lib", type: "symlink", mode: 0o777, size: 0, target: w.outside },
        fileEntry("lib/victim", "pwned\n"),
      ]);
      return [
        ...metadataMembers(manifest),
        ...otherMember("lib", "symlink", 0o777, w.outside),
        ...fileMember("lib/victim", "pwned\n"),
      ];
    }],
    ["member longer than the manifest says", () => {
      const manifest = manifestOf([fileEntry("big", "12345")]);
      return [...metadataMembers(manifest), ...fileMember("big", "1234567890")];
    }],
  ];
  const dir = join(w.dir, "crafted-packages");
  await Deno.mkdir(dir, { recursive: true });
  for (const [i, [name, members]] of cases.entries()) {
    await check(w, "path escape: package file", name, async () => {
      const file = await writeCrafted(dir, `case${i}`, members());
      const ran = await w.cli(["install", file, ...w.where()]);
      return [
        ran.code === 0 && `installed: ${ran.stdout.trim()}`,
        await stateIs(w, "crafted", false),
        await noLeftovers(w),
      ];
    });
  }
}

Deno.test("state fault matrix: escapes, signals at every phase, damaged records, full and read-only disks", async () => {
  await using w = await World.create();
  await idEscapes(w);
  await catalogEscapes(w);
  await hiddenExecution(w);
  await packageEscapes(w);
  await packageFileEscapes(w);
  await cacheEscapes(w);
  await installSignals(w);
  await upgradeSignals(w);
  await uninstallSignals(w);
  await tempLeftovers(w);
  await damagedRecords(results, w);
  await disks(results, w);
  console.log(printTable(results));
  assertEquals(results.filter((r) => r.lost).map((r) => `${r.group} / ${r.name}: ${r.lost}`), []);
});
