/**
 * Finding and stopping every process a recipe function started.
 *
 * The runner starts each phase's process as a session leader (`setsid`), so
 * the tree is: every descendant of that process by `/proc/<pid>/stat` parent
 * links, plus every process still in its session or process group (children
 * re-parented to init after their parent exited stay in the session). The
 * tree is frozen with SIGSTOP while it is collected (so nothing forks behind
 * our back), then sent SIGTERM and SIGCONT, and whatever is left after the
 * grace period gets SIGKILL.
 *
 * Limit without the sandbox: a process that called `setsid` itself *and*
 * whose parent already exited (a double fork, a daemon) is in no session or
 * tree of ours any more and cannot be found. Inside bwrap's private PID
 * namespace (`--unshare-pid`) nothing escapes: orphans are re-parented to the
 * namespace's init, and the whole namespace dies with it.
 *
 * @module
 */

import { sleep } from "../_sleep.ts";

/** One process as `/proc/<pid>/stat` describes it. */
export interface ProcessInfo {
  /** Process id. */
  readonly pid: number;
  /** Parent process id. */
  readonly ppid: number;
  /** Process group id. */
  readonly pgid: number;
  /** Session id. */
  readonly sid: number;
  /** State letter (`R`, `S`, `Z`, ...). */
  readonly state: string;
}

/** Parses one `/proc/<pid>/stat` line (the command name may contain spaces and parentheses). */
export function parseProcStat(text: string): ProcessInfo | undefined {
  const close = text.lastIndexOf(")");
  if (close < 0) return undefined;
  const pid = Number.parseInt(text, 10);
  const fields = text.slice(close + 2).split(" ");
  const [state, ppid, pgid, sid] = [
    fields[0],
    Number(fields[1]),
    Number(fields[2]),
    Number(fields[3]),
  ];
  if (!Number.isInteger(pid) || state === undefined || !Number.isInteger(sid)) return undefined;
  return { pid, ppid, pgid, sid, state };
}

/**
 * Reads the live process table from `/proc` (processes that vanish while
 * reading are skipped). Deno 2.9 lets only `--allow-all` read `/proc`; under
 * explicit permissions the table comes from `ps` (`--allow-run=ps`) instead.
 */
export function readProcessTable(): Map<number, ProcessInfo> {
  try {
    return readProcTable();
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) return readPsTable();
    throw error;
  }
}

/** The process table from `ps` (procps): pid, ppid, pgid, sid and the one-letter state. */
function readPsTable(): Map<number, ProcessInfo> {
  const out = new Deno.Command("ps", {
    args: ["-e", "-o", "pid=,ppid=,pgid=,sid=,state="],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  const table = new Map<number, ProcessInfo>();
  for (const line of new TextDecoder().decode(out.stdout).split("\n")) {
    const [pid, ppid, pgid, sid, state] = line.trim().split(/\s+/);
    if (!state) continue;
    table.set(Number(pid), {
      pid: Number(pid),
      ppid: Number(ppid),
      pgid: Number(pgid),
      sid: Number(sid),
      state,
    });
  }
  return table;
}

function readProcTable(): Map<number, ProcessInfo> {
  const table = new Map<number, ProcessInfo>();
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const info = parseProcStat(Deno.readTextFileSync(`/proc/${entry.name}/stat`));
      if (info) table.set(info.pid, info);
    } catch {
      // exited meanwhile
    }
  }
  return table;
}

/**
 * Returns the live (non-zombie) processes of the tree rooted at `rootPid`:
 * the root, its descendants, processes in its session or group, and
 * descendants of `known` processes found earlier (they may have been
 * re-parented since).
 */
export function collectProcessTree(
  rootPid: number,
  known: ReadonlySet<number> = new Set(),
  table: Map<number, ProcessInfo> = readProcessTable(),
): Set<number> {
  const children = new Map<number, number[]>();
  for (const p of table.values()) {
    const list = children.get(p.ppid) ?? [];
    list.push(p.pid);
    children.set(p.ppid, list);
  }
  const found = new Set<number>();
  const queue = [rootPid, ...known];
  for (const p of table.values()) {
    if (p.pid !== Deno.pid && (p.sid === rootPid || p.pgid === rootPid)) queue.push(p.pid);
  }
  while (queue.length > 0) {
    const pid = queue.pop()!;
    if (found.has(pid) || pid === Deno.pid) continue;
    const info = table.get(pid);
    if (info === undefined) continue;
    found.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  for (const pid of found) {
    if (table.get(pid)?.state === "Z") found.delete(pid);
  }
  return found;
}

function signalAll(pids: Iterable<number>, signal: Deno.Signal): void {
  const list = [...pids];
  for (const pid of list) {
    try {
      Deno.kill(pid, signal);
    } catch (error) {
      // Deno.kill needs an unscoped --allow-run; under `--allow-run=...,kill` use kill(1).
      if (error instanceof Deno.errors.NotCapable) return killCommand(list, signal);
      // otherwise: already gone
    }
  }
}

/** Sends `signal` to `pids` with procps' `kill` (processes already gone are ignored). */
function killCommand(pids: readonly number[], signal: Deno.Signal): void {
  if (pids.length === 0) return;
  new Deno.Command("kill", {
    args: [`-${signal.replace(/^SIG/, "")}`, "--", ...pids.map(String)],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).outputSync();
}

/** Options of {@link killProcessTree}. */
export interface KillTreeOptions {
  /** Time between SIGTERM and SIGKILL, in milliseconds. @default 2000 */
  readonly graceMs?: number;
  /** Longest wait for processes to vanish after SIGKILL, in milliseconds. @default 3000 */
  readonly reapTimeoutMs?: number;
}

/**
 * Stops every process of the tree rooted at `rootPid` (see the module doc)
 * and resolves once none is left (zombies count as gone), or after the reap
 * timeout. Returns the pids still alive then (normally none).
 */
export async function killProcessTree(
  rootPid: number,
  options: KillTreeOptions = {},
): Promise<number[]> {
  const graceMs = options.graceMs ?? 2000;
  const known = new Set<number>();
  // Freeze the tree until a scan finds nothing new, so no process forks unseen.
  for (let round = 0; round < 20; round++) {
    const found = collectProcessTree(rootPid, known);
    const fresh = [...found].filter((pid) => !known.has(pid));
    if (fresh.length === 0) break;
    signalAll(fresh, "SIGSTOP");
    for (const pid of fresh) known.add(pid);
  }
  signalAll(known, "SIGTERM");
  signalAll(known, "SIGCONT");
  if (await waitUntilGone(rootPid, known, graceMs, "SIGTERM")) return [];
  const left = collectProcessTree(rootPid, known);
  signalAll(left, "SIGKILL");
  await waitUntilGone(rootPid, left, options.reapTimeoutMs ?? 3000, "SIGKILL");
  return [...collectProcessTree(rootPid, left)];
}

async function waitUntilGone(
  rootPid: number,
  known: Set<number>,
  ms: number,
  signal: Deno.Signal,
): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const alive = collectProcessTree(rootPid, known);
    if (alive.size === 0) return true;
    // Processes found only now (forked during the freeze) get the same treatment.
    const fresh = [...alive].filter((pid) => !known.has(pid));
    signalAll(fresh, signal);
    signalAll(fresh, "SIGCONT");
    for (const pid of fresh) known.add(pid);
    if (Date.now() >= deadline) return false;
    await sleep(20);
  }
}
