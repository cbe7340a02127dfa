/**
 * Completion scripts work in the real shells, and the man page renders
 * without warnings and matches the generated copy in `docs/`.
 */
import { assert, assertEquals, assertStringIncludes } from "../_assert.ts";
import { join } from "node:path";
import { completionScript } from "../../src/cli/completions.ts";
import { manPage } from "../../src/cli/manpage.ts";
import { REPO, runCli } from "./_cli.ts";

async function sh(cmd: string, args: string[], stdin?: string) {
  const child = new Deno.Command(cmd, {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await child.output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

async function has(program: string): Promise<boolean> {
  return (await sh("bash", ["-c", `command -v ${program}`])).code === 0;
}

/** What bash's completion function offers for the words typed so far. */
async function bashComplete(words: string[]): Promise<string[]> {
  const script = completionScript("bash");
  const typed = words.map((w) => `'${w}'`).join(" ");
  const run = await sh("bash", [
    "-c",
    `${script}\nCOMP_WORDS=(${typed}); COMP_CWORD=${words.length - 1}; ` +
    `_worker_provisioner; printf '%s\\n' "\${COMPREPLY[@]}"`,
  ]);
  assertEquals(run.code, 0, run.stderr);
  return run.stdout.split("\n").filter(Boolean);
}

Deno.test("completions bash completes commands, sub-commands and each command's options", async () => {
  assertEquals(await bashComplete(["worker-provisioner", "ins"]), ["install"]);
  assertEquals(await bashComplete(["worker-provisioner", "catalog", ""]), ["serve"]);
  assertEquals((await bashComplete(["worker-provisioner", "cache", ""])).sort(), [
    "clean",
    "list",
  ]);
  const opts = await bashComplete(["worker-provisioner", "install", "demo", "--ca"]);
  assertEquals(opts.sort(), ["--cache-dir", "--catalog"]);
  const list = await bashComplete(["worker-provisioner", "list", "--ca"]);
  assertEquals(list, [], "list takes no --catalog");
});

Deno.test("completions zsh is valid zsh", { ignore: !(await has("zsh")) }, async () => {
  const run = await sh("zsh", ["-n"], completionScript("zsh"));
  assertEquals(run.code, 0, run.stderr);
});

Deno.test("completions fish offers commands and options in a real fish", {
  ignore: !(await has("fish")),
}, async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "wp.fish");
    await Deno.writeTextFile(file, completionScript("fish"));
    const run = await sh("fish", [
      "--no-config",
      "-c",
      `source ${file}; complete -C 'worker-provisioner ins'; complete -C 'worker-provisioner install x --cat'`,
    ]);
    assertEquals(run.code, 0, run.stderr);
    assertStringIncludes(run.stdout, "install\tFetch, build and install a worker");
    assertStringIncludes(run.stdout, "--catalog\t");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("completions refuses an unknown shell naming the ones it has", async () => {
  const run = await runCli(["completions", "tcsh"]);
  assertEquals(run.code, 2);
  assertEquals(run.stderr, "error: No completion for shell tcsh; give one of bash, zsh, fish\n");
});

Deno.test("the man page is the generated one and groff renders it without a warning", async () => {
  assertEquals(await Deno.readTextFile(join(REPO, "docs/worker-provisioner.1")), manPage());
  const run = await runCli(["man"]);
  assertEquals(run.stdout, manPage());
  if (!(await has("groff"))) return;
  const groff = await sh("groff", ["-man", "-ww", "-z"], manPage());
  assertEquals([groff.code, groff.stderr], [0, ""]);
  const text = await sh("groff", ["-man", "-Tutf8", "-P", "-cbou"], manPage());
  for (const word of ["install", "uninstall", "catalog serve", "EXIT STATUS", "130"]) {
    assert(text.stdout.includes(word), word);
  }
});
