import { assert, assertEquals } from "../_assert.ts";
import { collectProcessTree, killProcessTree, parseProcStat } from "../../src/run/process_tree.ts";

Deno.test("parseProcStat() reads pid, ppid, pgid, sid and state even with spaces and parentheses in the name", () => {
  assertEquals(parseProcStat("4242 (my (odd) name) S 1 4242 4242 0 -1 4194560"), {
    pid: 4242,
    ppid: 1,
    pgid: 4242,
    sid: 4242,
    state: "S",
  });
  assertEquals(parseProcStat("garbage"), undefined);
});

Deno.test("killProcessTree() stops a session's processes, orphans included, and TERM-ignoring ones with KILL", async () => {
  const child = new Deno.Command("setsid", {
    args: [
      "bash",
      "-c",
      "trap '' TERM; sleep 300 & ( ( sleep 300 ) & ) ; bash -c 'trap \"\" TERM; sleep 300' & wait",
    ],
    stdin: "null",
  }).spawn();
  await new Promise((r) => setTimeout(r, 500));
  const before = collectProcessTree(child.pid);
  assert(before.size >= 4, `found ${before.size} processes`);
  const left = await killProcessTree(child.pid, { graceMs: 300 });
  assertEquals(left, []);
  await child.status;
  for (const pid of before) {
    const alive = (() => {
      try {
        return !Deno.readTextFileSync(`/proc/${pid}/stat`).includes(") Z ");
      } catch {
        return false;
      }
    })();
    assert(!alive, `process ${pid} survived`);
  }
});
