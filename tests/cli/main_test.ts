import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { main } from "../../src/cli/main.ts";
import type { Streams } from "../../src/cli/render/mod.ts";
import { ENV_VARIABLES } from "../../src/cli/permissions.ts";
import { COMMANDS, VERSION } from "../../src/cli/spec.ts";
import { CONTROL_CODES, runCli } from "./_cli.ts";

function capture(): Streams & { out_: string; err_: string } {
  const s = {
    out_: "",
    err_: "",
    out(text: string) {
      s.out_ += text;
    },
    err(text: string) {
      s.err_ += text;
    },
  };
  return s;
}

Deno.test("main() exits 0 for --version", async () => {
  const io = capture();
  assertEquals(await main(["--version"], { streams: io }), 0);
  assertEquals(io.out_, `worker-provisioner ${VERSION}\n`);
});

Deno.test("main() prints the global help listing every command for --help", async () => {
  const io = capture();
  assertEquals(await main(["--help"], { streams: io }), 0);
  for (const c of COMMANDS) assertStringIncludes(io.out_, `  ${c.name} `);
});

Deno.test("main() prints the help on stderr and exits 2 without a command", async () => {
  const io = capture();
  assertEquals(await main([], { streams: io }), 2);
  assertEquals(io.out_, "");
  assertStringIncludes(io.err_, "Usage: worker-provisioner <command>");
});

Deno.test("main() prints each command's help with its examples", async () => {
  for (const c of COMMANDS) {
    const io = capture();
    assertEquals(await main([...c.name.split(" "), "--help"], { streams: io }), 0, c.name);
    assertStringIncludes(io.out_, `Usage: worker-provisioner ${c.usage}`);
    assertStringIncludes(io.out_, "Examples:");
  }
});

Deno.test("main() rejects an unknown command with exit 2 and one line", async () => {
  const io = capture();
  assertEquals(await main(["instal", "x"], { streams: io }), 2);
  assertEquals(
    io.err_,
    "error: Unknown command instal; did you mean `worker-provisioner install`?\n",
  );
  const far = capture();
  assertEquals(await main(["zzzzzz"], { streams: far }), 2);
  assertEquals(far.err_, "error: Unknown command zzzzzz; see `worker-provisioner --help`\n");
});

Deno.test("main() rejects an unknown flag with exit 2 naming the command's help", async () => {
  const io = capture();
  assertEquals(await main(["list", "--rooot", "/x"], { streams: io }), 2);
  assertEquals(
    io.err_,
    "error: Unknown option --rooot; did you mean --root? (see `worker-provisioner list --help`)\n",
  );
});

Deno.test("main() rejects a missing argument and an extra argument with exit 2", async () => {
  const io = capture();
  assertEquals(await main(["install"], { streams: io }), 2);
  assertStringIncludes(io.err_, "Missing argument: usage: worker-provisioner install");
  const io2 = capture();
  assertEquals(await main(["uninstall", "a", "b"], { streams: io2 }), 2);
  assertStringIncludes(io2.err_, "Unexpected argument b");
});

Deno.test("main() asks for `catalog serve` when `catalog` has no known subcommand", async () => {
  const io = capture();
  assertEquals(await main(["catalog", "start"], { streams: io }), 2);
  assertStringIncludes(io.err_, "did you mean `worker-provisioner catalog serve`?");
});

Deno.test("main() reports a usage error as the last JSON line with --json", async () => {
  const io = capture();
  assertEquals(await main(["list", "--json", "--nope"], { streams: io }), 2);
  const last = JSON.parse(io.out_.trim().split("\n").at(-1)!);
  assertEquals(last.type, "result");
  assertEquals(last.ok, false);
  assertEquals(last.error.code, "USAGE");
  assertEquals(last.error.exitCode, 2);
});

Deno.test("cli.ts --help runs under the compile flags and prints no control codes", async () => {
  const run = await runCli(["--help"]);
  assertEquals(run.code, 0);
  assertEquals(run.stderr, "");
  assertMatch(run.stdout, /^worker-provisioner \d+\.\d+\.\d+/);
  assert(!CONTROL_CODES.test(run.stdout));
});

Deno.test("cli.ts --version matches deno.json's version", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  const run = await runCli(["--version"]);
  assertEquals(run.stdout, `worker-provisioner ${config.version}\n`);
});

Deno.test("--help shows every environment variable, the exit codes, and each option's default", async () => {
  const io = capture();
  await main(["--help"], { streams: io });
  for (const variable of ENV_VARIABLES) assertStringIncludes(io.out_, variable);
  assertStringIncludes(io.out_, "  0 ok, 1 failure, 2 usage, 3 notFound, 4 incompatible");
  assertStringIncludes(io.out_, "130 cancelled");
  for (const c of COMMANDS) {
    const help = capture();
    await main([...c.name.split(" "), "--help"], { streams: help });
    for (const o of c.options) {
      if (o.env) assertStringIncludes(help.out_, `env ${o.env}`);
      if (o.default) assertStringIncludes(help.out_, `default: ${o.default}`);
    }
  }
});

Deno.test("main() names an option missing its value and a flag given a value", async () => {
  const missing = capture();
  assertEquals(await main(["list", "--root"], { streams: missing }), 2);
  assertEquals(
    missing.err_,
    "error: Option --root needs a value; see `worker-provisioner list --help`\n",
  );
  const extra = capture();
  assertEquals(await main(["list", "--json=1"], { streams: extra }), 2);
  assertStringIncludes(extra.err_, "error: Option --json takes no value");
});
