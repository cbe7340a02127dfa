/**
 * Compound commands: `if`, `for` (both forms), `select`, `while`/`until`,
 * `case`, `{ }`, `( )`, `(( ))`, `[[ ]]`, `coproc`, and function
 * definitions (`function` keyword form and the bodies of every form).
 *
 * @module
 */

import type {
  ArithCommand,
  CaseCommand,
  CaseItem,
  Command,
  CompoundCommand,
  FunctionDef,
  IfCommand,
  Position,
  Statement,
  Word,
} from "./ast.ts";
import { type Cursor, isName, skipSpace } from "./_lex_cursor.ts";
import {
  consumeWord,
  parseCommand,
  parseList,
  parseNonEmptyList,
  plainWordAt,
  reservedAt,
  skipLinebreaks,
} from "./_commands.ts";
import { parseRedirects } from "./_simple.ts";
import { readWord, readWordOf } from "./_words.ts";
import { arithAhead } from "./_dollar.ts";
import { parseTestCommand } from "./_conditional.ts";

/** Expects and consumes the reserved word `w` after optional linebreaks. */
function expectWord(c: Cursor, w: string): void {
  skipLinebreaks(c);
  if (plainWordAt(c) !== w) c.unexpected(`'${w}'`);
  consumeWord(c, w);
}

/**
 * Parses the compound command starting with reserved word `word` (or `(`),
 * with its trailing redirections; returns null when none starts here.
 */
export function parseCompound(c: Cursor, word: string): Command | null {
  let cmd: CompoundCommand | null = null;
  const pos = c.pos();
  switch (word) {
    case "if":
      cmd = parseIf(c, pos);
      break;
    case "for":
    case "select":
      cmd = parseFor(c, pos, word);
      break;
    case "while":
    case "until":
      consumeWord(c, word);
      cmd = {
        type: "While",
        until: word === "until",
        condition: parseNonEmptyList(c, `the '${word}' condition`),
        body: parseDoGroup(c),
        redirects: [],
        pos,
      };
      break;
    case "case":
      cmd = parseCase(c, pos);
      break;
    case "{":
      consumeWord(c, "{");
      cmd = { type: "BraceGroup", body: parseNonEmptyList(c, "'{ }'"), redirects: [], pos };
      expectWord(c, "}");
      break;
    case "[[":
      consumeWord(c, "[[");
      cmd = { type: "Test", expr: parseTestCommand(c), redirects: [], pos };
      break;
    case "function":
      return parseFunctionKeyword(c, pos);
    case "coproc":
      return parseCoproc(c, pos);
  }
  if (cmd === null && c.peek() === "(") {
    cmd = c.peekAt(1) === "(" && arithAhead(c.text, c.i)
      ? parseArithCommand(c, pos)
      : parseSubshell(c, pos);
  }
  if (cmd === null) return null;
  parseRedirects(c, cmd.redirects);
  return cmd;
}

function parseSubshell(c: Cursor, pos: Position): CompoundCommand {
  c.next();
  const body = parseNonEmptyList(c, "'( )'");
  skipLinebreaks(c);
  if (c.peek() !== ")") c.unexpected("')'");
  c.next();
  c.lastEnd = c.i;
  return { type: "Subshell", body, redirects: [], pos };
}

function parseArithCommand(c: Cursor, pos: Position): ArithCommand {
  c.advance(2);
  const start = c.i;
  const expr = readWordOf(c, "arith");
  const source = c.text.slice(start, c.i);
  if (c.peek() !== ")" || c.peekAt(1) !== ")") c.unexpected("'))'");
  c.advance(2);
  c.lastEnd = c.i;
  return { type: "Arith", expr, source, redirects: [], pos };
}

function parseIf(c: Cursor, pos: Position): IfCommand {
  consumeWord(c, "if");
  const clauses: IfCommand["clauses"] = [];
  let elseBody: Statement[] | undefined;
  for (;;) {
    const condition = parseNonEmptyList(c, "the 'if' condition");
    expectWord(c, "then");
    clauses.push({ condition, body: parseNonEmptyList(c, "the 'then' branch") });
    skipLinebreaks(c);
    const w = plainWordAt(c);
    if (w === "elif") {
      consumeWord(c, "elif");
      continue;
    }
    if (w === "else") {
      consumeWord(c, "else");
      elseBody = parseNonEmptyList(c, "the 'else' branch");
    }
    break;
  }
  expectWord(c, "fi");
  const cmd: IfCommand = { type: "If", clauses, redirects: [], pos };
  if (elseBody) cmd.elseBody = elseBody;
  return cmd;
}

/** Parses `do list done` or `{ list }` (after optional linebreaks). */
function parseDoGroup(c: Cursor): Statement[] {
  skipLinebreaks(c);
  const w = plainWordAt(c);
  if (w === "{") {
    consumeWord(c, "{");
    const body = parseNonEmptyList(c, "the loop body");
    expectWord(c, "}");
    return body;
  }
  if (w !== "do") c.unexpected("'do'");
  consumeWord(c, "do");
  const body = parseNonEmptyList(c, "the loop body");
  expectWord(c, "done");
  return body;
}

function parseFor(c: Cursor, pos: Position, word: "for" | "select"): CompoundCommand {
  consumeWord(c, word);
  skipSpace(c);
  if (word === "for" && c.peek() === "(" && c.peekAt(1) === "(") return parseArithFor(c, pos);
  const nameWord = readWord(c);
  const name = nameWord
    ? c.text.slice(nameWord.offset - c.base.offset, nameWord.end - c.base.offset)
    : "";
  if (!isName(name)) {
    c.fail(`'${name}' is not a valid loop variable name`, nameWord ? c.i - name.length : c.i);
  }
  skipLinebreaks(c);
  let words: Word[] | undefined;
  if (plainWordAt(c) === "in") {
    consumeWord(c, "in");
    words = [];
    for (;;) {
      skipSpace(c);
      const ch = c.peek();
      if (ch === ";" || ch === "\n" || ch === "") break;
      const w = readWord(c);
      if (w === null) c.unexpected("';' or a newline after the word list");
      words.push(w);
    }
    if (c.peek() === ";") c.next();
  } else if (c.peek() === ";") c.next();
  const body = parseDoGroup(c);
  const type = word === "for" ? "For" : "Select";
  return words
    ? { type, name, words, body, redirects: [], pos }
    : { type, name, body, redirects: [], pos };
}

function parseArithFor(c: Cursor, pos: Position): CompoundCommand {
  c.advance(2);
  const parts: (Word | undefined)[] = [];
  for (let k = 0; k < 3; k++) {
    const w = readWordOf(c, "arith", { until: k < 2 ? ";" : "" });
    parts.push(
      w.parts.length > 0 && /\S/.test(c.text.slice(w.offset - c.base.offset, c.i)) ? w : undefined,
    );
    if (k < 2) {
      if (c.peek() !== ";") c.unexpected("';' in 'for ((...))'");
      c.next();
    }
  }
  if (c.peek() !== ")" || c.peekAt(1) !== ")") c.unexpected("'))'");
  c.advance(2);
  skipSpace(c);
  if (c.peek() === ";") c.next();
  const body = parseDoGroup(c);
  const cmd: CompoundCommand = { type: "ArithFor", body, redirects: [], pos };
  if (parts[0]) cmd.init = parts[0];
  if (parts[1]) cmd.test = parts[1];
  if (parts[2]) cmd.update = parts[2];
  return cmd;
}

function parseCase(c: Cursor, pos: Position): CaseCommand {
  consumeWord(c, "case");
  skipSpace(c);
  const word = readWord(c);
  if (word === null) c.unexpected("a word after 'case'");
  expectWord(c, "in");
  const items: CaseItem[] = [];
  for (;;) {
    skipLinebreaks(c);
    if (plainWordAt(c) === "esac") break;
    const ipos = c.pos();
    if (c.peek() === "(") c.next();
    const patterns: Word[] = [];
    for (;;) {
      skipSpace(c);
      const p = readWord(c);
      if (p === null) c.unexpected("a case pattern");
      patterns.push(p);
      skipSpace(c);
      if (c.peek() !== "|") break;
      c.next();
    }
    if (c.peek() !== ")") c.unexpected("')' after the case pattern");
    c.next();
    const body = parseList(c);
    skipLinebreaks(c);
    let terminator: CaseItem["terminator"] = null;
    if (c.lookingAt(";;&")) terminator = ";;&";
    else if (c.lookingAt(";;")) terminator = ";;";
    else if (c.lookingAt(";&")) terminator = ";&";
    items.push({ type: "CaseItem", patterns, body, terminator, pos: ipos });
    if (terminator === null) break;
    c.advance(terminator.length);
  }
  skipLinebreaks(c);
  if (plainWordAt(c) !== "esac") c.unexpected("'esac'");
  consumeWord(c, "esac");
  return { type: "Case", word, items, redirects: [], pos };
}

function parseFunctionKeyword(c: Cursor, pos: Position): FunctionDef {
  const start = c.i;
  consumeWord(c, "function");
  skipSpace(c);
  const nameWord = readWord(c);
  if (nameWord === null) c.unexpected("a function name");
  const name = c.text.slice(nameWord.offset - c.base.offset, nameWord.end - c.base.offset);
  skipSpace(c);
  if (c.peek() === "(") {
    c.next();
    skipSpace(c);
    if (c.peek() !== ")") c.unexpected("')' after '('");
    c.next();
  }
  return parseFunctionBody(c, name, start, pos, true);
}

/** Parses a function body (any compound command) after the name and `()`. */
export function parseFunctionBody(
  c: Cursor,
  name: string,
  start: number,
  pos: Position,
  keyword: boolean,
): FunctionDef {
  skipLinebreaks(c);
  const body = parseCommand(c);
  if (body.type === "SimpleCommand" || body.type === "FunctionDef" || body.type === "Coproc") {
    c.fail(`the body of function '${name}' must be a compound command such as '{ ...; }'`, start);
  }
  const source = c.text.slice(start, c.lastEnd);
  return {
    type: "FunctionDef",
    name,
    body,
    source,
    keyword,
    pos,
    offset: c.offset(start),
    end: c.offset(c.lastEnd),
  };
}

function parseCoproc(c: Cursor, pos: Position): Command {
  consumeWord(c, "coproc");
  skipSpace(c);
  let name: string | undefined;
  const w = plainWordAt(c);
  if (w !== "" && reservedAt(c) === "") {
    // `coproc NAME compound` when a compound command follows the name.
    const save = c.i;
    c.advance(w.length);
    skipSpace(c);
    const next = reservedAt(c);
    if (next !== "" || c.peek() === "(") name = w;
    else c.i = save;
  }
  const body = parseCommand(c);
  const cmd: Command = { type: "Coproc", body, redirects: [], pos };
  if (name !== undefined) cmd.name = name;
  return cmd;
}
