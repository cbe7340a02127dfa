/**
 * `verify-signature FILE`: checks FILE against its detached signature
 * (`FILE.sig`, or `--signature SIG`) under the node's package policy: the
 * keys trusted in `STATE/trust.json` (or pinned for `--for-catalog URL`)
 * plus `--trusted-key FILE`; a signature is required with
 * `--require-signature`, and by default once a key is trusted
 * (`--allow-unsigned` lifts the default). Exits 0 when the file is accepted,
 * 5 when it is refused.
 *
 * @module
 */

import { resolve } from "node:path";
import { flag, stringOption } from "../args.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { type PermissionNeed, readNeed } from "../permissions.ts";

function paths(ctx: CommandContext) {
  const file = resolve(ctx.cwd, ctx.args.positionals[0]);
  const trusted = stringOption(ctx.args, "trusted-key");
  return {
    file,
    signature: resolve(ctx.cwd, stringOption(ctx.args, "signature") ?? `${file}.sig`),
    trustedKeyFiles: trusted ? trusted.split(",").map((f) => resolve(ctx.cwd, f)) : [],
  };
}

/** Reading the file, its signature, the key files and the state directory. */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  const p = paths(ctx);
  return [
    readNeed(p.file),
    readNeed(p.signature),
    ...p.trustedKeyFiles.map(readNeed),
    readNeed(ctx.config.stateDir!),
  ];
}

async function readOrUndefined(path: string): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Verifies the file. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const sig = await import("../../signature/mod.ts");
  const p = paths(ctx);
  const state = ctx.config.stateDir!;
  const extra = [];
  for (const f of p.trustedKeyFiles) extra.push(...await sig.parseKeys(await Deno.readFile(f), f));
  const catalog = stringOption(ctx.args, "for-catalog");
  const policy = sig.signaturePolicy(await sig.readTrustConfig(state), {
    ...(catalog ? { catalog } : {}),
    extraKeys: extra.map((k) => k.getFingerprint().toUpperCase()),
    requireSignature: flag(ctx.args, "require-signature"),
    allowUnsigned: flag(ctx.args, "allow-unsigned"),
  });
  const keyring = [...await sig.loadKeyring(sig.keyringDir(state)), ...extra];
  const trustedKeys = keyring.filter((k) =>
    policy.trusted.includes(k.getFingerprint().toUpperCase())
  );
  const signature = await readOrUndefined(p.signature);
  const result = signature
    ? await sig.verifyFileSignature(p.file, signature, trustedKeys)
    : undefined;
  const decision = sig.decideSignature(p.file, policy, result);
  if (!decision.accepted) throw decision.error;
  if (decision.warning) ctx.renderer.info(`warning: ${decision.warning}`);
  const text = decision.signer
    ? `${p.file}: good signature by ${decision.signer}${
      result?.verdict.userId ? ` (${result.verdict.userId})` : ""
    }\n`
    : `${p.file}: not signed; accepted because no signature is required\n`;
  return { value: { file: p.file, signer: decision.signer ?? null, policy }, text };
}
