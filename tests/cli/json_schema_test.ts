/**
 * `--json` is a documented, versioned format: `docs/json-output.schema.json`
 * is generated from the event types, and every line of real runs (an
 * install with its progress, a failure, list, search, catalog serve)
 * validates against it, carries `v`, and repeats no progress event.
 */
import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { jsonOutputSchemaText, SCHEMA_PATH } from "../../scripts/json_schema.ts";
import { validate } from "../_json_schema.ts";
import { REPO, runCli } from "./_cli.ts";
import { serveWithCli } from "./_serve.ts";

const DEMO = join(REPO, "fixtures/demo");
const SCHEMA = JSON.parse(await Deno.readTextFile(join(REPO, SCHEMA_PATH)));

function linesOf(stdout: string): Record<string, unknown>[] {
  return stdout.trimEnd().split("\n").filter(Boolean).map((l) => JSON.parse(l));
}

function checkLines(lines: Record<string, unknown>[]): void {
  assert(lines.length > 0);
  for (const line of lines) assertEquals(validate(SCHEMA, line), [], JSON.stringify(line));
  assertEquals(lines.at(-1)!.type, "result");
  const progress = lines.filter((l) => l.type === "source.progress")
    .map((l) => `${l.name}@${l.bytes}`);
  assertEquals(progress.length, new Set(progress).size, "a progress event repeats");
}

Deno.test("docs/json-output.schema.json is the one generated from the event types", async () => {
  assertEquals(
    await Deno.readTextFile(join(REPO, SCHEMA_PATH)),
    await jsonOutputSchemaText(),
    "run: deno run -A scripts/json_schema.ts --write",
  );
});

Deno.test("every --json line of an install, list, search and a failure fits the schema", async () => {
  const t = await Deno.makeTempDir();
  try {
    await using served = await serveWithCli(DEMO);
    const where = ["--catalog", served.url, "--root", `${t}/root`, "--json"];
    const install = await runCli(["install", "demo-hello", ...where]);
    assertEquals(install.code, 0, install.stderr);
    const lines = linesOf(install.stdout);
    checkLines(lines);
    for (const type of ["provision.step", "source.start", "source.done", "provision.done"]) {
      assert(lines.some((l) => l.type === type), `no ${type}`);
    }
    const list = linesOf((await runCli(["list", "--root", `${t}/root`, "--json"])).stdout);
    checkLines(list);
    assert(!JSON.stringify(list).includes("alreadyInstalled"), "list shows an internal field");
    checkLines(linesOf((await runCli(["search", "--catalog", served.url, "--json"])).stdout));
    const failed = await runCli(["install", "demo-helo", ...where]);
    assertEquals(failed.code, 3);
    const last = linesOf(failed.stdout);
    checkLines(last);
    assertEquals((last.at(-1)!.error as { code: string }).code, "WORKER_NOT_FOUND");
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("the schema refuses a line without v, an unknown event and a wrong field type", () => {
  const ok = { type: "source.start", name: "x", url: "http://h/x", protocol: "http", v: 1 };
  assertEquals(validate(SCHEMA, ok), []);
  assert(validate(SCHEMA, { ...ok, v: undefined }).length > 0);
  assert(validate(SCHEMA, { ...ok, type: "source.bogus" }).length > 0);
  assert(validate(SCHEMA, { ...ok, name: 42 }).length > 0);
  assert(validate(SCHEMA, { type: "result", v: 1, ok: false, command: "x", error: {} }).length > 0);
});
