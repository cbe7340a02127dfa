import { assertEquals, assertThrows } from "../../_assert.ts";
import { evalArith, parseArithNumber } from "../../../src/bash/expand/arith.ts";
import { Budget, EvalRefusal } from "../../../src/bash/eval/refusal.ts";
import { bashOutputs } from "../_eval_oracle.ts";

function env(vars: Record<string, string> = {}) {
  return {
    budget: new Budget(),
    get: (n: string) => vars[n],
    set: (n: string, _s: string | undefined, v: string) => {
      vars[n] = v;
    },
  };
}

const EXPRESSIONS = [
  "1+2*3",
  "(1+2)*3",
  "7/2",
  "-7/2",
  "-7%3",
  "7%-3",
  "2**10",
  "2**63",
  "-2**2",
  "1<<62",
  "256>>4",
  "0x1F",
  "010",
  "2#1011",
  "16#ff",
  "36#zz",
  "64#@_",
  "5&3",
  "5|3",
  "5^3",
  "~5",
  "!0",
  "!7",
  "3>2",
  "3<2",
  "3>=3",
  "3<=2",
  "3==3",
  "3!=3",
  "1&&0",
  "0||2",
  "1?2:3",
  "0?2:3",
  "1,2,3",
  "9223372036854775807+1",
  "-9223372036854775808/-1",
  "x=5, x+=2, x*=3, x",
  "y=1, y<<=3, y",
  "z=7, z%=4, z",
  "a=1, a++ + ++a",
  "b=5, b--, --b",
  " 2 +  3 ",
  "x=3, x>2 ? x-1 : x+1",
  "1 ? 0 : (q=5)",
  "q",
  "0 && (r=1)",
  "r",
];

Deno.test("evalArith() agrees with bash on operators, precedence, bases and wrapping", async () => {
  const expected = await bashOutputs(
    [`q=; r=; for e in ${EXPRESSIONS.map((e) => `'${e}'`).join(" ")}; do echo $(( $e )); done`],
  );
  const vars: Record<string, string> = {};
  const e = env(vars);
  const ours = EXPRESSIONS.map((x) => evalArith(x, e).toString() + "\n").join("");
  assertEquals(ours, expected[0]);
});

Deno.test("evalArith() evaluates variable values recursively as expressions", () => {
  assertEquals(evalArith("a+1", env({ a: "b*2", b: "3" })), 7n);
  assertEquals(evalArith("unset_name + 1", env()), 1n);
});

Deno.test("evalArith() refuses division by zero, bad numbers and syntax errors", () => {
  for (const x of ["1/0", "5%0", "08", "2#3", "1 +", "(1", "1 2", "2**-1"]) {
    assertThrows(() => evalArith(x, env()), EvalRefusal);
  }
});

Deno.test("parseArithNumber() reads every base bash accepts", () => {
  assertEquals(parseArithNumber("0x10"), 16n);
  assertEquals(parseArithNumber("017"), 15n);
  assertEquals(parseArithNumber("2#111"), 7n);
  assertEquals(parseArithNumber("64#_"), 63n);
});

Deno.test("evalArith() is bounded on self-referencing variables", () => {
  assertThrows(() => evalArith("a", env({ a: "a" })));
});
