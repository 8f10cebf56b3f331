// The secrets that must come with an archive for the moved instance to work: what encrypts or
// signs data its database holds. Mastodon: SECRET_KEY_BASE (sessions, signed ids), the Web Push
// key pair (members' push subscriptions are bound to the public key), the Active Record
// encryption keys (two-factor secrets and other encrypted columns). The Misskey family keeps its
// keys in the database; its default.yml gives the setup password and the id scheme, which must
// be the one Hearth runs (ids already in the database were made with it). The database and Redis
// passwords are not taken: they only guard the new containers, which get new ones. A Bluesky
// PDS brings its token secret and the rotation key its accounts' did:plc documents name (its
// admin password is new). The configuration must also name the manifest's domain (Mastodon's
// LOCAL_DOMAIN, Misskey's url, the PDS's PDS_HOSTNAME): a manifest edited by hand, or packed
// with the wrong --domain, is caught here.
import "server-only";
import { readFile } from "node:fs/promises";
import type { Software } from "@/generated/prisma/enums";
import type { MovedSecrets } from "@/server/provisioning";
import { ArchiveRefused } from "./read-archive";
import type { CheckedArchive } from "./check-archive";

/** KEY=value lines as the export writes them (values JSON-quoted when they needed it). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const raw = match[2] ?? "";
    let value = raw;
    if (raw.startsWith('"')) {
      try {
        value = JSON.parse(raw) as string;
      } catch {
        value = raw;
      }
    }
    out[match[1]!] = value;
  }
  return out;
}

async function configFile(archive: CheckedArchive, name: string, what: string): Promise<string> {
  const path = archive.file(`config/${name}`);
  if (!path) throw new ArchiveRefused(`The archive holds no config/${name} (${what}); without the instance's own secrets its data could not be read after the move.`);
  return readFile(path, "utf8");
}

const MASTODON_KEYS = {
  secretKeyBase: "SECRET_KEY_BASE",
  vapidPrivateKey: "VAPID_PRIVATE_KEY",
  vapidPublicKey: "VAPID_PUBLIC_KEY",
  activeRecordPrimaryKey: "ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY",
  activeRecordDeterministicKey: "ACTIVE_RECORD_ENCRYPTION_DETERMINISTIC_KEY",
  activeRecordKeyDerivationSalt: "ACTIVE_RECORD_ENCRYPTION_KEY_DERIVATION_SALT",
} as const;

// The order of secp256k1's group: a private key is a number from 1 to one less than it.
const SECP256K1_ORDER = BigInt("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
const isSecp256k1PrivateKey = (hex: string) => BigInt(`0x${hex}`) > 0n && BigInt(`0x${hex}`) < SECP256K1_ORDER;

/** The archive's secrets for the new instance; refuses an archive that lacks one the data needs. */
export async function movedSecrets(archive: CheckedArchive, software: Software): Promise<MovedSecrets> {
  if (software === "MASTODON") {
    const env = parseEnvFile(await configFile(archive, "app.env", "the app's environment"));
    const missing = Object.values(MASTODON_KEYS).filter((key) => !env[key]);
    if (missing.length > 0) throw new ArchiveRefused(`The archive's config/app.env lacks ${missing.join(", ")}: without them the moved instance could not read its sessions, two-factor settings and encrypted data.`);
    const domain = archive.manifest.domain;
    const local = env.LOCAL_DOMAIN?.toLowerCase();
    if (local && local !== domain) throw new ArchiveRefused(`The archive's config/app.env sets LOCAL_DOMAIN=${local}, but its manifest says ${domain}: pack it again with --domain ${local}.`);
    const web = env.WEB_DOMAIN?.toLowerCase();
    if (web && web !== (local ?? domain)) {
      throw new ArchiveRefused(`The archive's server is served at ${web} with accounts at ${local ?? domain} (WEB_DOMAIN): Hearth serves a server at one domain, so this one cannot move in yet.`);
    }
    const mastodon = Object.fromEntries(Object.entries(MASTODON_KEYS).map(([field, key]) => [field, env[key]!])) as NonNullable<MovedSecrets["mastodon"]>;
    if (mastodon.secretKeyBase.length !== 128) throw new ArchiveRefused("The archive's SECRET_KEY_BASE is not 128 characters long, as Mastodon's are.");
    return { mastodon };
  }
  if (software === "MISSKEY" || software === "SHARKEY") {
    const yml = await configFile(archive, "default.yml", "the instance's configuration");
    const url = /^url:\s*['"]?([^'"\s]+)['"]?\s*$/m.exec(yml)?.[1];
    const host = url && URL.canParse(url) ? new URL(url).hostname : undefined;
    if (url && host !== archive.manifest.domain) throw new ArchiveRefused(`The archive's config/default.yml sets url: ${url}, but its manifest says ${archive.manifest.domain}: the two must name the same domain.`);
    const id = /^id:\s*['"]?([A-Za-z0-9]+)['"]?\s*$/m.exec(yml)?.[1];
    if (id && id !== "aidx") throw new ArchiveRefused(`The archive's instance makes ids with “${id}”; Hearth runs the Misskey family with “aidx”, and ids already made cannot change.`);
    const setupPassword = /^setupPassword:\s*['"]?([^'"\s]+)['"]?\s*$/m.exec(yml)?.[1];
    return setupPassword && setupPassword.length >= 24 ? { misskey: { setupPassword } } : {};
  }
  // A Bluesky PDS: its environment names its domain, its token secret and its accounts' rotation key.
  const env = parseEnvFile(await configFile(archive, "app.env", "the PDS's environment"));
  const hostname = env.PDS_HOSTNAME?.toLowerCase();
  if (hostname && hostname !== archive.manifest.domain) {
    throw new ArchiveRefused(`The archive's config/app.env sets PDS_HOSTNAME=${hostname}, but its manifest says ${archive.manifest.domain}: the two must name the same domain.`);
  }
  const jwtSecret = env.PDS_JWT_SECRET ?? "";
  const plcRotationKeyHex = (env.PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX ?? "").toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(plcRotationKeyHex) || !isSecp256k1PrivateKey(plcRotationKeyHex)) {
    throw new ArchiveRefused("The archive's config/app.env has no valid PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX (64 hex digits, a secp256k1 private key): without the PDS's rotation key its accounts' identities could not be updated after the move.");
  }
  if (jwtSecret.length < 32) throw new ArchiveRefused("The archive's config/app.env has no PDS_JWT_SECRET of at least 32 characters, as the PDS's are.");
  return { pds: { jwtSecret, plcRotationKeyHex } };
}
