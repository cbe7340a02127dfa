import { assertEquals } from "../../_assert.ts";
import { compareWithBash, evalSnippet } from "../_eval_oracle.ts";
import { parseSet, translationTable } from "../../../src/bash/commands/tr.ts";

/** tr, run by the evaluator itself, against GNU tr. */
const TR_CASES: string[] = [
  `pkgname=Foo-Bar; echo $(echo $pkgname | tr '[:upper:]' '[:lower:]')`,
  `echo "$(echo Hello World | tr '[:lower:]' '[:upper:]')"`,
  `echo 1.2-3 | tr - _`,
  `echo 1.2.3 | tr . _`,
  `_ver() { tr -d . <<< 1.2; }; pkgdesc="$(_ver)"; echo "$pkgdesc"`,
  `tr a-z A-Z <<< 'mixed Case 123'`,
  `tr 'a-z' 'A-C' <<< 'hello'`,
  `tr abc xy <<< 'aabbcc'`,
  `tr -t abc xy <<< 'aabbcc'`,
  `tr --truncate-set1 abc x <<< abc`,
  `tr abc wxyz <<< abcd`,
  `tr aa xy <<< aaa`,
  `tr -d '[:digit:]' <<< 'v1.2.3-beta4'`,
  `tr -d '[:alpha:]' <<< 'v1.2.3-beta4'`,
  `tr -d '[:space:]' <<< ' a b	c '`,
  `tr -d '[:punct:]' <<< 'a.b,c;d!e-f_g'`,
  `tr -d '[:alnum:]' <<< 'a.b,c;d!e-f_g 9'`,
  `tr -d '[:blank:][:cntrl:]' <<< $'a\\tb c'`,
  `tr -d '[:xdigit:]' <<< 'deadbeefxyz09'`,
  `tr -d '[:graph:]' <<< 'a b'; tr -d '[:print:]' <<< 'a b'`,
  `tr '[:upper:][:lower:]' '[:lower:][:upper:]' <<< 'Hello World'`,
  `tr '[:upper:]' '[:upper:]' <<< 'Hello'`,
  `tr '[:lower:]' 'A-Z' <<< 'hello'`,
  `tr '1[:lower:]' 'x[:upper:]' <<< 'abc1'`,
  `tr '[:digit:]' 'x' <<< 'a1b22'`,
  `tr '[:lower:]' '[:upper:]X' <<< 'abc'`,
  `tr -s ' ' <<< 'a   b    c'`,
  `tr -s 'a-z' <<< 'aabbccdd  ee'`,
  `tr -s ab xy <<< 'aabbcc'`,
  `tr -s '[:space:]' ' ' <<< $'a \\n\\n b\\t\\tc'`,
  `tr -ds . bc <<< 'aab.bcc'`,
  `tr -sd bc . <<< 'aab.bcc'` + "; echo rc=$?",
  `tr -d . <<< ''`,
  `printf 'a.b' | tr . -`,
  `printf '' | tr a b; echo "[$(printf x | tr x y)]"`,
  `tr '\\n' ' ' <<< $'a\\nb\\nc'`,
  `tr ' ' '\\n' <<< 'a b c'`,
  `tr '\\t' : <<< $'a\\tb'`,
  `tr '\\\\' / <<< 'a\\b\\c'`,
  `tr '\\101\\102' xy <<< ABC`,
  `tr '\\60-\\71' 'a-j' <<< 2024`,
  `tr 'a\\-z' 123 <<< 'a-z-b'`,
  `tr a- xy <<< 'a-b'; tr -- -a xy <<< 'a-b'`,
  `tr '[]' xy <<< 'a[b]c'; tr -d '[]' <<< 'a[b]c'`,
  `tr '[a' xy <<< 'a[b'`,
  `tr 'abcdef' 'x[y*2]z' <<< 'abcdef'`,
  `tr 'abcdef' 'x[y*]z' <<< 'abcdef'`,
  `tr 'abc' '[x*]' <<< 'abcd'`,
  `tr 'a-j' '[x*010]' <<< 'abcdefghij'`,
  `tr '[=a=]' x <<< abc`,
  `tr -c 'a-z\\n' _ <<< 'a:b-C'`,
  `tr -C 'a-z\\n' _ <<< 'a:b-C'`,
  `tr -cd '[:alnum:]._-' <<< 'pkg name/1.0~rc1'`,
  `tr -cs 'a-z' '\\n' <<< 'ab,,cd  ef'`,
  `tr -c a XY <<< 'a:b'`,
  `tr -cs x <<< 'aabbxx'`,
  `tr --delete . <<< 1.2.3; tr --squeeze-repeats a <<< aaa; tr --complement --delete a <<< abc`,
  `echo X.Y | tr '[:upper:].' '[:lower:]_'`,
  `v=$(echo 1.2.3 | tr . ' '); set -- $v; echo $#`,
  `tr 'ab[:lower:]' 'xy[:upper:]' <<< abz; tr -s 'abc' '[x*]' <<< aabbcc; tr -d 'a-' <<< a-b`,
];

Deno.test("tr gives what GNU tr gives", async () => {
  const { mismatches, refused } = await compareWithBash(TR_CASES);
  assertEquals(mismatches, []);
  assertEquals(refused, []);
});

Deno.test("parseSet() expands ranges, escapes, classes and repeats", () => {
  assertEquals(parseSet("a-c\\n"), [{ kind: "chars", codes: [97, 98, 99] }, {
    kind: "chars",
    codes: [10],
  }]);
  assertEquals(parseSet("[x*3]y")[0], { kind: "repeat", code: 120, count: 3 });
  assertEquals(parseSet("[:digit:]")[0].kind, "class");
});

Deno.test("translationTable() pads SET2 with its last character", () => {
  const t = translationTable("abc", "x", { complement: false, truncate: false });
  assertEquals([...t.values()], [120, 120, 120]);
});

Deno.test("tr refuses what GNU tr rejects, file-like misuse and non-ASCII sets", () => {
  for (
    const code of [
      "tr a-z '[:upper:]' <<< x",
      "tr '[:lower:]' '[:upper:][:upper:]' <<< x",
      "tr '[:lower:]1' '[:upper:]' <<< x",
      "tr a '' <<< a",
      "tr '[::]' x <<< a",
      "tr -d '[:foo:]' <<< a",
      "tr z-a x <<< a",
      "tr '[a*2]' x <<< a",
      "tr a '[:digit:]' <<< a",
      "tr a <<< a",
      "tr -d a b <<< a",
      "tr a b c <<< a",
      "tr -x a b <<< a",
      "tr --bogus a b <<< a",
      "tr é e <<< é",
      "tr -cd a <<< é",
      "x=$(tr a b)",
    ]
  ) {
    assertEquals("refused" in evalSnippet(code), true, code);
  }
  assertEquals(evalSnippet("tr a-z A-Z <<< é"), { out: "é\n" });
});
