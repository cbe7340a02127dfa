import { assertEquals, assertInstanceOf, assertMatch, assertRejects } from "../_assert.ts";
import { ExitCode } from "../../src/errors.ts";
import { PermissionDeniedError } from "../../src/provision/errors.ts";
import { FileSystemError, InsufficientSpaceError } from "../../src/source/errors.ts";
import { ensureFreeSpace, freeBytes, storageErrorOf } from "../../src/provision/_storage.ts";

/** An error as Deno reports a failed file-system call. */
function osError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

Deno.test("storageErrorOf() types ENOSPC, EDQUOT, EROFS and EACCES with the path Deno names", () => {
  const cases: [Error, string, number, string][] = [
    [
      osError("ENOSPC", "No space left on device (os error 28): writefile '/r/x'"),
      "DISK_FULL",
      ExitCode.diskFull,
      "/r/x",
    ],
    [
      osError("EDQUOT", "Disk quota exceeded (os error 122): write '/q/y'"),
      "QUOTA_EXCEEDED",
      ExitCode.diskFull,
      "/q/y",
    ],
    [
      osError("EROFS", "Read-only file system (os error 30): mkdir '/m/d'"),
      "READ_ONLY_FS",
      ExitCode.permissionDenied,
      "/m/d",
    ],
    [
      new Deno.errors.PermissionDenied("Permission denied (os error 13): open '/p/z'"),
      "ACCESS_DENIED",
      ExitCode.permissionDenied,
      "/p/z",
    ],
  ];
  for (const [error, code, exit, path] of cases) {
    const typed = storageErrorOf(error, "/fallback");
    assertInstanceOf(typed, FileSystemError);
    assertEquals([typed.code, typed.exitCode, typed.path], [code, exit, path]);
  }
  assertInstanceOf(
    storageErrorOf(new Deno.errors.NotCapable("Requires write access"), "/n"),
    PermissionDeniedError,
  );
  assertEquals(storageErrorOf(osError("EIO", "Input/output error"), "/x"), null);
  assertEquals(storageErrorOf("not an error", "/x"), null);
});

Deno.test("ensureFreeSpace() refuses more than the file system has free, naming both numbers", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const free = await freeBytes(`${dir}/not/yet/made`);
    assertEquals(typeof free, "number");
    await ensureFreeSpace(dir, 0, "staging w");
    const error = await assertRejects(
      () => ensureFreeSpace(dir, free! * 2, "staging w"),
      InsufficientSpaceError,
    );
    assertEquals([error.code, error.exitCode], ["DISK_FULL", ExitCode.diskFull]);
    assertMatch(error.message, /for staging w: needs \d+ bytes, \d+ free$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
