import { assertEquals } from "../../_assert.ts";
import { JsonRenderer } from "../../../src/cli/render/json.ts";
import { ProvisionerError } from "../../../src/errors.ts";
import { CapturedStreams, INSTALL_EVENTS } from "./_streams.ts";

Deno.test("JsonRenderer writes one JSON event per line and the result object last", () => {
  const io = new CapturedStreams();
  const r = new JsonRenderer(io);
  for (const e of INSTALL_EVENTS) r.event(e);
  r.info("not an event");
  r.result("install", { id: "w" }, "ignored text");
  const lines = io.stdout.split("\n");
  assertEquals(lines.pop(), "");
  const parsed = lines.map((l) => JSON.parse(l));
  // Every line carries the schema version, also an event that came without one.
  assertEquals(parsed.slice(0, -1), INSTALL_EVENTS.map((e) => ({ ...e, v: 1 })));
  assertEquals(parsed.at(-1), {
    type: "result",
    v: 1,
    ok: true,
    command: "install",
    result: { id: "w" },
  });
  assertEquals(io.stderr, "");
});

Deno.test("JsonRenderer ends a failure with ok: false, its code, exit code and hint", () => {
  const io = new CapturedStreams();
  new JsonRenderer(io).error(
    "install",
    new ProvisionerError("LOCK_BUSY", 9, "Busy", { hint: "wait" }),
  );
  assertEquals(JSON.parse(io.stdout), {
    type: "result",
    v: 1,
    ok: false,
    command: "install",
    error: { code: "LOCK_BUSY", message: "Busy", hint: "wait", exitCode: 9 },
  });
  assertEquals(io.stderr, "error: Busy; wait\n");
});
