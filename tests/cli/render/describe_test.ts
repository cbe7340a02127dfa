import { assertEquals } from "../../_assert.ts";
import { describeEvent } from "../../../src/cli/render/describe.ts";
import { JsonRenderer } from "../../../src/cli/render/json.ts";
import { PlainRenderer } from "../../../src/cli/render/plain.ts";
import type { SourceWaitEvent } from "../../../src/source/events.ts";
import { CapturedStreams } from "./_streams.ts";

const WAIT: SourceWaitEvent = {
  type: "source.wait",
  name: "w.tar.gz",
  path: "/c/content/sha256/ab",
};

Deno.test("describeEvent() shows source.wait as a status line saying who is awaited", () => {
  assertEquals(describeEvent(WAIT), {
    kind: "status",
    line: "waiting for another worker-provisioner to finish fetching w.tar.gz",
    verbose: false,
  });
});

Deno.test("PlainRenderer prints source.wait without --verbose, and JsonRenderer passes it through", () => {
  const plain = new CapturedStreams();
  new PlainRenderer(plain, "normal").event(WAIT);
  assertEquals(
    plain.stderr,
    "waiting for another worker-provisioner to finish fetching w.tar.gz\n",
  );
  const json = new CapturedStreams();
  new JsonRenderer(json).event(WAIT);
  assertEquals(JSON.parse(json.stdout), { ...WAIT, v: 1 });
});
