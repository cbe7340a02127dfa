/**
 * Catalog clients: the rbee worker catalog HTTP API and a catalog directory,
 * behind one interface, {@link Catalog}.
 *
 * HTTP API (rbee's worker catalog):
 *
 * | request                    | answer                                              |
 * | -------------------------- | --------------------------------------------------- |
 * | `GET /health`              | `{"status":"ok","service":"worker-catalog",...}`    |
 * | `GET /workers`             | `{"workers":[entry, ...]}`                          |
 * | `GET /workers/:id`         | the entry, or 404 `{"error":"Worker not found"}`    |
 * | `GET /workers/:id/PKGBUILD`| the recipe as `text/plain`, or 404 `{"error":...}`  |
 *
 * Directory format (the same content on disk; {@link serveCatalog} serves it):
 *
 * ```
 * DIR/workers/<id>/worker.json   the entry
 * DIR/workers/<id>/PKGBUILD      the recipe (local sources may sit next to it)
 * DIR/files/...                  files recipes download (served at /files/...)
 * ```
 *
 * The literal text `{{CATALOG_URL}}` in entries and PKGBUILDs stands for the
 * catalog's base URL, so recipes can point at files the catalog hosts: the
 * server replaces it with its own URL (`http://127.0.0.1:8787`); the
 * directory client replaces it with the directory's `file://` URL, so a
 * directory catalog works offline without a server.
 *
 * @module
 */

import { requireWorkerId } from "../../boundary/worker_id.ts";
import { join, pathToFileURL, resolve } from "../../_path.ts";
import { closest } from "../../suggest.ts";
import { CancelledError } from "../../errors.ts";
import { CatalogBadAnswerError, CatalogUnreachableError, WorkerNotFoundError } from "../errors.ts";
import { type CatalogEntry, describe, validateEntry } from "./entry.ts";
import { DEFAULT_CATALOG_URL } from "./default_url.ts";

export { DEFAULT_CATALOG_URL };

/** The placeholder for the catalog's base URL in entries and PKGBUILDs. */
export const CATALOG_URL_PLACEHOLDER = "{{CATALOG_URL}}";

/** The answer of `GET /health`. */
export interface CatalogHealth {
  /** `ok` when healthy. */
  readonly status: string;
  /** The service name, e.g. `worker-catalog`. */
  readonly service?: string;
  /** The service's version. */
  readonly version?: string;
  /** Any other field. */
  readonly [field: string]: unknown;
}

/** Options of every catalog call. */
export interface CatalogCallOptions {
  /** Cancels the call. */
  readonly signal?: AbortSignal;
  /**
   * `recipe()` of an HTTP catalog: the entry's `pkgbuild_url`, read instead
   * of `/workers/:id/PKGBUILD` when it is an http(s) URL. @default none
   */
  readonly pkgbuildUrl?: string;
}

/** A worker catalog: HTTP or directory. */
export interface Catalog {
  /** The URL or directory this catalog reads, for messages. */
  readonly location: string;
  /** Every worker the catalog offers. */
  list(options?: CatalogCallOptions): Promise<CatalogEntry[]>;
  /** The entry of worker `id`; throws {@link WorkerNotFoundError} when unknown. */
  get(id: string, options?: CatalogCallOptions): Promise<CatalogEntry>;
  /** The PKGBUILD text of worker `id`; throws {@link WorkerNotFoundError} when there is none. */
  recipe(id: string, options?: CatalogCallOptions): Promise<string>;
  /** The catalog's health answer; throws when unreachable or unhealthy. */
  health(options?: CatalogCallOptions): Promise<CatalogHealth>;
  /** For a directory catalog, the directory holding worker `id`'s PKGBUILD (its local sources). */
  recipeDir?(id: string): string;
}

/** Options of {@link openCatalog}. */
export interface CatalogOptions {
  /** Timeout of one HTTP request, in ms. @default 15000 */
  readonly timeoutMs?: number;
  /** Largest JSON answer accepted, in bytes. @default 8 MiB */
  readonly maxJsonBytes?: number;
  /** Largest PKGBUILD accepted, in bytes. @default 1 MiB */
  readonly maxRecipeBytes?: number;
}

/**
 * Opens the catalog at `location`: an `http(s)://` URL, a `file://` URL or a
 * directory path.
 */
export function openCatalog(
  location: string = DEFAULT_CATALOG_URL,
  options: CatalogOptions = {},
): Catalog {
  if (/^https?:\/\//i.test(location)) return new HttpCatalog(location, options);
  if (/^file:\/\//i.test(location)) return new DirectoryCatalog(new URL(location).pathname);
  return new DirectoryCatalog(location);
}

/** A worker id asked of a catalog goes through the one boundary check before it is part of a URL or path. */
function checkId(id: string, _location: string): void {
  requireWorkerId(id, "command line");
}

/** A catalog served over HTTP with rbee's worker catalog API. */
export class HttpCatalog implements Catalog {
  /** The base URL, without a trailing slash. */
  readonly location: string;
  readonly #timeoutMs: number;
  readonly #maxJson: number;
  readonly #maxRecipe: number;

  /** Creates a client of the catalog at `baseUrl`. */
  constructor(baseUrl: string, options: CatalogOptions = {}) {
    this.location = baseUrl.replace(/\/+$/, "");
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#maxJson = options.maxJsonBytes ?? 8 << 20;
    this.#maxRecipe = options.maxRecipeBytes ?? 1 << 20;
  }

  /** {@inheritDoc Catalog.list} */
  async list(options: CatalogCallOptions = {}): Promise<CatalogEntry[]> {
    const url = `${this.location}/workers`;
    const body = await this.#json(url, options, null);
    const workers = (body as { workers?: unknown })?.workers;
    if (!Array.isArray(workers)) {
      throw new CatalogBadAnswerError(
        url,
        `expected {"workers":[...]}, got ${describe(body)} without a workers array`,
      );
    }
    return workers.map((w, i) => checked(w, `${url} (workers[${i}])`));
  }

  /** {@inheritDoc Catalog.get} */
  async get(id: string, options: CatalogCallOptions = {}): Promise<CatalogEntry> {
    checkId(id, this.location);
    const url = `${this.location}/workers/${encodeURIComponent(id)}`;
    const body = await this.#json(url, options, id).catch((error) =>
      guessing(this, error, options)
    );
    const entry = checked(body, url);
    if (entry.id !== id) {
      throw new CatalogBadAnswerError(url, `asked for ${id}, got entry ${entry.id}`);
    }
    return entry;
  }

  /** {@inheritDoc Catalog.recipe} */
  async recipe(id: string, options: CatalogCallOptions = {}): Promise<string> {
    checkId(id, this.location);
    const url = options.pkgbuildUrl && /^https?:\/\//i.test(options.pkgbuildUrl)
      ? options.pkgbuildUrl
      : `${this.location}/workers/${encodeURIComponent(id)}/PKGBUILD`;
    const { response, text } = await this.#request(
      url,
      options,
      this.#maxRecipe,
      id,
      "PKGBUILD of worker",
    );
    const type = response.headers.get("content-type") ?? "";
    if (/html/i.test(type) || /^\s*<(!doctype|html)/i.test(text)) {
      throw new CatalogBadAnswerError(url, "got an HTML page instead of a PKGBUILD");
    }
    return text;
  }

  /** {@inheritDoc Catalog.health} */
  async health(options: CatalogCallOptions = {}): Promise<CatalogHealth> {
    const url = `${this.location}/health`;
    const body = await this.#json(url, options, null) as CatalogHealth;
    if (typeof body !== "object" || body === null || typeof body.status !== "string") {
      throw new CatalogBadAnswerError(url, `expected {"status":...}, got ${describe(body)}`);
    }
    if (body.status !== "ok") {
      throw new CatalogBadAnswerError(url, `the catalog reports status ${body.status}`);
    }
    return body;
  }

  async #json(url: string, options: CatalogCallOptions, id: string | null): Promise<unknown> {
    const { response, text } = await this.#request(url, options, this.#maxJson, id, "Worker");
    const type = response.headers.get("content-type") ?? "";
    if (/html/i.test(type) || /^\s*</.test(text)) {
      throw new CatalogBadAnswerError(
        url,
        "got an HTML page instead of JSON (a web server, captive portal or proxy answered, not a worker catalog)",
      );
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new CatalogBadAnswerError(url, `invalid JSON (${(error as Error).message})`, {
        cause: error,
      });
    }
  }

  async #request(
    url: string,
    options: CatalogCallOptions,
    maxBytes: number,
    id: string | null,
    what: string,
  ): Promise<{ response: Response; text: string }> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      const response = await fetch(url, {
        signal,
        headers: { accept: "application/json, text/plain" },
      });
      const text = await readLimited(response, maxBytes, url);
      if (response.status === 404 && id !== null) {
        if (what !== "Worker" && !/worker not found/i.test(errorField(text) ?? "")) {
          throw new CatalogBadAnswerError(url, `HTTP 404: ${errorField(text) ?? "not found"}`, {
            status: 404,
            hint: `the catalog lists worker ${id} but cannot serve its recipe, a fault of the ` +
              "catalog: tell its operator, or install from a local recipe (`install ./DIR`)",
          });
        }
        throw new WorkerNotFoundError(id, this.location, what);
      }
      if (response.status >= 500) {
        const detail = errorField(text);
        throw new CatalogBadAnswerError(
          url,
          `the catalog failed with HTTP ${response.status}${detail ? `: ${detail}` : ""}`,
          {
            status: response.status,
            hint: "the catalog service had an error of its own: retry later, or check its logs",
          },
        );
      }
      if (!response.ok) {
        const detail = errorField(text);
        throw new CatalogBadAnswerError(
          url,
          `HTTP ${response.status} ${response.statusText}${detail ? `: ${detail}` : ""}`,
          { status: response.status },
        );
      }
      return { response, text };
    } catch (error) {
      if (options.signal?.aborted) {
        throw new CancelledError(`Catalog request ${url}`, { cause: error });
      }
      if (error instanceof CatalogBadAnswerError || error instanceof WorkerNotFoundError) {
        throw error;
      }
      if (timeout.aborted) {
        throw new CatalogUnreachableError(this.location, `no answer within ${this.#timeoutMs} ms`, {
          cause: error,
        });
      }
      throw new CatalogUnreachableError(this.location, (error as Error).message, { cause: error });
    }
  }
}

/**
 * Rethrows `error`; a {@link WorkerNotFoundError} gains "did you mean" with
 * the closest id the catalog lists (when listing works: otherwise as is).
 */
async function guessing(
  catalog: Catalog,
  error: unknown,
  options: CatalogCallOptions,
): Promise<never> {
  if (!(error instanceof WorkerNotFoundError)) throw error;
  const ids = await catalog.list(options).then((l) => l.map((e) => e.id), () => []);
  const guess = closest(error.id, ids);
  if (!guess) throw error;
  throw new WorkerNotFoundError(error.id, catalog.location, "Worker", {
    hint: `did you mean ${guess}? (list the available workers with \`search\`)`,
  });
}

/** Reads at most `maxBytes` of `response`'s body as text. */
async function readLimited(response: Response, maxBytes: number, url: string): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new CatalogBadAnswerError(
      url,
      `the answer is ${declared} bytes, more than the ${maxBytes} allowed`,
    );
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      throw new CatalogBadAnswerError(
        url,
        `the answer is larger than the ${maxBytes} bytes allowed`,
      );
    }
    chunks.push(chunk);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

function errorField(text: string): string | undefined {
  try {
    const e = JSON.parse(text)?.error;
    return typeof e === "string" ? e : undefined;
  } catch {
    return undefined;
  }
}

function checked(value: unknown, where: string): CatalogEntry {
  const entry = validateEntry(value);
  if (Array.isArray(entry)) {
    throw new CatalogBadAnswerError(where, `not a worker entry: ${entry.join("; ")}`);
  }
  return entry;
}

/** A catalog kept in a directory (format in the module doc). */
export class DirectoryCatalog implements Catalog {
  /** The catalog directory, absolute. */
  readonly location: string;
  /** What `{{CATALOG_URL}}` becomes: the directory's `file://` URL. */
  readonly baseUrl: string;

  /** Creates a client of the catalog directory `dir`. */
  constructor(dir: string) {
    this.location = resolve(dir);
    this.baseUrl = pathToFileURL(this.location).href.replace(/\/+$/, "");
  }

  /** {@inheritDoc Catalog.recipeDir} */
  recipeDir(id: string): string {
    return join(this.location, "workers", id);
  }

  /** {@inheritDoc Catalog.list} */
  async list(_options: CatalogCallOptions = {}): Promise<CatalogEntry[]> {
    await this.health();
    const ids: string[] = [];
    for await (const e of Deno.readDir(join(this.location, "workers"))) {
      if (e.isDirectory && !e.name.startsWith(".")) ids.push(e.name);
    }
    ids.sort();
    const entries: CatalogEntry[] = [];
    for (const id of ids) {
      const text = await readTextOrNull(join(this.recipeDir(id), "worker.json"));
      if (text !== null) entries.push(this.#parse(text, id));
    }
    return entries;
  }

  /** {@inheritDoc Catalog.get} */
  async get(id: string, _options: CatalogCallOptions = {}): Promise<CatalogEntry> {
    checkId(id, this.location);
    await this.health();
    const text = await readTextOrNull(join(this.recipeDir(id), "worker.json"));
    if (text === null) {
      return await guessing(this, new WorkerNotFoundError(id, this.location), _options);
    }
    const entry = this.#parse(text, id);
    if (entry.id !== id) {
      throw new CatalogBadAnswerError(
        join(this.recipeDir(id), "worker.json"),
        `its id is ${entry.id}, not ${id}`,
      );
    }
    return entry;
  }

  /** {@inheritDoc Catalog.recipe} */
  async recipe(id: string, _options: CatalogCallOptions = {}): Promise<string> {
    checkId(id, this.location);
    await this.health();
    const text = await readTextOrNull(join(this.recipeDir(id), "PKGBUILD"));
    if (text === null) throw new WorkerNotFoundError(id, this.location, "PKGBUILD of worker");
    return text.replaceAll(CATALOG_URL_PLACEHOLDER, this.baseUrl);
  }

  /** {@inheritDoc Catalog.health} */
  async health(_options: CatalogCallOptions = {}): Promise<CatalogHealth> {
    try {
      const info = await Deno.stat(join(this.location, "workers"));
      if (!info.isDirectory) throw new Error("workers is not a directory");
    } catch (error) {
      throw new CatalogUnreachableError(this.location, "it has no workers/ directory", {
        cause: error,
      });
    }
    return { status: "ok", service: "worker-catalog-directory" };
  }

  #parse(text: string, id: string): CatalogEntry {
    const where = join(this.recipeDir(id), "worker.json");
    let value: unknown;
    try {
      value = JSON.parse(text.replaceAll(CATALOG_URL_PLACEHOLDER, this.baseUrl));
    } catch (error) {
      throw new CatalogBadAnswerError(where, `invalid JSON (${(error as Error).message})`, {
        cause: error,
      });
    }
    return checked(value, where);
  }
}

async function readTextOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
