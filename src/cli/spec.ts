/**
 * The command table of the CLI as plain data: names, arguments, options,
 * environment variables and examples. `--help` and the argument parser read
 * it; it imports nothing, so `cli.ts --help` stays fast.
 *
 * @module
 */

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
export const VERSION = "0.1.0";

/** Default catalog URL when neither `--catalog` nor `WORKER_CATALOG_URL` is set. */
export const DEFAULT_CATALOG_URL = "http://localhost:8787";

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
const trusted: OptionSpec = {
  name: "trusted",
  type: "boolean",
  description: "If the static evaluator refuses the PKGBUILD, source it in a sandboxed bash",
};

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
      binaryCache,
      push,
      registryAuth,
      insecureRegistry,
    ],
    settings: ["catalog", "root", "cacheDir", "stateDir", "arch"],
    examples: [
      ["worker-provisioner install llm-worker-rbee-cpu", "from the default catalog"],
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
    options: [registryAuth, insecureRegistry],
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
    }],
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
    options: [catalog],
    settings: ["catalog"],
    examples: [
      ["worker-provisioner search", "every worker"],
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
      binaryCache,
      push,
      registryAuth,
      insecureRegistry,
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
    options: [catalog, cacheDir, arch, trusted],
    settings: ["catalog", "cacheDir", "arch"],
    examples: [["worker-provisioner fetch demo-hello --catalog ./fixtures/demo", "warm the cache"]],
  },
  {
    name: "srcinfo",
    summary: "Print a PKGBUILD's .SRCINFO (as makepkg --printsrcinfo)",
    usage: "srcinfo <PKGBUILD | recipe-dir> [options]",
    description:
      "Evaluates the PKGBUILD statically (nothing is executed) and prints its .SRCINFO. Refused\nconstructs, syntax errors and lint errors exit non-zero with one line.",
    positionals: [1, 1],
    options: [
      {
        name: "carch",
        type: "string",
        value: "ARCH",
        description: "CARCH to evaluate the PKGBUILD for",
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
    usage: "lint <PKGBUILD | recipe-dir> [options]",
    description: "Prints one finding per line; exits 10 when there is an error.",
    positionals: [1, 1],
    options: [
      {
        name: "carch",
        type: "string",
        value: "ARCH",
        description: "CARCH to evaluate the PKGBUILD for",
        default: "the host's",
      },
    ],
    settings: [],
    examples: [["worker-provisioner lint ./my-worker/PKGBUILD", "check a recipe"]],
  },
  {
    name: "cache",
    summary: "List or clean the source cache",
    usage: "cache <list | clean> [options]",
    description:
      "`cache list` shows the cached sources and their sizes; `cache clean` removes them.",
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
  ["NO_COLOR", "plain output: no colours, no progress bars"],
];

/** Finds the spec of `name` (`catalog serve` for `catalog`), or undefined. */
export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name || c.name.split(" ")[0] === name);
}
