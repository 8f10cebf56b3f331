// Stands in for @/server/auth/current-actor in tests of server actions (which have no
// request): `vi.mock("@/server/auth/current-actor", () => import("@/server/testing/current-actor-mock"))`,
// then `actAs(someone)` decides who is signed in.
import { AppError } from "@/server/errors/app-error";
import type { Actor } from "@/server/auth/permissions";

let current: Actor | null = null;

export function actAs(actor: Actor | null): void {
  current = actor;
}

export async function getActor(): Promise<Actor | null> {
  return current;
}

export async function requireActor(): Promise<Actor> {
  if (!current) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
  return current;
}

export async function actorOrSignIn(): Promise<Actor> {
  return requireActor();
}
