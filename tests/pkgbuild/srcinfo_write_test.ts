import { assertEquals } from "../_assert.ts";
import { normalizeSrcinfoValue, toSrcinfo } from "../../src/pkgbuild/srcinfo_write.ts";
import { makePkgbuild } from "./_make_pkgbuild.ts";

const base = { pkgname: "foo", pkgver: "1.0", pkgrel: "1", arch: ["x86_64"] };

Deno.test("toSrcinfo() prints the pkgbase section then one section per package", () => {
  assertEquals(
    toSrcinfo(makePkgbuild(base)),
    "pkgbase = foo\n\tpkgver = 1.0\n\tpkgrel = 1\n\tarch = x86_64\n\npkgname = foo\n",
  );
});

Deno.test("toSrcinfo() follows makepkg's field order, not the PKGBUILD's", () => {
  const out = toSrcinfo(makePkgbuild({
    sha256sums: ["SKIP"],
    source: ["a.tar.gz"],
    depends: ["d"],
    makedepends: ["m"],
    checkdepends: ["c"],
    url: "https://x",
    epoch: "2",
    pkgdesc: "desc",
    license: ["MIT"],
    groups: ["g"],
    ...base,
    install: "foo.install",
    changelog: "ChangeLog",
    optdepends: ["o: opt"],
    provides: ["p"],
    conflicts: ["k"],
    replaces: ["r"],
    noextract: ["a.tar.gz"],
    options: ["!strip"],
    backup: ["etc/x"],
    validpgpkeys: ["ABC"],
    b2sums: ["SKIP"],
    md5sums: ["SKIP"],
    cksums: ["SKIP"],
  }));
  const keys = out.split("\n").filter((l) => l.startsWith("\t")).map((l) =>
    l.split(" = ")[0].trim()
  );
  assertEquals(keys, [
    "pkgdesc",
    "pkgver",
    "pkgrel",
    "epoch",
    "url",
    "install",
    "changelog",
    "arch",
    "groups",
    "license",
    "checkdepends",
    "makedepends",
    "depends",
    "optdepends",
    "provides",
    "conflicts",
    "replaces",
    "noextract",
    "options",
    "backup",
    "source",
    "validpgpkeys",
    "cksums",
    "md5sums",
    "sha256sums",
    "b2sums",
  ]);
});

Deno.test("toSrcinfo() omits empty global strings and empty global arrays", () => {
  const out = toSrcinfo(makePkgbuild({ ...base, pkgdesc: "", epoch: "", depends: [], url: [] }));
  assertEquals(out.includes("pkgdesc"), false);
  assertEquals(out.includes("depends"), false);
  assertEquals(out.includes("epoch"), false);
});

Deno.test("toSrcinfo() prints a global array of one empty string as 'key = '", () => {
  const out = toSrcinfo(makePkgbuild({ ...base, groups: [""], conflicts: ["", ""] }));
  assertEquals(out.includes("\tgroups = \n"), true);
  assertEquals(out.includes("\tconflicts = \n\tconflicts = \n"), true);
});

Deno.test("toSrcinfo() prints element 0 of an array given for a string field", () => {
  const out = toSrcinfo(makePkgbuild({ ...base, pkgdesc: ["first", "second"] }));
  assertEquals(out.includes("\tpkgdesc = first\n"), true);
  assertEquals(out.includes("second"), false);
});

Deno.test("toSrcinfo() prints a string given for an array field as one value", () => {
  assertEquals(
    toSrcinfo(makePkgbuild({ ...base, license: "MIT" })).includes("\tlicense = MIT\n"),
    true,
  );
});

Deno.test("toSrcinfo() prints arch-specific arrays per arch of the section, skipping any", () => {
  const out = toSrcinfo(makePkgbuild({
    ...base,
    arch: ["any", "aarch64", "x86_64"],
    depends_x86_64: ["dx"],
    depends_aarch64: ["da"],
    source_aarch64: ["sa"],
    depends_any: ["never"],
    depends_riscv64: ["not-in-arch"],
  }));
  const lines = out.split("\n").filter((l) => l.split(" = ")[0].includes("_"));
  assertEquals(lines, ["\tsource_aarch64 = sa", "\tdepends_aarch64 = da", "\tdepends_x86_64 = dx"]);
});

Deno.test("toSrcinfo() orders arch-specific keys source, provides, conflicts, depends, replaces, optdepends, makedepends, checkdepends, sums", () => {
  const v: Record<string, string[]> = {};
  for (
    const k of [
      "b2sums",
      "checkdepends",
      "makedepends",
      "optdepends",
      "replaces",
      "depends",
      "conflicts",
      "provides",
      "source",
      "md5sums",
    ]
  ) {
    v[`${k}_x86_64`] = ["v"];
  }
  const keys = toSrcinfo(makePkgbuild({ ...base, ...v })).split("\n")
    .filter((l) => l.includes("_x86_64")).map((l) => l.trim().split(" = ")[0]);
  assertEquals(keys, [
    "source_x86_64",
    "provides_x86_64",
    "conflicts_x86_64",
    "depends_x86_64",
    "replaces_x86_64",
    "optdepends_x86_64",
    "makedepends_x86_64",
    "checkdepends_x86_64",
    "md5sums_x86_64",
    "b2sums_x86_64",
  ]);
});

Deno.test("toSrcinfo() uses pkgbase, else the first pkgname", () => {
  assertEquals(
    toSrcinfo(makePkgbuild({ ...base, pkgname: ["a", "b"] })).split("\n")[0],
    "pkgbase = a",
  );
  assertEquals(
    toSrcinfo(makePkgbuild({ ...base, pkgbase: "", pkgname: ["a"] })).split("\n")[0],
    "pkgbase = a",
  );
  assertEquals(toSrcinfo(makePkgbuild({ ...base, pkgbase: "b" })).split("\n")[0], "pkgbase = b");
});

Deno.test("toSrcinfo() prints only the overridden keys in package sections", () => {
  const out = toSrcinfo(makePkgbuild(
    { ...base, pkgname: ["a", "b"], pkgdesc: "global", depends: ["x"] },
    { a: { pkgdesc: "A", depends: ["x", "y"] }, b: {} },
  ));
  assertEquals(out.split("\n\n").slice(1), [
    "pkgname = a\n\tpkgdesc = A\n\tdepends = x\n\tdepends = y",
    "pkgname = b\n",
  ]);
});

Deno.test("toSrcinfo() prints an override to an empty array as one 'key = ' line", () => {
  const out = toSrcinfo(
    makePkgbuild({ ...base, depends: ["x"] }, { foo: { depends: [], pkgdesc: "" } }),
  );
  assertEquals(out.endsWith("pkgname = foo\n\tpkgdesc = \n\tdepends = \n"), true);
});

Deno.test("toSrcinfo() uses the package's arch override for its arch-specific keys", () => {
  const out = toSrcinfo(makePkgbuild(
    { ...base, pkgname: ["a", "b"], arch: ["x86_64", "aarch64"] },
    {
      a: { arch: ["x86_64"], depends_x86_64: ["x"], depends_aarch64: ["hidden"] },
      b: { arch: ["any"], depends_x86_64: ["hidden-too"] },
    },
  ));
  assertEquals(out.includes("hidden"), false);
  assertEquals(out.includes("\tarch = x86_64\n\tdepends_x86_64 = x\n"), true);
});

Deno.test("toSrcinfo() package sections print keys in makepkg's package order", () => {
  const out = toSrcinfo(makePkgbuild({ ...base }, {
    foo: {
      backup: ["b"],
      options: ["o"],
      arch: ["x86_64"],
      changelog: "c",
      pkgdesc: "d",
      url: "u",
      install: "i",
      groups: ["g"],
      license: ["l"],
      checkdepends: ["cd"],
      depends: ["d"],
      optdepends: ["od"],
      provides: ["p"],
      conflicts: ["c"],
      replaces: ["r"],
    },
  }));
  const keys = out.split("pkgname = foo\n")[1].split("\n").filter(Boolean).map((l) =>
    l.trim().split(" = ")[0]
  );
  assertEquals(keys, [
    "pkgdesc",
    "url",
    "install",
    "changelog",
    "arch",
    "groups",
    "license",
    "checkdepends",
    "depends",
    "optdepends",
    "provides",
    "conflicts",
    "replaces",
    "options",
    "backup",
  ]);
});

Deno.test("normalizeSrcinfoValue() collapses every [[:space:]] run and strips one space each side", () => {
  assertEquals(normalizeSrcinfoValue("  a \t\n\v\f\r b  "), "a b");
  assertEquals(normalizeSrcinfoValue("\t"), "");
  assertEquals(normalizeSrcinfoValue("a\u00a0b"), "a\u00a0b");
  assertEquals(normalizeSrcinfoValue(""), "");
});

Deno.test("toSrcinfo() normalises whitespace in every value but not in pkgbase or pkgname", () => {
  const out = toSrcinfo(makePkgbuild({ ...base, pkgdesc: " two  words\n", depends: ["a\tb"] }));
  assertEquals(out.includes("\tpkgdesc = two words\n\tpkgver"), true);
  assertEquals(out.includes("\tdepends = a b\n"), true);
});

Deno.test("normalizeSrcinfoValue() treats glibc's Unicode spaces as [[:space:]] but not no-break spaces", () => {
  assertEquals(normalizeSrcinfoValue("a\u3000\u2003b\u2028c\u1680d\u205fe"), "a b c d e");
  assertEquals(normalizeSrcinfoValue("\u3000a\u2009"), "a");
  assertEquals(
    normalizeSrcinfoValue("a\u00a0b\u2007c\u202fd\u0085e\u200bf"),
    "a\u00a0b\u2007c\u202fd\u0085e\u200bf",
  );
});
