import { assertEquals, assertThrows } from "../_assert.ts";
import { parseCommandLine } from "../../src/cli/args.ts";
import { sourceLimitOptions } from "../../src/cli/commands/_source_limits.ts";
import { UsageError } from "../../src/cli/errors.ts";
import { findCommand } from "../../src/cli/spec.ts";

const install = findCommand("install")!;

Deno.test("sourceLimitOptions() turns --stall-timeout and --extract-max-* into library options", () => {
  const args = parseCommandLine([
    "install",
    "x",
    "--stall-timeout",
    "2.5",
    "--extract-max-bytes",
    "512M",
    "--extract-max-entries",
    "1000",
    "--extract-max-ratio",
    "50",
  ], install);
  assertEquals(sourceLimitOptions(args), {
    fetchOptions: { stallDeadlineMs: 2500 },
    extractLimits: { maxBytes: 512 * 1024 ** 2, maxEntries: 1000, maxRatio: 50 },
  });
  assertEquals(sourceLimitOptions(parseCommandLine(["install", "x"], install)), {});
  const sizes = ["64G", "64GiB", "1T", "4096", "1.5K"].map((size) =>
    sourceLimitOptions(parseCommandLine(["install", "x", "--extract-max-bytes", size], install))
      .extractLimits?.maxBytes
  );
  assertEquals(sizes, [64 * 1024 ** 3, 64 * 1024 ** 3, 1024 ** 4, 4096, 1536]);
});

Deno.test("sourceLimitOptions() refuses values that are not positive numbers or sizes", () => {
  for (
    const [flag, value] of [
      ["--stall-timeout", "0"],
      ["--stall-timeout", "-1"],
      ["--stall-timeout", "soon"],
      ["--extract-max-bytes", "lots"],
      ["--extract-max-bytes", "0"],
      ["--extract-max-entries", "1.5"],
      ["--extract-max-ratio", "1e9x"],
    ]
  ) {
    const args = parseCommandLine(["install", "x", `${flag}=${value}`], install);
    assertThrows(() => sourceLimitOptions(args), UsageError, `Invalid ${flag}`);
  }
});
