import { assertEquals } from "./_assert.ts";
import { sleep } from "../src/_sleep.ts";

// A timer left behind would fail these tests through Deno's op sanitizer.

Deno.test("sleep() wakes as soon as its signal aborts and leaves no timer", async () => {
  const controller = new AbortController();
  const slept = sleep(3_600_000, controller.signal);
  controller.abort();
  assertEquals(await slept, undefined);
});

Deno.test("sleep() with an already aborted signal returns at once", async () => {
  assertEquals(await sleep(3_600_000, AbortSignal.abort()), undefined);
});

Deno.test("sleep() without a signal resolves after its time", async () => {
  let woke = false;
  await sleep(1).then(() => (woke = true));
  assertEquals(woke, true);
});
