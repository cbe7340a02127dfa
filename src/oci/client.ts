/**
 * The registry HTTP client: requests against `/v2/` with authentication
 * handled once per challenge (anonymous first; on 401, basic or a bearer
 * token for the request's scope, then the request again) and status codes
 * mapped to typed errors.
 *
 * @module
 */

import {
  basicAuthorization,
  type Challenge,
  type Credentials,
  fetchBearerToken,
  parseChallenge,
} from "./auth.ts";
import { OciAuthError, OciNotFoundError, OciRegistryError } from "./errors.ts";
import type { OciReference } from "./reference.ts";

/** Options of {@link RegistryClient}. */
export interface RegistryClientOptions {
  /** Credentials for this registry. @default anonymous */
  readonly credentials?: Credentials;
  /** Cancels every request. */
  readonly signal?: AbortSignal;
}

/** A request to the registry. */
export interface RegistryRequest {
  /** HTTP method. @default "GET" */
  readonly method?: string;
  /** Path under the registry (`/v2/...`) or an absolute URL (upload locations). */
  readonly path: string;
  /** Request headers. @default {} */
  readonly headers?: Readonly<Record<string, string>>;
  /** Request body (bytes, or a stream for uploads). */
  readonly body?: BodyInit;
  /** The token scope: `pull` or `push,pull` on the repository. @default "pull" */
  readonly access?: "pull" | "push,pull";
  /** Statuses returned to the caller instead of thrown. @default 2xx */
  readonly accept?: readonly number[];
}

/** Speaks to one registry about one repository. */
export class RegistryClient {
  readonly ref: OciReference;
  readonly #o: RegistryClientOptions;
  readonly #authorization = new Map<string, string>();
  #challenge?: Challenge;

  /** Creates a client for `ref`'s registry and repository. */
  constructor(ref: OciReference, options: RegistryClientOptions = {}) {
    this.ref = ref;
    this.#o = options;
  }

  /** The registry's base URL. */
  get base(): string {
    return `${this.ref.scheme}//${this.ref.registry}`;
  }

  /** `/v2/<repository>/<rest>`. */
  repoPath(rest: string): string {
    return `/v2/${this.ref.repository}/${rest}`;
  }

  /** The Authorization header for `access`, or none yet. */
  authorizationFor(access: string): string | undefined {
    return this.#authorization.get(access);
  }

  /** Sends a request, answering one auth challenge; throws on statuses not accepted. */
  async request(req: RegistryRequest): Promise<Response> {
    const access = req.access ?? "pull";
    const url = /^https?:\/\//.test(req.path) ? req.path : `${this.base}${req.path}`;
    for (let attempt = 0;; attempt++) {
      const auth = this.#authorization.get(access);
      let res: Response;
      try {
        res = await fetch(url, {
          method: req.method ?? "GET",
          headers: { ...req.headers, ...(auth ? { Authorization: auth } : {}) },
          ...(req.body !== undefined ? { body: req.body } : {}),
          redirect: "follow",
          ...(this.#o.signal ? { signal: this.#o.signal } : {}),
        });
      } catch (error) {
        if (this.#o.signal?.aborted) throw error;
        throw new OciRegistryError(
          `Registry ${this.ref.registry} could not be reached: ${(error as Error).message}`,
          { cause: error },
        );
      }
      if (res.status === 401 && attempt === 0 && await this.#answer(res, access)) continue;
      if (res.ok || req.accept?.includes(res.status)) return res;
      const text = await res.text().catch(() => "");
      if (res.status === 401 || res.status === 403) {
        throw new OciAuthError(
          this.ref.registry,
          `HTTP ${res.status} for ${req.method ?? "GET"} ${new URL(url).pathname}`,
        );
      }
      if (res.status === 404) {
        throw new OciNotFoundError(`${new URL(url).pathname} on ${this.ref.registry}`);
      }
      throw new OciRegistryError(
        `Registry ${this.ref.registry} answered HTTP ${res.status} to ${req.method ?? "GET"} ${
          new URL(url).pathname
        }: ${text.slice(0, 200)}`,
      );
    }
  }

  /** Handles a 401: stores the Authorization to send; false when there is nothing to try. */
  async #answer(res: Response, access: string): Promise<boolean> {
    await res.body?.cancel();
    const fresh = parseChallenge(res.headers.get("www-authenticate") ?? "");
    const challenge = fresh ?? this.#challenge;
    if (!challenge) return false;
    this.#challenge = challenge;
    const creds = this.#o.credentials;
    if (challenge.scheme === "basic") {
      if (!creds) throw new OciAuthError(this.ref.registry, "it asks for a user name and password");
      this.#authorization.set(access, basicAuthorization(creds));
      return true;
    }
    if (challenge.scheme === "bearer") {
      const scope = fresh?.params.scope ?? `repository:${this.ref.repository}:${access}`;
      const token = await fetchBearerToken(
        challenge,
        scope,
        creds,
        this.ref.registry,
        this.#o.signal,
      );
      this.#authorization.set(access, `Bearer ${token}`);
      return true;
    }
    return false;
  }
}
