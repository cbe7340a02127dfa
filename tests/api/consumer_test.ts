/**
 * The library as a program outside this checkout uses it: a directory with
 * its own empty `deno.json` (no import map, no workspace), a program that
 * imports `mod.ts` by absolute file path, run with `deno run`, provisioning
 * the demo catalog's worker into a temporary root.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertEquals, assertStringIncludes } from "../_assert.ts";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const MOD_URL = new URL("../../mod.ts", import.meta.url).href;

const PROGRAM = `
import { type ProvisionerEvent, WorkerProvisioner } from ${JSON.stringify(MOD_URL)};

const [catalog, root] = Deno.args;
const types: string[] = [];
const provisioner = new WorkerProvisioner({ catalog, root });
const worker = await provisioner.provision("demo-hello", {
  onEvent: (event: ProvisionerEvent) => {
    types.push(event.type);
  },
});
const installed = (await provisioner.list()).map((w) => w.id);
console.log(JSON.stringify({ id: worker.id, executables: worker.executables, installed, types }));
`;

Deno.test("a program with its own empty deno.json imports mod.ts by path and provisions the demo worker", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wp-consumer-" });
  try {
    await Deno.writeTextFile(join(dir, "deno.json"), "{}\n");
    await Deno.writeTextFile(join(dir, "main.ts"), PROGRAM);
    const root = join(dir, "root");
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", "main.ts", join(REPO, "fixtures/demo"), root],
      cwd: dir,
      env: { DENO_NO_UPDATE_CHECK: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assertEquals(out.code, 0, stderr);
    const result = JSON.parse(new TextDecoder().decode(out.stdout));
    assertEquals(result.id, "demo-hello");
    assertEquals(result.installed, ["demo-hello"]);
    assertEquals(result.types.at(-1), "provision.done");
    assertStringIncludes(result.types.join(" "), "source.done");
    const executable = result.executables[0] as string;
    const run = await new Deno.Command(executable, { stdout: "piped" }).output();
    assertEquals(run.code, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
