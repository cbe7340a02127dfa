/**
 * Source entries as makepkg reads them (`libmakepkg/util/source.sh`):
 * `[name::]url`, the protocol from the URL scheme minus any `+...` suffix
 * (`git+https` is `git`), no `://` means a local file next to the PKGBUILD,
 * `#kind=value` fragments and `?query` for VCS sources, and the file name
 * makepkg gives the downloaded file or repository.
 *
 * @module
 */

import { SourceInvalidError } from "./errors.ts";

/** Protocols whose sources are version-control repositories (makepkg's VCS set). */
export const VCS_PROTOCOLS: readonly string[] = ["bzr", "fossil", "git", "hg", "svn"];

/** The fragment kinds a git source accepts, as in makepkg's `extract_git`. */
export const GIT_FRAGMENT_KINDS: readonly string[] = ["branch", "commit", "tag"];

/** A git ref named by a source fragment. */
export interface SourceFragment {
  /** `branch`, `tag` or `commit`. */
  readonly kind: string;
  /** The branch name, tag name or commit id. */
  readonly value: string;
}

/** One parsed element of a `source` array. */
export interface SourceEntry {
  /** The entry exactly as written in the recipe. */
  readonly raw: string;
  /** The file (or repository directory) name makepkg gives this source in `$SRCDEST` and `$srcdir`. */
  readonly name: string;
  /** Whether the name was given explicitly with `name::`. */
  readonly named: boolean;
  /** The entry without its `name::` prefix (makepkg's `get_url`). */
  readonly url: string;
  /** `local`, `file`, `http`, `https`, `ftp`, `git`, ... (makepkg's `get_protocol`). */
  readonly protocol: string;
  /** Whether the source is a version-control repository. */
  readonly vcs: boolean;
  /**
   * The address to fetch from: for VCS sources the URL without the `vcs+`
   * prefix, fragment and query; for `file://` the local path; for local
   * sources the file name; otherwise the URL itself.
   */
  readonly location: string;
  /** The raw fragment after `#` (query removed), when there is one (makepkg's `get_uri_fragment`). */
  readonly fragment?: string;
  /** The git ref the fragment names; absent for the default branch and for non-git sources. */
  readonly ref?: SourceFragment;
  /** The query after `?` (fragment removed), e.g. `signed` (makepkg's `get_uri_query`). */
  readonly query?: string;
}

/** Returns makepkg's protocol of `entry` (`local` when it has no `://`). */
export function sourceProtocol(entry: string): string {
  const url = stripName(entry);
  if (entry.includes("://")) {
    const scheme = url.split("://")[0];
    return scheme.split("+")[0];
  }
  if (entry.includes("lp:")) return url.split("+lp:")[0];
  return "local";
}

/** Returns makepkg's file name for `entry` (`get_filename`). */
export function sourceFileName(entry: string): string {
  const sep = entry.indexOf("::");
  if (sep >= 0) return entry.slice(0, sep);
  const protocol = sourceProtocol(entry);
  if (!VCS_PROTOCOLS.includes(protocol)) return lastComponent(entry);
  let name = cutAt(cutAt(entry, "#"), "?");
  if (name.endsWith("/")) name = name.slice(0, -1);
  name = lastComponent(name);
  if (protocol === "bzr") name = afterFirst(name, "lp:");
  if (protocol === "fossil") name = `${name}.fossil`;
  if (protocol === "git") name = cutAt(name, ".git");
  return name;
}

/**
 * Parses one source entry the way makepkg does.
 *
 * @throws {SourceInvalidError} when the name is empty, or a git fragment is not
 *   `branch=`, `tag=` or `commit=` (makepkg: "Unrecognized reference").
 */
export function parseSourceEntry(raw: string): SourceEntry {
  const url = stripName(raw);
  const protocol = sourceProtocol(raw);
  const vcs = VCS_PROTOCOLS.includes(protocol);
  const name = sourceFileName(raw);
  if (name === "" || name === "." || name === ".." || name.includes("/")) {
    throw new SourceInvalidError(raw, `the file name ${JSON.stringify(name)} is not usable`);
  }
  const fragment = uriFragment(raw);
  const query = uriQuery(raw);
  let location = url;
  let ref: SourceFragment | undefined;
  if (vcs) {
    location = cutAt(cutAt(protocol === "git" ? url.replace(/^git\+/, "") : url, "#"), "?");
    if (fragment !== undefined && fragment !== "") ref = parseGitFragment(raw, fragment);
  } else if (protocol === "file") {
    location = decodeURIComponent(cutAt(cutAt(url.slice("file://".length), "#"), "?"));
  }
  return {
    raw,
    name,
    named: raw.includes("::"),
    url,
    protocol,
    vcs,
    location,
    ...(fragment !== undefined ? { fragment } : {}),
    ...(ref ? { ref } : {}),
    ...(query !== undefined ? { query } : {}),
  };
}

function parseGitFragment(raw: string, fragment: string): SourceFragment {
  const eq = fragment.indexOf("=");
  const kind = eq >= 0 ? fragment.slice(0, eq) : fragment;
  // makepkg takes ${fragment##*=}: the text after the last '='.
  const value = fragment.slice(fragment.lastIndexOf("=") + 1);
  if (!GIT_FRAGMENT_KINDS.includes(kind) || eq < 0 || value === "") {
    throw new SourceInvalidError(
      raw,
      `unrecognized reference ${JSON.stringify(fragment)}; use #branch=, #tag= or #commit=`,
    );
  }
  return { kind, value };
}

/** `${1#*::}`: everything after the first `::`. */
function stripName(entry: string): string {
  const i = entry.indexOf("::");
  return i >= 0 ? entry.slice(i + 2) : entry;
}

/** makepkg's get_uri_fragment: `${netfile#*#}` then `${fragment%\?*}`. */
function uriFragment(entry: string): string | undefined {
  const i = entry.indexOf("#");
  if (i < 0) return undefined;
  const fragment = entry.slice(i + 1);
  const q = fragment.lastIndexOf("?");
  return q >= 0 ? fragment.slice(0, q) : fragment;
}

/** makepkg's get_uri_query: `${netfile#*\?}` then `${query%#*}`. */
function uriQuery(entry: string): string | undefined {
  const i = entry.indexOf("?");
  if (i < 0) return undefined;
  const query = entry.slice(i + 1);
  const h = query.lastIndexOf("#");
  return h >= 0 ? query.slice(0, h) : query;
}

/** `${s%%sep*}`: everything before the first `sep`. */
function cutAt(s: string, sep: string): string {
  const i = s.indexOf(sep);
  return i >= 0 ? s.slice(0, i) : s;
}

/** `${s#*sep}`: everything after the first `sep`, or `s` itself. */
function afterFirst(s: string, sep: string): string {
  const i = s.indexOf(sep);
  return i >= 0 ? s.slice(i + sep.length) : s;
}

/** The last path component (`${s##*\/}`). */
function lastComponent(s: string): string {
  return s.slice(s.lastIndexOf("/") + 1);
}
