/**
 * `src/cli/spec.json`, the command table, has the shape `spec.ts` declares
 * (it is loaded as JSON, so the type checker does not see it): every
 * option, command and shared-option name is well formed and resolves.
 */
import { assert, assertEquals } from "../_assert.ts";
import {
  COMMANDS,
  DEFAULT_CATALOG_URL,
  ENVIRONMENT,
  GLOBAL_OPTIONS,
  type OptionSpec,
  type Setting,
  SPEC_TABLE,
} from "../../src/cli/spec.ts";

const SETTINGS: readonly Setting[] = ["catalog", "root", "cacheDir", "stateDir", "arch"];
const OPTION_KEYS = ["name", "short", "type", "value", "description", "env", "default", "multiple"];

/** The problems of one option, as readable lines. */
function optionProblems(o: OptionSpec, where: string): string[] {
  const problems: string[] = [];
  const at = `${where} --${o.name}`;
  if (typeof o.name !== "string" || !/^[a-z][a-z0-9-]*$/.test(o.name)) problems.push(`${at}: name`);
  if (o.type !== "string" && o.type !== "boolean") problems.push(`${at}: type ${o.type}`);
  if (typeof o.description !== "string" || !o.description) problems.push(`${at}: description`);
  if (o.short !== undefined && !/^[A-Za-z]$/.test(o.short)) problems.push(`${at}: short`);
  for (const key of ["value", "env", "default"] as const) {
    if (o[key] !== undefined && typeof o[key] !== "string") problems.push(`${at}: ${key}`);
  }
  if (o.multiple !== undefined && typeof o.multiple !== "boolean") problems.push(`${at}: multiple`);
  for (const key of Object.keys(o)) if (!OPTION_KEYS.includes(key)) problems.push(`${at}: ${key}?`);
  return problems;
}

Deno.test("every option of spec.json is well formed", () => {
  const problems = GLOBAL_OPTIONS.flatMap((o) => optionProblems(o, "global"));
  for (const c of COMMANDS) problems.push(...c.options.flatMap((o) => optionProblems(o, c.name)));
  assertEquals(problems, []);
});

Deno.test("every shared option a command names exists, and every shared option is used", () => {
  const used = new Set<string>();
  const unknown: string[] = [];
  for (const c of SPEC_TABLE.commands) {
    for (const o of c.options) {
      if (typeof o !== "string") continue;
      used.add(o);
      if (!Object.hasOwn(SPEC_TABLE.sharedOptions, o)) unknown.push(`${c.name}: ${o}`);
    }
  }
  assertEquals(unknown, []);
  assertEquals(Object.keys(SPEC_TABLE.sharedOptions).filter((n) => !used.has(n)), []);
});

Deno.test("every command of spec.json is well formed, its options named once", () => {
  const problems: string[] = [];
  for (const c of COMMANDS) {
    if (!/^[a-z][a-z-]*( [a-z]+)?$/.test(c.name)) problems.push(`${c.name}: name`);
    for (const key of ["summary", "usage", "description"] as const) {
      if (typeof c[key] !== "string" || !c[key]) problems.push(`${c.name}: ${key}`);
    }
    const [min, max] = c.positionals;
    if (c.positionals.length !== 2 || !(min >= 0) || !(max === -1 || max >= min)) {
      problems.push(`${c.name}: positionals ${c.positionals}`);
    }
    for (const s of c.settings) if (!SETTINGS.includes(s)) problems.push(`${c.name}: setting ${s}`);
    for (const e of c.examples) {
      if (e.length !== 2 || e.some((t) => typeof t !== "string")) {
        problems.push(`${c.name}: example`);
      }
    }
    const names = [...GLOBAL_OPTIONS, ...c.options].map((o) => o.name);
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    if (twice.length) problems.push(`${c.name}: options named twice: ${twice.join(", ")}`);
  }
  assertEquals(problems, []);
  assertEquals(new Set(COMMANDS.map((c) => c.name)).size, COMMANDS.length);
});

Deno.test("spec.json's default catalog is DEFAULT_CATALOG_URL", () => {
  const catalog = COMMANDS.flatMap((c) => c.options).filter((o) => o.name === "catalog");
  assert(catalog.length > 0);
  for (const o of catalog) assertEquals(o.default, DEFAULT_CATALOG_URL);
  const line = ENVIRONMENT.find(([name]) => name === "WORKER_CATALOG_URL");
  assertEquals(line?.[1], `catalog URL or directory (default ${DEFAULT_CATALOG_URL})`);
});
