/**
 * Names why `fetch` could not connect. Deno's fetch throws a TypeError
 * ("fetch failed") whose `cause` carries hyper's chain, e.g. `client error
 * (Connect): dns error: failed to lookup address information: Name or
 * service not known`, `tcp connect error: Connection refused (os error
 * 111)`, or a rustls message (`invalid peer certificate: ...`, `received
 * corrupt message ...`). The text is the only stable handle there is, so it
 * is matched here, in one place, and tested against real failures.
 *
 * @module
 */

/** Why a connection failed, with the system's words. */
export interface ConnectFailure {
  /** `dns`, `refused`, `tls`, or `other` (a reset, an unreachable network, ...). */
  readonly kind: "dns" | "refused" | "tls" | "other";
  /** The innermost useful message, without the request boilerplate. */
  readonly detail: string;
  /** Whether another attempt cannot help (a name that does not exist, a bad certificate). */
  readonly permanent: boolean;
}

/** Classifies an error thrown by `fetch` before response headers arrived. */
export function classifyConnectFailure(error: unknown): ConnectFailure {
  const text = chainText(error);
  const detail = innermost(text);
  if (
    /dns error|failed to lookup address|Name or service not known|No address associated/i.test(text)
  ) {
    // EAI_AGAIN ("Temporary failure in name resolution") may pass; NXDOMAIN will not.
    const permanent = !/Temporary failure|try again/i.test(text);
    return { kind: "dns", detail, permanent };
  }
  if (/Connection refused|os error 111\b/i.test(text)) {
    return { kind: "refused", detail, permanent: false };
  }
  if (/invalid peer certificate|certificate|tls|handshake|corrupt message|alert/i.test(text)) {
    return { kind: "tls", detail, permanent: /certificate/i.test(text) };
  }
  return { kind: "other", detail, permanent: false };
}

/** The messages of `error` and its causes, joined. */
function chainText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(": ");
}

/** The part after the last `client error (Connect): ` (or the whole text). */
function innermost(text: string): string {
  const marker = /client error \(Connect\): /g;
  let start = 0;
  for (let m = marker.exec(text); m; m = marker.exec(text)) start = m.index + m[0].length;
  return text.slice(start).trim() || text;
}
