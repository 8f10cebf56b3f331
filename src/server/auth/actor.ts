import "server-only";
import { env } from "@/server/config/env";
import type { Actor } from "./permissions";

/** A user row as an Actor: host admin by the stored flag (first account) or by HEARTH_ADMIN_EMAILS. */
export function toActor(user: { id: string; email: string; name: string | null; isHostAdmin: boolean }): Actor {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isHostAdmin: user.isHostAdmin || env().HEARTH_ADMIN_EMAILS.includes(user.email.toLowerCase()),
  };
}
