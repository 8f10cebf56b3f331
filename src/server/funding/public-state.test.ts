// Issue 11, problem 6: an admin-suspended community's page said "Suspended" beside "Funded: the
// server's hosting is paid", with no reason. The badge and the sentence now come from one
// function; every combination of states is checked for contradictions.
import { describe, expect, it } from "vitest";
import type { CommunityStatus, FundingState } from "@/generated/prisma/enums";
import { publicState, type PublicStateInput } from "./public-state";

const base: PublicStateInput = {
  status: "LIVE",
  deletedAt: null,
  adminSuspendedAt: null,
  adminSuspendedReason: null,
  funding: "FUNDED",
  startsWhenUp: false,
  coveredUntil: new Date("2027-03-01T00:00:00Z"),
  graceEndsAt: null,
};

describe("publicState", () => {
  it("an admin suspension wins over funding, with its public reason, and says funding is paused", () => {
    const state = publicState({ ...base, status: "SUSPENDED", adminSuspendedAt: new Date(), adminSuspendedReason: "Spam waves from this server" });
    expect(state.label).toBe("Suspended");
    expect(state.sentence).toContain("The host has suspended this community: Spam waves from this server.");
    expect(state.sentence).toMatch(/Funding is paused/);
    expect(state.sentence).not.toMatch(/hosting is paid/);
    expect(state.acceptsContributions).toBe(false);
  });

  it("funded but not up yet says so: nothing is charged before the server is up", () => {
    const state = publicState({ ...base, status: "PROVISIONING", startsWhenUp: true, coveredUntil: null });
    expect(state).toMatchObject({ label: "Being set up", tone: "waiting" });
    expect(state.sentence).toMatch(/charged from when it is up/);
  });

  it("never contradicts itself, whatever the combination", () => {
    const statuses: CommunityStatus[] = ["DRAFT", "AWAITING_FUNDING", "PROVISIONING", "LIVE", "SUSPENDED"];
    const fundings: FundingState[] = ["AWAITING_FUNDING", "FUNDED", "GRACE", "SUSPENDED", "CLOSED"];
    for (const status of statuses)
      for (const funding of fundings)
        for (const admin of [false, true])
          for (const startsWhenUp of [false, true]) {
            const s = publicState({ ...base, status, funding, startsWhenUp, adminSuspendedAt: admin ? new Date() : null });
            const what = JSON.stringify({ status, funding, admin, startsWhenUp, s });
            if (s.label === "Suspended") expect(s.sentence, what).not.toMatch(/^Funded|hosting is paid\b(?! by)|being set up|keeps running/);
            if (s.label === "Live") expect(s.sentence, what).toMatch(/^Funded/);
            if (/^Funded: the server.s hosting is paid/.test(s.sentence)) expect(s.label, what).toBe("Live");
            if (admin || funding === "CLOSED") expect(s.acceptsContributions, what).toBe(false);
          }
  });
});
