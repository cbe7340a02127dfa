/**
 * What parts of a CLI start cost, each paired against Deno starting an
 * empty script (see `_paired.ts`; both sides under this project's
 * `deno.json`, CPU in milliseconds from bash's `times`):
 *
 * - `node:path`, `node:os`, `node:util`, `node:crypto`, `node:fs`: a script
 *   that imports only that module (Deno then loads its Node.js layer);
 * - `webcrypto`: a script hashing 100 bytes with `crypto.subtle.digest`;
 * - `dax`, `dax $`: a script that imports `npm:dax@0.49.0` (the design
 *   card's process library), and one that also runs `true` through it
 *   (both sides run with `--no-lock` then, so the project's lockfile is
 *   left alone);
 * - `prefetch cli.ts`: a script whose only line is an `import()` of
 *   `cli.ts` that never runs. `deno run` loads every module a statically
 *   written `import()` can reach before the first line runs, so this is
 *   what loading the graph of the whole CLI costs, apart from running any
 *   of it.
 *
 *     deno run -A bench/startup_costs.ts [pairs] [items]
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { runPaired, timeProcessPrecise } from "./_paired.ts";

const REPO = fileURLToPath(new URL("..", import.meta.url));

/** The script of each measured item. */
const ITEMS: Readonly<Record<string, string>> = {
  "node:path": `import "node:path";\n`,
  "node:os": `import "node:os";\n`,
  "node:util": `import "node:util";\n`,
  "node:crypto": `import "node:crypto";\n`,
  "node:fs": `import "node:fs";\n`,
  "webcrypto": `await crypto.subtle.digest("SHA-256", new Uint8Array(100));\n`,
  "dax": `import "npm:dax@0.49.0";\n`,
  "dax $": `import { $ } from "npm:dax@0.49.0";\nawait $\`true\`;\n`,
  "prefetch cli.ts": `if (Deno.args[0] === "never") await import("${REPO}cli.ts");\n`,
};

if (import.meta.main) {
  const pairs = Number(Deno.args[0] ?? 12);
  const chosen = (Deno.args[1] ?? Object.keys(ITEMS).join(",")).split(",");
  const dir = await Deno.makeTempDir({ prefix: "startup-costs-" });
  const deno = [Deno.execPath(), "run", "--config", `${REPO}deno.json`, "--allow-read"];
  try {
    await Deno.writeTextFile(`${dir}/empty.ts`, "");
    console.log(`load average ${Deno.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    for (const [i, name] of chosen.entries()) {
      await Deno.writeTextFile(`${dir}/item${i}.ts`, ITEMS[name]);
      // dax reads the environment and runs processes; its runs leave the lockfile alone
      const argv = name.startsWith("dax")
        ? [...deno.slice(0, -1), "--allow-all", "--no-lock"]
        : deno;
      await runPaired({
        title: `start-up cost: ${name}`,
        payload: "-",
        ours: { name: `script: ${ITEMS[name].trim()}`, argv: [...argv, `${dir}/item${i}.ts`] },
        baseline: { name: "empty script", argv: [...argv, `${dir}/empty.ts`] },
        pairs,
        timer: timeProcessPrecise,
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
