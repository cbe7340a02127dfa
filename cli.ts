/**
 * The `worker-provisioner` command line, a thin layer over the library.
 *
 * Run `deno run cli.ts --help` for the commands.
 *
 * @module
 */

import { main } from "./src/cli/main.ts";

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}

export { main };
