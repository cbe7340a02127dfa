import { assertEquals, assertStringIncludes } from "../_assert.ts";
import {
  COMPILE_PERMISSION_FLAGS,
  ENV_VARIABLES,
  RUN_COMMANDS,
  toFlags,
} from "../../src/cli/permissions.ts";
import { COMMANDS, ENVIRONMENT, GLOBAL_OPTIONS } from "../../src/cli/spec.ts";

Deno.test("toFlags() merges needs into one flag per kind, sorted, without covered paths", () => {
  assertEquals(
    toFlags([
      { name: "write", path: "/r" },
      { name: "read", path: "/r/var/lib/worker-provisioner" },
      { name: "read", path: "/r" },
      { name: "net", host: "b.example:443" },
      { name: "net", host: "a.example:80" },
      { name: "run", command: "bash" },
      { name: "run", command: "bash" },
      { name: "env", variable: "HOME" },
      { name: "sys", kind: "uid" },
      { name: "read", path: "/rx" },
    ]),
    [
      "--allow-read=/r,/rx",
      "--allow-write=/r",
      "--allow-net=a.example:80,b.example:443",
      "--allow-run=bash",
      "--allow-env=HOME",
      "--allow-sys=uid",
    ],
  );
});

Deno.test("toFlags() lets `/` cover every other path", () => {
  assertEquals(toFlags([{ name: "read", path: "/" }, { name: "read", path: "/var" }]), [
    "--allow-read=/",
  ]);
});

Deno.test("deno.json's compile tasks bake in exactly COMPILE_PERMISSION_FLAGS for both targets", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  const flags = COMPILE_PERMISSION_FLAGS.join(" ");
  for (
    const [task, target] of [
      ["compile:x86_64", "x86_64-unknown-linux-gnu"],
      ["compile:aarch64", "aarch64-unknown-linux-gnu"],
    ]
  ) {
    const command: string = config.tasks[task];
    assertEquals(command.startsWith(`deno compile ${flags} --target ${target} `), true, command);
    assertEquals(command.endsWith(" cli.ts"), true);
    const allowFlags = command.split(" ").filter((w) =>
      w.startsWith("--allow") || w === "--no-prompt"
    );
    assertEquals(allowFlags, [...COMPILE_PERMISSION_FLAGS]);
  }
  assertStringIncludes(config.tasks.compile, "compile:x86_64");
  assertStringIncludes(config.tasks.compile, "compile:aarch64");
});

Deno.test("deno.json's compile tasks --include every worker module the source starts", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  const workers: string[] = [];
  const root = new URL("../../", import.meta.url);
  const visit = async (dir: URL): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await visit(url);
      else if (entry.name.endsWith(".ts")) {
        const text = await Deno.readTextFile(url);
        for (
          const m of text.matchAll(/new URL\("(\.\/[^"]*worker[^"]*\.ts)", import\.meta\.url\)/g)
        ) {
          workers.push(new URL(m[1], url).pathname.slice(root.pathname.length));
        }
      }
    }
  };
  await visit(new URL("src/", root));
  assertEquals(workers.sort(), [
    "src/source/extract/_decode_worker.ts",
  ]);
  for (const task of ["compile:x86_64", "compile:aarch64"]) {
    for (const worker of workers) assertStringIncludes(config.tasks[task], `--include ${worker} `);
  }
});

Deno.test("the compiled binary's flags never grant everything", () => {
  for (const flag of COMPILE_PERMISSION_FLAGS) {
    assertEquals(
      ["-A", "--allow-all", "--allow-run", "--allow-env", "--allow-sys"].includes(flag),
      false,
    );
  }
  assertEquals(RUN_COMMANDS.includes("bash"), true);
});

Deno.test("every environment variable the CLI may read is documented in --help", () => {
  const documented = [
    ...ENVIRONMENT.flatMap(([names]) => names.split(/,\s*/)),
    ...[...GLOBAL_OPTIONS, ...COMMANDS.flatMap((c) => c.options)].flatMap((o) => o.env ?? []),
  ];
  for (const variable of ENV_VARIABLES) assertEquals(documented.includes(variable), true, variable);
});

Deno.test("toFlags() prints the bare flag for an unscoped need, whatever paths are also needed", () => {
  assertEquals(
    toFlags([{ name: "read", path: "/a" }, { name: "read" }, { name: "write" }, {
      name: "write",
      path: "/b",
    }]),
    ["--allow-read", "--allow-write"],
  );
});
