/**
 * makepkg's verdict on a recipe's source signatures: `makepkg
 * --verifysource` on a copy of the recipe, as the unprivileged user
 * `builder` (makepkg refuses root), with `GNUPGHOME` a keyring holding the
 * given public keys, and the neutral config of `tests/oracle/makepkg.conf`.
 * Like `tests/oracle/makepkg-oracle`, it needs root and Debian's makepkg.
 */

import { join } from "node:path";

/** makepkg's exit status and its output. */
export interface MakepkgVerdict {
  /** Whether makepkg exited 0. */
  readonly ok: boolean;
  /** Its exit code. */
  readonly code: number;
  /** stdout and stderr together. */
  readonly log: string;
}

const CONF = new URL("../oracle/makepkg.conf", import.meta.url).pathname;

/** Whether makepkg can run here (root, makepkg and runuser present). */
export function makepkgAvailable(): boolean {
  if (Deno.uid() !== 0) return false;
  try {
    return ["makepkg", "runuser", "gpg"].every((tool) =>
      new Deno.Command("sh", { args: ["-c", `command -v ${tool}`] }).outputSync().success
    );
  } catch {
    return false;
  }
}

async function sh(script: string, env: Record<string, string> = {}): Promise<MakepkgVerdict> {
  const out = await new Deno.Command("bash", {
    args: ["-c", script],
    env: { LC_ALL: "C", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const log = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { ok: out.success, code: out.code, log };
}

/** A GNUPGHOME owned by `builder` holding `keys`, under `dir`. */
export async function builderKeyring(dir: string, keys: Uint8Array): Promise<string> {
  const home = join(dir, "makepkg-gnupg");
  await Deno.mkdir(home, { recursive: true, mode: 0o700 });
  await Deno.writeFile(join(dir, "makepkg-keys.asc"), keys);
  const made = await sh(
    `# another test file may be adding the user at the same moment (passwd lock): retry
     for i in $(seq 50); do id builder >/dev/null 2>&1 && break; useradd -m builder 2>/dev/null || sleep 0.2; done
     chown builder: "$H" "$K" && chmod 755 "$D"
     runuser -u builder -- gpg --batch --homedir "$H" --import "$K"`,
    { H: home, K: join(dir, "makepkg-keys.asc"), D: dir },
  );
  if (!made.ok) throw new Error(`cannot make makepkg's keyring: ${made.log}`);
  return home;
}

/** Runs `makepkg --verifysource` on a copy of the recipe in `recipeDir`. */
export async function makepkgVerifySource(
  recipeDir: string,
  gnupgHome: string,
): Promise<MakepkgVerdict> {
  return await sh(
    `work=$(mktemp -d /tmp/wp-sig-makepkg.XXXXXX); chmod 755 "$work"
     cp -a "$R/." "$work/recipe/" 2>/dev/null || { mkdir -p "$work/recipe"; cp -a "$R/." "$work/recipe/"; }
     printf '[safe]\n\tdirectory = *\n' > "$work/gitconfig"   # the test repositories are root's
     chown -R builder: "$work"
     runuser -u builder -- env -C "$work/recipe" GNUPGHOME="$G" PACMAN=true \
       GIT_CONFIG_GLOBAL="$work/gitconfig"  BUILDDIR="$work/build" \
       SRCDEST="$work/srcdest" makepkg --config "$C" --verifysource 2>&1
     rc=$?; rm -rf "$work"; exit $rc`,
    { R: recipeDir, G: gnupgHome, C: CONF },
  );
}
