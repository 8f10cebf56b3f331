// The funding state machine as a pure function, so every rule can be tested without a
// database. Hosting is charged a month at a time, in advance, from the balance:
//
//   AWAITING_FUNDING --balance covers a month--> FUNDED (instance provisioned)
//   FUNDED --month due, balance short--> GRACE (instance keeps running, graceDays)
//   GRACE --balance covers the overdue month--> FUNDED (the grace time is paid for)
//   GRACE --grace over, still short--> SUSPENDED (instance stopped, data kept)
//   SUSPENDED --balance covers a month--> FUNDED (instance resumed, a new month starts)
//
// Nothing here ever deletes anything: the worst outcome of missing money is SUSPENDED.
import type { FundingState } from "@/generated/prisma/enums";
import { addDays, addMonths } from "./months";

export type FundingSnapshot = {
  state: FundingState;
  // Start of the current run of hosting months and how many have been charged in it.
  anchorAt: Date | null;
  monthsCharged: number;
  graceEndsAt: Date | null;
  // Everything paid in minus refunds minus hosting charged, smallest currency unit.
  balance: number;
};

export type FundingStep =
  | { kind: "charge"; month: number; anchorAt: Date; periodStart: Date; periodEnd: Date; amount: number }
  | { kind: "transition"; from: FundingState; to: FundingState; reason: string; balance: number };

export type FundingInputs = { monthlyCost: number; graceDays: number; now: Date };

export function paidThrough(snapshot: Pick<FundingSnapshot, "anchorAt" | "monthsCharged">): Date | null {
  return snapshot.anchorAt ? addMonths(snapshot.anchorAt, snapshot.monthsCharged) : null;
}

// A month can only be charged when the whole of it is there; a free plan still needs 1 cent.
const covers = (balance: number, cost: number) => balance >= Math.max(cost, 1);

/** Applies every rule that is due at `now`, in order; returns the new snapshot and what happened. */
export function advanceFunding(start: FundingSnapshot, inputs: FundingInputs): { next: FundingSnapshot; steps: FundingStep[] } {
  const { monthlyCost: cost, graceDays, now } = inputs;
  const s: FundingSnapshot = { ...start };
  const steps: FundingStep[] = [];

  const charge = () => {
    const anchorAt = s.anchorAt!;
    const month = s.monthsCharged + 1;
    steps.push({
      kind: "charge",
      month,
      anchorAt,
      periodStart: addMonths(anchorAt, month - 1),
      periodEnd: addMonths(anchorAt, month),
      amount: cost,
    });
    s.monthsCharged = month;
    s.balance -= cost;
  };
  const move = (to: FundingState, reason: string) => {
    steps.push({ kind: "transition", from: s.state, to, reason, balance: s.balance });
    s.state = to;
  };

  // Each pass either changes something or stops; the bound only guards against a bug
  // looping forever (ten years of missed months is far more than a worker can miss).
  for (let pass = 0; pass < 240; pass++) {
    if (s.state === "AWAITING_FUNDING" || s.state === "SUSPENDED") {
      if (!covers(s.balance, cost)) break;
      const wasSuspended = s.state === "SUSPENDED";
      s.anchorAt = now;
      s.monthsCharged = 0;
      s.graceEndsAt = null;
      move("FUNDED", wasSuspended ? "Funding is back: a month of hosting is paid." : "The first month of hosting is paid.");
      charge();
      continue;
    }
    const due = paidThrough(s)!;
    if (s.state === "FUNDED") {
      if (due > now) break;
      if (covers(s.balance, cost)) {
        charge();
        continue;
      }
      // Grace starts when it is noticed, so people are always told before a suspension.
      s.graceEndsAt = addDays(now, graceDays);
      move("GRACE", "The balance does not cover the next month of hosting.");
      continue;
    }
    // GRACE
    if (covers(s.balance, cost)) {
      charge(); // the overdue month, which began when grace did
      s.graceEndsAt = null;
      move("FUNDED", "The overdue month of hosting is paid.");
      continue;
    }
    if (s.graceEndsAt && s.graceEndsAt <= now) {
      s.anchorAt = null;
      s.monthsCharged = 0;
      s.graceEndsAt = null;
      move("SUSPENDED", "The grace period ended without enough funding.");
    }
    break;
  }
  return { next: s, steps };
}
