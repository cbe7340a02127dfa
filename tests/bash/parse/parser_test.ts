import { assert, assertEquals, assertThrows } from "../../_assert.ts";
import { parseBash } from "../../../src/bash/parse/parser.ts";
import { BashLimitError, BashSyntaxError } from "../../../src/bash/errors.ts";
import { ProvisionerError } from "../../../src/errors.ts";
import type {
  Assignment,
  CaseCommand,
  Command,
  FunctionDef,
  IfCommand,
  Pipeline,
  Script,
  SimpleCommand,
  Word,
} from "../../../src/bash/parse/ast.ts";
import { SNIPPETS } from "../_snippets.ts";

function commands(script: Script): Command[] {
  return script.body.map((st) => st.andOr.first.commands[0]);
}

function first(text: string): Command {
  return commands(parseBash(text))[0];
}

function simple(text: string): SimpleCommand {
  const cmd = first(text);
  assertEquals(cmd.type, "SimpleCommand");
  return cmd as SimpleCommand;
}

/** A compact rendering of a word: quoted literals in [], params as $name, substitutions as $(...). */
function show(w: Word | Assignment): string {
  if (w.type === "Assignment") {
    return `${w.name}${w.append ? "+=" : "="}${w.value.type === "Word" ? show(w.value) : "(...)"}`;
  }
  return w.parts.map((p) => {
    switch (p.type) {
      case "literal":
        return p.quoted ? `[${p.value}]` : p.value;
      case "param":
        return `$${p.name}`;
      case "commandSub":
        return `$(${p.source})`;
      case "arith":
        return `$((${p.source}))`;
      case "processSub":
        return `${p.direction}(${p.source})`;
      case "tilde":
        return `~${p.user}`;
    }
  }).join("");
}

Deno.test("parseBash() accepts and rejects exactly what bash -n accepts and rejects on the snippet set", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const problems: string[] = [];
    for (const [i, s] of SNIPPETS.entries()) {
      let mine = "";
      try {
        parseBash(s);
      } catch (e) {
        assert(e instanceof BashSyntaxError, `non-syntax error on ${JSON.stringify(s)}: ${e}`);
        mine = e.message;
      }
      const file = `${dir}/${i}.sh`;
      await Deno.writeTextFile(file, s);
      const out = await new Deno.Command("bash", {
        args: ["-n", file],
        stderr: "piped",
        stdout: "null",
      })
        .output();
      const err = new TextDecoder().decode(out.stderr).split("\n")
        .filter((l) => l !== "" && !l.includes("warning:")).join("\n");
      if ((mine === "") !== (err === "")) {
        problems.push(
          `${JSON.stringify(s)}: parseBash ${mine || "accepts"}; bash -n ${err || "accepts"}`,
        );
      }
    }
    assertEquals(problems, []);
    assert(SNIPPETS.length > 300);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseBash() splits simple commands into prefix assignments, words and redirects", () => {
  const cmd = simple(`CFLAGS+=" -O2" a[$i]=y make -j2 >log 2>&1 <in`);
  assertEquals(cmd.assignments.map(show), ["CFLAGS+=[ -O2]", "a=y"]);
  assertEquals(cmd.assignments[1].index?.type === "expr" && cmd.assignments[1].index.text, "$i");
  assertEquals(cmd.words.map(show), ["make", "-j2"]);
  assertEquals(cmd.redirects.map((r) => [r.fd, r.op, show(r.target)]), [
    [undefined, ">", "log"],
    [2, ">&", "1"],
    [undefined, "<", "in"],
  ]);
});

Deno.test("parseBash() parses array literals with keyed elements, comments and newlines", () => {
  const cmd = simple('a=(\n  one # first\n  "two three" [5]=five [k]+=more\n)');
  const value = cmd.assignments[0].value;
  assert(value.type === "ArrayLiteral");
  assertEquals(
    value.elements.map((e) =>
      e.type === "Word"
        ? show(e)
        : `[${e.key.type === "expr" && e.key.text}]${e.append ? "+=" : "="}${show(e.value)}`
    ),
    [
      "one",
      "[two three]",
      "[5]=five",
      "[k]+=more",
    ],
  );
});

Deno.test("parseBash() parses assignment-like arguments of declaration builtins as assignments", () => {
  const cmd = simple(`local -a x=() y=(1 2) z "w=1" v`);
  assertEquals(cmd.words.map((w) => w.type), [
    "Word",
    "Word",
    "Assignment",
    "Assignment",
    "Word",
    "Word",
    "Word",
  ]);
  assertEquals(simple("echo x=1").words.map((w) => w.type), ["Word", "Word"]);
});

Deno.test("parseBash() keeps quoting information on every word part", () => {
  const cmd = simple(`echo "a $b ${"$"}{c:-d e}" 'f g' \\h $'i\\tj' $"k" ""`);
  assertEquals(cmd.words.map(show), ["echo", "[a ]$b[ ]$c", "[f g]", "[h]", "[i\tj]", "[k]", "[]"]);
  const dq = cmd.words[1] as Word;
  assert(dq.parts.every((p) => p.quoted));
});

Deno.test("parseBash() follows bash's backslash rules inside double quotes", () => {
  assertEquals(simple(String.raw`echo "\$ \` \" \\ \a"`).words.map(show), [
    "echo",
    '[$ ` " \\ \\a]',
  ]);
});

Deno.test("parseBash() parses every parameter expansion operator", () => {
  const ops = (text: string) => {
    const w = simple(`echo ${text}`).words[1] as Word;
    const p = w.parts[0];
    assert(p.type === "param");
    return p;
  };
  const d = ops("${x:-a b}").op;
  assert(d?.kind === "default");
  assertEquals([d.op, show(d.word)], [":-", "a b"]);
  for (
    const [text, kind, op] of [
      ["${x-a}", "default", "-"],
      ["${x:=a}", "default", ":="],
      ["${x?a}", "default", "?"],
      ["${x:+a}", "default", ":+"],
      ["${x#a*}", "trim", "#"],
      ["${x##a*}", "trim", "##"],
      ["${x%a}", "trim", "%"],
      ["${x%%a}", "trim", "%%"],
      ["${x/a/b}", "replace", "/"],
      ["${x//\\//_}", "replace", "//"],
      ["${x/#a/b}", "replace", "/#"],
      ["${x/%a}", "replace", "/%"],
      ["${x^}", "case", "^"],
      ["${x^^}", "case", "^^"],
      ["${x,}", "case", ","],
      ["${x,,[a-z]}", "case", ",,"],
      ["${x@Q}", "transform", "Q"],
    ] as const
  ) {
    const p = ops(text);
    assertEquals([p.op?.kind, (p.op as { op?: string }).op], [kind, op], text);
  }
  const rep = ops("${x//\\//_}").op;
  assert(rep?.kind === "replace");
  assertEquals([show(rep.pattern), rep.replacement && show(rep.replacement)], ["[/]", "_"]);
  const sub = ops("${x:1:${#y}}").op;
  assert(sub?.kind === "substring");
  assertEquals([show(sub.offset), sub.length && show(sub.length)], ["[1]", "$y"]);
  assertEquals(ops("${#x}").length, true);
  assertEquals(ops("${#a[@]}").index, { type: "all", star: false });
  assertEquals(ops("${!x}").indirect, true);
  assertEquals(ops("${!a[*]}").index, { type: "all", star: true });
  assertEquals(ops("${!pre*}").op, { kind: "names", star: true });
  assertEquals(ops("${10}").name, "10");
  assertEquals(ops("${#}").name, "#");
  assertEquals(ops("${foo bar}").op, { kind: "bad", text: "foo bar" });
});

Deno.test("parseBash() parses single-character special parameters", () => {
  const w = simple("echo $# $? $$ $! $- $0 $9 $@ $* $10").words.slice(1) as Word[];
  assertEquals(w.map(show), ["$#", "$?", "$$", "$!", "$-", "$0", "$9", "$@", "$*", "$10"]);
  assertEquals(w[9].parts.length, 2);
});

Deno.test("parseBash() parses quotes inside ${...} by bash's rules for each operator", () => {
  const w = (text: string) => (simple(`echo ${text}`).words[1] as Word).parts[0];
  const dflt = w(`"${"$"}{y:-'q'}"`);
  assert(dflt.type === "param" && dflt.op?.kind === "default");
  assertEquals(show(dflt.op.word), "['q']");
  const trim = w(`"${"$"}{x#'a'}"`);
  assert(trim.type === "param" && trim.op?.kind === "trim");
  assertEquals(show(trim.op.pattern), "[a]");
  // the first unquoted `}` closes: bash does not pair a plain `{` inside `${...}`
  const nested = simple("echo ${x:-{a}}").words[1] as Word;
  const [param, rest] = nested.parts;
  assert(param.type === "param" && param.op?.kind === "default");
  assertEquals(show(param.op.word), "{a");
  assertEquals(rest, { type: "literal", value: "}", quoted: false, pos: rest.pos });
});

Deno.test("parseBash() parses command, arithmetic and process substitutions recursively", () => {
  const cmd = simple(
    'echo "$(case $x in a) echo ")";; esac)" $((1 << (2))) `echo \\`hi\\`` <(cat) $[1+2]',
  );
  assertEquals(cmd.words.map(show), [
    "echo",
    '$(case $x in a) echo ")";; esac)',
    "$((1 << (2)))",
    "$(echo `hi`)",
    "<(cat)",
    "$((1+2))",
  ]);
  const sub = (cmd.words[1] as Word).parts[0];
  assert(sub.type === "commandSub");
  assertEquals(sub.script.body[0].andOr.first.commands[0].type, "Case");
  assertEquals(
    show(simple("echo $((echo a); (echo b))").words[1] as Word),
    "$((echo a); (echo b))",
  );
});

Deno.test("parseBash() reads heredoc bodies, several per line, quoted and tab-stripped", () => {
  const script = parseBash(
    "cat <<A <<-'B'; echo done\nbody $x\nA\n\tliteral $y\n\tB\necho after\n",
  );
  const cmd = commands(script)[0] as SimpleCommand;
  const [a, b] = cmd.redirects.map((r) => r.heredoc!);
  assertEquals([a.delimiter, a.quoted, a.stripTabs, a.text], ["A", false, false, "body $x\n"]);
  assertEquals(show(a.body), "[body ]$x[\n]");
  assertEquals([b.delimiter, b.quoted, b.stripTabs, b.text, show(b.body)], [
    "B",
    true,
    true,
    "literal $y\n",
    "[literal $y\n]",
  ]);
  assertEquals(commands(script).length, 3);
  assertEquals(show((commands(script)[2] as SimpleCommand).words[1] as Word), "after");
});

Deno.test("parseBash() reads a heredoc inside a command substitution and a function body", () => {
  const script = parseBash("x=$(cat <<EOF\n)\nEOF\n)\nf() {\n  cat <<EOF\n}\nEOF\n}\n");
  const fn = commands(script)[1] as FunctionDef;
  assertEquals(fn.type, "FunctionDef");
  assertEquals(fn.source, "f() {\n  cat <<EOF\n}\nEOF\n}");
});

Deno.test("parseBash() parses if/elif/else, loops and case with every terminator", () => {
  const ifc = first("if a; then b; elif c; then d; else e; fi") as IfCommand;
  assertEquals([ifc.clauses.length, ifc.elseBody?.length], [2, 1]);
  const cs = first("case $x in (a|b) x;; *.gz) y;& c) ;;& d) esac") as CaseCommand;
  assertEquals(cs.items.map((i) => [i.patterns.map(show), i.terminator]), [
    [["a", "b"], ";;"],
    [["*.gz"], ";&"],
    [["c"], ";;&"],
    [["d"], null],
  ]);
  assertEquals(first("for x in a b; do :; done").type, "For");
  assertEquals((first("for x; do :; done") as { words?: Word[] }).words, undefined);
  assertEquals(first("for ((i=0; i<3; i++)) { :; }").type, "ArithFor");
  assertEquals(first("while read -r l; do :; done < <(cmd)").type, "While");
  assertEquals(first("until :; do :; done").type, "While");
  assertEquals(first("select x in a; do :; done").type, "Select");
});

Deno.test("parseBash() distinguishes (( )) arithmetic from nested subshells", () => {
  assertEquals(first("(( i++ ))").type, "Arith");
  assertEquals(first("((echo a); (echo b))").type, "Subshell");
  assertEquals(first("( (echo a) )").type, "Subshell");
});

Deno.test("parseBash() parses [[ ]] into a test expression tree", () => {
  const t = first('[[ ! -f x || $a == "b"* && $v =~ ^[0-9]+(\\.[0-9]+)?$ ]]');
  assert(t.type === "Test");
  assert(t.expr.type === "TestOr");
  assertEquals(t.expr.left.type, "TestNot");
  const and = t.expr.right;
  assert(and.type === "TestAnd");
  assert(and.left.type === "TestBinary" && and.right.type === "TestBinary");
  assertEquals([and.left.op, show(and.left.right)], ["==", "[b]*"]);
  assertEquals([and.right.op, show(and.right.right)], ["=~", "^[0-9]+([.][0-9]+)?$"]);
  const lt = first("[[ a < b ]]");
  assert(lt.type === "Test" && lt.expr.type === "TestBinary");
  assertEquals(lt.expr.op, "<");
});

Deno.test("parseBash() parses pipelines with !, time, |& and and-or lists", () => {
  const st = parseBash("! time a |& b && c || d &").body[0];
  const p: Pipeline = st.andOr.first;
  assertEquals([p.negated, p.timed, p.commands.length, p.pipeStderr], [true, true, 2, [true]]);
  assertEquals(parseBash("! a").body[0].andOr.first.negated, true);
  assertEquals(st.andOr.rest.map((r) => r.op), ["&&", "||"]);
  assertEquals(st.background, true);
});

Deno.test("parseBash() treats reserved words as words outside command position", () => {
  assertEquals(simple("echo if then fi { } done").words.map(show), [
    "echo",
    "if",
    "then",
    "fi",
    "{",
    "}",
    "done",
  ]);
  assertEquals(simple("echo a#b #c").words.map(show), ["echo", "a#b"]);
});

Deno.test("parseBash() parses function definitions in every form with verbatim source", () => {
  for (
    const [text, name] of [
      ["f() { :; }", "f"],
      ["function f { :; }", "f"],
      ["function f() ( : )", "f"],
      ["f-x.y:z () [[ x ]]", "f-x.y:z"],
      ["f()\n{\n  :\n} >/dev/null", "f"],
    ]
  ) {
    const fn = first(text);
    assert(fn.type === "FunctionDef", text);
    assertEquals([fn.name, fn.source], [name, text]);
  }
});

Deno.test("parseBash() handles line continuations, tildes and brace text", () => {
  assertEquals(simple("ec\\\nho a\\\nb").words.map(show), ["echo", "ab"]);
  assertEquals(simple("echo ~ ~/x ~root/y a~").words.map(show), [
    "echo",
    "~",
    "~/x",
    "~root/y",
    "a~",
  ]);
  assertEquals(simple("x=~/a:~/b").assignments.map(show), ["x=~/a:~/b"]);
  assertEquals(simple("echo {a,b}{1..3}").words.map(show), ["echo", "{a,b}{1..3}"]);
});

Deno.test("parseBash() records 1-based positions and offsets", () => {
  const script = parseBash("a=1\n  echo  hi\n");
  const st = script.body[1];
  assertEquals(st.pos, { line: 2, column: 3 });
  assertEquals("a=1\n  echo  hi\n".slice(st.offset, st.end), "echo  hi");
  const w = (st.andOr.first.commands[0] as SimpleCommand).words[1] as Word;
  assertEquals([w.pos, w.offset, w.end], [{ line: 2, column: 9 }, 12, 14]);
});

Deno.test("parseBash() reports syntax errors with line, column and the unexpected token", () => {
  const e = assertThrows(() => parseBash("if true; then\n  echo\nfi fi\n"), BashSyntaxError);
  assertEquals([e.code, e.line, e.column], ["BASH_SYNTAX", 3, 4]);
  assertEquals(e.message, "syntax error at line 3, column 4: unexpected 'fi'");
  assertEquals(e.exitCode, 10);
  assert(e instanceof ProvisionerError);
  const q = assertThrows(() => parseBash('echo "abc\n'), BashSyntaxError);
  assertEquals([q.line, q.column], [1, 6]);
});

Deno.test("parseBash() refuses carriage returns when asked to (as makepkg does)", () => {
  const e = assertThrows(
    () => parseBash("pkgname=x\r\npkgver=1\r\n", { rejectCarriageReturn: true }),
    BashSyntaxError,
  );
  assertEquals([e.code, e.line, e.column], ["BASH_CARRIAGE_RETURN", 1, 10]);
  assertEquals(parseBash("x=$'\\r'\n").body.length, 1);
  assertEquals(parseBash("a\r\n", { rejectCarriageReturn: false }).body.length, 1);
});

Deno.test("parseBash() throws a typed limit error for huge or deeply nested input", () => {
  const big = assertThrows(() => parseBash("x".repeat(100), { maxLength: 99 }), BashLimitError);
  assertEquals(big.code, "BASH_TOO_COMPLEX");
  for (
    const deep of [
      "$(".repeat(5000),
      "(".repeat(5000),
      "${x:-".repeat(5000),
      '"$('.repeat(3000),
      "[[ " + "! ".repeat(3000),
    ]
  ) {
    const e = assertThrows(() => parseBash(deep), BashLimitError);
    assertEquals(e.code, "BASH_TOO_COMPLEX");
  }
  assertEquals(parseBash("$(".repeat(40) + ")".repeat(40)).body.length, 1);
  const many = assertThrows(() => parseBash("a ".repeat(1000), { maxNodes: 999 }), BashLimitError);
  assertEquals(many.code, "BASH_TOO_COMPLEX");
  assertEquals(parseBash("a ".repeat(998), { maxNodes: 999 }).body.length, 1);
});

async function fixturePkgbuilds(): Promise<string[]> {
  const dir = new URL("../../../fixtures/pkgbuild/", import.meta.url);
  const files: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) files.push(new URL(`${e.name}/PKGBUILD`, dir).pathname);
  }
  if (files.length < 100) throw new Error(`only ${files.length} fixture PKGBUILDs in ${dir}`);
  return files.sort();
}

Deno.test("parseBash() agrees with bash -n on every fixture PKGBUILD, and function sources re-parse alone", async () => {
  const files = await fixturePkgbuilds();
  const out = await new Deno.Command("bash", {
    args: [
      "-c",
      // bash -n runs no shopt: a recipe that turns extglob on at the top is checked with it on
      'for f; do o=; grep -q "^shopt -s extglob" "$f" && o="-O extglob"; ' +
      'bash $o -n "$f" 2>&1 | grep -v "warning:" | grep -q . && echo "$f"; done; true',
      "_",
      ...files,
    ],
    stdout: "piped",
  }).output();
  const rejectedByBash = new Set(new TextDecoder().decode(out.stdout).split("\n").filter((l) => l));
  const problems: string[] = [];
  let functions = 0;
  for (const file of files) {
    const text = await Deno.readTextFile(file);
    let script: Script | undefined;
    try {
      script = parseBash(text);
    } catch (e) {
      if (!rejectedByBash.has(file)) problems.push(`${file}: ${e}`);
      continue;
    }
    if (rejectedByBash.has(file)) {
      problems.push(`${file}: bash -n rejects it, parseBash accepts it`);
    }
    for (const st of script.body) {
      const fn = st.andOr.first.commands[0];
      if (fn.type !== "FunctionDef") continue;
      functions++;
      const again = commands(parseBash(fn.source))[0];
      if (again.type !== "FunctionDef" || again.name !== fn.name || again.source !== fn.source) {
        problems.push(`${file}: function ${fn.name} does not re-parse from its source`);
      }
      if (text.slice(st.offset, st.end) !== fn.source) {
        problems.push(`${file}: statement offsets of ${fn.name}`);
      }
    }
  }
  assertEquals(problems, []);
  assert(files.length === 0 || functions > 0);
});

Deno.test("parseBash() reads extglob groups as words on the lines after a top-level shopt -s extglob, as bash does", async () => {
  const scripts = [
    "shopt -s extglob\necho @(a b|c) x+(y)z\n",
    "shopt -s extglob\ncase x in +(a)b|!(c)) echo y;; esac\n",
    "shopt -s extglob; echo @(a)\n",
    "shopt -s extglob\nshopt -u extglob\necho @(a)\n",
    "f() {\nshopt -s extglob\necho @(a)\n}\n",
    "shopt -qs extglob\nv=( ?(a) *(b|c) )\n",
    "shopt -s nullglob extglob\nf() { echo @(x|y); }\n",
    "echo $(shopt -s extglob\necho @(a))\n",
    'shopt -s extglob\necho "$(echo @(a|b))"\n',
    "shopt -s extglob\necho @(a\n",
  ];
  const dir = await Deno.makeTempDir();
  try {
    const problems: string[] = [];
    for (const [i, s] of scripts.entries()) {
      let mine = "accepts";
      try {
        parseBash(s);
      } catch (e) {
        assert(e instanceof BashSyntaxError, String(e));
        mine = "rejects";
      }
      // bash -n never runs shopt, so run the script (in an empty directory: globs match nothing)
      const file = `${dir}/${i}.sh`;
      await Deno.writeTextFile(file, s);
      const out = await new Deno.Command("bash", { args: [file], cwd: dir, stderr: "piped" })
        .output();
      const err = new TextDecoder().decode(out.stderr);
      const theirs = /syntax error|unexpected EOF/.test(err) ? "rejects" : "accepts";
      if (mine !== theirs) problems.push(`${JSON.stringify(s)}: parseBash ${mine}, bash ${theirs}`);
    }
    assertEquals(problems, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const cmd = commands(parseBash("shopt -s extglob\necho @(a b|c) x+(y)z\n"))[1] as SimpleCommand;
  assertEquals(cmd.words.map(show), ["echo", "@(a b|c)", "x+(y)z"]);
});
