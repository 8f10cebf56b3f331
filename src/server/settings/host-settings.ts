// Host-wide settings the admin edits on /admin/settings, stored as Setting rows and read
// through zod: a missing or invalid row falls back to the environment's default, so a
// fresh host works without any row and a bad row can never take the panel down.
import "server-only";
import { z } from "zod";
import type { Software } from "@/generated/prisma/enums";
import { env, SOFTWARE } from "@/server/config/env";
import { db } from "@/server/db/client";
import { log } from "@/server/log";
import { defaultVersions, fundingDefaults } from "./defaults";
import { versionTag } from "./tag";

export const SETTING = {
  enabledSoftware: "software.enabled",
  versions: "software.versions",
  graceDays: "funding.graceDays",
  hostFeeCents: "funding.hostFeeCents",
} as const;

export const settingSchemas = {
  [SETTING.enabledSoftware]: z.array(z.enum(SOFTWARE)).min(1),
  [SETTING.versions]: z.partialRecord(z.enum(SOFTWARE), z.array(versionTag).min(1)),
  [SETTING.graceDays]: z.number().int().min(0).max(365),
  [SETTING.hostFeeCents]: z.number().int().min(0).max(10_000_000),
} as const;

export type HostSettings = {
  enabledSoftware: Software[];
  /** Offered versions per software, newest first; the first is what new instances get. */
  versions: Record<Software, string[]>;
  graceDays: number;
  hostFeeCents: number;
  currency: string;
  /** Max updatedAt of the rows (ISO), or "" when none exists: the optimistic-lock token of the form. */
  revision: string;
};

type Reader = { setting: Pick<typeof db.setting, "findMany"> };

function read<K extends keyof typeof settingSchemas>(rows: Map<string, unknown>, key: K): z.infer<(typeof settingSchemas)[K]> | undefined {
  if (!rows.has(key)) return undefined;
  const parsed = settingSchemas[key].safeParse(rows.get(key));
  if (parsed.success) return parsed.data as z.infer<(typeof settingSchemas)[K]>;
  log.warn("ignoring an invalid host setting", { key });
  return undefined;
}

export async function getHostSettings(client: Reader = db): Promise<HostSettings> {
  const found = await client.setting.findMany({ where: { key: { in: Object.values(SETTING) } } });
  const rows = new Map(found.map((row) => [row.key, row.value as unknown]));
  const funding = fundingDefaults();
  const versions = { ...defaultVersions() };
  for (const [software, list] of Object.entries(read(rows, SETTING.versions) ?? {})) versions[software as Software] = list;
  const newest = found.reduce((max, row) => (row.updatedAt > max ? row.updatedAt : max), new Date(0));
  return {
    enabledSoftware: read(rows, SETTING.enabledSoftware) ?? [...env().HEARTH_ENABLED_SOFTWARE],
    versions,
    graceDays: read(rows, SETTING.graceDays) ?? funding.graceDays,
    hostFeeCents: read(rows, SETTING.hostFeeCents) ?? funding.hostFeeCents,
    currency: funding.currency,
    revision: found.length ? newest.toISOString() : "",
  };
}
