// The gate of the admin area. Whoever lacks the host permission (a member, an organiser of
// some community, a signed-out visitor) gets the same "not found" as for a page that does
// not exist: the admin area does not reveal that it is there.
import "server-only";
import { notFound } from "next/navigation";
import { getActor } from "@/server/auth/current-actor";
import { hasHostPermission, type Actor, type HostPermission } from "@/server/auth/permissions";
import { AppError } from "@/server/errors/app-error";

export const ADMIN_NOT_FOUND = "This page could not be found.";

/** Actions and route handlers: the host admin, or AppError NOT_FOUND. */
export async function requireHostAdmin(permission: HostPermission): Promise<Actor> {
  const actor = await getActor();
  assertHostPermission(actor, permission);
  return actor;
}

export function assertHostPermission(actor: Actor | null, permission: HostPermission): asserts actor is Actor {
  if (!hasHostPermission(actor, permission)) throw new AppError("NOT_FOUND", ADMIN_NOT_FOUND);
}

/** Pages and layouts: the host admin, or Next's 404 page. */
export async function hostAdminOrNotFound(permission: HostPermission): Promise<Actor> {
  const actor = await getActor();
  if (!hasHostPermission(actor, permission)) notFound();
  return actor!;
}
