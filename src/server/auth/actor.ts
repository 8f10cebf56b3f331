import "server-only";
import { env } from "@/server/config/env";
import type { Actor, AdminGate } from "./permissions";

type UserRow = { id: string; email: string; name: string | null; isHostAdmin: boolean; emailVerified?: Date | null };

/** Named a host admin: the stored flag (first account) or an address in HEARTH_ADMIN_EMAILS. */
export function isNamedHostAdmin(user: Pick<UserRow, "email" | "isHostAdmin">): boolean {
  return user.isHostAdmin || env().HEARTH_ADMIN_EMAILS.includes(user.email.toLowerCase());
}

/**
 * What still stands between a named host admin and the admin rights: a verified email (so
 * nobody can claim an address in HEARTH_ADMIN_EMAILS by signing up with it first), then an
 * enrolled second factor, then that factor passed in this session. Null when nothing does.
 */
export function adminGateOf(
  user: UserRow,
  session: { secondFactorPassed: boolean; secondFactorEnrolled: boolean },
): AdminGate | null {
  if (!user.emailVerified) return "verify-email";
  if (!session.secondFactorEnrolled) return "enrol-second-factor";
  if (!session.secondFactorPassed) return "second-factor";
  return null;
}

/**
 * A user row as an Actor. Admin rights only when every gate is passed; a named host admin who
 * has not passed them is an ordinary member (with `adminGate` saying what is missing).
 */
export function toActor(
  user: UserRow,
  session: { id?: string; secondFactorPassed: boolean; secondFactorEnrolled: boolean } = { secondFactorPassed: false, secondFactorEnrolled: false },
): Actor {
  const named = isNamedHostAdmin(user);
  const gate = named ? adminGateOf(user, session) : null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isHostAdmin: named && gate === null,
    ...(gate ? { adminGate: gate } : {}),
    ...(session.id ? { sessionId: session.id } : {}),
  };
}
