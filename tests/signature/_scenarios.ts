/**
 * The signature recipes both worker-provisioner and makepkg judge
 * (`source_test.ts`, `makepkg_agreement_test.ts`): each is a recipe
 * directory with a PKGBUILD listing local sources, made with gnupg, and the
 * verdict expected of both.
 */

import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Gpg } from "./_gpg.ts";

/** One recipe and the verdict expected of it. */
export interface Scenario {
  /** A short name, also the recipe directory's. */
  readonly name: string;
  /** The recipe directory. */
  readonly dir: string;
  /** Whether the source check passes. */
  readonly ok: boolean;
  /** What the failure message names (worker-provisioner's wording). */
  readonly cause?: RegExp;
  /** What the warning says, for a pass with a warning. */
  readonly warning?: RegExp;
}

/** The scenarios and the keys they need. */
export interface ScenarioSet {
  /** Every scenario. */
  readonly scenarios: readonly Scenario[];
  /** The public keys a verifier knows (every key but the one left out to be unknown). */
  readonly knownKeys: Uint8Array;
  /** The fingerprints by role. */
  readonly keys: Readonly<Record<string, string>>;
  /** The gnupg home that made everything. */
  readonly gpg: Gpg;
}

const DATA = "worker source 1.0\n".repeat(100);

async function writeRecipe(
  dir: string,
  sources: string[],
  validpgpkeys: string[],
  files: Record<string, string | Uint8Array>,
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    if (typeof content === "string") await Deno.writeTextFile(join(dir, name), content);
    else await Deno.writeFile(join(dir, name), content);
  }
  const q = (xs: string[]) => xs.map((x) => `'${x}'`).join(" ");
  await Deno.writeTextFile(
    join(dir, "PKGBUILD"),
    [
      "pkgname=sigtest",
      "pkgver=1.0",
      "pkgrel=1",
      "arch=(any)",
      `source=(${q(sources)})`,
      `sha256sums=(${sources.map(() => "SKIP").join(" ")})`,
      `validpgpkeys=(${q(validpgpkeys)})`,
      "package() { :; }",
      "",
    ].join("\n"),
  );
}

/** Makes every scenario under `root`. */
export async function makeScenarios(root: string): Promise<ScenarioSet> {
  const gpg = await Gpg.create(root);
  const keys = {
    good: await gpg.genKey("Good"),
    other: await gpg.genKey("Other"),
    expired: await gpg.genKey("Expired", { at: "20200101T000000", expire: "1y" }),
    old: await gpg.genKey("Old", { at: "20190101T000000" }),
    revoked: await gpg.genKey("Revoked"),
    sub: await gpg.genKey("Sub", { subkey: true }),
    unknown: await gpg.genKey("Unknown"),
  };
  const data = join(root, "data.txt");
  await Deno.writeTextFile(data, DATA);
  const sig = async (fpr: string, options = {}) => {
    const out = join(root, `sig-${crypto.randomUUID()}`);
    await gpg.sign(fpr, data, out, options);
    return await Deno.readFile(out);
  };
  const revokedSig = await sig(keys.revoked); // signed while the key was valid
  await gpg.revoke(keys.revoked);
  const knownKeys = await gpg.exportPublic(
    ...Object.entries(keys).filter(([k]) => k !== "unknown").map(([, v]) => v),
  );
  const scenarios: Scenario[] = [];
  const add = async (
    name: string,
    expect: Omit<Scenario, "name" | "dir">,
    recipe: { sources?: string[]; valid: string[]; files: Record<string, string | Uint8Array> },
  ) => {
    const dir = join(root, name);
    await writeRecipe(
      dir,
      recipe.sources ?? ["data.txt", "data.txt.sig"],
      recipe.valid,
      recipe.files,
    );
    scenarios.push({ name, dir, ...expect });
  };
  await add("good", { ok: true }, {
    valid: [keys.good],
    files: { "data.txt": DATA, "data.txt.sig": await sig(keys.good) },
  });
  await add("good-armored-asc", { ok: true }, {
    sources: ["data.txt", "data.txt.asc"],
    valid: [keys.good],
    files: { "data.txt": DATA, "data.txt.asc": await sig(keys.good, { armor: true }) },
  });
  await add("good-subkey", { ok: true }, {
    sources: ["data.txt", "data.txt.sign"],
    valid: [keys.sub],
    files: { "data.txt": DATA, "data.txt.sign": await sig(keys.sub) },
  });
  await add("good-of-gzip", { ok: true }, {
    sources: ["data.txt.gz", "data.txt.sig"],
    valid: [keys.good],
    files: { "data.txt.gz": gzipSync(DATA), "data.txt.sig": await sig(keys.good) },
  });
  await add("expired-key", { ok: true, warning: /the key has expired/ }, {
    valid: [keys.expired],
    files: { "data.txt": DATA, "data.txt.sig": await sig(keys.expired, { at: "20200601T000000" }) },
  });
  await add("expired-signature", { ok: true, warning: /the signature has expired/ }, {
    valid: [keys.old],
    files: {
      "data.txt": DATA,
      "data.txt.sig": await sig(keys.old, { at: "20200601T000000", expire: "1d" }),
    },
  });
  await add("tampered", {
    ok: false,
    cause: new RegExp(`bad signature from public key ${keys.good}`),
  }, {
    valid: [keys.good],
    files: { "data.txt": DATA.replace("1.0", "6.6"), "data.txt.sig": await sig(keys.good) },
  });
  await add("not-in-validpgpkeys", {
    ok: false,
    cause: new RegExp(`invalid public key ${keys.other}`),
  }, {
    valid: [keys.good],
    files: { "data.txt": DATA, "data.txt.sig": await sig(keys.other) },
  });
  await add("revoked", {
    ok: false,
    cause: new RegExp(`public key ${keys.revoked} has been revoked`),
  }, {
    valid: [keys.revoked],
    files: { "data.txt": DATA, "data.txt.sig": revokedSig },
  });
  await add("unknown-key", { ok: false, cause: new RegExp(`unknown public key ${keys.unknown}`) }, {
    valid: [keys.unknown],
    files: { "data.txt": DATA, "data.txt.sig": await sig(keys.unknown) },
  });
  await add("missing-signature-file", { ok: false, cause: /data\.txt\.sig/ }, {
    valid: [keys.good],
    files: { "data.txt": DATA },
  });
  await add("no-validpgpkeys", { ok: false, cause: /not trusted/ }, {
    valid: [],
    files: { "data.txt": DATA, "data.txt.sig": await sig(keys.good) },
  });
  await add("garbage-signature", { ok: false, cause: /error during signature verification/ }, {
    valid: [keys.good],
    files: { "data.txt": DATA, "data.txt.sig": "not a signature\n" },
  });
  return { scenarios, knownKeys, keys, gpg };
}
