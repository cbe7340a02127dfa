import type { RenderedEvent } from "../../../src/cli/render/mod.ts";

/** Captures what a renderer writes. */
export class CapturedStreams {
  /** stdout so far. */
  stdout = "";
  /** stderr so far. */
  stderr = "";
  /** Appends to stdout. */
  out = (text: string): void => {
    this.stdout += text;
  };
  /** Appends to stderr. */
  err = (text: string): void => {
    this.stderr += text;
  };
}

/** A representative event sequence of an install (source, run, provision events). */
export const INSTALL_EVENTS: RenderedEvent[] = [
  { type: "provision.step", step: "resolve", state: "start", id: "w" },
  { type: "provision.step", step: "fetch", state: "start", id: "w" },
  { type: "source.start", name: "w.tar.gz", url: "http://127.0.0.1:1/w.tar.gz", protocol: "http" },
  ...[10, 30, 60, 90, 100].map((p) => ({
    type: "source.progress" as const,
    name: "w.tar.gz",
    bytes: p * 1024,
    total: 100 * 1024,
    rate: 2048,
  })),
  { type: "source.verified", name: "w.tar.gz", algorithms: ["sha256"] },
  { type: "source.done", name: "w.tar.gz", path: "/c/w", fromCache: false },
  { type: "provision.step", step: "extract", state: "start", id: "w" },
  { type: "source.extract", name: "w.tar.gz", format: "gzip", tool: "in-process" },
  { type: "run.sandbox", enabled: false, reason: "bwrap is not installed" },
  { type: "run.phase", phase: "build", function: "build", state: "start" },
  { type: "run.output", phase: "build", stream: "stdout", line: "\x1b[32mcompiling\x1b[0m\r" },
  { type: "run.output", phase: "build", stream: "stderr", line: "warning: x" },
  { type: "run.phase", phase: "build", function: "build", state: "end", exitCode: 0 },
  { type: "provision.step", step: "install", state: "start", id: "w" },
  {
    type: "provision.done",
    worker: {
      id: "w",
      version: "1.0.0-1",
      arch: "x86_64",
      platform: "linux",
      packages: ["w"],
      files: ["usr/bin/w"],
      executables: ["usr/bin/w"],
      sha256: {},
      size: 1,
      installedAt: "2026-01-01T00:00:00.000Z",
      alreadyInstalled: false,
    },
  },
];
