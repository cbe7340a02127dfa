/**
 * The start-up path of `list`, `verify` and `info` stays light: the modules
 * they run (statically imported code, found with `deno info --json`) load
 * no `node:` or `npm:` module and not the provisioner (BENCHMARKS.md, cold
 * start: loading `node:path` alone costs 1.58x Deno's empty start).
 */
import { fileURLToPath } from "node:url";
import { assert, assertEquals } from "../_assert.ts";

const SRC = new URL("../../src/", import.meta.url);

interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
}

/** The specifiers `entry` runs: its static code imports, transitively (type-only and dynamic ones left out). */
async function staticClosure(entry: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", fileURLToPath(new URL(entry, SRC))],
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
      if (d.code && !d.isDynamic) visit(d.code.specifier);
    }
  };
  visit(new URL(entry, SRC).href);
  return [...seen];
}

const HEAVY = [/^node:/, /^npm:/, /\/src\/provision\/(provisioner|mod)\.ts$/];

for (
  const entry of [
    "cli/main.ts",
    "cli/args.ts",
    "cli/run.ts",
    "cli/render/plain.ts",
    "cli/commands/list.ts",
    "cli/commands/verify.ts",
    "cli/commands/info.ts",
  ]
) {
  Deno.test(`${entry} runs no node: or npm: module and not the provisioner`, async () => {
    const closure = await staticClosure(entry);
    assert(closure.length >= 1);
    assertEquals(closure.filter((s) => HEAVY.some((re) => re.test(s))), [], entry);
  });
}

Deno.test("the light-path check sees a heavy import where there is one", async () => {
  const closure = await staticClosure("cli/commands/install.ts");
  assert(closure.some((s) => HEAVY.some((re) => re.test(s))), "install.ts reaches the provisioner");
});
