import { assertEquals, assertThrows } from "../_assert.ts";
import {
  isWorkerId,
  requireWorkerId,
  UnsafeWorkerIdError,
  WORKER_ID_MAX_LENGTH,
  workerIdProblem,
} from "../../src/boundary/mod.ts";
import { ExitCode } from "../../src/errors.ts";

/** Ids that would name a path outside `workers/`, `locks/`, `journal/` or `pkg/`, or an option. */
const ATTACKS = [
  "",
  ".",
  "..",
  "../../../tmp/victim",
  "../victim",
  "a/../../b",
  "/etc/passwd",
  "a/b",
  ".hidden",
  "-rf",
  "--root=/",
  "a\0b",
  "a\nb",
  "a b",
  "a\\b",
  "é",
  "ａ", // fullwidth a
  "$(touch x)",
  "`id`",
  "a*",
  "x".repeat(WORKER_ID_MAX_LENGTH + 1),
  "~root",
];

Deno.test("workerIdProblem() refuses every path, option and shell form as makepkg's lint does", () => {
  for (const id of ATTACKS) {
    assertEquals(isWorkerId(id), false, JSON.stringify(id));
    assertEquals(typeof workerIdProblem(id), "string", JSON.stringify(id));
  }
});

Deno.test("workerIdProblem() refuses values that are not strings", () => {
  for (const v of [undefined, null, 42, ["a"], { id: "a" }]) assertEquals(isWorkerId(v), false);
});

Deno.test("workerIdProblem() accepts makepkg's pkgname charset, upper case included", () => {
  for (
    const id of [
      "demo-hello",
      "llm-worker-rbee-cpu",
      "a",
      "0ad",
      "lib32-foo",
      "g++",
      "x@y_z.1",
      "Foo",
    ]
  ) {
    assertEquals(workerIdProblem(id), null, id);
  }
});

Deno.test("workerIdProblem() says what makepkg says for a leading hyphen, dot and bad characters", () => {
  assertEquals(workerIdProblem("-a"), "it starts with a hyphen");
  assertEquals(workerIdProblem(".a"), "it starts with a dot");
  assertEquals(workerIdProblem("a/b:c"), "it contains invalid characters: '/:'");
  assertEquals(workerIdProblem("aé"), "it may only contain ascii characters");
});

Deno.test("requireWorkerId() names the source and exits as unsafe input", () => {
  const cli = assertThrows(() => requireWorkerId("../x", "command line"), UnsafeWorkerIdError);
  assertEquals(cli.exitCode, ExitCode.unsafeInput);
  assertEquals(cli.code, "WORKER_ID_INVALID");
  const recipe = assertThrows(
    () => requireWorkerId("../x", "recipe", "pkgname"),
    UnsafeWorkerIdError,
  );
  assertEquals(recipe.exitCode, ExitCode.unsafeInput);
  assertEquals(recipe.message, `Invalid pkgname "../x" from the recipe: it starts with a dot`);
  assertEquals(requireWorkerId("demo", "catalog"), "demo");
});
