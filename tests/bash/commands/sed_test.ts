import { assertEquals, assertStringIncludes } from "../../_assert.ts";
import { compareWithBash, evalSnippet } from "../_eval_oracle.ts";
import { translatePosixRegex } from "../../../src/bash/expand/posix_regex.ts";

/** sed run by the evaluator itself, against the real GNU sed. */
const SED_CASES: string[] = [
  // Version rewrites as PKGBUILDs write them.
  `_pkgver=4.0.2-12; echo $(echo $_pkgver | sed -r 's/-([0-9]+)/-patch\\1/g')`,
  `pkgname=foo-clone; echo $(echo \${pkgname^^} | sed 's/CLONE//g')`,
  `x=1_2_3; pkgver=$(echo $x | sed 's/_/./g'); echo $pkgver`,
  `echo 1.2.3 | sed 's/\\./_/g'`,
  `echo v1.2-3 | sed 's/-/_/g;s/v//'`,
  `echo a-x-a | sed -e 's/a/b/' -e 's|x|y|'`,
  `echo 2.0.0rc1 | sed 's/rc/.rc/'`,
  `echo release-2023-10-01 | sed 's/^release-//;s/-//g'`,
  `echo 1.2.3-beta.4 | sed -E 's/-(alpha|beta)//' || true`,
  `echo 1.2.3-beta.4 | sed -E 's/-beta\\.([0-9]+)/b\\1/'`,
  `echo foo_1.2.3_linux | sed 's/^[^_]*_\\([^_]*\\)_.*$/\\1/'`,
  `echo 10.4.3 | sed 's/\\([0-9]*\\)\\.\\([0-9]*\\)\\.\\([0-9]*\\)/\\3.\\2.\\1/'`,
  `echo 0.9.8 | sed -E 's/([0-9]+)\\.([0-9]+)\\.([0-9]+)/\\1\\2\\3/'`,
  `v=r123.abcdef; echo $(sed 's/^r//; s/\\..*//' <<< "$v")`,
  // Delimiters and escapes.
  `echo /usr/lib/x | sed 's|/usr|/opt|'`,
  `echo a,b,c | sed 's,\\,,;,g'`,
  `echo a:b | sed 's:\\::=:'`,
  `echo 'a/b' | sed 's/\\//-/'`,
  `echo 'a.b axb' | sed 's.a\\.b.X.g'`,
  `echo 'a|b ab' | sed 's|a\\|b|X|g'`,
  `echo 'a&b' | sed 's/&/\\&\\&/'`,
  `echo 'a&b' | sed 's&a&[\\&]&'`,
  `echo 'a\\b' | sed 's/\\\\/\\\\\\\\/'`,
  `echo abc | sed 's/b/\\n/'`,
  `echo abc | sed 's/b/\\t/'`,
  `echo 'x  y' | sed 's/ \\{2\\}/_/'`,
  `echo 'a+b?c' | sed 's/+/P/;s/?/Q/'`,
  `echo 'a+b' | sed -E 's/\\+/P/'`,
  `echo 'a{b}' | sed 's/{b}/B/'`,
  `echo 'a(b)' | sed 's/(b)/B/'`,
  `echo '*a*' | sed 's/*/S/g'`,
  `echo '*a*' | sed 's/\\(*a\\)/[\\1]/'`,
  `echo 'a^b$c' | sed 's/a^b/X/;s/\\$c/Y/'`,
  `echo 'a^b$c' | sed 's/b$/X/;s/^a/Z/'`,
  // Bracket expressions and classes.
  `echo 'ab]c' | sed 's/[]]/R/'`,
  `echo 'ab]c' | sed 's/[^]a]/N/g'`,
  `echo 'a-b' | sed 's/[a-]/X/g'`,
  `echo 'A1 b2_c' | sed 's/[[:alpha:]]/L/g;s/[[:digit:]]/D/g;s/[[:space:]]/S/g'`,
  `echo 'Ab1.;' | sed 's/[[:upper:]]/U/;s/[[:lower:]]/l/;s/[[:punct:]]/P/g'`,
  `echo 'x\\.y' | sed 's/[\\.]/_/g'`,
  `echo 'f00d BEEF' | sed 's/[[:xdigit:]]\\{4\\}/H/g'`,
  `echo 'a b	c' | sed 's/[[:blank:]]/_/g'`,
  `echo 'w_1 x-2' | sed 's/\\w\\+/W/g;s/\\s/S/'`,
  `echo 'w_1 x-2' | sed 's/\\W/N/g;s/\\S*/[&]/'`,
  // Anchors, & and groups.
  `echo aaa | sed 's/^a/x/g'`,
  `echo aaa | sed 's/a$/x/g'`,
  `echo abc | sed 's/.*/[&]/'`,
  `echo abc | sed 's/\\(a\\)\\(b\\)\\(c\\)/\\3\\2\\1\\0/'`,
  `echo abc | sed -E 's/(a)(x*)(b)/<\\2>/'`,
  `echo hello world | sed 's/\\w\\+/\\u&/g'`,
  `echo Hello World | sed 's/.*/\\L&/;p;s/.*/\\U&/'`,
  `echo ab | sed 's/\\(a\\)\\(b\\)/\\U\\1x\\2\\E-\\1/'`,
  `echo foo | sed 's/.*/\\L\\u&/'`,
  `echo FOO | sed 's/O/\\l&/g'`,
  `echo hello | sed 's/\\(h\\)\\(x*\\)\\(e\\)/\\u\\2\\3/' || true`,
  // Flags.
  `echo aaaa | sed 's/a/b/3'`,
  `echo aaaa | sed 's/a/b/2g'`,
  `echo baaac | sed 's/a*/x/g'`,
  `echo abc | sed 's/x*/-/g'`,
  `echo abc | sed 's/x*/-/2'`,
  `echo abc | sed 's/x*/-/2g'`,
  `echo AbC | sed 's/abc/x/I'`,
  `echo AbC | sed 's/[a-b]/x/gi'`,
  `echo AbC | sed 's/[[:upper:]]/x/Ig'`,
  `echo aa | sed 's/a/b/ g'`,
  `echo abc | sed -n 's/b/B/p'`,
  `echo abc | sed -n 's/x/B/p'`,
  `echo abc | sed 's/b/B/gp'`,
  // Lines, addresses and the other commands.
  `printf 'a\\nb\\nc\\n' | sed -n 2p`,
  `printf 'a\\nb\\nc\\n' | sed -n '$p'`,
  `printf 'a\\nb\\nc\\n' | sed '2d'`,
  `printf 'a\\nb\\nc\\n' | sed '2!d'`,
  `printf 'a\\nb\\nc\\n' | sed '1 ! d'`,
  `printf 'a\\nb\\nc\\n' | sed '/b/d'`,
  `printf 'a\\nb\\nc\\n' | sed -n '/^[ab]/p'`,
  `printf 'a\\nb\\nc\\n' | sed q`,
  `printf 'a\\nb\\nc\\n' | sed 2q`,
  `printf 'a\\nb\\nc\\n' | sed '2Q'`,
  `printf 'a\\nb\\nc\\n' | sed 'q5'; echo $?`,
  `printf 'a\\nb\\nc\\n' | sed -n '$='`,
  `printf 'a\\nb\\nc\\n' | sed '$s/c/C/;1s/a/A/'`,
  `printf 'a\\nb' | sed p; echo '|'`,
  `printf 'a\\nb' | sed 's/b/B/'; echo '|'`,
  `printf '' | sed 's/a/b/'; echo '|'`,
  `printf '\\n\\n' | sed 's/^$/E/'`,
  `printf 'x' | sed -n p; echo '|'`,
  `printf 'a\\nb\\n' | sed -n 'p;p'`,
  `printf 'a' | sed q; printf 'a' | sed -n 'p;q'; printf 'b' | sed 'p;Q'; echo '|'`,
  `printf 'a\\nb' | sed -n '$p;1p'; printf 'a\\nb' | sed '$!d'; echo '|'`,
  `printf 'l1\\nl2\\n' | sed 's/l/L/
s/1/one/
# a comment
2d'`,
  // Options, input forms.
  `echo abc | sed -n -e 's/a/A/p' -e 's/b/B/p'`,
  `echo abc | sed --expression='s/a/A/' --expression 's/c/C/'`,
  `echo abc | sed -ne 's/a/A/p'`,
  `echo abc | sed -nEe 's/(b)/[\\1]/p'`,
  `echo abc | sed --regexp-extended 's/b+/B/'`,
  `echo abc | sed --quiet -e p`,
  `echo abc | sed 's/a/A/p' -n`,
  `echo abc | sed -- 's/a/A/'`,
  `echo abc | sed 's/a/A/' -`,
  `echo abc | sed '#n
p'`,
  `sed 's/x/y/' <<< "xox"`,
  `sed 's/^/> /' <<'EOF'
one
two
EOF`,
  `v=$(printf '1.0\\n' | sed 's/\\./-/'); echo "[$v]"`,
  `echo "$(echo 1.2 | sed 's/\\.//')" && echo ok`,
];

Deno.test("sed gives what GNU sed gives", async () => {
  const { mismatches, refused } = await compareWithBash(SED_CASES);
  assertEquals(mismatches, []);
  assertEquals(refused, [
    `echo 1.2.3-beta.4 | sed -E 's/-(alpha|beta)//' || true => the sed regular expression ` +
    `/-(alpha|beta)/ uses alternation |, which POSIX (longest match) and JavaScript may match differently`,
    `echo hello | sed 's/\\(h\\)\\(x*\\)\\(e\\)/\\u\\2\\3/' || true => ` +
    `sed \\u or \\l before an empty group, which GNU sed handles specially`,
  ]);
});

/** Forms that read or write files, run commands, or could match differently than GNU sed. */
const REFUSED: [string, string][] = [
  [`sed -n 1p VERSION`, "reading the file 'VERSION'"],
  [`echo a | sed 's/a/b/' file`, "reading the file 'file'"],
  [`echo a | sed -i 's/a/b/' file`, "-i edits a file in place"],
  [`echo a | sed --in-place 's/a/b/'`, "edits a file in place"],
  [`echo a | sed -f script.sed`, "reads the script from a file"],
  [`sed 's/a/b/'`, "standard input the shell inherits"],
  [`echo a | sed 's/a/b/w out'`, "s flag w is not supported"],
  [`echo a | sed 's/a/date/e'`, "s flag e is not supported"],
  [`echo a | sed 'w out'`, "command w (writing a file)"],
  [`echo a | sed 'r in'`, "command r (reading a file)"],
  [`echo a | sed 'e date'`, "command e (running a command)"],
  [`echo a | sed 'y/a/b/'`, "command y (transliteration)"],
  [`echo a | sed 'a text'`, "command a (appending text)"],
  [`echo a | sed 'h;G'`, "command h (the hold space)"],
  [`echo a | sed ':x;bx'`, "command : (labels)"],
  [`echo a | sed '/a/{s/a/b/;}'`, "command { (blocks)"],
  [`echo a | sed '1,2d'`, "address ranges"],
  [`echo a | sed 's/a\\|ab/x/'`, "alternation \\|"],
  [`echo a | sed -E 's/a|ab/x/'`, "alternation |"],
  [`echo aa | sed 's/\\(a\\)\\1/x/'`, "back-reference \\1"],
  [`echo abab | sed 's/\\(ab\\)*/x/'`, "repeats a group"],
  [`echo abab | sed -E 's/(a*)+/x/'`, "repeats a group"],
  [`echo a | sed 's/[[=a=]]/x/'`, "equivalence class"],
  [`echo a | sed 's/\\ba/x/'`, "escape \\b"],
  [`echo a | sed 's/a/\\x41/'`, "replacement escape \\x"],
  [`echo a | sed 's/a/\\u\\L&/'`, "\\u not followed"],
  [`echo a | sed 's/a/\\1/'`, "refers to \\1"],
  [`echo a | sed 's//x/'`, "is empty"],
  [`echo a | sed 's/a/b'`, "unterminated"],
  [`echo a | sed 's/a/b/x'`, "extra characters"],
  [`echo a | sed -z p`, "-z is not supported"],
  [`echo é | sed 's/./x/'`, "non-ASCII"],
  [`echo a | sed 's/[z-a]/x/'`, "invalid range"],
  [`echo a | sed -E 's/a{2/x/'`, "misplaced {"],
  [`echo a | sed 's/a**/x/'`, "repeats a repetition"],
];

Deno.test("sed refuses files, commands it does not run and ambiguous regular expressions", () => {
  for (const [code, reason] of REFUSED) {
    const got = evalSnippet(code);
    if (!("refused" in got)) throw new Error(`not refused: ${code}`);
    assertStringIncludes(got.refused, reason, code);
  }
});

Deno.test("translatePosixRegex() translates BRE and ERE to JavaScript", () => {
  assertEquals(translatePosixRegex("a\\{2,\\}\\(b*\\)c\\+", false).source, "a{2,}(b*)c+");
  assertEquals(translatePosixRegex("*a+?(|){", false).source, "\\*a\\+\\?\\(\\|\\)\\{");
  assertEquals(translatePosixRegex("^a$b$", false).source, "^a\\$b$");
  assertEquals(translatePosixRegex("a{,3}(b)c?", true).source, "a{0,3}(b)c?");
  assertEquals(translatePosixRegex("[]a-c[:digit:]^-]", false).source, "[\\]a-c0-9\\^\\-]");
  assertEquals(translatePosixRegex("x.y", true).groups, 0);
});
