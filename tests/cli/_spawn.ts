/**
 * A CLI subprocess whose stderr can be awaited line by line (to send a
 * signal at the right moment).
 *
 * @module
 */

import { cliCommandArgs, REPO } from "./_cli.ts";

/** A running CLI. */
export interface RunningCli {
  /** The process. */
  readonly process: Deno.ChildProcess;
  /** Resolves once a stderr line matches `pattern` (rejects after `timeoutMs` or at exit). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Waits for the exit; resolves to the code, stdout and all of stderr. */
  finished(): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Starts the CLI with `args` under the compile flags. */
export function spawnCli(args: readonly string[]): RunningCli {
  const process = new Deno.Command(Deno.execPath(), {
    args: cliCommandArgs(args),
    cwd: REPO,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const line = stderr.split("\n").find((l) => w.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  const stderrDone = (async () => {
    for await (const chunk of process.stderr.pipeThrough(new TextDecoderStream())) {
      stderr += chunk;
      check();
    }
  })();
  const stdoutText = new Response(process.stdout).text();
  return {
    process,
    waitForStderr: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no stderr line matched ${pattern}; stderr:\n${stderr}`)),
          timeoutMs,
        );
        const done = (line: string) => {
          clearTimeout(timer);
          resolve(line);
        };
        waiters.push({ pattern, resolve: done });
        check();
        process.status.then(() =>
          setTimeout(() => {
            clearTimeout(timer);
            reject(new Error(`exited before ${pattern}; stderr:\n${stderr}`));
          }, 100)
        );
      }),
    finished: async () => {
      const status = await process.status;
      await stderrDone;
      return { code: status.code, stdout: await stdoutText, stderr };
    },
  };
}
