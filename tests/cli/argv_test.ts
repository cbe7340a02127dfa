import { parseArgs } from "node:util";
import { assert, assertEquals } from "../_assert.ts";
import { type ArgvOption, parseArgv } from "../../src/cli/_argv.ts";
import { toParseOptions } from "../../src/cli/args.ts";
import { COMMANDS, GLOBAL_OPTIONS } from "../../src/cli/spec.ts";

/** What a parser did with `args`: its values and positionals, or its error message. */
function outcome(parse: () => { values: object; positionals: string[] }): unknown {
  try {
    const { values, positionals } = parse();
    return { values: { ...values }, positionals };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const TEST_OPTIONS: Record<string, ArgvOption> = {
  help: { type: "boolean", short: "h" },
  quiet: { type: "boolean", short: "q" },
  verbose: { type: "boolean", short: "v" },
  json: { type: "boolean" },
  catalog: { type: "string", short: "c" },
  root: { type: "string" },
  toolchain: { type: "string", multiple: true, short: "t" },
  flagged: { type: "boolean", multiple: true, short: "f" },
};

const CASES: readonly (readonly string[])[] = [
  [],
  ["a", "b"],
  ["-"],
  ["--"],
  ["--", "--json", "-q"],
  ["a", "--", "b", "--root"],
  ["--json"],
  ["--json=1"],
  ["--json="],
  ["--root", "/r"],
  ["--root=/r"],
  ["--root="],
  ["--root=a=b"],
  ["--root"],
  ["--root", "-"],
  ["--root", "-x"],
  ["--root", "--json"],
  ["--root=-x"],
  ["--rooot", "/r"],
  ["--=x"],
  ["--x=1"],
  ["-q"],
  ["-qv"],
  ["-qvh", "a"],
  ["-qc", "x"],
  ["-qcx"],
  ["-qcxyz", "p"],
  ["-c"],
  ["-c", "x", "-c", "y"],
  ["-c", "-x"],
  ["-cx"],
  ["-c-x"],
  ["-z"],
  ["-qz"],
  ["-1"],
  ["-t", "a", "--toolchain", "b", "-tc"],
  ["-ff", "--flagged"],
  ["--quiet", "--quiet"],
  ["-h", "-h"],
  ["--help", "--version"],
  ["install", "demo", "--catalog", "./fixtures/demo", "--root", "/tmp/r", "--json"],
  ["--__proto__"],
  ["--constructor"],
  ["--toString=x"],
];

Deno.test("parseArgv parses every case exactly as node:util parseArgs (strict, positionals)", () => {
  for (const args of CASES) {
    assertEquals(
      outcome(() => parseArgv(args, TEST_OPTIONS)),
      outcome(() =>
        parseArgs({ args: [...args], options: TEST_OPTIONS, strict: true, allowPositionals: true })
      ),
      `args ${JSON.stringify(args)}`,
    );
  }
});

Deno.test("parseArgv agrees with parseArgs on every command's real options", () => {
  let compared = 0;
  for (const command of COMMANDS) {
    const options = toParseOptions([...GLOBAL_OPTIONS, ...command.options]);
    for (const spec of [...GLOBAL_OPTIONS, ...command.options]) {
      const forms = spec.type === "string"
        ? [[`--${spec.name}`, "v"], [`--${spec.name}=v`], [`--${spec.name}`]]
        : [[`--${spec.name}`], [`--${spec.name}=v`]];
      if (spec.short) forms.push([`-${spec.short}`, "v"], [`-${spec.short}v`], [`-q${spec.short}`]);
      for (const form of forms) {
        const args = ["pos", ...form, "--json", "--", "-q"];
        assertEquals(
          outcome(() => parseArgv(args, options)),
          outcome(() => parseArgs({ args, options, strict: true, allowPositionals: true })),
          `${command.name} ${JSON.stringify(args)}`,
        );
        compared++;
      }
    }
  }
  assert(compared > 100, `only ${compared} cases compared`);
});
