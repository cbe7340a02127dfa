/**
 * `sign FILE --key KEY`: writes an OpenPGP detached signature of FILE
 * (binary, `FILE.sig`, pacman's format) made with the secret key in KEY, an
 * armored or binary export (`gpg --export-secret-keys`). Any file: a worker
 * package, a manifest.
 *
 * @module
 */

import { resolve } from "node:path";
import { stringOption } from "../args.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { UsageError } from "../errors.ts";
import { type PermissionNeed, readNeed } from "../permissions.ts";

function paths(ctx: CommandContext) {
  const file = resolve(ctx.cwd, ctx.args.positionals[0]);
  const key = stringOption(ctx.args, "key");
  if (!key) {
    throw new UsageError("sign needs --key KEY", {
      hint: "export a secret key with `gpg --export-secret-keys --armor FPR > key.asc`",
    });
  }
  const passphrase = stringOption(ctx.args, "passphrase-file");
  return {
    file,
    key: resolve(ctx.cwd, key),
    output: resolve(ctx.cwd, stringOption(ctx.args, "output") ?? `${file}.sig`),
    ...(passphrase ? { passphrase: resolve(ctx.cwd, passphrase) } : {}),
  };
}

/** Reading the file, the key (and passphrase file); writing the signature. */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  const p = paths(ctx);
  return [
    readNeed(p.file),
    readNeed(p.key),
    ...(p.passphrase ? [readNeed(p.passphrase)] : []),
    { name: "write", path: p.output },
  ];
}

/** Signs the file. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const sig = await import("../../signature/mod.ts");
  const p = paths(ctx);
  const passphrase = p.passphrase
    ? (await Deno.readTextFile(p.passphrase)).replace(/\r?\n$/, "")
    : undefined;
  const key = await sig.readSigningKey(await Deno.readFile(p.key), p.key, passphrase);
  const signature = await sig.signFile(p.file, key);
  await Deno.writeFile(p.output, signature);
  const fingerprint = key.getFingerprint().toUpperCase();
  return {
    value: { file: p.file, signature: p.output, fingerprint },
    text: `signed ${p.file} with ${fingerprint}: ${p.output}\n`,
  };
}
