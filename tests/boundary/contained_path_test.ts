import { assert, assertEquals, assertRejects, assertThrows } from "../_assert.ts";
import {
  isInside,
  joinInside,
  proveAllContained,
  proveContained,
  removeContained,
  resolveExisting,
  UnsafePathError,
} from "../../src/boundary/mod.ts";

async function world() {
  const dir = await Deno.makeTempDir({ prefix: "wp-boundary-" });
  const root = `${dir}/root`;
  const outside = `${dir}/outside`;
  await Deno.mkdir(`${root}/usr/local/lib`, { recursive: true });
  await Deno.mkdir(`${root}/var/lib/worker-provisioner`, { recursive: true });
  await Deno.mkdir(outside);
  await Deno.writeTextFile(`${outside}/victim`, "canary");
  return { dir, root, outside, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

Deno.test("isInside() is lexical and exact about prefixes", () => {
  assert(isInside("/r/a", "/r"));
  assert(isInside("/r", "/r"));
  assert(!isInside("/rr/a", "/r"));
  assert(!isInside("/r/../x", "/r"));
  assert(!isInside("/x", "/r"));
});

Deno.test("isInside() agrees with path.relative() on the root, trailing and doubled slashes, dots", () => {
  assert(isInside("/anything/at/all", "/"));
  assert(isInside("/", "/"));
  assert(isInside("/r/a/", "/r/"));
  assert(isInside("/r//a", "/r"));
  assert(isInside("/r/./a", "/r"));
  assert(isInside("/r/", "/r"));
  assert(!isInside("/r/a/../../x", "/r"));
  assert(!isInside("/", "/r"));
  assert(!isInside("/r-other", "/r/"));
  assert(!isInside("/r/..", "/r"));
  assert(isInside("/r/a/..", "/r"));
  assert(isInside("/r/.hidden", "/r"), "a dot name is a name");
  assert(isInside("/r/..x/y", "/r"));
  assert(isInside("/r/a", "/r/b/.."));
  assert(!isInside("/r/a", "/r/a/b/."));
  assert(isInside("a/b", "a"), "relative paths still go through relative()");
  assert(!isInside("b", "a"));
});

Deno.test("joinInside() refuses absolute, climbing and NUL relative paths", () => {
  for (const rel of ["/etc", "..", "../x", "a/../../x", "a\0b", "."]) {
    assertThrows(() => joinInside("/r", rel), UnsafePathError);
  }
  assertEquals(joinInside("/r", "a/b"), "/r/a/b");
});

Deno.test("proveContained() refuses a path through a symlinked directory that points outside", async () => {
  await using w = await world();
  await Deno.symlink(w.outside, `${w.root}/usr/local/lib/x`);
  await assertRejects(
    () => proveContained(`${w.root}/usr/local/lib/x/victim`, { base: w.root }),
    UnsafePathError,
  );
  // The link itself is inside: replacing or removing it does not follow it.
  assertEquals(
    await proveContained(`${w.root}/usr/local/lib/x`, { base: w.root }),
    `${await Deno.realPath(w.root)}/usr/local/lib/x`,
  );
});

Deno.test("proveContained() refuses a symlink inside the root that leads into the state directory", async () => {
  await using w = await world();
  await Deno.symlink("../../../var/lib/worker-provisioner", `${w.root}/usr/local/lib/s`);
  const scope = { base: w.root, excluded: [`${w.root}/var/lib/worker-provisioner`] };
  await assertRejects(
    () => proveContained(`${w.root}/usr/local/lib/s/workers`, scope),
    UnsafePathError,
  );
  await assertRejects(
    () => proveAllContained([`${w.root}/usr/a`, `${w.root}/usr/local/lib/s/x`], scope),
    UnsafePathError,
  );
  await proveAllContained([`${w.root}/usr/a`, `${w.root}/usr/local/lib/b/c`], scope);
});

Deno.test("resolveExisting() refuses a dangling symlink on the way", async () => {
  await using w = await world();
  await Deno.symlink(`${w.outside}/new`, `${w.root}/usr/dangling`);
  await assertRejects(() => resolveExisting(`${w.root}/usr/dangling/x`), UnsafePathError);
});

Deno.test("removeContained() never deletes outside, and never the base itself", async () => {
  await using w = await world();
  await Deno.symlink(w.outside, `${w.root}/usr/local/lib/x`);
  const scope = { base: w.root };
  await assertRejects(
    () => removeContained(`${w.root}/usr/local/lib/x/victim`, scope),
    UnsafePathError,
  );
  await assertRejects(() => removeContained(`${w.root}/../outside/victim`, scope), UnsafePathError);
  await assertRejects(
    () => removeContained(`${w.outside}`, scope, { recursive: true }),
    UnsafePathError,
  );
  await assertRejects(() => removeContained(w.root, scope, { recursive: true }), UnsafePathError);
  assertEquals(await Deno.readTextFile(`${w.outside}/victim`), "canary");
  // Removing the link removes the link, not its target.
  assertEquals(await removeContained(`${w.root}/usr/local/lib/x`, scope), true);
  assertEquals(await Deno.readTextFile(`${w.outside}/victim`), "canary");
  assertEquals(await removeContained(`${w.root}/usr/none`, scope), false);
});
