/**
 * Test helpers for unknown values: the evaluator under a host profile where
 * `HOME`, `SOURCE_DATE_EPOCH` and `BOLD` are unknown, and real bash under
 * five environments that give them (and an external command `ext`, whose
 * output and status follow `EXT_OUT` and `EXT_STATUS`) different values.
 *
 * @module
 */

import {
  BARE_PROFILE,
  EvalLimit,
  EvalRefusal,
  Evaluator,
  type HostProfile,
  parseBash,
  ShellState,
} from "../../../src/bash/mod.ts";

const UNKNOWN = new Set(["HOME", "SOURCE_DATE_EPOCH", "BOLD"]);

const PROFILE: HostProfile = {
  ...BARE_PROFILE,
  host: "the host",
  hostVariable: (name) => (UNKNOWN.has(name) ? { kind: "unknown" } : { kind: "unset" }),
  localNames: (name) => !UNKNOWN.has(name),
};

/** Our result: the output, or the refusal. */
export type Ours = { out: string } | {
  construct: string;
  reason: string;
  line: number | undefined;
};

/** Runs `code` in the evaluator as a function body; the output must be known. */
export function ours(code: string): Ours {
  const st = new ShellState(PROFILE);
  st.setGlobal("IFS", " \t\n");
  st.scopes.push({ vars: new Map(), positional: [] });
  const ev = new Evaluator(st, { profile: PROFILE });
  ev.funcDepth = 1;
  const buf: string[] = [];
  ev.out = { buf };
  try {
    ev.execStatements(parseBash(code).body);
    return { out: ev.unknowns.require(buf.join("")) };
  } catch (e) {
    if (e instanceof EvalRefusal) {
      return { construct: e.construct, reason: e.message, line: e.line };
    }
    if (e instanceof EvalLimit) throw e;
    throw e;
  }
}

/** Five environments: HOME, SOURCE_DATE_EPOCH, BOLD, ext's output and status. */
export const ENVIRONMENTS: Record<string, string>[] = [
  { EXT_OUT: "", EXT_STATUS: "0" },
  { HOME: "", SOURCE_DATE_EPOCH: "0", BOLD: "", EXT_OUT: "4", EXT_STATUS: "0" },
  {
    HOME: "-n",
    SOURCE_DATE_EPOCH: "1700000000",
    BOLD: "\x1b[1m",
    EXT_OUT: "a b",
    EXT_STATUS: "1",
  },
  { HOME: "a b*", SOURCE_DATE_EPOCH: "x", BOLD: "-e", EXT_OUT: "-n", EXT_STATUS: "2" },
  { HOME: "/home/u", SOURCE_DATE_EPOCH: "12", BOLD: "\\t", EXT_OUT: "x\\n\\n", EXT_STATUS: "0" },
];

const SEP = "\u0001END\u0001";

/** Each snippet's output in bash under each environment: `[environment][snippet]`. */
export async function bashRuns(snippets: readonly string[]): Promise<string[][]> {
  const bin = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${bin}/ext`,
    '#!/bin/sh\nprintf "%b" "$EXT_OUT"\nexit "$EXT_STATUS"\n',
    { mode: 0o755 },
  );
  const script = snippets.map((s) => `( f() {\n${s}\n}\nf ) 2>/dev/null; printf '${SEP}'`)
    .join("\n");
  try {
    return await Promise.all(ENVIRONMENTS.map(async (env) => {
      // a snippet that loops forever in bash must not hang the test
      const { stdout } = await new Deno.Command("timeout", {
        args: ["120", "bash", "-c", script],
        env: { ...env, LC_ALL: "C", PATH: `${bin}:/usr/bin:/bin` },
        clearEnv: true,
        stdout: "piped",
        cwd: bin,
      }).output();
      return new TextDecoder().decode(stdout).split(SEP).slice(0, snippets.length);
    }));
  } finally {
    await Deno.remove(bin, { recursive: true });
  }
}
