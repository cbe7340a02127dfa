import { join } from "node:path";
import { assert, assertEquals } from "./_assert.ts";
import { ERROR_CODES, type ErrorCode, ExitCode, type ExitCodeName } from "../src/errors.ts";
import { errorTables, TABLE_END, TABLE_START } from "../scripts/error_table.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** Every `.ts` file under `dir`. */
async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) out.push(...await sourceFiles(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out.sort();
}

/** A code written in `src/`, with the exit code written next to it when there is one. */
interface CodeUse {
  readonly code: string;
  readonly exit?: string;
  readonly where: string;
}

/**
 * The codes errors in `src/` are made with: `"CODE", ExitCode.name` (a
 * `super(...)` or `new ProvisionerError(...)`), `code: "CODE"` (an option),
 * `?? "CODE"` (a default), `? "A" : "B"` (a choice) and the values of a
 * `const X_CODES = {...}` table.
 */
async function codeUses(): Promise<CodeUse[]> {
  const uses: CodeUse[] = [];
  const withExit = /"([A-Z][A-Z0-9_]*)",\s*ExitCode\.(\w+)/g;
  const alone = /(?:\bcode:\s*|\bcode\s*\?\?\s*)"([A-Z][A-Z0-9_]*)"/g;
  const choice = /\?\s*"([A-Z][A-Z0-9]*_[A-Z0-9_]+)"\s*:\s*"([A-Z][A-Z0-9]*_[A-Z0-9_]+)"/g;
  const codeTable = /const \w+_CODES\b[^=]*=\s*\{([^}]*)\}/g;
  for (const file of await sourceFiles(join(ROOT, "src"))) {
    const text = await Deno.readTextFile(file);
    const where = file.slice(ROOT.length);
    for (const m of text.matchAll(withExit)) uses.push({ code: m[1], exit: m[2], where });
    for (const m of text.matchAll(alone)) uses.push({ code: m[1], where });
    for (const m of text.matchAll(choice)) uses.push({ code: m[1], where }, { code: m[2], where });
    for (const table of text.matchAll(codeTable)) {
      for (const m of table[1].matchAll(/"([A-Z][A-Z0-9_]*)"/g)) uses.push({ code: m[1], where });
    }
  }
  return uses;
}

Deno.test("README's exit-code and error-code tables are the ones generated from src/errors.ts", async () => {
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  assert(start >= 0 && end > start, "README.md lacks the error-table markers");
  assertEquals(
    readme.slice(start + TABLE_START.length + 1, end),
    `${errorTables()}\n`,
    "run: deno run --allow-read --allow-write scripts/error_table.ts --write",
  );
});

Deno.test("every error code used in src/ is in ERROR_CODES, with its exit code", async () => {
  const uses = await codeUses();
  assert(uses.length >= 30, `found only ${uses.length} error codes in src/: the scan is broken`);
  const problems: string[] = [];
  for (const use of uses) {
    const row = (ERROR_CODES as Record<string, { exit: ExitCodeName } | undefined>)[use.code];
    if (!row) problems.push(`${use.where}: ${use.code} is not in ERROR_CODES`);
    else if (use.exit !== undefined && use.exit !== row.exit) {
      problems.push(`${use.where}: ${use.code} exits ${use.exit}, ERROR_CODES says ${row.exit}`);
    }
  }
  assertEquals(problems, []);
});

Deno.test("every row of ERROR_CODES is used by some error in src/", async () => {
  const used = new Set((await codeUses()).map((u) => u.code));
  const unused = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => !used.has(c));
  assertEquals(unused, []);
});

Deno.test("exit codes are distinct", () => {
  const values = Object.values(ExitCode);
  assertEquals(new Set(values).size, values.length);
});
