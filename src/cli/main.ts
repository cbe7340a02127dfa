/**
 * Entry point of the CLI: parses the command line and dispatches to a command.
 *
 * @module
 */

/** Runs the CLI with `args` and resolves to the process exit code. */
export function main(args: readonly string[]): Promise<number> {
  if (args.includes("--version")) {
    console.log("worker-provisioner 0.1.0");
    return Promise.resolve(0);
  }
  console.log("usage: worker-provisioner <command> [options]");
  return Promise.resolve(args.length === 0 || args.includes("--help") ? 0 : 2);
}
