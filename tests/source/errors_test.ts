import { assert, assertEquals } from "../_assert.ts";
import { ExitCode } from "../../src/errors.ts";
import {
  DownloadStalledError,
  ExtractLimitError,
  fileSystemErrorOf,
  NetworkError,
  RedirectRefusedError,
} from "../../src/source/errors.ts";

/** An error shaped like Node's and Deno's file-system errors. */
function osError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

Deno.test("fileSystemErrorOf() names ENOSPC, EDQUOT, EROFS and EACCES with the path and the fix", () => {
  const cases: [Error, string, number, string][] = [
    [osError("ENOSPC", "No space left on device (os error 28)"), "DISK_FULL", 15, "no space left"],
    [new Error("No space left on device (os error 28): write"), "DISK_FULL", 15, "no space left"],
    [osError("EDQUOT", "Disk quota exceeded (os error 122)"), "QUOTA_EXCEEDED", 15, "quota"],
    [new Error("Read-only file system (os error 30): mkdir '/c'"), "READ_ONLY_FS", 8, "read-only"],
    [
      new Deno.errors.PermissionDenied("Permission denied (os error 13)"),
      "ACCESS_DENIED",
      8,
      "denied",
    ],
    [osError("EACCES", "permission denied"), "ACCESS_DENIED", 8, "denied"],
  ];
  for (const [error, code, exit, words] of cases) {
    const typed = fileSystemErrorOf(error, "/var/cache/wp/x.part");
    assert(typed, `${error.message} is not mapped`);
    assertEquals([typed.code, typed.exitCode, typed.path], [code, exit, "/var/cache/wp/x.part"]);
    assert(typed.message.startsWith("Cannot write /var/cache/wp/x.part: "), typed.message);
    assert(typed.message.includes(words), typed.message);
    assert(!typed.message.endsWith("."), typed.message);
    assert((typed.hint ?? "").length > 0);
    assertEquals(typed.cause, error);
  }
  assertEquals(fileSystemErrorOf(new Deno.errors.NotFound("gone"), "/x"), undefined);
  assertEquals(fileSystemErrorOf("a string", "/x"), undefined);
});

Deno.test("network, redirect, stall and limit errors carry stable codes and the download or extract exit codes", () => {
  const url = "https://files.example.org/w.tar.gz";
  const dns = new NetworkError(url, "dns", "Name or service not known");
  assertEquals([dns.code, dns.exitCode, dns.host], [
    "DNS_FAILED",
    ExitCode.downloadFailed,
    "files.example.org",
  ]);
  assertEquals(
    dns.message,
    `Could not resolve host files.example.org for ${url}; check the URL or the network`,
  );
  assertEquals(new NetworkError(url, "refused", "").code, "CONNECTION_REFUSED");
  assertEquals(new NetworkError(url, "tls", "bad cert").code, "TLS_FAILED");
  assertEquals(new RedirectRefusedError(url, "file:///etc/shadow", "no").code, "REDIRECT_REFUSED");
  const stalled = new DownloadStalledError(url, 45_000, "3 attempts");
  assertEquals(stalled.message, `Download of ${url} stalled: no progress for 45 s (3 attempts)`);
  const limit = new ExtractLimitError("w.tar.gz", "ratio", "too much", "--extract-max-ratio");
  assertEquals([limit.code, limit.exitCode], ["EXTRACT_LIMIT", ExitCode.extractFailed]);
});
