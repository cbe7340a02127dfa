import { assertEquals } from "../../_assert.ts";
import { compareWithBash, evalSnippet } from "../_eval_oracle.ts";
import { parseList } from "../../../src/bash/commands/cut.ts";

/** cut, run by the evaluator itself, against GNU cut. */
const CUT_CASES: string[] = [
  `pkgver=1.22.3; _major=$(echo $pkgver | cut -d. -f1); echo $_major`,
  `pkgver=1.22.3; echo $(echo $pkgver | cut -d. -f1-2) $(echo $pkgver | cut -d . -f 2-)`,
  `cut -d. -f-2 <<< 1.2.3.4; cut -d. -f2,4 <<< 1.2.3.4; cut -d. -f4,2 <<< 1.2.3.4`,
  `cut -d. -f1,1,1-2 <<< 1.2.3; cut -d. -f3- <<< 1.2; cut -d. -f9 <<< 1.2`,
  `cut -d. -f 1 <<< 'no delimiter'; cut -s -d. -f1 <<< 'no delimiter'; echo end`,
  `printf 'a:b\\nc\\nd:e:f' | cut -d: -f2`,
  `printf 'a:b\\nc\\nd:e:f\\n' | cut -sd: -f2,3`,
  `printf 'a:b\\nc\\n' | cut --only-delimited --delimiter=: --fields=1`,
  `cut -d: -f2 <<< ''; printf '' | cut -d: -f1; echo "[$(printf '' | cut -c1)]"`,
  `printf '\\n\\n' | cut -d: -f2 | tr '\\n' x`,
  `cut -f2 <<< $'a\\tb\\tc'; cut -f1,3 <<< $'a\\tb\\tc'`,
  `cut -d' ' -f2 <<< 'x y  z'; cut -d ' ' -f3 <<< 'x y  z'`,
  `cut -d: --complement -f2 <<< a:b:c:d; cut -d: -f2 --complement <<< a:b:c:d`,
  `cut -d: --complement -f1,3- <<< a:b:c:d`,
  `cut -d: -f1,3 --output-delimiter=' - ' <<< a:b:c:d`,
  `cut -d: -f2- --output-delimiter=. <<< a:b:c:d`,
  `cut -d, -f'1 3' <<< a,b,c`,
  `cut -d: -f 01,003 <<< a:b:c`,
  `cut -c1 <<< hello; cut -c2-3 <<< hello; cut -c-2 <<< hello; cut -c4- <<< hello`,
  `cut -c1,3,5 <<< abcdef; cut -c5,1,3 <<< abcdef; cut -c 1-2,4-9 <<< abcdef`,
  `cut -b1-3 <<< abcdef; cut --bytes=2 <<< abcdef; cut --characters=1-2 <<< abcdef`,
  `cut -c9 <<< abc; cut -c1-2 <<< ''`,
  `printf 'abc\\ndef' | cut -c2`,
  `cut -c2 --complement <<< abcd; cut --complement -c 2-3 <<< abcdef`,
  `cut -c1-2,3-4 --output-delimiter=: <<< abcdef`,
  `cut -c1-2,4-5 --output-delimiter=: <<< abcdef; cut -c1-3,2-5 --output-delimiter=: <<< abcdef`,
  `cut -c2,4 --complement --output-delimiter=_ <<< abcdef`,
  `cut -d: -f1- --complement <<< a:b; cut -c1- --complement <<< abc; echo end`,
  `cut -nb1 <<< abc; cut -c1 - <<< abc`,
  `v=$(git_v=r123.abcdef; echo $git_v | cut -c2-); echo $v`,
  `for v in 1.2 3.4.5 6; do echo $v | cut -d. -f1,2; done`,
  `echo é:b | cut -d: -f2; echo é:b | cut -d: -f1`,
  `cut -d '' -f1 <<< 'a b'; cut -d '' -s -f1 <<< 'a b'; echo end`,
];

Deno.test("cut gives what GNU cut gives", async () => {
  const { mismatches, refused } = await compareWithBash(CUT_CASES);
  assertEquals(mismatches, []);
  assertEquals(refused, []);
});

Deno.test("parseList() sorts, merges and complements ranges", () => {
  assertEquals(parseList("3,1-2"), [{ lo: 1, hi: 2 }, { lo: 3, hi: 3 }]);
  assertEquals(parseList("2-4,3-"), [{ lo: 2, hi: Infinity }]);
  assertEquals(parseList("2,4", true), [{ lo: 1, hi: 1 }, { lo: 3, hi: 3 }, {
    lo: 5,
    hi: Infinity,
  }]);
});

Deno.test("cut refuses files, what GNU cut rejects and bytes of non-ASCII text", () => {
  for (
    const code of [
      "cut -d. -f1 PKGBUILD",
      "cut -d. -f1 - - <<< a",
      "cut -d. <<< a",
      "cut -f1 -c1 <<< a",
      "cut -f1 -f2 <<< a",
      "cut -d. -c1 <<< a",
      "cut -s -c1 <<< a",
      "cut -d.. -f1 <<< a",
      "cut -d é -f1 <<< a",
      "cut -f0 <<< a",
      "cut -f- <<< a",
      "cut -f3-1 <<< a",
      "cut -fx <<< a",
      "cut -f1,,2 <<< a",
      "cut -z -f1 <<< a",
      "cut --zero-terminated -f1 <<< a",
      "cut -f1 --output-delimiter= <<< a",
      "cut -c1 <<< é",
      "x=$(cut -f1)",
    ]
  ) {
    assertEquals("refused" in evalSnippet(code), true, code);
  }
});
