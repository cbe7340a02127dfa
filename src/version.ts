/**
 * The version of worker-provisioner (kept equal to deno.json's by a test),
 * for the CLI's `--version` and the packages it writes (`.BUILDINFO`).
 *
 * @module
 */

/** This worker-provisioner's version. */
export const VERSION = "0.1.0";
