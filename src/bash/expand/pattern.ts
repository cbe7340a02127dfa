/**
 * Bash glob patterns (as used by `case`, `[[ == ]]` and the `${v#pat}`
 * family) compiled to JavaScript regular expressions: `*`, `?`, bracket
 * expressions with ranges, negation and POSIX classes, backslash escapes,
 * and the extglob operators `?( )`, `*( )`, `+( )`, `@( )` when extglob is
 * on. A pattern arrives as text in which quoted characters are escaped with
 * a backslash (so they match literally), the form bash uses internally.
 *
 * Matching is byte-for-byte the same as bash's in the C locale for ASCII
 * text; callers refuse subjects where the locale could matter (see
 * {@link CompiledPattern.localeSensitive}).
 *
 * @module
 */

import { EvalLimit, refuse } from "../eval/refusal.ts";
import { POSIX_CLASSES } from "./posix_classes.ts";

/** A compiled pattern. */
export interface CompiledPattern {
  /** The regular expression source (unanchored). */
  readonly source: string;
  /** A regular expression that matches the whole subject. */
  readonly full: RegExp;
  /** True when the pattern has a wildcard (`*`, `?`, `[...]`, extglob). */
  readonly hasWildcards: boolean;
  /** True when matching non-ASCII text depends on the locale (`?` or a bracket expression). */
  readonly localeSensitive: boolean;
  /** The literal text the pattern matches when it has no wildcards. */
  readonly literal: string;
  /** How many unbounded repetitions (`*`, extglob `*( )` / `+( )`) the pattern has. */
  readonly stars: number;
}

/** bash's glob classes: the POSIX ones plus `[:word:]`. */
const CLASSES: Record<string, string> = { ...POSIX_CLASSES, word: "0-9A-Za-z_" };

const cache = new Map<string, CompiledPattern>();

/** Escapes `s` for use inside a JavaScript regular expression. */
export function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|\/-]/g, "\\$&");
}

function escapeClassChar(c: string): string {
  return /[\\\]\[^\-]/.test(c) ? "\\" + c : c;
}

/** Compiles a pattern (quoted characters backslash-escaped) to a {@link CompiledPattern}. */
export function compilePattern(pattern: string, extglob: boolean): CompiledPattern {
  const key = (extglob ? "1" : "0") + pattern;
  const hit = cache.get(key);
  if (hit) return hit;
  const state = { wild: false, locale: false, literal: "", stars: 0 };
  const [source, end] = compileSeq(pattern, 0, extglob, state, false);
  if (end !== pattern.length) refuse("pattern", `unbalanced pattern '${pattern}'`);
  const compiled: CompiledPattern = {
    source,
    full: new RegExp(`^(?:${source})$`),
    hasWildcards: state.wild,
    localeSensitive: state.locale,
    literal: state.literal,
    stars: state.stars,
  };
  if (cache.size > 2000) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

interface CompileState {
  stars: number;
  wild: boolean;
  locale: boolean;
  literal: string;
}

/** Compiles from `i` until the end or (inside an extglob group) an unescaped `|` or `)`. */
function compileSeq(
  p: string,
  start: number,
  extglob: boolean,
  st: CompileState,
  inGroup: boolean,
): [string, number] {
  let out = "";
  let i = start;
  while (i < p.length) {
    const c = p[i];
    if (inGroup && (c === "|" || c === ")")) return [out, i];
    if (extglob && "?*+@!".includes(c) && p[i + 1] === "(") {
      const group = compileGroup(p, i + 2, extglob, st);
      if (group) {
        st.wild = true;
        const alts = group.alts.map((a) => `(?:${a})`).join("|");
        switch (c) {
          case "?":
            out += `(?:${alts})?`;
            break;
          case "*":
            out += `(?:${alts})*`;
            st.stars += 2;
            break;
          case "+":
            out += `(?:${alts})+`;
            st.stars += 2;
            break;
          case "@":
            out += `(?:${alts})`;
            break;
          default:
            refuse("extglob !(...)", "the negated extglob pattern !(...) is not supported");
        }
        i = group.end;
        continue;
      }
    }
    if (c === "\\") {
      const next = p[i + 1];
      if (next === undefined) {
        out += "\\\\";
        st.literal += "\\";
        i++;
      } else {
        out += escapeRegExp(next);
        st.literal += next;
        i += 2;
      }
      continue;
    }
    if (c === "*") {
      st.wild = true;
      while (p[i + 1] === "*") i++;
      st.stars++;
      out += "[\\s\\S]*";
      i++;
      continue;
    }
    if (c === "?") {
      st.wild = true;
      st.locale = true;
      out += "[\\s\\S]";
      i++;
      continue;
    }
    if (c === "[") {
      const br = compileBracket(p, i);
      if (br) {
        st.wild = true;
        st.locale = true;
        out += br.source;
        i = br.end;
        continue;
      }
    }
    out += escapeRegExp(c);
    st.literal += c;
    i++;
  }
  return [out, i];
}

function compileGroup(
  p: string,
  start: number,
  extglob: boolean,
  st: CompileState,
): { alts: string[]; end: number } | undefined {
  const alts: string[] = [];
  let i = start;
  for (;;) {
    const [src, end] = compileSeq(p, i, extglob, st, true);
    alts.push(src);
    if (end >= p.length) return undefined;
    if (p[end] === ")") return { alts, end: end + 1 };
    i = end + 1;
  }
}

/** Compiles a bracket expression at `p[start] === "["`; undefined when it does not close. */
function compileBracket(p: string, start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (p[i] === "!" || p[i] === "^") {
    negate = true;
    i++;
  }
  let body = "";
  let first = true;
  const chars: string[] = [];
  while (i < p.length) {
    const c = p[i];
    if (c === "]" && !first) {
      const src = body === "" ? (negate ? "[\\s\\S]" : "(?!)") : `[${negate ? "^" : ""}${body}]`;
      return { source: src, end: i + 1 };
    }
    first = false;
    if (c === "[" && (p[i + 1] === ":" || p[i + 1] === "=" || p[i + 1] === ".")) {
      const kind = p[i + 1];
      const close = p.indexOf(kind + "]", i + 2);
      if (close < 0) {
        // bash treats the `[` as an ordinary character then
        body += escapeClassChar("[");
        chars.push("[");
        i++;
        continue;
      }
      const name = p.slice(i + 2, close);
      if (kind === ":") {
        const cls = Object.hasOwn(CLASSES, name) ? CLASSES[name] : undefined;
        if (cls === undefined) return undefined;
        body += cls;
      } else {
        if (name.length !== 1) {
          refuse("bracket expression", `unsupported collating element '${name}'`);
        }
        body += escapeClassChar(name);
      }
      i = close + 2;
      continue;
    }
    let ch = c;
    if (c === "\\") {
      if (i + 1 >= p.length) return undefined;
      ch = p[i + 1];
      i += 2;
    } else {
      i++;
    }
    if (p[i] === "-" && p[i + 1] !== undefined && p[i + 1] !== "]") {
      let hi = p[i + 1];
      let next = i + 2;
      if (hi === "\\") {
        if (i + 2 >= p.length) return undefined;
        hi = p[i + 2];
        next = i + 3;
      } else if (hi === "[") {
        refuse("bracket expression", "a range ending in a bracket class is not supported");
      }
      if (hi < ch) {
        refuse("bracket expression", `the inverted range '${ch}-${hi}' is not supported`);
      }
      body += `${escapeClassChar(ch)}-${escapeClassChar(hi)}`;
      i = next;
      continue;
    }
    body += escapeClassChar(ch);
    chars.push(ch);
  }
  return undefined;
}

/** True when `subject` matches `pattern` as a whole. */
export function matchPattern(pattern: string, subject: string, extglob: boolean): boolean {
  const c = compilePattern(pattern, extglob);
  checkLocale(c, subject);
  if (!c.hasWildcards) return c.literal === subject;
  return testFull(c, subject);
}

/** Tests a whole-subject match, refusing matches whose backtracking could explode. */
export function testFull(c: CompiledPattern, subject: string): boolean {
  if (c.stars >= 2 && Math.pow(subject.length + 1, c.stars) > 1e8) {
    throw new EvalLimit("pattern", "matching this pattern against this text could take too long");
  }
  return c.full.test(subject);
}

/** Refuses when the result of matching `subject` against `c` could depend on the locale. */
export function checkLocale(c: CompiledPattern, subject: string): void {
  if (c.localeSensitive && /[\u0080-\uffff]/.test(subject)) {
    refuse(
      "pattern on non-ASCII text",
      "matching ? or [...] against non-ASCII text depends on the locale the host runs in",
    );
  }
}

/** True when `s` contains an unescaped glob character that bash's pathname expansion would act on. */
export function hasGlobChars(pattern: string, extglob: boolean): boolean {
  const c = compilePattern(pattern, extglob);
  return c.hasWildcards;
}

/** Removes backslash escapes from a pattern-form string (quote removal of the escaped form). */
export function unescapePattern(p: string): string {
  let out = "";
  for (let i = 0; i < p.length; i++) {
    if (p[i] === "\\" && i + 1 < p.length) {
      out += p[i + 1];
      i++;
    } else out += p[i];
  }
  return out;
}

/** Escapes every glob-special character of `s` so it matches literally. */
export function quotePattern(s: string): string {
  return s.replace(/[\\*?[\]()|!@+^]/g, "\\$&");
}
