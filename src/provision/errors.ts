/**
 * Errors of the provision stage, each with a stable `code` and an exit code
 * from {@link ExitCode}:
 *
 * | code                 | exit code          | when                                                      |
 * | -------------------- | ------------------ | --------------------------------------------------------- |
 * | `CATALOG_UNREACHABLE`| `catalogFailed`    | the catalog cannot be reached or timed out                |
 * | `CATALOG_BAD_ANSWER` | `catalogFailed`    | HTML instead of JSON, wrong shape, too large, 5xx         |
 * | `WORKER_NOT_FOUND`   | `notFound`         | the catalog has no such worker (404), or no PKGBUILD      |
 * | `RECIPE_NOT_FOUND`   | `notFound`         | a PKGBUILD path or recipe dir does not exist              |
 * | `NOT_INSTALLED`      | `notFound`         | remove/verify of a worker that has no record              |
 * | `INCOMPATIBLE`       | `incompatible`     | the worker does not support this platform/architecture    |
 * | `LOCK_BUSY`          | `lockBusy`         | another process holds the worker's lock past the timeout  |
 * | `INSTALL_CONFLICT`   | `installConflict`  | files owned by another worker or by nobody would be replaced |
 * | `PERMISSION_DENIED`  | `permissionDenied` | the root or state directory is not writable               |
 * | `RECORD_INVALID`     | `stateDamaged`     | a record or journal file fails its schema                 |
 * | `PACKAGE_INVALID`    | `buildFailed`      | a package tree holds something that cannot be installed   |
 *
 * @module
 */

import { ExitCode, ProvisionerError, type ProvisionerErrorOptions } from "../errors.ts";

/** The catalog could not be reached (connection refused, DNS, timeout). */
export class CatalogUnreachableError extends ProvisionerError {
  /** The URL or directory that failed. */
  readonly location: string;
  /** Creates the error for `location` with the `reason` it failed. */
  constructor(location: string, reason: string, options: ProvisionerErrorOptions = {}) {
    super(
      "CATALOG_UNREACHABLE",
      ExitCode.catalogFailed,
      `Catalog ${location} is unreachable: ${reason}`,
      {
        hint: "start the catalog, or point --catalog (WORKER_CATALOG_URL) at a reachable one",
        ...options,
      },
    );
    this.location = location;
  }
}

/** The catalog answered, but not with what the API promises. */
export class CatalogBadAnswerError extends ProvisionerError {
  /** The URL or file that answered badly. */
  readonly location: string;
  /** The HTTP status, when the catalog is an HTTP one. */
  readonly status?: number;
  /** Creates the error for `location`; `reason` says what was wrong. */
  constructor(
    location: string,
    reason: string,
    options: ProvisionerErrorOptions & { status?: number } = {},
  ) {
    super(
      "CATALOG_BAD_ANSWER",
      ExitCode.catalogFailed,
      `Catalog answer from ${location} is unusable: ${reason}`,
      {
        hint: "check that --catalog points at a worker catalog (its /health should answer JSON)",
        ...options,
      },
    );
    this.location = location;
    if (options.status !== undefined) this.status = options.status;
  }
}

/** The catalog has no worker (or no PKGBUILD) under this id. */
export class WorkerNotFoundError extends ProvisionerError {
  /** The id asked for. */
  readonly id: string;
  /** Creates the error for worker `id` in catalog `location`. */
  constructor(
    id: string,
    location: string,
    what = "Worker",
    options: ProvisionerErrorOptions = {},
  ) {
    super(
      "WORKER_NOT_FOUND",
      ExitCode.notFound,
      `${what} ${id} was not found in catalog ${location}`,
      {
        hint: "list the available workers with `search`",
        ...options,
      },
    );
    this.id = id;
  }
}

/** A PKGBUILD path or recipe directory given on the command line does not exist. */
export class RecipeNotFoundError extends ProvisionerError {
  /** Creates the error for `path`. */
  constructor(path: string, options: ProvisionerErrorOptions = {}) {
    super(
      "RECIPE_NOT_FOUND",
      ExitCode.notFound,
      `Recipe ${path} was not found (no PKGBUILD there)`,
      { hint: "give a PKGBUILD file or a directory that holds one", ...options },
    );
  }
}

/** `remove`/`verify` of a worker that is not installed in this root. */
export class NotInstalledError extends ProvisionerError {
  /** Creates the error for worker `id` under `root`. */
  constructor(id: string, root: string, options: ProvisionerErrorOptions = {}) {
    super("NOT_INSTALLED", ExitCode.notFound, `Worker ${id} is not installed in ${root}`, {
      hint: "see the installed workers with `list`",
      ...options,
    });
  }
}

/** The worker does not run on this platform or architecture. */
export class IncompatibleError extends ProvisionerError {
  /** What the worker supports, e.g. `["x86_64"]`. */
  readonly supported: readonly string[];
  /** Creates the error; `message` names the host value and the supported ones. */
  constructor(
    message: string,
    supported: readonly string[],
    options: ProvisionerErrorOptions = {},
  ) {
    super("INCOMPATIBLE", ExitCode.incompatible, message, {
      hint:
        "pick a worker built for this machine, or pass --arch to install for another architecture",
      ...options,
    });
    this.supported = supported;
  }
}

/** Another process holds the worker's lock for longer than the caller waits. */
export class LockBusyError extends ProvisionerError {
  /** The lock file. */
  readonly path: string;
  /** Who holds it, as written in the lock file (`pid@host since time`), when readable. */
  readonly holder?: string;
  /** Creates the error for the lock at `path`. */
  constructor(
    id: string,
    path: string,
    holder: string | undefined,
    options: ProvisionerErrorOptions = {},
  ) {
    super(
      "LOCK_BUSY",
      ExitCode.lockBusy,
      `Worker ${id} is busy: another process holds ${path}${holder ? ` (${holder})` : ""}`,
      { hint: "wait for the other install or removal to finish, then run again", ...options },
    );
    this.path = path;
    if (holder !== undefined) this.holder = holder;
  }
}

/** One path that installing would take from someone else. */
export interface ConflictingPath {
  /** The destination path, absolute. */
  readonly path: string;
  /** The worker that owns it, or `null` when it exists and nobody owns it. */
  readonly owner: string | null;
}

/** Installing would replace files that belong to another worker or to nobody. */
export class InstallConflictError extends ProvisionerError {
  /** Every conflicting path. */
  readonly conflicts: readonly ConflictingPath[];
  /** Creates the error listing (the first few of) `conflicts`. */
  constructor(
    id: string,
    conflicts: readonly ConflictingPath[],
    options: ProvisionerErrorOptions = {},
  ) {
    const shown = conflicts.slice(0, 5).map((c) =>
      `${c.path} (${c.owner === null ? "exists, owned by no worker" : `owned by ${c.owner}`})`
    );
    const more = conflicts.length > 5 ? ` and ${conflicts.length - 5} more` : "";
    super(
      "INSTALL_CONFLICT",
      ExitCode.installConflict,
      `Installing ${id} would overwrite ${shown.join(", ")}${more}`,
      { hint: "remove the other worker or the files, or pass --force to overwrite", ...options },
    );
    this.conflicts = conflicts;
  }
}

/** The root or state directory cannot be written. */
export class PermissionDeniedError extends ProvisionerError {
  /** Creates the error for `path`. */
  constructor(path: string, options: ProvisionerErrorOptions = {}) {
    super("PERMISSION_DENIED", ExitCode.permissionDenied, `Permission denied writing ${path}`, {
      hint: "run as a user who can write there, or pass --root to install elsewhere",
      ...options,
    });
  }
}

/** A record or journal file fails its schema (the trust boundary's error). */
export { RecordInvalidError, UnsafePathError, UnsafeWorkerIdError } from "../boundary/errors.ts";

/** A package tree holds something that cannot be installed (a device node, a fifo). */
export class PackageInvalidError extends ProvisionerError {
  /** Creates the error for the package tree entry `path`. */
  constructor(path: string, reason: string, options: ProvisionerErrorOptions = {}) {
    super(
      "PACKAGE_INVALID",
      ExitCode.buildFailed,
      `Package file ${path} cannot be installed: ${reason}`,
      options,
    );
  }
}

/** `catalog serve --dir` names something that is not a catalog directory. */
export class CatalogDirError extends ProvisionerError {
  /** Creates the error; `message` says what is wrong with the directory. */
  constructor(message: string, options: ProvisionerErrorOptions = {}) {
    super("CATALOG_DIR_INVALID", ExitCode.notFound, message, {
      hint: "pass --dir a directory holding workers/<id>/worker.json and PKGBUILD",
      ...options,
    });
  }
}

/** The port a server should listen on is taken by another program. */
export class PortInUseError extends ProvisionerError {
  /** The port asked for. */
  readonly port: number;
  /** Creates the error for `hostname`:`port`. */
  constructor(hostname: string, port: number, options: ProvisionerErrorOptions = {}) {
    super("PORT_IN_USE", ExitCode.usage, `Port ${port} on ${hostname} is already in use`, {
      hint: "stop the program using it, or pass another --port (0 picks a free one)",
      ...options,
    });
    this.port = port;
  }
}

/** makepkg's lint finds an error in the recipe: makepkg refuses to build it (exit 12). */
export class RecipeLintError extends ProvisionerError {
  /** Every lint error's message, in rule order. */
  readonly findings: readonly string[];
  /** Creates the error for the recipe at `where` (a file or a worker id) with its lint `findings`. */
  constructor(where: string, findings: readonly string[], options: ProvisionerErrorOptions = {}) {
    super(
      "PKGBUILD_LINT",
      ExitCode.pkgbuildInvalid,
      `${where}: ${findings[0]}${findings.length > 1 ? ` (and ${findings.length - 1} more)` : ""}`,
      { hint: "run `worker-provisioner lint` for every finding", ...options },
    );
    this.findings = findings;
  }
}
