import { assert, assertEquals } from "../_assert.ts";
import {
  type Assignment,
  type FunctionDef,
  parseBash,
  topLevelFunctions,
} from "../../src/bash/mod.ts";
import {
  findOverrideAssignments,
  overrideLines,
  type OverrideScan,
} from "../../src/pkgbuild/_override_scan.ts";

function onlyFunction(text: string): FunctionDef {
  const fns = topLevelFunctions(parseBash(text));
  assertEquals(fns.length, 1);
  return fns[0];
}

/** The assignment as `declare -f` prints it (arrays on one line). */
function printed(a: Assignment, text: string): string {
  const src = (o: number, e: number) => text.slice(o, e);
  const op = a.append ? "+=" : "=";
  if (a.value.type === "Word") return `${a.name}${op}${src(a.value.offset, a.value.end)}`;
  const elems = a.value.elements.map((e) =>
    e.type === "Word"
      ? src(e.offset, e.end)
      : `[${e.key.type === "expr" ? e.key.text : "@"}]${e.append ? "+=" : "="}${
        src(e.value.offset, e.value.end)
      }`
  );
  return `${a.name}${op}(${elems.join(" ")})`;
}

Deno.test("topLevelFunctions() lists every form of function definition with its verbatim source", () => {
  const text = [
    "pkgname=x",
    "build() { make; }",
    "function check { make test; }",
    "function package_a() (",
    "  echo",
    ")",
    "package_b-c.d () [[ -n x ]]",
    "",
  ].join("\n");
  const fns = topLevelFunctions(parseBash(text));
  assertEquals(fns.map((f) => [f.name, f.pos.line, f.keyword]), [
    ["build", 2, false],
    ["check", 3, true],
    ["package_a", 4, true],
    ["package_b-c.d", 7, false],
  ]);
  assertEquals(fns[0].source, "build() { make; }");
  assertEquals(fns[2].source, "function package_a() (\n  echo\n)");
  assertEquals(fns[3].source, "package_b-c.d () [[ -n x ]]");
  assertEquals(text.slice(fns[1].offset, fns[1].end), fns[1].source);
});

Deno.test("findOverrideAssignments() finds array overrides at any depth, in order", () => {
  const text = `package_x() {
  depends=(a
    b) # trailing comment
  if [[ $CARCH == x86_64 ]]; then depends+=(c); fi
  case $x in a) depends=(d);; esac
  a && depends=(skipped)
  local depends=(skipped)
}
`;
  const scan = findOverrideAssignments(onlyFunction(text), "depends", "array");
  assertEquals(scan.assignments.map((a) => printed(a, text)), [
    "depends=(a b)",
    "depends+=(c)",
    "depends=(d)",
  ]);
  assertEquals(scan.unsupported, []);
});

Deno.test("findOverrideAssignments() matches an empty string only when bash prints a ';' after it", () => {
  const text = `package_x() {
  pkgdesc=
  if a; then pkgdesc=; fi
  { pkgdesc=; }
  pkgdesc=
}
`;
  const scan = findOverrideAssignments(onlyFunction(text), "pkgdesc", "string");
  assertEquals(scan.assignments.map((a) => a.pos.line), [2, 3]);
});

Deno.test("findOverrideAssignments() flags lines makepkg would evaluate with extra commands", () => {
  const text = `package_x() {
  depends=(z) && b
  cat <<EOF
 depends=(h)
EOF
  x=$(if a; then depends=(q); fi)
}
`;
  const scan: OverrideScan = findOverrideAssignments(onlyFunction(text), "depends", "array");
  assertEquals(scan.assignments, []);
  assertEquals(scan.unsupported.map((u) => u.line), [2, 4, 6]);
});

/** Function bodies whose override detection is compared with `declare -f | grep -E`. */
const BODIES: string[] = [
  "depends=(a b)",
  "depends=(a\n  b 'c d' # c\n)",
  "depends+=(x)\ndepends+=(y)",
  "if [[ $CARCH == x86_64 ]]; then depends+=(foo); fi",
  "if a; then depends=(1); elif b; then depends=(2); else depends=(3); fi",
  "a && depends=(y)",
  "depends=(z) && b",
  "depends=(z) || b",
  "depends=(z) | cat",
  "( depends=(s) )",
  "(\n depends=(s)\n depends=(t)\n)",
  "(\n depends=(s)\n depends=(t)\n :\n)",
  "{ depends=(t); }",
  "{ depends=(t); :; }",
  "case $x in a) depends=(u);; b) depends=(v);& c) depends=(w);;& esac",
  "depends=(v) &",
  "depends=(v) & depends=(w)",
  ": & depends=(w)",
  "for i in a; do depends+=($i); done",
  "for ((i=0;i<1;i++)); do depends=(a); done",
  "while false; do depends=(a); done",
  "until true; do depends=(a); done",
  "select x in a; do depends=(a); done",
  "f() { depends=(n); }",
  "local depends=(l)",
  "declare -a depends=(l)",
  "depends=(r) >/dev/null",
  "depends=(m) pkgdesc=k",
  "pkgdesc=k depends=(m)",
  "! depends=(x)",
  "[[ x ]] && { depends=(x); }",
  "foo | { depends=(x); }",
  "x=$(\n  depends=(q)\n)",
  "x=$(if a; then depends=(q); fi)",
  "cat <<EOF\n depends=(h)\nEOF",
  "cat <<'EOF'\n depends=(h)\n\tdepends=(i)\nEOF",
  'y="multi\n depends=(w)"',
  "depends=('a\n b')",
  "pkgdesc=",
  "pkgdesc=\n:",
  'pkgdesc=""',
  "pkgdesc=foo",
  "pkgdesc='a b'",
  "pkgdesc=foo bar",
  "pkgdesc=$(echo x)",
  'pkgdesc="$pkgdesc (extra)"',
  "pkgdesc+=' more'",
  "if a; then pkgdesc=; fi",
  "if a; then pkgdesc=; else pkgdesc=; fi",
  "{ pkgdesc=; }",
  "{ pkgdesc=; :; }",
  "case x in a) pkgdesc= ;; esac",
  "(\n pkgdesc=\n pkgdesc=\n)",
  "pkgdesc= <<< x",
  "pkgdesc= ; pkgdesc=",
  "pkgdesc=x; depends=(y)",
  "depends=(); pkgdesc=",
  "time depends=(a)",
  "export pkgdesc=x",
  "depends[0]=x",
  "optdepends=('a: b' 'c: d')",
  "depends=(${depends[@]} x)",
  'depends=("${_deps[@]}")',
  "coproc { depends=(x); }",
  "depends=(a) # comment\npkgdesc=b # comment",
  "arch=(any)",
];

async function bashMatches(
  bodies: string[],
  attr: string,
  kind: "array" | "string",
): Promise<string[][]> {
  const regex = kind === "array"
    ? `^[[:space:]]* ${attr}\\+?=\\(`
    : `^[[:space:]]* ${attr}\\+?=[^(]`;
  const defs = bodies.map((b, i) =>
    `package_${i}() {\n${b}\n}\necho "@@${i}"\ndeclare -f package_${i}\n`
  );
  const script = `{\n${defs.join("")}} | grep -E '^@@[0-9]+$|${regex}'\n`;
  const out = await new Deno.Command("bash", {
    args: ["-c", script],
    stdout: "piped",
    stderr: "null",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const result: string[][] = bodies.map(() => []);
  let current = -1;
  for (const line of text.split("\n")) {
    const m = /^@@(\d+)$/.exec(line);
    if (m) current = Number(m[1]);
    else if (line !== "" && current >= 0) {
      result[current].push(line.replace(/^\s+/, "").replace(/;$/, ""));
    }
  }
  return result;
}

for (const [attr, kind] of [["depends", "array"], ["pkgdesc", "string"]] as const) {
  Deno.test(`findOverrideAssignments() agrees with bash's declare -f | grep for ${kind} attribute '${attr}'`, async () => {
    const expected = await bashMatches(BODIES, attr, kind);
    const problems: string[] = [];
    BODIES.forEach((body, i) => {
      const text = `package_${i}() {\n${body}\n}\n`;
      const scan = findOverrideAssignments(onlyFunction(text), attr, kind);
      const mine = scan.assignments.map((a) => printed(a, text));
      if (scan.unsupported.length > 0) {
        if (expected[i].length === 0) {
          problems.push(`${JSON.stringify(body)}: flagged but bash matches nothing`);
        }
        return;
      }
      if (JSON.stringify(mine) !== JSON.stringify(expected[i])) {
        problems.push(
          `${JSON.stringify(body)}: mine ${JSON.stringify(mine)}, bash ${
            JSON.stringify(expected[i])
          }`,
        );
      }
    });
    assertEquals(problems, []);
    assert(expected.some((m) => m.length > 0));
  });
}

const ATTRS: [string, "array" | "string"][] = [
  ["depends", "array"],
  ["optdepends", "array"],
  ["provides", "array"],
  ["conflicts", "array"],
  ["replaces", "array"],
  ["arch", "array"],
  ["license", "array"],
  ["backup", "array"],
  ["pkgdesc", "string"],
  ["url", "string"],
  ["install", "string"],
];

Deno.test("findOverrideAssignments() agrees with declare -f | grep on every function of the fixture PKGBUILDs", async () => {
  const dir = new URL("../../fixtures/pkgbuild/", import.meta.url);
  const sources: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.isDirectory) continue;
    const text = await Deno.readTextFile(new URL(`${e.name}/PKGBUILD`, dir));
    try {
      for (const fn of topLevelFunctions(parseBash(text))) {
        if (fn.name.startsWith("package")) sources.push(fn.source);
      }
    } catch {
      // a PKGBUILD that does not parse (tested elsewhere)
    }
  }
  assert(sources.length > 100, `only ${sources.length} package functions in the fixtures`);
  // Only the function definitions are given to bash: defining a function runs nothing.
  const bodies = sources.sort().map((src) => {
    const fn = onlyFunction(src + "\n");
    const open = fn.body.type === "BraceGroup"
      ? src.indexOf("{", src.indexOf(fn.name) + fn.name.length)
      : -1;
    return open === -1 ? null : src.slice(open + 1, src.lastIndexOf("}"));
  }).filter((b): b is string => b !== null);
  const problems: string[] = [];
  for (const [attr, kind] of ATTRS) {
    const expected = await bashMatches(bodies, attr, kind);
    bodies.forEach((body, i) => {
      const text = `package_${i}() {\n${body}\n}\n`;
      const scan = findOverrideAssignments(onlyFunction(text), attr, kind);
      if (scan.unsupported.length > 0) {
        if (expected[i].length === 0) {
          problems.push(`${attr} in ${i}: flagged, bash matches nothing`);
        }
        return;
      }
      const mine = scan.assignments.map((a) => printed(a, text));
      if (JSON.stringify(mine) !== JSON.stringify(expected[i])) {
        problems.push(
          `${attr} in ${JSON.stringify(body)}: mine ${JSON.stringify(mine)}, bash ${
            JSON.stringify(expected[i])
          }`,
        );
      }
    });
  }
  assertEquals(problems, []);
});

const names = (src: string) =>
  overrideLines(onlyFunction(src)).map((a) => `${a.name}${a.append ? "+" : ""}:${a.form}`);

Deno.test("overrideLines() finds assignments that start a printed line", () => {
  assertEquals(
    names(
      'package_x() {\n  depends=(a b)\n  pkgdesc="d"; url+=x\n  if true; then backup=(c); fi\n}',
    ),
    ["depends:array", "pkgdesc:string", "url+:string", "backup:array"],
  );
});

Deno.test("overrideLines() skips local, quoted text and comments; reports heredoc lines makepkg would grep", () => {
  const lines = overrideLines(onlyFunction(
    'package() {\n  local depends=(a)\n  echo "url=x"\n  # pkgdesc=y\n  cat <<EOF\n license=(z)\nEOF\n  groups=\n}',
  ));
  assertEquals(lines.map((a) => `${a.name}:${a.form}:${a.unsupported ? "unsupported" : "ok"}`), [
    "license:array:unsupported",
    "groups:empty:ok",
  ]);
});

Deno.test("overrideLines() does not read assignments inside an array value", () => {
  assertEquals(names("package() {\n  provides=(foo=1.0 bar=2)\n}"), ["provides:array"]);
});

Deno.test("overrideLines(): an assignment after && is not a line makepkg's grep sees", () => {
  assertEquals(names("package() { true && depends=foo; }"), []);
  assertEquals(names("package() {\n  true && depends=(a)\n  false || pkgdesc=x\n}"), []);
});
