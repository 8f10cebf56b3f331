// How long a community's hosting is covered, from its funding row and its balance: the months
// charged so far, plus every further whole month the balance pays for. A funded server that is
// up but not charged yet (the funding clock starts its first month on its next tick, within
// HEARTH_FUNDING_CLOCK_SECONDS) counts from now when its balance pays for that month; with less,
// it stays "starting when the server is up" until the clock moves it on.
import { addMonths, AVERAGE_MONTH_MS } from "./months";

export type CoverageInput = {
  fundingState: string;
  /** The community's status (LIVE: its server is up). */
  status: string;
  anchorAt: Date | null;
  monthsCharged: number | null;
  balance: number;
  monthlyCost: number;
};

export type Coverage = { runwayMonths: number; coveredUntil: Date | null; startsWhenUp: boolean };

export function coverage(input: CoverageInput, now: Date): Coverage {
  const cost = Math.max(input.monthlyCost, 1);
  const firstMonthNow = input.fundingState === "FUNDED" && !input.anchorAt && input.status === "LIVE" && input.balance >= cost;
  const startsWhenUp = input.fundingState === "FUNDED" && !input.anchorAt && !firstMonthNow;
  const anchorAt = input.anchorAt ?? (firstMonthNow ? now : null);
  const running = (input.fundingState === "FUNDED" || input.fundingState === "GRACE") && anchorAt;
  if (!running) return { runwayMonths: Math.max(0, input.balance / cost), coveredUntil: null, startsWhenUp };
  const coveredUntil = addMonths(anchorAt, (input.monthsCharged ?? 0) + Math.max(0, Math.floor(input.balance / cost)));
  return { runwayMonths: Math.max(0, (coveredUntil.getTime() - now.getTime()) / AVERAGE_MONTH_MS), coveredUntil, startsWhenUp };
}
