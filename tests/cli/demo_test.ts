/**
 * `deno task demo` end to end, in a network namespace with only a loopback
 * interface (no network at all) where `unshare -n` is allowed (root), else
 * as is.
 */
import { assertEquals, assertStringIncludes } from "../_assert.ts";
import { REPO } from "./_cli.ts";

async function canUnshare(): Promise<boolean> {
  try {
    const probe = await new Deno.Command("unshare", {
      args: ["-n", "sh", "-c", "ip link set lo up"],
      stdout: "null",
      stderr: "null",
    }).output();
    return probe.success;
  } catch {
    return false;
  }
}

Deno.test("deno task demo installs, runs and removes both demo workers with the network off", async () => {
  const offline = await canUnshare();
  const task = `${Deno.execPath()} task demo`;
  const out = await new Deno.Command(offline ? "unshare" : "sh", {
    args: offline ? ["-n", "sh", "-c", `ip link set lo up && ${task}`] : ["-c", task],
    cwd: REPO,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, text);
  assertStringIncludes(
    text,
    `hello from demo-hello 1.0.0, a binary-only worker built for ${Deno.build.arch}`,
  );
  assertStringIncludes(
    text,
    `hello from demo-build 1.0.0, built from source by build() for ${Deno.build.arch}`,
  );
  assertStringIncludes(text, "no file is left in the root");
  assertStringIncludes(text, "== Done: everything the demo made is removed");
});
