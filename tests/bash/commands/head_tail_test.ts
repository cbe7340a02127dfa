import { assertEquals } from "../../_assert.ts";
import { compareWithBash, evalSnippet } from "../_eval_oracle.ts";

/** head and tail on standard input, run by the evaluator itself, against GNU's. */
const HEAD_TAIL_CASES: string[] = [
  `seq 12 | head; seq 12 | tail`,
  `seq 5 | head -n 2; seq 5 | head -n2; seq 5 | head -2; seq 5 | head --lines=3`,
  `seq 5 | head -n 0; seq 5 | head -n 9; seq 5 | head -n -2; seq 5 | head -n -0; seq 5 | head -n -9`,
  `seq 5 | tail -n 2; seq 5 | tail -n2; seq 5 | tail -2; seq 5 | tail --lines=1`,
  `seq 5 | tail -n 0; seq 5 | tail -n 9; seq 5 | tail -n +2; seq 5 | tail -n +0; seq 5 | tail -n +9`,
  `seq 5 | tail -n -2; seq 5 | tail -n+4`,
  `printf 'a\\nb\\nc' | head -n 2; printf 'a\\nb\\nc' | head -n -1; echo`,
  `printf 'a\\nb\\nc' | tail -n 1; echo; printf 'a\\nb\\nc' | tail -n 2; echo`,
  `printf 'a\\nb\\nc' | tail -n +2; echo; printf 'a\\n\\n' | tail -n 1 | tr '\\n' N`,
  `printf '' | head -n 1; printf '' | tail -n 1; head -n 1 <<< ''; tail -n 1 <<< ''`,
  `head -c 3 <<< abcdef; echo; head -c -3 <<< abcdef; echo; head --bytes=2 <<< abc; echo`,
  `tail -c 3 <<< abcdef; tail -c +3 <<< abcdef; tail -c 0 <<< abc; tail --bytes=+1 <<< ab`,
  `head -c 0 <<< abc; head -c 99 <<< abc; tail -c 99 <<< abc; head -c -99 <<< abc`,
  `head -q -n 1 - <<< $'x\\ny'; tail -q -n1 - <<< $'x\\ny'; head -n 1 -- - <<< $'x\\ny'`,
  `head -3 -q <<< $'1\\n2\\n3\\n4'; tail -3 - <<< $'1\\n2\\n3\\n4'`,
  `head -n 1 -n 2 <<< $'1\\n2\\n3'; head -c 1 -n 1 <<< $'12\\n3'; head -n 1 -c 1 <<< $'12\\n3'; echo`,
  `pkgver=$(printf '%s\\n' 2.0 1.9 1.10 | head -n1); echo $pkgver`,
  `_last=$(echo -e "a\\nb\\nc" | tail -1); echo $_last`,
  `{ head -n 1; read -r x || echo none; } <<< $'a\\nb'`,
  `echo é | head -n 1; echo é | tail -n 1`,
];

Deno.test("head and tail give what GNU head and tail give", async () => {
  const { mismatches, refused } = await compareWithBash(HEAD_TAIL_CASES);
  assertEquals(mismatches, []);
  assertEquals(refused, []);
});

Deno.test("head and tail refuse files, size suffixes, follow and non-ASCII bytes", () => {
  for (
    const code of [
      "head PKGBUILD",
      "tail -n 1 /etc/os-release",
      "head -n 1 - - <<< a",
      "head -n 1k <<< a",
      "head -n +1 <<< a",
      "tail -n 1b <<< a",
      "tail -f <<< a",
      "head -v <<< a",
      "tail --follow <<< a",
      "tail -5 -q <<< a",
      "head -5c <<< a",
      "head -c 1 <<< é",
      "tail -c 1 <<< é",
      "x=$(head -n 1)",
      "head -n <<< a",
    ]
  ) {
    assertEquals("refused" in evalSnippet(code), true, code);
  }
});
