// Starting and ending sessions from server actions: a session row plus next-auth's cookie.
import "server-only";
import { cookies, headers } from "next/headers";
import { clientAddress } from "./client-address";
import { SESSION_MAX_AGE_SECONDS, decodeSession, encodeSession, readSessionValue, sessionCookie } from "./session-cookie";
import { createUserSession, endSessionOfToken, type EndReason } from "./sessions";

/** Where the current request comes from, as a session row records it. */
export async function currentOrigin(method: string) {
  const source = await headers();
  return { method, address: clientAddress(source), userAgent: source.get("user-agent") };
}

export async function startSession(user: { id: string; email: string; name: string | null }, method = "password"): Promise<string> {
  const sessionId = await createUserSession(user.id, await currentOrigin(method));
  const store = await cookies();
  const { name, options } = sessionCookie();
  store.set(name, await encodeSession(user, sessionId), { ...options, maxAge: SESSION_MAX_AGE_SECONDS });
  return sessionId;
}

/** Clears the cookie (all its chunks) without touching the row. */
export async function clearSessionCookie(): Promise<void> {
  const store = await cookies();
  const { name, options } = sessionCookie();
  for (const cookie of store.getAll()) {
    if (cookie.name === name || cookie.name.startsWith(`${name}.`)) store.set(cookie.name, "", { ...options, maxAge: 0 });
  }
}

export async function endSession(reason: EndReason = "signed-out"): Promise<void> {
  const store = await cookies();
  const value = readSessionValue((name) => store.get(name)?.value);
  await endSessionOfToken(await decodeSession(value), reason);
  await clearSessionCookie();
}
