/**
 * Bash's `[[:space:]]` under glibc's UTF-8 locales (makepkg runs in the
 * user's locale, `C.UTF-8` or `en_US.UTF-8` in practice): the ASCII
 * whitespace \t \n \v \f \r and space, plus the Unicode spaces glibc's
 * `iswspace` accepts (not the no-break ones U+00A0, U+2007, U+202F, nor
 * U+0085 or U+200B). Checked against bash 5.2 on Debian.
 *
 * @module
 */

/** The character class, for building regular expressions. */
export const BASH_SPACE_CLASS =
  "[ \\t\\n\\v\\f\\r\\u1680\\u2000-\\u2006\\u2008-\\u200a\\u2028\\u2029\\u205f\\u3000]";
