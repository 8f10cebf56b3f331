// The signed-in person of the current request (pages, layouts, server actions).
import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { AppError } from "@/server/errors/app-error";
import type { Actor } from "./permissions";
import { readSessionValue } from "./session-cookie";
import { actorFromSession } from "./sessions";

export const getActor = cache(async (): Promise<Actor | null> => {
  const store = await cookies();
  return actorFromSession(readSessionValue((name) => store.get(name)?.value));
});

export async function requireActor(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
  return actor;
}

/** For pages: the signed-in person, or a redirect to sign-in that comes back to `path`. */
export async function actorOrSignIn(path: string): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
  return actor;
}
