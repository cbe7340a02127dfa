import { assertEquals, assertThrows } from "@std/assert";
import { formatEcho, formatPrintf, shellQuote } from "../../src/bash/builtins_printf.ts";
import { EvalRefusal } from "../../src/bash/eval_errors.ts";
import { bashOutputs } from "./_eval_oracle.ts";

const CASES: string[][] = [
  ["%s|%s\\n", "a", "b"],
  ["[%5s][%-5s][%.2s][%5.1s]\\n", "ab", "cd", "efg", "hij"],
  ["%d %i %05d %-5d| %+d % d\\n", "42", "-7", "42", "3", "5", "6"],
  ["%x %X %o %#x %#o %u\\n", "255", "255", "8", "255", "8", "-1"],
  ["%d %d %d\\n", "0x10", "010", "'A"],
  ["%c%c|%%|%b|\\n", "xyz", "q", "a\\tb\\x41"],
  ["%q %q %q %q\\n", "a b", "it's", "", "~x"],
  ["%q|%q|%q|%q|%q|%q|%q\\n", "a,b", "a^b", "a{b}", "=a", "a~", "#a", "a#"],
  ["%s,"],
  ["%s=%s;", "k1", "v1", "k2"],
  ["\\101\\t\\x42\\\\n\\n"],
  ["%.0d|%.3d|%3.2d\\n", "0", "5", "7"],
  ["%*d|%-*d|%.*s\\n", "4", "1", "3", "2", "2", "abc"],
  ["no conversions\\n", "extra", "args"],
  ["%b", "stop\\chere"],
];

Deno.test("formatPrintf() matches bash's printf output", async () => {
  const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  const snippets = CASES.map((c) => `printf ${c.map(q).join(" ")}`);
  const expected = await bashOutputs(snippets);
  CASES.forEach((c, i) => {
    assertEquals(formatPrintf(c[0], c.slice(1)), expected[i], `printf ${c.join(" ")}`);
  });
});

Deno.test("formatPrintf() refuses invalid numbers and unsupported conversions", () => {
  assertThrows(() => formatPrintf("%d", ["abc"]), EvalRefusal);
  assertThrows(() => formatPrintf("%f", ["1.5"]), EvalRefusal);
  assertThrows(() => formatPrintf("%(%Y)T", []), EvalRefusal);
});

Deno.test("formatEcho() parses -n -e -E only as leading option words", () => {
  assertEquals(formatEcho(["-n", "a"]), "a");
  assertEquals(formatEcho(["-e", "a\\nb"]), "a\nb\n");
  assertEquals(formatEcho(["-x", "a"]), "-x a\n");
  assertEquals(formatEcho(["-ne", "a\\c", "b"]), "a");
});

Deno.test("shellQuote() escapes like printf %q", () => {
  assertEquals(shellQuote("a b"), "a\\ b");
  assertEquals(shellQuote(""), "''");
});
