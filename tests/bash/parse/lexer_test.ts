import { assert, assertEquals, assertThrows } from "../../_assert.ts";
import { parseBash } from "../../../src/bash/parse/parser.ts";
import { BashSyntaxError } from "../../../src/bash/errors.ts";
import { decodeAnsiC } from "../../../src/bash/parse/_lex_ansi.ts";
import { delimiterText } from "../../../src/bash/parse/_heredoc.ts";
import type { SimpleCommand, Word, WordPart } from "../../../src/bash/parse/ast.ts";

function words(text: string): Word[] {
  const cmd = parseBash(text).body[0].andOr.first.commands[0] as SimpleCommand;
  return cmd.words as Word[];
}

function parts(text: string): Omit<WordPart, "pos">[] {
  return words(`echo ${text}`)[1].parts.map((p) => {
    const { pos: _pos, ...rest } = p;
    return rest;
  });
}

/** Runs `printf %s WORD` in bash and returns the bytes as a string, for words without expansions. */
async function bashValue(word: string): Promise<string> {
  const out = await new Deno.Command("bash", { args: ["-c", `printf %s ${word}`], stdout: "piped" })
    .output();
  return new TextDecoder().decode(out.stdout);
}

function literalValue(word: Word): string {
  return word.parts.map((p) => (p.type === "literal" ? p.value : "?")).join("");
}

Deno.test("the lexer removes quotes exactly as bash does for words without expansions", async () => {
  const cases = [
    `'a b'"c d"e\\ f`,
    `"a\\$b\\\`c\\"d\\\\e\\f"`,
    `\\'\\"\\\\`,
    `$'a\\tb\\n\\x41\\101\\u00e9\\'\\\\\\q'`,
    `$'\\cA\\e\\E\\a\\b\\f\\v\\r\\?'`,
    `''""$''`,
    `a'b'"c"$'d'`,
    `"a\\
b"`,
    `a\\
b`,
    `'a\\
b'`,
    `$'a\\
b'`,
    `"it's"`,
    `'say "hi"'`,
    `\\#x`,
    `"\\!"`,
  ];
  for (const c of cases) {
    const w = words(`printf %s ${c}`)[2];
    assertEquals(literalValue(w), await bashValue(c), c);
  }
});

Deno.test("the lexer marks quoted and unquoted literals for globbing and splitting", () => {
  assertEquals(parts(`*."tar"'.gz'\\*`), [
    { type: "literal", value: "*.", quoted: false },
    { type: "literal", value: "tar.gz*", quoted: true },
  ]);
  assertEquals(parts(`""`), [{ type: "literal", value: "", quoted: true }]);
  assertEquals(parts(`a""`), [{ type: "literal", value: "a", quoted: false }, {
    type: "literal",
    value: "",
    quoted: true,
  }]);
});

Deno.test("the lexer decodes ANSI-C escapes like bash, stopping at a NUL", () => {
  assertEquals(decodeAnsiC("a\\x41\\x4a\\0b"), "aAJ");
  assertEquals(decodeAnsiC("\\u263a\\U0001F600"), "\u263a\u{1F600}");
  assertEquals(decodeAnsiC("\\z\\x\\u"), "\\z\\x\\u");
  assertEquals(decodeAnsiC("\\c?\\ca"), "\x7f\x01");
  assertEquals(decodeAnsiC("\\1010"), "A0");
});

Deno.test("the lexer removes quoting from heredoc delimiters", () => {
  assertEquals(delimiterText(`'EOF'`), "EOF");
  assertEquals(delimiterText(`"E"O\\F`), "EOF");
  assertEquals(delimiterText(`E'N'D`), "END");
  assertEquals(delimiterText(`$'EOF'`), "EOF");
});

Deno.test("the lexer treats # as a comment only at the start of a word", () => {
  assertEquals(words("echo a#b ${#x} $# '#' \\# #rest").length, 6);
  assertEquals(parseBash("# only a comment\n  # another\n").body, []);
});

Deno.test("the lexer keeps line continuations out of single quotes and comments", () => {
  const script = parseBash("echo 'a\\\nb' # c \\\necho d\n");
  assertEquals(script.body.length, 2);
  assertEquals(literalValue(words("echo 'a\\\nb'")[1]), "a\\\nb");
});

Deno.test("the lexer reads operators and parameters split by line continuations", () => {
  const st = parseBash("a &\\\n& b").body[0];
  assertEquals(st.andOr.rest.map((r) => r.op), ["&&"]);
  const w = words("echo $\\\nxy a$\\\n{b}");
  assertEquals(w.slice(1).map((x) => x.parts.map((p) => p.type === "param" ? p.name : "")), [
    ["xy"],
    ["", "b"],
  ]);
});

Deno.test("the lexer reads extglob patterns inside [[ ]] but not in command words", () => {
  const t = parseBash("[[ $f == *.@(gz|xz) && $g != !(a b) ]]").body[0].andOr.first.commands[0];
  assert(t.type === "Test");
  assertThrows(() => parseBash("echo @(a|b)"), BashSyntaxError);
});

Deno.test("the lexer reads the raw regex after =~, with parentheses, | and spaces in groups", () => {
  const t = parseBash("[[ $v =~ ^(a b|c)[0-9]+$ ]]").body[0].andOr.first.commands[0];
  assert(t.type === "Test" && t.expr.type === "TestBinary");
  assertEquals(literalValue(t.expr.right), "^(a b|c)[0-9]+$");
});

Deno.test("the lexer refuses unterminated quotes and substitutions with the opening position", () => {
  for (
    const [text, line, column] of [[`x="abc`, 1, 3], [`x='abc`, 1, 3], ["x=`abc", 1, 3]] as const
  ) {
    const e = assertThrows(() => parseBash(text), BashSyntaxError);
    assertEquals([e.line, e.column], [line, column], text);
  }
});

Deno.test("heredoc bodies without expansions read exactly what bash feeds to the command", async () => {
  const cases = [
    "cat <<'EOF'\n  a $x `y` \\z \\\n b\nEOF\n",
    "cat <<EOF\n  a \\$x \\`y\\` \\\\z \\q \\\n b\nEOF\n",
    "cat <<-EOF\n\t\ta\n\t  b\n\tEOF\n",
    "cat <<-'E O'\n\tx\n\tE O\n",
    'cat <<"EOF"\nEOF \nEOFX\n EOF\nEOF\n',
    "cat <<EOF\n\nEOF\n",
    "cat <<EOF\nEOF\n",
    "cat <<A; cat <<B\n1\nA\n2\nB\n",
    "cat <<EOF\nno end\n",
  ];
  for (const text of cases) {
    const out = await new Deno.Command("bash", {
      args: ["-c", text],
      stdout: "piped",
      stderr: "null",
    })
      .output();
    const expected = new TextDecoder().decode(out.stdout);
    const script = parseBash(text);
    const mine = script.body.map((st) => {
      const cmd = st.andOr.first.commands[0] as SimpleCommand;
      return literalValue(cmd.redirects[0].heredoc!.body);
    }).join("");
    assertEquals(mine, expected, JSON.stringify(text));
  }
});
