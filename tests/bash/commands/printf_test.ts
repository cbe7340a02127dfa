import { assertEquals, assertThrows } from "../../_assert.ts";
import { formatEcho, formatPrintf, shellQuote } from "../../../src/bash/commands/printf.ts";
import { EvalRefusal } from "../../../src/bash/eval/refusal.ts";
import { bashOutputs } from "../_eval_oracle.ts";

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
  // %f of plain decimals, rounded as glibc rounds a long double
  [
    "[%f][%.1f][%.2f][%.0f][%5.1f][%-8.3f][%08.2f][%+.1f][% .2f][%#.0f]\\n",
    "1.5",
    "0.25",
    "0.125",
    "2.5",
    "3.14159",
    "1",
    "-1.5",
    "0.05",
    "7",
    "3",
  ],
  [
    "[%.1f][%.1f][%f][%.2f][%F][%.0f][%.0f][%.1f][%.2f][%.3f][%.2f]\\n",
    "0.35",
    "-0.05",
    "",
    "12.345",
    "2",
    "0.5",
    "1.5",
    "-0.01",
    "2.675",
    "1.2345",
    "1.005",
  ],
  ["[%.20f][%.17f][%f][%.3f]\\n", "0.1", "0.3", ".5", "-12."],
];

Deno.test("formatPrintf() matches bash's printf output", async () => {
  const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  const snippets = CASES.map((c) => `printf ${c.map(q).join(" ")}`);
  const expected = await bashOutputs(snippets);
  CASES.forEach((c, i) => {
    assertEquals(formatPrintf(c[0], c.slice(1)), expected[i], `printf ${c.join(" ")}`);
  });
});

Deno.test("formatPrintf() refuses invalid numbers, unsupported conversions and machine-dependent %f", () => {
  assertThrows(() => formatPrintf("%d", ["abc"]), EvalRefusal);
  assertThrows(() => formatPrintf("%e", ["1.5"]), EvalRefusal);
  assertThrows(() => formatPrintf("%f", ["1e3"]), EvalRefusal);
  assertThrows(() => formatPrintf("%f", ["abc"]), EvalRefusal);
  // 0.15 is just above .15 as an x86_64 long double and just below as aarch64's binary128
  assertThrows(() => formatPrintf("%.1f", ["0.15"]), EvalRefusal);
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
