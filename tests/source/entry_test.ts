import { assertEquals, assertThrows } from "../_assert.ts";
import { parseSourceEntry, sourceFileName, sourceProtocol } from "../../src/source/entry.ts";
import { SourceInvalidError } from "../../src/source/errors.ts";

Deno.test("sourceProtocol() takes the scheme minus a vcs+ prefix, local when there is no ://", () => {
  assertEquals(sourceProtocol("https://example.org/a.tar.gz"), "https");
  assertEquals(sourceProtocol("git+https://example.org/r.git#branch=main"), "git");
  assertEquals(sourceProtocol("name::git+ssh://host/r"), "git");
  assertEquals(sourceProtocol("file:///tmp/x.tar"), "file");
  assertEquals(sourceProtocol("patch.diff"), "local");
  assertEquals(sourceProtocol("renamed.tar::local.tar"), "local");
});

Deno.test("sourceFileName() gives makepkg's names for files, VCS and name:: entries", () => {
  assertEquals(sourceFileName("https://example.org/dl/app-1.0.tar.gz"), "app-1.0.tar.gz");
  assertEquals(sourceFileName("app.tgz::https://example.org/download?id=3"), "app.tgz");
  // makepkg keeps the query in a plain URL's file name.
  assertEquals(sourceFileName("https://example.org/get?f=a.zip"), "get?f=a.zip");
  assertEquals(
    sourceFileName("git+https://github.com/rbee/llama-orch.git#branch=main"),
    "llama-orch",
  );
  assertEquals(sourceFileName("git+https://example.org/repo/?signed#tag=v1"), "repo");
  assertEquals(sourceFileName("git+https://example.org/r.git.mirror"), "r");
  assertEquals(sourceFileName("hg+https://example.org/hgrepo#revision=3"), "hgrepo");
  assertEquals(sourceFileName("fossil+https://example.org/f"), "f.fossil");
  assertEquals(sourceFileName("patches/fix.patch"), "fix.patch");
});

Deno.test("parseSourceEntry() splits fragment, query and the fetch location of a git source", () => {
  const entry = parseSourceEntry("src::git+https://example.org/r.git?signed#tag=v1.2");
  assertEquals(entry.name, "src");
  assertEquals(entry.named, true);
  assertEquals(entry.protocol, "git");
  assertEquals(entry.vcs, true);
  assertEquals(entry.location, "https://example.org/r.git");
  assertEquals(entry.fragment, "tag=v1.2");
  assertEquals(entry.query, "signed");
  assertEquals(entry.ref, { kind: "tag", value: "v1.2" });
  const plain = parseSourceEntry("git+file:///srv/repo.git");
  assertEquals(plain.ref, undefined);
  assertEquals(plain.location, "file:///srv/repo.git");
  const commit = parseSourceEntry("git+https://h/r#commit=0123abc");
  assertEquals(commit.ref, { kind: "commit", value: "0123abc" });
  assertEquals(parseSourceEntry("git+https://h/r#branch=dev").ref, {
    kind: "branch",
    value: "dev",
  });
});

Deno.test("parseSourceEntry() keeps an http URL whole and decodes a file:// path", () => {
  const http = parseSourceEntry("https://example.org/a.tar.gz#frag");
  assertEquals(http.location, "https://example.org/a.tar.gz#frag");
  assertEquals(http.ref, undefined);
  const file = parseSourceEntry("file:///tmp/my%20dir/x.tar");
  assertEquals(file.location, "/tmp/my dir/x.tar");
  assertEquals(file.name, "x.tar");
  assertEquals(parseSourceEntry("local.patch").location, "local.patch");
});

Deno.test("parseSourceEntry() refuses an unknown git fragment as makepkg does", () => {
  assertThrows(
    () => parseSourceEntry("git+https://h/r#revision=3"),
    SourceInvalidError,
    "revision=3",
  );
  assertThrows(
    () => parseSourceEntry("git+https://h/r#main"),
    SourceInvalidError,
    "unrecognized reference",
  );
  assertThrows(() => parseSourceEntry("git+https://h/r#branch="), SourceInvalidError);
});

Deno.test("parseSourceEntry() refuses an entry whose file name is empty or a path", () => {
  assertThrows(() => parseSourceEntry("https://example.org/"), SourceInvalidError, "file name");
  assertThrows(() => parseSourceEntry("::https://example.org/a"), SourceInvalidError);
  assertThrows(() => parseSourceEntry("a/../b::https://example.org/a"), SourceInvalidError);
});

Deno.test("sourceFileName() and sourceProtocol() agree with libmakepkg's get_filename and get_protocol", () => {
  const entries = [
    "https://example.org/dl/app-1.0.tar.gz",
    "app.tgz::https://example.org/download?id=3",
    "https://example.org/get?f=a.zip",
    "git+https://github.com/rbee/llama-orch.git#branch=main",
    "git+https://example.org/repo/?signed#tag=v1",
    "name::git+ssh://git@host/r.git",
    "git://example.org/plain.git",
    "hg+https://example.org/hgrepo#revision=3",
    "svn+https://example.org/trunk/",
    "fossil+https://example.org/f",
    "file:///tmp/x.tar.zst",
    "patch.diff",
    "https://example.org/a.tar.gz#frag",
  ];
  const script = `source /usr/share/makepkg/util/source.sh
for e in "$@"; do printf '%s\\t%s\\n' "$(get_filename "$e")" "$(get_protocol "$e")"; done`;
  const out = new Deno.Command("bash", {
    args: ["-c", script, "bash", ...entries],
    stdout: "piped",
  })
    .outputSync();
  const expected = new TextDecoder().decode(out.stdout).trimEnd().split("\n");
  assertEquals(entries.map((e) => `${sourceFileName(e)}\t${sourceProtocol(e)}`), expected);
});
