/**
 * `deno task demo`: the main job on the embedded demo catalog, offline.
 *
 * Serves `fixtures/demo` on 127.0.0.1 (a random port) with
 * `worker-provisioner catalog serve`, then, with the CLI under exactly the
 * permission flags of the compiled binary: searches the catalog, prints the
 * minimal Deno flags of an install (`plan --permissions`) and installs the
 * binary-only worker under exactly those, installs the source-built worker,
 * lists them, runs the installed executables, verifies and uninstalls them,
 * and removes everything it made.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { COMPILE_PERMISSION_FLAGS } from "../src/cli/permissions.ts";

const CLI = fileURLToPath(new URL("../cli.ts", import.meta.url));
const CATALOG_DIR = fileURLToPath(new URL("../fixtures/demo", import.meta.url));
const color = !Deno.noColor && Deno.stdout.isTerminal();
const bold = (s: string) => color ? `\x1b[1m${s}\x1b[0m` : s;

function say(line: string): void {
  console.log(`\n${bold(`== ${line}`)}`);
}

function cliArgs(args: readonly string[], flags = COMPILE_PERMISSION_FLAGS): string[] {
  return ["run", ...flags, CLI, ...args];
}

/** Runs the CLI with inherited output; fails the demo on a non-zero exit. */
async function cli(...args: string[]): Promise<void> {
  await cliWith(COMPILE_PERMISSION_FLAGS, args);
}

/** Runs the CLI under `flags`; `capture` returns its stdout instead of printing it. */
async function cliWith(flags: readonly string[], args: string[], capture = false): Promise<string> {
  console.log(
    `$ ${
      flags === COMPILE_PERMISSION_FLAGS
        ? "worker-provisioner"
        : `deno run ${flags.join(" ")} cli.ts`
    } ${args.join(" ")}`,
  );
  const output = await new Deno.Command(Deno.execPath(), {
    args: cliArgs(args, flags),
    stdin: "null",
    stdout: capture ? "piped" : "inherit",
    stderr: "inherit",
  }).output();
  if (output.code !== 0) throw new Error(`worker-provisioner ${args[0]} exited ${output.code}`);
  return capture ? new TextDecoder().decode(output.stdout) : "";
}

/** Runs an installed executable and prints its output. */
async function runInstalled(path: string): Promise<void> {
  console.log(`$ ${path}`);
  const { code, stdout } = await new Deno.Command(path, { stdout: "piped" }).output();
  Deno.stdout.writeSync(stdout);
  if (code !== 0) throw new Error(`${path} exited ${code}`);
}

/** Starts `catalog serve --port 0` and resolves to its URL and process. */
async function serveCatalog(): Promise<{ url: string; process: Deno.ChildProcess }> {
  const args = ["catalog", "serve", "--dir", CATALOG_DIR, "--port", "0", "--json"];
  console.log(`$ worker-provisioner ${args.join(" ")} &`);
  const process = new Deno.Command(Deno.execPath(), {
    args: cliArgs(args),
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = process.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) throw new Error("catalog serve exited before listening");
    buffered += value;
    for (const line of buffered.split("\n").slice(0, -1)) {
      const event = JSON.parse(line);
      if (event.type === "catalog.listening") {
        // Keep draining the server's stdout so it never writes to a closed pipe.
        (async () => {
          while (!(await reader.read()).done);
        })().catch(() => {});
        return { url: event.url, process };
      }
    }
  }
}

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    out.push(e.name);
    if (e.isDirectory) {
      out.push(...(await listTree(join(dir, e.name))).map((p) => `${e.name}/${p}`));
    }
  }
  return out.sort();
}

async function demo(): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "worker-provisioner-demo-" });
  const root = join(tmp, "root");
  const cache = join(tmp, "cache");
  let server: Deno.ChildProcess | undefined;
  try {
    say("Serve the demo catalog on 127.0.0.1 (no network needed)");
    const served = await serveCatalog();
    server = served.process;
    const catalog = served.url;
    console.log(`catalog at ${catalog}`);
    const where = ["--catalog", catalog, "--root", root, "--cache-dir", cache];

    say("What the catalog offers");
    await cli("search", "--catalog", catalog);

    say("The exact Deno flags an install of demo-hello needs (plan --permissions)");
    const planned = await cliWith(COMPILE_PERMISSION_FLAGS, [
      "plan",
      "demo-hello",
      ...where,
      "--permissions",
      "--json",
    ], true);
    const { flags: minimal, args: installArgs } = JSON.parse(planned.trim().split("\n").at(-1)!)
      .result as { flags: string[]; args: string[] };
    console.log(minimal.join("\n"));

    say(
      "Install the binary-only worker under exactly those flags (per-arch tarball, sha256-pinned)",
    );
    await cliWith([...minimal, "--no-prompt"], installArgs);

    say("Install the worker built from source by build()");
    await cli("install", "demo-build", ...where);

    say("List the installed workers");
    await cli("list", "--root", root);

    say("Run the installed executables");
    await runInstalled(join(root, "usr/local/bin/demo-hello"));
    await runInstalled(join(root, "usr/local/bin/demo-build"));

    say("Verify and uninstall");
    await cli("verify", "demo-hello", "--root", root);
    await cli("uninstall", "demo-hello", "--root", root);
    await cli("uninstall", "demo-build", "--root", root);
    await cli("list", "--root", root);
    const left = [];
    for (const path of await listTree(root)) {
      if (!(await Deno.lstat(join(root, path))).isDirectory) left.push(path);
    }
    if (left.length) throw new Error(`files left in the root after uninstall: ${left.join(", ")}`);
    console.log("no file is left in the root");
  } finally {
    if (server) {
      server.kill("SIGINT");
      await server.status;
    }
    await Deno.remove(tmp, { recursive: true });
  }
  say("Done: everything the demo made is removed");
}

if (import.meta.main) {
  try {
    await demo();
  } catch (error) {
    console.error(`demo failed: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  }
}
