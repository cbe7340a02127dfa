import { assertEquals, assertThrows } from "../../_assert.ts";
import {
  type Assignment,
  EvalRefusal,
  Evaluator,
  parseBash,
  ShellState,
  type SimpleCommand,
} from "../../../src/bash/mod.ts";

function assignments(text: string): Assignment[] {
  return parseBash(text).body.map((st) => (st.andOr.first.commands[0] as SimpleCommand))
    .flatMap((cmd) => cmd.assignments);
}

Deno.test("assignInFrame() evaluates lines into the target over a copy of the globals", () => {
  const st = new ShellState();
  const ev = new Evaluator(st);
  ev.execStatements(parseBash("depends=(a b); base=x").body);
  const before = ev.budget.steps;
  const out = ev.assignInFrame(
    {
      locals: new Map([["out", { kind: "indexed", values: new Map([[0, "a"], [1, "b"]]) }]]),
      positional: ["package_x"],
      hidden: ["secret"],
      extglob: true,
    },
    assignments('depends+=(c "$base"); depends+=(d)'),
    "out",
  );
  const expected = new Map([[0, "a"], [1, "b"], [2, "c"], [3, "x"], [4, "d"]]);
  assertEquals(out, { kind: "indexed", values: expected });
  assertEquals(st.globalValue("base"), { kind: "scalar", value: "x" });
  assertEquals(st.globalValue("depends"), {
    kind: "indexed",
    values: new Map([[0, "a"], [1, "b"]]),
  });
  assertEquals(st.globalValue("out"), undefined);
  assertEquals(ev.budget.steps > before, true);
});

Deno.test("assignInFrame() refuses reads of the hidden names and the frame's positional parameters", () => {
  const ev = new Evaluator(new ShellState());
  const frame = { locals: new Map(), positional: ["p"], hidden: ["secret"], extglob: false };
  assertThrows(() => ev.assignInFrame(frame, assignments("x=$secret"), "out"), EvalRefusal);
  assertThrows(() => ev.assignInFrame(frame, assignments("x=$1"), "out"), EvalRefusal);
  assertEquals(ev.assignInFrame(frame, assignments("x=ok"), "out"), {
    kind: "scalar",
    value: "ok",
  });
});

Deno.test("sourceInFunction() runs the script in a frame whose return ends the sourcing", () => {
  const st = new ShellState();
  const ev = new Evaluator(st);
  const status = ev.sourceInFunction(parseBash("a=1; local b=2; return 3; a=4"), ["PKGBUILD"]);
  assertEquals(status, 3);
  assertEquals(st.globalValue("a"), { kind: "scalar", value: "1" });
  assertEquals(st.globalValue("b"), undefined);
  assertEquals(st.scopes.length, 1);
});
