// What the organiser is told when setting up (or starting) their server goes wrong: what
// happened and what happens next, in their words. The diagnosis (the engine's message, the
// registry, `docker load`) is for the host's admins, who see the whole timeline on the tenant
// page and are told by email (notify-host-admins.ts). Pure, so it can be tested on its own.
import type { InstanceTimeline } from "./get-instance-timeline";

const CHARGE = "Nothing is charged for hosting until your server is up.";

export function organiserNotice(timeline: Pick<InstanceTimeline, "runs" | "phase">): string | null {
  const run = timeline.runs[0];
  if (!run || !(run.state === "WAITING_RETRY" || run.state === "FAILED" || (run.state === "RUNNING" && run.failures > 0))) return null;
  const failed = run.steps.find((step) => step.state === "FAILED") ?? run.steps.find((step) => step.error);
  const gaveUp = run.state === "FAILED";
  const next = gaveUp
    ? "The host's team has been told and will fix it; Hearth keeps trying in the meantime."
    : "Hearth tries again by itself, and the host's team has been told.";
  if (run.kind === "STOP" || run.kind === "DELETE") {
    return `Hearth could not ${run.kind === "STOP" ? "stop" : "remove"} your server yet. ${next}`;
  }
  if (failed?.key.startsWith("image:")) {
    return `Hearth could not download the software for your server. ${next} ${CHARGE}`;
  }
  return `Setting up your server ran into a problem on the host's side. ${next} ${CHARGE}`;
}
