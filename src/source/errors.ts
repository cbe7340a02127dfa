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
