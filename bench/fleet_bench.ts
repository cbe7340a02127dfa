/**
 * Fleet simulation: one build, then N nodes install from a registry.
 *
 *     deno run -A bench/fleet_bench.ts [nodes=16] [payload-MiB=64]
 *
 * Starts Debian's docker-registry on 127.0.0.1 (temporary storage), makes a
 * recipe whose build() compiles a C program and writes a payload of the
 * given size (standing in for a worker binary), and then:
 *
 * 1. the builder node runs `install --binary-cache oci://... --push`: the
 *    one build, published to the registry, installed;
 * 2. N nodes (N separate install roots, each its own CLI process under the
 *    compiled binary's flags, all started at once) run the same install,
 *    which must find the package in the cache and run no recipe function;
 * 3. one more node alone, for the cost of an install without N-1 others
 *    competing for the same cores.
 *
 * Prints the build's time, each node's time (median, max) against it, and
 * how often the registry served the package blob (its access log): once per
 * node is the target. Outside CI (a build and 16 installs of a 64 MiB
 * package take minutes on two shared cores); `deno bench` registers nothing
 * from this file.
 *
 * @module
 */

import { join } from "node:path";
import { COMPILE_PERMISSION_FLAGS } from "../src/cli/permissions.ts";
import { startRegistry } from "../tests/oci/_registry.ts";

const CLI = new URL("../cli.ts", import.meta.url).pathname;

/** Runs the CLI; resolves with its wall time, exit code and JSON lines. */
async function cli(args: string[]) {
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...COMPILE_PERMISSION_FLAGS, CLI, ...args, "--json"],
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - started;
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n").filter((l) => l !== "");
  const events = lines.map((l) => JSON.parse(l));
  if (!out.success) {
    throw new Error(
      `${args.join(" ")} exited ${out.code}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return { ms, events };
}

/** The recipe: a compiled program plus a payload of `mib` MiB. */
async function writeRecipe(dir: string, mib: number): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "PKGBUILD"),
    `pkgname=fleet-bench-worker
pkgver=1.0
pkgrel=1
arch=('x86_64' 'aarch64')
license=('MIT')

build() {
  printf '#include <stdio.h>\\nint main(void) { puts("worker ready"); return 0; }\\n' > main.c
  gcc -O2 -o fleet-bench-worker main.c
  head -c ${mib}M /dev/urandom > model.bin
}

package() {
  install -Dm755 fleet-bench-worker "$pkgdir/usr/local/bin/fleet-bench-worker"
  install -Dm644 model.bin "$pkgdir/usr/local/share/fleet-bench-worker/model.bin"
}
`,
  );
  return dir;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The benchmark: one build, then `nodes` installs in parallel, then one alone. */
async function main(): Promise<void> {
  const nodes = Number(Deno.args[0] ?? 16);
  const mib = Number(Deno.args[1] ?? 64);
  const work = await Deno.makeTempDir({ prefix: "wp-fleet-" });
  const registry = await startRegistry(join(work, "registry"));
  try {
    const recipe = await writeRecipe(join(work, "recipe"), mib);
    const cache = `oci://${registry.host}/rbee/cache`;
    const common = (root: string) => [
      "install",
      recipe,
      "--root",
      join(work, root),
      "--cache-dir",
      join(work, root, "cache"),
      "--binary-cache",
      cache,
    ];
    const build = await cli([...common("builder"), "--push"]);
    const builds = (events: { type: string; step?: string; state?: string }[]) =>
      events.filter((e) => e.type === "provision.step" && e.step === "run" && e.state === "start")
        .length;
    console.log(`build + publish + install on the builder: ${(build.ms / 1000).toFixed(1)} s`);
    const started = performance.now();
    const runs = await Promise.all(
      Array.from({ length: nodes }, (_, i) => cli(common(`node-${String(i).padStart(2, "0")}`))),
    );
    const wall = performance.now() - started;
    const alone = await cli(common("node-alone"));

    const perNode = runs.map((r) => r.ms);
    const recipeRuns = builds(build.events) + runs.reduce((n, r) => n + builds(r.events), 0);
    const verified = runs.filter((r) => r.events.at(-1)?.ok === true).length;
    const gets = await registry.blobGets();
    const blobServes = Math.max(0, ...gets.values());
    console.log(`${nodes} nodes in parallel: ${(wall / 1000).toFixed(1)} s wall`);
    console.log(
      `per node: median ${(median(perNode) / 1000).toFixed(1)} s, max ${
        (Math.max(...perNode) / 1000).toFixed(1)
      } s = ${(median(perNode) / build.ms).toFixed(2)}x / ${
        (Math.max(...perNode) / build.ms).toFixed(2)
      }x the build`,
    );
    console.log(
      `one node alone afterwards: ${(alone.ms / 1000).toFixed(1)} s = ${
        (alone.ms / build.ms).toFixed(2)
      }x the build (no contention from the other nodes)`,
    );
    console.log(
      `recipe builds: ${
        recipeRuns + builds(alone.events)
      } (target 1); installs verified: ${verified}/${nodes}`,
    );
    console.log(
      `package blob served ${blobServes} times (target ${
        nodes + 1
      }: once per node, the lone one included)`,
    );
  } finally {
    await registry.stop();
    if (!Deno.env.get("KEEP")) await Deno.remove(work, { recursive: true });
    else console.log(work);
  }
}

// Only when run directly: `deno bench bench/` loads this file and must not start a fleet.
if (import.meta.main) await main();
