/**
 * A real pseudo-terminal for tests: runs a command in a detached tmux
 * session of a fixed size and reads the screen with `capture-pane`.
 *
 * @module
 */

/** A command running in a tmux pane. */
export interface Pane {
  /** The screen's text now (one string per row, trailing spaces trimmed). */
  screen(): Promise<string[]>;
  /** Waits until `predicate` holds for the screen (polling), or fails after `timeoutMs`. */
  waitFor(
    predicate: (rows: string[]) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<string[]>;
  /** Sends keys (tmux `send-keys` syntax, e.g. `C-c`). */
  keys(...keys: string[]): Promise<void>;
}

/** Whether tmux can run here. */
export async function tmuxAvailable(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("tmux", {
      args: ["-V"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

async function tmux(socket: string, args: string[]): Promise<string> {
  const out = await new Deno.Command("tmux", {
    args: ["-L", socket, ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    throw new Error(`tmux ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/**
 * Runs `command` (a shell command line) in a pane of `size` (120x30 by default); the shell prints
 * `EXIT=<status>` when it ends and stays open. The session is killed after `fn`.
 */
export async function withPane<T>(
  command: string,
  fn: (pane: Pane) => Promise<T>,
  size: { columns?: number; rows?: number } = {},
): Promise<T> {
  const socket = `wp-test-${crypto.randomUUID().slice(0, 8)}`;
  // The pane starts from the test's environment; a NO_COLOR there (CI sets it)
  // would turn the bars off, so only the command's own prefix may set it.
  const script = `unset NO_COLOR; ${command}; echo EXIT=$?; sleep 600`;
  const [x, y] = [String(size.columns ?? 120), String(size.rows ?? 30)];
  await tmux(socket, ["new-session", "-d", "-x", x, "-y", y, "-s", "t", "sh", "-c", script]);
  const pane: Pane = {
    screen: async () =>
      (await tmux(socket, ["capture-pane", "-p", "-t", "t"])).split("\n").map((r) => r.trimEnd()),
    waitFor: async (predicate, what, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      let rows: string[] = [];
      while (Date.now() < deadline) {
        rows = await pane.screen();
        if (predicate(rows)) return rows;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${what}; screen:\n${rows.join("\n")}`);
    },
    keys: async (...keys) => {
      await tmux(socket, ["send-keys", "-t", "t", ...keys]);
    },
  };
  try {
    return await fn(pane);
  } finally {
    await tmux(socket, ["kill-server"]).catch(() => {});
  }
}
