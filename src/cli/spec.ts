/**
 * The command table of the CLI as plain data: names, arguments, options,
 * environment variables and examples. `--help` and the argument parser read
 * it; it imports nothing but the default catalog URL, so `cli.ts --help`
 * stays fast.
 *
 * @module
 */

import { DEFAULT_CATALOG_URL } from "../provision/catalog/default_url.ts";

/** One command-line option. */
export interface OptionSpec {
  /** Long name without dashes, e.g. `cache-dir`. */
  readonly name: string;
  /** One-letter alias, if any. */
  readonly short?: string;
  /** `string` options take a value, `boolean` ones do not. */
  readonly type: "string" | "boolean";
  /** Name of the value in help text, e.g. `DIR`. */
  readonly value?: string;
  /** What it does, one line. */
  readonly description: string;
  /** The environment variable that sets it when the flag is absent. */
  readonly env?: string;
  /** The default, as shown by `--help`. */
  readonly default?: string;
  /** The option may be given several times; its values are kept in order. @default false */
  readonly multiple?: boolean;
}

/** The settings a command may resolve from flags, environment and defaults. */
export type Setting = "catalog" | "root" | "cacheDir" | "stateDir" | "arch";

/** One command of the CLI. */
export interface CommandSpec {
  /** The command name as typed, e.g. `install` or `catalog serve`. */
  readonly name: string;
  /** One-line summary for the global help. */
  readonly summary: string;
  /** Usage line after the program name. */
  readonly usage: string;
  /** Longer description, a few lines. */
  readonly description: string;
  /** Positional arguments: [min, max] count (max -1 = unbounded). */
  readonly positionals: readonly [number, number];
  /** The options the command takes besides the global ones. */
  readonly options: readonly OptionSpec[];
  /** The settings the command resolves (which decides the env vars it reads). */
  readonly settings: readonly Setting[];
  /** Example invocations with a comment each. */
  readonly examples: readonly (readonly [string, string])[];
}

/** The program name used in help and messages. */
export const PROGRAM = "worker-provisioner";

/** The CLI version (kept equal to deno.json's version by a test). */
export { VERSION } from "../version.ts";

/** Default catalog URL when neither `--catalog` nor `WORKER_CATALOG_URL` is set. */
export { DEFAULT_CATALOG_URL };

/** Options every command accepts. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  {
    name: "help",
    short: "h",
    type: "boolean",
    description: "Show help (for a command: `CMD --help`)",
  },
  { name: "version", short: "V", type: "boolean", description: "Print the version and exit" },
  {
    name: "json",
    type: "boolean",
    description: "One JSON event per line on stdout, the final result object last",
  },
  { name: "quiet", short: "q", type: "boolean", description: "Print only results and errors" },
  {
    name: "verbose",
    short: "v",
    type: "boolean",
    description: "Print every event, including cached sources and phase details",
  },
];

const catalog: OptionSpec = {
  name: "catalog",
  type: "string",
  value: "URL|DIR",
  description: "Worker catalog: an HTTP base URL or a catalog directory",
  env: "WORKER_CATALOG_URL",
  default: DEFAULT_CATALOG_URL,
};
const root: OptionSpec = {
  name: "root",
  type: "string",
  value: "DIR",
  description: "Install into DIR; records go to DIR/var/lib/worker-provisioner",
  env: "WORKER_PROVISIONER_ROOT",
  default: "/ as root; ~/.local (user install) otherwise",
};
const cacheDir: OptionSpec = {
  name: "cache-dir",
  type: "string",
  value: "DIR",
  description: "Source cache (downloads, git mirrors)",
  env: "WORKER_PROVISIONER_CACHE_DIR",
  default: "ROOT/var/cache/worker-provisioner as root; $XDG_CACHE_HOME/worker-provisioner",
};
const stateDir: OptionSpec = {
  name: "state-dir",
  type: "string",
  value: "DIR",
  description: "Records, locks and journal of installed workers",
  env: "WORKER_PROVISIONER_STATE_DIR",
  default:
    "ROOT/var/lib/worker-provisioner as root or with --root; $XDG_STATE_HOME/worker-provisioner",
};
const arch: OptionSpec = {
  name: "arch",
  type: "string",
  value: "ARCH",
  description: "Target architecture (x86_64, aarch64; arm64/amd64 accepted)",
  env: "WORKER_PROVISIONER_ARCH",
  default: "the host's",
};
// signatures (src/signature/): makepkg's --skippgpcheck
const skipPgpCheck: OptionSpec = {
  name: "skippgpcheck",
  type: "boolean",
  description: "Do not verify source files' PGP signatures (makepkg's --skippgpcheck)",
};
const trusted: OptionSpec = {
  name: "trusted",
  type: "boolean",
  description: "If the static evaluator refuses the PKGBUILD, source it in a sandboxed bash",
};
/** A download that receives no byte for this long, across its retries, fails (DOWNLOAD_STALLED). */
const stallTimeout: OptionSpec = {
  name: "stall-timeout",
  type: "string",
  value: "SEC",
  description: "Fail a download that receives no byte for SEC seconds, across its retries",
  default: "45",
};
/** Extraction limits that stop a decompression bomb (EXTRACT_LIMIT). */
const extractLimits: readonly OptionSpec[] = [
  {
    name: "extract-max-bytes",
    type: "string",
    value: "SIZE",
    description: "Stop extracting an archive past SIZE bytes (K, M, G, T suffixes)",
    default: "64G",
  },
  {
    name: "extract-max-entries",
    type: "string",
    value: "N",
    description: "Stop extracting an archive past N members",
    default: "1000000",
  },
  {
    name: "extract-max-ratio",
    type: "string",
    value: "N",
    description: "Stop extracting an archive producing over N times its size (past 16 MiB)",
    default: "200",
  },
];

/** Options of the build environment (toolchains, variables), shared by `install` and `plan`. */
const buildEnvironmentOptions: readonly OptionSpec[] = [
  {
    name: "toolchain",
    type: "string",
    value: "DIR",
    multiple: true,
    description: "Bind DIR read-only into the build and put DIR/bin (or DIR) on PATH; repeatable",
    default: "rustup's $CARGO_HOME/bin or ~/.cargo/bin when present",
  },
  {
    name: "pass-env",
    type: "string",
    value: "NAME",
    multiple: true,
    description: "Pass this variable of the caller's environment to the build; repeatable",
  },
  {
    name: "env",
    type: "string",
    value: "NAME=VALUE",
    multiple: true,
    description: "Set a variable for the build; repeatable",
  },
];

/** Options a hive driving the CLI as a subprocess uses (`install`, `upgrade`). */
const hiveJobOptions: readonly OptionSpec[] = [
  {
    name: "job-id",
    type: "string",
    value: "ID",
    description: "The job id every --json event carries (the hive's job)",
    default: "a random UUID",
  },
  {
    name: "sandbox",
    type: "string",
    value: "MODE",
    description:
      "Recipe functions in bwrap: auto (when it works), require (fail without), off; the no-sandbox warning shows even with --quiet",
    default: "auto",
  },
];

/** Preflight options of `install` and `upgrade`. */
const preflightOptions: readonly OptionSpec[] = [
  {
    name: "nodeps",
    short: "d",
    type: "boolean",
    description:
      "Skip the dependency check (depends, makedepends, checkdepends); hardware is still checked",
  },
  {
    name: "nocheck",
    type: "boolean",
    description: "Do not run check() (nor check its checkdepends)",
  },
  {
    name: "system-root",
    type: "string",
    value: "DIR",
    description: "Probe DIR instead of / for packages, drivers and executables (chroots, tests)",
    default: "/",
  },
];

/** Where workers are registered for rbee-hive (`install`, `uninstall`, `upgrade`). */
const hiveCatalogOptions: readonly OptionSpec[] = [
  {
    name: "hive-catalog",
    type: "string",
    value: "DIR",
    description: "Register workers in rbee-hive's worker catalog DIR (DIR/<id>/metadata.json)",
    default: "$XDG_CACHE_HOME/rbee/workers (~/.cache/rbee/workers) without --root",
  },
  {
    name: "no-hive-catalog",
    type: "boolean",
    description: "Do not register workers in rbee-hive's worker catalog",
  },
];

const binaryCache: OptionSpec = {
  name: "binary-cache",
  type: "string",
  value: "oci://HOST/REPO|URL|DIR",
  description: "Install a cached package whose key matches instead of building",
};
const registryAuth: OptionSpec = {
  name: "registry-auth",
  type: "string",
  value: "USER:PASSWORD",
  description: "Registry credentials (else a Docker config.json's)",
  env: "WORKER_PROVISIONER_REGISTRY_AUTH",
};
const insecureRegistry: OptionSpec = {
  name: "insecure-registry",
  type: "string",
  value: "HOST[:PORT],...",
  description: "Registries spoken to over plain http (loopback ones always are)",
};
const push: OptionSpec = {
  name: "push",
  type: "boolean",
  description: "On a binary-cache miss, build a package, publish it to the cache, install it",
};

// --- package signatures (src/signature/, src/cli/commands/_signature.ts) ---
const packageSignatureOptions: readonly OptionSpec[] = [
  {
    name: "trusted-key",
    type: "string",
    value: "FILE[,FILE]",
    description: "Also trust package signatures by the public keys in these files",
  },
  {
    name: "require-signature",
    type: "boolean",
    description: "Refuse an unsigned package (the default once a key is trusted)",
  },
  {
    name: "allow-unsigned",
    type: "boolean",
    description: "Accept an unsigned package although keys are trusted",
  },
];
const signingOptions: readonly OptionSpec[] = [
  {
    name: "sign",
    type: "string",
    value: "KEY",
    description: "Sign with the secret key in KEY (armored or binary export)",
  },
  {
    name: "passphrase-file",
    type: "string",
    value: "FILE",
    description: "File holding the signing key's passphrase",
  },
];
// --- end package signatures ---

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "install",
    summary: "Fetch, build and install a worker",
    usage: "install <worker-id | PKGBUILD | recipe-dir> [options]",
    description:
      "Resolves the worker in the catalog (or reads a local recipe), fetches and verifies its\nsources for the target architecture, runs its functions in bash and installs the result\natomically, then records it. Ctrl-C cancels and leaves nothing behind.",
    positionals: [1, 1],
    options: [
      catalog,
      root,
      cacheDir,
      stateDir,
      arch,
      { name: "force", type: "boolean", description: "Overwrite conflicting files" },
      { name: "keep-build", type: "boolean", description: "Keep the build directory" },
      trusted,
      stallTimeout,
      ...extractLimits,
      ...buildEnvironmentOptions,
      {
        name: "reinstall",
        type: "boolean",
        description:
          "Install again even when the same version is installed (from the package cache if it holds the build)",
      },
      {
        name: "rebuild",
        type: "boolean",
        description: "Build even when the package cache holds this build (and replace it)",
      },
      {
        name: "deep",
        type: "boolean",
        description:
          "Re-hash cached sources and the kept build before using them, instead of trusting their size, mtime and inode",
      },
      ...hiveCatalogOptions,
      ...preflightOptions,
      ...hiveJobOptions,
      {
        name: "best",
        type: "boolean",
        description: "Take the argument as an implementation and install its best variant here",
      },
      skipPgpCheck,
      binaryCache,
      push,
      registryAuth,
      insecureRegistry,
      ...packageSignatureOptions,
    ],
    settings: ["catalog", "root", "cacheDir", "stateDir", "arch"],
    examples: [
      ["worker-provisioner install llm-worker-rbee-cpu", "from the default catalog"],
      ["worker-provisioner install llm-worker-rbee --best", "cuda with an NVIDIA driver, else cpu"],
      ["worker-provisioner install ./llm-worker-rbee-cpu-0.1.0-1-x86_64.pkg.tar.zst", "a package"],
      [
        "worker-provisioner install oci://registry.lan:5000/rbee/llm-worker-rbee-cpu:0.1.0-1",
        "from a registry",
      ],
      [
        "worker-provisioner install llm-worker-rbee-cpu --binary-cache oci://registry.lan:5000/rbee/cache --push",
        "build once, then every node installs the package",
      ],
      [
        "worker-provisioner install demo-hello --catalog ./fixtures/demo --root /tmp/r",
        "from a catalog directory into a root",
      ],
      ["worker-provisioner install ./my-worker/PKGBUILD", "from a local recipe"],
    ],
  },
  {
    name: "build",
    summary: "Build a worker into a binary package instead of installing it",
    usage: "build <worker-id | PKGBUILD | recipe-dir> [--output DIR] [options]",
    description:
      "Runs the recipe as install does (fetch, verify, build, package(), makepkg's tidy steps) and\nwrites <pkgname>-<version>-<arch>.pkg.tar.zst into DIR: a package pacman accepts, with our\nmanifest (every file's digest, the recipe's and sources' digests). Same inputs, same bytes.",
    positionals: [1, 1],
    options: [
      catalog,
      cacheDir,
      arch,
      {
        name: "output",
        type: "string",
        value: "DIR",
        description: "Where the packages are written",
        default: "the current directory",
      },
      {
        name: "source-date-epoch",
        type: "string",
        value: "N",
        description: "SOURCE_DATE_EPOCH (every mtime in the package)",
        default: "the newest git source commit time, else now",
      },
      {
        name: "compression-level",
        type: "string",
        value: "N",
        description: "zstd level",
        default: "3",
      },
      { name: "keep-build", type: "boolean", description: "Keep the build directory" },
      trusted,
      ...signingOptions,
    ],
    settings: ["catalog", "cacheDir", "arch"],
    examples: [
      ["worker-provisioner build llm-worker-rbee-cpu --output dist/", "build once"],
      ["worker-provisioner build ./my-worker --source-date-epoch 1700000000", "reproducibly"],
    ],
  },
  {
    name: "push",
    summary: "Upload a built package to an OCI registry",
    usage: "push <package.pkg.tar.zst> <oci://HOST[:PORT]/REPO[:TAG]> [options]",
    description:
      "Uploads the package as an OCI artifact. The tag (default: the package's version) is an\nindex with one manifest per architecture: pushing another architecture's build adds to it.\nPlain http for loopback registries and --insecure-registry ones, https otherwise.",
    positionals: [2, 2],
    options: [registryAuth, insecureRegistry, ...signingOptions],
    settings: [],
    examples: [
      [
        "worker-provisioner push dist/llm-worker-rbee-cpu-0.1.0-1-x86_64.pkg.tar.zst oci://registry.lan:5000/rbee/llm-worker-rbee-cpu",
        "tag 0.1.0-1",
      ],
    ],
  },
  {
    name: "uninstall",
    summary: "Remove an installed worker's recorded files",
    usage: "uninstall <worker-id> [options]",
    description:
      "Removes exactly the files recorded for the worker. Files modified since the install are\nreported and kept unless --force.",
    positionals: [1, 1],
    options: [root, stateDir, {
      name: "force",
      type: "boolean",
      description: "Remove modified files too",
    }, ...hiveCatalogOptions],
    settings: ["root", "stateDir"],
    examples: [["worker-provisioner uninstall demo-hello --root /tmp/r", "remove a worker"]],
  },
  {
    name: "list",
    summary: "List installed workers",
    usage: "list [options]",
    description: "Lists the installed workers with their version, architecture and executables.",
    positionals: [0, 0],
    options: [root, stateDir],
    settings: ["root", "stateDir"],
    examples: [
      ["worker-provisioner list", "workers of this machine"],
      ["worker-provisioner list --root /tmp/r --json", "as JSON"],
    ],
  },
  {
    name: "verify",
    summary: "Compare an installed worker's files with its record",
    usage: "verify <worker-id> [options]",
    description: "Checks every recorded file's type, mode, size and sha256.",
    positionals: [1, 1],
    options: [root, stateDir],
    settings: ["root", "stateDir"],
    examples: [["worker-provisioner verify demo-hello --root /tmp/r", "check one worker"]],
  },
  {
    name: "doctor",
    summary: "Find and repair what interrupted runs left and damaged state",
    usage: "doctor [options]",
    description:
      "Lists interrupted transactions, orphaned staging trees, stale locks, temp files, build\ndirectories, damaged records and records whose files are gone. --repair finishes or undoes\nthe transactions, removes the leftovers and moves damaged records aside (never deletes them).",
    positionals: [0, 0],
    options: [root, cacheDir, stateDir, {
      name: "repair",
      type: "boolean",
      description: "Repair what is found",
    }],
    settings: ["root", "cacheDir", "stateDir"],
    examples: [["worker-provisioner doctor --repair --root /tmp/r", "repair a root"]],
  },
  {
    name: "info",
    summary: "Show a worker's catalog entry",
    usage: "info <worker-id> [options]",
    description: "Prints the catalog entry of a worker.",
    positionals: [1, 1],
    options: [catalog],
    settings: ["catalog"],
    examples: [["worker-provisioner info llm-worker-rbee-cpu", "show one entry"]],
  },
  {
    name: "search",
    summary: "Search the catalog",
    usage: "search [query] [options]",
    description: "Lists catalog workers whose id, name or description contains the query.",
    positionals: [0, 1],
    options: [catalog, {
      name: "compatible",
      type: "boolean",
      description: "Only workers that can run here (platform, architecture, hardware), best first",
    }, {
      name: "system-root",
      type: "string",
      value: "DIR",
      description: "Probe DIR instead of / for drivers (chroots, tests)",
      default: "/",
    }],
    settings: ["catalog"],
    examples: [
      ["worker-provisioner search", "every worker"],
      ["worker-provisioner search --compatible", "workers this machine can run"],
      ["worker-provisioner search cuda", "workers matching 'cuda'"],
    ],
  },
  {
    name: "plan",
    summary: "Show what an install would fetch and run, or the Deno flags it needs",
    usage: "plan <worker-id | PKGBUILD | recipe-dir> [options]",
    description:
      "Reads the recipe and prints the sources (with their hosts and checksums) and the functions\nan install would run. With --permissions, prints the exact Deno permission flags an install\nneeds, for `deno run`.",
    positionals: [1, 1],
    options: [
      catalog,
      root,
      cacheDir,
      stateDir,
      arch,
      {
        name: "permissions",
        type: "boolean",
        description: "Print the minimal Deno flags for `install` of this worker",
      },
      trusted,
      ...buildEnvironmentOptions,
      binaryCache,
      push,
      registryAuth,
      insecureRegistry,
      ...packageSignatureOptions,
    ],
    settings: ["catalog", "root", "cacheDir", "stateDir", "arch"],
    examples: [
      ["worker-provisioner plan demo-hello --catalog ./fixtures/demo", "what would happen"],
      [
        "worker-provisioner plan demo-hello --binary-cache /srv/pkgs",
        "cached package, or a build?",
      ],
      ["worker-provisioner plan demo-hello --permissions", "the deno run flags to use"],
    ],
  },
  {
    name: "fetch",
    summary: "Download and verify a worker's sources into the cache",
    usage: "fetch <worker-id | PKGBUILD | recipe-dir> [options]",
    description:
      "Downloads and verifies the sources for the target architecture; installs nothing.",
    positionals: [1, 1],
    options: [catalog, cacheDir, arch, trusted, stallTimeout, skipPgpCheck, {
      name: "state-dir",
      type: "string",
      value: "DIR",
      description: "State directory whose keyring (DIR/keys) checks source signatures",
      default: "/var/lib/worker-provisioner",
    }],
    settings: ["catalog", "cacheDir", "arch"],
    examples: [["worker-provisioner fetch demo-hello --catalog ./fixtures/demo", "warm the cache"]],
  },
  {
    name: "srcinfo",
    summary: "Print a PKGBUILD's .SRCINFO (as makepkg --printsrcinfo)",
    usage: "srcinfo <PKGBUILD | recipe-dir | worker-id> [options]",
    description:
      "Evaluates the PKGBUILD statically (nothing is executed) and prints its .SRCINFO. Refused\nconstructs, syntax errors and lint errors exit non-zero with one line.",
    positionals: [1, 1],
    options: [
      catalog,
      arch,
      {
        name: "carch",
        type: "string",
        value: "ARCH",
        description: "Same as --arch (makepkg's name for it)",
        default: "the host's",
      },
      trusted,
    ],
    settings: [],
    examples: [["worker-provisioner srcinfo ./my-worker > .SRCINFO", "write .SRCINFO"]],
  },
  {
    name: "lint",
    summary: "Check a PKGBUILD with makepkg's lint rules",
    usage: "lint <PKGBUILD | recipe-dir | worker-id> [options]",
    description: "Prints one finding per line; exits 10 when there is an error.",
    positionals: [1, 1],
    options: [
      catalog,
      arch,
      {
        name: "carch",
        type: "string",
        value: "ARCH",
        description: "Same as --arch (makepkg's name for it)",
        default: "the host's",
      },
    ],
    settings: [],
    examples: [["worker-provisioner lint ./my-worker/PKGBUILD", "check a recipe"]],
  },
  {
    name: "outdated",
    summary: "List installed workers a rebuild would change",
    usage: "outdated [worker-id...] [options]",
    description:
      "Compares each installed worker with its recipe now: the declared version (epoch, pkgver,\npkgrel), the catalog version, and the commit each git source's ref points at (git\nls-remote, no clone). Exits 0 either way; --json gives the reasons.",
    positionals: [0, -1],
    options: [catalog, root, stateDir, arch],
    settings: ["catalog", "root", "stateDir", "arch"],
    examples: [
      ["worker-provisioner outdated", "every installed worker"],
      ["worker-provisioner outdated llm-worker-rbee-cpu --json", "one, with the reasons"],
    ],
  },
  {
    name: "upgrade",
    summary: "Rebuild outdated workers, each as one transaction",
    usage: "upgrade [worker-id...] [options]",
    description:
      "Rebuilds every outdated worker (or the named ones, when outdated) and swaps each in as one\ntransaction; a failed upgrade leaves the old worker installed, recorded and registered.",
    positionals: [0, -1],
    options: [
      catalog,
      root,
      cacheDir,
      stateDir,
      arch,
      { name: "force", type: "boolean", description: "Overwrite conflicting files" },
      ...buildEnvironmentOptions,
      ...hiveCatalogOptions,
      ...preflightOptions,
      ...hiveJobOptions,
    ],
    settings: ["catalog", "root", "cacheDir", "stateDir", "arch"],
    examples: [
      ["worker-provisioner upgrade", "every outdated worker"],
      ["worker-provisioner upgrade llm-worker-rbee-cpu", "one worker"],
    ],
  },
  {
    name: "cache",
    summary: "List or clean the source and package cache",
    usage: "cache <list | clean> [options]",
    description:
      "`cache list` shows the cached sources and kept builds (packages/<id>/<key>) with their sizes\nand the workers using them; `cache clean` removes them.",
    positionals: [1, 1],
    options: [cacheDir],
    settings: ["cacheDir"],
    examples: [
      ["worker-provisioner cache list", "what is cached"],
      ["worker-provisioner cache clean", "free the space"],
    ],
  },
  {
    name: "catalog serve",
    summary: "Serve a catalog directory over HTTP",
    usage: "catalog serve --dir DIR [--port N] [--hostname HOST]",
    description:
      "Serves DIR/workers/<id>/{worker.json,PKGBUILD} in the worker catalog API and DIR/files/ at\n/files/ (Range and ETag), replacing {{CATALOG_URL}} with the server's URL. Runs until Ctrl-C.",
    positionals: [0, 0],
    options: [
      {
        name: "dir",
        type: "string",
        value: "DIR",
        description: "The catalog directory",
        default: ".",
      },
      {
        name: "port",
        type: "string",
        value: "N",
        description: "TCP port (0 = any free port)",
        default: "8787",
      },
      {
        name: "hostname",
        type: "string",
        value: "HOST",
        description: "Address to listen on",
        default: "127.0.0.1",
      },
    ],
    settings: [],
    examples: [[
      "worker-provisioner catalog serve --dir ./fixtures/demo --port 0",
      "serve the demo",
    ]],
  },
  {
    name: "completions",
    summary: "Print a shell completion script (bash, zsh, fish)",
    usage: "completions <bash | zsh | fish>",
    description:
      "Prints a completion script for the shell, generated from this command table. Install it\nwhere the shell looks for completions, or source it from the shell's startup file.",
    positionals: [1, 1],
    options: [],
    settings: [],
    examples: [
      [
        "worker-provisioner completions bash > ~/.local/share/bash-completion/completions/worker-provisioner",
        "bash",
      ],
      ['worker-provisioner completions zsh > "${fpath[1]}/_worker-provisioner"', "zsh"],
      [
        "worker-provisioner completions fish > ~/.config/fish/completions/worker-provisioner.fish",
        "fish",
      ],
    ],
  },
  {
    name: "man",
    summary: "Print the man page",
    usage: "man",
    description: "Prints the manual page (roff), generated from this command table.",
    positionals: [0, 0],
    options: [],
    settings: [],
    examples: [["worker-provisioner man | man -l -", "read it"]],
  },
  // signatures (src/signature/): keyring, signing and verifying files
  {
    name: "keys",
    summary: "Manage the OpenPGP keys sources and packages are verified with",
    usage: "keys <import FILE | list | remove FPR | trust FPR | untrust FPR> [options]",
    description:
      "The keyring (STATE/keys/) that source signatures are checked against, with the recipe's\nvalidpgpkeys; `trust` also accepts the key's signatures on worker packages (STATE/trust.json),\neverywhere or, with --for-catalog, for one catalog only.",
    positionals: [1, 2],
    options: [root, stateDir, {
      name: "for-catalog",
      type: "string",
      value: "URL",
      description: "trust/untrust: pin the key to packages of this catalog only",
    }],
    settings: ["root", "stateDir"],
    examples: [
      ["worker-provisioner keys import upstream.asc", "add a source signer's public key"],
      ["worker-provisioner keys list", "fingerprints, user ids, trust"],
      ["worker-provisioner keys trust 0123...CDEF", "accept its signatures on packages"],
    ],
  },
  {
    name: "sign",
    summary: "Write an OpenPGP detached signature of a file (FILE.sig)",
    usage: "sign FILE --key KEY [--output SIG] [--passphrase-file FILE]",
    description:
      "Signs FILE (a worker package, any file) with the secret key exported in KEY; the signature\nis binary OpenPGP, as pacman's package signatures, and verifies with `gpg --verify`.",
    positionals: [1, 1],
    options: [
      {
        name: "key",
        type: "string",
        value: "KEY",
        description: "Secret key file (armored or binary)",
      },
      {
        name: "output",
        type: "string",
        value: "SIG",
        description: "Signature file",
        default: "FILE.sig",
      },
      {
        name: "passphrase-file",
        type: "string",
        value: "FILE",
        description: "File holding the secret key's passphrase",
      },
    ],
    settings: [],
    examples: [["worker-provisioner sign worker.pkg.tar.zst --key release.asc", "writes .sig"]],
  },
  {
    name: "verify-signature",
    summary: "Check a file's detached signature against the trusted keys",
    usage: "verify-signature FILE [--signature SIG] [options]",
    description:
      "Accepts FILE when its signature (FILE.sig) verifies with a trusted key: keys trusted with\n`keys trust` (or pinned for --for-catalog) and --trusted-key files. Unsigned files are refused\nonce any key is trusted, or with --require-signature; --allow-unsigned lifts the default.",
    positionals: [1, 1],
    options: [
      root,
      stateDir,
      {
        name: "signature",
        type: "string",
        value: "SIG",
        description: "Signature file",
        default: "FILE.sig",
      },
      {
        name: "trusted-key",
        type: "string",
        value: "FILE[,FILE]",
        description: "Also trust the public keys in these files",
      },
      {
        name: "for-catalog",
        type: "string",
        value: "URL",
        description: "Apply the keys pinned for this catalog",
      },
      { name: "require-signature", type: "boolean", description: "Refuse an unsigned file" },
      {
        name: "allow-unsigned",
        type: "boolean",
        description: "Accept an unsigned file although keys are trusted",
      },
    ],
    settings: ["root", "stateDir"],
    examples: [
      [
        "worker-provisioner verify-signature worker.pkg.tar.zst --trusted-key release.pub.asc",
        "check a package",
      ],
    ],
  },
];

/** Environment variables the CLI reads, each with what it sets. */
export const ENVIRONMENT: readonly (readonly [string, string])[] = [
  ["WORKER_CATALOG_URL", `catalog URL or directory (default ${DEFAULT_CATALOG_URL})`],
  ["WORKER_PROVISIONER_ROOT", "install root (default / as root, ~/.local for a user)"],
  ["WORKER_PROVISIONER_CACHE_DIR", "source cache directory"],
  ["WORKER_PROVISIONER_STATE_DIR", "records, locks and journal directory"],
  ["WORKER_PROVISIONER_ARCH", "target architecture (default: the host's)"],
  [
    "WORKER_PROVISIONER_REGISTRY_AUTH",
    "registry credentials USER:PASSWORD (push, oci:// installs)",
  ],
  ["DOCKER_CONFIG", "directory of the Docker config.json with registry credentials"],
  ["HOME, XDG_CACHE_HOME, XDG_STATE_HOME", "per-user defaults (non-root)"],
  ["PATH", "only read to say when a user install's bin directory is not on it"],
  ["CARGO_HOME, RUSTUP_HOME", "where rustup's toolchain is (default ~/.cargo, ~/.rustup)"],
  ["NO_COLOR", "plain output: no colours, no progress bars"],
];

/** Finds the spec of `name` (`catalog serve` for `catalog`), or undefined. */
export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name || c.name.split(" ")[0] === name);
}
