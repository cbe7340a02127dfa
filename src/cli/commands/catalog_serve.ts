/**
 * `catalog serve --dir DIR [--port N] [--hostname HOST]`: serves a catalog
 * directory over HTTP until Ctrl-C.
 *
 * @module
 */

import { resolve } from "node:path";
import { UsageError } from "../errors.ts";
import { stringOption } from "../args.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { serveCatalog } from "../../provision/catalog/server.ts";
import type { PermissionNeed } from "../permissions.ts";

function settings(ctx: CommandContext): { dir: string; port: number; hostname: string } {
  const portText = stringOption(ctx.args, "port") ?? "8787";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new UsageError(`Invalid port ${portText}`, { hint: "give a number from 0 to 65535" });
  }
  return {
    dir: resolve(ctx.cwd, stringOption(ctx.args, "dir") ?? "."),
    port,
    hostname: stringOption(ctx.args, "hostname") ?? "127.0.0.1",
  };
}

/** Reading the directory and listening on the address. */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  const { dir, port, hostname } = settings(ctx);
  return [
    { name: "read", path: dir },
    { name: "net", host: port === 0 ? hostname : `${hostname}:${port}` },
  ];
}

/** Ctrl-C is how a server stops. */
export const endsOnInterrupt = true;

/** Serves until Ctrl-C. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const { dir, port, hostname } = settings(ctx);
  const server = serveCatalog({
    dir,
    port,
    hostname,
    signal: ctx.signal,
    onRequest: (request, status) =>
      ctx.renderer.event({
        type: "catalog.request",
        method: request.method,
        url: request.url,
        status,
      }),
  });
  ctx.renderer.event({ type: "catalog.listening", url: server.url, dir });
  ctx.renderer.info(`serving ${dir} at ${server.url} (Ctrl-C to stop)`);
  await server.finished;
  return { value: { url: server.url, dir }, text: `stopped serving ${dir}\n` };
}
