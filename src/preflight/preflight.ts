/**
 * Preflight, before anything is fetched: the recipe's `depends`,
 * `makedepends` and (when check() will run) `checkdepends` (with their
 * `_<arch>` forms) are resolved on this machine by a chain of resolvers
 * (pacman where it is the system's package manager, dpkg on Debian/Ubuntu,
 * then an executable on the build's PATH or in a toolchain; a dependency is
 * met when any of them finds it), and the worker type's hardware is probed.
 * Every unmet requirement is reported at once.
 *
 * @module
 */

import { type Pkgbuild, valueAsArray } from "../pkgbuild/model.ts";
import { PreflightUnmetError } from "./errors.ts";
import { unmetHardware } from "./hardware.ts";
import { dpkgResolver } from "./resolvers/dpkg.ts";
import { pacmanResolver } from "./resolvers/pacman.ts";
import { pathResolver } from "./resolvers/path.ts";
import type { Resolver } from "./resolvers/resolver.ts";
import { type SystemProbe, systemProbe } from "./system.ts";

/** The default PATH of recipe functions (see `src/run/environment.ts`). */
const BUILD_PATH = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/** One unmet requirement. */
export interface Unmet {
  /** `depends`, `makedepends`, `checkdepends` or `hardware`. */
  readonly kind: "depends" | "makedepends" | "checkdepends" | "hardware";
  /** What is missing (a dependency as the recipe writes it, or the hardware). */
  readonly what: string;
  /** How to satisfy it. */
  readonly fix: string;
}

/** Options of {@link preflight}. */
export interface PreflightOptions {
  /** The catalog's `worker_type` (`cpu`, `cuda`, `metal`). @default none: no hardware check */
  readonly workerType?: string;
  /** Skip the dependency check (makepkg's `--nodeps`). @default false */
  readonly nodeps?: boolean;
  /** check() will run, so checkdepends count. @default true */
  readonly check?: boolean;
  /** The machine. @default `systemProbe("/")` */
  readonly probe?: SystemProbe;
  /** Toolchain `bin` directories the build gets. @default [] */
  readonly toolchainBins?: readonly string[];
  /** The program run as pacman. @default "pacman" */
  readonly pacman?: string;
}

/** The dependencies of each kind, for the PKGBUILD's architecture. */
export function dependenciesOf(
  pkgbuild: Pkgbuild,
  check: boolean,
): { kind: Unmet["kind"]; deps: string[] }[] {
  const kinds: Unmet["kind"][] = [
    "depends",
    "makedepends",
    ...(check ? ["checkdepends" as const] : []),
  ];
  return kinds.map((kind) => ({
    kind,
    deps: [
      ...valueAsArray(pkgbuild.variables[kind]),
      ...valueAsArray(pkgbuild.variables[`${kind}_${pkgbuild.carch}`]),
    ],
  }));
}

/** The resolvers of `probe`'s system, in order. */
export function resolverChain(
  probe: SystemProbe,
  toolchainBins: readonly string[],
  pacman?: string,
): Resolver[] {
  return [
    pacmanResolver(probe, pacman),
    dpkgResolver(probe),
    pathResolver(probe, BUILD_PATH, toolchainBins),
  ].filter((r): r is Resolver => r !== null);
}

/** Every unmet requirement of `pkgbuild` on the probed machine (empty when all are met). */
export async function preflight(
  pkgbuild: Pkgbuild,
  options: PreflightOptions = {},
): Promise<Unmet[]> {
  const probe = options.probe ?? systemProbe("/");
  const unmet: Unmet[] = unmetHardware(options.workerType, probe).map((h) => ({
    kind: "hardware",
    what: h.what,
    fix: h.fix,
  }));
  if (options.nodeps) return unmet;
  const chain = resolverChain(probe, options.toolchainBins ?? [], options.pacman);
  for (const { kind, deps } of dependenciesOf(pkgbuild, options.check ?? true)) {
    let left = [...new Set(deps)];
    for (const resolver of chain) {
      if (!left.length) break;
      left = await resolver.unmet(left).catch(() => left);
    }
    for (const dep of left) {
      const fixes = chain.map((r) => r.howToInstall(dep));
      unmet.push({ kind, what: `${dep} (${kind})`, fix: fixes.join(", or ") });
    }
  }
  return unmet;
}

/** Throws {@link PreflightUnmetError} listing every unmet requirement of worker `id`. */
export async function checkPreflight(
  id: string,
  pkgbuild: Pkgbuild,
  options: PreflightOptions = {},
): Promise<void> {
  const unmet = await preflight(pkgbuild, options);
  if (unmet.length) throw new PreflightUnmetError(id, unmet);
}
