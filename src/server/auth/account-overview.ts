import "server-only";
import { db } from "@/server/db/client";
import { isNamedHostAdmin } from "./actor";
import type { Actor } from "./permissions";
import { listOwnSessions } from "./sessions";

export type SessionView = { id: string; current: boolean; method: string; browser: string; address: string; createdAt: Date; lastSeenAt: Date };

/** "Firefox on Linux"-style words for a user agent; the raw string is never shown. */
export function describeBrowser(userAgent: string | null): string {
  if (!userAgent) return "Unknown browser";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Firefox\//.test(userAgent)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(userAgent)
        ? "Chromium-based browser"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : "Browser";
  const system = /Android/.test(userAgent)
    ? "Android"
    : /iPhone|iPad/.test(userAgent)
      ? "iOS"
      : /Windows/.test(userAgent)
        ? "Windows"
        : /Mac OS X/.test(userAgent)
          ? "macOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : "an unknown system";
  return `${browser} on ${system}`;
}

/** What the account settings page shows of the signed-in person. */
export async function getAccountOverview(actor: Actor) {
  const user = await db.user.findUniqueOrThrow({
    where: { id: actor.id },
    select: { email: true, isHostAdmin: true, emailVerified: true, passwordHash: true, totp: { select: { confirmedAt: true } } },
  });
  const sessions: SessionView[] = (await listOwnSessions(actor.id)).map((row) => ({
    id: row.id,
    current: row.id === actor.sessionId,
    method: row.method === "password" ? "password" : row.method.replace(/^oauth:/, ""),
    browser: describeBrowser(row.userAgent),
    address: row.addressKey,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
  }));
  const offered = isNamedHostAdmin(user) && user.emailVerified !== null;
  return {
    email: user.email,
    emailVerified: user.emailVerified !== null,
    hasPassword: Boolean(user.passwordHash),
    twoFactor: !offered ? ("not-offered" as const) : user.totp?.confirmedAt ? ("on" as const) : ("off" as const),
    sessions,
  };
}
