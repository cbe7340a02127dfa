/**
 * Whether this process may load a module as a worker: reading it (a local
 * file) or importing from its host. Asked before `new Worker(...)` because
 * Deno prints a failed worker load to stderr even when the failure is
 * handled, and a `deno compile`d binary holds only the worker modules it was
 * built with `--include`.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** True when `module` may be loaded as a worker by this process. */
export function mayLoadModule(module: URL): boolean {
  try {
    if (module.protocol === "file:") {
      return Deno.permissions.querySync({ name: "read", path: fileURLToPath(module) }).state ===
        "granted";
    }
    return Deno.permissions.querySync({ name: "import", host: module.host }).state === "granted";
  } catch {
    return false;
  }
}
