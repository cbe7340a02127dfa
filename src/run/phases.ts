/**
 * Which PKGBUILD functions run, in which order, as makepkg decides it:
 * prepare(), pkgver(), build(), check() (unless turned off), then package()
 * or one package_<name>() per split package. A missing build() is normal (a
 * binary-only package); package functions are checked with makepkg's own
 * rules (`lint_package_function`).
 *
 * Pure: reads the metadata model only.
 *
 * @module
 */

import type { Pkgbuild } from "../pkgbuild/model.ts";
import { PackageFunctionError } from "./errors.ts";
import type { RunPhase } from "./events.ts";

/** One step of a run: a function to call, or a phase that is skipped and why. */
export type PhaseStep =
  | {
    /** Run the function. */
    readonly kind: "run";
    /** The phase. */
    readonly phase: RunPhase;
    /** The PKGBUILD function. */
    readonly functionName: string;
    /** For package phases: the package built. */
    readonly pkgname?: string;
  }
  | {
    /** Skip the phase. */
    readonly kind: "skip";
    /** The phase. */
    readonly phase: RunPhase;
    /** The function that would have run. */
    readonly functionName: string;
    /** For package phases: the package (its pkgdir is still created, empty). */
    readonly pkgname?: string;
    /** Why it does not run. */
    readonly reason: string;
  };

/** Options of {@link planPhases}. */
export interface PlanPhasesOptions {
  /** Run check() when the PKGBUILD defines it. @default true */
  readonly check?: boolean;
}

/**
 * Returns the steps of a run in makepkg's order. Throws
 * {@link PackageFunctionError} where makepkg's lint refuses the PKGBUILD.
 */
export function planPhases(pkgbuild: Pkgbuild, options: PlanPhasesOptions = {}): PhaseStep[] {
  const has = (name: string) => Object.hasOwn(pkgbuild.functions, name);
  const steps: PhaseStep[] = [];
  const optional = (phase: RunPhase, enabled = true, disabledReason = "") => {
    if (!has(phase)) {
      steps.push({ kind: "skip", phase, functionName: phase, reason: `no ${phase}() function` });
    } else if (!enabled) {
      steps.push({ kind: "skip", phase, functionName: phase, reason: disabledReason });
    } else {
      steps.push({ kind: "run", phase, functionName: phase });
    }
  };
  optional("prepare");
  optional("pkgver");
  optional("build");
  optional("check", options.check ?? true, "check() turned off");
  steps.push(...packageSteps(pkgbuild, has));
  return steps;
}

function packageSteps(pkgbuild: Pkgbuild, has: (name: string) => boolean): PhaseStep[] {
  const names = pkgbuild.packages.map((p) => p.name);
  const phase = "package";
  if (names.length === 1) {
    const [name] = names;
    if (has("package") && has(`package_${name}`)) {
      throw new PackageFunctionError(
        `Conflicting package() and package_${name}() functions in the PKGBUILD`,
      );
    }
    if (has(`package_${name}`)) {
      return [{ kind: "run", phase, functionName: `package_${name}`, pkgname: name }];
    }
    if (has("package")) return [{ kind: "run", phase, functionName: "package", pkgname: name }];
    if (has("build")) throw new PackageFunctionError("Missing package() function in the PKGBUILD");
    return [{
      kind: "skip",
      phase,
      functionName: "package",
      pkgname: name,
      reason: "no package() function: an empty package, as makepkg makes",
    }];
  }
  if (has("package")) {
    throw new PackageFunctionError(
      `Extra package() function for split package '${pkgbuild.pkgbase}'`,
    );
  }
  const missing = names.filter((n) => !has(`package_${n}`));
  if (missing.length > 0) {
    throw new PackageFunctionError(
      missing.map((n) => `Missing package_${n}() function for split package '${n}'`).join("; "),
    );
  }
  return names.map((name) => ({
    kind: "run" as const,
    phase,
    functionName: `package_${name}`,
    pkgname: name,
  }));
}

/**
 * Checks a version printed by pkgver() as makepkg's `check_pkgver` does;
 * returns why it is invalid, or `undefined` when it is fine.
 */
export function pkgverProblem(version: string): string | undefined {
  if (version === "") return "pkgver is not allowed to be empty";
  if (/[\s/:-]/.test(version)) {
    return "pkgver is not allowed to contain colons, forward slashes, hyphens or whitespace";
  }
  // deno-lint-ignore no-control-regex
  if (/[^\x00-\x7f]/.test(version)) return "pkgver may only contain ascii characters";
  return undefined;
}
