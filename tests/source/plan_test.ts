import { assertEquals, assertThrows } from "../_assert.ts";
import { assertPlanValid, planSources } from "../../src/source/plan.ts";
import { ChecksumArrayInvalidError, SourceInvalidError } from "../../src/source/errors.ts";
import { pkgbuildWith } from "./_helpers.ts";

const A = "a".repeat(64);
const B = "B".repeat(64);

Deno.test("planSources() appends source_<carch> to source, each with its own sums arrays", () => {
  const plan = planSources(pkgbuildWith({
    source: ["common.patch"],
    sha256sums: [A],
    source_x86_64: ["https://h/w-x86_64.tar.gz"],
    sha256sums_x86_64: [B],
    md5sums_x86_64: ["SKIP"],
    source_aarch64: ["https://h/w-aarch64.tar.gz"],
    sha256sums_aarch64: ["c".repeat(64)],
  }));
  assertEquals(plan.problems, []);
  assertEquals(plan.sources.map((s) => [s.entry.name, s.array, s.index]), [
    ["common.patch", "source", 0],
    ["w-x86_64.tar.gz", "source_x86_64", 0],
  ]);
  assertEquals(plan.sources[0].checksums, { sha256: A });
  // Values compare case-insensitively: the plan keeps them lower case.
  assertEquals(plan.sources[1].checksums, { sha256: B.toLowerCase() });
  assertEquals(plan.sources[1].skipped, ["md5"]);
});

Deno.test("planSources() plans for the carch option instead of the PKGBUILD's", () => {
  const plan = planSources(
    pkgbuildWith({ source_aarch64: ["a.tar"], sha256sums_aarch64: ["SKIP"] }),
    { carch: "aarch64" },
  );
  assertEquals(plan.carch, "aarch64");
  assertEquals(plan.sources.map((s) => s.entry.name), ["a.tar"]);
});

Deno.test("planSources() marks noextract entries by file name", () => {
  const plan = planSources(pkgbuildWith({
    source: ["app.tar.gz::https://h/dl?id=1", "b.tar"],
    sha256sums: ["SKIP", "SKIP"],
    noextract: ["app.tar.gz"],
  }));
  assertEquals(plan.sources.map((s) => s.noextract), [true, false]);
});

Deno.test("planSources() reports sums arrays whose length differs from their source array", () => {
  const plan = planSources(pkgbuildWith({
    source: ["a", "b"],
    sha256sums: [A],
    source_x86_64: ["c"],
    sha512sums_x86_64: ["SKIP", "SKIP"],
  }));
  assertEquals(plan.problems.filter((p) => p.includes("has 1 entries but source has 2")).length, 1);
  assertEquals(
    plan.problems.filter((p) =>
      p.includes("sha512sums_x86_64 has 2 entries but source_x86_64 has 1")
    )
      .length,
    1,
  );
  assertThrows(() => assertPlanValid(plan), ChecksumArrayInvalidError, "Invalid checksum arrays");
});

Deno.test("planSources() reports a source array without any sums array", () => {
  const plan = planSources(pkgbuildWith({
    source: ["a"],
    source_x86_64: ["b"],
    sha256sums_x86_64: [A],
  }));
  assertEquals(plan.problems, ["integrity checks are missing for source"]);
  const empty = planSources(pkgbuildWith({ source: [] }));
  assertEquals(empty.problems, []);
});

Deno.test("planSources() requires SKIP for git sources", () => {
  const plan = planSources(pkgbuildWith({
    source: ["git+https://h/r.git#tag=v1", "git+https://h/s.git"],
    sha256sums: [A, "SKIP"],
  }));
  assertEquals(plan.problems, ["r is a git source and needs SKIP in sha256sums"]);
});

Deno.test("planSources() in strict mode refuses SKIP on non-VCS sources but allows it for git", () => {
  const vars = {
    source: ["https://h/w.tar.gz", "git+https://h/r.git"],
    sha256sums: ["SKIP", "SKIP"],
  };
  assertEquals(planSources(pkgbuildWith(vars)).problems, []);
  const strict = planSources(pkgbuildWith(vars), { strict: true });
  assertEquals(strict.strict, true);
  assertEquals(strict.problems.length, 1);
  assertEquals(strict.problems[0].includes("w.tar.gz is not pinned"), true);
});

Deno.test("planSources() reports a malformed checksum value", () => {
  const plan = planSources(pkgbuildWith({ source: ["a"], sha256sums: ["abc"], cksums: ["x"] }));
  assertEquals(plan.problems.length, 2);
  const plan2 = planSources(pkgbuildWith({ source: ["a"], cksums: ["12345"] }));
  assertEquals(plan2.problems, []);
  assertEquals(plan2.sources[0].checksums, { ck: "12345" });
});

Deno.test("planSources() refuses a protocol it cannot fetch and an unknown git fragment", () => {
  assertThrows(
    () => planSources(pkgbuildWith({ source: ["svn+https://h/trunk"], sha256sums: ["SKIP"] })),
    SourceInvalidError,
    "protocol svn is not supported",
  );
  assertThrows(
    () => planSources(pkgbuildWith({ source: ["git+https://h/r#rev=1"], sha256sums: ["SKIP"] })),
    SourceInvalidError,
  );
});
