/**
 * The real-world corpus against makepkg's stored results: no PKGBUILD gives
 * a .SRCINFO that differs from makepkg's, at least 99.5% of those makepkg
 * accepts give it byte for byte, and every PKGBUILD has makepkg's result
 * stored (`deno task corpus:oracle` regenerates them).
 */

import { assert, assertEquals } from "../_assert.ts";
import { compareCorpus } from "./_corpus.ts";

const outcomes = compareCorpus();
const of = (kind: string) => [...outcomes].filter(([, o]) => o.kind === kind);

Deno.test("every corpus PKGBUILD has makepkg's stored result", () => {
  assert(outcomes.size >= 40, `only ${outcomes.size} corpus PKGBUILDs`);
  assertEquals(of("pending").map(([n]) => n), [], "run deno task corpus:oracle");
});

Deno.test("no corpus PKGBUILD gives a .SRCINFO different from makepkg's, and none crashes", () => {
  const bad = [...of("different"), ...of("crashed")];
  assertEquals(bad.map(([n, o]) => `${n}: ${JSON.stringify(o)}`), []);
});

Deno.test("at least 99.5% of the corpus PKGBUILDs makepkg accepts give its .SRCINFO byte for byte", () => {
  const accepted = outcomes.size - of("rejected").length - of("pending").length;
  const identical = of("identical").length;
  const refused = [...of("refused"), ...of("error")].map(([n, o]) => `${n}: ${JSON.stringify(o)}`);
  assert(
    identical >= accepted * 0.995,
    `${identical} of ${accepted} identical; not:\n${refused.join("\n")}`,
  );
});

Deno.test("every corpus PKGBUILD makepkg rejects is rejected by our lint or a typed error", () => {
  assertEquals(
    of("rejected").filter(([, o]) => o.kind === "rejected" && o.lintAgrees === false)
      .map(([n]) => n),
    [],
  );
});
