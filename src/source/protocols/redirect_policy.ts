/**
 * Which redirects a download follows: from http(s) to http(s) only, and
 * never from https down to http. A server (or anyone on the path of a plain
 * http request) could otherwise point the provisioner, running as root
 * outside any sandbox, at `file:///etc/shadow`, an `ftp://` or `data:` URL,
 * or strip TLS from the rest of the chain. The first URL's scheme decides:
 * once a chain has been https, it stays https.
 *
 * @module
 */

import { RedirectRefusedError } from "../errors.ts";

const WEB_SCHEMES = new Set(["http:", "https:"]);

/**
 * The URL a redirect from `current` to `location` leads to, when allowed;
 * throws {@link RedirectRefusedError} naming `requested` (the source's URL)
 * and the target otherwise.
 */
export function checkRedirect(requested: string, current: URL, location: string): URL {
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    throw new RedirectRefusedError(requested, location, "the location is not a valid URL");
  }
  if (!WEB_SCHEMES.has(next.protocol)) {
    throw new RedirectRefusedError(
      requested,
      next.href,
      `${next.protocol.slice(0, -1)} is not http or https`,
    );
  }
  if (current.protocol === "https:" && next.protocol === "http:") {
    throw new RedirectRefusedError(requested, next.href, "a downgrade from https to http");
  }
  if (next.username !== "" || next.password !== "") {
    throw new RedirectRefusedError(requested, redact(next), "the location carries credentials");
  }
  return next;
}

function redact(url: URL): string {
  const copy = new URL(url.href);
  copy.username = "";
  copy.password = "";
  return copy.href;
}
