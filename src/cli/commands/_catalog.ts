/**
 * The catalog as the commands use it: the permission to reach it and the
 * library's catalog client.
 *
 * @module
 */

import { type Catalog, openCatalog } from "../../provision/catalog/client.ts";
import type { CatalogLocation, CliConfig } from "../config.ts";
import type { PermissionNeed } from "../permissions.ts";

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
export function openConfiguredCatalog(config: CliConfig): Catalog {
  return openCatalog(catalogString(config.catalog!));
}
