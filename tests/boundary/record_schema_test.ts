import { assert, assertEquals, assertThrows } from "../_assert.ts";
import {
  CACHE_ENTRY_FIELDS,
  fieldsProblem,
  parseRecordText,
  RecordInvalidError,
} from "../../src/boundary/mod.ts";
import { ExitCode } from "../../src/errors.ts";

const SHA = "a".repeat(64);
const GOOD = {
  schema: 1,
  id: "w",
  version: "1.0-1",
  arch: "x86_64",
  platform: "linux",
  packages: ["w"],
  root: "/r",
  installedAt: "2026-01-01T00:00:00Z",
  txid: "t1",
  files: [
    { path: "usr", type: "dir", mode: 0o755, size: 0 },
    { path: "usr/bin/w", type: "file", mode: 0o755, size: 3, sha256: SHA },
    { path: "usr/bin/l", type: "symlink", mode: 0o777, size: 0, target: "w" },
  ],
  createdDirs: ["usr"],
  executables: ["usr/bin/w"],
  origin: "x",
};
const ctx = { file: "/r/var/lib/worker-provisioner/workers/w/record.json", id: "w", root: "/r" };

function parse(value: unknown): Record<string, unknown> {
  return parseRecordText(typeof value === "string" ? value : JSON.stringify(value), ctx);
}

Deno.test("parseRecordText() resolves a valid record's paths against its root, keeping unknown fields", () => {
  const r = parse({ ...GOOD, hive: { registered: true } }) as typeof GOOD & { hive: unknown };
  assertEquals(r.files.map((f) => f.path), ["/r/usr", "/r/usr/bin/w", "/r/usr/bin/l"]);
  assertEquals(r.executables, ["/r/usr/bin/w"]);
  assertEquals(r.hive, { registered: true });
});

Deno.test("parseRecordText() refuses every damaged shape with RECORD_INVALID naming the file and the fix", () => {
  const damaged: unknown[] = [
    "",
    "{",
    '{"schema":1,"id":"w"',
    "null",
    "[]",
    "42",
    { ...GOOD, schema: 2 },
    { ...GOOD, id: "other" },
    { ...GOOD, id: 7 },
    { ...GOOD, files: "x" },
    { ...GOOD, files: [{ path: 42, type: "file", mode: 0o644, size: 1, sha256: SHA }] },
    { ...GOOD, files: [{ path: "a", type: "fifo", mode: 0o644, size: 1 }] },
    { ...GOOD, files: [{ path: "a", type: "file", mode: -1, size: 1, sha256: SHA }] },
    { ...GOOD, files: [{ path: "a", type: "file", mode: 0o644, size: 1 }] },
    { ...GOOD, files: [{ path: "a", type: "symlink", mode: 0o777, size: 0 }] },
    { ...GOOD, files: [null] },
    { ...GOOD, version: undefined },
    { ...GOOD, packages: ["../x"] },
    { ...GOOD, executables: [1] },
  ];
  for (const d of damaged) {
    const e = assertThrows(() => parse(d), RecordInvalidError);
    assertEquals(e.code, "RECORD_INVALID");
    assertEquals(e.exitCode, ExitCode.stateDamaged);
    assertEquals(e.path, ctx.file);
    assertEquals(e.hint?.includes("doctor --repair"), true);
  }
});

Deno.test("parseRecordText() refuses a forged record whose paths leave the root", () => {
  const file = (path: string) => ({ path, type: "file", mode: 0o644, size: 1, sha256: SHA });
  for (
    const forged of [
      { ...GOOD, files: [file("/etc/passwd")] },
      { ...GOOD, files: [file("../../outside/victim")] },
      { ...GOOD, files: [file("usr/../../x")] },
      { ...GOOD, createdDirs: ["/"] },
      { ...GOOD, createdDirs: ["/r"] },
      { ...GOOD, executables: ["/bin/sh"] },
    ]
  ) {
    assertThrows(() => parse(forged), RecordInvalidError);
  }
  // An older record's absolute path inside the root is read.
  const old = parse({ ...GOOD, files: [file("/r/usr/x")] }) as typeof GOOD;
  assertEquals(old.files[0].path, "/r/usr/x");
});

Deno.test("a package cache entry's manifest: climbing tree names and file paths, bad ids and digests are refused", () => {
  const entry = {
    schema: 2,
    key: "b".repeat(64),
    id: "w",
    version: "1.0-1",
    builtAt: "2026-12-06T00:00:00Z",
    packages: ["w"],
    files: [{
      path: "w/usr/bin/w",
      type: "file",
      mode: 0o755,
      size: 3,
      sha256: SHA,
      ino: 12,
      mtimeMs: 1765000000123,
      backup: false,
    }],
    metadata: { id: "w", version: "1.0-1", arch: "x86_64" },
  };
  assertEquals(fieldsProblem(entry, CACHE_ENTRY_FIELDS), null);
  const problem = (patch: Record<string, unknown>) =>
    fieldsProblem({ ...entry, ...patch }, CACHE_ENTRY_FIELDS);
  assertEquals(
    problem({ packages: ["../../outside"] }),
    "field `packages`[0]: it starts with a dot",
  );
  for (const path of ["w/../../etc/passwd", "/etc/passwd", "w//x", "w/./x", ""]) {
    const files = [{ path, type: "file", mode: 0o644, size: 0, sha256: SHA }];
    assert(problem({ files })?.startsWith("field `files`[0]"), path);
  }
  assert(problem({ files: [{ ...entry.files[0], sha256: "x" }] }), "a bad digest");
  assert(problem({ key: "../x" }), "a key that is not hex");
  assert(problem({ metadata: { id: "../w", version: "1", arch: "any" } }), "a bad metadata id");
  assertEquals(problem({ schema: 1 }), "field `schema` is not 2", "a copy-era entry");
  assert(problem({ files: [{ ...entry.files[0], ino: -1 }] }), "a negative inode");
  assert(problem({ files: [{ ...entry.files[0], mtimeMs: 1.5 }] }), "a fractional mtime");
  assert(
    problem({ files: [{ ...entry.files[0], backup: "yes" }] }),
    "a backup flag that is not one",
  );
});
