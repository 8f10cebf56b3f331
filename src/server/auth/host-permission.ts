// The check behind every admin read and write. Whoever lacks the host permission (a member,
// an organiser of some community, a signed-out visitor) gets the same "not found" as for a
// page that does not exist: the admin area does not reveal that it is there.
import "server-only";
import { hasHostPermission, type Actor, type HostPermission } from "@/server/auth/permissions";
import { AppError } from "@/server/errors/app-error";

export const ADMIN_NOT_FOUND = "This page could not be found.";

/** Route handlers: the same bare 404 as any unknown address. */
export const notFoundResponse = () => new Response("Not Found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });

export function assertHostPermission(actor: Actor | null, permission: HostPermission): asserts actor is Actor {
  if (!hasHostPermission(actor, permission)) throw new AppError("NOT_FOUND", ADMIN_NOT_FOUND);
}
