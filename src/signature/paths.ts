/**
 * Where the signature stage keeps its state inside the provisioner's state
 * directory: the keyring (`keys/`) and the trust configuration
 * (`trust.json`). No OpenPGP code here, so callers that only pass paths
 * load none.
 *
 * @module
 */

import { join } from "../_path.ts";

/** The keyring directory of a state directory: one `<FINGERPRINT>.asc` per key. */
export function keyringDir(stateDir: string): string {
  return join(stateDir, "keys");
}

/** The trust configuration of a state directory (keys trusted for packages, pins per catalog). */
export function trustConfigPath(stateDir: string): string {
  return join(stateDir, "trust.json");
}
