// Secrets a tenant's containers need, generated once per instance and stored sealed
// (AES-256-GCM, HEARTH_SECRET_KEY). They never appear in logs or on the timeline.
import "server-only";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Software } from "@/generated/prisma/client";
import { seal, unseal } from "@/server/crypto/seal";

// Alphanumeric only: these end up in YAML and env files and must survive any quoting.
const alnum = (length: number): string => {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const bytes = randomBytes(length * 2);
  let out = "";
  for (const byte of bytes) {
    if (byte < 248) out += alphabet[byte % 62]; // 248 = 4 x 62: no modulo bias
    if (out.length === length) break;
  }
  return out.length === length ? out : alnum(length);
};

export const tenantSecretsSchema = z.object({
  dbPassword: z.string().min(24),
  redisPassword: z.string().min(24),
  mastodon: z
    .object({
      secretKeyBase: z.string().length(128),
      vapidPrivateKey: z.string(),
      vapidPublicKey: z.string(),
      activeRecordPrimaryKey: z.string().min(32),
      activeRecordDeterministicKey: z.string().min(32),
      activeRecordKeyDerivationSalt: z.string().min(32),
    })
    .optional(),
  misskey: z.object({ setupPassword: z.string().min(24) }).optional(),
});
export type TenantSecrets = z.infer<typeof tenantSecretsSchema>;

const urlsafe = (buffer: Buffer) => buffer.toString("base64").replace(/\+/g, "-").replace(/\//g, "_");

/** An EC P-256 key pair for Web Push, as Mastodon reads it: raw keys, urlsafe base64. */
export function vapidKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const jwk = privateKey.export({ format: "jwk" });
  if (!jwk.d || !jwk.x || !jwk.y) throw new Error("EC key export is missing components");
  const d = Buffer.from(jwk.d, "base64url");
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
  return { privateKey: urlsafe(d), publicKey: urlsafe(point) };
}

export function generateSecrets(software: Software): TenantSecrets {
  const base = { dbPassword: alnum(32), redisPassword: alnum(32) };
  if (software === "MASTODON") {
    const vapid = vapidKeyPair();
    return {
      ...base,
      mastodon: {
        secretKeyBase: randomBytes(64).toString("hex"),
        vapidPrivateKey: vapid.privateKey,
        vapidPublicKey: vapid.publicKey,
        activeRecordPrimaryKey: alnum(32),
        activeRecordDeterministicKey: alnum(32),
        activeRecordKeyDerivationSalt: alnum(32),
      },
    };
  }
  return { ...base, misskey: { setupPassword: alnum(32) } };
}

const context = (instanceId: string) => `instance:${instanceId}:secrets`;

export function sealSecrets(instanceId: string, secrets: TenantSecrets): string {
  return seal(JSON.stringify(secrets), context(instanceId));
}

export function unsealSecrets(instanceId: string, sealed: string): TenantSecrets {
  return tenantSecretsSchema.parse(JSON.parse(unseal(sealed, context(instanceId))));
}

/** A password for the organiser's admin account where Hearth chooses it (Misskey family). */
export function generatePassword(): string {
  return alnum(24);
}
