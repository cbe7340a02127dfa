/**
 * `keys import FILE | list | remove FPR | trust FPR | untrust FPR`: the
 * provisioner's OpenPGP keyring (`STATE/keys/`), which source signatures are
 * checked against (with the recipe's `validpgpkeys`), and the keys trusted
 * to sign worker packages (`STATE/trust.json`; `--for-catalog URL` pins a
 * key to one catalog).
 *
 * @module
 */

import { resolve } from "node:path";
import { stringOption } from "../args.ts";
import type { CommandContext, CommandOutput } from "../context.ts";
import { UsageError } from "../errors.ts";
import { type PermissionNeed, readNeed, readWriteNeeds } from "../permissions.ts";

const ACTIONS = ["import", "list", "remove", "trust", "untrust"] as const;
type Action = typeof ACTIONS[number];

function action(ctx: CommandContext): Action {
  const verb = ctx.args.positionals[0] as Action;
  if (!ACTIONS.includes(verb)) {
    throw new UsageError(`Unknown keys action ${verb}`, {
      hint:
        "use `keys import FILE`, `keys list`, `keys remove FPR`, `keys trust FPR` or `keys untrust FPR`",
    });
  }
  const needsArg = verb !== "list";
  if (needsArg !== (ctx.args.positionals.length === 2)) {
    throw new UsageError(
      needsArg ? `keys ${verb} needs one argument` : "keys list takes no argument",
      { hint: "see `worker-provisioner keys --help`" },
    );
  }
  return verb;
}

/** Reading the state directory (writing it to change the keyring), and reading the key file. */
export function permissions(ctx: CommandContext): PermissionNeed[] {
  const state = ctx.config.stateDir!;
  const verb = action(ctx);
  if (verb === "list") return [readNeed(state)];
  const needs = readWriteNeeds(state);
  if (verb === "import") needs.push(readNeed(resolve(ctx.cwd, ctx.args.positionals[1])));
  return needs;
}

/** One line per key: fingerprint, state, user ids; trusted keys marked. */
function keyLines(
  keys: readonly {
    fingerprint: string;
    userIds: readonly string[];
    revoked: boolean;
    expires: string | null;
  }[],
  trusted: (fpr: string) => string,
): string {
  const now = new Date().toISOString();
  return keys.map((k) => {
    const state = k.revoked ? " [revoked]" : k.expires && k.expires < now ? " [expired]" : "";
    return `${k.fingerprint}${state}${trusted(k.fingerprint)}  ${k.userIds.join(", ")}\n`;
  }).join("");
}

/** Runs the action. */
export async function run(ctx: CommandContext): Promise<CommandOutput> {
  const sig = await import("../../signature/mod.ts");
  const state = ctx.config.stateDir!;
  const dir = sig.keyringDir(state);
  const verb = action(ctx);
  const arg = ctx.args.positionals[1];
  const catalog = stringOption(ctx.args, "for-catalog");
  const config = await sig.readTrustConfig(state);
  const trustedMark = (fpr: string) => {
    const pins = Object.entries(config.catalogs).filter(([, v]) => v.includes(fpr)).map(([k]) => k);
    if (config.keys.includes(fpr)) return " [trusted]";
    return pins.length ? ` [trusted for ${pins.join(", ")}]` : "";
  };
  if (verb === "list") {
    const keys = await sig.listKeys(dir);
    if (!keys.length) ctx.renderer.info(`no keys in ${dir}`);
    return { value: { dir, keys, trust: config }, text: keyLines(keys, trustedMark) };
  }
  if (verb === "import") {
    const file = resolve(ctx.cwd, arg);
    const keys = await sig.importKeys(dir, await Deno.readFile(file), file);
    return { value: { dir, imported: keys }, text: keyLines(keys, trustedMark) };
  }
  if (verb === "remove") {
    const removed = await sig.removeKey(dir, arg);
    const next = sig.untrustKey(config, removed.fingerprint);
    if (next !== config) await sig.writeTrustConfig(state, next);
    return { value: { dir, removed }, text: `removed ${removed.fingerprint}\n` };
  }
  return await changeTrust(ctx, verb, arg, catalog);
}

async function changeTrust(
  ctx: CommandContext,
  verb: "trust" | "untrust",
  arg: string,
  catalog: string | undefined,
): Promise<CommandOutput> {
  const sig = await import("../../signature/mod.ts");
  const state = ctx.config.stateDir!;
  const fpr = sig.normalizeFingerprint(arg);
  if (!fpr) {
    throw new UsageError(`${arg} is not a full fingerprint`, {
      hint: "give the 40 hex digits `keys list` shows",
    });
  }
  const known = (await sig.listKeys(sig.keyringDir(state))).some((k) => k.fingerprint === fpr);
  if (verb === "trust" && !known) {
    throw new sig.KeyNotFoundError(fpr, "no such key in the keyring", {
      hint: "import it first with `worker-provisioner keys import FILE`",
    });
  }
  const config = await sig.readTrustConfig(state);
  const next = verb === "trust"
    ? sig.trustKey(config, fpr, catalog)
    : sig.untrustKey(config, fpr, catalog);
  await sig.writeTrustConfig(state, next);
  const where = catalog ? ` for ${sig.catalogKey(catalog)}` : "";
  return {
    value: { fingerprint: fpr, trust: next },
    text: `${verb === "trust" ? "trusted" : "no longer trusted"}${where}: ${fpr}\n`,
  };
}
