import { assert, assertEquals, assertThrows } from "../../_assert.ts";
import { compilePattern, matchPattern } from "../../../src/bash/expand/pattern.ts";
import {
  modifyCase,
  removePrefix,
  removeSuffix,
  substitute,
} from "../../../src/bash/expand/pattern_ops.ts";
import { Budget, EvalRefusal } from "../../../src/bash/eval/refusal.ts";
import { bashOutputs } from "../_eval_oracle.ts";

const MATCHES: [string, string][] = [
  ["abc", "a*"],
  ["abc", "a?c"],
  ["abc", "a[a-c]c"],
  ["abc", "a[!b]c"],
  ["abc", "a[^b]c"],
  ["a]c", "a[]]c"],
  ["a-c", "a[a-]c"],
  ["abc", "*[[:alpha:]]"],
  ["ab1", "*[[:digit:]]"],
  ["a c", "a[[:space:]]c"],
  ["abc", "[abc"],
  ["[bc", "[bc"],
  ["a*c", "a\\*c"],
  ["abc", "a\\*c"],
  ["x.tar.gz", "*.tar.*"],
  ["", "*"],
  ["", "?"],
  ["a\nb", "a?b"],
  ["ab", "a[[:upper:]]"],
  ["aB", "a[[:upper:]]"],
  ["_", "[[:word:]]"],
  ["abc", "ab[c"],
  ["ab[c", "ab[c"],
];

Deno.test("matchPattern() agrees with bash's [[ == ]] on globs and bracket expressions", async () => {
  const snippet = MATCHES.map(([s, p]) =>
    `[[ $'${s.replace(/\n/g, "\\n")}' == ${p.replace(/ /g, "\\ ")} ]] && echo 1 || echo 0`
  ).join("\n");
  const [expected] = await bashOutputs([snippet]);
  const ours = MATCHES.map((
    [s, p],
  ) => (matchPattern(p.replace(/\\ /g, " "), s, false) ? "1\n" : "0\n"))
    .join("");
  assertEquals(ours, expected);
});

Deno.test("matchPattern() handles extglob groups only when extglob is on", () => {
  assert(matchPattern("+(a|b)c", "abac", true));
  assert(!matchPattern("+(a|b)c", "abac", false));
  assert(matchPattern("+(a|b)c", "+(a|b)c", false));
  assert(matchPattern("@(x|y)", "y", true));
  assert(matchPattern("?(x)y", "y", true));
  assert(matchPattern("*(ab)", "abab", true));
  assertThrows(() => matchPattern("!(x)", "y", true), EvalRefusal);
});

Deno.test("compilePattern() marks patterns whose match depends on the locale", () => {
  assert(compilePattern("a?", false).localeSensitive);
  assert(!compilePattern("a*", false).localeSensitive);
  assertThrows(() => matchPattern("?", "é", false), EvalRefusal);
  assert(matchPattern("*", "é", false));
});

Deno.test("removePrefix() and removeSuffix() pick the shortest or longest match", () => {
  const b = new Budget();
  assertEquals(removePrefix("a.b.c", "*.", false, false, b), "b.c");
  assertEquals(removePrefix("a.b.c", "*.", true, false, b), "c");
  assertEquals(removeSuffix("a.b.c", ".*", false, false, b), "a.b");
  assertEquals(removeSuffix("a.b.c", ".*", true, false, b), "a");
  assertEquals(removeSuffix("abc", "x", true, false, b), "abc");
});

Deno.test("substitute() replaces first, all, prefix and suffix matches, & meaning the match", () => {
  const b = new Budget();
  assertEquals(substitute("aXbXc", "X", ["-"], "first", false, b), "a-bXc");
  assertEquals(substitute("aXbXc", "X", ["-"], "all", false, b), "a-b-c");
  assertEquals(substitute("abc", "", ["p-"], "prefix", false, b), "p-abc");
  assertEquals(substitute("abc", "", ["-s"], "suffix", false, b), "abc-s");
  assertEquals(substitute("abab", "a*", ["<", { match: true }, ">"], "first", false, b), "<abab>");
  assertEquals(substitute("abcb", "b", ["[", { match: true }, "]"], "all", false, b), "a[b]c[b]");
});

Deno.test("modifyCase() applies ^ ^^ , ,, ~ ~~ with an optional pattern", () => {
  assertEquals(modifyCase("hello", "^", "", false), "Hello");
  assertEquals(modifyCase("hello", "^^", "[lo]", false), "heLLO");
  assertEquals(modifyCase("HeLLo", ",,", "", false), "hello");
  assertEquals(modifyCase("HeLLo", "~~", "", false), "hEllO");
  assertThrows(() => modifyCase("é", "^^", "", false), EvalRefusal);
});

Deno.test("matchPattern() stops patterns whose backtracking could explode instead of hanging", () => {
  const long = "a".repeat(5000);
  assertThrows(() => matchPattern("*a*a*a*a*b", long, false));
  assertThrows(() => matchPattern("+(a|aa)+(a|aa)b", long, true));
});
