// How long a sign-in lasts. Host admins can reach every tenant's secrets, so their sessions
// end sooner (ASVS 3.3.2 level 2: 12 hours, or 30 minutes idle).
export type SessionLimits = { absoluteSeconds: number; idleSeconds: number };

export const MEMBER_SESSION: SessionLimits = { absoluteSeconds: 30 * 86_400, idleSeconds: 7 * 86_400 };
export const HOST_ADMIN_SESSION: SessionLimits = { absoluteSeconds: 12 * 3_600, idleSeconds: 30 * 60 };

/** lastSeenAt is written at most this often per session (a write per request would be waste). */
export const LAST_SEEN_EVERY_SECONDS = 60;
