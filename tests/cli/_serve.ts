/**
 * Starts `cli.ts catalog serve --port 0 --json` as a subprocess and reads its
 * URL from the `catalog.listening` event.
 *
 * @module
 */

import { cliCommandArgs, REPO } from "./_cli.ts";

/** A running `catalog serve` subprocess. */
export interface ServedCatalog extends AsyncDisposable {
  /** Base URL. */
  readonly url: string;
  /** The process. */
  readonly process: Deno.ChildProcess;
  /** Every stdout line read so far (after the listening event, drained in the background). */
  readonly lines: string[];
}

/** Serves `dir` with the CLI (under the compile flags) until disposed. */
export async function serveWithCli(dir: string): Promise<ServedCatalog> {
  const process = new Deno.Command(Deno.execPath(), {
    args: cliCommandArgs(["catalog", "serve", "--dir", dir, "--port", "0", "--json"]),
    cwd: REPO,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const lines: string[] = [];
  const reader = process.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  let url: string | undefined;
  while (url === undefined) {
    const { value, done } = await reader.read();
    if (done) throw new Error("catalog serve exited before listening");
    buffered += value;
    const parts = buffered.split("\n");
    buffered = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      const event = JSON.parse(line);
      if (event.type === "catalog.listening") url = event.url;
    }
  }
  const drained = (async () => {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += value;
      const parts = buffered.split("\n");
      buffered = parts.pop()!;
      lines.push(...parts);
    }
  })();
  return {
    url,
    process,
    lines,
    [Symbol.asyncDispose]: async () => {
      try {
        process.kill("SIGINT");
      } catch {
        // already gone
      }
      await process.status;
      await drained;
    },
  };
}
