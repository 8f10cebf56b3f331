import "server-only";
import type { Software } from "@/generated/prisma/enums";
import { getHostSettings } from "@/server/settings";

/** The software a new community may choose on this host: the host settings, HEARTH_ENABLED_SOFTWARE by default. */
export async function enabledSoftware(): Promise<Software[]> {
  return (await getHostSettings()).enabledSoftware;
}
