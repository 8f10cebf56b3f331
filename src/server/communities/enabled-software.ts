import "server-only";
import type { Software } from "@/generated/prisma/enums";
import { env } from "@/server/config/env";

/** The software a new community may choose on this host (HEARTH_ENABLED_SOFTWARE for now). */
export function enabledSoftware(): Software[] {
  return [...env().HEARTH_ENABLED_SOFTWARE];
}
