/**
 * The interface every dependency resolver offers.
 *
 * @module
 */

/** Answers which dependencies this machine lacks, in one way (a package database, PATH). */
export interface Resolver {
  /** `pacman`, `dpkg` or `path`. */
  readonly name: string;
  /** The dependencies (as the recipe writes them, `gcc>=12`) this resolver cannot find. */
  unmet(deps: readonly string[]): Promise<string[]>;
  /** How to satisfy `dep` the way this resolver looks for it. */
  howToInstall(dep: string): string;
}
