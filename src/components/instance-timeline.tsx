// The provisioning timeline of one instance: a server component that renders what
// getInstanceTimeline returned (the page loads it, after its own permission check).
import { PHASE_LABEL } from "@/components/labels";
import type { InstanceTimeline, TimelineRun, TimelineStep } from "@/server/provisioning/get-instance-timeline";
import { organiserNotice } from "@/server/provisioning/organiser-notice";

/** admin: the whole diagnosis. organiser: what happened and what happens next, once. */
type Audience = "admin" | "organiser";

const KIND: Record<TimelineRun["kind"], string> = {
  PROVISION: "Set up",
  START: "Start",
  REPAIR: "Repair",
  STOP: "Stop",
  DELETE: "Delete",
};

const STATE: Record<TimelineRun["state"] | TimelineStep["state"], string> = {
  RUNNING: "In progress",
  WAITING_RETRY: "Waiting to retry",
  SUCCEEDED: "Done",
  FAILED: "Failed",
  SUPERSEDED: "Replaced by a newer request",
  SKIPPED: "Skipped",
};

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

function Step({ step, audience }: { step: TimelineStep; audience: Audience }) {
  return (
    <li data-state={step.state.toLowerCase()}>
      <strong>{step.label}</strong> <span className="status">{STATE[step.state]}</span>{" "}
      <span className="hint">
        {formatDuration(step.durationMs)}
        {step.attempts > 1 ? `, attempt ${step.attempts}` : ""}
      </span>
      {step.detail && step.state !== "FAILED" ? <div className="hint">{step.detail}</div> : null}
      {step.error && audience === "admin" ? <pre className="error" style={{ whiteSpace: "pre-wrap", margin: 0 }}>{step.error}</pre> : null}
    </li>
  );
}

function Run({ run, audience }: { run: TimelineRun; audience: Audience }) {
  return (
    <li className="card">
      <h3 style={{ margin: 0, fontSize: "1.05rem" }}>
        {KIND[run.kind]}: {STATE[run.state]}
      </h3>
      <p className="hint" style={{ margin: "0.25rem 0" }}>
        Started <time dateTime={run.startedAt.toISOString()}>{run.startedAt.toUTCString()}</time>, took{" "}
        {formatDuration(run.durationMs)}
        {run.nextAttemptAt && run.state !== "SUCCEEDED" ? (
          <>
            ; next attempt <time dateTime={run.nextAttemptAt.toISOString()}>{run.nextAttemptAt.toUTCString()}</time>
          </>
        ) : null}
      </p>
      {run.error && run.state !== "SUCCEEDED" && audience === "admin" ? <p className="error">{run.error}</p> : null}
      <ol>
        {run.steps.map((step) => (
          <Step key={step.key} step={step} audience={audience} />
        ))}
      </ol>
    </li>
  );
}

export function InstanceTimelineView({
  timeline,
  headingLevel = 2,
  audience = "admin",
}: {
  timeline: InstanceTimeline | null;
  headingLevel?: 2 | 3;
  audience?: Audience;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  if (!timeline) {
    return (
      <section aria-labelledby="instance-timeline">
        <Heading id="instance-timeline">Server timeline</Heading>
        <p>Not set up yet: the instance is created once the community is funded.</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="instance-timeline">
      <Heading id="instance-timeline">Server timeline</Heading>
      <p>
        Status: <span className="status">{PHASE_LABEL[timeline.phase]}</span>
      </p>
      {audience === "admin" && timeline.lastError ? (
        <p className="error" role="alert">
          {timeline.lastError}
        </p>
      ) : null}
      {audience === "organiser" && organiserNotice(timeline) ? (
        <p className="error" role="alert">
          {organiserNotice(timeline)}
        </p>
      ) : null}
      {timeline.webAddress?.startsWith("https://") ? (
        <p>
          Answers at <a href={timeline.webAddress}>{timeline.webAddress}</a> through the ingress.
        </p>
      ) : timeline.webAddress ? (
        <p>
          Published at <code>{timeline.webAddress}</code> (web)
          {timeline.streamingAddress && timeline.streamingAddress !== timeline.webAddress ? (
            <>
              {" "}
              and <code>{timeline.streamingAddress}</code> (streaming)
            </>
          ) : null}
          .
        </p>
      ) : null}
      <ol style={{ listStyle: "none", padding: 0, display: "grid", gap: "0.75rem" }}>
        {timeline.runs.map((run) => (
          <Run key={run.id} run={run} audience={audience} />
        ))}
      </ol>
    </section>
  );
}
