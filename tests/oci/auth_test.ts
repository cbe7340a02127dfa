/**
 * Registry auth and references without a real registry: the bearer-token
 * flow against a fake registry and token service on 127.0.0.1, credentials
 * from a Docker config.json, reference parsing, and manifest digests.
 */

import { assert, assertEquals, assertRejects, assertThrows } from "../_assert.ts";
import { RegistryClient } from "../../src/oci/client.ts";
import { getManifest } from "../../src/oci/manifest.ts";
import {
  credentialsFromDockerConfig,
  OciAuthError,
  OciDigestMismatchError,
  OciReferenceError,
  parseCredentials,
  parseOciReference,
  tagForVersion,
} from "../../src/oci/mod.ts";
import { parseChallenge } from "../../src/oci/auth.ts";

/** A fake registry that wants a bearer token from its own /token service (basic auth there). */
function fakeRegistry() {
  const seen: string[] = [];
  const body = new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType: "x" }));
  const digest = async (b: Uint8Array<ArrayBuffer>) =>
    "sha256:" + [...new Uint8Array(await crypto.subtle.digest("SHA-256", b))]
      .map((x) => x.toString(16).padStart(2, "0")).join("");
  let port = 0;
  const server: Deno.HttpServer<Deno.NetAddr> = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen() {},
  }, async (req): Promise<Response> => {
    const url = new URL(req.url);
    const auth = req.headers.get("authorization") ?? "";
    seen.push(`${req.method} ${url.pathname}${url.search} ${auth.split(" ")[0]}`);
    if (url.pathname === "/token") {
      if (auth !== `Basic ${btoa("bob:pw")}`) return new Response("no", { status: 401 });
      return Response.json({ token: `tok-${url.searchParams.get("scope")}` });
    }
    const want = "Bearer tok-repository:rbee/x:pull";
    if (auth !== want) {
      return new Response("{}", {
        status: 401,
        headers: {
          "www-authenticate": `Bearer realm="http://127.0.0.1:${port}/token",service="fake"`,
        },
      });
    }
    const good = url.pathname.endsWith("/good");
    return new Response(body, {
      headers: {
        "docker-content-digest": good ? await digest(body) : `sha256:${"0".repeat(64)}`,
        "content-type": "x",
      },
    });
  });
  port = server.addr.port;
  return { server, seen };
}

Deno.test("the bearer flow fetches a token for the repository scope with basic credentials, then retries", async () => {
  const { server, seen } = fakeRegistry();
  try {
    const ref = parseOciReference(`oci://127.0.0.1:${server.addr.port}/rbee/x:good`);
    const client = new RegistryClient(ref, { credentials: { username: "bob", password: "pw" } });
    const got = await getManifest(client, "good");
    assert(got !== null);
    assertEquals(seen.map((s) => s.replace(/\?.*service=fake&scope=/, "?scope=")), [
      "GET /v2/rbee/x/manifests/good ",
      "GET /token?scope=repository%3Arbee%2Fx%3Apull Basic",
      "GET /v2/rbee/x/manifests/good Bearer",
    ]);
    await assertRejects(() => getManifest(client, "bad"), OciDigestMismatchError);
    const anonymous = new RegistryClient(ref);
    await assertRejects(() => getManifest(anonymous, "good"), OciAuthError);
  } finally {
    await server.shutdown();
  }
});

Deno.test("parseChallenge() reads quoted and bare parameters", () => {
  assertEquals(
    parseChallenge(
      'Bearer realm="https://auth.example/token",service=registry.example,scope="repository:a/b:pull,push"',
    ),
    {
      scheme: "bearer",
      params: {
        realm: "https://auth.example/token",
        service: "registry.example",
        scope: "repository:a/b:pull,push",
      },
    },
  );
  assertEquals(parseChallenge('Basic realm="basic-realm"')?.scheme, "basic");
});

Deno.test("credentials come from USER:PASSWORD and from a Docker config.json", () => {
  assertEquals(parseCredentials("u:p:q"), { username: "u", password: "p:q" });
  assertThrows(() => parseCredentials("nocolon"), OciAuthError);
  const config = JSON.stringify({
    auths: {
      "registry.example:5000": { auth: btoa("alice:secret") },
      "https://ghcr.io": { username: "bot", password: "tok" },
    },
  });
  assertEquals(credentialsFromDockerConfig(config, "registry.example:5000"), {
    username: "alice",
    password: "secret",
  });
  assertEquals(credentialsFromDockerConfig(config, "ghcr.io"), {
    username: "bot",
    password: "tok",
  });
  assertEquals(credentialsFromDockerConfig(config, "other.example"), undefined);
  assertEquals(credentialsFromDockerConfig("not json", "x"), undefined);
});

Deno.test("parseOciReference() splits host, repository, tag and digest; http only for loopback and insecure hosts", () => {
  const d = `sha256:${"a".repeat(64)}`;
  assertEquals(parseOciReference("oci://127.0.0.1:5000/rbee/worker:1.0-1"), {
    registry: "127.0.0.1:5000",
    repository: "rbee/worker",
    tag: "1.0-1",
    scheme: "http:",
  });
  assertEquals(parseOciReference(`oci://ghcr.io/rbee/worker@${d}`).scheme, "https:");
  assertEquals(parseOciReference(`oci://ghcr.io/rbee/worker@${d}`).digest, d);
  assertEquals(parseOciReference("oci://reg.lan:5000/w", ["reg.lan:5000"]).scheme, "http:");
  assertEquals(parseOciReference("oci://localhost/w").scheme, "http:");
  assertThrows(() => parseOciReference("oci://host"), OciReferenceError);
  assertThrows(() => parseOciReference("oci://host/Upper"), OciReferenceError);
  assertThrows(() => parseOciReference("oci://host/w@sha256:zz"), OciReferenceError);
  assertThrows(() => parseOciReference("https://host/w"), OciReferenceError);
  assertEquals(tagForVersion("1:2.0+git3-1"), "1_2.0_git3-1");
});
