// The Bluesky PDS template (issue 16) without Docker: its secrets (a real secp256k1 key), the
// PDS_* variables upstream's installer writes, the network settings from the environment, mail
// through the host's relay, volumes, health, hardening, and the handle rules a .localhost host breaks.
import { createPrivateKey, createPublicKey, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/server/config/env";
import { createOptions } from "../container-spec";
import { generateSecrets, sealSecrets, secp256k1PrivateKeyHex, unsealSecrets } from "../secrets";
import { pdsHandleLabel } from "../pds-admin-account";
import { configuredImages, INGRESS_ROUTING, LONG_RUNNING, pdsDomainProblem, pdsNetworkSettings, tenantTemplate, type TemplateInput } from ".";
import { smtpUrl } from "./pds";

process.env.HEARTH_SECRET_KEY ??= randomBytes(32).toString("base64");

const input = (over: Partial<TemplateInput> = {}): TemplateInput => ({
  slug: "sky",
  plan: { memoryMb: 1024, cpuMillis: 500 },
  domain: "sky.hearth.example.org",
  images: configuredImages("BLUESKY_PDS", parseEnv({})),
  secrets: generateSecrets("BLUESKY_PDS"),
  healthIntervalSeconds: 10,
  pds: pdsNetworkSettings(parseEnv({})),
  ...over,
});
const pds = (over: Partial<TemplateInput> = {}) => {
  const template = tenantTemplate("BLUESKY_PDS", input(over));
  expect(template.components.map((c) => c.component)).toEqual(["pds"]);
  return { template, spec: template.components[0]! };
};

describe("a Bluesky PDS's secrets", () => {
  it("are a JWT secret, an admin password and a secp256k1 rotation key, sealed with the others", () => {
    const secrets = generateSecrets("BLUESKY_PDS");
    expect(secrets.pds?.jwtSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(secrets.pds?.adminPassword).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(secrets.pds?.plcRotationKeyHex).toMatch(/^[0-9a-f]{64}$/);
    expect(secrets.mastodon).toBeUndefined();
    expect(secrets.misskey).toBeUndefined();
    expect(generateSecrets("BLUESKY_PDS").pds?.plcRotationKeyHex).not.toBe(secrets.pds?.plcRotationKeyHex);
    expect(unsealSecrets("i1", sealSecrets("i1", secrets))).toEqual(secrets);
  });

  it("has a rotation key OpenSSL reads back as a secp256k1 private key", () => {
    const hex = secp256k1PrivateKeyHex();
    // SEC1 DER: version 1, the 32-byte scalar, the curve's OID (1.3.132.0.10).
    const der = Buffer.concat([Buffer.from("302e0201010420", "hex"), Buffer.from(hex, "hex"), Buffer.from("a00706052b8104000a", "hex")]);
    const key = createPrivateKey({ key: der, format: "der", type: "sec1" });
    expect(key.asymmetricKeyDetails?.namedCurve).toBe("secp256k1");
    expect(createPublicKey(key).export({ format: "jwk" }).crv).toBe("secp256k1");
  });
});

describe("the Bluesky PDS template", () => {
  it("configures the PDS as upstream's installer does, with its secrets and the domain", () => {
    const secrets = generateSecrets("BLUESKY_PDS");
    const { spec } = pds({ secrets });
    expect(spec.image).toBe("ghcr.io/bluesky-social/pds:0.4");
    expect(spec.env).toMatchObject({
      PDS_HOSTNAME: "sky.hearth.example.org",
      PDS_SERVICE_HANDLE_DOMAINS: ".sky.hearth.example.org",
      PDS_PORT: "3000",
      PDS_DATA_DIRECTORY: "/pds",
      PDS_BLOBSTORE_DISK_LOCATION: "/blobs/blocks",
      PDS_BLOBSTORE_DISK_TMP_LOCATION: "/blobs/tmp",
      PDS_JWT_SECRET: secrets.pds!.jwtSecret,
      PDS_ADMIN_PASSWORD: secrets.pds!.adminPassword,
      PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: secrets.pds!.plcRotationKeyHex,
      PDS_INVITE_REQUIRED: "true",
      // The public network by default.
      PDS_DID_PLC_URL: "https://plc.directory",
      PDS_BSKY_APP_VIEW_URL: "https://api.bsky.app",
      PDS_BSKY_APP_VIEW_DID: "did:web:api.bsky.app",
      PDS_CRAWLERS: "https://bsky.network",
    });
    // Never in production by default; no mail settings without the host's relay.
    expect(spec.env.PDS_DISABLE_SSRF_PROTECTION).toBeUndefined();
    expect(spec.env.PDS_EMAIL_SMTP_URL).toBeUndefined();
  });

  it("needs no invite only when the organiser opened sign-up", () => {
    const secrets = generateSecrets("BLUESKY_PDS");
    expect(pds({ secrets, openSignUp: true }).spec.env.PDS_INVITE_REQUIRED).toBe("false");
    expect(pds({ secrets, openSignUp: false }).spec.env.PDS_INVITE_REQUIRED).toBe("true");
  });

  it("takes the network from the environment, so tests and private networks point elsewhere", () => {
    const config = parseEnv({
      HEARTH_PDS_PLC_URL: "http://plc:2582",
      HEARTH_PDS_APPVIEW_URL: "http://appview.internal",
      HEARTH_PDS_APPVIEW_DID: "did:web:appview.internal",
      HEARTH_PDS_CRAWLERS: "none",
      HEARTH_PDS_DISABLE_SSRF_PROTECTION: "true",
    });
    const { spec } = pds({ pds: pdsNetworkSettings(config) });
    expect(spec.env).toMatchObject({
      PDS_DID_PLC_URL: "http://plc:2582",
      PDS_BSKY_APP_VIEW_URL: "http://appview.internal",
      PDS_BSKY_APP_VIEW_DID: "did:web:appview.internal",
      PDS_CRAWLERS: "",
      PDS_DISABLE_SSRF_PROTECTION: "true",
    });
    expect(pdsNetworkSettings(parseEnv({ HEARTH_PDS_CRAWLERS: "https://a.example, https://b.example" })).crawlers).toEqual(["https://a.example", "https://b.example"]);
    expect(() => parseEnv({ HEARTH_PDS_CRAWLERS: "not a url" })).toThrow(/HEARTH_PDS_CRAWLERS/);
  });

  it("sends account mail through the host's relay when there is one", () => {
    const mail = { host: "smtp.example.org", port: 587, tls: "starttls" as const, user: "sky@x", password: "p:w/d", from: "Sky <noreply@sky.hearth.example.org>" };
    expect(pds({ mail }).spec.env).toMatchObject({
      PDS_EMAIL_SMTP_URL: "smtp://sky%40x:p%3Aw%2Fd@smtp.example.org:587?requireTLS=true",
      PDS_EMAIL_FROM_ADDRESS: "Sky <noreply@sky.hearth.example.org>",
    });
    expect(smtpUrl({ ...mail, tls: "tls", port: 465 })).toBe("smtps://sky%40x:p%3Aw%2Fd@smtp.example.org:465");
    expect(smtpUrl({ ...mail, tls: "none", user: null, password: null, port: 25 })).toBe("smtp://smtp.example.org:25?ignoreTLS=true");
    expect(smtpUrl({ ...mail, tls: "auto" })).toBe("smtp://sky%40x:p%3Aw%2Fd@smtp.example.org:587");
  });

  it("keeps its data and blobs in two volumes, checks /xrpc/_health, and runs within the plan", () => {
    const { template, spec } = pds();
    expect(template.volumes).toEqual(["data", "blobs"]);
    expect(spec.mounts).toEqual([
      { volume: "data", target: "/pds" },
      { volume: "blobs", target: "/blobs" },
    ]);
    expect(spec.health?.test.join(" ")).toContain("http://127.0.0.1:3000/xrpc/_health");
    expect(spec.share).toEqual({ memory: 1, cpu: 1 });
    expect(spec.env.NODE_OPTIONS).toBe("--max-old-space-size=768");
    expect(LONG_RUNNING.BLUESKY_PDS).toEqual(["pds"]);
    const host = createOptions(spec, { tenant: { installationId: "0b5e8f3a-1111", tenantId: "t1", slug: "sky" }, plan: { memoryMb: 1024, cpuMillis: 500 }, healthIntervalSeconds: 5, publishIp: "127.0.0.1" }).HostConfig;
    expect(host).toMatchObject({ Memory: 1024 * 1024 * 1024, NanoCpus: 500_000_000, CapDrop: ["ALL"], ReadonlyRootfs: true, SecurityOpt: ["no-new-privileges"] });
    expect(host?.CapAdd).toBeUndefined();
  });

  it("is reached through the ingress on its domain and every handle below it", () => {
    expect(INGRESS_ROUTING.BLUESKY_PDS).toMatchObject({ upstreams: [{ component: "pds", port: 3000 }], healthPath: "/xrpc/_health", subdomains: true });
  });

  it("refuses without its secrets or network settings", () => {
    expect(() => tenantTemplate("BLUESKY_PDS", input({ secrets: generateSecrets("MASTODON") }))).toThrow(/secrets are missing/);
    expect(() => tenantTemplate("BLUESKY_PDS", input({ pds: undefined }))).toThrow(/network settings are missing/);
  });
});

describe("handles", () => {
  it("are refused under the TLDs atproto refuses, .localhost included", () => {
    expect(pdsDomainProblem("sky.hearth.localhost")).toMatch(/cannot end in \.localhost.*public domain/);
    expect(pdsDomainProblem("sky.HEARTH.LOCAL")).toMatch(/\.local\b/);
    expect(pdsDomainProblem("sky.hearth.example.org")).toBeNull();
    expect(pdsDomainProblem("sky.hearth.test")).toBeNull();
  });

  it("start with a label from the organiser's email that a PDS accepts", () => {
    expect(pdsHandleLabel("Alice.Smith@example.org")).toBe("alice-smith");
    expect(pdsHandleLabel("a_b@example.org")).toBe("a-b");
    expect(pdsHandleLabel("x@example.org")).toBe("organiser");
    expect(pdsHandleLabel("organiser.pds.abc123@example.org")).toBe("organiser-pds-abc1");
    expect(pdsHandleLabel("a-very-long-name-that-goes-on@example.org")).toMatch(/^[a-z0-9-]{3,18}$/);
  });
});
