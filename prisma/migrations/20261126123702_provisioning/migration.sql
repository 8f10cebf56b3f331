-- CreateEnum
CREATE TYPE "InstanceDesiredState" AS ENUM ('RUNNING', 'STOPPED', 'DELETED');

-- CreateEnum
CREATE TYPE "InstancePhase" AS ENUM ('PENDING', 'PROVISIONING', 'STARTING', 'RUNNING', 'STOPPING', 'STOPPED', 'DELETING', 'DELETED', 'ERROR');

-- CreateEnum
CREATE TYPE "InstanceRunKind" AS ENUM ('PROVISION', 'START', 'STOP', 'DELETE', 'REPAIR');

-- CreateEnum
CREATE TYPE "InstanceRunState" AS ENUM ('RUNNING', 'WAITING_RETRY', 'SUCCEEDED', 'FAILED', 'SUPERSEDED');

-- CreateEnum
CREATE TYPE "InstanceStepState" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED');

-- CreateTable
CREATE TABLE "Instance" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "desiredState" "InstanceDesiredState" NOT NULL DEFAULT 'RUNNING',
    "desiredGeneration" INTEGER NOT NULL DEFAULT 1,
    "appliedGeneration" INTEGER NOT NULL DEFAULT 0,
    "exportFirst" BOOLEAN NOT NULL DEFAULT false,
    "phase" "InstancePhase" NOT NULL DEFAULT 'PENDING',
    "lastError" TEXT,
    "images" JSONB NOT NULL,
    "secretsSealed" TEXT,
    "webAddress" TEXT,
    "streamingAddress" TEXT,
    "provisionedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Instance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InstanceRun" (
    "id" TEXT NOT NULL,
    "instanceId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" "InstanceRunKind" NOT NULL,
    "generation" INTEGER NOT NULL,
    "state" "InstanceRunState" NOT NULL DEFAULT 'RUNNING',
    "failures" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "InstanceRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InstanceStep" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "state" "InstanceStepState" NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "detail" TEXT,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "InstanceStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InstanceAdminCredential" (
    "instanceId" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "passwordSealed" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmedAt" TIMESTAMP(3),
    "shownAt" TIMESTAMP(3),

    CONSTRAINT "InstanceAdminCredential_pkey" PRIMARY KEY ("instanceId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Instance_communityId_key" ON "Instance"("communityId");

-- CreateIndex
CREATE INDEX "Instance_phase_idx" ON "Instance"("phase");

-- CreateIndex
CREATE INDEX "InstanceRun_state_nextAttemptAt_idx" ON "InstanceRun"("state", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "InstanceRun_instanceId_seq_key" ON "InstanceRun"("instanceId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "InstanceStep_runId_key_key" ON "InstanceStep"("runId", "key");

-- AddForeignKey
ALTER TABLE "Instance" ADD CONSTRAINT "Instance_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstanceRun" ADD CONSTRAINT "InstanceRun_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "Instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstanceStep" ADD CONSTRAINT "InstanceStep_runId_fkey" FOREIGN KEY ("runId") REFERENCES "InstanceRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstanceAdminCredential" ADD CONSTRAINT "InstanceAdminCredential_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "Instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;
