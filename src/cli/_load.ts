/**
 * How the CLI loads a command's module: `list`, `verify`, `info` and the
 * other commands that need none of the install pipeline nor the signature
 * library (`search`, `cache`, `catalog serve`, `completions`, `man`) with
 * the start-up graph, every other command (and `search --compatible`'s
 * provisioner) on use.
 *
 * `deno run` loads (reads, hashes, resolves; does not run) every module a
 * string-literal `import()` can reach before the first line runs. Behind
 * the other commands are ~300 modules (the PKGBUILD evaluator, fetch,
 * extraction, the build sandbox, OCI, signatures), and loading them cost
 * as much CPU as Deno's whole empty start. So the start-up commands are
 * imported with literal specifiers, and the table of the others
 * (`loaders.ts`) through a specifier Deno does not read ahead.
 *
 * The price: Deno checks read permission for a module it loads after the
 * start, so a command loaded on use needs to read the program's own
 * `src/` directory when it runs from files (`deno run cli.ts`, `deno
 * install -g` of a checkout, the compiled binary's embedded files).
 * {@link CommandLoader.needs} names it, so a run without it stops with the
 * flag to add, like any other missing permission; the compiled binary's
 * flags and the README's `deno install -g` line grant it (unscoped
 * `--allow-read`). From JSR the modules are remote and need no read.
 *
 * @module
 */

import type { CommandModule } from "./context.ts";
import type { PermissionNeed } from "./permissions.ts";

/**
 * The commands whose modules are part of the start-up graph: together
 * about 80 modules, none of them `node:` or `npm:` ones.
 */
const START_UP: Readonly<Record<string, () => Promise<CommandModule>>> = {
  "list": () => import("./commands/list.ts"),
  "verify": () => import("./commands/verify.ts"),
  "info": () => import("./commands/info.ts"),
  "search": () => import("./commands/search.ts"),
  "cache": () => import("./commands/cache.ts"),
  "catalog serve": () => import("./commands/catalog_serve.ts"),
  "completions": () => import("./commands/completions.ts"),
  "man": () => import("./commands/man.ts"),
};

/** The table of the commands loaded on use. */
const ON_USE_TABLE = new URL("./loaders.ts", import.meta.url);

/** How one command's module is loaded. */
export interface CommandLoader {
  /** The permissions loading it needs (none for a start-up command). */
  readonly needs: readonly PermissionNeed[];
  /** Imports the module. */
  load(): Promise<CommandModule>;
}

/** Whether `name`'s module is part of the start-up graph. */
export function isStartUpCommand(name: string): boolean {
  return Object.hasOwn(START_UP, name);
}

/**
 * Reading the directory of the program's modules (`src/`), which a module
 * loaded on use needs when the program runs from files; none when it runs
 * from remote modules.
 */
export function sourceReadNeeds(): PermissionNeed[] {
  if (ON_USE_TABLE.protocol !== "file:") return [];
  const dir = decodeURIComponent(new URL("../", ON_USE_TABLE).pathname);
  return [{ name: "read", path: dir.length > 1 ? dir.replace(/\/$/, "") : dir }];
}

/**
 * The table of the modules loaded on use (`loaders.ts`), imported through
 * a variable, not a literal: Deno must not load it (and the modules behind
 * it) at start. Needs {@link sourceReadNeeds}.
 */
export async function onUseTable(): Promise<typeof import("./loaders.ts")> {
  const specifier = ON_USE_TABLE.href;
  return await import(specifier);
}

/** The loader of command `name` (a name of `spec.ts`'s table). */
export function commandLoader(name: string): CommandLoader {
  if (isStartUpCommand(name)) return { needs: [], load: START_UP[name] };
  return {
    needs: sourceReadNeeds(),
    load: async () => await (await onUseTable()).LOADERS[name](),
  };
}
