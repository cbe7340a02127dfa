/**
 * The catalog as the commands use it: the permission to reach it and the
 * library's catalog client.
 *
 * @module
 */

import type { CatalogLocation, CliConfig } from "../config.ts";
import { provisionModule, requireExport } from "../library.ts";
import type { PermissionNeed } from "../permissions.ts";

/** The subset of the library's catalog client the CLI calls. */
export interface CliCatalog {
  /** The URL or directory, for messages. */
  readonly location: string;
  /** Every entry. */
  list(options?: { signal?: AbortSignal }): Promise<Record<string, unknown>[]>;
  /** One entry. */
  get(id: string, options?: { signal?: AbortSignal }): Promise<Record<string, unknown>>;
  /** The recipe text. */
  recipe(id: string, options?: { signal?: AbortSignal }): Promise<string>;
}

/** `host:port` of an http(s) URL, with the scheme's default port filled in. */
export function hostPort(url: string): string {
  const u = new URL(url);
  const port = u.port || (u.protocol === "https:" ? "443" : "80");
  return `${u.hostname.replace(/^\[|\]$/g, "")}:${port}`;
}

/** The permission to reach `catalog`: net to its host, or read of its directory. */
export function catalogNeeds(catalog: CatalogLocation | undefined): PermissionNeed[] {
  if (!catalog) return [];
  return catalog.kind === "url"
    ? [{ name: "net", host: hostPort(catalog.url) }]
    : [{ name: "read", path: catalog.dir }];
}

/** The location string the library's `openCatalog` takes. */
export function catalogString(catalog: CatalogLocation): string {
  return catalog.kind === "url" ? catalog.url : catalog.dir;
}

/** Opens the configured catalog with the library's client. */
export async function openConfiguredCatalog(
  config: CliConfig,
  command: string,
): Promise<CliCatalog> {
  const open = requireExport<(location: string) => CliCatalog>(
    await provisionModule(),
    "openCatalog",
    command,
  );
  return open(catalogString(config.catalog!));
}
