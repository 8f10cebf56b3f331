// The demo clock: on a Hearth that moves no real money (Stripe is the local emulator), a host
// admin can move one community's funding time forward, so grace, suspension and recovery can
// be shown on a running Hearth instead of by editing dates in the database. Refused wherever
// Hearth talks to Stripe itself ("production").
//
// The community's time runs `demoOffsetSeconds` ahead of real time (evaluateFunding, the
// funding clock and the funding summary all add it). Its contributors' subscriptions move with
// it: every period that has ended by the community's new time is renewed in the emulator (its
// control API), paid or declined as asked, and the renewals' webhooks are processed before the
// funding rules run at the new time.
import "server-only";
import { z } from "zod";
import { recordAudit } from "@/server/audit/record-audit";
import { assertHostPermission } from "@/server/auth/host-permission";
import type { Actor } from "@/server/auth/permissions";
import { stripeTarget } from "@/server/billing/stripe";
import { stripe } from "@/server/billing/stripe";
import { env } from "@/server/config/env";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { fundingNow } from "./clock";
import { evaluateFunding } from "./evaluate-funding";
import { deliverInstanceRequests } from "./instance-hooks";
import { addMonths } from "./months";

export const DEMO_STEPS = { day: "1 day", week: "1 week", fortnight: "2 weeks", month: "1 month" } as const;

export const demoClockSchema = z.object({
  communityId: z.string().min(1).max(40),
  step: z.enum(Object.keys(DEMO_STEPS) as [keyof typeof DEMO_STEPS, ...(keyof typeof DEMO_STEPS)[]], { message: "Choose how far to move." }),
  renewals: z.enum(["paid", "failed"], { message: "Choose whether renewals are paid or declined." }),
});
export type DemoClockInput = z.infer<typeof demoClockSchema>;

/** The emulator's control API, when Hearth runs on it (and only then). */
function emulatorUrl(): string | null {
  const target = stripeTarget(env());
  return target.mode === "emulator" ? target.url : null;
}

export function demoClockAvailable(): boolean {
  return emulatorUrl() !== null;
}

async function control(path: string, body: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(`${emulatorUrl()}/_emulator${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body).toString(),
  });
  if (!response.ok) throw new Error(`the Stripe emulator refused ${path}: ${response.status} ${(await response.text()).slice(0, 200)}`);
  return response.json();
}

function seconds(step: keyof typeof DEMO_STEPS, from: Date): number {
  const days = { day: 1, week: 7, fortnight: 14 } as const;
  if (step === "month") return Math.round((addMonths(from, 1).getTime() - from.getTime()) / 1000);
  return days[step] * 86_400;
}

export async function advanceDemoClock(actor: Actor | null, input: DemoClockInput): Promise<{ now: Date; renewals: number; state: string }> {
  assertHostPermission(actor, "admin.tenants.manage");
  if (!demoClockAvailable()) {
    throw new AppError("FORBIDDEN", "The demo clock only exists on a Hearth that uses the local Stripe emulator: here real money moves, so time cannot.");
  }
  const community = await db.community.findUnique({ where: { id: input.communityId }, select: { id: true, deletedAt: true } });
  if (!community) throw new AppError("NOT_FOUND", "There is no such tenant.");
  if (community.deletedAt) throw new AppError("CONFLICT", "This tenant has been deleted.");

  const funding = await db.communityFunding.upsert({
    where: { communityId: community.id },
    create: { communityId: community.id },
    update: {},
    select: { demoOffsetSeconds: true },
  });
  const before = new Date(fundingNow().getTime() + funding.demoOffsetSeconds * 1000);
  const offset = funding.demoOffsetSeconds + seconds(input.step, before);
  await db.communityFunding.update({ where: { communityId: community.id }, data: { demoOffsetSeconds: offset } });
  const now = new Date(fundingNow().getTime() + offset * 1000);

  // The contributors' billing periods that ended by the community's new time are renewed.
  let renewals = 0;
  const live = await db.contribution.findMany({
    where: { communityId: community.id, status: { in: ["ACTIVE", "PAST_DUE"] }, stripeSubscriptionId: { not: null } },
    select: { stripeSubscriptionId: true },
  });
  for (const { stripeSubscriptionId } of live) {
    for (let round = 0; round < 24; round++) {
      const subscription = await stripe().subscriptions.retrieve(stripeSubscriptionId!);
      const periodEnd = Math.max(0, ...subscription.items.data.map((item) => item.current_period_end));
      if (!["active", "past_due"].includes(subscription.status) || periodEnd * 1000 > now.getTime()) break;
      await control(`/subscriptions/${subscriptionId(stripeSubscriptionId!)}/advance`, { outcome: input.renewals });
      renewals += 1;
    }
  }
  // Their webhooks are processed before the rules run at the new time.
  await control("/webhooks/idle");
  const changed = await db.$transaction((tx) => evaluateFunding(tx, community.id, fundingNow()), { maxWait: 10_000, timeout: 30_000 });
  if (changed) await deliverInstanceRequests([community.id]);
  const state = (await db.communityFunding.findUniqueOrThrow({ where: { communityId: community.id }, select: { state: true } })).state;
  await recordAudit(db, {
    actorId: actor!.id,
    communityId: community.id,
    action: "tenant.demo-clock-advanced",
    data: { step: input.step, renewals: input.renewals, renewed: renewals, offsetSeconds: offset, fundingState: state },
    result: "SUCCEEDED",
  });
  return { now, renewals, state };
}

const subscriptionId = (id: string) => encodeURIComponent(id);

/** The community's funding time, for the admin's tenant page. */
export async function demoClockOf(communityId: string): Promise<{ available: boolean; offsetSeconds: number; now: Date }> {
  const row = await db.communityFunding.findUnique({ where: { communityId }, select: { demoOffsetSeconds: true } });
  const offsetSeconds = row?.demoOffsetSeconds ?? 0;
  return { available: demoClockAvailable(), offsetSeconds, now: new Date(fundingNow().getTime() + offsetSeconds * 1000) };
}
