// Secrets for the embedded default: generated on first start, kept in the data folder
// (git-ignored, mode 600) so sessions and encrypted data survive a restart.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";

export type LocalSecrets = {
  NEXTAUTH_SECRET: string;
  HEARTH_SECRET_KEY: string;
  DB_PASSWORD: string;
  // Signs the local Stripe emulator's webhooks (only used without STRIPE_SECRET_KEY).
  STRIPE_WEBHOOK_SECRET: string;
};

export function loadLocalSecrets(dataDir: string): LocalSecrets {
  const file = join(dataDir, "secrets.json");
  const existing: Partial<LocalSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const secrets: LocalSecrets = {
    NEXTAUTH_SECRET: existing.NEXTAUTH_SECRET ?? randomBytes(32).toString("base64"),
    HEARTH_SECRET_KEY: existing.HEARTH_SECRET_KEY ?? randomBytes(32).toString("base64"),
    DB_PASSWORD: existing.DB_PASSWORD ?? randomBytes(18).toString("base64url"),
    STRIPE_WEBHOOK_SECRET: existing.STRIPE_WEBHOOK_SECRET ?? `whsec_${randomBytes(24).toString("base64url")}`,
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  return secrets;
}
