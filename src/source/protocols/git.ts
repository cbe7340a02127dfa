/**
 * git sources, as makepkg's `source/git.sh`: a `git clone --mirror` in the
 * cache, updated with `git fetch --all -p` (after checking the mirror's
 * `remote.origin.url`), and a working copy in srcdir made with
 * `git clone -s` from the mirror and checked out at the fragment's ref
 * (`origin/HEAD` by default, `origin/<branch>`, a tag or a commit). When the
 * fetch fails but the mirror already has the ref, the run goes on offline
 * with a `source.warning`.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { gitMirrorPathFor, removeIfExists, withFileLock } from "../cache.ts";
import { DownloadFailedError, ExtractFailedError, SourceInvalidError } from "../errors.ts";
import { emit } from "../events.ts";
import type { PlannedSource } from "../plan.ts";
import { runGit } from "./_git.ts";
import { gitTransportsFor } from "./git_transport.ts";
import type {
  DownloadContext,
  FetchedSource,
  PrepareContext,
  SourceProtocolHandler,
} from "./protocol.ts";

/** Clones or updates the mirror of a git source in the cache. */
export function downloadGit(
  source: PlannedSource,
  context: DownloadContext,
): Promise<FetchedSource> {
  const { entry } = source;
  const url = entry.location;
  const mirror = gitMirrorPathFor(context.cacheDir, url, entry.name);
  const signal = context.signal;
  const transports = gitTransportsFor(entry.raw, url, context.allowFileUrls);
  const onWait = () =>
    emit(context.onEvent, { type: "source.wait", name: entry.name, path: mirror });
  return withFileLock(mirror, async () => {
    let fromCache = true;
    if (await isMirrorOf(mirror, url, context)) {
      if (!context.offline) {
        emit(context.onEvent, { type: "source.start", name: entry.name, url, protocol: "git" });
        const fetched = await runGit(["fetch", "--all", "-p"], {
          cwd: mirror,
          allowProtocols: transports,
          ...opt(signal),
        });
        if (fetched.ok) fromCache = false;
        else {
          emit(context.onEvent, {
            type: "source.warning",
            name: entry.name,
            message: `failure while updating ${entry.name} git repo, using the cached mirror: ${
              lastLine(fetched.stderr)
            }`,
          });
        }
      }
    } else {
      if (context.offline) {
        throw new DownloadFailedError(url, "offline mode and the git mirror is not in the cache");
      }
      emit(context.onEvent, { type: "source.start", name: entry.name, url, protocol: "git" });
      await cloneMirror(url, mirror, transports, signal);
      fromCache = false;
    }
    await assertRefExists(source, mirror, signal);
    emit(context.onEvent, { type: "source.verified", name: entry.name, algorithms: [] });
    return { source, name: entry.name, kind: "git", path: mirror, fromCache };
  }, { signal, onWait, label: entry.name });
}

function opt(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

function lastLine(text: string): string {
  return text.split("\n").filter((l) => l.trim() !== "").at(-1) ?? "unknown error";
}

/** Whether `mirror` is a git mirror of `url`; a mirror of another URL is removed (with a warning). */
async function isMirrorOf(mirror: string, url: string, context: DownloadContext): Promise<boolean> {
  try {
    await Deno.stat(join(mirror, "HEAD"));
  } catch {
    await removeIfExists(mirror, true);
    return false;
  }
  const origin = await runGit(["config", "--get", "remote.origin.url"], {
    cwd: mirror,
    ...opt(context.signal),
  });
  if (origin.ok && origin.stdout.trim() === url) return true;
  emit(context.onEvent, {
    type: "source.warning",
    name: mirror,
    message: `${mirror} is not a clone of ${url}; cloning it again`,
  });
  await removeIfExists(mirror, true);
  return false;
}

/** `git clone --mirror` into a temporary directory, renamed into place when complete. */
async function cloneMirror(
  url: string,
  mirror: string,
  transports: string,
  signal?: AbortSignal,
): Promise<void> {
  await Deno.mkdir(dirname(mirror), { recursive: true });
  const temp = `${mirror}.part`;
  await removeIfExists(temp, true);
  try {
    const cloned = await runGit(["clone", "--mirror", "--", url, temp], {
      allowProtocols: transports,
      ...opt(signal),
    });
    if (!cloned.ok) throw new DownloadFailedError(url, lastLine(cloned.stderr));
    await Deno.rename(temp, mirror);
  } finally {
    await removeIfExists(temp, true);
  }
}

/** Fails early when the fragment names a branch, tag or commit the mirror does not have. */
async function assertRefExists(
  source: PlannedSource,
  mirror: string,
  signal?: AbortSignal,
): Promise<void> {
  const ref = source.entry.ref;
  if (!ref) return;
  const spec = ref.kind === "branch"
    ? `refs/heads/${ref.value}`
    : ref.kind === "tag"
    ? `refs/tags/${ref.value}`
    : `${ref.value}^{commit}`;
  const found = await runGit(["rev-parse", "--verify", "--quiet", spec], {
    cwd: mirror,
    ...opt(signal),
  });
  if (!found.ok) {
    throw new SourceInvalidError(
      source.entry.raw,
      `${ref.kind} ${ref.value} does not exist in ${source.entry.location}`,
    );
  }
}

/** makepkg's `extract_git`: clone from the mirror into srcdir and check out the ref. */
export async function prepareGit(fetched: FetchedSource, context: PrepareContext): Promise<void> {
  const { entry } = fetched.source;
  const signal = context.signal;
  const dir = join(context.srcdir, fetched.name);
  emit(context.onEvent, { type: "source.extract", name: fetched.name, format: "git", tool: "git" });
  let updating = false;
  const fail = (what: string, stderr: string) =>
    new ExtractFailedError(fetched.name, `${what}: ${lastLine(stderr)}`);
  try {
    await Deno.stat(dir);
    updating = true;
    const fetchedDir = await runGit(["fetch"], { cwd: dir, ...opt(signal) });
    if (!fetchedDir.ok) throw fail("failure while updating the working copy", fetchedDir.stderr);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    const cloned = await runGit(["clone", "-s", "--", fetched.path, dir], opt(signal));
    if (!cloned.ok) throw fail("failure while creating the working copy", cloned.stderr);
  }
  let ref = "origin/HEAD";
  if (entry.ref) ref = entry.ref.kind === "branch" ? `origin/${entry.ref.value}` : entry.ref.value;
  if (entry.ref?.kind === "tag") {
    const tag = await runGit(["tag", "-l", "--format=%(tag)", ref], { cwd: dir, ...opt(signal) });
    const tagname = tag.stdout.trim();
    if (tagname !== "" && tagname !== ref) {
      throw new ExtractFailedError(fetched.name, `the git tag ${ref} has been forged`);
    }
  }
  if (ref !== "origin/HEAD" || updating) {
    const out = await runGit(["checkout", "--force", "--no-track", "-B", "makepkg", ref, "--"], {
      cwd: dir,
      ...opt(signal),
    });
    if (!out.ok) throw fail(`failure while checking out ${ref}`, out.stderr);
  }
}

/** The git protocol. */
export const gitProtocol: SourceProtocolHandler = {
  download: downloadGit,
  prepare: prepareGit,
};
