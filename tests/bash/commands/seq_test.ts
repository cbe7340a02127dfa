import { assertEquals } from "../../_assert.ts";
import { compareWithBash, evalSnippet } from "../_eval_oracle.ts";
import { seqNumbers } from "../../../src/bash/commands/seq.ts";

/** seq, run by the evaluator itself, against GNU seq. */
const SEQ_CASES: string[] = [
  `seq 3; seq 0; seq 1; seq -2`,
  `seq 2 5; seq 5 2; seq -3 -1; seq -1 2`,
  `seq 1 2 9; seq 10 -3 1; seq 1 -1 3; seq -5 5 5; seq 3 7 4`,
  `echo $(seq -w 001 012)`,
  `_patchlevel=033; for p in $(seq -w 001 $_patchlevel); do source+=("bash40-$p"); done; echo "\${source[@]}"`,
  `echo $(seq -w 8 10) $(seq -w 1 3) $(seq -w 10 -1 8) $(seq -w 1 1 0100 | tail -n 1)`,
  `echo $(seq -w -3 2) $(seq -w -10 5 10) $(seq -w 5 -5 -10) $(seq -w +1 +3)`,
  `echo $(seq -w 0003 1) $(seq -w 1 5 0010)`,
  `seq -s, 5; seq -s ' ' 1 3; seq -s '' 3; seq --separator=: 2 4; seq -s, 5 1`,
  `seq -ws, 8 10; seq -s - -w 9 11; seq --equal-width 1 10 | head -n 2`,
  `seq 1 +2 5; seq +3; seq -- 2; seq -- -1 1`,
  `seq 100 | tail -n 1; seq 1000 | head -n 2`,
  `for i in $(seq 1 3); do echo "patch-$i"; done`,
  `a=($(seq 0 2 8)); echo \${#a[@]} \${a[-1]}`,
];

Deno.test("seq gives what GNU seq gives", async () => {
  const { mismatches, refused } = await compareWithBash(SEQ_CASES);
  assertEquals(mismatches, []);
  assertEquals(refused, []);
});

Deno.test("seqNumbers() pads after the sign", () => {
  assertEquals(seqNumbers(-2, 1, 1, 3), ["-02", "-01", "000", "001"]);
  assertEquals(seqNumbers(3, 1, 1), []);
});

Deno.test("seq refuses floats, -f, a zero increment and bad operands", () => {
  for (
    const code of [
      "seq 1.5",
      "seq 1 0.5 2",
      "seq 1e3",
      "seq 0x10",
      "seq -f %03g 3",
      "seq --format=%g 3",
      "seq 1 0 3",
      "seq",
      "seq 1 2 3 4",
      "seq inf",
      "seq 99999999999999999999",
      "seq -x 3",
      "seq ' 3'",
    ]
  ) {
    assertEquals("refused" in evalSnippet(code), true, code);
  }
});
