// Secrets at rest: AES-256-GCM with HEARTH_SECRET_KEY. Each sealed value is bound to a context
// string (e.g. "instance:<id>:secrets") as additional authenticated data, so a ciphertext copied
// into another row or field does not open there.
import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "@/server/config/env";
import { AppError } from "@/server/errors/app-error";

const VERSION = "v1";

function key(): Buffer {
  const encoded = env().HEARTH_SECRET_KEY;
  if (!encoded) {
    throw new AppError(
      "UNAVAILABLE",
      "HEARTH_SECRET_KEY is not set, so tenant secrets cannot be stored. Set it (32 bytes, base64) and restart.",
    );
  }
  return Buffer.from(encoded, "base64");
}

export function seal(plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export function unseal(sealed: string, context: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("sealed value has an unknown format");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    // Wrong key (HEARTH_SECRET_KEY changed) or tampered data; never say more than that.
    throw new AppError("UNAVAILABLE", "A stored secret could not be decrypted: was HEARTH_SECRET_KEY changed?");
  }
}
