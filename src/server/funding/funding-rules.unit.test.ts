// The funding state machine on its own: every rule, with no database.
import { describe, expect, it } from "vitest";
import { advanceFunding, fundingInputs, type FundingSnapshot } from "./funding-rules";
import { addDays, addMonths } from "./months";

const t0 = new Date("2026-01-31T10:00:00Z");
const inputs = (now: Date, monthlyCost = 1000, graceDays = 14, serverUp = true) => ({ monthlyCost, graceDays, now, serverUp });
const snapshot = (over: Partial<FundingSnapshot>): FundingSnapshot => ({
  state: "AWAITING_FUNDING",
  anchorAt: null,
  monthsCharged: 0,
  graceEndsAt: null,
  balance: 0,
  ...over,
});

describe("advanceFunding", () => {
  it("waits until a whole month is paid, then funds; the first month is charged once the server is up", () => {
    expect(advanceFunding(snapshot({ balance: 999 }), inputs(t0)).steps).toEqual([]);
    // Issue 11, problem 2: before the fix the month was charged here, with no server.
    const funded = advanceFunding(snapshot({ balance: 1500 }), inputs(t0, 1000, 14, false));
    expect(funded.next).toMatchObject({ state: "FUNDED", anchorAt: null, monthsCharged: 0, balance: 1500 });
    expect(funded.steps.map((s) => s.kind)).toEqual(["transition"]);
    // Days later the server is still being set up: nothing is charged, contributions accumulate.
    expect(advanceFunding({ ...funded.next, balance: 2500 }, inputs(addDays(t0, 40), 1000, 14, false)).steps).toEqual([]);
    // It is up: the run of months starts now, with the first month.
    const up = addDays(t0, 41);
    const { next, steps } = advanceFunding({ ...funded.next, balance: 2500 }, inputs(up));
    expect(next).toMatchObject({ state: "FUNDED", anchorAt: up, monthsCharged: 1, balance: 1500 });
    expect(steps).toEqual([{ kind: "charge", month: 1, anchorAt: up, periodStart: up, periodEnd: addMonths(up, 1), amount: 1000 }]);
  });

  it("ends a run of months when one comes due while the server is down, and starts a new one when it is up", () => {
    const funded = snapshot({ state: "FUNDED", anchorAt: t0, monthsCharged: 1, balance: 5000 });
    const due = addMonths(t0, 1);
    const paused = advanceFunding(funded, inputs(due, 1000, 14, false));
    expect(paused.steps).toEqual([{ kind: "pause", paidThrough: due }]);
    expect(paused.next).toMatchObject({ state: "FUNDED", anchorAt: null, monthsCharged: 0, balance: 5000 });
    const back = addDays(due, 3);
    expect(advanceFunding(paused.next, inputs(back)).next).toMatchObject({ anchorAt: back, monthsCharged: 1, balance: 4000 });
  });

  it("closes for good when the community is deleted, whatever the balance", () => {
    const { next, steps } = advanceFunding(snapshot({ state: "GRACE", anchorAt: t0, monthsCharged: 1, graceEndsAt: t0, balance: 9000 }), {
      ...inputs(t0),
      deleted: true,
    });
    expect(next).toMatchObject({ state: "CLOSED", anchorAt: null, graceEndsAt: null, balance: 9000 });
    expect(steps).toEqual([expect.objectContaining({ kind: "transition", from: "GRACE", to: "CLOSED" })]);
    // Issue 11, problem 1: money arriving later never funds it again (before the fix a paid
    // renewal moved a deleted community to FUNDED and provisioned a new instance).
    for (const state of ["CLOSED"] as const) {
      expect(advanceFunding(snapshot({ state, balance: 1_000_000 }), inputs(addMonths(t0, 5))).steps).toEqual([]);
    }
  });

  it("charges calendar months from the anchor, clamped like Stripe (31 Jan -> 28 Feb -> 31 Mar)", () => {
    expect(addMonths(t0, 1).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(addMonths(t0, 2).toISOString()).toBe("2026-03-31T10:00:00.000Z");
    const funded = snapshot({ state: "FUNDED", anchorAt: t0, monthsCharged: 1, balance: 5000 });
    expect(advanceFunding(funded, inputs(new Date("2026-02-28T09:59:59Z"))).steps).toEqual([]);
    const { next, steps } = advanceFunding(funded, inputs(new Date("2026-02-28T10:00:00Z")));
    expect(steps).toEqual([
      { kind: "charge", month: 2, anchorAt: t0, periodStart: addMonths(t0, 1), periodEnd: addMonths(t0, 2), amount: 1000 },
    ]);
    expect(next.balance).toBe(4000);
  });

  it("catches up on several missed months in one evaluation, then goes into grace when money runs out", () => {
    const funded = snapshot({ state: "FUNDED", anchorAt: t0, monthsCharged: 1, balance: 2000 });
    const now = addMonths(t0, 3);
    const { next, steps } = advanceFunding(funded, inputs(now));
    expect(steps.filter((s) => s.kind === "charge").map((s) => s.kind === "charge" && s.month)).toEqual([2, 3]);
    expect(next).toMatchObject({ state: "GRACE", monthsCharged: 3, balance: 0 });
    // Grace is counted from when it is noticed, so people are always warned before a suspension.
    expect(next.graceEndsAt).toEqual(addDays(now, 14));
  });

  it("suspends when the grace period ends short, and never before", () => {
    const grace = snapshot({ state: "GRACE", anchorAt: t0, monthsCharged: 1, graceEndsAt: addDays(t0, 44), balance: 999 });
    expect(advanceFunding(grace, inputs(addDays(t0, 43))).steps).toEqual([]);
    const { next, steps } = advanceFunding(grace, inputs(addDays(t0, 44)));
    expect(next).toMatchObject({ state: "SUSPENDED", anchorAt: null, monthsCharged: 0, graceEndsAt: null, balance: 999 });
    expect(steps).toEqual([expect.objectContaining({ kind: "transition", from: "GRACE", to: "SUSPENDED" })]);
  });

  it("leaves grace by paying the overdue month, even when the payment comes late", () => {
    const grace = snapshot({ state: "GRACE", anchorAt: t0, monthsCharged: 1, graceEndsAt: addDays(t0, 44), balance: 1000 });
    const { next, steps } = advanceFunding(grace, inputs(addDays(t0, 50)));
    expect(next).toMatchObject({ state: "FUNDED", anchorAt: t0, monthsCharged: 2, graceEndsAt: null, balance: 0 });
    expect(steps[0]).toMatchObject({ kind: "charge", periodStart: addMonths(t0, 1) });
  });

  it("resumes a suspended community with a new run of months once a month is paid", () => {
    const suspended = snapshot({ state: "SUSPENDED", balance: 1200 });
    const now = addDays(t0, 90);
    const { next } = advanceFunding(suspended, inputs(now));
    expect(next).toMatchObject({ state: "FUNDED", anchorAt: now, monthsCharged: 1, balance: 200 });
    // Still stopped (it is being resumed): funded, nothing charged until it is up.
    expect(advanceFunding(suspended, inputs(now, 1000, 14, false)).next).toMatchObject({ state: "FUNDED", anchorAt: null, balance: 1200 });
  });

  it("follows a cost change from the next month on, and a grace of zero days suspends at once", () => {
    const funded = snapshot({ state: "FUNDED", anchorAt: t0, monthsCharged: 1, balance: 2500 });
    const { next } = advanceFunding(funded, inputs(addMonths(t0, 1), 3000, 0));
    expect(next.state).toBe("SUSPENDED");
  });
});

describe("fundingInputs", () => {
  const settings = { hostFeeCents: 150, graceDays: 14 };
  it("charges the plan's cost plus the host's fee; only a live community that is not deleted has its server up", () => {
    expect(fundingInputs({ monthlyCost: 1000, status: "LIVE", deletedAt: null }, settings, t0)).toEqual({
      monthlyCost: 1150,
      graceDays: 14,
      now: t0,
      serverUp: true,
      deleted: false,
    });
    expect(fundingInputs({ monthlyCost: 1000, status: "PROVISIONING", deletedAt: null }, settings, t0)).toMatchObject({ serverUp: false, deleted: false });
    expect(fundingInputs({ monthlyCost: 1000, status: "LIVE", deletedAt: t0 }, settings, t0)).toMatchObject({ serverUp: false, deleted: true });
  });
});
