/**
 * The world of an end-to-end test: a test catalog served on 127.0.0.1, an
 * empty temp root and a cache outside it.
 *
 * @module
 */

import { join } from "node:path";
import { WorkerProvisioner, type WorkerProvisionerOptions } from "../../mod.ts";
import { type CatalogServer, serveCatalog } from "../../src/provision/catalog/server.ts";
import { makeTestCatalog } from "./_catalog.ts";
import { withTempDir } from "./_helpers.ts";

/** What a test gets. */
export interface World {
  readonly dir: string;
  readonly catalogDir: string;
  readonly root: string;
  readonly cacheDir: string;
  readonly server: CatalogServer;
  provisioner(options?: WorkerProvisionerOptions): WorkerProvisioner;
}

/** A catalog served on 127.0.0.1, an empty temp root and a cache outside it. */
export async function withWorld(fn: (w: World) => Promise<void>): Promise<void> {
  await withTempDir(async (dir) => {
    const catalogDir = join(dir, "catalog");
    await makeTestCatalog(catalogDir, join(dir, "git/src-worker"));
    const root = join(dir, "root");
    await Deno.mkdir(root);
    const cacheDir = join(dir, "cache");
    await using server = serveCatalog({ dir: catalogDir, port: 0 });
    await fn({
      dir,
      catalogDir,
      root,
      cacheDir,
      server,
      provisioner: (options = {}) =>
        new WorkerProvisioner({
          catalog: server.url,
          root,
          cacheDir,
          fetchOptions: { retries: 0 },
          ...options,
        }),
    });
  });
}
