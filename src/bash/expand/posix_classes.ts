/**
 * The one table of POSIX character classes (`[:alpha:]`, ...) in the C
 * locale, which globs, `[[ =~ ]]`, `sed` regexes and `tr` sets all use.
 *
 * @module
 */

/** The POSIX character classes in the C locale, as JavaScript character-class ranges. */
export const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alpha: "A-Za-z",
  digit: "0-9",
  alnum: "0-9A-Za-z",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  print: " -~",
  graph: "!-~",
  cntrl: "\\x00-\\x1f\\x7f",
  xdigit: "0-9A-Fa-f",
};

/** The ranges of class `name`, or undefined for a name that is not a POSIX class. */
export function posixClass(name: string): string | undefined {
  return Object.hasOwn(POSIX_CLASSES, name) ? POSIX_CLASSES[name] : undefined;
}

/** Membership tests of each class for one UTF-16 code unit. */
export const POSIX_CLASS_TESTS: Readonly<Record<string, (code: number) => boolean>> = Object
  .fromEntries(
    Object.entries(POSIX_CLASSES).map(([name, ranges]) => {
      const re = new RegExp(`^[${ranges}]$`);
      return [name, (code: number) => re.test(String.fromCharCode(code))];
    }),
  );
