/**
 * A layout with one worker installed by hand (a file and its record), for
 * the tests of reading and verifying the installed state.
 *
 * @module
 */
import { join } from "node:path";
import type { Layout } from "../../src/provision/paths.ts";
import { writeRecord } from "../../src/provision/record.ts";

/** The worker's id. */
export const ID = "w";

/** A layout under `dir` with worker `w` installed: one file and its record. */
export async function installed(dir: string): Promise<Layout> {
  const root = join(dir, "root");
  const layout: Layout = {
    root,
    stateDir: join(root, "var/lib/worker-provisioner"),
    cacheDir: join(root, "var/cache/worker-provisioner"),
  };
  const bin = join(root, "usr/bin/w");
  const bytes = new TextEncoder().encode("#!/bin/sh\necho w\n");
  await Deno.mkdir(join(root, "usr/bin"), { recursive: true });
  await Deno.writeFile(bin, bytes, { mode: 0o755 });
  await Deno.chmod(bin, 0o755);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const sha256 = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
  await writeRecord(layout.stateDir, {
    schema: 1,
    id: ID,
    version: "1-1",
    arch: "x86_64",
    platform: "linux",
    packages: [ID],
    root,
    installedAt: new Date().toISOString(),
    txid: "tx-1",
    files: [{ path: bin, type: "file", mode: 0o755, size: bytes.length, sha256 }],
    createdDirs: [],
    executables: [bin],
    origin: "test",
  }, root);
  return layout;
}
