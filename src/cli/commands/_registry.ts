/**
 * Registry settings of the CLI: credentials from `--registry-auth
 * USER:PASSWORD` > `WORKER_PROVISIONER_REGISTRY_AUTH` > a Docker
 * `config.json` (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`),
 * and `--insecure-registry HOST[:PORT][,...]` for plain http beyond loopback.
 * Environment variables are read only when permitted.
 *
 * @module
 */

import { join, resolve } from "node:path";
import type { RegistryOptions } from "../../oci/package.ts";
import { credentialsFromDockerConfig, parseCredentials } from "../../oci/auth.ts";
import { stringOption } from "../args.ts";
import type { CommandContext } from "../context.ts";
import { envIfGranted, type PermissionNeed } from "../permissions.ts";

/** Whether `arg` is a URL (`https://...`, `oci://...`) rather than a path or an id. */
export function isUrl(arg: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(arg);
}

/** `host:port` of a URL (the default port spelled out), for `--allow-net`. */
export function hostOfUrl(url: string): string {
  const u = new URL(url.replace(/^oci:/, "http:"));
  const port = u.port || (u.protocol === "https:" ? "443" : "80");
  return `${u.hostname}:${port}`;
}

/** A `--binary-cache` value: URLs as they are, a directory resolved against the working directory. */
export function resolveCacheSpec(spec: string, cwd: string): string {
  return isUrl(spec) ? spec : resolve(cwd, spec);
}

/** Looking into a binary cache: its host or directory, and git for `ls-remote` of git sources. */
export function cacheNeeds(spec: string, cwd: string): PermissionNeed[] {
  const where: PermissionNeed = isUrl(spec)
    ? { name: "net", host: hostOfUrl(spec) }
    : { name: "read", path: resolve(cwd, spec) };
  return [where, { name: "run", command: "git" }];
}

/** A file's text, or undefined when it is absent or unreadable. */
function readIfPresent(path: string): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") return undefined;
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

/** The registry options of a command line. */
export function registryOptions(ctx: CommandContext): RegistryOptions {
  const auth = stringOption(ctx.args, "registry-auth") ??
    envIfGranted("WORKER_PROVISIONER_REGISTRY_AUTH");
  const fixed = auth ? parseCredentials(auth) : undefined;
  const dockerDir = envIfGranted("DOCKER_CONFIG") ??
    ((home) => home ? join(home, ".docker") : undefined)(envIfGranted("HOME"));
  const dockerConfig = dockerDir ? readIfPresent(join(dockerDir, "config.json")) : undefined;
  const insecure = (stringOption(ctx.args, "insecure-registry") ?? "").split(",").filter((h) =>
    h !== ""
  );
  return {
    insecure,
    credentials: (registry) =>
      fixed ?? (dockerConfig ? credentialsFromDockerConfig(dockerConfig, registry) : undefined),
  };
}
