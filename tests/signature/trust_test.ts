import { assert, assertEquals, assertInstanceOf } from "../_assert.ts";
import {
  catalogKey,
  decideSignature,
  EMPTY_TRUST,
  parseTrustConfig,
  signaturePolicy,
  trustKey,
  untrustKey,
} from "../../src/signature/trust.ts";
import { SignatureInvalidError, SignatureRequiredError } from "../../src/signature/errors.ts";
import type { FileSignatureResult } from "../../src/signature/package.ts";

const A = "A".repeat(40);
const B = "B".repeat(40);

const good = (fingerprint: string): FileSignatureResult => ({
  ok: true,
  verdict: { status: "good", ok: true, fingerprint },
});

Deno.test("signaturePolicy() requires nothing until a key is trusted, then requires a signature", () => {
  assertEquals(signaturePolicy(EMPTY_TRUST), { trusted: [], required: false });
  assertEquals(signaturePolicy(trustKey(EMPTY_TRUST, A)), { trusted: [A], required: true });
  assertEquals(signaturePolicy(EMPTY_TRUST, { extraKeys: [B] }), { trusted: [B], required: true });
});

Deno.test("signaturePolicy(): --allow-unsigned lifts the default, --require-signature and the config win", () => {
  const config = trustKey(EMPTY_TRUST, A);
  assertEquals(signaturePolicy(config, { allowUnsigned: true }).required, false);
  assertEquals(
    signaturePolicy(config, { allowUnsigned: true, requireSignature: true }).required,
    true,
  );
  assertEquals(signaturePolicy({ ...EMPTY_TRUST, requireSignature: true }).required, true);
  assertEquals(signaturePolicy({ ...config, requireSignature: false }).required, false);
});

Deno.test("a catalog pin replaces the general keys for that catalog only (trailing slash ignored)", () => {
  const config = trustKey(trustKey(EMPTY_TRUST, A), B, "https://c.example/");
  assertEquals(signaturePolicy(config, { catalog: "https://c.example" }).trusted, [B]);
  assertEquals(signaturePolicy(config, { catalog: "https://other.example" }).trusted, [A]);
  assertEquals(catalogKey("https://c.example//"), "https://c.example");
});

Deno.test("untrustKey() removes a key everywhere, or only its pin", () => {
  const config = trustKey(trustKey(EMPTY_TRUST, A), A, "https://c.example");
  assertEquals(untrustKey(config, A, "https://c.example"), { keys: [A], catalogs: {} });
  assertEquals(untrustKey(config, A), { keys: [], catalogs: {} });
});

Deno.test("decideSignature(): signed by a trusted key accepted, by another refused, unsigned by policy", () => {
  const policy = signaturePolicy(trustKey(EMPTY_TRUST, A));
  assertEquals(decideSignature("p", policy, good(A)), { accepted: true, signer: A });
  const other = decideSignature("p", policy, good(B));
  assert(!other.accepted);
  assertInstanceOf(other.error, SignatureInvalidError);
  const unsigned = decideSignature("p", policy, undefined);
  assert(!unsigned.accepted);
  assertInstanceOf(unsigned.error, SignatureRequiredError);
  assertEquals(decideSignature("p", { trusted: [], required: false }, undefined), {
    accepted: true,
  });
});

Deno.test("decideSignature(): a signature that is there must verify even when none is required", () => {
  const bad: FileSignatureResult = {
    ok: false,
    verdict: { status: "bad", ok: false, fingerprint: A },
    failure: `bad signature from public key ${A}`,
  };
  const decision = decideSignature("p", { trusted: [A], required: false }, bad);
  assert(!decision.accepted);
  assertEquals(
    decision.error.message,
    `PGP signature check failed: p: bad signature from public key ${A}`,
  );
});

Deno.test("parseTrustConfig() keeps only strings, normalizes catalog URLs and drops unknown fields", () => {
  assertEquals(
    parseTrustConfig(
      '{"keys":["X",1],"catalogs":{"http://c/":["Y"]},"requireSignature":true,"z":1}',
    ),
    { keys: ["X"], catalogs: { "http://c": ["Y"] }, requireSignature: true },
  );
});
