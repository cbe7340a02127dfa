/**
 * Spawns a Deno child running `tests/provision/_crash_child.ts`, waits for
 * its `CRASH-POINT` line and SIGKILLs it there.
 *
 * @module
 */

/** Runs the crash child with `mode` and `args`; kills it at its crash point; returns its output. */
export async function runAndKillAtCrashPoint(mode: string, args: unknown): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./_crash_child.ts", import.meta.url).pathname,
      mode,
      JSON.stringify(args),
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const stderr = new Response(child.stderr).text();
  let out = "";
  while (!out.includes("CRASH-POINT") && !out.includes("FINISHED")) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  try {
    child.kill("SIGKILL");
  } catch {
    // already exited
  }
  const status = await child.status;
  reader.releaseLock();
  await child.stdout.cancel().catch(() => {});
  const errors = await stderr;
  if (!out.includes("CRASH-POINT")) {
    throw new Error(`child did not reach its crash point (exit ${status.code}): ${out}\n${errors}`);
  }
  return out;
}
