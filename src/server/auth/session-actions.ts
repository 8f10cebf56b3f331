// Starting and ending sessions from server actions: sets or clears next-auth's cookie.
import "server-only";
import { cookies } from "next/headers";
import { SESSION_MAX_AGE_SECONDS, decodeSession, encodeSession, readSessionValue, sessionCookie } from "./session-cookie";
import { revokeSession } from "./sessions";

export async function startSession(user: { id: string; email: string; name: string | null }): Promise<void> {
  const store = await cookies();
  const { name, options } = sessionCookie();
  store.set(name, await encodeSession(user), { ...options, maxAge: SESSION_MAX_AGE_SECONDS });
}

export async function endSession(): Promise<void> {
  const store = await cookies();
  const value = readSessionValue((name) => store.get(name)?.value);
  await revokeSession(await decodeSession(value));
  const { name, options } = sessionCookie();
  for (const cookie of store.getAll()) {
    if (cookie.name === name || cookie.name.startsWith(`${name}.`)) store.set(cookie.name, "", { ...options, maxAge: 0 });
  }
}
