// "Try again now" for an instance whose run is waiting for a retry or stopped in an error:
// the retry becomes due at once, with a fresh count of attempts.
import "server-only";
import { db } from "@/server/db/client";
import { AppError } from "@/server/errors/app-error";
import { enqueueReconcile } from "./queue";

export async function retryInstanceNow(communityId: string): Promise<void> {
  const instance = await db.instance.findUnique({ where: { communityId }, select: { id: true, desiredGeneration: true } });
  if (!instance) throw new AppError("NOT_FOUND", "This community has no instance.");
  const { count } = await db.instanceRun.updateMany({
    where: { instanceId: instance.id, state: { in: ["WAITING_RETRY", "FAILED"] } },
    data: { nextAttemptAt: new Date(), failures: 0 },
  });
  if (count === 0) throw new AppError("CONFLICT", "Nothing is waiting for a retry.");
  await enqueueReconcile(instance.id);
}
