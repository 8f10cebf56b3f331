-- AlterTable
ALTER TABLE "StripeEvent" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "deadAt" TIMESTAMP(3),
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "objectId" TEXT,
ADD COLUMN     "payload" JSONB,
ADD COLUMN     "processedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "StripeEvent_processedAt_deadAt_objectId_receivedAt_idx" ON "StripeEvent"("processedAt", "deadAt", "objectId", "receivedAt");

-- Events recorded before the queue existed were processed in the request that recorded them.
UPDATE "StripeEvent" SET "processedAt" = "receivedAt";
