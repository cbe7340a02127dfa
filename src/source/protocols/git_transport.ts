/**
 * Which transports git may use for a source: the scheme of its URL and
 * nothing else, passed as `GIT_ALLOW_PROTOCOL` so a server cannot redirect
 * git (through curl) to another scheme, an https source never falls back to
 * plain http, and `ext::` or other helpers never run. A `file://` git URL
 * reads the machine's own disk as root, outside the sandbox: it is allowed
 * only when the recipe itself is local (a PKGBUILD path or a directory
 * catalog), never from a recipe a remote catalog served.
 *
 * @module
 */

import { SourceInvalidError } from "../errors.ts";

/** `GIT_ALLOW_PROTOCOL` per URL scheme: an http source may be upgraded to https, not the reverse. */
const TRANSPORTS: Readonly<Record<string, string>> = {
  https: "https",
  http: "http:https",
  git: "git",
  ssh: "ssh",
  file: "file",
};

/**
 * The value of `GIT_ALLOW_PROTOCOL` for cloning `location` (the URL without
 * `git+`); throws {@link SourceInvalidError} naming `raw` for a scheme git
 * may not use, or for `file://` when `allowFile` is false.
 */
export function gitTransportsFor(raw: string, location: string, allowFile: boolean): string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase();
  const transports = scheme === undefined ? undefined : TRANSPORTS[scheme];
  if (transports === undefined) {
    throw new SourceInvalidError(
      raw,
      `git transport ${
        scheme ?? JSON.stringify(location)
      } is not allowed (use https, http, git, ssh or file)`,
    );
  }
  if (scheme === "file" && !allowFile) throw localUrlRefused(raw);
  return transports;
}

/** The error for a `file://` source in a recipe that did not come from the local disk. */
export function localUrlRefused(raw: string): SourceInvalidError {
  return new SourceInvalidError(
    raw,
    "file:// sources are allowed only in a local recipe, not in one a remote catalog serves",
    { hint: "publish the file over https and pin its checksum" },
  );
}
