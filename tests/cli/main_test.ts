import { assertEquals } from "@std/assert";
import { main } from "../../src/cli/main.ts";

Deno.test("main() exits 0 for --version", async () => {
  assertEquals(await main(["--version"]), 0);
});
