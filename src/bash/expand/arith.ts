/**
 * Bash arithmetic (`$(( ))`, `(( ))`, `let`, array subscripts, `declare -i`):
 * a recursive-descent parser that evaluates as it parses, over 64-bit
 * wrapping integers, with bash's operators, precedence, bases and
 * short-circuit rules. The expression text has already been through
 * parameter expansion; variable names left in it are looked up through
 * {@link ArithEnv}, their values evaluated recursively as bash does.
 *
 * @module
 */

import { type Budget, EvalLimit, refuse, refuseHiddenCommand } from "../eval/refusal.ts";
import { parseArithNumber, powWrap, wrap } from "./arith_number.ts";

export { parseArithNumber };

/** Variable access for arithmetic. */
export interface ArithEnv {
  /** The value of `name` (or `name[subscript]`, subscript as raw text); undefined when unset. */
  get(name: string, subscript: string | undefined): string | undefined;
  /** Assigns `value` to `name` (or `name[subscript]`). */
  set(name: string, subscript: string | undefined, value: string): void;
  /** The work budget. */
  readonly budget: Budget;
}

const MAX_ARITH_DEPTH = 1024;

/** Evaluates the arithmetic expression `text` and returns its value. */
export function evalArith(text: string, env: ArithEnv, depth = 0): bigint {
  if (depth > 64) {
    throw new EvalLimit("recursion", "arithmetic variable references nest too deeply");
  }
  refuseHiddenCommand(text, "arithmetic");
  const p = new ArithParser(text, env, depth);
  return p.run();
}

interface LValue {
  name: string;
  sub: string | undefined;
}

class ArithParser {
  private pos = 0;
  private noeval = 0;
  private level = 0;
  constructor(
    private readonly src: string,
    private readonly env: ArithEnv,
    private readonly depth: number,
  ) {}

  run(): bigint {
    this.skipWs();
    if (this.pos >= this.src.length) return 0n;
    const v = this.comma();
    this.skipWs();
    if (this.pos < this.src.length) {
      refuse("arithmetic syntax error", `arithmetic syntax error in '${this.src}'`);
    }
    return v;
  }

  private skipWs(): void {
    while (this.pos < this.src.length && " \t\n\r".includes(this.src[this.pos])) this.pos++;
  }

  private peekOp(ops: readonly string[]): string | undefined {
    this.skipWs();
    for (const op of ops) {
      if (this.src.startsWith(op, this.pos)) return op;
    }
    return undefined;
  }

  private comma(): bigint {
    let v = this.assign();
    while (this.peekOp([","])) {
      this.pos++;
      v = this.assign();
    }
    return v;
  }

  private enter(): void {
    this.env.budget.step();
    if (++this.level > MAX_ARITH_DEPTH) {
      throw new EvalLimit("recursion", "arithmetic expression nests too deeply");
    }
  }

  private assign(): bigint {
    this.enter();
    try {
      const save = this.pos;
      const lv = this.tryLValue();
      if (lv) {
        const op = this.peekOp(["<<=", ">>=", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "="]);
        if (op && !(op === "=" && this.src[this.pos + 1] === "=")) {
          this.pos += op.length;
          const rhs = this.assign();
          if (this.noeval) return rhs;
          let v = rhs;
          if (op !== "=") v = this.binary(op.slice(0, -1), this.readVar(lv), rhs);
          this.writeVar(lv, v);
          return v;
        }
      }
      this.pos = save;
      return this.ternary();
    } finally {
      this.level--;
    }
  }

  private ternary(): bigint {
    const cond = this.logOr();
    if (!this.peekOp(["?"])) return cond;
    this.pos++;
    if (cond === 0n) this.noeval++;
    const a = this.assign();
    if (cond === 0n) this.noeval--;
    this.skipWs();
    if (this.src[this.pos] !== ":") refuse("arithmetic syntax error", "missing ':' in ?:");
    this.pos++;
    if (cond !== 0n) this.noeval++;
    const b = this.assign();
    if (cond !== 0n) this.noeval--;
    return cond !== 0n ? a : b;
  }

  private logOr(): bigint {
    let v = this.logAnd();
    while (this.peekOp(["||"])) {
      this.pos += 2;
      if (v !== 0n) this.noeval++;
      const r = this.logAnd();
      if (v !== 0n) this.noeval--;
      v = v !== 0n || r !== 0n ? 1n : 0n;
    }
    return v;
  }

  private logAnd(): bigint {
    let v = this.bitOr();
    while (this.peekOp(["&&"])) {
      this.pos += 2;
      if (v === 0n) this.noeval++;
      const r = this.bitOr();
      if (v === 0n) this.noeval--;
      v = v !== 0n && r !== 0n ? 1n : 0n;
    }
    return v;
  }

  private leftAssoc(
    next: () => bigint,
    ops: readonly string[],
    exclude: readonly string[],
  ): bigint {
    let v = next();
    for (;;) {
      const op = this.peekOp(ops);
      if (!op || exclude.some((e) => this.src.startsWith(e, this.pos))) return v;
      this.pos += op.length;
      const r = next();
      v = this.noeval ? 0n : this.binary(op, v, r);
    }
  }

  private bitOr(): bigint {
    return this.leftAssoc(() => this.bitXor(), ["|"], ["||", "|="]);
  }
  private bitXor(): bigint {
    return this.leftAssoc(() => this.bitAnd(), ["^"], ["^="]);
  }
  private bitAnd(): bigint {
    return this.leftAssoc(() => this.equality(), ["&"], ["&&", "&="]);
  }
  private equality(): bigint {
    return this.leftAssoc(() => this.relational(), ["==", "!="], []);
  }
  private relational(): bigint {
    return this.leftAssoc(() => this.shift(), ["<=", ">=", "<", ">"], ["<<", ">>"]);
  }
  private shift(): bigint {
    return this.leftAssoc(() => this.additive(), ["<<", ">>"], ["<<=", ">>="]);
  }
  private additive(): bigint {
    return this.leftAssoc(() => this.multiplicative(), ["+", "-"], ["++", "--", "+=", "-="]);
  }
  private multiplicative(): bigint {
    return this.leftAssoc(() => this.power(), ["*", "/", "%"], ["**", "*=", "/=", "%="]);
  }

  private power(): bigint {
    const base = this.unary();
    if (this.peekOp(["**"])) {
      this.pos += 2;
      const exp = this.power();
      return this.noeval ? 0n : this.binary("**", base, exp);
    }
    return base;
  }

  private unary(): bigint {
    this.enter();
    try {
      const op = this.peekOp(["++", "--", "!", "~", "+", "-"]);
      if (op === "++" || op === "--") {
        const save = this.pos;
        this.pos += 2;
        const lv = this.tryLValue();
        if (lv) {
          if (this.noeval) return 0n;
          const v = wrap(this.readVar(lv) + (op === "++" ? 1n : -1n));
          this.writeVar(lv, v);
          return v;
        }
        this.pos = save + 1; // bash treats `--x` without a variable as `-(-x)`
        const inner = this.unary();
        return op === "++" ? inner : wrap(-wrap(-inner));
      }
      if (op) {
        this.pos += 1;
        const v = this.unary();
        switch (op) {
          case "!":
            return v === 0n ? 1n : 0n;
          case "~":
            return wrap(~v);
          case "-":
            return wrap(-v);
          default:
            return v;
        }
      }
      return this.postfix();
    } finally {
      this.level--;
    }
  }

  private postfix(): bigint {
    this.skipWs();
    const save = this.pos;
    const lv = this.tryLValue();
    if (lv) {
      const op = this.peekOp(["++", "--"]);
      if (op) {
        this.pos += 2;
        if (this.noeval) return 0n;
        const old = this.readVar(lv);
        this.writeVar(lv, wrap(old + (op === "++" ? 1n : -1n)));
        return old;
      }
      return this.noeval ? 0n : this.readVar(lv);
    }
    this.pos = save;
    return this.primary();
  }

  private primary(): bigint {
    this.skipWs();
    const c = this.src[this.pos];
    if (c === "(") {
      this.pos++;
      const v = this.comma();
      this.skipWs();
      if (this.src[this.pos] !== ")") {
        refuse("arithmetic syntax error", "missing ')' in arithmetic");
      }
      this.pos++;
      return v;
    }
    if (c !== undefined && c >= "0" && c <= "9") return this.number();
    refuse(
      "arithmetic syntax error",
      `arithmetic syntax error: operand expected in '${this.src}'`,
    );
  }

  private number(): bigint {
    const m = /^[0-9A-Za-z@_#]+/.exec(this.src.slice(this.pos));
    const tok = m ? m[0] : "";
    this.pos += tok.length;
    return parseArithNumber(tok);
  }

  private tryLValue(): LValue | undefined {
    this.skipWs();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    let sub: string | undefined;
    if (this.src[this.pos] === "[") {
      let depth = 0;
      let i = this.pos;
      for (; i < this.src.length; i++) {
        if (this.src[i] === "[") depth++;
        else if (this.src[i] === "]" && --depth === 0) break;
      }
      if (i >= this.src.length) refuse("arithmetic syntax error", "missing ']' in arithmetic");
      sub = this.src.slice(this.pos + 1, i);
      this.pos = i + 1;
    }
    return { name: m[0], sub };
  }

  private readVar(lv: LValue): bigint {
    const raw = this.env.get(lv.name, lv.sub);
    if (raw === undefined || raw === "") return 0n;
    const t = raw.trim();
    if (/^-?[0-9]+$/.test(t) && !/^-?0[0-9]/.test(t)) return wrap(BigInt(t));
    return evalArith(raw, this.env, this.depth + 1);
  }

  private writeVar(lv: LValue, v: bigint): void {
    this.env.set(lv.name, lv.sub, v.toString());
  }

  private binary(op: string, a: bigint, b: bigint): bigint {
    switch (op) {
      case "+":
        return wrap(a + b);
      case "-":
        return wrap(a - b);
      case "*":
        return wrap(a * b);
      case "/":
      case "%":
        if (b === 0n) refuse("division by zero", "arithmetic division by zero");
        if (a === -(2n ** 63n) && b === -1n) return op === "/" ? a : 0n;
        return op === "/" ? wrap(a / b) : wrap(a % b);
      case "**":
        if (b < 0n) refuse("arithmetic exponent", "negative exponent in arithmetic");
        return powWrap(a, b, this.env.budget);
      case "<<":
      case ">>":
        if (b < 0n || b > 63n) refuse("arithmetic shift", "shift count outside 0..63");
        return op === "<<" ? wrap(a << b) : wrap(a >> b);
      case "&":
        return wrap(a & b);
      case "|":
        return wrap(a | b);
      case "^":
        return wrap(a ^ b);
      case "==":
        return a === b ? 1n : 0n;
      case "!=":
        return a !== b ? 1n : 0n;
      case "<":
        return a < b ? 1n : 0n;
      case ">":
        return a > b ? 1n : 0n;
      case "<=":
        return a <= b ? 1n : 0n;
      case ">=":
        return a >= b ? 1n : 0n;
    }
    refuse("arithmetic operator", `unsupported arithmetic operator '${op}'`);
  }
}
