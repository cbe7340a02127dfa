import { assertEquals } from "../../_assert.ts";
import { PlainRenderer } from "../../../src/cli/render/plain.ts";
import { ProvisionerError } from "../../../src/errors.ts";
import { CONTROL_CODES } from "../_cli.ts";
import { CapturedStreams, INSTALL_EVENTS } from "./_streams.ts";

Deno.test("PlainRenderer prints append-only lines with no control codes, even from recipe output", () => {
  const io = new CapturedStreams();
  const r = new PlainRenderer(io, "normal");
  for (const e of INSTALL_EVENTS) r.event(e);
  r.result("install", {}, "installed w 1-1\n");
  r.close();
  assertEquals(CONTROL_CODES.test(io.stderr + io.stdout), false);
  assertEquals(io.stderr.split("\n"), [
    "fetching sources w",
    "fetching w.tar.gz (http://127.0.0.1:1/w.tar.gz)",
    "  w.tar.gz: 25% of 100.0 KiB (2.0 KiB/s)",
    "  w.tar.gz: 50% of 100.0 KiB (2.0 KiB/s)",
    "  w.tar.gz: 75% of 100.0 KiB (2.0 KiB/s)",
    "fetched w.tar.gz",
    "extracting sources w",
    "extracting w.tar.gz (gzip, in-process)",
    "warning: no sandbox: bwrap is not installed",
    "running build()",
    "  | compiling",
    "  | warning: x",
    "installing w",
    "",
  ]);
  assertEquals(io.stdout, "installed w 1-1\n");
});

Deno.test("PlainRenderer --quiet prints only the result, errors and the no-sandbox warning", () => {
  const io = new CapturedStreams();
  const r = new PlainRenderer(io, "quiet");
  for (const e of INSTALL_EVENTS) r.event(e);
  r.info("status");
  r.result("install", {}, "done\n");
  r.error("install", new ProvisionerError("X", 1, "Broken thing", { hint: "fix it" }));
  assertEquals(io.stdout, "done\n");
  assertEquals(
    io.stderr,
    "warning: no sandbox: bwrap is not installed\nerror: Broken thing; fix it\n",
  );
});

Deno.test("PlainRenderer --verbose also prints cache hits, verification and phase ends", () => {
  const io = new CapturedStreams();
  const r = new PlainRenderer(io, "verbose");
  for (const e of INSTALL_EVENTS) r.event(e);
  for (const line of ["resolving w", "verified w.tar.gz (sha256)", "build() done"]) {
    assertEquals(io.stderr.split("\n").includes(line), true, line);
  }
});
