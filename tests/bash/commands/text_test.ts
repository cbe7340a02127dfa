import { assertEquals } from "../../_assert.ts";
import { evalSnippet } from "../_eval_oracle.ts";
import { TEXT_COMMANDS } from "../../../src/bash/commands/text.ts";
import { PURE_COMMANDS } from "../../../src/bash/commands/pure.ts";
import { parseArgs } from "../../../src/bash/commands/_text_input.ts";

Deno.test("the text commands are pure commands", () => {
  assertEquals(Object.keys(TEXT_COMMANDS).sort(), ["cut", "head", "seq", "tail", "tr"]);
  for (const name of Object.keys(TEXT_COMMANDS)) assertEquals(name in PURE_COMMANDS, true, name);
});

Deno.test("parseArgs() permutes, takes long options by unique prefix and stops at --", () => {
  const spec = {
    short: "df",
    valued: ["d", "f", "output-delimiter"],
    long: { delimiter: "d", "output-delimiter": "output-delimiter" },
    permute: true,
  };
  assertEquals(parseArgs("cut", ["-", "-d.", "--output=:", "-f", "1", "--", "-x"], spec), {
    opts: [["d", "."], ["output-delimiter", ":"], ["f", "1"]],
    operands: ["-", "-x"],
  });
  assertEquals(parseArgs("tr", ["a", "-d"], { ...spec, permute: false }).operands, ["a", "-d"]);
});

Deno.test("a text command names the file, option or input it refuses", () => {
  assertEquals(evalSnippet("cut -d. -f1 version.txt"), {
    refused: "cut reads the file 'version.txt'; only standard input is supported",
  });
  assertEquals(evalSnippet("tail -n 1 <<< a -f"), {
    refused: "the tail option -f is not supported",
  });
  assertEquals(evalSnippet("seq --format=%g 3"), {
    refused: "the seq option --format is not supported",
  });
  assertEquals(evalSnippet("tr é e <<< a"), {
    refused: "tr with a non-ASCII set depends on the locale and is not supported",
  });
  assertEquals(evalSnippet("head -c 2 <<< é"), {
    refused:
      "head on non-ASCII input with -c depends on the locale's encoding and is not supported",
  });
  assertEquals(evalSnippet("v=$(tr a b)"), {
    refused: "tr reads the shell's standard input (give it a pipe, a here-string or a heredoc)",
  });
});
