import { assertEquals, assertInstanceOf, assertMatch, assertRejects } from "../_assert.ts";
import { ExitCode } from "../../src/errors.ts";
import {
  DiskFullError,
  PermissionDeniedError,
  ReadOnlyFilesystemError,
} from "../../src/provision/errors.ts";
import { ensureFreeSpace, freeBytes, storageErrorOf } from "../../src/provision/_storage.ts";

/** An error as Deno reports a failed file-system call. */
function osError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

Deno.test("storageErrorOf() types ENOSPC, EDQUOT, EROFS and EACCES with the path Deno names", () => {
  const full = storageErrorOf(
    osError("ENOSPC", "No space left on device (os error 28): writefile '/r/x'"),
    "/r",
  );
  assertInstanceOf(full, DiskFullError);
  assertEquals([full.code, full.exitCode], ["DISK_FULL", ExitCode.diskFull]);
  assertEquals(full.message, "No space left on the file system of /r/x");
  assertInstanceOf(storageErrorOf(osError("EDQUOT", "Disk quota exceeded"), "/q"), DiskFullError);
  const ro = storageErrorOf(
    osError("EROFS", "Read-only file system (os error 30): mkdir '/m/d'"),
    "/m",
  );
  assertInstanceOf(ro, ReadOnlyFilesystemError);
  assertEquals([ro.exitCode, ro.message], [
    ExitCode.readOnlyFilesystem,
    "/m/d is on a read-only file system",
  ]);
  const denied = storageErrorOf(new Deno.errors.PermissionDenied("Permission denied"), "/p");
  assertInstanceOf(denied, PermissionDeniedError);
  assertEquals(storageErrorOf(osError("EIO", "Input/output error"), "/x"), null);
  assertEquals(storageErrorOf("not an error", "/x"), null);
});

Deno.test("ensureFreeSpace() refuses more than the file system has free, naming both numbers", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const free = await freeBytes(`${dir}/not/yet/made`);
    assertEquals(typeof free, "number");
    await ensureFreeSpace(dir, 0, "Staging w");
    const error = await assertRejects(
      () => ensureFreeSpace(dir, free! * 2, "Staging w"),
      DiskFullError,
    );
    assertMatch(error.message, /: Staging w needs \d+ bytes, \d+ are free$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
