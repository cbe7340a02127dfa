/**
 * The modules of the commands loaded on use: those that reach the install
 * pipeline or the signature library (`_load.ts` loads `list`, `verify`,
 * `info`, `search`, `cache`, `catalog serve`, `completions` and `man` with
 * the start-up graph), and of `search --compatible`.
 *
 * `_load.ts` imports this table through a specifier Deno does not read
 * ahead, so `deno run cli.ts list` does not load (read, hash, resolve) the
 * ~300 modules behind these commands before its first line: that alone
 * cost as much CPU as Deno's whole empty start (BENCHMARKS.md, cold
 * start). The specifiers below are string literals, so
 * `deno compile --include src/cli/loaders.ts` embeds every command (the
 * compile tasks of `deno.json` do; `tests/cli/light_path_test.ts` checks
 * both).
 *
 * @module
 */

import type { CommandModule } from "./context.ts";

/** The loader of each command's module, by command name (as in `spec.ts`). */
export const LOADERS: Readonly<Record<string, () => Promise<CommandModule>>> = {
  "install": () => import("./commands/install.ts"),
  "build": () => import("./commands/build.ts"),
  "push": () => import("./commands/push.ts"),
  "uninstall": () => import("./commands/uninstall.ts"),
  "doctor": () => import("./commands/doctor.ts"),
  "plan": () => import("./commands/plan.ts"),
  "fetch": () => import("./commands/fetch.ts"),
  "srcinfo": () => import("./commands/srcinfo.ts"),
  "lint": () => import("./commands/lint.ts"),
  "outdated": () => import("./commands/outdated.ts"),
  "upgrade": () => import("./commands/upgrade.ts"),
  "keys": () => import("./commands/keys.ts"), // signatures
  "sign": () => import("./commands/sign.ts"), // signatures
  "verify-signature": () => import("./commands/verify_signature.ts"), // signatures
};

/** `search --compatible`'s module (the provisioner is behind it). */
export function loadSearchCompatible(): Promise<typeof import("./commands/_search_compatible.ts")> {
  return import("./commands/_search_compatible.ts");
}
