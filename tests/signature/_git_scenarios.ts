/**
 * `?signed` git sources for the signature tests: one repository with a
 * signed commit, a signed tag, an unsigned annotated tag, a lightweight tag,
 * a tag signed by a key outside `validpgpkeys` and an unsigned branch, made
 * with git and gnupg; one recipe per ref.
 */

import { join } from "node:path";
import type { Gpg } from "./_gpg.ts";
import type { Scenario } from "./_scenarios.ts";

async function git(cwd: string, gnupgHome: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", {
    args,
    cwd,
    env: {
      GNUPGHOME: gnupgHome,
      GIT_AUTHOR_NAME: "Good",
      GIT_AUTHOR_EMAIL: "good@example.org",
      GIT_COMMITTER_NAME: "Good",
      GIT_COMMITTER_EMAIL: "good@example.org",
      GIT_CONFIG_NOSYSTEM: "1",
      HOME: cwd,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** Makes the repository and one recipe per ref under `root`; `good` is in validpgpkeys, `other` not. */
export async function makeGitScenarios(
  root: string,
  gpg: Gpg,
  keys: { good: string; other: string },
): Promise<Scenario[]> {
  const repo = join(root, "signed-repo");
  await Deno.mkdir(repo, { recursive: true });
  const g = (...args: string[]) => git(repo, gpg.home, ...args);
  await g("init", "-q", "-b", "main");
  await Deno.writeTextFile(join(repo, "worker.sh"), "echo worker\n");
  await g("add", "worker.sh");
  await g("-c", `user.signingkey=${keys.good}`, "commit", "-q", "-S", "-m", "signed commit");
  await g("-c", `user.signingkey=${keys.good}`, "tag", "-s", "v1", "-m", "signed tag");
  await g("tag", "-a", "v2", "-m", "unsigned annotated tag");
  await g("tag", "v3");
  await g("-c", `user.signingkey=${keys.other}`, "tag", "-s", "v4", "-m", "tag by another key");
  await g("checkout", "-q", "-b", "unsigned");
  await Deno.writeTextFile(join(repo, "worker.sh"), "echo changed\n");
  await g("commit", "-q", "-a", "-m", "unsigned commit");
  await g("checkout", "-q", "main");
  const scenarios: Scenario[] = [];
  const add = async (name: string, fragment: string, ok: boolean, cause?: RegExp) => {
    const dir = join(root, name);
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(
      join(dir, "PKGBUILD"),
      [
        "pkgname=sigtest",
        "pkgver=1.0",
        "pkgrel=1",
        "arch=(any)",
        `source=('repo::git+file://${repo}?signed${fragment}')`,
        "sha256sums=('SKIP')",
        `validpgpkeys=('${keys.good}')`,
        "package() { :; }",
        "",
      ].join("\n"),
    );
    scenarios.push({ name, dir, ok, ...(cause ? { cause } : {}) });
  };
  await add("git-signed-tag", "#tag=v1", true);
  await add("git-signed-commit", "#commit=HEAD", true);
  await add("git-signed-branch-head", "", true);
  await add("git-unsigned-annotated-tag", "#tag=v2", false, /repo git repo: SIGNATURE NOT FOUND/);
  await add("git-lightweight-tag", "#tag=v3", false, /repo git repo: SIGNATURE NOT FOUND/);
  await add(
    "git-tag-by-other-key",
    "#tag=v4",
    false,
    new RegExp(`invalid public key ${keys.other}`),
  );
  await add("git-unsigned-branch", "#branch=unsigned", false, /repo git repo: SIGNATURE NOT FOUND/);
  return scenarios;
}
