/**
 * A small line diff for test failures and corpus reports: the lines of an
 * LCS alignment, prefixed with " ", "-" (expected only) or "+" (actual only).
 *
 * @module
 */

/** Returns a unified-style diff of `expected` and `actual`, showing `context` lines around changes. */
export function lineDiff(expected: string, actual: string, context = 2): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      lines.push(` ${a[i]}`);
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      lines.push(`+${b[j++]}`);
    } else {
      lines.push(`-${a[i++]}`);
    }
  }
  const keep = lines.map((_line, k) =>
    lines.slice(Math.max(0, k - context), k + context + 1).some((l) => l[0] !== " ")
  );
  const out: string[] = [];
  lines.forEach((line, k) => {
    if (keep[k]) out.push(line.replaceAll("\t", "\\t"));
    else if (keep[k - 1]) out.push("@@");
  });
  return out.join("\n");
}
