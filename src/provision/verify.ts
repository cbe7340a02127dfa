/**
 * Verification: compares the installed files of a worker with its record
 * (type, mode, size, sha256, link target).
 *
 * @module
 */

import { sha256File } from "../_hash.ts";
import { lstatOrNull, modeOf } from "./_fs.ts";
import type { RecordedFile, WorkerRecord } from "./record.ts";

/** One difference between the disk and the record. */
export interface VerifyProblem {
  /** The path. */
  readonly path: string;
  /** `missing`, `type` (file became a dir, ...), `modified` (content or link target), `mode`, `signature` (a source signature no longer holds). */
  readonly kind: "missing" | "type" | "modified" | "mode" | "signature";
  /** What the record says. */
  readonly expected?: string;
  /** What is on disk. */
  readonly actual?: string;
}

/** The result of verifying one worker. */
export interface VerifyReport {
  /** The worker. */
  readonly id: string;
  /** The recorded version. */
  readonly version: string;
  /** `true` when nothing differs. */
  readonly ok: boolean;
  /** How many paths were checked. */
  readonly checked: number;
  /** Every difference found. */
  readonly problems: readonly VerifyProblem[];
  /** Source signatures re-checked, and skipped because their data is no longer cached (signatures). */
  readonly signatures?: { readonly checked: number; readonly skipped: number };
}

/** Returns how `file` differs from the disk, or `null` when it does not. */
export async function checkFile(file: RecordedFile): Promise<VerifyProblem | null> {
  const st = await lstatOrNull(file.path);
  if (!st) return { path: file.path, kind: "missing" };
  const type = st.isDirectory ? "dir" : st.isSymlink ? "symlink" : st.isFile ? "file" : "other";
  if (type !== file.type) {
    return { path: file.path, kind: "type", expected: file.type, actual: type };
  }
  if (file.type === "symlink") {
    const target = await Deno.readLink(file.path);
    return target === file.target
      ? null
      : { path: file.path, kind: "modified", expected: file.target, actual: target };
  }
  if (file.type === "file") {
    if (st.size !== file.size) {
      return {
        path: file.path,
        kind: "modified",
        expected: `${file.size} bytes`,
        actual: `${st.size} bytes`,
      };
    }
    const sha256 = await sha256File(file.path);
    if (sha256 !== file.sha256) {
      return { path: file.path, kind: "modified", expected: file.sha256, actual: sha256 };
    }
  }
  if (file.type !== "dir" && modeOf(st) !== file.mode) {
    return {
      path: file.path,
      kind: "mode",
      expected: file.mode.toString(8),
      actual: modeOf(st).toString(8),
    };
  }
  return null;
}

/** Compares every file of `record` with the disk. */
export async function verifyRecord(
  record: WorkerRecord,
  signal?: AbortSignal,
): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  for (const file of record.files) {
    signal?.throwIfAborted();
    const p = await checkFile(file);
    if (p) problems.push(p);
  }
  return {
    id: record.id,
    version: record.version,
    ok: problems.length === 0,
    checked: record.files.length,
    problems,
  };
}

// --- signatures (src/signature/): re-check the record's source signatures ---
/**
 * Adds to `report` the re-check of `record`'s source signatures against the
 * keyring in `keyringDir` (those whose data is still cached); a signature
 * that no longer holds is a `signature` problem. Loads the OpenPGP code only
 * for a record that has signatures.
 */
export async function withSignatureRecheck(
  report: VerifyReport,
  record: WorkerRecord,
  keyringDir: string,
  signal?: AbortSignal,
): Promise<VerifyReport> {
  if (!record.signatures?.length) return report;
  const { recheckSignatures } = await import("../signature/recheck.ts");
  const recheck = await recheckSignatures(record.signatures, keyringDir, signal);
  const problems = [
    ...report.problems,
    ...recheck.problems.map((p): VerifyProblem => ({
      path: p.subject,
      kind: "signature",
      expected: "the signature recorded at install",
      actual: p.reason,
    })),
  ];
  return {
    ...report,
    ok: problems.length === 0,
    problems,
    signatures: { checked: recheck.checked, skipped: recheck.skipped },
  };
}
// --- end signatures ---
