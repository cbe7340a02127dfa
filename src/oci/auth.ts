/**
 * Registry authentication: anonymous, HTTP basic, and the bearer-token
 * flow registries announce with `WWW-Authenticate: Bearer realm=...,
 * service=..., scope=...` (the token is fetched from the realm, with basic
 * credentials when there are any, and cached per scope). Credentials come
 * from the caller (`--registry-auth USER:PASSWORD`) or a Docker
 * `config.json` (`auths.<host>.auth`, base64 `user:password`).
 *
 * @module
 */

import { OciAuthError } from "./errors.ts";

/** A user name and password (or token) for one registry. */
export interface Credentials {
  /** User name. */
  readonly username: string;
  /** Password or access token. */
  readonly password: string;
}

/** Parses `USER:PASSWORD` (the password may contain `:`). */
export function parseCredentials(value: string): Credentials {
  const colon = value.indexOf(":");
  if (colon <= 0) throw new OciAuthError("(any)", "credentials must be written USER:PASSWORD");
  return { username: value.slice(0, colon), password: value.slice(colon + 1) };
}

/** The credentials a Docker `config.json` holds for `registry` (`host[:port]`), if any. */
export function credentialsFromDockerConfig(
  configText: string,
  registry: string,
): Credentials | undefined {
  let config: { auths?: Record<string, { auth?: string; username?: string; password?: string }> };
  try {
    config = JSON.parse(configText);
  } catch {
    return undefined;
  }
  const auths = config.auths ?? {};
  const keys = [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`];
  for (const key of keys) {
    const entry = auths[key];
    if (!entry) continue;
    if (entry.auth) {
      try {
        return parseCredentials(atob(entry.auth));
      } catch {
        return undefined;
      }
    }
    if (entry.username && entry.password) {
      return { username: entry.username, password: entry.password };
    }
  }
  return undefined;
}

/** One parsed `WWW-Authenticate` challenge. */
export interface Challenge {
  /** `basic` or `bearer` (lower case). */
  readonly scheme: string;
  /** Its parameters (`realm`, `service`, `scope`, ...). */
  readonly params: Readonly<Record<string, string>>;
}

/** Parses a `WWW-Authenticate` header value (one challenge). */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const p of m[2].matchAll(re)) params[p[1].toLowerCase()] = p[2] ?? p[3] ?? "";
  return { scheme: m[1].toLowerCase(), params };
}

/** The `Authorization` value for basic credentials. */
export function basicAuthorization(c: Credentials): string {
  const bytes = new TextEncoder().encode(`${c.username}:${c.password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/**
 * Fetches a bearer token for `scope` from `challenge`'s realm and service,
 * with basic credentials when given.
 */
export async function fetchBearerToken(
  challenge: Challenge,
  scope: string,
  credentials: Credentials | undefined,
  registry: string,
  signal?: AbortSignal,
): Promise<string> {
  const realm = challenge.params.realm;
  if (!realm) throw new OciAuthError(registry, "the bearer challenge names no realm");
  const url = new URL(realm);
  if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
  url.searchParams.set("scope", scope);
  const res = await fetch(url, {
    headers: credentials ? { Authorization: basicAuthorization(credentials) } : {},
    ...(signal ? { signal } : {}),
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new OciAuthError(registry, `the token service ${url.origin} answered HTTP ${res.status}`);
  }
  const body = await res.json().catch(() => ({})) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new OciAuthError(registry, "the token service sent no token");
  return token;
}
