import { describe, expect, it } from "vitest";
import { coverage } from "./coverage";
import { addMonths } from "./months";

const now = new Date("2026-12-06T12:00:00Z");
const funded = { fundingState: "FUNDED", status: "LIVE", anchorAt: null, monthsCharged: 0, balance: 1500, monthlyCost: 1000 };

describe("coverage", () => {
  it("counts a funded server that is up but not charged yet from now, when its balance pays for the month", () => {
    expect(coverage(funded, now)).toEqual({ coveredUntil: addMonths(now, 1), runwayMonths: expect.closeTo(1, 1), startsWhenUp: false });
    // The same as once the clock has charged the first month at `now`.
    const charged = coverage({ ...funded, anchorAt: now, monthsCharged: 1, balance: 500 }, now);
    expect(charged.coveredUntil).toEqual(addMonths(now, 1));
  });

  it("waits for the server, or for the clock when the balance no longer pays for a month", () => {
    expect(coverage({ ...funded, status: "PROVISIONING" }, now)).toEqual({ coveredUntil: null, runwayMonths: 1.5, startsWhenUp: true });
    expect(coverage({ ...funded, balance: 400 }, now)).toEqual({ coveredUntil: null, runwayMonths: 0.4, startsWhenUp: true });
  });

  it("counts a running server from its anchor, and nothing while it awaits funding", () => {
    const anchorAt = new Date("2026-11-01T00:00:00Z");
    expect(coverage({ ...funded, anchorAt, monthsCharged: 2, balance: 2500 }, now).coveredUntil).toEqual(addMonths(anchorAt, 4));
    expect(coverage({ ...funded, fundingState: "AWAITING_FUNDING", balance: 500 }, now)).toEqual({ coveredUntil: null, runwayMonths: 0.5, startsWhenUp: false });
  });
});
