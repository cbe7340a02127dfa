/**
 * Which variant of an implementation suits this machine: among the catalog
 * entries of one `implementation` that fit the platform, architecture and
 * hardware, cuda where an NVIDIA driver is present, metal on macOS, else
 * cpu. Pure apart from the probe.
 *
 * @module
 */

import type { CatalogEntry } from "../provision/catalog/entry.ts";
import { type HostTarget, incompatibility } from "../provision/compat.ts";
import { unmetHardware } from "./hardware.ts";
import type { SystemProbe } from "./system.ts";

/** Preference of worker types, best first. */
const PREFERENCE = ["cuda", "metal", "cpu"];

/** Why `entry` cannot run here (platform, architecture, hardware), or null when it can. */
export function entryProblem(
  entry: CatalogEntry,
  target: HostTarget,
  probe: SystemProbe,
): string | null {
  const incompatible = incompatibility({ ...entry, id: entry.id }, target);
  if (incompatible) return incompatible.message;
  const hardware = unmetHardware(entry.worker_type, probe);
  return hardware.length ? `it needs ${hardware.map((h) => h.what).join(" and ")}` : null;
}

/** The entries that can run here, best variant first. */
export function compatibleEntries(
  entries: readonly CatalogEntry[],
  target: HostTarget,
  probe: SystemProbe,
): CatalogEntry[] {
  const rank = (e: CatalogEntry) => {
    const i = PREFERENCE.indexOf(String(e.worker_type ?? "").toLowerCase());
    return i < 0 ? PREFERENCE.length : i;
  };
  return entries.filter((e) => entryProblem(e, target, probe) === null)
    .sort((a, b) => rank(a) - rank(b) || String(a.id).localeCompare(String(b.id)));
}

/** The best entry of `implementation` for this machine, or null when none can run here. */
export function bestVariant(
  entries: readonly CatalogEntry[],
  implementation: string,
  target: HostTarget,
  probe: SystemProbe,
): CatalogEntry | null {
  const own = entries.filter((e) => e.implementation === implementation || e.id === implementation);
  return compatibleEntries(own, target, probe)[0] ?? null;
}
