/**
 * The `worker-provisioner` command line, a thin layer over the library.
 *
 * Run `deno run jsr:@rbee/worker-provisioner/cli --help` for the commands,
 * or embed it: `await main(["list", "--json"])` resolves to the exit code.
 *
 * @example Run the CLI from a program
 * ```ts
 * import { main } from "@rbee/worker-provisioner/cli";
 *
 * const code = await main(["search", "--catalog", "./fixtures/demo"]);
 * if (code !== 0) throw new Error(`search exited ${code}`);
 * ```
 *
 * @module
 */

import { main } from "./src/cli/main.ts";

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}

export { main };
export type { MainOptions } from "./src/cli/main.ts";
export type { Streams } from "./src/cli/render/mod.ts";
