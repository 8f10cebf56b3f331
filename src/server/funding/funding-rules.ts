// The funding state machine as a pure function, so every rule can be tested without a
// database. Hosting is charged a month at a time, in advance, from the balance, and only for
// a server that is up:
//
//   AWAITING_FUNDING --balance covers a month--> FUNDED (instance asked for; nothing charged yet)
//   FUNDED, server up, no run of months yet --> the first month is charged (the run starts now)
//   FUNDED --month due, server up, balance short--> GRACE (instance keeps running, graceDays)
//   FUNDED --month due, server not up--> the run ends; the next starts when it is up again
//   GRACE --balance covers the overdue month--> FUNDED (the grace time is paid for)
//   GRACE --grace over, still short--> SUSPENDED (instance stopped, data kept)
//   SUSPENDED --balance covers a month--> FUNDED (instance resumed, charged once it is up)
//   any state --community deleted--> CLOSED (final: nothing is charged or asked for again)
//
// Nothing here ever deletes anything: the worst outcome of missing money is SUSPENDED.
import type { FundingState } from "@/generated/prisma/enums";
import { addDays, addMonths } from "./months";
import type { FundingSettings } from "./settings";

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
  | { kind: "transition"; from: FundingState; to: FundingState; reason: string; balance: number }
  // The run of months ended without a state change (the server was not up when a month came due).
  | { kind: "pause"; paidThrough: Date };

export type FundingInputs = {
  monthlyCost: number;
  graceDays: number;
  now: Date;
  /** The server answers (community LIVE): only then does a run of hosting months start or go on. */
  serverUp: boolean;
  /** The community is deleted: funding closes for good. */
  deleted?: boolean;
};

/**
 * What the rules weigh for a community: a month's cost is its plan's plus the host's fee, and a
 * deleted community's server is never up, whatever its status says.
 */
export function fundingInputs(
  community: { monthlyCost: number; status: string; deletedAt: Date | null },
  settings: Pick<FundingSettings, "hostFeeCents" | "graceDays">,
  now: Date,
): FundingInputs {
  return {
    monthlyCost: community.monthlyCost + settings.hostFeeCents,
    graceDays: settings.graceDays,
    now,
    serverUp: community.status === "LIVE" && !community.deletedAt,
    deleted: community.deletedAt !== null,
  };
}

export function paidThrough(snapshot: Pick<FundingSnapshot, "anchorAt" | "monthsCharged">): Date | null {
  return snapshot.anchorAt ? addMonths(snapshot.anchorAt, snapshot.monthsCharged) : null;
}

// A month can only be charged when the whole of it is there; a free plan still needs 1 cent.
const covers = (balance: number, cost: number) => balance >= Math.max(cost, 1);

export const CLOSED_REASON = "The community was deleted: its contributions are cancelled and nothing more is charged.";

/** Applies every rule that is due at `now`, in order; returns the new snapshot and what happened. */
export function advanceFunding(start: FundingSnapshot, inputs: FundingInputs): { next: FundingSnapshot; steps: FundingStep[] } {
  const { monthlyCost: cost, graceDays, now, serverUp } = inputs;
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

  if (s.state === "CLOSED") return { next: s, steps };
  if (inputs.deleted) {
    s.anchorAt = null;
    s.monthsCharged = 0;
    s.graceEndsAt = null;
    move("CLOSED", CLOSED_REASON);
    return { next: s, steps };
  }

  // Each pass either changes something or stops; the bound only guards against a bug
  // looping forever (ten years of missed months is far more than a worker can miss).
  for (let pass = 0; pass < 240; pass++) {
    if (s.state === "AWAITING_FUNDING" || s.state === "SUSPENDED") {
      if (!covers(s.balance, cost)) break;
      const wasSuspended = s.state === "SUSPENDED";
      s.anchorAt = null;
      s.monthsCharged = 0;
      s.graceEndsAt = null;
      move(
        "FUNDED",
        wasSuspended
          ? "Funding is back: a month of hosting is covered, so the server is resumed. Hosting is charged from when it is up."
          : "A month of hosting is covered, so the server is set up. Hosting is charged from when it is up.",
      );
      continue;
    }
    if (s.state === "FUNDED" && !s.anchorAt) {
      // Before the server is up, contributions only accumulate.
      if (!serverUp) break;
      s.anchorAt = now;
      s.monthsCharged = 0;
      if (covers(s.balance, cost)) {
        charge();
        continue;
      }
      // Refunds took the balance below a month while the server was being set up.
      s.graceEndsAt = addDays(now, graceDays);
      move("GRACE", "The server is up, but the balance does not cover its first month of hosting.");
      continue;
    }
    const due = paidThrough(s)!;
    if (s.state === "FUNDED") {
      if (due > now) break;
      if (!serverUp) {
        // Nobody pays for a server that is not up: this run of months ends where it was paid,
        // and the next one starts when the server is up again.
        s.anchorAt = null;
        s.monthsCharged = 0;
        steps.push({ kind: "pause", paidThrough: due });
        break;
      }
      if (covers(s.balance, cost)) {
        charge();
        continue;
      }
      // Grace starts when it is noticed, so people are always told before a suspension.
      s.graceEndsAt = addDays(now, graceDays);
      move("GRACE", "The balance does not cover the next month of hosting.");
      continue;
    }
    // GRACE: the server was up when it began; the overdue month is paid whatever it is now.
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
