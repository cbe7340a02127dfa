import { join } from "node:path";
import { assertEquals, assertRejects } from "./_assert.ts";
import {
  hashFileInto,
  sha256File,
  sha256FileBlocking,
  sha256OpenFileBlocking,
  SMALL_FILE_BYTES,
} from "../src/_hash.ts";
import { CancelledError } from "../src/errors.ts";

async function sha256sum(path: string): Promise<string> {
  const out = await new Deno.Command("sha256sum", { args: [path], stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).split(" ")[0];
}

Deno.test("sha256File() agrees with sha256sum on empty, small, multi-chunk files and either side of the WebCrypto size", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const sizes = [0, 7, (1 << 20) * 2 + 123, SMALL_FILE_BYTES, SMALL_FILE_BYTES + 1];
    for (const size of sizes) {
      const path = join(dir, `f${size}`);
      const bytes = new Uint8Array(size).map((_, i) => (i * 31 + 7) & 0xff);
      await Deno.writeFile(path, bytes);
      assertEquals(await sha256File(path), await sha256sum(path), `size ${size}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hashFileInto() copies what it hashes into copyTo, and returns the size", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bytes = new Uint8Array((1 << 20) + 5).map((_, i) => i & 0xff);
    await Deno.writeFile(join(dir, "in"), bytes);
    const chunks: number[] = [];
    {
      using copy = await Deno.open(join(dir, "out"), { write: true, createNew: true });
      const size = await hashFileInto(join(dir, "in"), { update: (c) => chunks.push(c.length) }, {
        copyTo: copy,
      });
      assertEquals(size, bytes.length);
    }
    assertEquals(chunks, [1 << 20, 5]);
    assertEquals(await Deno.readFile(join(dir, "out")), bytes);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hashFileInto() stops with CancelledError when its signal is aborted", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(join(dir, "in"), new Uint8Array(10));
    const signal = AbortSignal.abort();
    await assertRejects(
      () => hashFileInto(join(dir, "in"), { update() {} }, { signal }),
      CancelledError,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sha256File() stops with CancelledError when its signal is aborted, small file or large", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(join(dir, "small"), new Uint8Array(10));
    await Deno.writeFile(join(dir, "large"), new Uint8Array(SMALL_FILE_BYTES + 1));
    const signal = AbortSignal.abort();
    for (const name of ["small", "large"]) {
      await assertRejects(() => sha256File(join(dir, name), { signal }), CancelledError);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sha256FileBlocking() gives sha256File's digest, for files of every size, back to back and overlapping", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const sizes = [0, 1, (1 << 20) - 1, 1 << 20, (9 << 20) + 7];
    const paths = [];
    for (const [i, size] of sizes.entries()) {
      const bytes = new Uint8Array(size).map((_, j) => (j * 31 + i) & 0xff);
      const path = `${dir}/f${i}`;
      await Deno.writeFile(path, bytes);
      paths.push(path);
    }
    for (const path of paths) assertEquals(await sha256FileBlocking(path), await sha256File(path));
    for (const path of paths) {
      using file = Deno.openSync(path, { read: true });
      assertEquals(await sha256OpenFileBlocking(file, path), await sha256File(path));
      assertEquals(file.statSync().size, Deno.statSync(path).size, "still open for the caller");
    }
    const together = await Promise.all(paths.map((p) => sha256FileBlocking(p)));
    assertEquals(together, await Promise.all(paths.map((p) => sha256File(p))));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
