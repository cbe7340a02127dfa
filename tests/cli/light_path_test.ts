/**
 * The start-up graph of the CLI stays light. `deno run cli.ts` loads, before
 * its first line, every module a static import or a string-literal
 * `import()` can reach (found here with `deno info --json`, code
 * dependencies only): that graph holds the start-up commands (`list`,
 * `verify`, `info`, ...) and none of the install pipeline (the bash and
 * PKGBUILD evaluators, the build sandbox, OCI, the provisioner), and not
 * the table of the commands loaded on use (`src/cli/loaders.ts`). The
 * modules `list`, `verify` and `info` run (static imports) load
 * no `node:` or `npm:` module and not the provisioner (BENCHMARKS.md, cold
 * start: loading `node:path` alone costs 1.58x Deno's empty start, the
 * install pipeline's ~300 modules as much as the whole empty start).
 */
import { fileURLToPath } from "node:url";
import { assert, assertEquals, assertStringIncludes } from "../_assert.ts";
import { isStartUpCommand } from "../../src/cli/_load.ts";
import { LOADERS } from "../../src/cli/loaders.ts";
import { COMMANDS } from "../../src/cli/spec.ts";

const ROOT = new URL("../../", import.meta.url);
const SRC = new URL("src/", ROOT);

interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
}

/**
 * The specifiers reachable from `entry` (relative to the repository) through
 * code imports: static ones only, or with `dynamic` the string-literal
 * `import()`s too (what `deno run` loads at start).
 */
async function closure(entry: string, dynamic: boolean): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", fileURLToPath(new URL(entry, ROOT))],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert(out.success, `deno info ${entry}`);
  const modules = new Map<string, InfoModule>();
  for (const m of JSON.parse(new TextDecoder().decode(out.stdout)).modules as InfoModule[]) {
    modules.set(m.specifier, m);
  }
  const seen = new Set<string>();
  const visit = (specifier: string) => {
    if (seen.has(specifier)) return;
    seen.add(specifier);
    for (const d of modules.get(specifier)?.dependencies ?? []) {
      if (d.code && (dynamic || !d.isDynamic)) visit(d.code.specifier);
    }
  };
  visit(new URL(entry, ROOT).href);
  return [...seen];
}

const HEAVY = [/^node:/, /^npm:/, /\/src\/provision\/(provisioner|mod)\.ts$/];
const heavyIn = (closure: string[]) => closure.filter((s) => HEAVY.some((re) => re.test(s)));
/** What `deno run cli.ts` must not load at start. */
const PIPELINE = [
  /\/src\/(bash|pkgbuild|run|tidy|oci|package|preflight)\//,
  /\/src\/provision\/(provisioner|mod)\.ts$/,
  /\/src\/cli\/loaders\.ts$/,
];
const pipelineIn = (closure: string[]) => closure.filter((s) => PIPELINE.some((re) => re.test(s)));

for (
  const entry of [
    "src/cli/main.ts",
    "src/cli/args.ts",
    "src/cli/run.ts",
    "src/cli/render/plain.ts",
    "src/cli/commands/list.ts",
    "src/cli/commands/verify.ts",
    "src/cli/commands/info.ts",
  ]
) {
  Deno.test(`${entry} runs no node: or npm: module and not the provisioner`, async () => {
    const modules = await closure(entry, false);
    assert(modules.length >= 1);
    assertEquals(heavyIn(modules), [], entry);
  });
}

Deno.test("deno run cli.ts loads none of the install pipeline and not the on-use table at start", async () => {
  const modules = await closure("cli.ts", true);
  assertEquals(pipelineIn(modules), []);
  assert(modules.includes(new URL("cli/commands/list.ts", SRC).href));
  // About 80 today; the install pipeline alone is ~300.
  assert(modules.length < 120, `${modules.length} modules at start`);
});

Deno.test("the light-path check sees the heavy graph behind the on-use table", async () => {
  const modules = await closure("src/cli/loaders.ts", true);
  assert(pipelineIn(modules).length > 0, "loaders.ts reaches the install pipeline");
  assert(modules.length > 250, `${modules.length} modules behind loaders.ts`);
});

Deno.test("every command is loaded either at start or from the on-use table, once", () => {
  for (const { name } of COMMANDS) {
    assertEquals(
      isStartUpCommand(name) !== Object.hasOwn(LOADERS, name),
      true,
      `${name}: start-up ${isStartUpCommand(name)}, on use ${Object.hasOwn(LOADERS, name)}`,
    );
  }
  assertEquals(Object.keys(LOADERS).filter((n) => !COMMANDS.some((c) => c.name === n)), []);
  for (const name of ["list", "verify", "info"]) assertEquals(isStartUpCommand(name), true);
});

Deno.test("deno.json's compile tasks --include the on-use table, so the binary embeds every command", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  for (const task of ["compile:x86_64", "compile:aarch64"]) {
    assertStringIncludes(config.tasks[task], " --include src/cli/loaders.ts ");
  }
});

Deno.test("cli.ts and the on-use table together reach every command module (what compile embeds)", async () => {
  const reached = new Set([
    ...await closure("cli.ts", true),
    ...await closure("src/cli/loaders.ts", true),
  ]);
  const missing: string[] = [];
  for await (const entry of Deno.readDir(new URL("cli/commands/", SRC))) {
    const href = new URL(`cli/commands/${entry.name}`, SRC).href;
    if (entry.name.endsWith(".ts") && !reached.has(href)) missing.push(entry.name);
  }
  assertEquals(missing, []);
});

/** What a healthy state's `list` and `verify` need not evaluate: recovery's modules. */
const RECOVERY = [
  /\/src\/provision\/(lock|_journal|_job|_storage)\.ts$/,
  /\/src\/_flock\.ts$/,
  /\/src\/source\/errors\.ts$/,
];

for (const entry of ["src/cli/commands/list.ts", "src/cli/commands/verify.ts"]) {
  Deno.test(`${entry} evaluates no lock, journal or storage-error module (imported on recovery)`, async () => {
    const modules = await closure(entry, false);
    assert(modules.some((s) => s.endsWith("/src/provision/_leftovers.ts")), entry);
    assertEquals(modules.filter((s) => RECOVERY.some((re) => re.test(s))), [], entry);
  });
}
