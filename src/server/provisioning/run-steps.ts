// Runs a plan (stages of steps) and records each step on the timeline. Steps in a stage run
// side by side; a stage starts when the previous one has succeeded. (runId, key) is unique, so
// a run resumed after a crash updates its rows instead of adding new ones. A step that already
// succeeded in this run runs again (every step is idempotent and cheap when there is nothing to
// do) but keeps its recorded timing unless it now fails.
import "server-only";
import { db } from "@/server/db/client";
import { describeStepFailure } from "./docker-errors";

export type Step = {
  key: string;
  label: string;
  /** Resolves with a short result line for the timeline, if any. */
  run: (progress: (detail: string) => void) => Promise<string | void>;
};
export type Stage = Step[];
/** A stage, or a function that builds it when it is reached (it may need an earlier stage's result). */
export type PlannedStage = Stage | (() => Stage);

export class StepFailed extends Error {
  constructor(
    readonly label: string,
    message: string,
  ) {
    super(message);
    this.name = "StepFailed";
  }
}

const PROGRESS_EVERY_MS = 500;

async function runStep(runId: string, step: Step, position: number): Promise<void> {
  const where = { runId_key: { runId, key: step.key } };
  const existing = await db.instanceStep.findUnique({ where, select: { state: true } });
  const quiet = existing?.state === "SUCCEEDED" || existing?.state === "SKIPPED";
  if (!quiet) {
    await db.instanceStep.upsert({
      where,
      create: { runId, key: step.key, label: step.label, position, state: "RUNNING" },
      update: {
        label: step.label,
        position,
        state: "RUNNING",
        attempts: { increment: 1 },
        error: null,
        detail: null,
        startedAt: new Date(),
        finishedAt: null,
      },
    });
  }

  // Progress is written at most twice a second, and never after the step has finished.
  let latest: string | undefined;
  let lastWrite = 0;
  let writing: Promise<unknown> = Promise.resolve();
  let finished = false;
  const progress = (detail: string) => {
    latest = detail;
    const now = Date.now();
    if (quiet || finished || now - lastWrite < PROGRESS_EVERY_MS) return;
    lastWrite = now;
    writing = writing.then(() =>
      db.instanceStep.updateMany({ where: { runId, key: step.key, state: "RUNNING" }, data: { detail } }).catch(() => {}),
    );
  };

  try {
    const result = await step.run(progress);
    finished = true;
    await writing;
    if (!quiet) {
      await db.instanceStep.update({
        where,
        data: { state: "SUCCEEDED", finishedAt: new Date(), detail: result ?? latest ?? null },
      });
    }
  } catch (error) {
    finished = true;
    await writing;
    const message = describeStepFailure(error);
    await db.instanceStep.upsert({
      where,
      create: { runId, key: step.key, label: step.label, position, state: "FAILED", error: message, finishedAt: new Date() },
      update: {
        state: "FAILED",
        error: message,
        finishedAt: new Date(),
        ...(quiet ? { attempts: { increment: 1 }, startedAt: new Date() } : {}),
      },
    });
    throw new StepFailed(step.label, message);
  }
}

/** Runs the stages in order; before each, `beforeStage` may throw to abandon the run. */
export async function runStages(runId: string, stages: PlannedStage[], beforeStage: () => Promise<void>): Promise<void> {
  let position = 0;
  for (const planned of stages) {
    await beforeStage();
    const stage = typeof planned === "function" ? planned() : planned;
    const results = await Promise.allSettled(stage.map((step) => runStep(runId, step, position++)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  }
}
