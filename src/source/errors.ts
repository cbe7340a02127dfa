/**
 * Errors of the source stage, each with a stable `code` and an exit code from
 * {@link ExitCode}:
 *
 * | code                     | exit code          | when                                             |
 * | ------------------------ | ------------------ | ------------------------------------------------ |
 * | `SOURCE_INVALID`         | `pkgbuildInvalid`  | a source entry cannot be parsed (bad fragment)   |
 * | `CHECKSUM_ARRAY_INVALID` | `checksumMismatch` | a sums array is missing, too short, or has SKIP  |
 * | `CHECKSUM_MISMATCH`      | `checksumMismatch` | a file does not match its expected checksum      |
 * | `DOWNLOAD_FAILED`        | `downloadFailed`   | a download or git fetch failed after its retries |
 * | `SOURCE_NOT_FOUND`       | `notFound`         | a local source is missing next to the PKGBUILD   |
 * | `EXTRACT_UNSAFE`         | `extractFailed`    | an archive tries to write outside srcdir         |
 * | `EXTRACT_FAILED`         | `extractFailed`    | an archive or git checkout could not be unpacked |
 * | `REDIRECT_REFUSED`       | `downloadFailed`   | a redirect to another scheme, or https to http   |
 * | `DNS_FAILED`             | `downloadFailed`   | the host name of a URL does not resolve          |
 * | `CONNECTION_REFUSED`     | `downloadFailed`   | nothing listens at the host and port             |
 * | `TLS_FAILED`             | `downloadFailed`   | the TLS handshake or the certificate failed      |
 * | `DOWNLOAD_STALLED`       | `downloadFailed`   | no byte arrived within the stall deadline        |
 * | `EXTRACT_LIMIT`          | `extractFailed`    | an archive exceeds a size, entry or ratio limit  |
 * | `DISK_FULL`              | `diskFull`         | ENOSPC, or not enough free space for a download  |
 * | `QUOTA_EXCEEDED`         | `diskFull`         | EDQUOT: the user's disk quota is used up         |
 * | `READ_ONLY_FS`           | `permissionDenied` | EROFS: the cache or srcdir is on a read-only fs  |
 * | `ACCESS_DENIED`          | `permissionDenied` | EACCES/EPERM writing the cache or srcdir         |
 *
 * @module
 */

import { ExitCode, ProvisionerError, type ProvisionerErrorOptions } from "../errors.ts";

/** A source entry is malformed: an unknown fragment, an empty name. */
export class SourceInvalidError extends ProvisionerError {
  /** Creates the error for the source entry `entry`. */
  constructor(entry: string, reason: string, options: ProvisionerErrorOptions = {}) {
    super(
      "SOURCE_INVALID",
      ExitCode.pkgbuildInvalid,
      `Invalid source ${entry}: ${reason}`,
      options,
    );
  }
}

/** A checksum array does not fit its source array (missing, wrong length, forbidden SKIP). */
export class ChecksumArrayInvalidError extends ProvisionerError {
  /** The problems found, one sentence each. */
  readonly problems: readonly string[];
  /** Creates the error listing every problem found in the recipe's sums arrays. */
  constructor(problems: readonly string[], options: ProvisionerErrorOptions = {}) {
    super(
      "CHECKSUM_ARRAY_INVALID",
      ExitCode.checksumMismatch,
      `Invalid checksum arrays: ${problems.join("; ")}`,
      {
        hint: "regenerate the sums arrays with `makepkg -g` or `updpkgsums`",
        ...options,
      },
    );
    this.problems = problems;
  }
}

/** A file's content does not match the checksum the recipe pins. */
export class ChecksumMismatchError extends ProvisionerError {
  /** The source's file name. */
  readonly file: string;
  /** The algorithm that failed, e.g. `sha256`. */
  readonly algorithm: string;
  /** The checksum the recipe expects (lower case). */
  readonly expected: string;
  /** The checksum of the content received. */
  readonly actual: string;
  /**
   * Creates the error; `outcome` ends the message and says what became of the
   * bad file (a download is discarded, a local file is left alone).
   */
  constructor(
    file: string,
    algorithm: string,
    expected: string,
    actual: string,
    options: ProvisionerErrorOptions & { outcome?: string } = {},
  ) {
    const outcome = options.outcome ?? "the download was discarded";
    super(
      "CHECKSUM_MISMATCH",
      ExitCode.checksumMismatch,
      `${algorithm} mismatch for ${file}: expected ${expected}, got ${actual}; ${outcome}`,
      {
        hint:
          "the upstream file changed or the download is corrupt: check the source and update the recipe's checksums",
        ...options,
      },
    );
    this.file = file;
    this.algorithm = algorithm;
    this.expected = expected;
    this.actual = actual;
  }
}

/** A download (http or git) failed after all its retries. */
export class DownloadFailedError extends ProvisionerError {
  /** The URL that failed. */
  readonly url: string;
  /** Creates the error for `url`, with the last `reason`. */
  constructor(url: string, reason: string, options: ProvisionerErrorOptions = {}) {
    super("DOWNLOAD_FAILED", ExitCode.downloadFailed, `Download of ${url} failed: ${reason}`, {
      hint: "check the network, the proxy settings and the URL, then run again",
      ...options,
    });
    this.url = url;
  }
}

/** A local source is not next to the PKGBUILD. */
export class SourceNotFoundError extends ProvisionerError {
  /** Creates the error for the missing file `file` looked up in `dir`. */
  constructor(file: string, dir: string, options: ProvisionerErrorOptions = {}) {
    super(
      "SOURCE_NOT_FOUND",
      ExitCode.notFound,
      `Local source ${file} was not found in ${dir} and is not a URL`,
      options,
    );
  }
}

/** An archive member would write outside srcdir, or is a device node. */
export class ExtractUnsafeError extends ProvisionerError {
  /** Creates the error for the archive `file` and its offending `member`. */
  constructor(file: string, member: string, reason: string, options: ProvisionerErrorOptions = {}) {
    super(
      "EXTRACT_UNSAFE",
      ExitCode.extractFailed,
      `Refused to extract ${file}: member ${JSON.stringify(member)} ${reason}`,
      {
        hint: "the archive is malicious or broken; nothing was written outside srcdir",
        ...options,
      },
    );
  }
}

/** An archive or a git checkout could not be unpacked into srcdir. */
export class ExtractFailedError extends ProvisionerError {
  /** Creates the error for `file`. */
  constructor(file: string, reason: string, options: ProvisionerErrorOptions = {}) {
    super(
      "EXTRACT_FAILED",
      ExitCode.extractFailed,
      `Failed to extract ${file}: ${reason}`,
      options,
    );
  }
}

/** A redirect the transfer refuses to follow: to another scheme, or from https to http. */
export class RedirectRefusedError extends ProvisionerError {
  /** The URL asked for. */
  readonly url: string;
  /** Where the server redirected to. */
  readonly location: string;
  /** Creates the error for the redirect from `url` to `location`. */
  constructor(
    url: string,
    location: string,
    reason: string,
    options: ProvisionerErrorOptions = {},
  ) {
    super(
      "REDIRECT_REFUSED",
      ExitCode.downloadFailed,
      `Refused the redirect of ${url} to ${location}: ${reason}`,
      {
        hint: "only http(s) to http(s) redirects are followed, never https to http: fix the URL",
        ...options,
      },
    );
    this.url = url;
    this.location = location;
  }
}

/** Why a connection could not be made, as {@link NetworkError} reports it. */
export type NetworkFailure = "dns" | "refused" | "tls";

const NETWORK_CODES: Record<NetworkFailure, string> = {
  dns: "DNS_FAILED",
  refused: "CONNECTION_REFUSED",
  tls: "TLS_FAILED",
};

/** The host of a URL could not be resolved, refused the connection, or failed TLS. */
export class NetworkError extends ProvisionerError {
  /** The URL that failed. */
  readonly url: string;
  /** The host that failed. */
  readonly host: string;
  /** Which kind of failure. */
  readonly failure: NetworkFailure;
  /** Creates the error for `url`; `detail` is the system's message. */
  constructor(
    url: string,
    failure: NetworkFailure,
    detail: string,
    options: ProvisionerErrorOptions = {},
  ) {
    const parsed = new URL(url);
    const host = parsed.hostname;
    const where = parsed.host;
    const message = failure === "dns"
      ? `Could not resolve host ${host} for ${url}; check the URL or the network`
      : failure === "refused"
      ? `Connection to ${where} refused for ${url}; check that the server is running and the port is right`
      : `TLS connection to ${where} failed for ${url}: ${detail}`;
    super(NETWORK_CODES[failure], ExitCode.downloadFailed, message, {
      hint: failure === "tls"
        ? "check the server's certificate and the system's CA store"
        : "check the URL, the DNS and proxy settings, then run again",
      ...options,
    });
    this.url = url;
    this.host = host;
    this.failure = failure;
  }
}

/** No byte of a source arrived within the stall deadline, across all attempts. */
export class DownloadStalledError extends ProvisionerError {
  /** The URL that stalled. */
  readonly url: string;
  /** Creates the error for `url` after `deadlineMs` without progress. */
  constructor(
    url: string,
    deadlineMs: number,
    reason: string,
    options: ProvisionerErrorOptions = {},
  ) {
    super(
      "DOWNLOAD_STALLED",
      ExitCode.downloadFailed,
      `Download of ${url} stalled: no progress for ${seconds(deadlineMs)} (${reason})`,
      {
        hint:
          "the server stopped sending: try again later, or raise the deadline with --stall-timeout",
        ...options,
      },
    );
    this.url = url;
  }
}

/** An archive exceeds an extraction limit (total bytes, entries or compression ratio). */
export class ExtractLimitError extends ProvisionerError {
  /** The archive's name. */
  readonly file: string;
  /** The limit that was hit: `bytes`, `entries` or `ratio`. */
  readonly limit: "bytes" | "entries" | "ratio";
  /** Creates the error for `file`; `detail` says the numbers; `flag` names the option that raises the limit. */
  constructor(
    file: string,
    limit: "bytes" | "entries" | "ratio",
    detail: string,
    flag: string,
    options: ProvisionerErrorOptions = {},
  ) {
    super(
      "EXTRACT_LIMIT",
      ExitCode.extractFailed,
      `Stopped extracting ${file}: ${detail}`,
      {
        hint:
          `the archive may be a decompression bomb; if you trust it, raise the limit with ${flag}`,
        ...options,
      },
    );
    this.file = file;
    this.limit = limit;
  }
}

/** Which file-system failure a {@link FileSystemError} reports. */
export type FileSystemFailure = "DISK_FULL" | "QUOTA_EXCEEDED" | "READ_ONLY_FS" | "ACCESS_DENIED";

const FS_FAILURES: Record<
  FileSystemFailure,
  { exit: typeof ExitCode[keyof typeof ExitCode]; what: string; fix: string }
> = {
  DISK_FULL: {
    exit: ExitCode.diskFull,
    what: "no space left on the device",
    fix:
      "free space there (`worker-provisioner cache clean` frees the cache) or use another --cache-dir",
  },
  QUOTA_EXCEEDED: {
    exit: ExitCode.diskFull,
    what: "the disk quota is used up",
    fix: "free space within the quota or use a directory with a larger quota",
  },
  READ_ONLY_FS: {
    exit: ExitCode.permissionDenied,
    what: "the file system is read-only",
    fix: "remount it read-write or point --cache-dir/--root at a writable directory",
  },
  ACCESS_DENIED: {
    exit: ExitCode.permissionDenied,
    what: "permission denied",
    fix: "run as a user who may write there (or as root) or choose another directory",
  },
};

/** A write to the cache, srcdir or build directory failed: disk full, quota, read-only, denied. */
export class FileSystemError extends ProvisionerError {
  /** The path being written. */
  readonly path: string;
  /** Creates the error for `path`; `code` is the stable code. */
  constructor(code: FileSystemFailure, path: string, options: ProvisionerErrorOptions = {}) {
    const { exit, what, fix } = FS_FAILURES[code];
    super(code, exit, `Cannot write ${path}: ${what}`, { hint: fix, ...options });
    this.path = path;
  }
}

/** The free space at a path is less than a download or an extraction needs. */
export class InsufficientSpaceError extends ProvisionerError {
  /** The directory that lacks space. */
  readonly path: string;
  /** Bytes needed. */
  readonly needed: number;
  /** Bytes free. */
  readonly free: number;
  /** Creates the error for `what` (e.g. `the download of x.tar.gz`) needing `needed` bytes at `path`. */
  constructor(
    what: string,
    path: string,
    needed: number,
    free: number,
    options: ProvisionerErrorOptions = {},
  ) {
    super(
      "DISK_FULL",
      ExitCode.diskFull,
      `Not enough free space in ${path} for ${what}: needs ${needed} bytes, ${free} free`,
      { hint: FS_FAILURES.DISK_FULL.fix, ...options },
    );
    this.path = path;
    this.needed = needed;
    this.free = free;
  }
}

/** The typed error for a Deno file-system error raised while writing `path`, or undefined for others. */
export function fileSystemErrorOf(error: unknown, path: string): FileSystemError | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  const text = `${code ?? ""} ${error.message}`;
  const failure: FileSystemFailure | undefined =
    code === "ENOSPC" || /No space left on device|os error 28\b/.test(text)
      ? "DISK_FULL"
      : code === "EDQUOT" || /Disk quota exceeded|os error 122\b/.test(text)
      ? "QUOTA_EXCEEDED"
      : code === "EROFS" || /Read-only file system|os error 30\b/.test(text)
      ? "READ_ONLY_FS"
      : error instanceof Deno.errors.PermissionDenied || code === "EACCES" || code === "EPERM"
      ? "ACCESS_DENIED"
      : undefined;
  return failure === undefined ? undefined : new FileSystemError(failure, path, { cause: error });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
