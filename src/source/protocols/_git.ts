/**
 * Runs git as a child process: no stdin, `GIT_TERMINAL_PROMPT=0` so it never
 * asks for credentials, killed when the signal aborts.
 *
 * @module
 */

import { CancelledError } from "../../errors.ts";

/** The outcome of one git command. */
export interface GitResult {
  /** Whether it exited with status 0. */
  readonly ok: boolean;
  /** Its standard output. */
  readonly stdout: string;
  /** Its standard error, trimmed. */
  readonly stderr: string;
}

/** Runs `git args...` in `cwd`; throws CancelledError when `signal` aborts. */
export async function runGit(
  args: readonly string[],
  options: { cwd?: string; signal?: AbortSignal } = {},
): Promise<GitResult> {
  if (options.signal?.aborted) throw new CancelledError(`git ${args[0]}`);
  const command = new Deno.Command("git", {
    args: [...args],
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "", SSH_ASKPASS: "", LC_ALL: "C" },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const output = await command.output();
  if (options.signal?.aborted) throw new CancelledError(`git ${args[0]}`);
  const decoder = new TextDecoder();
  return {
    ok: output.success,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr).trim(),
  };
}
