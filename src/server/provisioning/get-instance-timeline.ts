// The instance's timeline for the organiser's dashboard and the host admin's tenant page:
// its runs (newest first), each step with its state, duration, progress and error. It takes
// the instance.read permission (members, and host admins), checked in the query: anyone else
// gets "not found".
import "server-only";
import type {
  InstanceDesiredState,
  InstancePhase,
  InstanceRunKind,
  InstanceRunState,
  InstanceStepState,
} from "@/generated/prisma/client";
import { communityWhere, NOT_FOUND_MESSAGE } from "@/server/auth/community-access";
import type { Actor } from "@/server/auth/permissions";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { instanceBusy } from "./tenant-instance";

export type TimelineStep = {
  key: string;
  label: string;
  state: InstanceStepState;
  attempts: number;
  detail: string | null;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number;
};

export type TimelineRun = {
  id: string;
  kind: InstanceRunKind;
  state: InstanceRunState;
  failures: number;
  error: string | null;
  nextAttemptAt: Date | null;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number;
  steps: TimelineStep[];
};

export type InstanceTimeline = {
  communityId: string;
  phase: InstancePhase;
  desiredState: InstanceDesiredState;
  /** A change is asked for and not applied yet: exports and restores wait until it has settled. */
  settling: boolean;
  lastError: string | null;
  webAddress: string | null;
  streamingAddress: string | null;
  /** none: no admin account yet; ready: can be shown (once); shown: already seen. */
  adminCredentials: "none" | "ready" | "shown";
  runs: TimelineRun[];
};

const duration = (start: Date, end: Date | null, now: Date) => (end ?? now).getTime() - start.getTime();

/** Null when the community has no instance yet (not funded, never provisioned). */
export async function getInstanceTimeline(
  communityId: string,
  actor: Actor,
  options: { runs?: number; /** The admin area: deleted tenants too (host admins only). */ includeDeleted?: boolean } = {},
): Promise<InstanceTimeline | null> {
  const access = options.includeDeleted && actor.isHostAdmin ? {} : communityWhere(actor, "instance.read");
  const community = await db.community.findFirst({
    where: { id: communityId, ...access },
    select: {
      id: true,
      instance: {
        include: {
          adminCredential: { select: { confirmedAt: true, shownAt: true } },
          runs: {
            orderBy: { seq: "desc" },
            take: options.runs ?? 10,
            include: { steps: { orderBy: [{ position: "asc" }, { startedAt: "asc" }] } },
          },
        },
      },
    },
  });
  if (!community) throw new AppError("NOT_FOUND", NOT_FOUND_MESSAGE);
  const instance = community.instance;
  if (!instance) return null;
  const now = new Date();
  const credential = instance.adminCredential;
  return {
    communityId,
    phase: instance.phase,
    desiredState: instance.desiredState,
    settling: instanceBusy(instance),
    lastError: instance.lastError,
    webAddress: instance.webAddress,
    streamingAddress: instance.streamingAddress,
    adminCredentials: !credential?.confirmedAt ? "none" : credential.shownAt ? "shown" : "ready",
    runs: instance.runs.map((run) => ({
      id: run.id,
      kind: run.kind,
      state: run.state,
      failures: run.failures,
      error: run.error,
      nextAttemptAt: run.nextAttemptAt,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      durationMs: duration(run.startedAt, run.finishedAt, now),
      steps: run.steps.map((step) => ({
        key: step.key,
        label: step.label,
        state: step.state,
        attempts: step.attempts,
        detail: step.detail,
        error: step.error,
        startedAt: step.startedAt,
        finishedAt: step.finishedAt,
        durationMs: duration(step.startedAt, step.finishedAt, now),
      })),
    })),
  };
}
