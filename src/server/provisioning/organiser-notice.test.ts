// Issue 11, problem 6: the organiser saw the operator's diagnosis (`docker load`, the host's
// resolver address) three times. They now get one sentence: what happened, what happens next.
import { describe, expect, it } from "vitest";
import type { TimelineRun } from "./get-instance-timeline";
import { organiserNotice } from "./organiser-notice";

const step = (key: string, state: "FAILED" | "SUCCEEDED", error: string | null = null) => ({
  key, label: key, state, attempts: 1, detail: null, error, startedAt: new Date(), finishedAt: new Date(), durationMs: 1,
});
const run = (over: Partial<TimelineRun>): TimelineRun => ({
  id: "r", kind: "PROVISION", state: "WAITING_RETRY", failures: 1, error: "Pull failed", nextAttemptAt: null,
  startedAt: new Date(), finishedAt: null, durationMs: 1, steps: [], ...over,
});

describe("organiserNotice", () => {
  it("an image that cannot be downloaded: what happened, who knows, and that nothing is charged; no diagnosis", () => {
    const diagnosis = "Could not download image x: lookup ghcr.io on 10.0.0.53:53: no such host. load the image onto it with `docker load`.";
    const notice = organiserNotice({ phase: "PROVISIONING", runs: [run({ steps: [step("secrets", "SUCCEEDED"), step("image:x", "FAILED", diagnosis)] })] })!;
    expect(notice).toBe(
      "Hearth could not download the software for your server. Hearth tries again by itself, and the host's team has been told. Nothing is charged for hosting until your server is up.",
    );
    expect(notice).not.toMatch(/docker|10\.0\.0|ghcr/);
  });

  it("says nothing when all is well, and something plain for other failures and for runs that gave up", () => {
    expect(organiserNotice({ phase: "RUNNING", runs: [run({ state: "SUCCEEDED", failures: 0 })] })).toBeNull();
    expect(organiserNotice({ phase: "ERROR", runs: [run({ state: "FAILED", steps: [step("start:web", "FAILED", "unhealthy")] })] })).toMatch(
      /^Setting up your server ran into a problem on the host's side\. The host's team has been told and will fix it/,
    );
  });
});
