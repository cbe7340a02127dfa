/**
 * Opaque unknown values: a string or an exit status the evaluation cannot
 * know (a variable the host or the running shell gives a value, the output
 * and status of a command substitution the evaluator cannot run) does not
 * stop the evaluation where it is born. It becomes a marker that flows
 * through the operations that only move text (assignment, concatenation,
 * quoting, arrays, function arguments, `echo`/`printf %s`), and the
 * refusal it stands for is raised, with its first cause and line, only
 * where the value would decide something: a condition, an operation that
 * inspects text, or the result the caller reads ({@link UnknownTable.require}).
 *
 * A marker is `U+FDD0`, a decimal id, `U+FDD1` (Unicode noncharacters, never
 * in a script: {@link hasUnknown} lets the caller refuse one that holds
 * them). A string holding a marker stands for "some string"; only text
 * outside markers is known, so an operation that would look inside one must
 * call {@link UnknownTable.require} first. An unknown status is a number of
 * {@link UNKNOWN_STATUS_BASE} or more.
 *
 * @module
 */

import { EvalRefusal } from "./refusal.ts";
import type { VarValue } from "./state.ts";

const OPEN = "\uFDD0";
const CLOSE = "\uFDD1";
const MARK = /[\uFDD0\uFDD1]/;
const TOKEN = /\uFDD0([0-9]+)\uFDD1/;

/** Statuses from here up are unknown: `UNKNOWN_STATUS_BASE + id`. */
export const UNKNOWN_STATUS_BASE = 256;

/** Whether `text` holds an unknown value (or the characters that mark one). */
export function hasUnknown(text: string): boolean {
  return MARK.test(text);
}

/** The first unknown value in `text` (its whole marker), or undefined. */
export function firstUnknown(text: string): string | undefined {
  return TOKEN.exec(text)?.[0];
}

/** Whether `status` is an unknown exit status. */
export function isUnknownStatus(status: number): boolean {
  return status >= UNKNOWN_STATUS_BASE;
}

/** Why a value is unknown: the refusal a decision on it raises. */
interface Cause {
  readonly construct: string;
  readonly reason: string;
  readonly line: number | undefined;
}

/** The unknowns of one evaluation and their causes. */
export class UnknownTable {
  private readonly causes: Cause[] = [];

  /** A new unknown string whose use is refused with `construct`, `reason`, `line`. */
  value(construct: string, reason: string, line: number | undefined): string {
    return `${OPEN}${this.add({ construct, reason, line })}${CLOSE}`;
  }

  /** An unknown string standing for what `refusal` kept the evaluator from computing. */
  fromRefusal(refusal: EvalRefusal): string {
    return this.value(refusal.construct, refusal.message, refusal.line);
  }

  /** An unknown exit status standing for what `refusal` kept the evaluator from computing. */
  statusFromRefusal(refusal: EvalRefusal): number {
    return UNKNOWN_STATUS_BASE +
      this.add({ construct: refusal.construct, reason: refusal.message, line: refusal.line });
  }

  /** `$?` of `status`: its decimal text, or an unknown string with the same cause. */
  statusText(status: number): string {
    if (!isUnknownStatus(status)) return String(status);
    return `${OPEN}${status - UNKNOWN_STATUS_BASE}${CLOSE}`;
  }

  /** Returns `text` when it holds no unknown; throws the refusal of its first unknown otherwise. */
  require(text: string): string {
    if (!MARK.test(text)) return text;
    const m = TOKEN.exec(text);
    throw this.refusal(m ? Number(m[1]) : -1);
  }

  /** {@link require} on every element of `texts`. */
  requireAll(texts: Iterable<string>): void {
    for (const t of texts) this.require(t);
  }

  /** {@link require} on every element (and key) of a variable's value; returns it. */
  requireValue<T extends VarValue | undefined>(value: T): T {
    if (value === undefined) return value;
    if (value.kind === "scalar") this.require(value.value);
    else {
      for (const [key, element] of value.values) {
        if (typeof key === "string") this.require(key);
        this.require(element);
      }
    }
    return value;
  }

  /** Returns `status` when it is known; throws the refusal of its cause otherwise. */
  requireStatus(status: number): number {
    if (!isUnknownStatus(status)) return status;
    throw this.refusal(status - UNKNOWN_STATUS_BASE);
  }

  /** Records `cause`; returns its id. */
  private add(cause: Cause): number {
    this.causes.push(cause);
    return this.causes.length - 1;
  }

  /** The refusal of the unknown `id` (a generic one for a marker the script wrote itself). */
  private refusal(id: number): EvalRefusal {
    const c = this.causes[id];
    if (!c) {
      return new EvalRefusal(
        "unknown value",
        "a value the evaluation cannot know decides the result",
      );
    }
    return new EvalRefusal(c.construct, c.reason, c.line);
  }
}
