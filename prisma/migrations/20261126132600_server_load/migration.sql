-- CreateEnum
CREATE TYPE "LoadState" AS ENUM ('HEALTHY', 'HEAVY_LOAD', 'UNHEALTHY', 'DOWN');

-- CreateEnum
CREATE TYPE "AlertKind" AS ENUM ('HEAVY_LOAD', 'UNHEALTHY', 'DOWN', 'PLAN_RECOMMENDATION');

-- CreateTable
CREATE TABLE "TenantLoad" (
    "communityId" TEXT NOT NULL,
    "sampledAt" TIMESTAMP(3) NOT NULL,
    "state" "LoadState" NOT NULL DEFAULT 'HEALTHY',
    "stateSince" TIMESTAMP(3) NOT NULL,
    "cpuPercent" REAL NOT NULL,
    "memoryBytes" BIGINT NOT NULL,
    "netRxBps" REAL NOT NULL,
    "netTxBps" REAL NOT NULL,
    "diskReadBps" REAL NOT NULL,
    "diskWriteBps" REAL NOT NULL,
    "diskBytes" BIGINT,
    "diskMeasuredAt" TIMESTAMP(3),
    "containersRunning" INTEGER NOT NULL,
    "containersTotal" INTEGER NOT NULL,
    "overSince" TIMESTAMP(3),
    "calmSince" TIMESTAMP(3),
    "heavySince" TIMESTAMP(3),
    "lastHeavyAt" TIMESTAMP(3),

    CONSTRAINT "TenantLoad_pkey" PRIMARY KEY ("communityId")
);

-- CreateTable
CREATE TABLE "LoadSample" (
    "communityId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "cpuPercent" REAL NOT NULL,
    "memoryBytes" BIGINT NOT NULL,
    "netRxBps" REAL NOT NULL,
    "netTxBps" REAL NOT NULL,
    "diskReadBps" REAL NOT NULL,
    "diskWriteBps" REAL NOT NULL,
    "diskBytes" BIGINT,

    CONSTRAINT "LoadSample_pkey" PRIMARY KEY ("communityId","at")
);

-- CreateTable
CREATE TABLE "LoadRollup" (
    "communityId" TEXT NOT NULL,
    "resolution" INTEGER NOT NULL,
    "bucket" TIMESTAMP(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "cpuAvg" REAL NOT NULL,
    "cpuMax" REAL NOT NULL,
    "memoryAvg" BIGINT NOT NULL,
    "memoryMax" BIGINT NOT NULL,
    "netRxBps" REAL NOT NULL,
    "netTxBps" REAL NOT NULL,
    "diskReadBps" REAL NOT NULL,
    "diskWriteBps" REAL NOT NULL,
    "diskBytes" BIGINT,

    CONSTRAINT "LoadRollup_pkey" PRIMARY KEY ("communityId","resolution","bucket")
);

-- CreateTable
CREATE TABLE "LoadStateChange" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "from" "LoadState",
    "to" "LoadState" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "LoadStateChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "kind" "AlertKind" NOT NULL,
    "message" TEXT NOT NULL,
    "details" JSONB,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContainerCounter" (
    "containerId" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "readAt" TIMESTAMP(3) NOT NULL,
    "cpuNs" BIGINT NOT NULL,
    "systemNs" BIGINT NOT NULL,
    "onlineCpus" INTEGER NOT NULL,
    "netRxBytes" BIGINT NOT NULL,
    "netTxBytes" BIGINT NOT NULL,
    "blkReadBytes" BIGINT NOT NULL,
    "blkWriteBytes" BIGINT NOT NULL,

    CONSTRAINT "ContainerCounter_pkey" PRIMARY KEY ("containerId")
);

-- CreateTable
CREATE TABLE "HostLoad" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "cpus" INTEGER NOT NULL,
    "memoryBytes" BIGINT NOT NULL,
    "containersRunning" INTEGER NOT NULL,
    "containersCpuPercent" REAL NOT NULL,
    "containersMemoryBytes" BIGINT NOT NULL,
    "dockerDiskBytes" BIGINT,
    "volumesDiskBytes" BIGINT,
    "fsTotalBytes" BIGINT,
    "fsFreeBytes" BIGINT,
    "diskMeasuredAt" TIMESTAMP(3),
    "sampledAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HostLoad_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TenantLoad_state_idx" ON "TenantLoad"("state");

-- CreateIndex
CREATE INDEX "LoadSample_at_idx" ON "LoadSample"("at");

-- CreateIndex
CREATE INDEX "LoadRollup_resolution_bucket_idx" ON "LoadRollup"("resolution", "bucket");

-- CreateIndex
CREATE INDEX "LoadStateChange_communityId_at_idx" ON "LoadStateChange"("communityId", "at");

-- CreateIndex
CREATE INDEX "Alert_communityId_openedAt_idx" ON "Alert"("communityId", "openedAt");

-- CreateIndex
CREATE INDEX "Alert_closedAt_openedAt_idx" ON "Alert"("closedAt", "openedAt");

-- AddForeignKey
ALTER TABLE "TenantLoad" ADD CONSTRAINT "TenantLoad_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoadSample" ADD CONSTRAINT "LoadSample_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoadRollup" ADD CONSTRAINT "LoadRollup_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoadStateChange" ADD CONSTRAINT "LoadStateChange_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;
