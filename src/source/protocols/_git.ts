/**
 * Runs git as a child process: no stdin, `GIT_TERMINAL_PROMPT=0` so it never
 * asks for credentials, `GIT_ALLOW_PROTOCOL` so it only speaks the
 * transports the caller allows (and curl follows no redirect to another),
 * killed when the signal aborts.
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

/** Options of {@link runGit}. */
export interface GitOptions {
  /** Working directory. */
  cwd?: string;
  /** Kills git when aborted. */
  signal?: AbortSignal;
  /**
   * The transports git may use, as `GIT_ALLOW_PROTOCOL` (colon-separated):
   * also what curl may follow a redirect to. @default "file" (local clones only)
   */
  allowProtocols?: string;
}

/** Runs `git args...` in `cwd`; throws CancelledError when `signal` aborts. */
export async function runGit(
  args: readonly string[],
  options: GitOptions = {},
): Promise<GitResult> {
  if (options.signal?.aborted) throw new CancelledError(`git ${args[0]}`);
  const command = new Deno.Command("git", {
    args: [...args],
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: {
      GIT_TERMINAL_PROMPT: "0",
      GIT_ASKPASS: "",
      SSH_ASKPASS: "",
      LC_ALL: "C",
      GIT_ALLOW_PROTOCOL: options.allowProtocols ?? "file",
    },
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
