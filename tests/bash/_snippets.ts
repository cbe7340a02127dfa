/**
 * Bash snippets (in `_snippets.txt`) whose parse acceptance the tests
 * compare with `bash -n`: the constructs real PKGBUILDs use, bash's odd
 * corners, and invalid input. Separated by lines holding only `@@`.
 *
 * @module
 */

/** The snippets, each ending with a newline. */
export const SNIPPETS: string[] = Deno.readTextFileSync(new URL("./_snippets.txt", import.meta.url))
  .replace(/\n$/, "")
  .split("\n@@\n")
  .map((s) => s + "\n");
