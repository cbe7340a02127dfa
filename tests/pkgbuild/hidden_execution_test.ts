/**
 * Hidden execution: constructs that make bash run a command while it
 * sources a PKGBUILD (as makepkg's `source_safe` does, from inside a
 * function), though no command is written as one. For each class, real
 * bash sourcing the PKGBUILD in a temporary directory creates a marker file
 * (so the case really runs something), and `parsePkgbuild` refuses it with
 * a typed `PkgbuildRefusedError` (exit code 10) that names the construct.
 */

import { assert, assertEquals, fail } from "../_assert.ts";
import { parsePkgbuild } from "../../src/pkgbuild/parse.ts";
import { PkgbuildRefusedError } from "../../src/pkgbuild/errors.ts";
import { ExitCode } from "../../src/errors.ts";

/** One class of hidden execution: PKGBUILD lines (`touch MARK` is the command) and the refusal. */
interface HiddenCase {
  readonly name: string;
  readonly lines: readonly string[];
  readonly refusal: RegExp;
}

const SUBST = /bash would run the command substitution/;
const EXTERNAL = /external command 'touch'/;

const CASES: readonly HiddenCase[] = [
  {
    name: "a subscript with $(...) in declare/local/typeset arguments",
    lines: [
      "declare 'a[$(touch MARK)]=1'",
      "local 'a[$(touch MARK)]=1'",
      "typeset 'a[$(touch MARK)]=1'",
    ],
    refusal: SUBST,
  },
  {
    name: "an array value with $(...) in a declaration argument",
    lines: ['declare -a "x=(\\$(touch MARK))"', "declare -a 'x=($(touch MARK))'"],
    refusal: SUBST,
  },
  {
    name: "an associative key with $(...) in a declaration argument",
    lines: ['declare -A h; declare "h[\\$(touch MARK)]=1"'],
    refusal: SUBST,
  },
  {
    name: "an assignment subscript that bash evaluates as arithmetic",
    lines: [
      "a['$(touch MARK)']=1",
      "x='a[$(touch MARK)]'; b=(1); b[x]=2",
      "x='a[$(touch MARK)]'; arr=([x]=1)",
      "x='a[$(touch MARK)]'; declare -a arr=([x]=1)",
      "b=(1); printf -v 'b[$(touch MARK)]' x",
    ],
    refusal: SUBST,
  },
  {
    name: "a command substitution in an expansion subscript or arithmetic",
    lines: [
      "a[$(touch MARK)]=1",
      "b=(1); : ${b[$(touch MARK)]}",
      ": $(( $(touch MARK) 1 ))",
      "(( $(touch MARK) 1 ))",
    ],
    refusal: EXTERNAL,
  },
  {
    name: "an indirect reference whose subscript holds $(...)",
    lines: ["b=(1); x='b[$(touch MARK)]'; : ${!x}"],
    refusal: SUBST,
  },
  {
    name: "a variable whose contents arithmetic evaluates recursively",
    lines: [
      "x='a[$(touch MARK)]'; : $((x))",
      "x='a[`touch MARK`]'; : $((x))",
      "x='a[$(touch MARK)]'; ((x)) || true",
      "x='a[$(touch MARK)]'; let x || true",
      "x='a[$(touch MARK)]'; : $[x]",
      "x='a[$(touch MARK)]'; : $(( x + 1 ))",
      "x='a[$(touch MARK)]'; declare -i y; y=x",
      "x='a[$(touch MARK)]'; declare -i y=x",
      "x='a[$(touch MARK)]'; b=(1 2); : ${b[x]}",
      "x='a[$(touch MARK)]'; s=abc; : ${s:x}",
      "x='a[$(touch MARK)]'; for ((i=x; i<0; i++)); do :; done",
      "x='a[$(touch MARK)]'; [[ $x -eq 0 ]] || true",
      "x='a[$(touch MARK)]'; case 1 in $((x))) ;; esac",
      "x='a[$(touch MARK)]'; b=(1); unset 'b[x]'",
    ],
    refusal: SUBST,
  },
  {
    name: "-v tests of a subscript with $(...)",
    lines: [
      "[[ -v 'a[$(touch MARK)]' ]] || true",
      "test -v 'a[$(touch MARK)]' || true",
      "[ -v 'a[$(touch MARK)]' ] || true",
    ],
    refusal: /a -v test with an expanded subscript/,
  },
  {
    name: "an unset subscript with $(...)",
    lines: ["b=(1); unset 'b[$(touch MARK)]'"],
    refusal: SUBST,
  },
  {
    name: "hook variables bash runs (PS4 under xtrace)",
    lines: [
      "PS4='$(touch MARK)'; set -x; :; set +x",
      "PS4='+$(touch MARK)'; set -o xtrace; :; set +o xtrace",
    ],
    refusal: /'PS4' is a hook or option variable of bash/,
  },
  {
    name: "traps",
    lines: ["trap 'touch MARK' EXIT", "trap 'touch MARK' RETURN", "trap 'touch MARK' DEBUG; :"],
    refusal: /builtin 'trap'/,
  },
  {
    name: "aliases with expand_aliases",
    lines: ["shopt -s expand_aliases\nalias foo='touch MARK'\nfoo"],
    refusal: /expand_aliases/,
  },
  {
    name: "eval of a string holding $(...)",
    // the substitution eval runs is an unknown value: refused where its output is used
    lines: ["x='$(touch MARK)'; eval \"pkgdesc=$x\""],
    refusal: EXTERNAL,
  },
];

/** Whether bash, sourcing `text` from a function as makepkg does, ran `touch MARK`. */
async function bashRuns(text: string): Promise<boolean> {
  const dir = await Deno.makeTempDir({ prefix: "hidden-exec-" });
  try {
    await Deno.writeTextFile(`${dir}/PKGBUILD`, text);
    await new Deno.Command("bash", {
      args: ["-c", "source_safe() { source PKGBUILD; }; source_safe"],
      cwd: dir,
      env: { PATH: "/usr/bin:/bin" },
      clearEnv: true,
      stdout: "null",
      stderr: "null",
    }).output();
    try {
      await Deno.stat(`${dir}/MARK`);
      return true;
    } catch {
      return false;
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function refusal(text: string): PkgbuildRefusedError {
  try {
    parsePkgbuild(text, { carch: "x86_64" });
  } catch (e) {
    if (e instanceof PkgbuildRefusedError) return e;
    throw e;
  }
  fail(`accepted:\n${text}`);
}

const HEADER = "pkgname=x\npkgver=1\npkgrel=1\narch=(any)\n";

for (const c of CASES) {
  Deno.test(`hidden execution: ${c.name} runs a command in bash and is refused`, async () => {
    for (const line of c.lines) {
      const text = `${HEADER}${line}\npackage() { :; }\n`;
      assert(await bashRuns(text), `bash did not run the command of: ${line}`);
      const e = refusal(text);
      assertEquals(e.exitCode, ExitCode.pkgbuildInvalid);
      assertEquals(e.code, "PKGBUILD_REFUSED");
      assert(c.refusal.test(e.message), `${line}: refused for another reason: ${e.message}`);
    }
  });
}

Deno.test("hidden execution: enable, alias and $(...) in declaration names are refused even where they run nothing", () => {
  const lines = [
    "enable -n echo",
    "alias ll='ls -l'",
    "shopt -s expand_aliases",
    "declare -a 'b[$(touch MARK)]'",
    "PROMPT_COMMAND='touch MARK'",
    "BASH_ENV=/tmp/x",
    "ENV=/tmp/x",
  ];
  for (const line of lines) {
    assertEquals(refusal(`${HEADER}${line}\n`).code, "PKGBUILD_REFUSED");
  }
});

Deno.test("hidden execution: the same forms without a command substitution still evaluate", () => {
  const text = `${HEADER}x='1+1'; y=$((x)); b=(a b c); z=\${b[x]}; declare -i n=x\n` +
    "declare -a 'arr'; pkgdesc=\"$y $z $n\"\n";
  assertEquals(parsePkgbuild(text, { carch: "x86_64" }).variables.pkgdesc, "2 c 2");
});
