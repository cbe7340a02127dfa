/**
 * POSIX path functions with the results of `node:path` (and `node:url`'s
 * `pathToFileURL`), for the modules every `list`, `verify` and `info` run
 * loads. Importing `node:path` loads a good part of Deno's Node.js layer
 * (its errors, util, assert and buffer modules): a start that imports it
 * takes 1.58x the CPU of Deno's empty start (`BENCHMARKS.md`, cold start). The tool runs on
 * Linux only, so POSIX semantics are the only ones it needs.
 * `tests/path_test.ts` checks every function against `node:path` itself.
 *
 * @module
 */

/** The path separator. */
export const sep = "/";

/** Whether `path` is absolute. */
export function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

/** `path` without `.` and `a/..` segments and repeated slashes (`node:path`'s `normalizeString`). */
function normalizeSegments(path: string, allowAboveRoot: boolean): string {
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (out.length && out[out.length - 1] !== "..") out.pop();
      else if (allowAboveRoot) out.push("..");
    } else out.push(segment);
  }
  return out.join("/");
}

/** `path` normalized: `.` and `a/..` resolved, slashes collapsed, a trailing slash kept. */
export function normalize(path: string): string {
  if (path === "") return ".";
  const absolute = isAbsolute(path);
  const trailing = path.endsWith("/");
  let out = normalizeSegments(path, !absolute);
  if (out === "" && !absolute) out = ".";
  if (out !== "" && trailing) out += "/";
  return absolute ? `/${out}` : out;
}

/** The non-empty `paths` joined with `/` and normalized. */
export function join(...paths: string[]): string {
  const joined = paths.filter((p) => p !== "").join("/");
  return joined === "" ? "." : normalize(joined);
}

/** The absolute path of `paths` resolved right to left, from the working directory at last. */
export function resolve(...paths: string[]): string {
  let resolved = "";
  let absolute = false;
  for (let i = paths.length - 1; i >= -1 && !absolute; i--) {
    const path = i >= 0 ? paths[i] : Deno.cwd();
    if (path === "") continue;
    resolved = `${path}/${resolved}`;
    absolute = isAbsolute(path);
  }
  const out = normalizeSegments(resolved, !absolute);
  return absolute ? `/${out}` : out === "" ? "." : out;
}

/** The path from `from` to `to` (both resolved first). */
export function relative(from: string, to: string): string {
  if (from === to) return "";
  const a = resolve(from).split("/").filter(Boolean);
  const b = resolve(to).split("/").filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => ".."), ...b.slice(common)].join("/");
}

/** `path` without its last segment (trailing slashes ignored), as `node:path` cuts it. */
export function dirname(path: string): string {
  if (path === "") return ".";
  const hasRoot = path[0] === "/";
  let end = -1;
  let matchedSlash = true;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] === "/") {
      if (!matchedSlash) {
        end = i;
        break;
      }
    } else matchedSlash = false;
  }
  if (end === -1) return hasRoot ? "/" : ".";
  if (hasRoot && end === 1) return "//";
  return path.slice(0, end);
}

/** The last segment of `path` (trailing slashes ignored). */
export function basename(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--;
  return path.slice(path.lastIndexOf("/", end - 1) + 1, end);
}

/** The `file:` URL of `path` (resolved first), as `node:url`'s `pathToFileURL` builds it. */
export function pathToFileURL(path: string): URL {
  let resolved = resolve(path);
  if (path.endsWith("/") && !resolved.endsWith("/")) resolved += "/";
  const url = new URL("file://");
  url.pathname = resolved
    .replaceAll("%", "%25")
    .replaceAll("\\", "%5C")
    .replaceAll("\n", "%0A")
    .replaceAll("\r", "%0D")
    .replaceAll("\t", "%09");
  return url;
}
