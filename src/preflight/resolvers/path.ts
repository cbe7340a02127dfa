/**
 * The executable resolver, the last of the chain: a dependency is met when
 * an executable of its name ({@link EXECUTABLE_NAMES}: `rust` → `rustc`,
 * `cuda` → `nvcc`) is in a toolchain's `bin` or on the build's `PATH`.
 *
 * @module
 */

import { join } from "node:path";
import { dependencyName, executableOf } from "../names.ts";
import { type SystemProbe, systemProbe } from "../system.ts";
import type { Resolver } from "./resolver.ts";

/**
 * The executable resolver over the toolchains' `bin` directories (host
 * paths, as the build binds them) and the build's `PATH` (read through the
 * probe).
 */
export function pathResolver(
  probe: SystemProbe,
  pathDirs: readonly string[],
  toolchainBins: readonly string[] = [],
): Resolver {
  const host = systemProbe("/");
  return {
    name: "path",
    unmet(deps) {
      const found = (dep: string) => {
        const exe = executableOf(dependencyName(dep));
        return toolchainBins.some((dir) => host.isExecutable(join(dir, exe))) ||
          pathDirs.some((dir) => probe.isExecutable(join(dir, exe)));
      };
      return Promise.resolve(deps.filter((d) => !found(d)));
    },
    howToInstall(dep) {
      return `put ${
        executableOf(dependencyName(dep))
      } on PATH or name its directory with --toolchain`;
    },
  };
}
