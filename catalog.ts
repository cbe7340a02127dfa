/**
 * Worker catalogs alone: the client of rbee's worker catalog HTTP API and
 * of a catalog directory behind one interface ({@link Catalog}), and a
 * server that serves a catalog directory with that API (what `catalog
 * serve` runs), for a cluster without a hive or for tests.
 *
 * The clients throw {@link CatalogUnreachableError},
 * {@link CatalogBadAnswerError} and {@link WorkerNotFoundError}.
 *
 * @example Serve a catalog directory and read it over HTTP
 * ```ts
 * import { openCatalog, serveCatalog } from "@rbee/worker-provisioner/catalog";
 *
 * await using server = serveCatalog({ dir: "./fixtures/demo", port: 0 });
 * const catalog = openCatalog(server.url);
 * for (const entry of await catalog.list()) console.log(entry.id, entry.version);
 * const recipe = await catalog.recipe("demo-hello");
 * console.log(recipe.split("\n").find((line) => line.startsWith("pkgname=")));
 * ```
 *
 * @module
 */

export {
  type Catalog,
  CATALOG_URL_PLACEHOLDER,
  type CatalogCallOptions,
  type CatalogHealth,
  type CatalogOptions,
  DEFAULT_CATALOG_URL,
  DirectoryCatalog,
  HttpCatalog,
  openCatalog,
} from "./src/provision/catalog/client.ts";
export { type CatalogEntry, type CatalogSource } from "./src/provision/catalog/entry.ts";
export {
  type CatalogServer,
  serveCatalog,
  type ServeCatalogOptions,
} from "./src/provision/catalog/server.ts";
export {
  CatalogBadAnswerError,
  CatalogDirError,
  CatalogUnreachableError,
  PortInUseError,
  WorkerNotFoundError,
} from "./src/provision/errors.ts";
export {
  ExitCode,
  type ExitCodeValue,
  ProvisionerError,
  type ProvisionerErrorOptions,
} from "./src/errors.ts";
