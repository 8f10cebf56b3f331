// The gate of the admin area for pages, actions and route handlers: the signed-in host
// admin of this request, or "not found" (see host-permission.ts).
import "server-only";
import { notFound, redirect } from "next/navigation";
import { getActor } from "@/server/auth/current-actor";
import { hasHostPermission, type Actor, type HostPermission } from "@/server/auth/permissions";
import { assertHostPermission } from "@/server/auth/host-permission";

export { ADMIN_NOT_FOUND } from "@/server/auth/host-permission";

/** Actions and route handlers: the host admin, or AppError NOT_FOUND. */
export async function requireHostAdmin(permission: HostPermission): Promise<Actor> {
  const actor = await getActor();
  assertHostPermission(actor, permission);
  return actor;
}

/**
 * Pages and layouts: the host admin, or Next's 404 page. A named host admin with a verified
 * email who has not passed the second factor in this session is sent to enrol or to enter a
 * code first; nobody else learns that the admin area exists.
 */
export async function hostAdminOrNotFound(permission: HostPermission, path = "/admin"): Promise<Actor> {
  const actor = await getActor();
  if (actor?.adminGate === "enrol-second-factor") redirect("/account/two-factor/setup");
  if (actor?.adminGate === "second-factor") redirect(`/account/two-factor?callbackUrl=${encodeURIComponent(path)}`);
  if (!hasHostPermission(actor, permission)) notFound();
  return actor!;
}
