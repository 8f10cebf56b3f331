// The timeline renders what a person needs: state, each step with its duration, and errors.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { InstanceTimeline } from "@/server/provisioning/get-instance-timeline";
import { formatDuration, InstanceTimelineView } from "./instance-timeline";

const at = new Date("2026-11-26T12:00:00Z");
const timeline: InstanceTimeline = {
  communityId: "c1",
  phase: "PROVISIONING",
  desiredState: "RUNNING",
  settling: true,
  lastError: "Image x failed (attempt 1 of 5): the registry is unreachable. Retrying in 10 s.",
  webAddress: null,
  streamingAddress: null,
  adminCredentials: "none",
  runs: [
    {
      id: "r1",
      kind: "PROVISION",
      state: "WAITING_RETRY",
      failures: 1,
      error: "Image x failed (attempt 1 of 5)",
      nextAttemptAt: new Date(at.getTime() + 10_000),
      startedAt: at,
      finishedAt: null,
      durationMs: 2_345,
      steps: [
        { key: "secrets", label: "Generate the instance's secrets", state: "SUCCEEDED", attempts: 1, detail: "Generated and stored encrypted", error: null, startedAt: at, finishedAt: at, durationMs: 12 },
        { key: "image:x", label: "Image x", state: "FAILED", attempts: 2, detail: "Downloading 1.0 MB of 4.0 MB", error: "Could not download image x", startedAt: at, finishedAt: at, durationMs: 65_400 },
      ],
    },
  ],
};

describe("InstanceTimelineView", () => {
  it("shows the status, the error, each step's state, duration and attempts", () => {
    const html = renderToStaticMarkup(createElement(InstanceTimelineView, { timeline }));
    expect(html).toContain("Being set up");
    expect(html).toContain('role="alert"');
    expect(html).toContain("Set up: Waiting to retry");
    expect(html).toContain("Generate the instance&#x27;s secrets");
    expect(html).toContain("12 ms");
    expect(html).toContain("1 min 5 s, attempt 2");
    expect(html).toContain("Could not download image x");
    expect(html).not.toContain("Downloading 1.0 MB"); // a failed step shows its error, not stale progress
  });

  it("says so when there is no instance yet", () => {
    expect(renderToStaticMarkup(createElement(InstanceTimelineView, { timeline: null }))).toContain("Not set up yet");
  });

  it("formats durations for people", () => {
    expect([formatDuration(450), formatDuration(2_345), formatDuration(125_000)]).toEqual(["450 ms", "2.3 s", "2 min 5 s"]);
  });
});
