/**
 * Keys and signatures made with Debian's gnupg for the signature tests: a
 * throwaway GNUPGHOME, unprotected keys, and `--faked-system-time` to make
 * keys that have expired and signatures that have expired without waiting.
 */

import { join } from "node:path";

/** How to make a key. */
export interface KeyOptions {
  /** Creation time for gpg, `YYYYMMDDThhmmss`; the key is made "then". */
  readonly at?: string;
  /** gpg's expiry argument (`1y`, `never`). @default "never" */
  readonly expire?: string;
  /** Sign with a separate signing subkey (primary key certifies only). @default false */
  readonly subkey?: boolean;
}

/** How to make a signature. */
export interface SignOptions {
  /** Signing time for gpg, `YYYYMMDDThhmmss`. */
  readonly at?: string;
  /** Signature expiry (`--default-sig-expire`), e.g. `1d`. */
  readonly expire?: string;
  /** ASCII armor (`.asc`) instead of binary (`.sig`). @default false */
  readonly armor?: boolean;
}

/** A gnupg home with its keys. */
export class Gpg {
  /** The GNUPGHOME. */
  readonly home: string;

  private constructor(home: string) {
    this.home = home;
  }

  /** Creates an empty GNUPGHOME under `dir`. */
  static async create(dir: string): Promise<Gpg> {
    const home = join(dir, "gnupg");
    await Deno.mkdir(home, { recursive: true, mode: 0o700 });
    return new Gpg(home);
  }

  /** Runs gpg in batch mode; returns stdout, throws with stderr on failure. */
  async run(args: string[], stdin?: Uint8Array): Promise<Uint8Array> {
    const child = new Deno.Command("gpg", {
      args: [
        "--batch",
        "--homedir",
        this.home,
        "--passphrase",
        "",
        "--pinentry-mode",
        "loopback",
        ...args,
      ],
      stdin: stdin ? "piped" : "null",
      stdout: "piped",
      stderr: "piped",
      env: { LC_ALL: "C" },
    }).spawn();
    if (stdin) {
      const writer = child.stdin.getWriter();
      await writer.write(stdin);
      await writer.close();
    }
    const out = await child.output();
    if (!out.success) {
      throw new Error(`gpg ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
    }
    return out.stdout;
  }

  /** Makes a key for `name` (email `name@example.org`); returns its primary fingerprint. */
  async genKey(name: string, options: KeyOptions = {}): Promise<string> {
    const time = options.at ? ["--faked-system-time", options.at] : [];
    const uid = `${name} <${name.toLowerCase()}@example.org>`;
    const usage = options.subkey ? "cert" : "sign";
    await this.run([...time, "--quick-gen-key", uid, "ed25519", usage, options.expire ?? "never"]);
    const fpr = await this.fingerprint(`${name.toLowerCase()}@example.org`);
    if (options.subkey) {
      await this.run([
        ...time,
        "--quick-add-key",
        fpr,
        "ed25519",
        "sign",
        options.expire ?? "never",
      ]);
    }
    return fpr;
  }

  /** The primary fingerprint of the key matching `who`. */
  async fingerprint(who: string): Promise<string> {
    const text = new TextDecoder().decode(await this.run(["--with-colons", "--list-keys", who]));
    const line = text.split("\n").find((l) => l.startsWith("fpr:"));
    if (!line) throw new Error(`no key ${who}`);
    return line.split(":")[9];
  }

  /** Signs `file` with key `fpr`, writing `out` (a detached signature). */
  async sign(fpr: string, file: string, out: string, options: SignOptions = {}): Promise<void> {
    await this.run([
      ...(options.at ? ["--faked-system-time", options.at] : []),
      ...(options.expire ? ["--default-sig-expire", options.expire] : []),
      ...(options.armor ? ["--armor"] : []),
      "--yes",
      "--local-user",
      fpr,
      "--output",
      out,
      "--detach-sign",
      file,
    ]);
  }

  /** Revokes key `fpr` with the revocation certificate gpg stored when it made the key. */
  async revoke(fpr: string): Promise<void> {
    const cert = await Deno.readTextFile(join(this.home, "openpgp-revocs.d", `${fpr}.rev`));
    await this.run(
      ["--import"],
      new TextEncoder().encode(cert.replace(/^:-----BEGIN/m, "-----BEGIN")),
    );
  }

  /** The armored public keys `fprs` (every key when empty). */
  async exportPublic(...fprs: string[]): Promise<Uint8Array> {
    return await this.run(["--armor", "--export", ...fprs]);
  }

  /** The armored secret key `fpr` (unprotected). */
  async exportSecret(fpr: string): Promise<Uint8Array> {
    return await this.run(["--armor", "--export-secret-keys", fpr]);
  }

  /** Stops the gpg-agent this home started (before the home is removed). */
  close(): void {
    new Deno.Command("gpgconf", { args: ["--homedir", this.home, "--kill", "all"] }).outputSync();
  }

  /** Imports armored keys into this home. */
  async importKeys(keys: Uint8Array): Promise<void> {
    await this.run(["--import"], keys);
  }
}
