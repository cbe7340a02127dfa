/**
 * Staged system roots for preflight tests: an os-release, a dpkg status
 * file, a pacman database, executables, an NVIDIA driver.
 *
 * @module
 */

import { dirname, join } from "node:path";

/** Writes `text` at `root/path` (creating parents), with `mode`. */
export async function stage(root: string, path: string, text = "", mode = 0o644): Promise<void> {
  const full = join(root, path);
  await Deno.mkdir(dirname(full), { recursive: true });
  await Deno.writeTextFile(full, text);
  await Deno.chmod(full, mode);
}

/** A Debian root whose dpkg status lists `packages` as installed (and one half-removed package). */
export async function stageDebian(root: string, packages: readonly string[]): Promise<void> {
  await stage(root, "etc/os-release", 'PRETTY_NAME="Debian GNU/Linux 12"\nID=debian\n');
  const stanzas = packages.map((p) => `Package: ${p}\nStatus: install ok installed\nVersion: 1\n`);
  stanzas.push("Package: cmake\nStatus: deinstall ok config-files\nVersion: 1\n");
  stanzas.push("Package: gcc-12\nStatus: install ok installed\nProvides: c-compiler (= 12)\n");
  await stage(root, "var/lib/dpkg/status", stanzas.join("\n"));
}

/** An Arch root whose pacman database holds `packages` (`name-version-rel`). */
export async function stageArch(root: string, packages: readonly string[]): Promise<void> {
  await stage(root, "etc/os-release", 'NAME="Arch Linux"\nID=arch\n');
  await stage(root, "var/lib/pacman/local/ALPM_DB_VERSION", "9\n");
  for (const p of packages) {
    const [name, version, rel] = p.split(/-(?=[^-]+-[^-]+$)|-(?=[^-]+$)/);
    await stage(
      root,
      `var/lib/pacman/local/${p}/desc`,
      `%NAME%\n${name}\n\n%VERSION%\n${version}-${rel}\n\n`,
    );
  }
}

/** An NVIDIA driver as the kernel module shows it. */
export function stageNvidiaDriver(root: string): Promise<void> {
  return stage(
    root,
    "proc/driver/nvidia/version",
    "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14\n",
  );
}
