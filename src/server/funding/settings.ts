// The host's funding settings: environment defaults, overridden by Setting rows that the
// admin dashboard writes (funding.hostFeeCents, funding.graceDays, funding.contributionMax).
// The currency comes from the environment only: changing it under live subscriptions would
// mix currencies in one ledger.
import "server-only";
import { z } from "zod";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { log } from "@/server/log";

export type FundingSettings = {
  currency: string;
  hostFeeCents: number;
  graceDays: number;
  // In whole currency units, as people type them.
  contributionMax: number;
  presets: number[];
};

const overrides = {
  "funding.hostFeeCents": z.number().int().min(0).max(10_000_000),
  "funding.graceDays": z.number().int().min(0).max(365),
  "funding.contributionMax": z.number().int().min(1).max(999_999),
} as const;

type Reader = { setting: { findMany: typeof db.setting.findMany } };

// Read on nearly every webhook: kept for a few seconds, so a changed setting applies within them.
const CACHE_MS = 5_000;
let cached: { at: number; settings: FundingSettings } | undefined;

export async function getFundingSettings(client: Reader = db): Promise<FundingSettings> {
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.settings;
  const settings = await readFundingSettings(client);
  cached = { at: Date.now(), settings };
  return settings;
}

/** Tests: forget the cached settings after changing a Setting row. */
export function forgetFundingSettings(): void {
  cached = undefined;
}

async function readFundingSettings(client: Reader): Promise<FundingSettings> {
  const config = env();
  const settings: FundingSettings = {
    currency: config.HEARTH_CURRENCY,
    hostFeeCents: config.HEARTH_HOST_FEE_CENTS,
    graceDays: config.HEARTH_FUNDING_GRACE_DAYS,
    contributionMax: config.HEARTH_CONTRIBUTION_MAX,
    presets: config.HEARTH_CONTRIBUTION_PRESETS.filter((amount) => amount <= config.HEARTH_CONTRIBUTION_MAX),
  };
  const rows = await client.setting.findMany({ where: { key: { in: Object.keys(overrides) } } });
  for (const row of rows) {
    const parsed = overrides[row.key as keyof typeof overrides].safeParse(row.value);
    if (!parsed.success) {
      log.warn("ignoring an invalid funding setting", { key: row.key });
      continue;
    }
    if (row.key === "funding.hostFeeCents") settings.hostFeeCents = parsed.data;
    if (row.key === "funding.graceDays") settings.graceDays = parsed.data;
    if (row.key === "funding.contributionMax") settings.contributionMax = parsed.data;
  }
  settings.presets = settings.presets.filter((amount) => amount <= settings.contributionMax);
  return settings;
}
