/**
 * `runCommand()`'s interrupt trap (SIGINT and SIGTERM alike; these tests
 * send SIGTERM, since `deno test` handles SIGINT itself): a command that
 * changes something is cancelled even when it never looks at its signal
 * (the trap is set before it runs), and one that asks for its signal sees
 * it aborted. (A command that changes nothing installs no handler; a
 * signal would end this test process, so that side is not sent one.)
 */
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { CancelledError } from "../../src/errors.ts";
import type { CommandLoader } from "../../src/cli/_load.ts";
import type { CommandModule } from "../../src/cli/context.ts";
import { runCommand } from "../../src/cli/run.ts";
import { findCommand } from "../../src/cli/spec.ts";

const spec = findCommand("man")!;
const quiet = { out: () => {}, err: () => {} };

function loaderOf(module: CommandModule): CommandLoader {
  return { needs: [], load: () => Promise.resolve(module) };
}

/** Sends SIGTERM (trapped as SIGINT is; `deno test` handles SIGINT itself) and gives the handler a turn. */
async function interruptSelf(): Promise<void> {
  Deno.kill(Deno.pid, "SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 100));
}

Deno.test("SIGTERM cancels a command that never asks for its signal (the trap is set before it runs)", async () => {
  let finished = false;
  const module: CommandModule = {
    permissions: () => [],
    run: async () => {
      await interruptSelf();
      finished = true;
      return { value: null, text: "" };
    },
  };
  const run = runCommand(spec, { values: {}, positionals: [] }, loaderOf(module), {
    streams: quiet,
    cwd: Deno.cwd(),
    onRenderer: () => {},
  });
  await assertRejects(() => run, CancelledError);
  assert(finished, "the command ran to its end, then the run reported the cancel");
});

Deno.test("a command that asks for its signal sees it aborted by SIGTERM", async () => {
  let aborted: boolean | undefined;
  const module: CommandModule = {
    changesNothing: true,
    permissions: () => [],
    run: async (ctx) => {
      const signal = ctx.signal;
      await interruptSelf();
      aborted = signal.aborted;
      return { value: null, text: "" };
    },
  };
  await assertRejects(
    () =>
      runCommand(spec, { values: {}, positionals: [] }, loaderOf(module), {
        streams: quiet,
        cwd: Deno.cwd(),
        onRenderer: () => {},
      }),
    CancelledError,
  );
  assertEquals(aborted, true);
});
