/**
 * Writes `docs/json-output.schema.json`, the JSON Schema of every line the
 * CLI prints with `--json`: each event of the typed union (generated from
 * the event interfaces' declarations by `deno doc --json`, so the schema and
 * the types cannot drift apart) and the final result line.
 * `tests/cli/json_schema_test.ts` checks the file equals this output and
 * validates real `--json` runs against it.
 *
 * ```sh
 * deno run --allow-read --allow-write --allow-run=deno scripts/json_schema.ts --write
 * ```
 *
 * @module
 */

import { EVENT_SCHEMA_VERSION } from "../src/events.ts";
import { ERROR_CODES } from "../src/errors.ts";

/** The files declaring every event the CLI prints with `--json`. */
export const EVENT_FILES: readonly string[] = [
  "src/provision/events.ts",
  "src/source/events.ts",
  "src/run/events.ts",
  "src/preflight/events.ts",
  "src/hive/events.ts",
  "src/cli/render/mod.ts",
];

/** Where the generated schema lives. */
export const SCHEMA_PATH = "docs/json-output.schema.json";

type Json = Record<string, unknown>;
interface TsType {
  readonly kind: string;
  readonly repr?: string;
  readonly value?: unknown;
}
interface DocProperty {
  readonly name: string;
  readonly optional?: boolean;
  readonly tsType?: TsType;
  readonly jsDoc?: { readonly doc?: string };
}
interface DocNode {
  readonly name: string;
  readonly declarations: readonly {
    readonly kind: string;
    readonly jsDoc?: { readonly doc?: string };
    readonly def: { readonly properties?: readonly DocProperty[]; readonly tsType?: TsType };
  }[];
}

const REPO = new URL("../", import.meta.url);

/** The nodes `deno doc --json` gives for `files`. */
async function docNodes(files: readonly string[]): Promise<DocNode[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", ...files],
    cwd: REPO,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  const doc = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    nodes: Record<string, { symbols: DocNode[] }>;
  };
  return Object.values(doc.nodes).flatMap((n) => n.symbols);
}

/** The schema of a property type: keywords, literals and unions of them; anything else is open. */
function typeSchema(type: TsType | undefined, aliases: Map<string, TsType>): Json {
  if (!type) return {};
  switch (type.kind) {
    case "keyword":
      return ["string", "number", "boolean", "null"].includes(String(type.value))
        ? { type: type.value }
        : {};
    case "literal": {
      const literal = type.value as { kind: string; string?: string; number?: number };
      return { const: literal.string ?? literal.number ?? type.repr };
    }
    case "union": {
      const parts = (type.value as TsType[]).map((t) => typeSchema(t, aliases));
      if (parts.every((p) => "const" in p)) return { enum: parts.map((p) => p.const) };
      if (parts.every((p) => typeof p.type === "string")) return { type: parts.map((p) => p.type) };
      return {};
    }
    case "array":
      return { type: "array", items: typeSchema(type.value as TsType, aliases) };
    case "typeRef": {
      const name = (type.value as { typeName?: string })?.typeName ?? type.repr ?? "";
      const alias = aliases.get(name);
      return alias ? typeSchema(alias, aliases) : {};
    }
    default:
      return {};
  }
}

/** The schema of one event interface, with the envelope's fields. */
function eventSchema(node: DocNode, aliases: Map<string, TsType>): Json {
  const decl = node.declarations[0];
  const properties: Record<string, Json> = {};
  const required = ["type", "v"];
  for (const p of decl.def.properties ?? []) {
    properties[p.name] = typeSchema(p.tsType, aliases);
    if (!p.optional && p.name !== "type") required.push(p.name);
  }
  return {
    description: `${node.name}: ${decl.jsDoc?.doc?.split("\n")[0] ?? ""}`.trim(),
    type: "object",
    additionalProperties: false,
    required,
    properties: {
      ...properties,
      v: { const: EVENT_SCHEMA_VERSION },
      jobId: { type: "string" },
      time: { type: "number" },
    },
  };
}

/** The result line's two shapes. */
function resultSchemas(): Json[] {
  const common = {
    type: { const: "result" },
    v: { const: EVENT_SCHEMA_VERSION },
    command: { type: "string" },
  };
  return [
    {
      description: "The last line of a command that succeeded: its result value",
      type: "object",
      additionalProperties: false,
      required: ["type", "v", "ok", "command", "result"],
      properties: { ...common, ok: { const: true }, result: {} },
    },
    {
      description: "The last line of a command that failed",
      type: "object",
      additionalProperties: false,
      required: ["type", "v", "ok", "command", "error"],
      properties: {
        ...common,
        ok: { const: false },
        error: {
          type: "object",
          additionalProperties: false,
          required: ["code", "message", "exitCode"],
          properties: {
            code: { enum: [...Object.keys(ERROR_CODES), "UNEXPECTED"].sort() },
            message: { type: "string", minLength: 1 },
            hint: { type: "string" },
            exitCode: { type: "integer", minimum: 1 },
          },
        },
      },
    },
  ];
}

/** The schema of one `--json` line, generated from the event declarations. */
export async function jsonOutputSchema(): Promise<Json> {
  const nodes = await docNodes(EVENT_FILES);
  const aliases = new Map<string, TsType>();
  for (const n of nodes) {
    const d = n.declarations[0];
    if (d.kind === "typeAlias" && d.def.tsType) aliases.set(n.name, d.def.tsType);
  }
  const events = nodes.filter((n) => {
    const d = n.declarations[0];
    const type = d.kind === "interface" && d.def.properties?.find((p) => p.name === "type");
    return type && type.tsType?.kind === "literal";
  }).sort((a, b) => a.name.localeCompare(b.name));
  const defs: Record<string, Json> = {};
  for (const e of events) defs[e.name] = eventSchema(e, aliases);
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $comment: "Generated by scripts/json_schema.ts from the event types; do not edit",
    title: `worker-provisioner --json output, schema version ${EVENT_SCHEMA_VERSION}`,
    description:
      "One JSON object per line on stdout: progress events (a `type` naming it, `v` the schema " +
      "version, and for a job's events its `jobId` and `time` in ms since the epoch), then one " +
      "`result` line. A new optional field or a new event type keeps `v`; anything else bumps it.",
    oneOf: [
      ...Object.keys(defs).map((name) => ({ $ref: `#/$defs/${name}` })),
      ...resultSchemas(),
    ],
    $defs: defs,
  };
}

/** The schema as the file holds it. */
export async function jsonOutputSchemaText(): Promise<string> {
  return `${JSON.stringify(await jsonOutputSchema(), null, 2)}\n`;
}

if (import.meta.main) {
  const text = await jsonOutputSchemaText();
  if (Deno.args.includes("--write")) await Deno.writeTextFile(new URL(SCHEMA_PATH, REPO), text);
  else console.log(text);
}
