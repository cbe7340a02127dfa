/**
 * The registry of source protocols, like libmakepkg's `download_$proto` /
 * `extract_$proto` dispatch: each protocol name maps to one handler.
 *
 * @module
 */

import { fileProtocol, localProtocol } from "./file.ts";
import { gitProtocol } from "./git.ts";
import { httpProtocol } from "./http.ts";
import type { SourceProtocolHandler } from "./protocol.ts";

/** Handlers by protocol name (makepkg's `get_protocol`). */
export const PROTOCOLS: Readonly<Record<string, SourceProtocolHandler>> = {
  local: localProtocol,
  file: fileProtocol,
  http: httpProtocol,
  https: httpProtocol,
  git: gitProtocol,
};

/** Returns the handler of `protocol`; throws for one the planner should have refused. */
export function protocolHandler(protocol: string): SourceProtocolHandler {
  const handler = Object.hasOwn(PROTOCOLS, protocol) ? PROTOCOLS[protocol] : undefined;
  if (!handler) throw new Error(`no handler for source protocol ${protocol}`);
  return handler;
}
