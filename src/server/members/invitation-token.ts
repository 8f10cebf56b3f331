import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { env } from "@/server/config/env";

export const INVITATION_DAYS = 7;

/** A new invitation token (for the link) and its hash (for the database). */
export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashInvitationToken(token) };
}

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function invitationPath(token: string): string {
  return `/invitations/${token}`;
}

/** The full link to send: on this Hearth's public address (NEXTAUTH_URL). */
export function invitationUrl(path: string): string {
  return new URL(path, env().NEXTAUTH_URL ?? `http://localhost:${env().PORT}`).toString();
}
