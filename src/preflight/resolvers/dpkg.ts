/**
 * The dpkg resolver (Debian, Ubuntu): reads `/var/lib/dpkg/status` through
 * the probe (no process is started) and answers whether a package of the
 * recipe name's Debian names ({@link DEBIAN_NAMES}) is installed, or provided
 * by an installed package.
 *
 * @module
 */

import { debianNamesOf, dependencyName } from "../names.ts";
import { osFamily, readText, type SystemProbe } from "../system.ts";
import type { Resolver } from "./resolver.ts";

/** The installed package names and what they provide, from a dpkg status file. */
export function installedDebianPackages(status: string): Set<string> {
  const installed = new Set<string>();
  for (const stanza of status.split(/\n\s*\n/)) {
    const field = (name: string) => stanza.match(new RegExp(`^${name}: *(.*)$`, "m"))?.[1] ?? "";
    if (!/\binstall ok installed\b/.test(field("Status"))) continue;
    installed.add(field("Package").trim());
    for (const p of field("Provides").split(",")) {
      const name = p.replace(/\(.*\)/, "").trim();
      if (name) installed.add(name);
    }
  }
  return installed;
}

/** The dpkg resolver, or null when this is not a Debian-family system. */
export function dpkgResolver(probe: SystemProbe): Resolver | null {
  const family = osFamily(probe);
  if (!family.some((w) => w === "debian" || w === "ubuntu")) return null;
  const status = readText(probe, "/var/lib/dpkg/status");
  if (status === null) return null;
  const installed = installedDebianPackages(status);
  return {
    name: "dpkg",
    unmet(deps) {
      return Promise.resolve(
        deps.filter((d) => !debianNamesOf(dependencyName(d)).some((n) => installed.has(n))),
      );
    },
    howToInstall(dep) {
      return `apt-get install ${debianNamesOf(dependencyName(dep))[0]}`;
    },
  };
}
