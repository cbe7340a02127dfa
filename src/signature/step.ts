/**
 * The signature step of `fetchSources`, loaded only when a plan has a
 * signature source: reads the keyring, runs {@link checkSourceSignatures},
 * reports each pass (`source.verified` with algorithm `pgp`) and warning
 * (`source.warning`), and returns the fetched sources with their signer.
 *
 * @module
 */

import type { EventSink } from "../events.ts";
import { emit, type SourceEvent } from "../source/events.ts";
import type { SourcePlan } from "../source/plan.ts";
import type { FetchedSource } from "../source/protocols/protocol.ts";
import { loadKeyring } from "./keyring.ts";
import { checkSourceSignatures } from "./source.ts";
import { signedGitTarget } from "./git_signed.ts";

/** What the step needs of `fetchSources`'s options. */
export interface SignatureStepOptions {
  /** The keyring directory; none means no key is known. */
  readonly keyringDir?: string;
  /** Cancels the step. */
  readonly signal?: AbortSignal;
  /** Receives the pass and warning events. */
  readonly onEvent?: EventSink<SourceEvent>;
}

/**
 * Checks the signatures among `fetched` against the keyring and the plan's
 * `validpgpkeys`; returns `fetched` with `signature` set on each signature
 * source.
 *
 * @throws {SignatureInvalidError} naming every signature that did not pass.
 */
export async function verifySourceSignatures(
  plan: SourcePlan,
  fetched: readonly FetchedSource[],
  options: SignatureStepOptions,
): Promise<FetchedSource[]> {
  const keys = options.keyringDir ? await loadKeyring(options.keyringDir) : [];
  const checks = await checkSourceSignatures(fetched, {
    keys,
    validpgpkeys: plan.validpgpkeys ?? [],
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const byName = new Map(checks.map((c) => [c.name, c]));
  return fetched.map((item) => {
    const check = byName.get(item.name);
    if (!check?.verdict.fingerprint) return item;
    if (check.warning) {
      emit(options.onEvent, {
        type: "source.warning",
        name: check.subject,
        message:
          `PGP signature by ${check.verdict.fingerprint} passed with a warning: ${check.warning}; make sure you really trust it`,
      });
    }
    emit(options.onEvent, { type: "source.verified", name: check.subject, algorithms: ["pgp"] });
    const { userId } = check.verdict;
    return {
      ...item,
      signature: {
        subject: check.subject,
        fingerprint: check.verdict.fingerprint,
        status: check.verdict.status,
        ...(userId !== undefined ? { userId } : {}),
        signedPath: check.signedPath ?? item.path,
        ...(item.kind === "file" ? { signaturePath: item.path } : {}),
        ...(check.format ? { format: check.format } : {}),
        ...(item.kind === "git" ? { git: signedGitTarget(item.source.entry) } : {}),
      },
    };
  });
}
