/**
 * Lazy access to the library for the commands: each area's barrel is
 * imported only when a command needs it, and an export that is not there yet
 * becomes a clear "not available yet" error instead of a crash.
 *
 * @module
 */

import { NotAvailableError } from "./errors.ts";

type Module = Record<string, unknown>;

/** Returns export `name` of `mod`, or throws {@link NotAvailableError} for `command`. */
export function requireExport<T>(mod: Module, name: string, command: string): T {
  const value = mod[name];
  if (value === undefined) throw new NotAvailableError(command, name);
  return value as T;
}

/** The PKGBUILD engine's barrel (`src/pkgbuild/mod.ts`). */
export async function pkgbuildModule(): Promise<Module> {
  return await import("../pkgbuild/mod.ts") as unknown as Module;
}

/** The source stage's barrel (`src/source/mod.ts`). */
export async function sourceModule(): Promise<Module> {
  return await import("../source/mod.ts") as unknown as Module;
}

/** The build runner's barrel (`src/run/mod.ts`). */
export async function runModule(): Promise<Module> {
  return await import("../run/mod.ts") as unknown as Module;
}

/** The provisioner's barrel (`src/provision/mod.ts`). */
export async function provisionModule(): Promise<Module> {
  return await import("../provision/mod.ts") as unknown as Module;
}
