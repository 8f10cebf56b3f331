// Labels on every Docker object Hearth creates. The installation label keeps two Hearth
// installations (or two test runs) on one engine from touching each other's objects.
import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/server/db/client";
import { INSTALLATION_SETTING } from "./installation-setting";

export const LABEL = {
  installation: "hearth.installation",
  tenant: "hearth.tenant",
  component: "hearth.component",
} as const;

let cached: string | undefined;

/** This installation's id: created once, stored in the database. */
export async function installationId(): Promise<string> {
  if (cached) return cached;
  const key = INSTALLATION_SETTING;
  // ON CONFLICT DO NOTHING: two first callers at once must not trip over each other.
  await db.setting.createMany({ data: [{ key, value: randomUUID() }], skipDuplicates: true });
  const row = await db.setting.findUniqueOrThrow({ where: { key } });
  cached = String(row.value);
  return cached;
}

/** Docker `filters` matching this installation's objects, optionally one tenant's. */
export async function labelFilters(tenantId?: string): Promise<{ label: string[] }> {
  const labels = [`${LABEL.installation}=${await installationId()}`];
  if (tenantId) labels.push(`${LABEL.tenant}=${tenantId}`);
  return { label: labels };
}
