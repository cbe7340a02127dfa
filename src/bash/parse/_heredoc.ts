/**
 * Heredocs: `<<` / `<<-` register a pending body; the body is read from the
 * lines after the next newline token, in the order the redirections appeared.
 *
 * @module
 */

import type { HereDoc, Word } from "./ast.ts";
import { Cursor } from "./_lex_cursor.ts";
import { readWordOf } from "./_words.ts";

/** Removes shell quoting from a heredoc delimiter word's source text. */
export function delimiterText(raw: string): string {
  let out = "";
  for (let j = 0; j < raw.length; j++) {
    const ch = raw[j];
    if (ch === "\\" && j + 1 < raw.length) out += raw[++j];
    else if (ch === "'") {
      const close = raw.indexOf("'", j + 1);
      const end = close === -1 ? raw.length : close;
      out += raw.slice(j + 1, end);
      j = end;
    } else if (ch === '"') {
      j++;
      for (; j < raw.length && raw[j] !== '"'; j++) {
        if (raw[j] === "\\" && '$`"\\\n'.includes(raw[j + 1] ?? "x")) j++;
        out += raw[j];
      }
    } else if (ch === "$" && (raw[j + 1] === "'" || raw[j + 1] === '"')) continue;
    else out += ch;
  }
  return out;
}

/** Registers the heredoc of a `<<`/`<<-` redirection whose delimiter word is `target`. */
export function registerHeredoc(c: Cursor, target: Word, raw: string, stripTabs: boolean): HereDoc {
  const doc: HereDoc = {
    delimiter: delimiterText(raw),
    quoted: /['"\\]/.test(raw),
    stripTabs,
    body: { type: "Word", parts: [], pos: target.pos, offset: target.end, end: target.end },
    text: "",
  };
  c.pending.push({ doc, target });
  return doc;
}

/** Consumes the newline at the cursor, then reads any pending heredoc bodies. */
export function consumeNewline(c: Cursor): void {
  c.i++;
  if (c.pending.length > 0) readPendingBodies(c);
}

/** At end of input, gives pending heredocs (delimited by end of file) empty bodies. */
export function finishPendingAtEof(c: Cursor): void {
  if (c.pending.length > 0) readPendingBodies(c);
}

function readPendingBodies(c: Cursor): void {
  const docs = c.pending;
  c.pending = [];
  const t = c.text;
  for (const { doc } of docs) {
    const start = c.i;
    const startPos = c.pos();
    const lines: string[] = [];
    while (c.i < t.length) {
      const nl = t.indexOf("\n", c.i);
      const lineEnd = nl === -1 ? t.length : nl;
      let line = t.slice(c.i, lineEnd);
      if (doc.stripTabs) line = line.replace(/^\t+/, "");
      c.i = nl === -1 ? t.length : nl + 1;
      if (line === doc.delimiter) break;
      lines.push(line + "\n");
    }
    doc.text = lines.join("");
    const base = { line: startPos.line, column: 1, offset: c.offset(start) };
    doc.body = doc.quoted
      ? literalBody(doc.text, base.offset, startPos)
      : parseBody(c, doc.text, base);
  }
}

function literalBody(text: string, offset: number, pos: Word["pos"]): Word {
  const parts: Word["parts"] = text === ""
    ? []
    : [{ type: "literal", value: text, quoted: true, pos }];
  return { type: "Word", parts, pos, offset, end: offset + text.length };
}

function parseBody(
  c: Cursor,
  text: string,
  base: { line: number; column: number; offset: number },
): Word {
  const sub = new Cursor(text, base, c.depth);
  sub.extglob = c.extglob;
  return readWordOf(sub, "heredoc");
}
