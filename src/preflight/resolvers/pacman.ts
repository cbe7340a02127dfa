/**
 * The pacman resolver, used where pacman is the system's package manager
 * (`/etc/os-release` says arch, or `ID_LIKE` does): `pacman -T` with the
 * probe root's database (`--dbpath ROOT/var/lib/pacman`) prints the
 * dependencies that are not satisfied, version constraints included, and
 * exits 127 when there are any.
 *
 * @module
 */

import { join } from "node:path";
import { osFamily, type SystemProbe } from "../system.ts";
import type { Resolver } from "./resolver.ts";

/** The pacman resolver, or null when pacman is not the system's package manager. */
export function pacmanResolver(probe: SystemProbe, pacman = "pacman"): Resolver | null {
  if (!osFamily(probe).includes("arch")) return null;
  return {
    name: "pacman",
    async unmet(deps) {
      if (!deps.length) return [];
      const out = await new Deno.Command(pacman, {
        args: ["-T", "--dbpath", join(probe.root, "var/lib/pacman"), "--", ...deps],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      if (out.code === 0) return [];
      const text = new TextDecoder();
      if (out.code !== 127) {
        throw new Error(`pacman -T exited with ${out.code}: ${text.decode(out.stderr).trim()}`);
      }
      return text.decode(out.stdout).split("\n").map((l) => l.trim()).filter(Boolean);
    },
    howToInstall(dep) {
      return `pacman -S ${dep.replace(/(<=|>=|=|<|>).*$/, "")}`;
    },
  };
}
