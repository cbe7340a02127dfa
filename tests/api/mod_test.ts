/**
 * The public entry points stay curated: named exports only, nothing from a
 * private `_` module, no test hook, every error class reachable, and a
 * runnable example in each module doc.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals } from "../_assert.ts";
import * as api from "../../mod.ts";
import { ProvisionerError } from "../../src/errors.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const ENTRIES = ["mod.ts", "pkgbuild.ts", "source.ts", "run.ts", "catalog.ts", "cli.ts"];

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) out.push(...await sourceFiles(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out.sort();
}

/** The library's files: src/ without the CLI (whose errors are its own). */
async function libraryFiles(): Promise<string[]> {
  return (await sourceFiles(join(REPO, "src"))).filter((f) => !f.includes("/src/cli/"));
}

Deno.test("deno.json exports exactly the curated entry points", async () => {
  const config = JSON.parse(await Deno.readTextFile(join(REPO, "deno.json")));
  assertEquals(Object.values(config.exports).sort(), ENTRIES.map((e) => `./${e}`).sort());
});

Deno.test("entry points use named exports only, none from a private _ module", async () => {
  for (const entry of ENTRIES) {
    const text = await Deno.readTextFile(join(REPO, entry));
    assert(!/export\s+\*/.test(text), `${entry} has an export *`);
    for (const m of text.matchAll(/from "([^"]+)"/g)) {
      assert(!m[1].split("/").some((part) => part.startsWith("_")), `${entry} exports ${m[1]}`);
    }
  }
});

Deno.test("mod.ts exports no private name and no test hook", () => {
  const names = Object.keys(api);
  assert(names.length > 40, `mod.ts exports only ${names.length} values`);
  assertEquals(names.filter((n) => /^_|test|hook/i.test(n)), []);
});

Deno.test("every error class of the library is exported by mod.ts", async () => {
  const exported = api as unknown as Record<string, unknown>;
  const missing: string[] = [];
  for (const file of await libraryFiles()) {
    const text = await Deno.readTextFile(file);
    // Classes extending plain `Error` are internal signals translated before they leave.
    for (const m of text.matchAll(/^export class (\w+) extends (\w+Error)\b/gm)) {
      if (m[2] === "Error") continue;
      const value = exported[m[1]];
      if (typeof value !== "function" || !(value.prototype instanceof ProvisionerError)) {
        missing.push(`${m[1]} (${file.slice(REPO.length)})`);
      }
    }
  }
  assertEquals(missing, []);
});

Deno.test("every error a library function documents is exported by mod.ts", async () => {
  const exported = api as unknown as Record<string, unknown>;
  const named = new Set<string>();
  for (const file of await libraryFiles()) {
    const text = await Deno.readTextFile(file);
    const patterns = [/\{@link (\w+Error)\}/g, /@throws \{(\w+)\}/g, /`([A-Z]\w+Error)`/g];
    for (const pattern of patterns) for (const m of text.matchAll(pattern)) named.add(m[1]);
  }
  assert(named.size > 10, `found only ${named.size} documented errors: the scan is broken`);
  const missing = [...named].filter((n) => typeof exported[n] !== "function").sort();
  assertEquals(missing, []);
});

Deno.test("every entry point has a module doc with an example that runs (not ignored)", async () => {
  for (const entry of ENTRIES) {
    const text = await Deno.readTextFile(join(REPO, entry));
    const doc = text.slice(0, text.indexOf("@module"));
    assert(doc.startsWith("/**"), `${entry} has no module doc`);
    assert(/@example[^\n]*\n \* ```ts\n/.test(doc), `${entry} has no runnable @example`);
  }
});
